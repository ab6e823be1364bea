#!/usr/bin/env python3
"""A miniature of what the Hugging Face Hub serves for the course's datasets, written by PyPI
`datasets` itself (`Dataset.to_parquet`, which stores the features in the `huggingface` schema
metadata), in the Hub's layout under Tests/DatasetsTests/Fixtures/hub/datasets/<repo id>/:

    eriktks/conll2003/conll2003/{train,validation,test}/0000.parquet   (as in refs/convert/parquet)
    nyu-mll/glue/mrpc/{train,validation,test}-00000-of-00001.parquet
    stanfordnlp/imdb/plain_text/{train,test,unsupervised}-00000-of-00001.parquet

The rows are made up here (the real data is licensed and stays out of the repository). Then
`datasets.load_dataset` reads each configuration back and hub_expected.json records what it
gives: split order, rows, column order and features, for the Swift loader to match.

Usage: /work/venv/bin/python Scripts/datasets_hub_fixtures.py
"""
import json
import os

import datasets
from datasets import ClassLabel, Dataset, Features, List, Value, load_dataset

ROOT = os.path.join(os.path.dirname(__file__), "..", "Tests", "DatasetsTests", "Fixtures", "hub")
NER = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
WORDS = ["Peter", "Blackburn", "BRUSSELS", "1996-08-22", "The", "European", "Commission", "said", "on",
         "Thursday", "it", "disagreed", "with", "German", "advice", ".", "Zürich", "\"", "'s"]


def conll(split, n):
    rows = {"id": [], "tokens": [], "pos_tags": [], "chunk_tags": [], "ner_tags": []}
    for r in range(n):
        length = 1 + (r * 7 + len(split)) % 9
        rows["id"].append(str(r))
        rows["tokens"].append([WORDS[(r * 5 + k) % len(WORDS)] for k in range(length)])
        rows["pos_tags"].append([(r + 3 * k) % 47 for k in range(length)])
        rows["chunk_tags"].append([(r + k) % 23 for k in range(length)])
        rows["ner_tags"].append([(r * 2 + k) % 9 for k in range(length)])
    features = Features({
        "id": Value("string"),
        "tokens": List(Value("string")),
        "pos_tags": List(ClassLabel(names=[f"P{k}" for k in range(47)])),
        "chunk_tags": List(ClassLabel(names=[f"C{k}" for k in range(23)])),
        "ner_tags": List(ClassLabel(names=NER)),
    })
    return Dataset.from_dict(rows, features=features)


def mrpc(split, n):
    rows = {"sentence1": [f"{split} sentence {r} says \"{WORDS[r % len(WORDS)]}\"." for r in range(n)],
            "sentence2": [f"Another one, {r}." for r in range(n)],
            "label": [-1 if split == "test" and r % 4 == 0 else r % 2 for r in range(n)],
            "idx": list(range(n))}
    features = Features({"sentence1": Value("string"), "sentence2": Value("string"),
                         "label": ClassLabel(names=["not_equivalent", "equivalent"]), "idx": Value("int32")})
    return Dataset.from_dict(rows, features=features)


def imdb(split, n):
    rows = {"text": [f"Review {r} of {split}: " + " ".join(WORDS[: 1 + r % len(WORDS)]) for r in range(n)],
            "label": [-1 if split == "unsupervised" else (0 if r < n // 2 else 1) for r in range(n)]}
    return Dataset.from_dict(rows, features=Features({"text": Value("string"), "label": ClassLabel(names=["neg", "pos"])}))


def tagged(v):
    if v is None:
        return None
    if isinstance(v, bool):
        return {"b": v}
    if isinstance(v, int):
        return {"i": v}
    if isinstance(v, str):
        return v
    if isinstance(v, list):
        return [tagged(x) for x in v]
    raise TypeError(type(v))


def feature_json(f):
    """The feature's kind, dtype and class names, independent of how a version prints it."""
    if isinstance(f, ClassLabel):
        return {"kind": "ClassLabel", "names": f.names}
    if isinstance(f, Value):
        return {"kind": "Value", "dtype": f.dtype}
    if isinstance(f, List):
        return {"kind": "List", "feature": feature_json(f.feature)}
    raise TypeError(type(f))


def main():
    layouts = {
        "eriktks/conll2003": ("conll2003", conll, [("train", 40), ("validation", 15), ("test", 12)],
                              "{config}/{split}/0000.parquet"),
        "nyu-mll/glue": ("mrpc", mrpc, [("train", 30), ("validation", 8), ("test", 9)],
                         "{config}/{split}-00000-of-00001.parquet"),
        "stanfordnlp/imdb": ("plain_text", imdb, [("train", 10), ("test", 10), ("unsupervised", 6)],
                             "{config}/{split}-00000-of-00001.parquet"),
    }
    expected = {"datasets": datasets.__version__, "repos": {}}
    for repo, (config, make, splits, pattern) in layouts.items():
        files = {}
        for split, n in splits:
            path = pattern.format(config=config, split=split)
            full = os.path.join(ROOT, "datasets", repo, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            make(split, n).to_parquet(full)
            files[split] = full
        loaded = load_dataset("parquet", data_files=files)
        expected["repos"][repo] = {
            "config": config,
            "files": {split: pattern.format(config=config, split=split) for split, _ in splits},
            "splits": list(loaded.keys()),
            "num_rows": {s: loaded[s].num_rows for s in loaded},
            "columns": loaded["train"].column_names,
            "features": {name: feature_json(f) for name, f in loaded["train"].features.items()},
            "rows": {s: [{k: tagged(v) for k, v in row.items()} for row in loaded[s]] for s in loaded},
        }
    with open(os.path.join(ROOT, "hub_expected.json"), "w") as out:
        json.dump(expected, out, ensure_ascii=False, indent=1)
        out.write("\n")
    print("wrote", os.path.normpath(ROOT))


if __name__ == "__main__":
    main()

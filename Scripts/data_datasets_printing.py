"""How Python `datasets` 2.x prints and shuffles, for the Datasets tests.

Writes Tests/DatasetsTests/Fixtures/python_datasets.json: the printed form (`str`) of datasets,
dataset dicts, features, rows and batches built in memory with the CoNLL-2003, GLUE MRPC and
SST-2 feature definitions Hugging Face uses, plus the rows chosen by `shuffle(seed=...)` and
`train_test_split(test_size=..., seed=...)` on small range datasets.

Needs: a venv with `pip install "datasets>=2.20,<3"` (2.x prints `Sequence(feature=...)` and
`Value(dtype=...)`, as the course text does; 4.x prints `List(...)` and `Value('string')`).
Run:   python -m venv /tmp/dsvenv && /tmp/dsvenv/bin/pip install "datasets>=2.20,<3"
       /tmp/dsvenv/bin/python Scripts/data_datasets_printing.py
"""
import json
from pathlib import Path

from datasets import ClassLabel, Dataset, DatasetDict, Features, Sequence, Value

OUT = Path(__file__).resolve().parent.parent / "Tests" / "DatasetsTests" / "Fixtures" / "python_datasets.json"
NER = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]

conll = Dataset.from_dict(
    {"id": ["0", "1"], "tokens": [["EU", "rejects", "German"], ["Peter", "Blackburn"]],
     "pos_tags": [[22, 42, 16], [22, 22]], "chunk_tags": [[11, 21, 11], [11, 12]], "ner_tags": [[3, 0, 7], [1, 2]]},
    features=Features({"id": Value("string"), "tokens": Sequence(Value("string")),
                       "pos_tags": Sequence(ClassLabel(names=[str(i) for i in range(47)])),
                       "chunk_tags": Sequence(ClassLabel(names=[str(i) for i in range(23)])),
                       "ner_tags": Sequence(ClassLabel(names=NER))}))
mrpc = Dataset.from_dict(
    {"sentence1": ["He said \"yes\".", "It's fine."], "sentence2": ["Yes, he said.", "Fine."], "label": [1, 0], "idx": [0, 1]},
    features=Features({"sentence1": Value("string"), "sentence2": Value("string"),
                       "label": ClassLabel(names=["not_equivalent", "equivalent"]), "idx": Value("int32")}))
mixed = Dataset.from_dict({"i": [1, 2], "f": [0.5, 1e-05], "b": [True, False], "s": ["a\\b", "tab\there"],
                           "l": [[1.5], []], "n": [None, 3]})

cases = {
    "conll_dataset": str(conll),
    "conll_dict": str(DatasetDict({"train": conll, "validation": conll.select([1]), "test": conll.select([])})),
    "conll_features": str(conll.features),
    "ner_feature": str(conll.features["ner_tags"]),
    "conll_row": str(conll[0]),
    "conll_batch": str(conll[:2]),
    "mrpc_features": str(mrpc.features),
    "mrpc_rows": [str(mrpc[0]), str(mrpc[1])],
    "mixed_rows": [str(mixed[0]), str(mixed[1])],
    "mixed_features": str(mixed.features),
}
shuffles = []
for n, seed in [(10, 42), (1000, 0), (3668, 42), (25000, 42)]:
    d = Dataset.from_dict({"n": list(range(n))})
    s = d.shuffle(seed=seed)["n"]
    split = d.train_test_split(test_size=0.1, seed=seed)
    shuffles.append({"n": n, "seed": seed, "shuffle_head": s[:20], "test_head": split["test"]["n"][:20],
                     "train_head": split["train"]["n"][:20], "test_rows": split["test"].num_rows,
                     "train_rows": split["train"].num_rows})
cases["shuffles"] = shuffles
OUT.write_text(json.dumps(cases, separators=(",", ":"), ensure_ascii=False))

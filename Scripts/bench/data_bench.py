"""Python reference timings for `bench data` (the Swift side runs this and prints both).

Measures, on the data mirror:
  load:   reading CoNLL-2003 train.txt into the Hugging Face columns (id, tokens, pos_tags,
          chunk_tags, ner_tags as label ids), the way the `conll2003` loading script's generator
          does it (line by line with str.split), in plain Python;
  f1:     seqeval.metrics.f1_score on the validation split against predictions where every
          token whose global index k has k % 7 == 3 is changed (an entity tag becomes O, O becomes
          B-MISC): the same rule the Swift bench applies;
  report: seqeval.metrics.classification_report(digits=4) on the same input;
  pipeline: load train, tokenize the pre-split words with the fast tokenizer (one batch call,
          as Dataset.map(batched=True) ends up doing), and align the labels with word_ids() the
          way the course does (every sub-token labelled, B- becoming I- after the first, -100 on
          special tokens), single-threaded.
Prints one JSON object: {"load_ms": [...], "f1_ms": [...], "report_ms": [...], "pipeline_ms": [...],
"aligned_tokens": ..., "f1": ..., "sentences": ...}.

Needs: seqeval, transformers (Scripts/make-venv.sh).
Run:   .venv/bin/python Scripts/bench/data_bench.py MIRROR_DIR [REPEATS] [MODEL]
"""
import json, os, sys, time
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("RAYON_NUM_THREADS", "1")
from pathlib import Path

from seqeval.metrics import classification_report, f1_score

NER = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]


def load(path, pos, chunk, ner):
    rows = {"id": [], "tokens": [], "pos_tags": [], "chunk_tags": [], "ner_tags": []}
    t, p, c, n = [], [], [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("-DOCSTART-") or line == "" or line == "\n":
                if t:
                    rows["id"].append(str(len(rows["id"])))
                    rows["tokens"].append(t); rows["pos_tags"].append(p)
                    rows["chunk_tags"].append(c); rows["ner_tags"].append(n)
                    t, p, c, n = [], [], [], []
            else:
                w, a, b, d = line.split(" ")
                t.append(w); p.append(pos[a]); c.append(chunk[b]); n.append(ner[d.rstrip()])
    if t:
        rows["id"].append(str(len(rows["id"]))); rows["tokens"].append(t); rows["pos_tags"].append(p)
        rows["chunk_tags"].append(c); rows["ner_tags"].append(n)
    return rows


def main():
    mirror = Path(sys.argv[1]) / "datasets" / "conll2003"
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    # Tag vocabularies as seen in the data (ids only need to be consistent for timing).
    vocab = [{}, {}, {}]
    for name in ("train.txt", "valid.txt", "test.txt"):
        for line in open(mirror / name, encoding="utf-8"):
            parts = line.split()
            if len(parts) == 4:
                for v, tag in zip(vocab, parts[1:]):
                    v.setdefault(tag, len(v))
    ner = {t: i for i, t in enumerate(NER)}
    load_ms = []
    for _ in range(repeats):
        t0 = time.perf_counter(); rows = load(mirror / "train.txt", vocab[0], vocab[1], ner)
        load_ms.append((time.perf_counter() - t0) * 1000)
    assert len(rows["id"]) == 14041

    valid = load(mirror / "valid.txt", *vocab[:2], ner)
    refs = [[NER[i] for i in s] for s in valid["ner_tags"]]
    preds, k = [], 0
    for s in refs:
        p = []
        for tag in s:
            p.append(("B-MISC" if tag == "O" else "O") if k % 7 == 3 else tag)
            k += 1
        preds.append(p)
    f1_ms, report_ms = [], []
    for _ in range(repeats):
        t0 = time.perf_counter(); f1 = f1_score(refs, preds); f1_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter(); classification_report(refs, preds, digits=4)
        report_ms.append((time.perf_counter() - t0) * 1000)
    model = sys.argv[3] if len(sys.argv) > 3 else "sentence-transformers/all-MiniLM-L6-v2"
    model_dir = Path(sys.argv[1]) / "models" / model
    from transformers import AutoTokenizer
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir if model_dir.is_dir() else model))
    pipeline_ms = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        rows = load(mirror / "train.txt", vocab[0], vocab[1], ner)
        enc = tokenizer(rows["tokens"], is_split_into_words=True)
        count = 0
        for i, labels in enumerate(rows["ner_tags"]):
            aligned, previous = [], None
            for word in enc.word_ids(i):
                if word is None:
                    aligned.append(-100)
                else:
                    label = labels[word]
                    aligned.append(label + 1 if word == previous and label % 2 == 1 else label)
                previous = word
            count += len(aligned)
        pipeline_ms.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"load_ms": load_ms, "f1_ms": f1_ms, "report_ms": report_ms, "pipeline_ms": pipeline_ms,
                      "aligned_tokens": count, "f1": f1, "sentences": len(refs)}))


if __name__ == "__main__":
    main()

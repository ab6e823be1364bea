"""Reference facts about the course's data files, for the Datasets tests.

Produces Tests/DatasetsTests/Fixtures/mirror_facts.json (compact): for CoNLL-2003, GLUE MRPC,
GLUE SST-2 and the IMDb subsets, each split's row count, a few rows in full (first, last, and
one in the middle) as digests (the text itself is licensed data and stays out of the
repository), and checksums of whole columns (token counts, label histograms), computed with
plain Python parsing written independently of the Swift loaders. For the aclImdb archive:
counts, label histograms and digests of the first negative and positive review.

A row digest is FNV-1a 64 (hex) of its canonical form: `key=value` pairs in column order
joined by U+001F, where a string is itself, an int its decimal digits, a list its elements'
forms joined by U+001E, and None the empty string. The Swift test computes the same.

Needs: Python 3 only (no pip packages). The data mirror ($COURSE_MIRROR or ../shared/mirror).
Run:   /work/venv/bin/python Scripts/data_datasets_fixtures.py [MIRROR_DIR]
"""
import collections, csv, json, os, sys, tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "DatasetsTests" / "Fixtures" / "mirror_facts.json"
MIRROR = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("COURSE_MIRROR", ROOT.parent / "shared" / "mirror"))
DS = MIRROR / "datasets"

NER = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
POS = ['"', "''", "#", "$", "(", ")", ",", ".", ":", "``", "CC", "CD", "DT", "EX", "FW", "IN", "JJ", "JJR", "JJS",
       "LS", "MD", "NN", "NNP", "NNPS", "NNS", "NN|SYM", "PDT", "POS", "PRP", "PRP$", "RB", "RBR", "RBS", "RP",
       "SYM", "TO", "UH", "VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "WDT", "WP", "WP$", "WRB"]
CHUNK = ["O", "B-ADJP", "I-ADJP", "B-ADVP", "I-ADVP", "B-CONJP", "I-CONJP", "B-INTJ", "I-INTJ", "B-LST", "I-LST",
         "B-NP", "I-NP", "B-PP", "I-PP", "B-PRT", "I-PRT", "B-SBAR", "I-SBAR", "B-UCP", "I-UCP", "B-VP", "I-VP"]


def canonical(v):
    if v is None: return ""
    if isinstance(v, bool): return "True" if v else "False"
    if isinstance(v, (int, str)): return str(v)
    if isinstance(v, list): return "\x1e".join(canonical(x) for x in v)
    raise TypeError(type(v))


def fnv1a64(text):
    h = 0xcbf29ce484222325
    for b in text.encode("utf-8"):
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


def digest(row):
    return fnv1a64("\x1f".join(f"{k}={canonical(v)}" for k, v in row.items()))


def pick(rows):
    n = len(rows)
    return {str(i): digest(rows[i]) for i in sorted({0, n // 2, n - 1})}


def conll(path):
    rows, cur = [], []
    def flush():
        if cur:
            rows.append({"id": str(len(rows)), "tokens": [w for w, _, _, _ in cur],
                         "pos_tags": [POS.index(p) for _, p, _, _ in cur],
                         "chunk_tags": [CHUNK.index(c) for _, _, c, _ in cur],
                         "ner_tags": [NER.index(t) for _, _, _, t in cur]})
            cur.clear()
    for line in open(path, encoding="utf-8"):
        parts = line.split()
        if not parts or parts[0] == "-DOCSTART-":
            flush(); continue
        cur.append(parts)
    flush()
    hist = collections.Counter(t for r in rows for t in r["ner_tags"])
    return {"num_rows": len(rows), "tokens": sum(len(r["tokens"]) for r in rows),
            "ner_histogram": [hist[i] for i in range(len(NER))], "rows": pick(rows)}


def tsv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def mrpc(path, labels=None):
    table = tsv(path)
    rows = []
    for i, r in enumerate(table[1:]):
        y = labels[(r[1], r[2])] if labels is not None else int(r[0])
        rows.append({"sentence1": r[3], "sentence2": r[4], "label": y, "idx": i})
    return {"num_rows": len(rows), "label_histogram": [sum(r["label"] == k for r in rows) for k in (0, 1)],
            "rows": pick(rows)}


def sst2(path):
    table = tsv(path)
    if table[0] == ["sentence", "label"]:
        rows = [{"sentence": r[0], "label": int(r[1]), "idx": i} for i, r in enumerate(table[1:])]
    else:
        rows = [{"sentence": r[1], "label": -1, "idx": i} for i, r in enumerate(table[1:])]
    return {"num_rows": len(rows), "label_histogram": [sum(r["label"] == k for r in rows) for k in (0, 1)],
            "rows": pick(rows)}


def jsonl(path):
    rows = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
    return {"num_rows": len(rows), "columns": list(rows[0].keys()),
            "label_histogram": [sum(r["label"] == k for r in rows) for k in (0, 1)], "rows": pick(rows)}


def imdb_archive(path):
    counts = collections.Counter()
    first = {}
    with tarfile.open(path, "r:gz") as t:
        for m in t:
            parts = m.name.split("/")
            if m.isfile() and len(parts) == 4 and parts[1] in ("train", "test") and parts[2] in ("neg", "pos") \
                    and parts[3].endswith(".txt"):
                counts[(parts[1], parts[2])] += 1
                if (parts[1], parts[2]) not in first:
                    first[(parts[1], parts[2])] = t.extractfile(m).read().decode("utf-8")
    return {s: {"num_rows": counts[(s, "neg")] + counts[(s, "pos")],
                "label_histogram": [counts[(s, "neg")], counts[(s, "pos")]],
                "first_text": fnv1a64(first[(s, "neg")]), "first_pos_text": fnv1a64(first[(s, "pos")])}
            for s in ("train", "test")}


def main():
    msr = {(r[1], r[2]): int(r[0]) for r in tsv(DS / "glue/mrpc/msr_paraphrase_test.txt")[1:]}
    facts = {
        "conll2003": {s: conll(DS / "conll2003" / f) for s, f in
                      [("train", "train.txt"), ("validation", "valid.txt"), ("test", "test.txt")]},
        "mrpc": {"train": mrpc(DS / "glue/mrpc/train.tsv"), "validation": mrpc(DS / "glue/mrpc/dev.tsv"),
                 "test": mrpc(DS / "glue/mrpc/test.tsv", msr)},
        "sst2": {s: sst2(DS / "glue/sst2" / f) for s, f in
                 [("train", "train.tsv"), ("validation", "dev.tsv"), ("test", "test.tsv")]},
        "imdb_small": {s: jsonl(DS / f"imdb/imdb_small_{s}.jsonl") for s in ("train", "test")},
        "imdb": imdb_archive(DS / "imdb/aclImdb_labeled_train_test.tar.gz"),
    }
    OUT.write_text(json.dumps(facts, separators=(",", ":"), ensure_ascii=False))


if __name__ == "__main__":
    main()

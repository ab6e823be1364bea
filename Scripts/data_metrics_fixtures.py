"""Reference values for the Metrics tests, from the real Python libraries.

Produces (compact JSON, under Tests/MetricsTests/Fixtures/):
  seqeval_cases.json         hand-written adversarial tag sequences (stray I- tags, entities at
                             sentence ends, empty predictions, many types, odd tags) and the first
                             400 CoNLL-2003 validation sentences against seeded corrupted
                             predictions; for each: the `evaluate`-style seqeval result in default
                             and strict IOB2 mode and the classification reports (digits 2 and 4).
  seqeval_validation.json    the whole validation split scored against seeded corrupted
                             predictions; stores only the edits (sentence, token, new tag) and
                             the results, so the test needs the mirror's valid.txt.
  classification_cases.json  scikit-learn accuracy / precision / recall / F1 (binary, micro,
                             macro, weighted) on seeded random labels and edge cases.

Needs: pip install seqeval scikit-learn numpy  (all in /work/venv).
Run:   /work/venv/bin/python Scripts/data_metrics_fixtures.py [MIRROR_DIR]
       (MIRROR_DIR defaults to $COURSE_MIRROR or ../shared/mirror.)
The `evaluate` seqeval wrapper is reproduced in `evaluate_seqeval` (same keys and order).
"""
import json, os, random, sys, warnings
from pathlib import Path

import numpy as np
from seqeval.metrics import accuracy_score, classification_report
from seqeval.scheme import IOB2
from sklearn import metrics as skm

warnings.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "MetricsTests" / "Fixtures"
MIRROR = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("COURSE_MIRROR", ROOT.parent / "shared" / "mirror"))


def evaluate_seqeval(predictions, references, mode=None, scheme=None):
    """What evaluate.load('seqeval').compute returns, as plain floats and ints."""
    report = classification_report(references, predictions, output_dict=True, mode=mode, scheme=scheme)
    report.pop("macro avg"); report.pop("weighted avg")
    overall = report.pop("micro avg")
    out = []
    for name, s in report.items():
        out.append([name, {"precision": float(s["precision"]), "recall": float(s["recall"]),
                           "f1": float(s["f1-score"]), "number": int(s["support"])}])
    return {"types": out, "overall_precision": float(overall["precision"]),
            "overall_recall": float(overall["recall"]), "overall_f1": float(overall["f1-score"]),
            "overall_accuracy": float(accuracy_score(references, predictions))}


def reports(refs, preds, mode=None, scheme=None):
    out = {}
    for digits in (2, 4):
        try:
            out[str(digits)] = classification_report(refs, preds, digits=digits, mode=mode, scheme=scheme)
        except ValueError:  # no entity at all: max() of an empty sequence
            out[str(digits)] = None
    return out


def case(name, refs, preds):
    c = {"name": name, "references": refs, "predictions": preds,
         "default": evaluate_seqeval(preds, refs), "default_report": reports(refs, preds)}
    try:
        c["strict"] = evaluate_seqeval(preds, refs, mode="strict", scheme=IOB2)
        c["strict_report"] = reports(refs, preds, mode="strict", scheme=IOB2)
    except (ValueError, KeyError) as e:  # a tag outside IOB2: the Swift side must throw too
        c["strict_error"] = str(e)
    return c


def read_conll_tags(path):
    sentences, cur = [], []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("-DOCSTART-"):
            if cur: sentences.append(cur); cur = []
            continue
        cur.append(line.split(" ")[3])
    if cur: sentences.append(cur)
    return sentences


LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]


def corrupt(sentences, rng, rate):
    """Edits (sentence, token, tag): random label swaps, B->I flips, dropped entities."""
    edits = []
    for si, s in enumerate(sentences):
        for ti, t in enumerate(s):
            if rng.random() < rate:
                r = rng.random()
                if r < 0.4: new = rng.choice(LABELS)
                elif r < 0.7 and t.startswith("B-"): new = "I-" + t[2:]
                else: new = "O"
                if new != t: edits.append([si, ti, new])
    return edits


def apply(sentences, edits):
    out = [list(s) for s in sentences]
    for si, ti, tag in edits: out[si][ti] = tag
    return out


def main():
    rng = random.Random(2003)
    cases = [
        case("identical", [["B-PER", "I-PER", "O", "B-LOC"]], [["B-PER", "I-PER", "O", "B-LOC"]]),
        case("stray I- tags", [["O", "I-PER", "I-PER", "O", "B-ORG", "I-ORG"], ["I-LOC", "O"]],
             [["O", "I-PER", "I-PER", "O", "I-ORG", "I-ORG"], ["B-LOC", "O"]]),
        case("entities at sentence ends", [["O", "B-PER"], ["B-LOC", "I-LOC"], ["I-MISC"]],
             [["O", "B-PER"], ["B-LOC", "O"], ["B-MISC"]]),
        case("empty predictions", [["B-PER", "I-PER", "O"], ["B-ORG", "O"]], [["O", "O", "O"], ["O", "O"]]),
        case("empty references", [["O", "O", "O"]], [["B-PER", "O", "B-LOC"]]),
        case("nothing at all", [["O", "O"], ["O"]], [["O", "O"], ["O"]]),
        case("type change inside a run", [["B-PER", "I-PER", "I-ORG", "O"]], [["B-PER", "I-ORG", "I-ORG", "O"]]),
        case("B after I of same type", [["B-PER", "I-PER", "B-PER", "I-PER"]], [["B-PER", "I-PER", "I-PER", "I-PER"]]),
        case("empty sentences", [[], ["B-PER"], []], [[], ["B-PER"], []]),
        case("E and S tags (default mode only)", [["B-PER", "E-PER", "S-LOC", "O"]], [["B-PER", "I-PER", "S-LOC", "O"]]),
        case("bare prefixes and long types", [["B", "I", "O", "B-A-B", "I-A-B"]], [["B", "O", "O", "B-A-B", "I-A-C"]]),
        case("lowercase and odd tags", [["B-per", "O", "X-PER"]], [["B-per", "O", "X-PER"]]),
    ]
    # Ten types so that macro averages go through NumPy's 8-way pairwise summation.
    types = ["T%d" % i for i in range(10)] + ["PER", "LOC"]
    refs, preds = [], []
    for _ in range(60):
        n = rng.randint(1, 12)
        r = [rng.choice(["O", "B-" + rng.choice(types), "I-" + rng.choice(types)]) for _ in range(n)]
        p = [t if rng.random() < 0.7 else rng.choice(["O", "B-" + rng.choice(types), "I-" + rng.choice(types)]) for t in r]
        refs.append(r); preds.append(p)
    cases.append(case("random tags over twelve types", refs, preds))

    valid = read_conll_tags(MIRROR / "datasets" / "conll2003" / "valid.txt")
    head = valid[:400]
    cases.append(case("CoNLL-2003 validation[:400], corrupted", head, apply(head, corrupt(head, rng, 0.08))))
    json.dump({"cases": cases}, open(OUT / "seqeval_cases.json", "w"), separators=(",", ":"))

    edits = corrupt(valid, random.Random(42), 0.05)
    preds = apply(valid, edits)
    full = {"edits": edits, "sentences": len(valid), "default": evaluate_seqeval(preds, valid),
            "strict": evaluate_seqeval(preds, valid, mode="strict", scheme=IOB2),
            "report": classification_report(valid, preds, digits=4),
            "strict_report": classification_report(valid, preds, digits=4, mode="strict", scheme=IOB2)}
    json.dump(full, open(OUT / "seqeval_validation.json", "w"), separators=(",", ":"))

    nrng = np.random.default_rng(7)
    ccases = []
    def ccase(name, y, p):
        c = {"name": name, "references": [int(v) for v in y], "predictions": [int(v) for v in p],
             "accuracy": float(skm.accuracy_score(y, p))}
        for avg in ["micro", "macro", "weighted"] + (["binary"] if len(set(y) | set(p)) <= 2 else []):
            pr, rc, f, _ = skm.precision_recall_fscore_support(y, p, average=avg, zero_division=0)
            c[avg] = [float(pr), float(rc), float(f)]
        ccases.append(c)
    y = nrng.integers(0, 2, 408); p = np.where(nrng.random(408) < 0.8, y, 1 - y)
    ccase("binary, MRPC-sized", y, p)
    y = nrng.integers(0, 10, 500); p = np.where(nrng.random(500) < 0.6, y, nrng.integers(0, 10, 500))
    ccase("ten classes", y, p)
    ccase("all predicted negative", [1, 0, 1, 1], [0, 0, 0, 0])
    ccase("no positives anywhere", [0, 0, 0], [0, 0, 0])
    ccase("single example", [1], [1])
    json.dump({"cases": ccases}, open(OUT / "classification_cases.json", "w"), separators=(",", ":"))


if __name__ == "__main__":
    main()

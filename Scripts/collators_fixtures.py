"""Reference fixtures for the Swift data collators (Tests/TrainingTests/Fixtures).

What it produces (compact JSON, a few KB):
  collators_parity.json   a tiny made-up WordPiece vocabulary ([PAD] deliberately not id 0, so a
                          hard-coded 0 shows up), made-up CoNLL-like sentences (pre-split words with
                          NER tag ids) and MRPC-like sentence pairs (with a 0/1 label), the features
                          Python builds from them (tokenized, labels aligned with word ids as the
                          course does), and what transformers' DataCollatorForTokenClassification /
                          DataCollatorWithPadding return for them: input_ids, token_type_ids,
                          attention_mask and labels, for right and left padding, with and without
                          pad_to_multiple_of, padding="max_length", and features lacking some columns.
All text is invented for these tests: no licensed data.

Needs: pip install torch transformers tokenizers   (tested with torch 2.13, transformers 5.23)
Run:   /work/venv/bin/python Scripts/collators_fixtures.py
"""
import json
import os
import tempfile

from transformers import BertTokenizerFast, DataCollatorForTokenClassification, DataCollatorWithPadding

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "TrainingTests", "Fixtures", "collators_parity.json")

# [PAD] is id 4 on purpose: padding must use the tokenizer's pad id, not 0.
VOCAB = ["[UNK]", "[CLS]", "[SEP]", "[MASK]", "[PAD]", ".", ",", "the", "a", "in", "to", "of", "and",
         "rejects", "call", "talks", "says", "said", "will", "meet", "on", "monday", "board", "shares",
         "rose", "fell", "zor", "##van", "mel", "##brook", "quell", "##port", "tri", "##ss", "##a",
         "ka", "##ren", "##dal", "corp", "union", "league", "cup", "win", "won", "he", "she", "it",
         "was", "is", "not", "agreed", "deal", "after", "before", "profit", "##s", "year", "new"]

# Made-up CoNLL-like sentences: words and NER ids (O=0, B-PER=1, I-PER=2, B-ORG=3, I-ORG=4,
# B-LOC=5, I-LOC=6, B-MISC=7, I-MISC=8).
SENTENCES = [
    (["Zorvan", "Corp", "rejects", "Melbrook", "call", "."], [3, 4, 0, 7, 0, 0]),
    (["Trissa", "Karendal", "said", "."], [1, 2, 0, 0]),
    (["Talks", "in", "Quellport", "will", "meet", "on", "Monday", "after", "the", "Melbrook", "Cup", "."],
     [0, 0, 5, 0, 0, 0, 0, 0, 0, 7, 8, 0]),
    (["Shares", "rose"], [0, 0]),
]

# Made-up MRPC-like pairs: (sentence1, sentence2, label).
PAIRS = [
    ("Zorvan Corp said profits rose.", "Profits rose at Zorvan Corp, it said.", 1),
    ("Trissa won the cup.", "She was not in the league.", 0),
    ("The board agreed a new deal on Monday after talks in Quellport.", "A deal was agreed.", 1),
]


def align(labels, word_ids):
    """The course's alignment: -100 on special tokens, B- becomes I- on continuation tokens."""
    out, previous = [], None
    for w in word_ids:
        if w is None:
            out.append(-100)
        elif w != previous:
            out.append(labels[w])
        else:
            label = labels[w]
            out.append(label + 1 if label % 2 == 1 else label)
        previous = w
    return out


def printed(batch):
    """str() of every tensor, and the course's shape dict, to check the Swift printing."""
    out = {k: str(v) for k, v in batch.items()}
    out["shapes"] = "{" + ", ".join(f"'{k}': {list(v.shape)}" for k, v in batch.items()) + "}"
    return out


def as_lists(batch):
    return {k: (v.tolist() if hasattr(v, "tolist") else v) for k, v in batch.items()}


def main():
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "vocab.txt")
        with open(path, "w") as f:
            f.write("\n".join(VOCAB) + "\n")
        # from_pretrained reads vocab.txt the way a checkpoint directory is read.
        tok = BertTokenizerFast.from_pretrained(d, do_lower_case=True)
    assert tok.pad_token_id == 4

    token_features = []
    for words, tags in SENTENCES:
        enc = tok(words, is_split_into_words=True, truncation=True)
        row = {k: list(v) for k, v in enc.items()}
        row["labels"] = align(tags, enc.word_ids())
        token_features.append(row)
    pair_features = []
    for a, b, label in PAIRS:
        enc = tok(a, b, truncation=True)
        row = {k: list(v) for k, v in enc.items()}
        row["label"] = label
        pair_features.append(row)

    cases = []

    def token_case(name, features, side="right", **kw):
        tok.padding_side = side
        collator = DataCollatorForTokenClassification(tokenizer=tok, **kw)
        batch = collator([dict(f) for f in features])
        out = as_lists(batch)
        cases.append({"name": name, "collator": "token_classification", "padding_side": side, "options": kw,
                      "features": features, "expected": out, "keys": list(out.keys()), "printed": printed(batch)})

    def padding_case(name, features, side="right", **kw):
        tok.padding_side = side
        collator = DataCollatorWithPadding(tokenizer=tok, **kw)
        batch = collator([dict(f) for f in features])
        out = as_lists(batch)
        cases.append({"name": name, "collator": "with_padding", "padding_side": side, "options": kw,
                      "features": features, "expected": out, "keys": list(out.keys()), "printed": printed(batch)})

    token_case("conll right", token_features)
    token_case("conll right multiple 8", token_features, pad_to_multiple_of=8)
    token_case("conll left", token_features, side="left")
    token_case("conll left multiple 8", token_features, side="left", pad_to_multiple_of=8)
    token_case("conll two rows", token_features[:2])
    token_case("conll two rows left multiple 8", token_features[:2], side="left", pad_to_multiple_of=8)
    token_case("conll label pad -1", token_features[1:3], label_pad_token_id=-1)
    token_case("conll max_length", token_features, padding="max_length", max_length=20)
    # Over 1,000 values: torch summarises the printed tensor.
    token_case("conll max_length 300 left", token_features, side="left", padding="max_length", max_length=300)
    no_mask = [{k: v for k, v in f.items() if k not in ("attention_mask", "token_type_ids")} for f in token_features]
    token_case("conll without attention_mask and token_type_ids", no_mask)
    no_labels = [{k: v for k, v in f.items() if k != "labels"} for f in token_features]
    token_case("conll without labels", no_labels)

    padding_case("mrpc right", pair_features)
    padding_case("mrpc right multiple 8", pair_features, pad_to_multiple_of=8)
    padding_case("mrpc left", pair_features, side="left")
    padding_case("mrpc left multiple 16", pair_features, side="left", pad_to_multiple_of=16)
    padding_case("mrpc max_length", pair_features, padding="max_length", max_length=32)
    labels_key = [{**{k: v for k, v in f.items() if k != "label"}, "labels": f["label"]} for f in pair_features]
    padding_case("mrpc labels key", labels_key)
    padding_case("mrpc without labels", [{k: v for k, v in f.items() if k != "label"} for f in pair_features])
    tok.padding_side = "right"

    fixture = {
        "vocab": VOCAB,
        "sentences": [{"words": w, "tags": t} for w, t in SENTENCES],
        "pairs": [{"sentence1": a, "sentence2": b, "label": l} for a, b, l in PAIRS],
        "token_features": token_features,
        "pair_features": pair_features,
        "cases": cases,
    }
    with open(OUT, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
    print(f"wrote {OUT}: {len(cases)} cases")


if __name__ == "__main__":
    main()

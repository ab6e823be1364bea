"""Reference fixtures for the Swift pipelines (Tests/PipelinesTests/Fixtures).

What it produces:
  tiny-ner/         a tiny random BertForTokenClassification (hidden 32, 2 layers, the 9 CoNLL-2003
                    labels) with a made-up ~200-token uncased vocab.txt: config.json,
                    weights.safetensors (model.safetensors once assembled), vocab.txt, tokenizer_config.json (< 200 KB)
  tiny-sentiment/   the same encoder shape as a BertForSequenceClassification with 3 labels
  pipelines-reference.json
                    for ~10 sentences (subwords, punctuation, unknown words, accents, entities
                    at the end): the transformers token-classification pipeline output with every
                    aggregation strategy (none, simple, first, average, max), and the
                    text-classification pipeline output with the default top_k, top_k=2 and
                    top_k=None, and for sentence pairs ({"text": ..., "text_pair": ...})

Weights are random (seeded) and scaled up so that predictions vary (not all "O").
Needs (pip): torch, transformers, safetensors, numpy.
Run: /work/venv/bin/python Scripts/pipelines_fixtures.py   (from the package root)
"""
import json
import os

import torch
from transformers import (BertConfig, BertForSequenceClassification, BertForTokenClassification,
                          BertTokenizerFast, pipeline)

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "PipelinesTests", "Fixtures")

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
PUNCT = list(".,!?'-:;()\"")
DIGITS = list("0123456789")
# Letters a-w only: a word with x, y or z that is not a whole vocabulary entry becomes [UNK].
LETTERS = list("abcdefghijklmnopqrstuvw")
WORDS = """my name is and i live in new york the company based paris john works at google
he she it was born on a an of to for with from city river big small good bad very great movie
film this that love hate boring not really wonderful terrible day today berlin germany european
union rejects german call boycott british lamb peter blackburn brussels said thursday by
hugging face inc university cafe zurich angela merkel visited london emma watson played""".split()
PIECES = """##s ##ing ##er ##ed ##rah ##don ##ton ##ia ##ville ##burg ##ly ##est ##ie ##en ##an
##on ##son ##ford sa lo wash ##ington ox cam ##bridge mic ##ro ##soft ama ##zon ber ##lin""".split()
SUBLETTERS = ["##" + c for c in LETTERS]

NER_LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
SENT_LABELS = ["negative", "neutral", "positive"]

SENTENCES = [
    "My name is Sarah and I live in London",
    "My name is Wolfgang and I live in Berlin.",
    "Hugging Face Inc. is a company based in New York City.",
    "EU rejects German call to boycott British lamb .",
    "Peter Blackburn visited Washington, Oxford and Cambridge!",
    "Emma Watson played in a film by Microsoft and Amazon",
    "Angela Merkel said on Thursday: the cafe in Zürich was wonderful",
    "xyz works at Google with Qwerty in Brussels",
    "John   Smith (born in Paris) works for the European Union; really?",
    "He was born on 12 May 1990 in Lonsdaleville",
]
TEXTS = [
    "I love this movie, it was wonderful!",
    "This film was boring and terrible.",
    "The city is big.",
    "Not really good, not really bad",
    "xyz qwerty",
]
PAIRS = [
    ("The film was good.", "The movie was great!"),
    ("He lives in Paris.", "She was born in Berlin."),
]


def vocab():
    seen, out = set(), []
    for t in SPECIALS + PUNCT + DIGITS + LETTERS + SUBLETTERS + WORDS + PIECES:
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out


def tiny_config(labels):
    return BertConfig(vocab_size=len(vocab()), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                      intermediate_size=64, max_position_embeddings=64, type_vocab_size=2,
                      id2label=dict(enumerate(labels)), label2id={l: i for i, l in enumerate(labels)})


def write_tokenizer(directory):
    with open(os.path.join(directory, "vocab.txt"), "w") as f:
        f.write("\n".join(vocab()) + "\n")
    with open(os.path.join(directory, "tokenizer_config.json"), "w") as f:
        json.dump({"do_lower_case": True, "model_max_length": 64, "tokenizer_class": "BertTokenizer",
                   "unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]",
                   "mask_token": "[MASK]"}, f)


def make(model_class, labels, name, seed, head_scale, layer_scale=None):
    torch.manual_seed(seed)
    model = model_class(tiny_config(labels)).eval()
    with torch.no_grad():
        # Random init gives near-uniform logits. Large word embeddings (small layers keep them
        # visible through the residual stream) and a large head make varied predictions.
        for n, p in model.named_parameters():
            if n.endswith("word_embeddings.weight"):
                p.normal_(0, 1.0)
            elif n.startswith("classifier.weight"):
                p.normal_(0, head_scale)
            elif n.startswith("classifier.bias"):
                p.normal_(0, 0.5)
            elif layer_scale and n.endswith(".weight") and "LayerNorm" not in n:
                # The sequence head reads only [CLS]: strong layers carry the text into it.
                p.normal_(0, layer_scale)
    directory = os.path.join(ROOT, name)
    os.makedirs(directory, exist_ok=True)
    model.save_pretrained(directory)
    write_tokenizer(directory)
    for extra in ["generation_config.json"]:
        if os.path.exists(os.path.join(directory, extra)):
            os.remove(os.path.join(directory, extra))
    return directory


def plain(x):
    """Pipeline outputs as JSON-ready values (numpy floats to Python floats)."""
    if isinstance(x, list):
        return [plain(v) for v in x]
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    if hasattr(x, "item"):
        return x.item()
    return x


def main():
    ner_dir = make(BertForTokenClassification, NER_LABELS, "tiny-ner", seed=1, head_scale=1.5)
    sent_dir = make(BertForSequenceClassification, SENT_LABELS, "tiny-sentiment", seed=2, head_scale=1.5,
                    layer_scale=0.3)
    tokenizer = BertTokenizerFast.from_pretrained(ner_dir)
    out = {"sentences": SENTENCES, "texts": TEXTS, "tokenClassification": {}, "tokens": []}
    for s in SENTENCES:
        out["tokens"].append(tokenizer(s).tokens())
    for strategy in ["none", "simple", "first", "average", "max"]:
        ner = pipeline("token-classification", model=BertForTokenClassification.from_pretrained(ner_dir),
                       tokenizer=tokenizer, aggregation_strategy=strategy, device="cpu")
        out["tokenClassification"][strategy] = [plain(ner(s)) for s in SENTENCES]
    cls_model = BertForSequenceClassification.from_pretrained(sent_dir)
    clf = pipeline("text-classification", model=cls_model, tokenizer=tokenizer, device="cpu")
    out["textClassification"] = {"default": [plain(clf(t)) for t in TEXTS],
                                 "all": [plain(clf(t, top_k=None)) for t in TEXTS],
                                 "top2": [plain(clf(t, top_k=2)) for t in TEXTS],
                                 "pairs": [plain(clf({"text": a, "text_pair": b}, top_k=None)) for a, b in PAIRS]}
    out["pairs"] = [list(p) for p in PAIRS]
    with open(os.path.join(ROOT, "pipelines-reference.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"), ensure_ascii=False)
    # A summary so a maintainer sees the predictions are varied.
    for strategy in ["none", "simple"]:
        labels = [e.get("entity", e.get("entity_group")) for r in out["tokenClassification"][strategy] for e in r]
        print(strategy, len(labels), "entities:", {l: labels.count(l) for l in sorted(set(labels))})
    print("text:", [r[0]["label"] for r in out["textClassification"]["default"]])
    # Committed as weights.safetensors: the repository keeps no file named model.safetensors
    # (that name is reserved for real checkpoints, which never go into git). The Swift tests
    # assemble a checkpoint directory from it (FixtureSupport.checkpointURL).
    for d in (ner_dir, sent_dir):
        os.replace(os.path.join(d, "model.safetensors"), os.path.join(d, "weights.safetensors"))


if __name__ == "__main__":
    main()

"""Writes Tests/ModelsTests/Fixtures/module_tree.json: what `print(model)` shows in PyTorch for
BERT models of a few configurations (the MiniLM shape with 2 and 9 labels, a one-layer model,
hidden_act relu, a classifier_dropout, layer_norm_eps 1e-5), so the Swift module tree can be
compared character for character.
Run: .venv/bin/python Scripts/models_module_tree_fixtures.py
"""
import json
import os

from transformers import BertConfig, BertForSequenceClassification, BertForTokenClassification, BertModel

MINILM = dict(vocab_size=30522, hidden_size=384, num_hidden_layers=6, num_attention_heads=12,
              intermediate_size=1536, max_position_embeddings=512)
TINY = dict(vocab_size=100, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
            intermediate_size=32, max_position_embeddings=64)
cases = [
    ("minilm_seq2", "sequence", dict(MINILM, num_labels=2)),
    ("minilm_token9", "token", dict(MINILM, num_labels=9)),
    ("minilm_base", "base", dict(MINILM)),
    ("tiny_seq3_relu", "sequence", dict(TINY, num_labels=3, hidden_act="relu", classifier_dropout=0.2,
                                        layer_norm_eps=1e-5, hidden_dropout_prob=0.0, pad_token_id=1)),
    ("tiny_token_2layers", "token", dict(TINY, num_hidden_layers=2, num_labels=2, type_vocab_size=1)),
]
out = []
for name, kind, kw in cases:
    config = BertConfig(**kw)
    cls = {"sequence": BertForSequenceClassification, "token": BertForTokenClassification, "base": BertModel}[kind]
    out.append({"name": name, "kind": kind, "config": config.to_dict(), "printed": str(cls(config))})
path = os.path.join(os.path.dirname(__file__), "..", "Tests", "ModelsTests", "Fixtures", "module_tree.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", path, len(out), "cases")

"""Reference fixtures for DistilBERT (Tests/ModelsTests/Fixtures/distil_*), from PyTorch and
Hugging Face transformers, for the Swift models on the shared encoder (issue 28).

Produces, for a seeded, randomly initialised tiny DistilBERT (dim 32, 2 layers, 4 heads,
hidden_dim 64, vocab 64, 16 positions, every dropout 0 so train mode is deterministic):
  - distil_seq.safetensors / distil_token.safetensors: the checkpoints as `save_pretrained`
    writes them (DistilBertForSequenceClassification with 3 labels, DistilBertForTokenClassification
    with 5 labels).
  - distil_seq.json / distil_token.json: the config.json transformers writes, the batch (ids and
    mask; the tokenizer returns no token_type_ids), labels, logits, loss, the gradient of every
    parameter after loss.backward() (6 significant digits, to keep the files small), the encoder's
    last_hidden_state in eval mode, and the key set of config.json and the tensor names of
    model.safetensors as `save_pretrained` writes them.

With --check DIR (a folder a Swift test saved with savePretrained), loads it instead with
transformers' Auto class and prints the max-abs-diff of its logits against the fixture's.

With --bench DIR [--layers N], writes instead the benchmark's checkpoint to DIR (never committed:
give a temporary or cache folder): a seeded, randomly initialised DistilBertForSequenceClassification
at distilbert-base's layer sizes (dim 768, 12 heads, hidden_dim 3072, vocab 30522, 512 positions,
its default dropouts) with N layers (default 2) and 2 labels, as `save_pretrained` writes it, for
`bench train|infer --model distilbert --checkpoint DIR` and Scripts/bench/engine_torch_bench.py.

Python: .venv/bin/python at the package root, or $COURSE_PYTHON; needs torch, transformers, safetensors.
Run:    .venv/bin/python Scripts/distilbert_fixtures.py [--check DIR | --bench DIR [--layers 2]]
"""
import argparse
import json
import os
import tempfile

import torch
from safetensors import safe_open
from transformers import (AutoModelForSequenceClassification, AutoModelForTokenClassification, DistilBertConfig,
                          DistilBertForSequenceClassification, DistilBertForTokenClassification)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = os.path.join(ROOT, "Tests", "ModelsTests", "Fixtures")

# The BERT fixtures' padded batch (rows 1 and 2 end in padding).
IDS = [[2, 17, 33, 9, 41, 5, 3, 12],
       [2, 8, 60, 22, 3, 0, 0, 0],
       [2, 50, 7, 3, 19, 27, 3, 0]]
MASK = [[1] * 8, [1, 1, 1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1, 0]]
TOKEN_LABELS = [[-100, 1, 2, 0, 4, 3, -100, 0],
                [-100, 0, 1, -100, -100, -100, -100, -100],
                [-100, 3, 4, -100, 0, 2, -100, -100]]
SEQ_LABELS = [2, 0, 1]


def tiny_config(num_labels):
    return DistilBertConfig(vocab_size=64, dim=32, n_layers=2, n_heads=4, hidden_dim=64, max_position_embeddings=16,
                            dropout=0.0, attention_dropout=0.0, seq_classif_dropout=0.0, num_labels=num_labels,
                            initializer_range=0.2,
                            attn_implementation="eager")


def flat(t, digits=None):
    values = [float(x) for x in t.detach().reshape(-1).tolist()]
    return values if digits is None else [float(f"{x:.{digits}g}") for x in values]


def dump(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def batch():
    return dict(input_ids=torch.tensor(IDS), attention_mask=torch.tensor(MASK))


def randomize(model):
    """Spreads the weights (initializer_range 0.2 instead of 0.02) and makes every bias and
    LayerNorm non-trivial, so logits and gradients exercise each path with O(1) values."""
    with torch.no_grad():
        for n, p in model.named_parameters():
            if n.endswith("bias"):
                p.normal_(0.0, 0.1)
            elif "LayerNorm" in n or "layer_norm" in n:
                p.copy_(1.0 + 0.1 * torch.randn_like(p))
    return model


def fixture(model, labels, name):
    printed = str(model)
    with torch.random.fork_rng():  # leaves the seeded stream to `randomize`
        printed_default = str(type(model)(DistilBertConfig(n_layers=1, num_labels=4)))
    randomize(model)
    with tempfile.TemporaryDirectory() as tmp:
        model.save_pretrained(tmp)
        with open(os.path.join(tmp, "config.json")) as f:
            config = json.load(f)
        with safe_open(os.path.join(tmp, "model.safetensors"), "pt") as f:
            tensor_names = sorted(f.keys())
        os.replace(os.path.join(tmp, "model.safetensors"), os.path.join(MODELS, f"{name}.safetensors"))
    os.chmod(os.path.join(MODELS, f"{name}.safetensors"), 0o644)
    model.eval()
    with torch.no_grad():
        hidden = model.distilbert(**batch()).last_hidden_state
    model.train()
    model.zero_grad()
    out = model(**batch(), labels=torch.tensor(labels))
    out.loss.backward()
    dump(os.path.join(MODELS, f"{name}.json"), dict(
        printed=printed, printed_default=printed_default, config=config, saved_config_keys=sorted(config.keys()), saved_tensor_names=tensor_names,
        input_ids=IDS, attention_mask=MASK, labels=labels,
        hidden_shape=list(hidden.shape), last_hidden_state=flat(hidden),
        loss=float(out.loss.detach()), logits=flat(out.logits), logits_shape=list(out.logits.shape),
        grads={n: flat(p.grad, 6) for n, p in model.named_parameters()}))


def check(directory):
    """Loads a Swift-saved folder with the Auto classes and compares its logits with the fixture's."""
    with open(os.path.join(directory, "config.json")) as f:
        arch = json.load(f)["architectures"][0]
    auto, name = ((AutoModelForTokenClassification, "distil_token") if "Token" in arch
                  else (AutoModelForSequenceClassification, "distil_seq"))
    model = auto.from_pretrained(directory, attn_implementation="eager").eval()
    with open(os.path.join(MODELS, f"{name}.json")) as f:
        fx = json.load(f)
    with torch.no_grad():
        logits = flat(model(**batch()).logits)
    diff = max(abs(a - b) for a, b in zip(logits, fx["logits"]))
    print(f"{type(model).__name__} from {directory}: logits max-abs-diff {diff:.3g}")
    if diff > 1e-5:
        raise SystemExit("logits differ")


def bench_checkpoint(directory, layers):
    """The benchmark's model: distilbert-base's layer sizes with `layers` layers, seeded, 2 labels."""
    torch.manual_seed(2)
    model = DistilBertForSequenceClassification(DistilBertConfig(n_layers=layers, num_labels=2))
    model.save_pretrained(directory)
    count = sum(p.numel() for p in model.parameters())
    print(f"wrote {directory}: DistilBertForSequenceClassification, {layers} layers, {count:,} parameters")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", help="a folder saved by the Swift savePretrained")
    ap.add_argument("--bench", help="write the benchmark checkpoint to this folder (not into the repository)")
    ap.add_argument("--layers", type=int, default=2, help="layers of the benchmark checkpoint")
    args = ap.parse_args()
    if args.check:
        return check(args.check)
    if args.bench:
        return bench_checkpoint(args.bench, args.layers)
    os.makedirs(MODELS, exist_ok=True)
    torch.manual_seed(0)
    fixture(DistilBertForSequenceClassification(tiny_config(3)), SEQ_LABELS, "distil_seq")
    torch.manual_seed(1)
    fixture(DistilBertForTokenClassification(tiny_config(5)), TOKEN_LABELS, "distil_token")


if __name__ == "__main__":
    main()

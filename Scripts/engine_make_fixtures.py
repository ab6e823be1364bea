"""Reference fixtures for the BERT engine (Tests/ModelsTests/Fixtures, Tests/TrainingTests/Fixtures).

Produces, from the real PyTorch + Hugging Face transformers implementation:
  - tiny_token.safetensors / tiny_seq.safetensors: weights of a tiny random BERT
    (2 layers, hidden 32, 4 heads, FFN 64, vocab 64) with a token-classification head (5 labels)
    and a sequence-classification head (3 labels); tiny_token also carries the I64
    `bert.embeddings.position_ids` tensor real checkpoints have, which a loader must skip.
  - tiny_token.json / tiny_seq.json: config, a padded batch (ids, mask, token types, labels with
    -100), logits, loss and the gradient of every parameter after loss.backward().
  - Tests/TrainingTests/Fixtures/adamw_trajectory.json: 5 AdamW steps (lr 1e-3, weight decay 0.01
    except biases and LayerNorm weights, linear schedule with 2 warmup steps, clip at 1.0) on the
    tiny token model: losses, learning rates, gradient norms and final classifier weights.
  - minilm_hidden.json: last_hidden_state and pooler_output of all-MiniLM-L6-v2 (from the mirror)
    for 3 sentences (input ids stored, so the Swift test needs no tokenizer).

Needs: torch, transformers, safetensors, numpy (the project's /work/venv has them).
Run:   /work/venv/bin/python Scripts/engine_make_fixtures.py [--mirror /work/shared/mirror]
"""
import argparse
import json
import os

import torch
from safetensors.torch import save_file
from transformers import (BertConfig, BertForSequenceClassification, BertForTokenClassification,
                          BertModel, BertTokenizerFast, get_linear_schedule_with_warmup)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = os.path.join(ROOT, "Tests", "ModelsTests", "Fixtures")
TRAINING = os.path.join(ROOT, "Tests", "TrainingTests", "Fixtures")


def flat(t):
    return [float(x) for x in t.detach().reshape(-1).tolist()]


def dump(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def tiny_config(num_labels):
    return BertConfig(vocab_size=64, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                      intermediate_size=64, max_position_embeddings=16, type_vocab_size=2,
                      hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0, num_labels=num_labels,
                      attn_implementation="eager")


# A padded batch: row 1 and 2 end in padding; row 2 is a sentence pair (token types 1).
IDS = [[2, 17, 33, 9, 41, 5, 3, 12],
       [2, 8, 60, 22, 3, 0, 0, 0],
       [2, 50, 7, 3, 19, 27, 3, 0]]
MASK = [[1] * 8, [1, 1, 1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1, 0]]
TYPES = [[0] * 8, [0] * 8, [0, 0, 0, 0, 1, 1, 1, 0]]
TOKEN_LABELS = [[-100, 1, 2, 0, 4, 3, -100, 0],
                [-100, 0, 1, -100, -100, -100, -100, -100],
                [-100, 3, 4, -100, 0, 2, -100, -100]]
SEQ_LABELS = [2, 0, 1]


def batch():
    return dict(input_ids=torch.tensor(IDS), attention_mask=torch.tensor(MASK), token_type_ids=torch.tensor(TYPES))


def state(model):
    return {k: v.detach().contiguous() for k, v in model.state_dict().items()}


def gradient_fixture(model, labels, name, extra=None):
    model.train()
    out = model(**batch(), labels=torch.tensor(labels))
    out.loss.backward()
    grads = {n: flat(p.grad) for n, p in model.named_parameters()}
    tensors = state(model)
    if extra:
        tensors.update(extra)
    save_file(tensors, os.path.join(MODELS, f"{name}.safetensors"))
    dump(os.path.join(MODELS, f"{name}.json"), dict(
        input_ids=IDS, attention_mask=MASK, token_type_ids=TYPES, labels=labels,
        loss=float(out.loss), logits=flat(out.logits), logits_shape=list(out.logits.shape), grads=grads))


def adamw_trajectory():
    torch.manual_seed(0)
    model = BertForTokenClassification(tiny_config(5))
    model.train()
    decay = [p for n, p in model.named_parameters() if not (n.endswith("bias") or "LayerNorm" in n)]
    no_decay = [p for n, p in model.named_parameters() if n.endswith("bias") or "LayerNorm" in n]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=1e-3, betas=(0.9, 0.999), eps=1e-8, foreach=False, fused=False)
    sched = get_linear_schedule_with_warmup(opt, num_warmup_steps=2, num_training_steps=5)
    losses, lrs, norms = [], [], []
    for _ in range(5):
        out = model(**batch(), labels=torch.tensor(TOKEN_LABELS))
        out.loss.backward()
        norms.append(float(torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)))
        lrs.append(sched.get_last_lr()[0])
        opt.step()
        sched.step()
        opt.zero_grad()
        losses.append(float(out.loss))
    dump(os.path.join(TRAINING, "adamw_trajectory.json"), dict(
        lr=1e-3, weight_decay=0.01, warmup=2, total=5, max_grad_norm=1.0,
        input_ids=IDS, attention_mask=MASK, token_type_ids=TYPES, labels=TOKEN_LABELS,
        losses=losses, lrs=lrs, grad_norms=norms,
        final_classifier_weight=flat(model.classifier.weight), final_classifier_bias=flat(model.classifier.bias)))


def minilm(mirror):
    path = os.path.join(mirror, "models", "sentence-transformers", "all-MiniLM-L6-v2")
    tok = BertTokenizerFast.from_pretrained(path)
    sentences = ["EU rejects German call to boycott British lamb.",
                 "Peter Blackburn",
                 "The quick brown fox jumps over the lazy dog near the river bank."]
    enc = tok(sentences, padding=True, return_tensors="pt")
    model = BertModel.from_pretrained(path, attn_implementation="eager").eval()
    with torch.no_grad():
        out = model(**enc)
    dump(os.path.join(MODELS, "minilm_hidden.json"), dict(
        sentences=sentences, input_ids=enc["input_ids"].tolist(), attention_mask=enc["attention_mask"].tolist(),
        token_type_ids=enc["token_type_ids"].tolist(), hidden_shape=list(out.last_hidden_state.shape),
        last_hidden_state=flat(out.last_hidden_state), pooler_output=flat(out.pooler_output)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mirror", default=os.environ.get("COURSE_MIRROR", os.path.join(ROOT, "..", "shared", "mirror")))
    args = ap.parse_args()
    os.makedirs(MODELS, exist_ok=True)
    os.makedirs(TRAINING, exist_ok=True)
    torch.manual_seed(0)
    gradient_fixture(BertForTokenClassification(tiny_config(5)), TOKEN_LABELS, "tiny_token",
                     extra={"bert.embeddings.position_ids": torch.arange(16, dtype=torch.int64).unsqueeze(0)})
    torch.manual_seed(1)
    gradient_fixture(BertForSequenceClassification(tiny_config(3)), SEQ_LABELS, "tiny_seq")
    adamw_trajectory()
    minilm(args.mirror)


if __name__ == "__main__":
    main()

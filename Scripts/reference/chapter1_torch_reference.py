"""PyTorch reference run of Chapter 1's fine-tune (token classification on CoNLL-2003).

Produces: one JSON object on stdout (and in --out, default .course/chapter1_torch.json) with the
validation precision, recall, F1 and accuracy (seqeval, default mode, as the chapter computes
them), the per-epoch log history, and the wall-clock seconds of training and of the whole run,
for the table in BENCHMARKS.md.
Configuration (the chapter's): all-MiniLM-L6-v2 with a fresh 9-label token-classification head;
pre-split words tokenized with `is_split_into_words`, every sub-token labelled (a word's later
pieces get the I- tag of its B- label, special tokens -100); transformers.Trainer with learning
rate 1e-4, warmup ratio 0.1 then linear decay, weight decay 0.01, batch 32 (eval 64), 3 epochs,
clip 1.0, grouped by length (transformers 5: train_sampling_strategy), seed 42, evaluation each epoch, no checkpoints; 2 threads.
Needs: torch, transformers, accelerate, seqeval (the project's venv: Scripts/make-venv.sh).
Run:   COURSE_MIRROR=../shared/mirror .venv/bin/python Scripts/reference/chapter1_torch_reference.py [--bf16]
--bf16 trains and evaluates with TrainingArguments(bf16=True) (CPU autocast to bfloat16), the peer of
the Swift recipe with `bf16: true`; its JSON then goes to .course/chapter1_torch_bf16.json by default.
"""
import argparse
import json
import os
import time

import numpy as np
import torch
from seqeval.metrics import accuracy_score, f1_score, precision_score, recall_score
from transformers import (AutoModelForTokenClassification, AutoTokenizer, DataCollatorForTokenClassification,
                          Trainer, TrainingArguments)

LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]


def read_conll(path):
    """Sentences of (words, NER tag ids) from the 4-column CoNLL file, skipping -DOCSTART-."""
    sents, words, tags = [], [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if not parts:
                if words:
                    sents.append((words, tags))
                    words, tags = [], []
                continue
            if parts[0] == "-DOCSTART-":
                continue
            words.append(parts[0])
            tags.append(LABELS.index(parts[3]))
    if words:
        sents.append((words, tags))
    return sents


def align(labels, word_ids):
    out, previous = [], None
    for w in word_ids:
        if w is None:
            out.append(-100)
        elif w != previous:
            out.append(labels[w])
        else:
            label = labels[w]
            out.append(label + 1 if label % 2 == 1 else label)  # B-X → I-X inside a word
        previous = w
    return out


class Rows(torch.utils.data.Dataset):
    def __init__(self, rows):
        self.rows = rows

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        return self.rows[i]


def tokenize(tokenizer, sents):
    enc = tokenizer([w for w, _ in sents], is_split_into_words=True)
    rows = []
    for i, (_, tags) in enumerate(sents):
        rows.append({"input_ids": enc["input_ids"][i], "attention_mask": enc["attention_mask"][i],
                     "token_type_ids": enc["token_type_ids"][i], "labels": align(tags, enc.word_ids(i))})
    return Rows(rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mirror", default=os.environ.get("COURSE_MIRROR", "../shared/mirror"))
    ap.add_argument("--out", default=None)
    ap.add_argument("--bf16", action="store_true")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=float, default=3)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    start = time.time()
    model_dir = os.path.join(a.mirror, "models/sentence-transformers/all-MiniLM-L6-v2")
    data_dir = os.path.join(a.mirror, "datasets/conll2003")
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    train = tokenize(tokenizer, read_conll(os.path.join(data_dir, "train.txt")))
    valid = tokenize(tokenizer, read_conll(os.path.join(data_dir, "valid.txt")))
    model = AutoModelForTokenClassification.from_pretrained(
        model_dir, id2label=dict(enumerate(LABELS)), label2id={l: i for i, l in enumerate(LABELS)})

    def compute_metrics(p):
        logits, labels = p
        preds = np.argmax(logits, axis=-1)
        true = [[LABELS[l] for l in row if l != -100] for row in labels]
        pred = [[LABELS[q] for q, l in zip(prow, row) if l != -100] for prow, row in zip(preds, labels)]
        return {"precision": precision_score(true, pred), "recall": recall_score(true, pred),
                "f1": f1_score(true, pred), "accuracy": accuracy_score(true, pred)}

    args = TrainingArguments(
        output_dir=".course/chapter1-torch", eval_strategy="epoch", save_strategy="no", logging_strategy="epoch",
        learning_rate=1e-4, warmup_steps=0.1, weight_decay=0.01, per_device_train_batch_size=32,
        per_device_eval_batch_size=64, num_train_epochs=a.epochs, max_grad_norm=1.0, train_sampling_strategy="group_by_length",
        seed=42, report_to=[], use_cpu=True, disable_tqdm=True, dataloader_num_workers=0, bf16=a.bf16)
    trainer = Trainer(model=model, args=args, train_dataset=train, eval_dataset=valid,
                      data_collator=DataCollatorForTokenClassification(tokenizer), compute_metrics=compute_metrics)
    t0 = time.time()
    trainer.train()
    train_seconds = time.time() - t0
    final = trainer.evaluate()
    result = {
        "torch": torch.__version__, "threads": a.threads, "epochs": a.epochs, "bf16": a.bf16,
        "train_seconds": round(train_seconds, 1), "total_seconds": round(time.time() - start, 1),
        "eval_precision": final["eval_precision"], "eval_recall": final["eval_recall"],
        "eval_f1": final["eval_f1"], "eval_accuracy": final["eval_accuracy"], "eval_loss": final["eval_loss"],
        "log_history": trainer.state.log_history,
    }
    a.out = a.out or (".course/chapter1_torch_bf16.json" if a.bf16 else ".course/chapter1_torch.json")
    os.makedirs(os.path.dirname(a.out) or ".", exist_ok=True)
    with open(a.out, "w") as f:
        json.dump(result, f, indent=1)
    print(json.dumps({k: v for k, v in result.items() if k != "log_history"}))


if __name__ == "__main__":
    main()

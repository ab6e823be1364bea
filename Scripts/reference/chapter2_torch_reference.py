"""PyTorch reference run of Chapter 2's fine-tune (sentence pairs, GLUE MRPC, with the Trainer).

Produces: one JSON object on stdout (and in --out, default .course/chapter2_torch_seed<N>.json)
with the validation accuracy and F1 (as `evaluate.load("glue", "mrpc")` computes them:
scikit-learn accuracy and binary F1), the per-epoch log history, the wall-clock and CPU seconds
of training and of the whole run, and the peak resident memory, for the table in BENCHMARKS.md.
Configuration (the chapter's second, evaluated run): all-MiniLM-L6-v2 with a fresh 2-label
sequence-classification head; MRPC pairs tokenized as `tokenizer(sentence1, sentence2,
truncation=True)` from the original GLUE TSV files (the mirror's), padded per batch by the
Trainer's default collator (DataCollatorWithPadding, because a tokenizer is given); learning rate
1e-4, warmup ratio 0.1 then linear decay, weight decay 0.01, batch 32 (eval 64), 2 epochs, clip
1.0, grouped by length (transformers 5: train_sampling_strategy), evaluation each epoch, no
checkpoints; 2 threads.
Needs: torch, transformers, accelerate, scikit-learn (the project's venv: Scripts/make-venv.sh).
Run:   COURSE_MIRROR=../shared/mirror .venv/bin/python Scripts/reference/chapter2_torch_reference.py --seed 42
"""
import argparse
import csv
import json
import os
import resource
import time

import numpy as np
import torch
from sklearn.metrics import accuracy_score, f1_score
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments


def read_mrpc(path):
    """(sentence1, sentence2, label) rows of a GLUE MRPC TSV file (UTF-8 BOM, quoting off)."""
    with open(path, encoding="utf-8-sig") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [(r[3], r[4], int(r[0])) for r in rows[1:]]


class Rows(torch.utils.data.Dataset):
    def __init__(self, rows):
        self.rows = rows

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        return self.rows[i]


def tokenize(tokenizer, pairs):
    enc = tokenizer([a for a, _, _ in pairs], [b for _, b, _ in pairs], truncation=True)
    return Rows([{"input_ids": enc["input_ids"][i], "token_type_ids": enc["token_type_ids"][i],
                  "attention_mask": enc["attention_mask"][i], "labels": y} for i, (_, _, y) in enumerate(pairs)])


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mirror", default=os.environ.get("COURSE_MIRROR", "../shared/mirror"))
    ap.add_argument("--out", default=None)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=float, default=2)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    start, start_cpu = time.time(), cpu_seconds()
    model_dir = os.path.join(a.mirror, "models/sentence-transformers/all-MiniLM-L6-v2")
    data_dir = os.path.join(a.mirror, "datasets/glue/mrpc")
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    train = tokenize(tokenizer, read_mrpc(os.path.join(data_dir, "train.tsv")))
    valid = tokenize(tokenizer, read_mrpc(os.path.join(data_dir, "dev.tsv")))
    model = AutoModelForSequenceClassification.from_pretrained(model_dir, num_labels=2)

    def compute_metrics(p):
        logits, labels = p
        preds = np.argmax(logits, axis=-1)
        return {"accuracy": float(accuracy_score(labels, preds)), "f1": float(f1_score(labels, preds))}

    args = TrainingArguments(
        output_dir=".course/chapter2-torch", eval_strategy="epoch", save_strategy="no", logging_strategy="epoch",
        learning_rate=1e-4, warmup_steps=0.1, weight_decay=0.01, per_device_train_batch_size=32,
        per_device_eval_batch_size=64, num_train_epochs=a.epochs, max_grad_norm=1.0,
        train_sampling_strategy="group_by_length", seed=a.seed, report_to=[], use_cpu=True, disable_tqdm=True,
        dataloader_num_workers=0)
    # No data_collator: given the tokenizer, the Trainer pads each batch with DataCollatorWithPadding.
    trainer = Trainer(model=model, args=args, train_dataset=train, eval_dataset=valid,
                      processing_class=tokenizer, compute_metrics=compute_metrics)
    t0, c0 = time.time(), cpu_seconds()
    trainer.train()
    train_seconds, train_cpu = time.time() - t0, cpu_seconds() - c0
    final = trainer.evaluate()
    result = {
        "torch": torch.__version__, "threads": a.threads, "epochs": a.epochs, "seed": a.seed,
        "train_seconds": round(train_seconds, 1), "train_cpu_seconds": round(train_cpu, 1),
        "total_seconds": round(time.time() - start, 1), "total_cpu_seconds": round(cpu_seconds() - start_cpu, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "eval_accuracy": final["eval_accuracy"], "eval_f1": final["eval_f1"], "eval_loss": final["eval_loss"],
        "log_history": trainer.state.log_history,
    }
    out = a.out or f".course/chapter2_torch_seed{a.seed}.json"
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    with open(out, "w") as f:
        json.dump(result, f, indent=1)
    print(json.dumps({k: v for k, v in result.items() if k != "log_history"}))


if __name__ == "__main__":
    main()

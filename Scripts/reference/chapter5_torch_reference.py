"""PyTorch reference run of Chapter 5's fine-tune (IMDb sentiment, sequence classification).

Produces: one JSON object on stdout (and in --out, default .course/chapter5_torch.json) with the
test accuracy and confusion matrix on the chapter's 1,000 test reviews, the best checkpoint and
its validation accuracy, the log history, the TensorBoard scalar tags it wrote, and the
wall-clock seconds of training and of the whole run, for the table in BENCHMARKS.md.
Configuration (the chapter's): the IMDb train split shuffled with seed 42, its first 2,000
reviews split 70/30 into train and validation (`train_test_split(test_size=0.3, seed=42)`);
the test split shuffled with seed 42, its first 1,000 reviews; reviews truncated to 128 tokens,
padded per batch (DataCollatorWithPadding); all-MiniLM-L6-v2 with a fresh 2-label head
(`model_init`); transformers.Trainer with learning rate 5e-5, warmup 10% then linear decay,
weight decay 0.01, batch 16 (eval 64), 2 epochs, clip 1.0, seed 42; evaluation, logging and
checkpoints every 50 steps, the best validation accuracy loaded at the end, at most 2
checkpoints kept, TensorBoard logs; 2 threads.
Needs: torch, transformers, accelerate, datasets, tensorboard (the reference venv: Scripts/make-venv.sh).
Run:   COURSE_MIRROR=../shared/mirror .venv/bin/python Scripts/reference/chapter5_torch_reference.py
"""
import argparse
import glob
import json
import os
import time

import numpy as np
import torch
from datasets import load_dataset
from transformers import (AutoModelForSequenceClassification, AutoTokenizer, DataCollatorWithPadding, Trainer,
                          TrainingArguments)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mirror", default=os.environ.get("COURSE_MIRROR", "../shared/mirror"))
    ap.add_argument("--out", default=".course/chapter5_torch.json")
    ap.add_argument("--output-dir", default=".course/chapter5-torch")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    start = time.time()
    model_dir = os.path.join(a.mirror, "models/sentence-transformers/all-MiniLM-L6-v2")
    data_dir = os.path.join(a.mirror, "datasets/stanfordnlp/imdb/plain_text")
    raw = load_dataset("parquet", data_files={"train": os.path.join(data_dir, "train-00000-of-00001.parquet"),
                                              "test": os.path.join(data_dir, "test-00000-of-00001.parquet")})
    subset = raw["train"].shuffle(seed=42).select(range(2000))
    split = subset.train_test_split(test_size=0.3, seed=42)
    test = raw["test"].shuffle(seed=42).select(range(1000))
    tokenizer = AutoTokenizer.from_pretrained(model_dir)

    def tokenize(batch):
        return tokenizer(batch["text"], truncation=True, max_length=128)

    train = split["train"].map(tokenize, batched=True, remove_columns=["text"])
    valid = split["test"].map(tokenize, batched=True, remove_columns=["text"])
    test_tok = test.map(tokenize, batched=True, remove_columns=["text"])

    def model_init():
        return AutoModelForSequenceClassification.from_pretrained(
            model_dir, num_labels=2, id2label={0: "neg", 1: "pos"}, label2id={"neg": 0, "pos": 1})

    def compute_metrics(p):
        logits, labels = p
        return {"accuracy": float((np.argmax(logits, axis=-1) == labels).mean())}

    args = TrainingArguments(
        output_dir=a.output_dir, eval_strategy="steps", eval_steps=50, logging_steps=50, save_steps=50,
        load_best_model_at_end=True, metric_for_best_model="accuracy", save_total_limit=2,
        learning_rate=5e-5, warmup_steps=0.1, weight_decay=0.01, per_device_train_batch_size=16,
        per_device_eval_batch_size=64, num_train_epochs=2, max_grad_norm=1.0, seed=42,
        report_to=["tensorboard"], use_cpu=True, disable_tqdm=True, dataloader_num_workers=0)
    trainer = Trainer(model_init=model_init, args=args, train_dataset=train, eval_dataset=valid,
                      data_collator=DataCollatorWithPadding(tokenizer), compute_metrics=compute_metrics)
    t0 = time.time()
    trainer.train()
    train_seconds = time.time() - t0
    out = trainer.predict(test_tok)
    preds = np.argmax(out.predictions, axis=-1)
    labels = out.label_ids
    confusion = [[int(((labels == t) & (preds == p)).sum()) for p in (0, 1)] for t in (0, 1)]

    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    run_dirs = sorted(glob.glob(os.path.join(a.output_dir, "runs", "*")))
    tags = []
    if run_dirs:
        acc = EventAccumulator(run_dirs[-1], size_guidance={"scalars": 0})
        acc.Reload()
        tags = sorted(acc.Tags()["scalars"])
    result = {
        "torch": torch.__version__, "threads": a.threads,
        "train_rows": len(train), "validation_rows": len(valid), "test_rows": len(test_tok),
        "global_step": trainer.state.global_step,
        "train_seconds": round(train_seconds, 1), "total_seconds": round(time.time() - start, 1),
        "best_model_checkpoint": trainer.state.best_model_checkpoint, "best_metric": trainer.state.best_metric,
        "test_accuracy": out.metrics["test_accuracy"], "test_loss": out.metrics["test_loss"],
        "confusion": confusion, "checkpoints_left": sorted(os.listdir(a.output_dir)),
        "tensorboard_scalar_tags": tags, "log_history": trainer.state.log_history,
    }
    os.makedirs(os.path.dirname(a.out) or ".", exist_ok=True)
    with open(a.out, "w") as f:
        json.dump(result, f, indent=1)
    print(json.dumps({k: v for k, v in result.items() if k != "log_history"}))


if __name__ == "__main__":
    main()

"""Python's Trainer taking run_glue.py's steps on GLUE MRPC, offline: the reference side of
Scripts/reference/finetune_vs_python_trainer.sh.

The steps are run_glue's (transformers examples/pytorch/text-classification), written out for
one task so that nothing is fetched: the data from the Parquet files the Hub serves (a local
copy), the GLUE MRPC metric computed as `evaluate`'s glue module computes it (accuracy, and
scikit-learn's F1 of the positive class), the model from a local folder.
  set_seed -> config (num_labels, finetuning_task) -> tokenizer -> model -> label2id/id2label
  -> tokenize pairs (truncation to max_seq_length, no padding: the Trainer's default
  DataCollatorWithPadding pads per batch, as run_glue with --pad_to_max_length False)
  -> Trainer.train -> save_model -> log/save_metrics("train") -> save_state
  -> evaluate -> log/save_metrics("eval")

Usage: .venv/bin/python Scripts/reference/run_glue_steps.py --model DIR --data DIR --output_dir DIR
       [--epochs 3] [--batch 32] [--lr 2e-5] [--max_seq_length 128] [--seed 42]
"""
import argparse
import glob
import os

import numpy as np
from datasets import load_dataset
from sklearn.metrics import f1_score
from transformers import (AutoConfig, AutoModelForSequenceClassification, AutoTokenizer, Trainer,
                          TrainingArguments, set_seed)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--data", required=True, help="folder with train-*.parquet and validation-*.parquet")
    p.add_argument("--output_dir", required=True)
    p.add_argument("--epochs", type=float, default=3)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=2e-5)
    p.add_argument("--max_seq_length", type=int, default=128)
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()

    files = {split: sorted(glob.glob(os.path.join(a.data, f"{split}-*.parquet"))) for split in ("train", "validation")}
    raw = load_dataset("parquet", data_files=files)
    label_list = raw["train"].features["label"].names

    set_seed(a.seed)
    config = AutoConfig.from_pretrained(a.model, num_labels=len(label_list), finetuning_task="mrpc")
    tokenizer = AutoTokenizer.from_pretrained(a.model)
    model = AutoModelForSequenceClassification.from_pretrained(a.model, config=config)
    model.config.label2id = {name: i for i, name in enumerate(label_list)}
    model.config.id2label = {i: name for i, name in enumerate(label_list)}

    def preprocess(batch):
        return tokenizer(batch["sentence1"], batch["sentence2"], padding=False, max_length=a.max_seq_length,
                         truncation=True)

    data = raw.map(preprocess, batched=True)

    def compute_metrics(p):
        preds = np.argmax(p.predictions, axis=1)
        result = {"accuracy": float((preds == p.label_ids).mean()), "f1": float(f1_score(p.label_ids, preds))}
        result["combined_score"] = float(np.mean(list(result.values())))
        return result

    args = TrainingArguments(output_dir=a.output_dir, do_train=True, do_eval=True, per_device_train_batch_size=a.batch,
                             learning_rate=a.lr, num_train_epochs=a.epochs, seed=a.seed, report_to="none")
    trainer = Trainer(model=model, args=args, train_dataset=data["train"], eval_dataset=data["validation"],
                      compute_metrics=compute_metrics, processing_class=tokenizer)
    train_result = trainer.train()
    metrics = train_result.metrics
    metrics["train_samples"] = len(data["train"])
    trainer.save_model()
    trainer.log_metrics("train", metrics)
    trainer.save_metrics("train", metrics)
    trainer.save_state()

    metrics = trainer.evaluate(eval_dataset=data["validation"])
    metrics["eval_samples"] = len(data["validation"])
    trainer.log_metrics("eval", metrics)
    trainer.save_metrics("eval", metrics)


if __name__ == "__main__":
    main()

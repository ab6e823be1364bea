"""Python's Trainer taking run_ner.py's steps on CoNLL-2003, offline: the reference side of
Scripts/reference/finetune_vs_python_ner.sh.

The steps are run_ner's (transformers examples/pytorch/token-classification), written out so
that nothing is fetched: the data from the Parquet files the Hub serves for `conll2003` (a local
copy), seqeval's overall precision/recall/F1/accuracy as run_ner's compute_metrics reports them
(without --return_entity_level_metrics), the model from a local folder.
  set_seed -> label list from the features -> config (num_labels, id2label, label2id,
  finetuning_task "ner") -> tokenizer -> model -> tokenize words (is_split_into_words, truncation,
  no padding) and align labels (first piece of a word keeps its label, the other pieces -100, as
  --label_all_tokens False) -> DataCollatorForTokenClassification -> Trainer.train ->
  save_model -> log/save_metrics("train") -> save_state -> evaluate -> log/save_metrics("eval")

Usage: .venv/bin/python Scripts/reference/run_ner_steps.py --model DIR --data DIR --output_dir DIR
       [--epochs 1] [--batch 16] [--lr 5e-5] [--max_train_samples N] [--max_eval_samples N] [--seed 42]
"""
import argparse
import glob
import os

import numpy as np
from datasets import load_dataset
from seqeval.metrics import accuracy_score, f1_score, precision_score, recall_score
from transformers import (AutoConfig, AutoModelForTokenClassification, AutoTokenizer,
                          DataCollatorForTokenClassification, Trainer, TrainingArguments, set_seed)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--data", required=True, help="folder with train/ and validation/ Parquet folders")
    p.add_argument("--output_dir", required=True)
    p.add_argument("--epochs", type=float, default=1)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=5e-5)
    p.add_argument("--max_train_samples", type=int)
    p.add_argument("--max_eval_samples", type=int)
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()

    files = {split: sorted(glob.glob(os.path.join(a.data, split, "*.parquet"))) for split in ("train", "validation")}
    raw = load_dataset("parquet", data_files=files)
    feature = raw["train"].features["ner_tags"].feature
    label_list = feature.names if hasattr(feature, "names") else sorted({t for row in raw["train"]["ner_tags"] for t in row})
    train, validation = raw["train"], raw["validation"]
    if a.max_train_samples:
        train = train.select(range(min(a.max_train_samples, len(train))))
    if a.max_eval_samples:
        validation = validation.select(range(min(a.max_eval_samples, len(validation))))

    set_seed(a.seed)
    config = AutoConfig.from_pretrained(a.model, num_labels=len(label_list), finetuning_task="ner",
                                        id2label=dict(enumerate(label_list)),
                                        label2id={name: i for i, name in enumerate(label_list)})
    tokenizer = AutoTokenizer.from_pretrained(a.model)
    model = AutoModelForTokenClassification.from_pretrained(a.model, config=config)

    def tokenize_and_align(batch):
        enc = tokenizer(batch["tokens"], padding=False, truncation=True, is_split_into_words=True)
        labels = []
        for i, tags in enumerate(batch["ner_tags"]):
            previous, row = None, []
            for word in enc.word_ids(batch_index=i):
                row.append(-100 if word is None or word == previous else tags[word])
                previous = word
            labels.append(row)
        enc["labels"] = labels
        return enc

    columns = train.column_names
    train = train.map(tokenize_and_align, batched=True, remove_columns=columns)
    validation = validation.map(tokenize_and_align, batched=True, remove_columns=columns)

    def compute_metrics(p):
        preds = np.argmax(p.predictions, axis=2)
        true_preds = [[label_list[q] for q, l in zip(pr, la) if l != -100] for pr, la in zip(preds, p.label_ids)]
        true_labels = [[label_list[l] for q, l in zip(pr, la) if l != -100] for pr, la in zip(preds, p.label_ids)]
        return {"precision": precision_score(true_labels, true_preds), "recall": recall_score(true_labels, true_preds),
                "f1": f1_score(true_labels, true_preds), "accuracy": accuracy_score(true_labels, true_preds)}

    args = TrainingArguments(output_dir=a.output_dir, do_train=True, do_eval=True, per_device_train_batch_size=a.batch,
                             learning_rate=a.lr, num_train_epochs=a.epochs, seed=a.seed, report_to="none")
    trainer = Trainer(model=model, args=args, train_dataset=train, eval_dataset=validation,
                      data_collator=DataCollatorForTokenClassification(tokenizer), compute_metrics=compute_metrics,
                      processing_class=tokenizer)
    train_result = trainer.train()
    metrics = train_result.metrics
    metrics["train_samples"] = len(train)
    trainer.save_model()
    trainer.log_metrics("train", metrics)
    trainer.save_metrics("train", metrics)
    trainer.save_state()

    metrics = trainer.evaluate()
    metrics["eval_samples"] = len(validation)
    trainer.log_metrics("eval", metrics)
    trainer.save_metrics("eval", metrics)


if __name__ == "__main__":
    main()

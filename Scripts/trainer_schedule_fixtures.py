"""Reference step/epoch/learning-rate bookkeeping of the Python `transformers.Trainer`.

Produces Tests/TrainingTests/Fixtures/trainer_schedule.json: for a few TrainingArguments
configurations (row count, batch size, gradient accumulation, epochs or max_steps, warmup),
the Trainer's log history reduced to what does not depend on the data order or the weights:
for every logged training step its `step`, `epoch` and `learning_rate`; for every evaluation
its `step` and `epoch`; and the final `global_step`. Configurations with `eval_steps` evaluate
every that many steps (`eval_strategy="steps"`), the others once per epoch. The Swift TrainerTests replay the same
configurations and compare.

Needs: torch, transformers, accelerate (pip install torch transformers accelerate).
Run:   /work/venv/bin/python Scripts/trainer_schedule_fixtures.py
"""
import json
import os
import tempfile

import torch
from transformers import BertConfig, BertForTokenClassification, Trainer, TrainingArguments

CONFIGS = [
    dict(name="accum2_warmup", rows=32, batch=4, accum=2, epochs=3, max_steps=-1, warmup_ratio=0.2, warmup_steps=0),
    dict(name="ragged_accum3", rows=30, batch=4, accum=3, epochs=2.5, max_steps=-1, warmup_ratio=0.0, warmup_steps=2),
    dict(name="max_steps", rows=20, batch=3, accum=1, epochs=3, max_steps=10, warmup_ratio=0.1, warmup_steps=0),
    # Step-wise evaluation: every 4 steps, and (transformers 5) once more at the last step, 14.
    dict(name="eval_steps", rows=20, batch=3, accum=1, epochs=2, max_steps=-1, warmup_ratio=0.0, warmup_steps=0,
         eval_steps=4),
]


class Rows(torch.utils.data.Dataset):
    def __init__(self, n):
        g = torch.Generator().manual_seed(0)
        self.ids = torch.randint(5, 64, (n, 8), generator=g)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(8, dtype=torch.long),
                "labels": self.ids[i] % 3}


def run(c):
    torch.manual_seed(0)
    config = BertConfig(vocab_size=64, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=64, max_position_embeddings=16, num_labels=3)
    model = BertForTokenClassification(config)
    with tempfile.TemporaryDirectory() as out:
        kwargs = dict(output_dir=out, eval_strategy="steps" if c.get("eval_steps") else "epoch",
                      eval_steps=c.get("eval_steps"), save_strategy="no", logging_steps=1,
                      learning_rate=3e-3, num_train_epochs=c["epochs"], max_steps=c["max_steps"],
                      per_device_train_batch_size=c["batch"], per_device_eval_batch_size=5,
                      gradient_accumulation_steps=c["accum"], report_to="none", use_cpu=True,
                      disable_tqdm=True, seed=42)
        # transformers 5 takes a warmup ratio as a float < 1 in warmup_steps.
        kwargs["warmup_steps"] = c["warmup_steps"] or c["warmup_ratio"]
        args = TrainingArguments(**kwargs)
        trainer = Trainer(model=model, args=args, train_dataset=Rows(c["rows"]), eval_dataset=Rows(7))
        trainer.train()
        history = trainer.state.log_history
    logs = [{"step": h["step"], "epoch": h["epoch"], "learning_rate": h["learning_rate"]}
            for h in history if "loss" in h]
    evals = [{"step": h["step"], "epoch": h["epoch"]} for h in history if "eval_loss" in h]
    return dict(c, logs=logs, evals=evals, global_step=trainer.state.global_step)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "Tests", "TrainingTests", "Fixtures", "trainer_schedule.json")
    with open(path, "w") as f:
        json.dump([run(c) for c in CONFIGS], f, separators=(",", ":"))
    print("wrote", os.path.normpath(path))


if __name__ == "__main__":
    main()

"""Reference learning rates of `transformers.get_scheduler`, step by step.

Produces Tests/TrainingTests/Fixtures/schedulers.json: for each schedule name and a few
(learning rate, warmup, total, extra arguments) settings, the rate `get_last_lr()[0]` before
each of total + 3 optimizer steps (so the steps past the end are covered too). The Swift
SchedulerTests build the same schedules with `getScheduler` and compare every rate.

Needs: torch, transformers.   Run: /work/venv/bin/python Scripts/training_scheduler_fixtures.py
"""
import json
import os
import warnings

import torch
from transformers import get_scheduler

CASES = [
    # name, lr, warmup, total, scheduler_specific_kwargs
    ("linear", 5e-5, 0, 12, {}),
    ("linear", 1.0, 3, 10, {}),
    ("cosine", 5e-5, 0, 12, {}),
    ("cosine", 1.0, 4, 17, {}),
    ("cosine", 1.0, 2, 9, {"num_cycles": 1.5}),
    ("cosine_with_restarts", 1.0, 2, 14, {"num_cycles": 3}),
    ("polynomial", 5e-5, 0, 12, {}),
    ("polynomial", 1.0, 3, 11, {"power": 2.0, "lr_end": 0.01}),
    ("polynomial", 2e-3, 1, 7, {"power": 0.5}),
    ("constant", 5e-5, 0, 6, {}),
    ("constant", 1.0, 3, 6, {}),
    ("constant_with_warmup", 1.0, 4, 9, {}),
    ("constant_with_warmup", 5e-5, 1, 5, {}),
    ("inverse_sqrt", 1.0, 3, 12, {}),
    ("inverse_sqrt", 1.0, 2, 10, {"timescale": 5}),
]


def rates(name, lr, warmup, total, kwargs):
    param = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.AdamW([param], lr=lr)
    scheduler = get_scheduler(name, optimizer, num_warmup_steps=warmup, num_training_steps=total,
                              scheduler_specific_kwargs=dict(kwargs) or None)
    out = []
    for _ in range(total + 3):
        out.append(scheduler.get_last_lr()[0])
        optimizer.step()
        scheduler.step()
    return out


def main():
    warnings.simplefilter("ignore")
    cases = [dict(name=n, lr=lr, warmup=w, total=t, kwargs=k, rates=rates(n, lr, w, t, k))
             for n, lr, w, t, k in CASES]
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "Tests", "TrainingTests", "Fixtures", "schedulers.json")
    with open(path, "w") as f:
        json.dump(cases, f, indent=1)
        f.write("\n")
    print("wrote", os.path.normpath(path), len(cases), "schedules")


if __name__ == "__main__":
    main()

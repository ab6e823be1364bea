"""Reads a Swift Trainer run with TensorBoard's own reader and checks it against the log history.

Given an output directory written by a Trainer with `reportTo: [.tensorboard]` and then
`trainer.saveState()` (so `<dir>/trainer_state.json` holds the whole log history), this loads
every run directory under `<dir>/runs/` with `tensorboard`'s EventAccumulator (the reader the
TensorBoard server uses) and checks:
  - the file version TensorBoard read is 2 ("brain.Event:2", the first event);
  - the scalars, as (tag, step, value) triples, are exactly those of the log history: every
    key k of an entry other than "step" under Python's `rewrite_logs` tag (eval_x -> eval/x,
    test_x -> test/x, anything else -> train/k) at the entry's step, with the value as a
    float32 (TensorBoard's simple_value), nothing missing and nothing extra;
  - the text summaries `args/text_summary` and `model_config/text_summary` exist and hold JSON
    (the model config with its hidden_size; the arguments with Python's snake_case names);
  - a run that evaluated and finished has the tags Python's Trainer writes: train/loss,
    train/grad_norm, train/learning_rate, train/epoch, eval/loss, eval/runtime,
    eval/samples_per_second, eval/steps_per_second, train/train_runtime,
    train/train_samples_per_second, train/train_steps_per_second, train/total_flos and
    train/train_loss, besides eval/<metric>.
Prints what it checked and exits 1 on the first kind of mismatch.
Needs: tensorboard, numpy (the reference venv: Scripts/make-venv.sh).
Run:   .venv/bin/python Scripts/reference/tensorboard_check_run.py OUTPUT_DIR
       (chapter 5's run: imdb-minilm in .course/work/<chapter id>/, the id being imdb-sentiment)
"""
import collections
import glob
import json
import os
import sys

import numpy as np
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator


def tag(key):
    if key.startswith("eval_"):
        return "eval/" + key[len("eval_"):]
    if key.startswith("test_"):
        return "test/" + key[len("test_"):]
    return "train/" + key


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: tensorboard_check_run.py OUTPUT_DIR (holding runs/ and trainer_state.json)")
    out = sys.argv[1]
    state_path = os.path.join(out, "trainer_state.json")
    if not os.path.exists(state_path):
        sys.exit(f"{state_path} is missing: call trainer.saveState() after train()")
    with open(state_path) as f:
        history = json.load(f)["log_history"]
    runs = sorted(d for d in glob.glob(os.path.join(out, "runs", "*")) if os.path.isdir(d))
    if not runs:
        sys.exit(f"no run directory under {out}/runs: was the Trainer run with reportTo: [.tensorboard]?")
    expected = collections.Counter()
    for entry in history:
        step = int(entry["step"])
        for key, value in entry.items():
            if key != "step":
                expected[(tag(key), step, float(np.float32(value)))] += 1
    actual = collections.Counter()
    texts = {}
    for run in runs:
        acc = EventAccumulator(run, size_guidance={"scalars": 0, "tensors": 0})
        acc.Reload()
        if acc.file_version != 2.0:
            sys.exit(f"{run}: TensorBoard read file version {acc.file_version}, expected 2 (brain.Event:2)")
        for t in acc.Tags()["scalars"]:
            for s in acc.Scalars(t):
                actual[(t, s.step, float(np.float32(s.value)))] += 1
        for t in acc.Tags()["tensors"]:
            for ev in acc.Tensors(t):
                texts[t] = ev.tensor_proto.string_val[0].decode("utf-8")
    missing, extra = expected - actual, actual - expected
    for name, diff in (("missing from the event files", missing), ("in the event files but not the log history", extra)):
        if diff:
            sample = ", ".join(f"{t}@{s}={v}" for (t, s, v) in sorted(diff)[:5])
            sys.exit(f"{sum(diff.values())} scalars {name}: {sample}")
    for t in ("args/text_summary", "model_config/text_summary"):
        if t not in texts:
            sys.exit(f"no text summary {t}; found {sorted(texts)}")
        json.loads(texts[t])
    if "hidden_size" not in json.loads(texts["model_config/text_summary"]):
        sys.exit("model_config/text_summary has no hidden_size")
    args = json.loads(texts["args/text_summary"])
    if "per_device_train_batch_size" not in args or any(k != k.lower() for k in args):
        sys.exit("args/text_summary is not Python's snake_case arguments JSON")
    tags = sorted({t for (t, _, _) in actual})
    python_tags = {"train/loss", "train/grad_norm", "train/learning_rate", "train/epoch", "eval/loss", "eval/runtime",
                   "eval/samples_per_second", "eval/steps_per_second", "train/train_runtime",
                   "train/train_samples_per_second", "train/train_steps_per_second", "train/total_flos",
                   "train/train_loss"}
    if "eval/loss" in tags and "train/train_loss" in tags and not python_tags <= set(tags):
        sys.exit(f"tags Python's Trainer writes are missing: {sorted(python_tags - set(tags))}")
    print(f"OK: {len(runs)} run(s), file version 2, {sum(actual.values())} scalars in {len(tags)} tags "
          f"equal the {len(history)} log-history entries; text summaries {sorted(texts)}")
    for t in tags:
        print(f"  {t}: steps {sorted(s for (tt, s, _) in actual if tt == t)}")


if __name__ == "__main__":
    main()

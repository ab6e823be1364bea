#!/usr/bin/env bash
# Side by side on GLUE MRPC, offline: `finetune text-classification` against Python's Trainer
# taking run_glue.py's steps (Scripts/reference/run_glue_steps.py), with run_glue's options:
# all-MiniLM-L6-v2, 3 epochs, batch 32, learning rate 2e-5, max_seq_length 128, dynamic padding,
# seed 42, on the same Parquet files. Prints each side's wall time, validation accuracy and F1,
# and the output files and JSON keys, for BENCHMARKS.md.
#
# It needs nothing beyond the venv. transformers' own run_glue.py is not in the wheel (it lives in
# the repository's examples/) and its metric is a script on the Hub: given a checkout of each,
# Scripts/reference/finetune_vs_examples.sh runs the real script offline.
#
# Needs: .build/release/finetune, .venv (Scripts/make-venv.sh), COURSE_MIRROR (the Parquet files
# and the model). Run on an otherwise idle machine: about 20 minutes on 2 cores.
# Usage: Scripts/reference/finetune_vs_python_trainer.sh [OUTPUT_ROOT]
set -euo pipefail
cd "$(dirname "$0")/../.."
root="${1:-/tmp/finetune-vs-python}"
mirror="${COURSE_MIRROR:?set COURSE_MIRROR to the mirror (datasets/nyu-mll/glue, models/...)}"
mirror="${mirror#file://}"
python="${COURSE_PYTHON:-.venv/bin/python}"
mkdir -p "$root"
rm -rf "$root/python" "$root/swift"
grep -m1 "model name" /proc/cpuinfo
uptime

start=$(date +%s.%N)
OMP_NUM_THREADS=2 "$python" Scripts/reference/run_glue_steps.py \
    --model "$mirror/models/sentence-transformers/all-MiniLM-L6-v2" \
    --data "$mirror/datasets/nyu-mll/glue/mrpc" --output_dir "$root/python" > "$root/python.log" 2>&1
python_s=$(echo "$(date +%s.%N) - $start" | bc)

start=$(date +%s.%N)
.build/release/finetune text-classification --model_name_or_path sentence-transformers/all-MiniLM-L6-v2 \
    --task_name mrpc --do_train --do_eval --max_seq_length 128 --pad_to_max_length false \
    --per_device_train_batch_size 32 --learning_rate 2e-5 --num_train_epochs 3 --seed 42 \
    --output_dir "$root/swift" > "$root/swift.log" 2> "$root/swift.err"
swift_s=$(echo "$(date +%s.%N) - $start" | bc)

uptime
echo "wall: python ${python_s}s  swift ${swift_s}s  ratio $(echo "scale=2; $python_s / $swift_s" | bc)"
for side in python swift; do
    echo "== $side"
    "$python" Scripts/reference/print_output_folder.py "$root/$side" accuracy f1
done

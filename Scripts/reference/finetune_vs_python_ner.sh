#!/usr/bin/env bash
# Side by side on CoNLL-2003, offline: `finetune token-classification` against Python's Trainer
# taking run_ner.py's steps (Scripts/reference/run_ner_steps.py), with the same options:
# all-MiniLM-L6-v2, the first TRAIN training sentences (default 4000), the first EVAL validation
# sentences (default 1000), 1 epoch, batch 16, learning rate 5e-5, no max_seq_length (the
# tokenizer's), dynamic padding, first word piece labelled, seed 42. Prints each side's wall
# time, validation precision/recall/F1/accuracy (seqeval, overall), and the output files and
# JSON keys, for BENCHMARKS.md.
#
# It needs nothing beyond the venv. transformers' own run_ner.py is not in the wheel and its
# metric is a script on the Hub: given a checkout of each, Scripts/reference/finetune_vs_examples.sh
# runs the real script offline.
#
# Needs: .build/release/finetune, .venv (Scripts/make-venv.sh), COURSE_MIRROR.
# Usage: Scripts/reference/finetune_vs_python_ner.sh [OUTPUT_ROOT] [TRAIN] [EVAL]
set -euo pipefail
cd "$(dirname "$0")/../.."
root="${1:-/tmp/finetune-vs-python-ner}"
train="${2:-4000}"
eval="${3:-1000}"
mirror="${COURSE_MIRROR:?set COURSE_MIRROR to the mirror (datasets/eriktks/conll2003, models/...)}"
mirror="${mirror#file://}"
python="${COURSE_PYTHON:-.venv/bin/python}"
mkdir -p "$root"
rm -rf "$root/python" "$root/swift"
grep -m1 "model name" /proc/cpuinfo
uptime

start=$(date +%s.%N)
OMP_NUM_THREADS=2 "$python" Scripts/reference/run_ner_steps.py \
    --model "$mirror/models/sentence-transformers/all-MiniLM-L6-v2" \
    --data "$mirror/datasets/eriktks/conll2003/conll2003" --output_dir "$root/python" \
    --max_train_samples "$train" --max_eval_samples "$eval" > "$root/python.log" 2>&1
python_s=$(echo "$(date +%s.%N) - $start" | bc)

start=$(date +%s.%N)
.build/release/finetune token-classification --model_name_or_path sentence-transformers/all-MiniLM-L6-v2 \
    --dataset_name conll2003 --do_train --do_eval --max_train_samples "$train" --max_eval_samples "$eval" \
    --per_device_train_batch_size 16 --learning_rate 5e-5 --num_train_epochs 1 --seed 42 \
    --output_dir "$root/swift" > "$root/swift.log" 2> "$root/swift.err"
swift_s=$(echo "$(date +%s.%N) - $start" | bc)

uptime
echo "wall: python ${python_s}s  swift ${swift_s}s  ratio $(echo "scale=2; $python_s / $swift_s" | bc)"
for side in python swift; do
    echo "== $side"
    "$python" Scripts/reference/print_output_folder.py "$root/$side" precision recall f1 accuracy
done

#!/usr/bin/env bash
# Side by side, offline: transformers' own example scripts (run_glue.py, run_ner.py) and
# `finetune`, given the same command line. For BENCHMARKS.md: each side's wall time, its
# validation metrics, and the files and JSON keys of both output folders.
#
#   glue: --task_name mrpc, all-MiniLM-L6-v2, 3 epochs, batch 32, learning rate 2e-5,
#         --max_seq_length 128, dynamic padding (run_glue's README recipe on this model)
#   ner:  --dataset_name eriktks/conll2003, all-MiniLM-L6-v2, the first TRAIN / EVAL sentences
#         (default 4000 / 1000), 1 epoch, batch 16, learning rate 5e-5
#
# The scripts and their metrics would come from the network; here they come from folders you
# pass: the examples are not in the transformers wheel (use a checkout of the installed version's
# tag: examples/pytorch/text-classification/run_glue.py, .../token-classification/run_ner.py),
# and `evaluate.load("glue")` / `evaluate.load("seqeval")` read a local folder named like the
# metric before they try the Hub (a checkout of huggingface/evaluate: its metrics/glue and
# metrics/seqeval). The dataset and the model come from COURSE_MIRROR, laid out in a working
# folder under the Hub names both sides are given: a local folder named `nyu-mll/glue` (what
# run_glue loads for --task_name) or `eriktks/conll2003`, with a README whose `configs:` name
# the mirror's Parquet files, and `sentence-transformers/all-MiniLM-L6-v2` linked to the
# mirror's model. Python runs with HF_HUB_OFFLINE=1 so nothing is looked up.
#
# Needs: .build/release/finetune (Scripts/setup.sh), .venv (Scripts/make-venv.sh) plus
# `evaluate`, COURSE_MIRROR.
# Usage: Scripts/reference/finetune_vs_examples.sh glue|ner SCRIPT METRICS_DIR [OUTPUT_ROOT]
#          [SEED] [TRAIN] [EVAL]
#   SCRIPT       run_glue.py or run_ner.py from a transformers checkout
#   METRICS_DIR  huggingface/evaluate's metrics/ folder
# Set ONLY=python or ONLY=swift to run one side (a seed study runs the sides separately).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
task="${1:?glue or ner}"
script=$(realpath "${2:?path to run_glue.py or run_ner.py}")
metrics=$(realpath "${3:?path to the metrics/ folder of huggingface/evaluate}")
root=$(realpath -m "${4:-/tmp/finetune-vs-examples-$task}")
seed="${5:-42}"
train="${6:-4000}"
eval="${7:-1000}"
mirror="${COURSE_MIRROR:?set COURSE_MIRROR to the mirror (datasets/..., models/...)}"
mirror=$(realpath "${mirror#file://}")
python="${COURSE_PYTHON:-.venv/bin/python}"
[[ "$python" = /* ]] || python="$repo/$python"   # not realpath: a venv's python is a symlink
only="${ONLY:-both}"

# The working folder: Hub names resolved to local folders, for both sides alike.
work="$root/work"
mkdir -p "$work/sentence-transformers"
ln -sfn "$mirror/models/sentence-transformers/all-MiniLM-L6-v2" "$work/sentence-transformers/all-MiniLM-L6-v2"
case "$task" in
glue)
    metric=glue
    mkdir -p "$work/nyu-mll/glue/mrpc"
    for split in train validation test; do
        ln -sfn "$mirror/datasets/nyu-mll/glue/mrpc/$split-00000-of-00001.parquet" "$work/nyu-mll/glue/mrpc/"
    done
    printf '%s\n' '---' 'configs:' '- config_name: mrpc' '  data_files:' \
        '  - split: train' '    path: mrpc/train-*' '  - split: validation' '    path: mrpc/validation-*' \
        '  - split: test' '    path: mrpc/test-*' '---' > "$work/nyu-mll/glue/README.md"
    args=(--model_name_or_path sentence-transformers/all-MiniLM-L6-v2 --task_name mrpc --do_train --do_eval
          --max_seq_length 128 --pad_to_max_length false --per_device_train_batch_size 32
          --learning_rate 2e-5 --num_train_epochs 3 --seed "$seed" --report_to none)
    subcommand=text-classification
    shown=(accuracy f1)
    ;;
ner)
    metric=seqeval
    for split in train validation test; do
        mkdir -p "$work/eriktks/conll2003/conll2003/$split"
        ln -sfn "$mirror/datasets/eriktks/conll2003/conll2003/$split/0000.parquet" "$work/eriktks/conll2003/conll2003/$split/"
    done
    printf '%s\n' '---' 'configs:' '- config_name: conll2003' '  data_files:' \
        '  - split: train' '    path: conll2003/train/*' '  - split: validation' '    path: conll2003/validation/*' \
        '  - split: test' '    path: conll2003/test/*' '---' > "$work/eriktks/conll2003/README.md"
    args=(--model_name_or_path sentence-transformers/all-MiniLM-L6-v2 --dataset_name eriktks/conll2003
          --dataset_config_name conll2003 --do_train --do_eval --max_train_samples "$train"
          --max_eval_samples "$eval" --per_device_train_batch_size 16 --learning_rate 5e-5
          --num_train_epochs 1 --seed "$seed" --report_to none)
    subcommand=token-classification
    shown=(precision recall f1 accuracy)
    ;;
*) echo "first argument: glue or ner" >&2; exit 2 ;;
esac
ln -sfn "$metrics/$metric" "$work/$metric"

grep -m1 "model name" /proc/cpuinfo
echo "command (after the script's name): ${args[*]}"
seconds() { echo "$(date +%s.%N) - $1" | bc; }
if [ "$only" != swift ]; then
    rm -rf "$root/python-$seed"
    uptime
    start=$(date +%s.%N)
    (cd "$work" && HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 HF_HOME="$root/hf-home" OMP_NUM_THREADS=2 \
        "$python" "$script" "${args[@]}" --output_dir "$root/python-$seed") > "$root/python-$seed.log" 2>&1 \
        || { tail -20 "$root/python-$seed.log"; exit 1; }
    echo "python wall: $(seconds "$start") s"
fi
if [ "$only" != python ]; then
    rm -rf "$root/swift-$seed"
    uptime
    start=$(date +%s.%N)
    (cd "$work" && "$repo/.build/release/finetune" "$subcommand" "${args[@]}" --output_dir "$root/swift-$seed") \
        > "$root/swift-$seed.log" 2> "$root/swift-$seed.err" || { tail -20 "$root/swift-$seed.err"; exit 1; }
    echo "swift wall: $(seconds "$start") s"
fi
uptime
for side in python swift; do
    [ -d "$root/$side-$seed" ] || continue
    echo "== $side (seed $seed)"
    "$python" "$repo/Scripts/reference/print_output_folder.py" "$root/$side-$seed" "${shown[@]}"
done

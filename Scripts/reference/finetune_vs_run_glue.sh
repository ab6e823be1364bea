#!/usr/bin/env bash
# Side by side: transformers' own run_glue.py and `finetune text-classification` with the same
# options on GLUE MRPC (all-MiniLM-L6-v2, 3 epochs, max_seq_length 128, dynamic padding), for
# BENCHMARKS.md: the output files and JSON keys of both folders, validation accuracy and F1, and
# the wall time of each. Run on an otherwise idle machine (it takes tens of minutes on 2 cores).
#
# Needs: .build/release/finetune (Scripts/setup.sh), the venv (.venv) with transformers, datasets,
# evaluate, scikit-learn and scipy (the glue metric), and network access or a warm Hugging Face
# cache for Python's load_dataset("glue", "mrpc"); COURSE_MIRROR for the Swift side.
# Usage: Scripts/reference/finetune_vs_run_glue.sh [OUTPUT_ROOT]   (default /tmp/finetune-vs-run-glue)
set -euo pipefail
cd "$(dirname "$0")/../.."
root="${1:-/tmp/finetune-vs-run-glue}"
mkdir -p "$root"
version=$(.venv/bin/python -c 'import transformers; print(transformers.__version__)')
script="$root/run_glue.py"
# The example script of the installed version (examples are not in the wheel).
[ -f "$script" ] || curl -fsSL -o "$script" \
    "https://raw.githubusercontent.com/huggingface/transformers/v$version/examples/pytorch/text-classification/run_glue.py"

common=(--model_name_or_path sentence-transformers/all-MiniLM-L6-v2 --task_name mrpc --do_train --do_eval
        --max_seq_length 128 --pad_to_max_length false --per_device_train_batch_size 32 --learning_rate 2e-5
        --num_train_epochs 3 --seed 42)
grep -m1 "model name" /proc/cpuinfo
rm -rf "$root/python" "$root/swift"
start=$(date +%s.%N)
OMP_NUM_THREADS=2 .venv/bin/python "$script" "${common[@]}" --output_dir "$root/python" --report_to none \
    > "$root/python.log" 2>&1
python_s=$(echo "$(date +%s.%N) - $start" | bc)
start=$(date +%s.%N)
.build/release/finetune text-classification "${common[@]}" --output_dir "$root/swift" > "$root/swift.log" 2> "$root/swift.err"
swift_s=$(echo "$(date +%s.%N) - $start" | bc)

echo "wall: python ${python_s}s  swift ${swift_s}s"
for side in python swift; do
    echo "== $side: files"; (cd "$root/$side" && ls | sort | tr '\n' ' '); echo
    .venv/bin/python - "$root/$side" <<'PY'
import json, os, sys
d = sys.argv[1]
for name in ("train_results.json", "eval_results.json", "all_results.json"):
    path = os.path.join(d, name)
    if os.path.exists(path):
        m = json.load(open(path))
        print(f"{name}: keys {sorted(m)}")
m = json.load(open(os.path.join(d, "eval_results.json")))
print(f"eval_accuracy {m.get('eval_accuracy', float('nan')):.4f}  eval_f1 {m.get('eval_f1', float('nan')):.4f}")
PY
done

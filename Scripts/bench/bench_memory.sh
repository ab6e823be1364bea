#!/usr/bin/env bash
# Peak resident memory (max RSS, from /usr/bin/time) of one fine-tuning or inference
# configuration per process: `bench` against the PyTorch script doing the same work
# (Scripts/bench/engine_torch_bench.py), for the memory column of BENCHMARKS.md.
# Needs: a release build (`swift build -c release`), GNU time (Debian package `time`), and the
# Python venv (Scripts/make-venv.sh) or COURSE_PYTHON=/path/to/python with torch and transformers.
# Run:   Scripts/bench/bench_memory.sh [train|infer] [--bf16]   (default train; 2 threads; ~2 minutes)
#        --bf16: both sides in bf16 (this engine's oneDNN products; PyTorch's autocast)
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=${1:-train}
extra=("${@:2}")
python=${COURSE_PYTHON:-.venv/bin/python}
[ -x /usr/bin/time ] || { echo "bench_memory: /usr/bin/time is missing: apt-get install -y time" >&2; exit 1; }
[ -x .build/release/bench ] || { echo "bench_memory: build first: swift build -c release" >&2; exit 1; }
echo "| $mode${extra[*]:+ ${extra[*]}} config | Swift peak MiB | PyTorch peak MiB | ratio |"
echo "|---|---:|---:|---:|"
for b in 8 32; do
  for t in 32 128; do
    /usr/bin/time -f "%M" -o /tmp/bench_memory.swift .build/release/bench "$mode" --batch $b --seq $t --threads 2 --seconds 2 "${extra[@]}" >/dev/null 2>&1
    /usr/bin/time -f "%M" -o /tmp/bench_memory.torch "$python" Scripts/bench/engine_torch_bench.py "$mode" --batch $b --seq $t --threads 2 --seconds 2 "${extra[@]}" >/dev/null 2>&1
    swift_kb=$(tail -1 /tmp/bench_memory.swift); torch_kb=$(tail -1 /tmp/bench_memory.torch)
    awk -v n="$mode${extra[*]:+ ${extra[*]}} b$b t$t" -v s="$swift_kb" -v p="$torch_kb" 'BEGIN { printf "| %s | %.0f | %.0f | %.2f× |\n", n, s/1024, p/1024, s/p }'
  done
done

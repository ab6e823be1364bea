#!/usr/bin/env bash
# Data-parallel benchmarks for BENCHMARKS.md ("Training on several processes"), interleaved so
# the machine's drift hits both sides: per round, the MiniLM-shape training step at 1 process ×
# 2 threads (batch 32) and at 2 processes × 1 thread (batch 16 each, the same 32 rows per step),
# then the all-reduce of the whole 22.6 M-float gradient over shared memory and over TCP.
# Prints one JSON object per line (bench --json). Needs a release build and Open MPI.
# Usage: Scripts/bench/bench_ddp.sh [ROUNDS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-2}"; seconds="${2:-15}"
bench=.build/release/bench
[ -x "$bench" ] || { echo "bench_ddp: build first: swift build -c release --product bench" >&2; exit 1; }
command -v mpirun >/dev/null || { echo "bench_ddp: mpirun not found: apt install openmpi-bin libopenmpi-dev" >&2; exit 1; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# Shared memory with Open MPI's default single-copy mechanism (CMA): on a loaded machine about 3×
# faster than copy-in/copy-out. Where the sandbox refuses CMA, set
# BENCH_MPI_FLAGS="--mca btl_vader_single_copy_mechanism none".
read -r -a extra <<< "${BENCH_MPI_FLAGS:-}"
mpi=(mpirun --oversubscribe -n 2 -x COURSE_THREADS=1 "${extra[@]}")
for _ in $(seq "$rounds"); do
    echo "# load: $(cut -d' ' -f1-3 /proc/loadavg)"
    COURSE_THREADS=2 "$bench" ddp --batch 32 --seq 128 --seconds "$seconds" --json
    "${mpi[@]}" "$bench" ddp --batch 16 --seq 128 --seconds "$seconds" --json
    "${mpi[@]}" "$bench" allreduce --bucket 4194304 --seconds 3 --json | sed 's/"name":"allreduce"/"name":"allreduce shm"/'
    "${mpi[@]}" --mca btl tcp,self "$bench" allreduce --bucket 4194304 --seconds 3 --json | sed 's/"name":"allreduce"/"name":"allreduce tcp"/'
done

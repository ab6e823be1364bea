#!/usr/bin/env bash
# Parquet read speed, the toolkit's reader against pyarrow, interleaved (3 rounds):
#   Scripts/bench/bench_parquet.sh [FILE] [REPS]
# FILE defaults to the mirror's CoNLL-2003 train file (14,041 rows, 15 row groups, SNAPPY).
set -euo pipefail
cd "$(dirname "$0")/../.."
file="${1:-${COURSE_MIRROR:-../shared/mirror}/datasets/eriktks/conll2003/conll2003/train/0000.parquet}"
reps="${2:-11}"
python="${COURSE_PYTHON:-.venv/bin/python}"   # the reference Python, with pyarrow
out=.build/bench-parquet
mkdir -p "$out"
# Parquet imports Digest (page CRC-32s): built first as its own module.
swiftc -O -wmo -parse-as-library -module-name Digest Sources/Digest/*.swift -emit-module \
    -emit-module-path "$out/Digest.swiftmodule" -c -o "$out/Digest.o" 2>&1 | grep -v warning || true
swiftc -O -module-name ParquetBench -I "$out" -I Sources/CSnappy -I Sources/CZstd Sources/Parquet/*.swift \
    Scripts/bench/bench_parquet/main.swift "$out/Digest.o" -lsnappy -lzstd -o "$out/bench-parquet" 2>&1 | grep -v warning || true
for round in 1 2 3; do
    "$out/bench-parquet" "$file" "$reps"
    OMP_NUM_THREADS=1 "$python" Scripts/bench/bench_parquet/pyarrow_read.py "$file" "$reps"
done

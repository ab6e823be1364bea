# The pyarrow side of Scripts/bench/bench_parquet.sh: read_table (into Arrow) and read_table + to_pylist
# (into Python objects, what the Swift reader produces), medians of N reads.
import sys, time, pyarrow.parquet as pq
path, reps = sys.argv[1], int(sys.argv[2])
a, b = [], []
for _ in range(reps):
    t0 = time.perf_counter(); t = pq.read_table(path); a.append(time.perf_counter() - t0)
    t0 = time.perf_counter(); t = pq.read_table(path); rows = {c: t.column(c).to_pylist() for c in t.column_names}; b.append(time.perf_counter() - t0)
a.sort(); b.sort()
print(f"pyarrow read_table: median {a[reps//2]*1000:.1f} ms; read_table + to_pylist: median {b[reps//2]*1000:.1f} ms ({reps} reps)")

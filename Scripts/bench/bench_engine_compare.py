"""Swift vs PyTorch BERT throughput, interleaved, with medians: the engine table of BENCHMARKS.md.

For each configuration (batch 8/32 × sequence 32/128 × 1/2 threads) it runs `bench train|infer`
for that one configuration, then Scripts/bench/engine_torch_bench.py for the same, ROUNDS times,
and prints a Markdown row with the medians. On a shared virtual machine throughput drifts by
10-30% from minute to minute; running the two side by side and taking medians keeps the ratio
honest where one long run of each would not. "% of peak" divides GFLOP/s by the cblas sgemm
peak that `bench` measures around each of its runs (median over the rounds).
Needs: a release build (`swift build -c release`), torch and transformers (Scripts/make-venv.sh).
Run:   .venv/bin/python Scripts/bench/bench_engine_compare.py [train|infer] [--rounds 3] [--seconds 3]
"""
import argparse
import json
import statistics
import subprocess
import sys


def run_json(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["train", "infer"])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=3)
    a = ap.parse_args()
    print(f"| {a.mode}: batch × seq | threads | Swift tokens/s | PyTorch tokens/s | Swift / PyTorch "
          "| Swift % of sgemm peak | PyTorch % of peak |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for threads in (1, 2):
        for b in (8, 32):
            for t in (32, 128):
                common = ["--batch", str(b), "--seq", str(t), "--threads", str(threads), "--seconds", str(a.seconds)]
                swift, torch, peaks = [], [], []
                for _ in range(a.rounds):
                    s = run_json([".build/release/bench", a.mode, *common, "--json"])
                    swift.append(s)
                    peaks.append(s["gflops"] / s["peak_fraction"])
                    torch.append(run_json([sys.executable, "Scripts/bench/engine_torch_bench.py", a.mode, *common]))
                st = statistics.median(x["tokens_per_s"] for x in swift)
                pt = statistics.median(x["tokens_per_s"] for x in torch)
                sg = statistics.median(x["gflops"] for x in swift)
                pg = statistics.median(x["gflops"] for x in torch)
                peak = statistics.median(peaks)
                print(f"| {b} × {t} | {threads} | {st:,.0f} | {pt:,.0f} | {st / pt:.2f}× | {sg / peak:.0%} | {pg / peak:.0%} |",
                      flush=True)


if __name__ == "__main__":
    main()

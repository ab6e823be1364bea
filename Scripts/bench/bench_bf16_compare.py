"""bf16 mixed precision, Swift against PyTorch, interleaved, with medians: BENCHMARKS.md's bf16 table.

For each configuration it runs, ROUNDS times and in this order, `bench train|infer` (fp32,
OpenBLAS), `bench train|infer --bf16` (oneDNN bf16 products, fp32 accumulation),
Scripts/bench/engine_torch_bench.py (PyTorch fp32) and the same with --bf16 (torch.autocast bf16), and
prints a Markdown row of medians with the ratios that matter: Swift bf16 / PyTorch bf16 (the
issue's target, ≥ 1.5×), Swift bf16 / Swift fp32 and PyTorch bf16 / PyTorch fp32 (what bf16 buys
on this CPU). The last column is the bf16 matmul peak over the sgemm peak that `bench --bf16`
measures around its runs: the most bf16 can buy on this CPU.
The load column gives the 1-minute load average (`uptime`) before each round, min–max over the
rounds: on a shared machine it says how much else ran beside the measurement.
--model distilbert measures DistilBERT at distilbert-base's layer sizes with --layers layers on both
sides, loaded from --checkpoint DIR; without one, Scripts/distilbert_fixtures.py --bench writes it
to a temporary folder first (removed at the end), so Swift and PyTorch run the same weights.
Needs: a release build (`swift build -c release`), torch and transformers (Scripts/make-venv.sh).
Run:   .venv/bin/python Scripts/bench/bench_bf16_compare.py [train|infer] [--rounds 2] [--seconds 3]
       [--threads 2] [--batch 8,32] [--seq 32,128] [--model minilm|distilbert] [--layers 2] [--checkpoint DIR]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile


# One bench/PyTorch run's last JSON line: the same runner as the fp32 comparison's.
from bench_engine_compare import run_json


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["train", "infer"])
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=3)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--batch", default="8,32")
    ap.add_argument("--seq", default="32,128")
    ap.add_argument("--model", choices=["minilm", "distilbert"], default="minilm")
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--checkpoint", help="a DistilBERT checkpoint folder (--model distilbert)")
    a = ap.parse_args()
    if a.model == "distilbert" and not a.checkpoint:
        with tempfile.TemporaryDirectory(prefix="distilbert-bench-") as tmp:
            a.checkpoint = tmp
            subprocess.run([sys.executable, "Scripts/distilbert_fixtures.py", "--bench", tmp, "--layers", str(a.layers)],
                           check=True, stdout=sys.stderr, stderr=subprocess.DEVNULL)
            return compare(a)
    compare(a)


def compare(a):
    ints = lambda s: [int(x) for x in s.split(",")]
    model = (["--model", "distilbert", "--checkpoint", a.checkpoint] if a.model == "distilbert" else [])
    print(f"| {a.mode}: batch × seq | threads | Swift fp32 | Swift bf16 | PyTorch fp32 | PyTorch bf16 "
          "| Swift bf16 / PyTorch bf16 | Swift fp32 / PyTorch bf16 | Swift bf16 / fp32 | PyTorch bf16 / fp32 "
          "| bf16 / sgemm peak | load (1 min) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    impl = ""
    for threads in ints(a.threads):
        for b in ints(a.batch):
            for t in ints(a.seq):
                common = ["--batch", str(b), "--seq", str(t), "--threads", str(threads), "--seconds", str(a.seconds),
                          *model]
                runs = {"sf": [], "sb": [], "tf": [], "tb": []}
                peaks, loads = [], []
                for _ in range(a.rounds):
                    loads.append(os.getloadavg()[0])
                    runs["sf"].append(run_json([".build/release/bench", a.mode, *common, "--json"]))
                    s = run_json([".build/release/bench", a.mode, *common, "--json", "--bf16"])
                    runs["sb"].append(s)
                    peaks.append(s["bf16_peak_gflops"] / s["sgemm_peak_gflops"])
                    impl = s.get("dnnl_impl", impl)
                    runs["tf"].append(run_json([sys.executable, "Scripts/bench/engine_torch_bench.py", a.mode, *common]))
                    runs["tb"].append(run_json([sys.executable, "Scripts/bench/engine_torch_bench.py", a.mode, *common, "--bf16"]))
                m = {k: statistics.median(x["tokens_per_s"] for x in v) for k, v in runs.items()}
                print(f"| {b} × {t} | {threads} | {m['sf']:,.0f} | {m['sb']:,.0f} | {m['tf']:,.0f} | {m['tb']:,.0f} "
                      f"| {m['sb'] / m['tb']:.2f}× | {m['sf'] / m['tb']:.2f}× | {m['sb'] / m['sf']:.2f}× "
                      f"| {m['tb'] / m['tf']:.2f}× | {statistics.median(peaks):.2f}× "
                      f"| {min(loads):.2f}–{max(loads):.2f} |", flush=True)
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    print(f"\noneDNN implementation (bench --bf16): {impl}\nCPU: {cpu}, {os.cpu_count()} logical CPUs")


if __name__ == "__main__":
    main()

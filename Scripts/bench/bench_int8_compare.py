"""Dynamic int8 inference, Swift against PyTorch and ONNX Runtime, interleaved, with medians and
peak RSS: BENCHMARKS.md's int8 table.

For each configuration (batch × seq) it runs, ROUNDS times and in this order: `bench infer`
(Swift fp32), `bench infer --bf16`, `bench infer --int8` (model.quantize(.int8Dynamic)), then
Scripts/bench/int8_python_bench.py for torch-fp32, torch-bf16, torch-int8 (quantize_dynamic),
ort-fp32 and ort-int8 (ONNX Runtime's quantize_dynamic, QInt8 weights). Every run is its own
process: its peak RSS (ru_maxrss from wait4) is that engine's alone, model and buffers included.
The ONNX files are exported once into a temporary folder first (int8_python_bench.py export).
Prints a Markdown table of median tokens/s, the ratios of Swift int8 to ONNX Runtime int8 (the
target, ≥ 1.0×) and to PyTorch bf16, the median peak RSS of each engine, and the 1-minute load
average before each round (min–max): on a shared machine it says how much else ran beside.
Needs: a release build (`swift build -c release --product bench`), Scripts/requirements.txt.
Run:   .venv/bin/python Scripts/bench/bench_int8_compare.py [--rounds 3] [--seconds 3] [--threads 2]
       [--configs 32x32,32x128,8x128] [--per-channel]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

SWIFT = {"swift-fp32": [], "swift-bf16": ["--bf16"], "swift-int8": ["--int8"]}
PYTHON = ["torch-fp32", "torch-bf16", "torch-int8", "ort-fp32", "ort-int8"]


def run(cmd):
    """The command's last JSON line and its peak RSS in MiB."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    if status != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({status})")
    return json.loads(out.strip().splitlines()[-1]), usage.ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--configs", default="32x32,32x128,8x128")
    ap.add_argument("--per-channel", action="store_true", help="ONNX Runtime int8 weights per channel")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="int8-onnx-") as onnx:
        subprocess.run([sys.executable, "Scripts/bench/int8_python_bench.py", "export", onnx]
                       + (["--per-channel"] if a.per_channel else []), check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        compare(a, onnx)


def compare(a, onnx):
    engines = list(SWIFT) + PYTHON
    print("| batch × seq | " + " | ".join(engines) + " | Swift int8 / ORT int8 | Swift int8 / PyTorch bf16 "
          "| Swift int8 / fp32 | load (1 min) |")
    print("|---|" + "---:|" * (len(engines) + 3) + "---|")
    rss = {e: [] for e in engines}
    for config in a.configs.split(","):
        b, t = (int(x) for x in config.split("x"))
        common = ["--batch", str(b), "--seq", str(t), "--threads", str(a.threads), "--seconds", str(a.seconds)]
        speed = {e: [] for e in engines}
        loads = []
        for _ in range(a.rounds):
            loads.append(os.getloadavg()[0])
            for e in engines:
                if e in SWIFT:
                    cmd = [".build/release/bench", "infer", *common, "--json", *SWIFT[e]]
                else:
                    cmd = [sys.executable, "Scripts/bench/int8_python_bench.py", "run", e, "--onnx-dir", onnx, *common]
                result, peak = run(cmd)
                speed[e].append(result["tokens_per_s"])
                rss[e].append(peak)
        m = {e: statistics.median(v) for e, v in speed.items()}
        print(f"| {b} × {t} | " + " | ".join(f"{m[e]:,.0f}" for e in engines)
              + f" | {m['swift-int8'] / m['ort-int8']:.2f}× | {m['swift-int8'] / m['torch-bf16']:.2f}× "
              f"| {m['swift-int8'] / m['swift-fp32']:.2f}× | {min(loads):.2f}–{max(loads):.2f} |", flush=True)
    print("\nPeak RSS (MiB, median over every run of the engine): "
          + ", ".join(f"{e} {statistics.median(v):,.0f}" for e, v in rss.items()))
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    print(f"CPU: {cpu}, {os.cpu_count()} logical CPUs; ORT int8 weights "
          + ("per channel" if a.per_channel else "per tensor"))


if __name__ == "__main__":
    main()

"""PyTorch and ONNX Runtime inference throughput of the MiniLM shape, for the int8 comparison
(Scripts/bench/bench_int8_compare.py): one engine, one configuration per run, so each run's peak
RSS is its own.

Engines: torch-fp32, torch-bf16 (torch.autocast bf16), torch-int8
(`torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)`: per-tensor s8
weights, u8 activations per tensor), ort-fp32 and ort-int8 (the ONNX files `export` writes).
Model: a randomly initialised BertForTokenClassification of the all-MiniLM-L6-v2 shape (6 layers,
hidden 384, 12 heads, FFN 1536, 9 labels, seed 0), as Scripts/bench/engine_torch_bench.py.

`export DIR` writes DIR/model.onnx (torch.onnx.export, opset 17, dynamic batch and sequence axes)
and DIR/model-int8.onnx: onnxruntime.quantization.quantize_dynamic with QInt8 weights,
per_channel as --per-channel says (Optimum's `ORTQuantizer` with an avx512_vnni dynamic config
calls the same function: MatMulInteger + DynamicQuantizeLinear, u8 activations per tensor).

Produces: one JSON line: name, batch, seq, threads, steps, seconds, tokens_per_s.
Needs: torch, transformers, onnx, onnxruntime (Scripts/requirements.txt).
Run:   .venv/bin/python Scripts/bench/int8_python_bench.py export DIR [--per-channel]
       .venv/bin/python Scripts/bench/int8_python_bench.py run ENGINE [--onnx-dir DIR] --batch 32 --seq 128
       --threads 2 --seconds 3
"""
import argparse
import json
import os
import time

import numpy as np
import torch
from transformers import BertConfig, BertForTokenClassification


def make_model():
    torch.manual_seed(0)
    config = BertConfig(vocab_size=30522, hidden_size=384, num_hidden_layers=6, num_attention_heads=12,
                        intermediate_size=1536, num_labels=9, attn_implementation="eager")
    return BertForTokenClassification(config).eval()


def export(directory, per_channel):
    from onnxruntime.quantization import QuantType, quantize_dynamic
    os.makedirs(directory, exist_ok=True)
    model = make_model()
    ids = torch.randint(1, 30522, (2, 16))
    mask = torch.ones_like(ids)
    fp32 = os.path.join(directory, "model.onnx")
    torch.onnx.export(model, (ids, mask), fp32, input_names=["input_ids", "attention_mask"], output_names=["logits"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                                    "logits": {0: "batch", 1: "seq"}}, opset_version=17, dynamo=False)
    quantize_dynamic(fp32, os.path.join(directory, "model-int8.onnx"), weight_type=QuantType.QInt8,
                     per_channel=per_channel)


def run(a):
    torch.set_num_threads(a.threads)
    b, t = a.batch, a.seq
    rng = np.random.default_rng(0)
    ids = rng.integers(1, 30522, size=(b, t), dtype=np.int64)
    mask = np.ones_like(ids)
    if a.engine.startswith("ort"):
        import onnxruntime as ort
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = a.threads
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        name = "model-int8.onnx" if a.engine == "ort-int8" else "model.onnx"
        session = ort.InferenceSession(os.path.join(a.onnx_dir, name), opts, providers=["CPUExecutionProvider"])

        def step():
            session.run(["logits"], {"input_ids": ids, "attention_mask": mask})
    else:
        model = make_model()
        if a.engine == "torch-int8":
            model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        tids, tmask = torch.from_numpy(ids), torch.from_numpy(mask)

        def step():
            with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.engine == "torch-bf16"):
                model(input_ids=tids, attention_mask=tmask)
    step()
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < a.seconds or steps < 2:
        step()
        steps += 1
    seconds = time.perf_counter() - start
    print(json.dumps(dict(name=f"{a.engine} b{b} t{t} x{a.threads}", batch=b, seq=t, threads=a.threads, steps=steps,
                          seconds=round(seconds, 3), tokens_per_s=round(b * t * steps / seconds, 1))), flush=True)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="command", required=True)
    e = sub.add_parser("export")
    e.add_argument("directory")
    e.add_argument("--per-channel", action="store_true")
    r = sub.add_parser("run")
    r.add_argument("engine", choices=["torch-fp32", "torch-bf16", "torch-int8", "ort-fp32", "ort-int8"])
    r.add_argument("--onnx-dir")
    r.add_argument("--batch", type=int, default=32)
    r.add_argument("--seq", type=int, default=128)
    r.add_argument("--threads", type=int, default=2)
    r.add_argument("--seconds", type=float, default=3.0)
    a = ap.parse_args()
    if a.command == "export":
        export(a.directory, a.per_channel)
    else:
        run(a)


if __name__ == "__main__":
    main()

"""Where a PyTorch training step's time goes, by kind of work: the counterpart of
`bench train --profile` for BENCHMARKS.md's side-by-side breakdown.

Same step as Scripts/bench/engine_torch_bench.py train (the MiniLM shape: BertForTokenClassification,
6 layers, hidden 384, 12 heads, FFN 1536, 9 labels, random weights; forward under
torch.autocast("cpu", bfloat16) with --bf16, backward, clip 1.0, fused AdamW, zero_grad), profiled
with torch.profiler (CPU) over --steps steps after 3 warm-up steps. Prints the top operators by
self CPU time and a table grouped into the same kinds as the Swift profile (self times of the
calling thread's operators; the step time is measured again without the profiler).
Run:   .venv/bin/python Scripts/bench/torch_train_profile.py [--batch 32] [--seq 128] [--threads 2] [--steps 10] [--bf16]
"""
import argparse
import collections
import time

import torch
from torch.profiler import ProfilerActivity, profile
from transformers import BertConfig, BertForTokenClassification

# aten operator (self time) -> kind. Linear forward runs as aten::addmm, its backward as aten::mm
# (dX and dW); the attention products as aten::bmm; autocast's casts as aten::copy_.
KINDS = {
    "aten::addmm": "linear products, forward (incl. bias)",
    "aten::mm": "linear products, backward dX + dW",
    "aten::bmm": "attention products QK^T, PV (fwd+bwd)",
    "aten::copy_": "dtype conversions (autocast casts), copies",
    "aten::native_layer_norm": "LayerNorm (fwd+bwd)",
    "aten::native_layer_norm_backward": "LayerNorm (fwd+bwd)",
    "aten::gelu": "GELU (fwd+bwd)",
    "aten::gelu_backward": "GELU (fwd+bwd)",
    "aten::_softmax": "softmax (fwd+bwd)",
    "aten::_softmax_backward_data": "softmax (fwd+bwd)",
    "aten::native_dropout": "dropout (fwd+bwd)",
    "aten::native_dropout_backward": "dropout (fwd+bwd)",
    "aten::bernoulli_": "dropout (fwd+bwd)",
    "aten::_fused_adamw_": "AdamW step (fused)",
    "aten::embedding_dense_backward": "embeddings (fwd+bwd)",
    "aten::index_select": "embeddings (fwd+bwd)",
    "aten::embedding": "embeddings (fwd+bwd)",
    "aten::nll_loss_forward": "cross-entropy",
    "aten::nll_loss_backward": "cross-entropy",
    "aten::_log_softmax": "cross-entropy",
    "aten::_log_softmax_backward_data": "cross-entropy",
    "aten::_foreach_norm": "gradient norm (clipping)",
    "aten::linalg_vector_norm": "gradient norm (clipping)",
    "aten::_foreach_mul_": "gradient norm (clipping)",
    "aten::sum": "bias gradients (sum), reductions",
    "aten::add": "element-wise add/mul/div (residuals, grad accumulation, mask, scale)",
    "aten::add_": "element-wise add/mul/div (residuals, grad accumulation, mask, scale)",
    "aten::mul": "element-wise add/mul/div (residuals, grad accumulation, mask, scale)",
    "aten::div": "element-wise add/mul/div (residuals, grad accumulation, mask, scale)",
    "aten::zero_": "zero_grad, fill",
    "aten::fill_": "zero_grad, fill",
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--bf16", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    config = BertConfig(vocab_size=30522, hidden_size=384, num_hidden_layers=6, num_attention_heads=12,
                        intermediate_size=1536, num_labels=9, attn_implementation="eager")
    model = BertForTokenClassification(config)
    model.train()
    ids = torch.randint(1, config.vocab_size, (a.batch, a.seq))
    labels = torch.randint(0, config.num_labels, (a.batch, a.seq))
    opt = torch.optim.AdamW(model.parameters(), lr=2e-5, weight_decay=0.01, fused=True)

    def step():
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.bf16):
            out = model(input_ids=ids, labels=labels)
        out.loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad()

    for _ in range(3):
        step()
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(a.steps):
            step()
    start = time.perf_counter()
    for _ in range(a.steps):
        step()
    plain_ms = 1000 * (time.perf_counter() - start) / a.steps
    events = prof.key_averages()
    print(events.table(sort_by="self_cpu_time_total", row_limit=30))
    groups = collections.Counter()
    for e in events:
        groups[KINDS.get(e.key, "other (views, autograd, Python)")] += e.self_cpu_time_total / 1000 / a.steps
    total = sum(groups.values())
    print(f"\ntorch {'bf16 autocast' if a.bf16 else 'fp32'} train b{a.batch} t{a.seq}, {a.threads} threads: "
          f"{plain_ms:.1f} ms/step unprofiled ({a.batch * a.seq / plain_ms * 1000:,.0f} tokens/s); "
          f"operators' self CPU time {total:.1f} ms/step")
    print("| kind | ms/step | share |\n|---|---:|---:|")
    for kind, ms in groups.most_common():
        print(f"| {kind} | {ms:.2f} | {100 * ms / total:.1f}% |")


if __name__ == "__main__":
    main()

"""PyTorch reference throughput for `bench train` / `bench infer`, same model shape and grid.

Produces: one JSON object per line per configuration on stdout, with the fields `bench --json`
prints (`name`, `batch`, `seq`, `threads`, `steps`, `seconds`, `tokens_per_s`, `gflops`), so a
comparison can run both on the same quiet machine one after the other.
Model: --model minilm (default): a randomly initialised BertForTokenClassification of the
all-MiniLM-L6-v2 shape (6 layers, hidden 384, 12 heads, FFN 1536, 9 labels); --model distilbert:
a DistilBertForSequenceClassification at distilbert-base's layer sizes (dim 768, 12 heads, hidden
3072, vocab 30522, 2 labels) with --layers layers (default 2) and random weights, or loaded from
--checkpoint DIR (Scripts/distilbert_fixtures.py --bench DIR writes one, so both sides run the same
weights). Training = forward, backward, clip 1.0, AdamW (fused, as the Trainer's default),
zero_grad; inference = eval mode under no_grad.
Needs: torch, transformers (the reference venv: Scripts/make-venv.sh).
Run:   .venv/bin/python Scripts/bench/engine_torch_bench.py [train|infer] [--batch 8,32] [--seq 32,128]
       [--threads 1,2] [--seconds 3] [--bf16] [--model minilm|distilbert] [--layers 2] [--checkpoint DIR]
--bf16 runs forward (and loss) under torch.autocast("cpu", dtype=torch.bfloat16), as the Trainer's
bf16=True does on a CPU: weights and optimizer stay fp32, matrix products go to oneDNN in bf16.
"""
import argparse
import json
import time

import torch
from transformers import (AutoModelForSequenceClassification, BertConfig, BertForTokenClassification, DistilBertConfig,
                          DistilBertForSequenceClassification)


def flops_per_token(c, t):
    # The same count as `bench` (forwardFlopsPerToken): BertConfig and DistilBertConfig name the sizes differently.
    h, i, layers = c.hidden_size, getattr(c, "hidden_dim", None) or c.intermediate_size, c.num_hidden_layers
    return layers * (2 * (4 * h * h + 2 * h * i) + 4 * t * h) + 2 * h * c.num_labels


def make_model(args):
    """A fresh model of the chosen shape (seed 0) and whether its labels are per token."""
    if args.model == "minilm":
        config = BertConfig(vocab_size=30522, hidden_size=384, num_hidden_layers=6, num_attention_heads=12,
                            intermediate_size=1536, num_labels=9, attn_implementation="eager")
        return BertForTokenClassification(config), True
    if args.checkpoint:
        return AutoModelForSequenceClassification.from_pretrained(args.checkpoint, attn_implementation="eager"), False
    config = DistilBertConfig(n_layers=args.layers, num_labels=2, attn_implementation="eager")
    return DistilBertForSequenceClassification(config), False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["train", "infer"])
    ap.add_argument("--batch", default="8,32")
    ap.add_argument("--seq", default="32,128")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--bf16", action="store_true")
    ap.add_argument("--model", choices=["minilm", "distilbert"], default="minilm")
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--checkpoint", help="a DistilBERT checkpoint folder (--model distilbert)")
    args = ap.parse_args()
    ints = lambda s: [int(x) for x in s.split(",")]
    for n in ints(args.threads):
        torch.set_num_threads(n)
        for b in ints(args.batch):
            for t in ints(args.seq):
                torch.manual_seed(0)
                model, per_token = make_model(args)
                config = model.config
                ids = torch.randint(1, config.vocab_size, (b, t))
                labels = torch.randint(0, config.num_labels, (b, t) if per_token else (b,))
                if args.mode == "train":
                    model.train()
                    opt = torch.optim.AdamW(model.parameters(), lr=2e-5, weight_decay=0.01, fused=True)

                    def step():
                        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
                            out = model(input_ids=ids, labels=labels)
                        out.loss.backward()
                        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                        opt.step()
                        opt.zero_grad()
                else:
                    model.eval()

                    def step():
                        with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
                            model(input_ids=ids)
                step()
                steps, start = 0, time.perf_counter()
                while time.perf_counter() - start < args.seconds or steps < 2:
                    step()
                    steps += 1
                seconds = time.perf_counter() - start
                tokens = b * t * steps
                flops = (3 if args.mode == "train" else 1) * flops_per_token(config, t) * tokens
                print(json.dumps(dict(name=f"torch {args.mode}{'-bf16' if args.bf16 else ''} b{b} t{t} x{n}", batch=b, seq=t, threads=n, steps=steps,
                                      seconds=round(seconds, 3), tokens_per_s=round(tokens / seconds, 1),
                                      gflops=round(flops / seconds / 1e9, 2))), flush=True)


if __name__ == "__main__":
    main()

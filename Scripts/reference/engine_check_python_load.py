"""Checks that a checkpoint written by the Swift `savePretrained` loads in Python transformers
and gives the same logits as the PyTorch reference fixture.

Produces: nothing; prints the load report and the max abs logit difference, exits 1 on mismatch.
Needs:    torch, transformers, safetensors (the reference venv: Scripts/make-venv.sh).
Run:      ENGINE_EXPORT_DIR=/tmp/engine_export swift test --filter savePretrainedRoundTrips
          .venv/bin/python Scripts/reference/engine_check_python_load.py /tmp/engine_export
"""
import json
import os
import sys

import torch
from transformers import AutoModelForTokenClassification

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    path = sys.argv[1]
    model = AutoModelForTokenClassification.from_pretrained(path, attn_implementation="eager").eval()
    print(type(model).__name__, model.config.id2label)
    fx = json.load(open(os.path.join(ROOT, "Tests", "ModelsTests", "Fixtures", "tiny_token.json")))
    with torch.no_grad():
        logits = model(input_ids=torch.tensor(fx["input_ids"]), attention_mask=torch.tensor(fx["attention_mask"]),
                       token_type_ids=torch.tensor(fx["token_type_ids"])).logits
    diff = max(abs(a - b) for a, b in zip(logits.reshape(-1).tolist(), fx["logits"]))
    print(f"max abs logit difference to the PyTorch fixture: {diff:.3g}")
    sys.exit(0 if diff < 1e-5 else 1)


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# The Python reference stack for fixture generators and benchmarks, in .venv (git-ignored):
# torch (CPU), transformers, accelerate (its Trainer needs it), tokenizers, safetensors, seqeval, scikit-learn, numpy.
# Not needed to run the course or its tests. Usage: Scripts/make-venv.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet torch transformers accelerate tokenizers safetensors seqeval scikit-learn numpy
echo "reference Python ready: .venv/bin/python (bench uses it by default; COURSE_PYTHON overrides)"

#!/usr/bin/env bash
# The Python reference stack for the fixture generators, reference runs and benchmarks
# (Scripts/fixtures, Scripts/reference, Scripts/bench), in .venv at the package root
# (git-ignored), at the versions pinned in Scripts/requirements.txt: torch (CPU), transformers,
# accelerate, tokenizers, safetensors, numpy, huggingface_hub, datasets, pyarrow, seqeval,
# scikit-learn, tensorboard. Every script runs with this Python: .venv/bin/python, or
# $COURSE_PYTHON when set (then nothing is created here; install the requirements there).
# Not needed to build, test or run the course.
# Usage: Scripts/make-venv.sh               the reference venv (several minutes, ~2 GB)
#        Scripts/make-venv.sh --datasets2   also .venv-datasets2 with `datasets` 2.x, only for
#                                           Scripts/fixtures/data_datasets_printing.py
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${COURSE_PYTHON:-}" ]; then
    python="$COURSE_PYTHON"
else
    [ -x .venv/bin/python ] || python3 -m venv .venv
    python=.venv/bin/python
fi
"$python" -m pip install --quiet --upgrade pip
"$python" -m pip install --quiet -r Scripts/requirements.txt
echo "reference Python ready: $python (every script and bench use it; COURSE_PYTHON overrides .venv/bin/python)"
if [ "${1:-}" = "--datasets2" ]; then
    [ -x .venv-datasets2/bin/python ] || python3 -m venv .venv-datasets2
    .venv-datasets2/bin/python -m pip install --quiet -r Scripts/requirements-datasets2.txt
    echo "datasets 2.x Python ready: .venv-datasets2/bin/python (for Scripts/fixtures/data_datasets_printing.py)"
fi

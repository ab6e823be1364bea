"""NumPy permutations that `Dataset.shuffle(seed:)` and `trainTestSplit(seed:)` must reproduce.

Python `datasets` shuffles with `np.random.default_rng(seed).permutation(len(dataset))` and
splits with the same permutation (the first n_test indices are the test split). This writes,
for several seeds and sizes, the SeedSequence state words, the first and last 16 entries of
the permutation and a checksum sum(i * p[i]) to
Tests/DatasetsTests/Fixtures/numpy_permutations.json.

Needs: pip install numpy  (in /work/venv).
Run:   /work/venv/bin/python Scripts/data_numpy_random_fixtures.py
"""
import json
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "Tests" / "DatasetsTests" / "Fixtures" / "numpy_permutations.json"
cases = []
for seed in [0, 1, 42, 1234, 2**32 + 5, 2**63 + 11]:
    state = [str(int(w)) for w in np.random.SeedSequence(seed).generate_state(4, np.uint64)]
    for n in [1, 2, 10, 1000, 25000]:
        p = np.random.default_rng(seed).permutation(n)
        cases.append({"seed": str(seed), "n": n, "state": state, "head": [int(v) for v in p[:16]],
                      "tail": [int(v) for v in p[-16:]], "checksum": int(sum(i * int(v) for i, v in enumerate(p)))})
OUT.write_text(json.dumps({"cases": cases}, separators=(",", ":")))

"""Prints what a run_glue / run_ner style output folder holds, for the side-by-side scripts in
Scripts/reference/: the file names, the keys of each results JSON file, and the validation
metrics named on the command line (eval_ prefixed in eval_results.json).

Usage: python print_output_folder.py FOLDER METRIC [METRIC ...]
"""
import json
import os
import sys


def main():
    folder, metrics = sys.argv[1], sys.argv[2:]
    print(" ".join(sorted(os.listdir(folder))))
    for name in ("train_results.json", "eval_results.json", "all_results.json"):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            with open(path) as f:
                print(f"{name}: keys {sorted(json.load(f))}")
    with open(os.path.join(folder, "eval_results.json")) as f:
        results = json.load(f)
    print("  ".join(f"eval_{m} {results.get('eval_' + m, float('nan')):.4f}" for m in metrics))


if __name__ == "__main__":
    main()

"""What Python's huggingface_hub finds, offline, in a hub cache another program wrote.

Given a cache folder (the Swift Hub module's downloads through an HTTP mirror, made by
Tests/HubTests/SharedCacheTests.swift), this runs, with the network off,
  - hf_hub_download(repo, file, repo_type, local_files_only=True) for each file named, and
  - snapshot_download(repo, repo_type=..., local_files_only=True),
and prints JSON: the huggingface_hub version, each file's resolved path relative to the cache
(or the error's class name), the snapshot folder and the files in it, and the cache tree (paths,
symlink targets, refs contents) that was read. The Swift test runs it when a Python with
huggingface_hub is at hand (COURSE_PYTHON, else .venv/bin/python in the package root) and
otherwise compares its cache tree with Tests/HubTests/Fixtures/hf_shared_cache.json, which
this script wrote with --record from that same tree.

Needs: pip install huggingface_hub (made with 2.4.0). No network is used.
Run:   .venv/bin/python Scripts/hub_shared_cache_check.py CACHE model owner/tiny config.json model.safetensors
       add --record to write the result as the fixture (from the package root).
"""

import json
import os
import sys
from pathlib import Path


def cache_tree(root):
    entries = {}
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root)
            if rel.startswith(".locks") or rel == "CACHEDIR.TAG":
                continue
            if os.path.islink(full):
                entries[rel] = {"link": os.readlink(full)}
            elif "/refs/" in "/" + rel:
                entries[rel] = {"text": Path(full).read_text()}
            else:
                entries[rel] = {"size": os.path.getsize(full)}
    return dict(sorted(entries.items()))


def main():
    args = [a for a in sys.argv[1:] if a != "--record"]
    if len(args) < 4:
        sys.exit(__doc__)
    cache, repo_type, repo, files = os.path.abspath(args[0]), args[1], args[2], args[3:]
    os.environ.update({"HF_HUB_CACHE": cache, "HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1",
                       "HF_HUB_DISABLE_PROGRESS_BARS": "1"})
    import huggingface_hub  # after the environment is set: it reads it on import
    from huggingface_hub import hf_hub_download, snapshot_download

    found = {}
    for name in files:
        try:
            found[name] = os.path.relpath(hf_hub_download(repo, name, repo_type=repo_type, local_files_only=True), cache)
        except Exception as error:  # the class name is the result: what Python could not find
            found[name] = type(error).__name__
    try:
        folder = snapshot_download(repo, repo_type=repo_type, local_files_only=True)
        snapshot = {"folder": os.path.relpath(folder, cache),
                    "files": sorted(str(p.relative_to(folder)) for p in Path(folder).rglob("*") if p.is_file())}
    except Exception as error:
        snapshot = {"error": type(error).__name__}
    result = {"generator": f"Scripts/hub_shared_cache_check.py with huggingface_hub {huggingface_hub.__version__}",
              "repo": repo, "repoType": repo_type, "hfHubDownload": found, "snapshotDownload": snapshot,
              "tree": cache_tree(cache)}
    text = json.dumps(result, indent=1, sort_keys=True) + "\n"
    if "--record" in sys.argv:
        out = Path(__file__).resolve().parent.parent / "Tests/HubTests/Fixtures/hf_shared_cache.json"
        out.write_text(text)
        print(f"wrote {out}", file=sys.stderr)
    print(text, end="")


if __name__ == "__main__":
    main()

"""Reference for reading, offline, a dataset that Python's huggingface_hub put in the hub cache.

What it produces: Tests/HubTests/Fixtures/hf_dataset_snapshot.json, the cache tree that
`huggingface_hub.snapshot_download(repo_type="dataset")` leaves after downloading a small Parquet
dataset repository (two configurations' files in the layout the Hub serves, and a dataset card)
from a local stand-in Hub: relative paths, symlink targets, refs contents, blob sizes, and how to
rebuild each blob's bytes. huggingface_hub 2.x also keeps the commit's file listing there
(trees/<commit>.json, recorded verbatim), which the Swift reader uses when present. HubTests/DatasetCacheSnapshotTests.swift rebuilds that tree and must
read the dataset from it with HF_HUB_OFFLINE, without this module's own record.

Needs: pip install huggingface_hub (made with 2.4.0). No network: the Hub is a local http.server.
Run:   .venv/bin/python Scripts/hub_dataset_snapshot_reference.py   (from the package root;
       HF_REFERENCE_HOME=<dir> keeps the cache there instead of a temporary folder)
"""

import hashlib
import json
import os
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

COMMIT = "8888888888888888888888888888888888888888"
REPO = "owner/set"


def pseudo_random(count, seed):
    """The same bytes as `bytes(_:seed:)` in Tests/HubTests/Support/Helpers.swift (a 64-bit LCG)."""
    state, out = seed, bytearray()
    for _ in range(count):
        state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        out.append((state >> 33) & 0xFF)
    return bytes(out)


CARD = (b"---\nconfigs:\n- config_name: en\n  data_files:\n  - split: train\n    path: en/train-*\n"
        b"  - split: test\n    path: en/test-*\n- config_name: de\n  data_files:\n  - split: train\n"
        b"    path: de/train-*\n---\n# A small dataset\n")
# path -> (count, seed) of its pseudo-random bytes (not real Parquet: only the cache is at stake)
FILES = {
    "en/train-00000-of-00002.parquet": (3000, 51),
    "en/train-00001-of-00002.parquet": (2500, 52),
    "en/test-00000-of-00001.parquet": (1200, 53),
    "de/train-00000-of-00001.parquet": (900, 54),
}
BODIES = {path: pseudo_random(*spec) for path, spec in FILES.items()}
BODIES["README.md"] = CARD
REQUESTS = []


class StandInHub(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, headers, body, with_body):
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if with_body:
            self.wfile.write(body)
        self.close_connection = True

    def handle_one(self, with_body):
        path = self.path.split("?")[0]
        REQUESTS.append(f"{self.command} {path}")
        if path == f"/api/datasets/{REPO}/revision/main":
            info = {"id": REPO, "sha": COMMIT, "private": False,
                    "siblings": [{"rfilename": name} for name in sorted(BODIES)]}
            return self.reply(200, {"Content-Type": "application/json"}, json.dumps(info).encode(), with_body)
        if path == f"/api/datasets/{REPO}/tree/{COMMIT}":
            tree = []
            for name, body in sorted(BODIES.items()):
                entry = {"type": "file", "path": name, "size": len(body),
                         "oid": hashlib.sha1(b"blob %d\0" % len(body) + body).hexdigest()}
                if name.endswith(".parquet"):
                    entry["lfs"] = {"oid": hashlib.sha256(body).hexdigest(), "size": len(body), "pointerSize": 134}
                tree.append(entry)
            return self.reply(200, {"Content-Type": "application/json"}, json.dumps(tree).encode(), with_body)
        for revision in ("main", COMMIT):
            prefix = f"/datasets/{REPO}/resolve/{revision}/"
            if path.startswith(prefix) and path[len(prefix):] in BODIES:
                name = path[len(prefix):]
                body = BODIES[name]
                digest = hashlib.sha256(body).hexdigest()
                headers = {"X-Repo-Commit": COMMIT, "ETag": f'"{digest}"'}
                if name.endswith(".parquet"):   # LFS files, as on the Hub
                    headers.update({"X-Linked-Etag": f'"{digest}"', "X-Linked-Size": str(len(body))})
                else:                            # a git file: its ETag is the git blob sha1
                    sha1 = hashlib.sha1(b"blob %d\0" % len(body) + body).hexdigest()
                    headers["ETag"] = f'"{sha1}"'
                return self.reply(200, headers, body, with_body)
        self.reply(404, {"X-Error-Code": "EntryNotFound"}, b"not found", with_body)

    def do_HEAD(self):
        self.handle_one(with_body=False)

    def do_GET(self):
        self.handle_one(with_body=True)


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
            elif "/refs/" in "/" + rel or "/trees/" in "/" + rel:
                entries[rel] = {"text": Path(full).read_text()}
            else:
                entries[rel] = {"size": os.path.getsize(full)}
    return dict(sorted(entries.items()))


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandInHub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    home = os.environ.get("HF_REFERENCE_HOME") or tempfile.mkdtemp(prefix="hf-dataset-reference-")
    os.environ.update({
        "HF_HOME": home, "HF_ENDPOINT": f"http://127.0.0.1:{server.server_port}", "HF_HUB_DISABLE_XET": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1", "HF_HUB_DISABLE_PROGRESS_BARS": "1", "HF_HUB_OFFLINE": "0",
    })
    import huggingface_hub  # after the environment is set: it reads it on import
    from huggingface_hub import snapshot_download

    folder = snapshot_download(REPO, repo_type="dataset")
    server.shutdown()
    hub_cache = os.path.join(home, "hub")
    fixture = {
        "generator": f"Scripts/hub_dataset_snapshot_reference.py with huggingface_hub {huggingface_hub.__version__}",
        "repo": REPO, "commit": COMMIT, "snapshot": os.path.relpath(folder, hub_cache),
        "card": CARD.decode(), "files": {path: {"count": c, "seed": s} for path, (c, s) in FILES.items()},
        "requests": sorted(REQUESTS), "tree": cache_tree(hub_cache),
        # Which file each blob holds (README.md's blob is named by its git sha1, not a sha256).
        "blobs": {name: path for path, body in BODIES.items()
                  for name in (hashlib.sha256(body).hexdigest(), hashlib.sha1(b"blob %d\0" % len(body) + body).hexdigest())
                  if os.path.exists(os.path.join(hub_cache, "datasets--owner--set", "blobs", name))},
    }
    out = Path(__file__).resolve().parent.parent / "Tests/HubTests/Fixtures/hf_dataset_snapshot.json"
    out.write_text(json.dumps(fixture, indent=1, sort_keys=True) + "\n")
    print(f"wrote {out} ({out.stat().st_size} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()

"""Reference for the Hub module's cache layout and HTTP behaviour, from the real huggingface_hub.

What it produces: Tests/HubTests/Fixtures/hf_cache_reference.json, which records, for a few
downloads that Python's `huggingface_hub.hf_hub_download` makes from a local stand-in Hub,
  - the files the stand-in served (name, size, sha256 and the headers it sent),
  - the requests huggingface_hub made (method, path, Range header),
  - the cache tree it left behind (relative paths, symlink targets, refs contents).
HubTests/ReferenceCacheTests.swift serves the same files with the same headers from its own
test server, runs the Swift Hub, and compares the cache trees, so the Swift cache stays
interchangeable with the Python one.

Scenarios: a regular file (ETag, X-Repo-Commit), an LFS file whose resolve URL redirects to a
"CDN" (a second server: another origin, as on the real Hub) and carries X-Linked-Etag / X-Linked-Size, the same LFS file again with the first GET
cut mid-body (huggingface_hub resumes with a Range request), a file that does not exist (404
with X-Repo-Commit: recorded under .no_exist), and a dataset repository file.

Needs: pip install huggingface_hub (any 1.x/2.x; made with 2.4.0). No network: the Hub is a
local http.server on 127.0.0.1.
Run: .venv/bin/python Scripts/hub_reference_cache.py   (from the package root)
"""

import hashlib
import json
import os
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def pseudo_random(count, seed):
    """The same bytes as `bytes(_:seed:)` in Tests/HubTests/Support/Helpers.swift (a 64-bit LCG)."""
    state, out = seed, bytearray()
    for _ in range(count):
        state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        out.append((state >> 33) & 0xFF)
    return bytes(out)


CONFIG = b'{"hidden_size": 384, "model_type": "bert"}\n'
WEIGHTS = pseudo_random(100_000, seed=11)
TRAIN = b"EU B-ORG\nrejects O\n"
WEIGHTS_SHA = hashlib.sha256(WEIGHTS).hexdigest()

# path -> (status, headers, body, drop_after_bytes_on_first_get)
ROUTES = {
    "/owner/tiny/resolve/main/config.json": (200, {"ETag": '"cfg-etag-1"', "X-Repo-Commit": COMMIT}, CONFIG, None),
    "/owner/tiny/resolve/main/model.safetensors": (302, {
        "Location": "{cdn}/cdn/weights", "X-Linked-Etag": f'"{WEIGHTS_SHA}"', "X-Linked-Size": str(len(WEIGHTS)),
        "X-Repo-Commit": COMMIT, "ETag": '"pointer-etag"'}, b"", None),
    "/cdn/weights": (200, {"ETag": '"cdn"'}, WEIGHTS, 30_000),
    "/owner/tiny/resolve/main/tokenizer.json": (404, {"X-Error-Code": "EntryNotFound", "X-Repo-Commit": COMMIT},
                                                b"Entry not found", None),
    "/datasets/owner/set/resolve/main/train.txt": (200, {"ETag": '"train-etag"', "X-Repo-Commit": COMMIT}, TRAIN,
                                                  None),
}

REQUESTS = []
DROPPED = set()
CDN_BASE = [""]


class StandInHub(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_one(self, with_body):
        path = self.path.split("?")[0]
        REQUESTS.append({"method": self.command, "path": path, "range": self.headers.get("Range"),
                         "authorization": self.headers.get("Authorization")})
        status, headers, body, drop = ROUTES.get(path, (404, {"X-Error-Code": "RepoNotFound"}, b"", None))
        rng = self.headers.get("Range")
        headers = {key: value.replace("{cdn}", CDN_BASE[0]) for key, value in headers.items()}
        if status == 200 and rng and rng.startswith("bytes="):
            start = int(rng[6:].split("-")[0])
            headers["Content-Range"] = f"bytes {start}-{len(body) - 1}/{len(body)}"
            body, status = body[start:], 206
        cut = drop if (with_body and drop is not None and path not in DROPPED) else None
        if cut is not None:
            DROPPED.add(path)
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if with_body:
            self.wfile.write(body[:cut] if cut is not None else body)
        self.close_connection = True

    def do_HEAD(self):
        self.handle_one(with_body=False)

    def do_GET(self):
        self.handle_one(with_body=True)


def cache_tree(root):
    entries = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root)
            if rel.startswith(".locks"):
                continue
            if os.path.islink(full):
                entries[rel] = {"link": os.readlink(full)}
            elif "/refs/" in "/" + rel:
                entries[rel] = {"text": Path(full).read_text()}
            else:
                entries[rel] = {"size": os.path.getsize(full)}
    return dict(sorted(entries.items()))


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandInHub)
    cdn = ThreadingHTTPServer(("127.0.0.1", 0), StandInHub)   # same routes, another origin
    CDN_BASE[0] = f"http://127.0.0.1:{cdn.server_port}"
    for s in (server, cdn):
        threading.Thread(target=s.serve_forever, daemon=True).start()
    home = tempfile.mkdtemp(prefix="hf-reference-")
    os.environ.update({
        "HF_HOME": home, "HF_ENDPOINT": f"http://127.0.0.1:{server.server_port}", "HF_HUB_DISABLE_XET": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1", "HF_TOKEN": "hf_reference_token", "HF_HUB_DISABLE_PROGRESS_BARS": "1", "HF_HUB_OFFLINE": "0",
    })
    import huggingface_hub  # after the environment is set: it reads it on import
    from huggingface_hub import hf_hub_download
    from huggingface_hub.errors import EntryNotFoundError

    results = {}
    results["config.json"] = hf_hub_download("owner/tiny", "config.json")
    results["model.safetensors"] = hf_hub_download("owner/tiny", "model.safetensors")
    try:
        hf_hub_download("owner/tiny", "tokenizer.json")
        results["tokenizer.json"] = "present"
    except EntryNotFoundError:
        results["tokenizer.json"] = "EntryNotFound"
    results["train.txt"] = hf_hub_download("owner/set", "train.txt", repo_type="dataset")
    server.shutdown()
    cdn.shutdown()

    hub_cache = os.path.join(home, "hub")
    for name, path in list(results.items()):
        if path.startswith(hub_cache):
            results[name] = os.path.relpath(path, hub_cache)
    files = {name: {"size": len(body), "sha256": hashlib.sha256(body).hexdigest()}
             for name, body in [("config.json", CONFIG), ("model.safetensors", WEIGHTS), ("train.txt", TRAIN)]}
    # How the test rebuilds each body: small text verbatim, the weights from the generator's seed.
    files["config.json"]["text"] = CONFIG.decode()
    files["train.txt"]["text"] = TRAIN.decode()
    files["model.safetensors"]["pseudoRandom"] = {"count": len(WEIGHTS), "seed": 11}
    bodies = {"/owner/tiny/resolve/main/config.json": "config.json", "/cdn/weights": "model.safetensors",
              "/datasets/owner/set/resolve/main/train.txt": "train.txt"}
    fixture = {
        "generator": f"Scripts/hub_reference_cache.py with huggingface_hub {huggingface_hub.__version__}",
        "commit": COMMIT,
        "files": files,
        "routes": {path: {"status": s, "headers": h, "dropAfter": d, "body": bodies.get(path)}
                   for path, (s, h, _, d) in ROUTES.items()},
        "requests": REQUESTS,
        "resolved": results,
        "tree": cache_tree(hub_cache),
    }
    out = Path(__file__).resolve().parent.parent / "Tests/HubTests/Fixtures/hf_cache_reference.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(fixture, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"wrote {out} ({out.stat().st_size} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()

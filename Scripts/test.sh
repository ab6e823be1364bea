#!/usr/bin/env bash
# The test command: installs the system libraries the package links (if missing), then runs
# every test target. Fast and deterministic; needs no model or data (tests that use the real
# mirror files are skipped, with a reason, when COURSE_MIRROR is unset and ../shared/mirror is absent).
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh --deps-only
swift test "$@"

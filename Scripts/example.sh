#!/usr/bin/env bash
# Builds and runs Examples/FineTuneTiny, a separate package that uses the toolkit as a library
# (a path dependency on this repository and its product FineTuning): proof that the library product
# builds and fine-tunes outside the course runner. Its build folder is Examples/FineTuneTiny/.build
# (gitignored), separate from the root's .build, so the first run compiles the toolkit again.
# Needs the data mirror (COURSE_MIRROR, else ../shared/mirror beside the repository).
set -euo pipefail
cd "$(dirname "$0")/.."

swift build -c release --package-path Examples/FineTuneTiny
Examples/FineTuneTiny/.build/release/FineTuneTiny

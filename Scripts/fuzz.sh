#!/usr/bin/env bash
# Fuzz smoke: builds every libFuzzer target in Fuzz/<Name>/ (debug, so overflow and bounds checks
# trap, plus AddressSanitizer and LeakSanitizer) into .build-fuzz/, then runs each for SECONDS.
# Fails on any crash, trap, sanitizer report, leak, slow input (> 10 s) or > 2 GiB of memory.
#   Scripts/fuzz.sh [SECONDS] [Name...]        default: 30 s, every target
# The committed seeds in Fuzz/<Name>/corpus/ are read, never written; new inputs go to
# .build-fuzz/corpus/<Name>/ and crash inputs to .build-fuzz/artifacts/<Name>/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
shift || true
if [ $# -gt 0 ]; then
    names=("$@")
else
    names=()
    for dir in Fuzz/*/; do [ "$dir" = Fuzz/Driver/ ] || names+=("$(basename "$dir")"); done   # Driver: the shared shim
fi
[ ${#names[@]} -gt 0 ] || { echo "fuzz.sh: no targets in Fuzz/" >&2; exit 1; }

build=.build-fuzz
for name in "${names[@]}"; do
    [ -d "Fuzz/$name" ] || { echo "fuzz.sh: no target Fuzz/$name (have: $(ls Fuzz | tr '\n' ' '))" >&2; exit 1; }
    COURSE_FUZZ=1 swift build --build-path "$build" --manifest-cache none -Xswiftc -sanitize=fuzzer,address \
        --product "Fuzz$name" 2>&1 | { grep -Ev '^\[[0-9]+/[0-9]+\]|^Building|^Compiling|^Write' || true; }
    # pipefail: a failed build fails here even when an older binary is still in .build-fuzz.
    [ "${PIPESTATUS[0]}" -eq 0 ] && [ -x "$build/debug/Fuzz$name" ] || { echo "fuzz.sh: building Fuzz$name failed" >&2; exit 1; }
done

failed=0
for name in "${names[@]}"; do
    corpus="$build/corpus/$name" artifacts="$build/artifacts/$name/"
    mkdir -p "$corpus" "$artifacts"
    dict=()
    [ -f "Fuzz/$name/$name.dict" ] && dict=("-dict=Fuzz/$name/$name.dict")
    log="$build/$name.log"
    # Fuzz/lsan.supp: memory owned by lazily initialised Swift globals is not a leak.
    if ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1" LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp" \
        "$build/debug/Fuzz$name" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 -detect_leaks=1 \
        -print_final_stats=1 -artifact_prefix="$artifacts" "${dict[@]}" "$corpus" "Fuzz/$name/corpus" >"$log" 2>&1; then
        status=ok
    else
        status="FAILED ($(ls "$artifacts" | head -1 | sed "s|^|$artifacts|"); log $log)"
        failed=1
        tail -40 "$log" >&2
    fi
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
    echo "$name: $execs executions in $seconds s, $status"
done
exit $failed

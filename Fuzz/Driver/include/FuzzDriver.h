// Hands control to libFuzzer (linked by -sanitize=fuzzer) with the target's entry point.
#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer's driver (argument parsing, corpus, mutation loop) on LLVMFuzzerTestOneInput.
int fuzzDriverMain(int argc, char **argv);

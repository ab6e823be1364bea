#include "FuzzDriver.h"

// Provided by libFuzzer (libclang_rt.fuzzer) and by the fuzz target (its @_cdecl function).
// SwiftPM names an executable's entry point <Module>_main, so libFuzzer's own main() is never
// linked in; the target's main.swift calls this instead.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int fuzzDriverMain(int argc, char **argv) {
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}

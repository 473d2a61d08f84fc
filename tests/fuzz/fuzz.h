/* fuzz.h -- the entry points of provsim's fuzz targets.
 *
 * Each fuzz_*.c defines LLVMFuzzerTestOneInput, the libFuzzer entry point.
 * The same file links either with libFuzzer (-fsanitize=fuzzer, a
 * PROVSIM_FUZZ build, see tests/fuzz/run.sh) or with replay.c, a plain main()
 * that feeds it stored inputs, so CI replays every regression case with
 * gcc and without clang. A target reports a bug by crashing (abort, or a
 * sanitizer); returning 0 means the input was handled, valid or not. */
#ifndef PROVSIM_FUZZ_H
#define PROVSIM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with a message naming the broken expectation: a fuzz finding. */
_Noreturn void fuzz_fail(const char *what, const char *detail);

#endif

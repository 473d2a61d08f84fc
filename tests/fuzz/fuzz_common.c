/* fuzz_common.c -- what every fuzz target shares (see fuzz.h). */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>

_Noreturn void fuzz_fail(const char *what, const char *detail)
{
    fprintf(stderr, "provsim fuzz: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    abort();
}

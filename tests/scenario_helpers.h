/* scenario_helpers.h -- building scenarios from JSON text inside tests. */
#ifndef PROVSIM_TEST_SCENARIO_HELPERS_H
#define PROVSIM_TEST_SCENARIO_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/scenario.h"

/* Loads a scenario from JSON text; fails the test (abort) on error. */
static inline void load_json(const char *json, struct scenario *s)
{
    char err[SCN_ERRLEN];
    scn_doc *d = scn_doc_parse(json, strlen(json), err, sizeof err);
    if (!d) {
        fprintf(stderr, "test scenario does not parse: %s\n", err);
        abort();
    }
    if (scn_from_doc(d, s, err, sizeof err) != 0) {
        fprintf(stderr, "test scenario is invalid: %s\n", err);
        abort();
    }
    scn_doc_free(d);
}

#endif

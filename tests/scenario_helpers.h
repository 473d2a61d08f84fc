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

/* A small scenario the run-level tests share (sweep, tasks, compare,
 * plan): a 400-user rollout in batches of 100 against one token bucket of
 * 600/min, with background and other clients; NAME (JSON-escaped) and
 * REPS are string literals. About a second for a few replications. */
#define TH_TINY_SCENARIO(NAME, REPS)                                                     \
    "{\"name\": \"" NAME "\", \"start\": \"2026-12-01T00:00\", \"horizon\": \"1d\","      \
    " \"seed\": 7, \"replications\": " REPS ","                                             \
    " \"server\": {\"limits\": [{\"name\": \"writes\", \"type\": \"token_bucket\"," \
    "   \"rate\": \"600/min\", \"burst\": 60}]," \
    "  \"retry_after\": {\"mode\": \"limiter\"}," \
    "  \"latency\": {\"dist\": \"lognormal\", \"median\": \"300ms\", \"p95\": \"1s\"}," \
    "  \"reject_latency\": \"50ms\"}," \
    " \"client\": {\"workers\": 8, \"retry\": {\"policy\": \"retry_after\", \"max_attempts\": 0}}," \
    " \"workload\": {\"rollouts\": [{\"kind\": \"create\", \"users\": 400, \"at\": \"10:00\"," \
    "   \"batch_size\": 100, \"batch_interval\": \"2m\"}]," \
    "  \"background\": {\"shape\": \"business_hours\", \"peak_per_hour\": 60}," \
    "  \"other_clients\": {\"shape\": \"business_hours\", \"peak_per_hour\": 600}}}"

#endif

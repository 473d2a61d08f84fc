/* runner.h -- runs a scenario's replications and summarises the metrics.
 *
 * Replication r is seeded from (seed, r) alone, so results do not depend on
 * how many replications run or in which order; the series and the trace
 * come from replication 0. */
#ifndef PROVSIM_RUNNER_H
#define PROVSIM_RUNNER_H

#include <stdint.h>
#include <stdio.h>

#include "metrics.h"
#include "scenario.h"
#include "stats.h"

struct run_opts {
    int reps;          /* replications (from the scenario unless overridden) */
    uint64_t seed;
    int audit;         /* check the model's invariants after every event */
    FILE *series;      /* borrowed; CSV of replication 0, or NULL */
    FILE *trace;       /* borrowed; CSV of replication 0's requests, or NULL */
};

struct run_result {
    int reps;
    double *values;                 /* reps x M_COUNT, row per replication; owned */
    struct stats_summary sum[M_COUNT];
    double lower_bound_s;
    double wall_s;                  /* elapsed time of the replications */
    uint64_t events;                /* over all replications */
    /* audit failure: which invariant, when, which job */
    char audit_msg[256];
};

/* Returns 0, or 1 when --audit found a violation (audit_msg says which).
 * Caller owns *res (run_result_fini). */
int run_scenario(const struct scenario *s, const struct run_opts *o, struct run_result *res);
void run_result_fini(struct run_result *res);

/* Peak resident memory of this process so far, bytes. */
size_t run_peak_rss_bytes(void);

#endif

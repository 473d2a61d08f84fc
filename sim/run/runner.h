/* runner.h -- runs a scenario's replications and summarises the metrics.
 *
 * Replication r is seeded from (seed, r) alone, so results do not depend on
 * how many replications run or in which order; the series and the trace
 * come from replication 0. */
#ifndef PROVSIM_RUNNER_H
#define PROVSIM_RUNNER_H

#include <stdint.h>
#include <stdio.h>

#include "models/metrics.h"
#include "models/provision.h"
#include "scenario/scenario.h"
#include "engine/stats.h"

/* The state of replication 0 at one series time (every series_step_s):
 * the row the series CSV writes (sim/out/series.h). Rates are per minute
 * over the step that ends at t_s. */
struct run_sample {
    double t_s;                /* seconds since the scenario start */
    int64_t epoch_s;           /* naive local time of t_s, whole seconds */
    size_t queued, waiting_retry, in_flight, failed_tasks, succeeded_total;
    double attempts_per_min, throttled_per_min, other_throttled_per_min;
};

/* Where replication 0's series and trace go; the writers are the result
 * files' (sim/out/series.h, sim/out/trace.h). begin runs once, before the
 * first row. */
struct run_series {
    void (*begin)(void *ctx);
    void (*row)(void *ctx, const struct run_sample *s);
    void *ctx;
};
struct run_trace {
    void (*begin)(void *ctx);
    prov_trace_fn row; /* one call per request at its arrival at the server */
    void *ctx;
};

struct run_twins; /* twins.h */

struct run_opts {
    int reps;          /* replications (from the scenario unless overridden);
                        * with precision, the cap */
    double precision;  /* 0 = off; else a relative target, e.g. 0.02: stop once
                        * the 95% CI half-width of clear_time_s is at most
                        * precision * |mean| (at least 3 replications; a mean
                        * of 0 stops at 3) */
    uint64_t seed;
    int audit;         /* check the model's invariants after every event */
    int threads;       /* replications run on this many threads (<= 1: one);
                        * results are identical whatever the number */
    const struct run_series *series; /* borrowed; replication 0's series, or NULL */
    const struct run_trace *trace;   /* borrowed; replication 0's requests, or NULL */
    /* NULL, or called on the calling thread after each block of
     * replications with how many are done and the count asked for (the
     * cap with precision): a progress bar's hook; it changes no result */
    void (*on_progress)(void *arg, int done, int total);
    void *progress_arg;
    /* NULL, or the rollout-free replications to use instead of running
     * one per replication (twins.h): made for a scenario equal to this
     * one but for its rollouts, with the same seed, and enough of them */
    struct run_twins *twins;
};

struct run_result {
    int reps;
    double *values;                 /* reps x METRIC_COUNT, row per replication; owned */
    struct stats_summary sum[METRIC_COUNT];
    /* which limit binds: reps x METRIC_DETAIL_COUNT (metrics.h); owned */
    double *detail;
    struct stats_summary detail_sum[METRIC_DETAIL_COUNT];
    double lower_bound_s;
    double fair_share_s;            /* the old fluid figure, a reference (bound.h) */
    double strict_bound_s;          /* the bound's per-replication terms (bound.h) */
    int censored;                   /* replications that did not clear the rollout */
    double wall_s;                  /* elapsed time of the replications */
    uint64_t events;                /* over all replications */
    uint64_t requests;              /* this client's and other clients', over all replications */
    /* the rollout-free replications of the harm metrics: their events and
     * requests (work done, not in any metric) */
    uint64_t rf_events, rf_requests;
    double rf_s;                    /* their time, seconds, summed over threads */
    double precision;               /* the target asked for; 0 = off */
    int precision_reached;          /* 1 if the target was met within the cap */
    /* audit failure: which invariant, when, which job */
    char audit_msg[256];
};

/* Returns 0, or 1 when --audit found a violation (audit_msg says which).
 * Caller owns *res (run_result_fini). */
int run_scenario(const struct scenario *s, const struct run_opts *o, struct run_result *res);
void run_result_fini(struct run_result *res);

/* Parses a --precision value: "2%" or "0.02" (0 < P <= 1). Returns 0, or -1
 * if s is not such a value. */
int run_parse_precision(const char *s, double *out);

/* Peak resident memory of this process so far, bytes. */
size_t run_peak_rss_bytes(void);

#endif

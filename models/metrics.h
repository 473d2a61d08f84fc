/* metrics.h -- the per-replication metrics provsim reports, in one table:
 * names (as they appear in JSON and CSV), units and one-line definitions.
 * The README's metric table is the long form of this one. */
#ifndef PROVSIM_METRICS_H
#define PROVSIM_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "models/endpoint.h"
#include "models/server.h"

enum metric_unit { METRIC_UNIT_SECONDS, METRIC_UNIT_COUNT, METRIC_UNIT_RATIO };

enum metric {
    METRIC_CLEAR_TIME,
    METRIC_FAILED_TASKS_ZERO,
    METRIC_CLEARED,
    METRIC_FAILED_TASKS_CLEARED,
    METRIC_JOBS,
    METRIC_SUCCEEDED,
    METRIC_EXHAUSTED,
    METRIC_PARKED,
    METRIC_PENDING,
    METRIC_ATTEMPTS,
    METRIC_THROTTLED,
    METRIC_SERVER_ERRORS,
    METRIC_AMPLIFICATION,
    METRIC_ROLLOUT_JOB_ATTEMPTS,
    METRIC_JOBS_BEFORE_429,
    METRIC_PEAK_BACKLOG,
    METRIC_PEAK_FAILED_TASKS,
    METRIC_ROLLOUT_P50,
    METRIC_ROLLOUT_P95,
    METRIC_ROLLOUT_P99,
    METRIC_ROLLOUT_MAX,
    METRIC_GROUP_JOBS,
    METRIC_GROUP_CLEAR_TIME,
    METRIC_HARM_OTHER_THROTTLED,
    METRIC_HARM_BG_THROTTLED,
    METRIC_HARM_BG_DELAY_MEAN,
    METRIC_HARM_BG_DELAY_MAX,
    METRIC_HARM_BG_DELAYED_JOBS,
#define METRIC_HARM_FIRST METRIC_HARM_OTHER_THROTTLED /* the harm metrics, contiguous */
#define METRIC_HARM_LAST METRIC_HARM_BG_DELAYED_JOBS
    METRIC_BACKGROUND_JOBS,
    METRIC_BACKGROUND_LAT_MEAN,
    METRIC_BACKGROUND_LAT_P95,
    METRIC_BACKGROUND_THROTTLED,
    METRIC_OTHER_REQUESTS,
    METRIC_OTHER_THROTTLED,
    METRIC_LOWER_BOUND,
    METRIC_FAIR_SHARE,
    METRIC_EFFICIENCY,
    METRIC_EVENTS,
    METRIC_COUNT
};

struct metric_info {
    const char *name;
    enum metric_unit unit;
    const char *label; /* short, for the text summary */
};

extern const struct metric_info metric_table[METRIC_COUNT];

/* Which limit binds, per replication: for each endpoint its requests and
 * 429s (every origin), for each limiter (by its index in the scenario)
 * the 429s counted against it and their share of all 429s (0 when there
 * were none). One row of METRIC_DETAIL_COUNT values, indexed by these. */
#define METRIC_DETAIL_COUNT (2 * EP_COUNT + 2 * SRV_MAX_LIMITS)
static inline int metric_detail_ep(int endpoint, int throttled)
{
    return 2 * endpoint + throttled;
}
static inline int metric_detail_lim(int limiter, int share)
{
    return 2 * EP_COUNT + 2 * limiter + share;
}

struct prov;
struct bound_parts;
/* Fills out[METRIC_DETAIL_COUNT] from p's finished replication. */
void metric_detail(const struct prov *p, double *out);

/* Fills out[METRIC_COUNT] from p's finished replication (the rules are the
 * README's metric table). It consumes the jobs array: the rollout's
 * latencies are gathered in its place for the quantiles, and p->njobs is
 * 0 afterwards, so call it after everything else that reads p's jobs
 * (harm_compute, the audit, prov_check).
 * b and fair_share_s are the scenario's (bound.h); efficiency uses the
 * terms of b that bound every replication, so it never exceeds 1. The harm
 * metrics are left 0: harm_compute fills them from a pair of runs. */
void metric_compute(struct prov *p, const struct bound_parts *b, double fair_share_s,
                    double *out);

/* What the harm metrics need of a rollout-free replication, apart from
 * its model: runs that differ only in their rollouts (a sweep's cells)
 * share it (sim/run/twins.h), each reading it up to its own window's end.
 * Background jobs in arrival order. */
struct harm_base {
    double reject_latency_s;
    /* when its 429s were counted, in time order: other clients' at their
     * arrival, background jobs' at their response */
    double *t_other, *t_bg; /* owned */
    size_t n_other, n_bg, cap_other, cap_bg;
    size_t nbg, cap;
    double *created; /* owned: nbg creation times */
    double *latency; /* owned: nbg latencies, NAN for a job that did not succeed */
};
/* Before running the replication without (after prov_start): records its
 * 429s' times into b (through without's request hook, which it takes;
 * b's arrays are reused, b zeroed before its first use). */
void harm_base_record(struct prov *without, struct harm_base *b);
/* After it has run: its background jobs into b; gives the hook back. */
void harm_base_take(struct prov *without, struct harm_base *b);
void harm_base_fini(struct harm_base *b);
/* The end of replication p's harm window, seconds: settle_s after the
 * rollout settled, else where p stopped. The rollout-free replication need
 * not run past it. */
double harm_window_end_s(const struct prov *p);

/* The harm metrics of replication r (README, "Harm"): with is the run
 * with the rollouts, without the same replication without them (the same
 * seed, so the same background and other-client arrivals), run to
 * with's end. Background jobs are paired by arrival. */
void harm_compute(const struct prov *with, const struct harm_base *without, double *out);

#endif

/* metrics.h -- the per-replication metrics provsim reports, in one table:
 * names (as they appear in JSON and CSV), units and one-line definitions.
 * The README's metric table is the long form of this one. */
#ifndef PROVSIM_METRICS_H
#define PROVSIM_METRICS_H

#include "models/endpoint.h"
#include "models/server.h"

enum metric_unit { METRIC_UNIT_SECONDS, METRIC_UNIT_COUNT, METRIC_UNIT_RATIO };

enum metric {
    METRIC_CLEAR_TIME,
    METRIC_FAILED_TASKS_ZERO,
    METRIC_CLEARED,
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
    METRIC_BACKGROUND_JOBS,
    METRIC_BACKGROUND_LAT_MEAN,
    METRIC_BACKGROUND_LAT_P95,
    METRIC_BACKGROUND_THROTTLED,
    METRIC_OTHER_REQUESTS,
    METRIC_OTHER_THROTTLED,
    METRIC_LOWER_BOUND,
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
/* Fills out[METRIC_DETAIL_COUNT] from p's finished replication. */
void metric_detail(const struct prov *p, double *out);

/* Fills out[METRIC_COUNT] from p's finished replication (the rules are the
 * README's metric table). The latency arrays are reordered (quantiles).
 * lower_bound_s is the scenario's (bound.h). */
void metric_compute(struct prov *p, double lower_bound_s, double *out);

#endif

/* metrics.h -- the per-replication metrics provsim reports, in one table:
 * names (as they appear in JSON and CSV), units and one-line definitions.
 * The README's metric table is the long form of this one. */
#ifndef PROVSIM_METRICS_H
#define PROVSIM_METRICS_H

enum metric_unit { MU_SECONDS, MU_COUNT, MU_RATIO };

enum metric {
    M_CLEAR_TIME,
    M_FAILED_TASKS_ZERO,
    M_CLEARED,
    M_JOBS,
    M_SUCCEEDED,
    M_EXHAUSTED,
    M_PENDING,
    M_ATTEMPTS,
    M_THROTTLED,
    M_SERVER_ERRORS,
    M_AMPLIFICATION,
    M_PEAK_BACKLOG,
    M_PEAK_FAILED_TASKS,
    M_ROLLOUT_P50,
    M_ROLLOUT_P95,
    M_ROLLOUT_P99,
    M_ROLLOUT_MAX,
    M_BACKGROUND_JOBS,
    M_BACKGROUND_LAT_MEAN,
    M_BACKGROUND_LAT_P95,
    M_BACKGROUND_THROTTLED,
    M_OTHER_REQUESTS,
    M_OTHER_THROTTLED,
    M_LOWER_BOUND,
    M_EFFICIENCY,
    M_EVENTS,
    M_COUNT
};

struct metric_info {
    const char *name;
    enum metric_unit unit;
    const char *label; /* short, for the text summary */
};

extern const struct metric_info metric_table[M_COUNT];

#endif

/* series.h -- the series CSV: replication 0's state every series_step
 * (run --series FILE, run --out DIR/series.csv, compare's series-N.csv).
 * Writer and reader in one place, so the columns cannot drift apart:
 *   t_s, clock, queued, waiting_retry, in_flight, failed_tasks,
 *   succeeded_total, attempts_per_min, throttled_per_min,
 *   other_clients_throttled_per_min
 * (README, "Output files", defines each). */
#ifndef PROVSIM_SERIES_H
#define PROVSIM_SERIES_H

#include <stdio.h>

#include "run/runner.h"

enum series_col {
    SERIES_T_S,
    SERIES_CLOCK,
    SERIES_QUEUED,
    SERIES_WAITING_RETRY,
    SERIES_IN_FLIGHT,
    SERIES_FAILED_TASKS,
    SERIES_SUCCEEDED_TOTAL,
    SERIES_ATTEMPTS_PER_MIN,
    SERIES_THROTTLED_PER_MIN,
    SERIES_OTHER_THROTTLED_PER_MIN,
    SERIES_NCOLS
};

/* Column names, in file order. */
extern const char *const series_columns[SERIES_NCOLS];

/* Fills *out so the runner writes the series as CSV to f (borrowed: must
 * outlive the run). */
void series_csv_out(struct run_series *out, FILE *f);

#endif

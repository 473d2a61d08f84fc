/* series.h -- the series CSV: replication 0's state every series_step
 * (run --series FILE, run --out DIR/series.csv, compare's series-N.csv).
 * Writer and reader in one place, so the columns cannot drift apart:
 *   t_s, clock, queued, waiting_retry, in_flight, failed_tasks,
 *   succeeded_total, attempts_per_min, throttled_per_min,
 *   other_clients_throttled_per_min
 * (README, "Output files", defines each). */
#ifndef PROVSIM_SERIES_H
#define PROVSIM_SERIES_H

#include <stdint.h>
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

/* ---- reading a series back (the charts) ----
 * Columns are found by their names in the header, so the reader follows
 * the writer's table above: a header must name every column (in any
 * order; columns it does not know are skipped); every row has exactly the
 * header's fields, the clock a date-time, the others finite numbers. */

struct series_row {
    double v[SERIES_NCOLS]; /* by enum series_col; v[SERIES_CLOCK] is unused */
    int64_t clock_epoch_s;  /* the clock column: naive local seconds since 1970 */
};

struct series_reader {
    FILE *f;
    const char *path; /* borrowed, for messages */
    char *line;       /* owned: the last line read */
    size_t cap, lineno;
    int nfields;      /* fields per row: the header's */
    int *col;         /* owned: field -> enum series_col, or -1 (skipped) */
};

/* Opens path and reads its header. Returns 0, or -1 with err naming the
 * file ("PATH: <system error>"; "PATH: not a provsim series file (no
 * t_s,clock,... header)"); nothing is left open on failure. */
int series_open(struct series_reader *r, const char *path, char *err, size_t errlen);
/* Reads the next row, skipping blank lines: 1 with *row filled, 0 at the
 * end, -1 with err ("PATH: line N: not a series row"). */
int series_next(struct series_reader *r, struct series_row *row, char *err, size_t errlen);
/* Closes r (after series_open succeeded). */
void series_close(struct series_reader *r);

#endif

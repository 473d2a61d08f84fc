/* rundir.h -- the result directory of `provsim run --out DIR`, the data
 * the charts (plot.h) and the report (provsim report) are drawn from:
 *   DIR/run.json    the same JSON as --format json (without --perf)
 *   DIR/series.csv  the backlog series of replication 0 (as --series)
 *   DIR/meta.json   {"kind": "run", "scenario", "start", and for the
 *                   report: "horizon_s", "replications", "seed",
 *                   "rollouts" [{"kind","users","at","batch_size",
 *                   "batch_interval_s"}], "notes" [lines]}
 * Each file is written whole or not at all (outfile.h). New data makes the
 * charts and the report drawn from the old data stale, so they are
 * removed when the new data is committed. */
#ifndef PROVSIM_RUNDIR_H
#define PROVSIM_RUNDIR_H

#include <stddef.h>
#include <stdio.h>

#include "base/outfile.h"
#include "run/runner.h"
#include "scenario/scenario.h"

struct rundir {
    char *dir;              /* owned */
    struct outfile series;  /* DIR/series.csv, written by the runner */
};

/* Creates DIR (and missing parents) and opens DIR/series.csv for writing.
 * Returns 0, or -1 with a message naming the path; nothing is left open
 * on failure. */
int rundir_open(struct rundir *rd, const char *dir, char *err, size_t errlen);

/* Where the runner writes the series (borrowed). */
FILE *rundir_series(struct rundir *rd);

/* Writes run.json and meta.json, copies the series to also (borrowed, may
 * be NULL: a --series file given as well), commits everything and removes
 * stale charts and reports. Returns 0, or -1 with a message; rd is
 * finished either way. */
int rundir_commit(struct rundir *rd, const struct scenario *s, const struct run_result *r,
                  FILE *also, char *err, size_t errlen);

/* Discards everything written; rd is finished. */
void rundir_abort(struct rundir *rd);

#endif

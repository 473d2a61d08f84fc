/* backtest.h -- provsim backtest: the logged rollout replayed in a
 * scenario, minute by minute against what the log shows.
 *
 * The scenario gets the log's rollout (its start, size and kind:
 * calscn_replay) and runs its replications; per minute from the rollout's
 * start, the simulated mean and 90% band (the 5% and 95% points over
 * replications) of the completions, the 429s and the failed-task list are
 * set beside the observed values, and the simulated clear time (mean, 95%
 * CI of the mean, 95% prediction interval p2_5..p97_5 over replications)
 * beside the observed one. Outputs: the text on out; with out_dir,
 * backtest.json and backtest.csv there (and with plot, one chart per
 * curve, drawn from backtest.json by out/plot.h as provsim plot does). */
#ifndef PROVSIM_BACKTEST_H
#define PROVSIM_BACKTEST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "logs/measure.h"
#include "out/resultdir.h"

struct backtest_opts {
    const char *scenario;               /* the scenario file */
    struct meas_src logs;               /* the logs replayed */
    int reps;                           /* 0 = the scenario's */
    long seed;                          /* -1 = the scenario's */
    const char *out_dir;                /* NULL = text only */
    int plot;
};

/* Returns 0, 2 on bad input (err says what), 1 when an output cannot be
 * written (err says what) or a chart cannot be drawn (err is "": the
 * message is on stderr already). With plot and gnuplot missing, the
 * data is written, stderr says how to install it, and it returns 0, as
 * run --plot does. */
int backtest_run(const struct backtest_opts *o, FILE *out, char *err, size_t errlen);

/* The result files in out_dir (out/resultdir.h names them). */
#define BACKTEST_JSON RESDIR_BACKTEST_JSON
#define BACKTEST_CSV RESDIR_BACKTEST_CSV

#endif

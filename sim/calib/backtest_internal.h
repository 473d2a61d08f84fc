/* backtest_internal.h -- what backtest.c (the replay and the comparison)
 * and backtest_write.c (backtest.json, backtest.csv, the charts) share;
 * not for other modules. */
#ifndef PROVSIM_BACKTEST_INTERNAL_H
#define PROVSIM_BACKTEST_INTERNAL_H

#include <stddef.h>

#include "calib/simcurve.h"
#include "logs/measure.h"
#include "scenario/scenario.h"

enum { BT_DONE, BT_THROTTLED, BT_FAILED, BT_NCURVES };

struct bt_curve {
    const char *name, *label; /* "completions" (JSON, CSV, chart), "completions" (text) */
    const double *obs;        /* borrowed from the measurements; NULL = not in the log */
    double *mean, *p5, *p95;  /* owned; per minute */
    double inside;            /* share of minutes with obs in [p5, p95]; NAN without obs */
};

struct bt {
    struct meas m;       /* the log's rollout and curves */
    struct scenario scn; /* the replay */
    struct simc sim;
    struct bt_curve c[BT_NCURVES];
    double clear_mean, clear_lo, clear_hi, clear_p2_5, clear_p97_5, clear_min;
    int censored;        /* replications that did not clear */
    int observed_inside; /* the observed clear time in [p2_5, p97_5] */
    const char *okta_name, *access_name;
};

/* Writes backtest.json and backtest.csv in dir (made if missing) and,
 * with plot, the charts. Returns 0 or -1 with err. */
int bt_write(const struct bt *b, const char *dir, int plot, char *err, size_t errlen);

#endif

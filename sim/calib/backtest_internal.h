/* backtest_internal.h -- what backtest.c (the replay and the comparison)
 * and backtest_write.c (backtest.json, backtest.csv) share; not for other
 * modules. The charts are out/plot_backtest.c's, drawn from backtest.json. */
#ifndef PROVSIM_BACKTEST_INTERNAL_H
#define PROVSIM_BACKTEST_INTERNAL_H

#include <stddef.h>

#include "calib/simcurve.h"
#include "logs/measure.h"
#include "out/btresult.h"
#include "scenario/scenario.h"

/* the curves in the order of the file (out/btresult.h, which reads it) */
enum {
    BT_DONE = BTRES_COMPLETIONS,
    BT_THROTTLED = BTRES_THROTTLED,
    BT_FAILED = BTRES_FAILED,
    BT_NCURVES = BTRES_NCURVES
};

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
    /* provenance of the comparison: the logs as named, their SHA-256
     * (NULL: not read), and the options that chose what of them counts */
    const char *okta_name, *access_name;
    const char *okta_sha256, *access_sha256;
    const char *app, *agent; /* app NULL: the log's only app */
    double utc_offset_s;
};

/* Writes backtest.json and backtest.csv in dir (made if missing), having
 * removed the charts and report drawn from earlier data. Returns 0 or -1
 * with err. */
int bt_write(const struct bt *b, const char *dir, char *err, size_t errlen);

#endif

/* btresult.h -- a backtest directory's backtest.json read back and
 * checked, for its charts (plot_backtest.c) and its report
 * (report_backtest.c): one reader, so the two never disagree on what the
 * file says. calib/backtest_write.c writes the file; the README's
 * "provsim backtest" section defines every key.
 *
 * Checked, each failure naming the file and the key path: every key the
 * report or the charts use is there with its type; every curve has one
 * finite value per minute; the intervals are ordered; and the verdicts the
 * file states agree with its own numbers (observed_inside_p95 with the
 * observed clear time and the prediction interval, each curve's
 * share_inside_band with its observed values and band), so a report can
 * only repeat what the data shows. */
#ifndef PROVSIM_BTRESULT_H
#define PROVSIM_BTRESULT_H

#include <stddef.h>

struct cJSON;

/* The curves, in the order of the file, the CSV and the charts. */
enum { BTRES_COMPLETIONS, BTRES_THROTTLED, BTRES_FAILED, BTRES_NCURVES };
/* Their keys in "curves" ("completions", "throttled", "failed_tasks"). */
extern const char *const btres_curve_key[BTRES_NCURVES];

struct btres_curve {
    double *obs;                  /* owned; NULL: the log cannot show this curve */
    double *mean, *p5, *p95;      /* owned; one value per minute */
    double inside;                /* share of minutes with obs in [p5, p95]; NAN without obs */
    int inside_minutes;           /* how many minutes that is */
    double obs_total, mean_total; /* sums over the minutes (obs_total NAN without obs) */
};

struct btres {
    struct cJSON *root; /* owned: the parsed file; every string below is borrowed from it */
    const char *scenario;
    const struct cJSON *provenance;          /* the origin.h object */
    const char *okta_log, *access_log;       /* NULL: not read */
    const char *okta_sha256, *access_sha256; /* NULL: not recorded (an older file) */
    const char *app, *agent;                 /* NULL: not recorded */
    double utc_offset_s;                     /* NAN: not recorded */
    const char *start, *kind;                /* the replayed rollout */
    double start_s;                          /* naive local seconds since 1970 of minute 0 */
    double users;
    int reps;
    double seed;        /* NAN: not recorded */
    double obs_clear_s; /* seconds */
    int obs_cleared;    /* 0: the log ends first, obs_clear_s is a lower bound */
    int censored;       /* replications that did not clear */
    /* seconds; with censored == 0 the mean, its 95% CI and the 95%
     * prediction interval (NAN at_least); else at_least only (NAN others) */
    double mean, ci_lo, ci_hi, p2_5, p97_5, at_least;
    int observed_inside; /* the observed clear time in [p2_5, p97_5] */
    int minutes;
    struct btres_curve c[BTRES_NCURVES];
};

/* Reads DIR/backtest.json into *b (which the caller holds). Returns 0;
 * BTRES_UNREADABLE when it cannot be opened; BTRES_BAD when it is not
 * what backtest writes (bad input), with err naming the file and the key
 * ("DIR/backtest.json: not valid JSON", "...: curves.throttled.p95:
 * expected 17 numbers, one per minute"); *b then holds nothing to free. */
enum { BTRES_UNREADABLE = -1, BTRES_BAD = -2 };
int btres_read(struct btres *b, const char *dir, char *err, size_t errlen);
/* The same checks on text already in memory, named name in messages (the
 * fuzz target's entry). Returns 0 or BTRES_BAD. */
int btres_parse(struct btres *b, const char *text, size_t len, const char *name, char *err,
                size_t errlen);
void btres_fini(struct btres *b);

#endif

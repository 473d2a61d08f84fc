/* fit.h -- what the logs cannot show, fitted by simulation: the limiter's
 * rate and burst, the client's retry jitter and (with only a System Log)
 * its concurrency.
 *
 * The distance between a candidate and the log is Pearson's statistic
 * summed over the minutes of the observed curves (calib/simcurve.h):
 * sum of (simulated mean - observed)^2 / (simulated mean + 1). The
 * limiter's rate and burst and the workers are fitted to what got
 * through (completions, and accepted requests when an access log shows
 * them); the retry jitter to the 429s. Every candidate runs the same
 * replications 0..reps-1 with the same seed (common random numbers), so
 * differences between candidates are the parameters', not noise.
 * Search: coordinate by coordinate, a coarse grid over a bracket, then
 * golden-section search inside the best cell (integers: every integer
 * there), two passes.
 *
 * The burst, where the access log shows a 429 after the rollout's first
 * request, is counted, not searched (struct meas_burst): a bucket holding
 * burst - deficit tokens admits those and then rate x t requests until it
 * refuses one with under a token left, so burst = admitted - rate x span
 * + deficit + 0.5 (the token left, 0-1), with the fitted rate; the
 * deficit is what the client's requests of the 10 minutes before took
 * and the rate had not refilled (from their times). Its interval spans
 * the rate's interval, the token left and the stamps' resolution. Per
 * minute a burst of 20 is 20 requests among some 500 (the old fit found 5
 * for 20); fitting it to the accepted requests per second instead was
 * tried and measured worse (a spread of 4 tokens over logs, 89%
 * coverage, README). The count is right only if the bucket never ran
 * empty in those 10 minutes: a 429 there makes it a lower bound, and the
 * interval runs to the bracket's top (not identified above). Without a
 * count the burst is still searched, but it is not identified (edge[]
 * set, the interval the search's whole range): a bootstrap of the
 * per-minute fit held the true burst in 14 of 20 test logs.
 *
 * Uncertainty of the searched values: a parametric bootstrap. `boots`
 * logs are simulated from the fitted scenario with fresh seeds
 * (replications FIT_BOOT_FIRST..., which no candidate uses) and each is
 * refitted like the real one on a grid around the fitted value (each
 * point simulated with the fit's replications): the point of least
 * distance, refined by a parabola through it and its neighbours. For the
 * jitter and the workers, when the rate is fitted too, the grid has
 * FIT_RATE_ROWS rates around the fitted one and each refit first picks
 * the rate row that fits the throughput best, then the unknown in that
 * row, as the search does: the rate's error carries into the jitter's
 * (the 429s depend on both). The other unknowns and the measured values
 * (latency, ...) are held at theirs, so their errors are not in the
 * interval: 1% more measured latency moves the 429s about as much as 2 s
 * more jitter does, which is why the jitter's coverage is below 95%
 * (README). If more than 2.5% of the refits land on an end of the grid
 * that is not a bound of the value itself, or the real log's refit does,
 * or the interval below reaches past an end, the grid is widened
 * threefold, at most twice. The interval is the basic bootstrap's: with v
 * the fitted value, w the real log's refit on the same grid and q2.5,
 * q97.5 the refits' percentiles (log scale for the rate), [w - (q97.5 -
 * v), w - (q2.5 - v)], widened to hold v: subtracting the refits' offset
 * from v corrects the fit's own bias (its fixed replications are one
 * draw of the simulation noise). Why this and not a bootstrap over
 * minutes: the minutes of a backlog are strongly dependent (one minute's
 * leftover is the next one's queue), so resampling them as independent
 * made intervals far too narrow (8.03-8.27 for a true rate of 8), and a
 * 17-minute curve is too short for a block bootstrap's blocks; a
 * simulated log has the dependence the model gives it, and its refit has
 * the fit's fixed-seed noise. When the refits reach the widest grid's
 * end, the value is not identified by the log within it: edge[] is set
 * and the interval runs to the grid's end on the side it cannot bound.
 * The coverage this gives is measured (tests/calib-coverage.sh, README). */
#ifndef PROVSIM_FIT_H
#define PROVSIM_FIT_H

#include <stddef.h>
#include <stdint.h>

#include "calib/calscn.h"
#include "logs/measure.h"

struct cJSON;

/* The first replication of the bootstrap's simulated logs: far above any
 * --reps, so no fit candidate shares their random numbers. */
#define FIT_BOOT_FIRST 1000000u
#define FIT_FINAL 11    /* points of the bootstrap's grid */
#define FIT_RATE_ROWS 5 /* rates of the grid of the unknowns other than the rate */

struct fit_opts {
    int reps;                /* replications per candidate */
    int boots;               /* simulated logs of the bootstrap */
    int fit[CAL_NUNKNOWN];   /* 1: search this unknown */
};

struct fit_result {
    double value[CAL_NUNKNOWN], lo[CAL_NUNKNOWN], hi[CAL_NUNKNOWN];
    int fitted[CAL_NUNKNOWN];
    int edge[CAL_NUNKNOWN];  /* not identified: the interval runs to the grid's end */
    double grid_lo[CAL_NUNKNOWN], grid_hi[CAL_NUNKNOWN]; /* the last grid's ends (values) */
    int measured[CAL_NUNKNOWN]; /* 1: counted in the log (the burst), not searched */
    int full;                /* the measured burst: no 429 in the history before */
    double deficit;          /* the measured burst: tokens the history took, unrefilled */
    double start[CAL_NUNKNOWN]; /* the search's starting values */
    double distance;         /* at the fitted values */
    int evals;               /* candidates simulated */
    int nmin;                /* minutes compared */
};

/* Fits the unknowns o->fit selects in doc (changed in place to the
 * fitted values), against m's observed curves. Returns 0, or -1 with a
 * message (a candidate the loader refused). */
int fit_run(struct cJSON *doc, const struct meas *m, const struct fit_opts *o,
            struct fit_result *r, char *err, size_t errlen);

#endif

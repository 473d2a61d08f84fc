/* fit.h -- what the logs cannot show, fitted by simulation: the limiter's
 * rate and burst, the client's retry jitter and (with only a System Log)
 * its concurrency.
 *
 * The distance between a candidate and the log is Pearson's statistic
 * summed over the minutes of the observed curves (calib/simcurve.h):
 * sum over minutes and curves of (simulated mean - observed)^2 /
 * (simulated mean + 1). The limiter's rate and burst and the workers are
 * fitted to what got through (completions, and accepted requests when an
 * access log shows them); the retry jitter to the 429s. Every candidate
 * runs the same replications with the same seed (common random numbers),
 * so differences between candidates are the parameters', not noise.
 * Search: coordinate by coordinate, a coarse grid over a bracket, then
 * golden-section search inside the best cell (integers: every integer
 * there), two passes. Uncertainty: a bootstrap over minutes on a final
 * grid around each fitted value (the other unknowns held at theirs): the
 * minutes are resampled with replacement, the grid point of least
 * distance taken each time, and the interval is the 2.5% and 97.5%
 * points of those. */
#ifndef PROVSIM_FIT_H
#define PROVSIM_FIT_H

#include <stddef.h>
#include <stdint.h>

#include "calib/calscn.h"
#include "logs/measure.h"

struct cJSON;

struct fit_opts {
    int reps;                /* replications per candidate */
    int boots;               /* bootstrap resamples */
    int fit[CAL_NUNKNOWN];   /* 1: search this unknown */
};

struct fit_result {
    double value[CAL_NUNKNOWN], lo[CAL_NUNKNOWN], hi[CAL_NUNKNOWN];
    int fitted[CAL_NUNKNOWN];
    int edge[CAL_NUNKNOWN];  /* the interval reaches its grid's edge */
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

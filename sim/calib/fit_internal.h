/* fit_internal.h -- what fit.c (the search) and fit_interval.c (the
 * parametric bootstrap) share; not for other modules. */
#ifndef PROVSIM_FIT_INTERNAL_H
#define PROVSIM_FIT_INTERNAL_H

#include "calib/fit.h"
#include "calib/simcurve.h"

/* One log's curves, observed or simulated (borrowed). */
struct fit_curves {
    const double *done, *thr; /* nmin */
    const double *acc;        /* nmin, or NULL: no access log */
};

struct fitter {
    struct cJSON *doc;
    const struct meas *m;
    const struct fit_opts *o;
    struct fit_result *r;
    double *mean; /* the last candidate's mean curves: done, thr, acc (nmin each) */
    char *err;
    size_t errlen;
    int failed;
};

/* The curves of the log, and of replication b of a simulated set. */
struct fit_curves fit_observed(const struct meas *m);
struct fit_curves fit_replication(const struct meas *m, const struct simc *c, int b);

/* Simulates the document as it stands (replications 0..reps-1) into mean
 * (3 nmin values). Returns 0, or -1 (f->failed set) if the loader
 * refused it. */
int fit_simulate(struct fitter *f, double *mean);
/* The distance between mean curves and a log's, over the curves that
 * measure unknown `which` (-1: the per-minute ones all). */
double fit_distance(const struct fitter *f, const double *mean, const struct fit_curves *obs,
                    int which);

/* The parametric-bootstrap interval of unknown u (fit.h); boot holds the
 * logs simulated from the fitted scenario. */
void fit_interval(struct fitter *f, int u, const struct simc *boot);

#endif

/* calibrate.h -- provsim calibrate: logs in, a scenario out.
 *
 * Reads the System Log and/or the access log, measures what they show
 * (logs/measure.h), builds the scenario (calib/calscn.h), fits what they
 * cannot show (calib/fit.h), validates the result through the scenario
 * loader and writes it atomically (base/outfile.h), then prints what was
 * measured and fitted. */
#ifndef PROVSIM_CALIBRATE_H
#define PROVSIM_CALIBRATE_H

#include <stddef.h>
#include <stdio.h>

#include "logs/measure.h"

struct calib_opts {
    struct meas_src logs;              /* the logs read */
    const char *base;                  /* NULL = the loader's defaults */
    const char *out;                   /* the scenario written */
    int reps;                          /* replications per fit candidate */
    int boots;                         /* bootstrap resamples */
};

/* Returns 0, 2 for bad input (err says which file, line and why) or 1
 * when the output cannot be written. The summary goes to out. */
int calib_run(const struct calib_opts *o, FILE *out, char *err, size_t errlen);

#endif

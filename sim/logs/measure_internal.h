/* measure_internal.h -- what measure.c (the System Log side, the curves)
 * and measure_access.c (the access-log side) share; not for other modules. */
#ifndef PROVSIM_MEASURE_INTERNAL_H
#define PROVSIM_MEASURE_INTERNAL_H

#include "logs/measure.h"

/* The access log's latency, Retry-After, rates, recipe and concurrency. */
void meas_access(const struct access_log *a, struct meas *m);
/* Without a System Log: the rollout as the access log's burst of writes. */
int meas_access_rollout(const struct access_log *a, struct meas *m, char *err, size_t errlen);
/* The final request of a job of this kind in the access log (by the
 * recipe (enum client_requests, -1 = unknown: single)): POST /Users, PUT
 * /Users/{id} or PATCH /Users/{id}. */
int meas_final_endpoint(int recipe, int kind);
/* Adds one job of this kind at local time t to the background slots. */
void meas_bg_add(struct meas *m, double t, int kind);
/* The hours of log covering each slot, first..last (local). */
void meas_bg_cover(struct meas *m, double first, double last);

#endif

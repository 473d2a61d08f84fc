/* bound.h -- the lower bound on a rollout's clear time (lower_bound_s).
 *
 * The fastest any client could clear the scenario's rollouts: jobs cannot
 * finish before the last batch exists; no limiter can admit more than its
 * burst plus its sustained rate less the other clients' expected share
 * (a fluid bound); W workers cannot complete more than W per mean latency;
 * max_rate paces dispatches. Seconds from the first rollout job; +infinity
 * when the limits never let the rollout through. */
#ifndef PROVSIM_BOUND_H
#define PROVSIM_BOUND_H

#include "models/config.h"

double bound_clear_time_s(const struct scenario *s);

#endif

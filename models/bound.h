/* bound.h -- the lower bound on a rollout's clear time (lower_bound_s),
 * and the old fair-share figure (fair_share_s), kept as a reference only.
 *
 * lower_bound_s is a bound no clear time can beat: the rollout alone,
 * with the whole quota of every limiter (burst included, no other
 * client), the batch plan, the client's pacing and its workers. For each
 * batch k, the jobs created at or after it (n_k requests, n_ik of them
 * through limiter i: users, group creations and membership patches, each
 * by its recipe) cannot finish before
 *   t_k - first + max( (n_k - 1) / max_rate,            pacing
 *                      T_i(n_ik from t_k) for each i,    limiter quota
 *                      n_k x mean latency / W )          workers
 * where T_i is the least time limiter i needs to admit n_ik requests:
 * token bucket (n - burst) / rate; fixed window the window (k w - phase,
 * as the limiter aligns it) holding the n-th of L per window; a lockout
 * or a debt only admits less; sliding window
 * (ceil(n / L) - 1) w; concurrency n x mean latency / C. The workers and
 * concurrency terms use the MEAN latency: they bound the mean clear
 * time, not each replication's (with a constant latency they bound every
 * replication); the others bound every replication (with
 * existing_fraction, where a create's endpoint is drawn per job, the
 * count through a limiter is taken Hoeffding's margin below its mean:
 * missed with probability below 1e-11).
 *
 * fair_share_s is the former figure: each limiter's sustained rate minus
 * the other clients' expected share, as a fluid. A client that retries
 * every second takes tokens from the other clients, so clear times below
 * it are possible; it is not a bound. */
#ifndef PROVSIM_BOUND_H
#define PROVSIM_BOUND_H

#include "models/config.h"

struct bound_parts {
    double lower_bound_s;  /* every term: the bound on the mean clear time */
    double strict_s;       /* the terms that bound every replication */
};

/* Seconds from the first rollout job (0 without rollouts; +infinity
 * when the limits never let the rollout through). */
void bound_compute(const struct scenario *s, struct bound_parts *out);
double bound_clear_time_s(const struct scenario *s);
double bound_fair_share_s(const struct scenario *s);

/* Requests of one job of this kind (a rollout's users, or its group
 * jobs) that pass through limiter i, per the client's recipes
 * (client_requests_through: the endpoints the limiter applies to, or all
 * the requests of the kinds it applies to). strict: the fewest in any
 * replication (whichever way the existing-user draws went); else the
 * expected number. The one place that says how a job meets a limiter. */
double bound_requests_through(const struct scenario *s, int kind, int i, int strict);
/* Requests one job of this kind must get through (each holding a worker
 * for a latency): its recipe's length. */
double bound_requests_per_job(const struct scenario *s, int kind);

#endif

/* twins.h -- rollout-free replications shared by runs that differ only in
 * their rollouts.
 *
 * The harm metrics pair every replication r with r on the same day
 * without the rollouts (runner.c), up to the end of r's harm window. That
 * rollout-free replication depends on the scenario without its rollouts,
 * the seed and r alone, so the cells of a sweep whose axes all lie inside
 * workload.rollouts have the same one: with a fixed horizon it is run once
 * to the horizon, on the first cell that needs it, and every cell reads
 * it up to its own window's end (harm_compute). The results are the same
 * bytes as each run's own, which stops at its window's end
 * (tests/test_harm.c); only the work
 * changes. */
#ifndef PROVSIM_TWINS_H
#define PROVSIM_TWINS_H

#include <stdint.h>

#include "models/metrics.h"
#include "scenario/scenario.h"

struct run_twins;

/* Whether runs of s may share rollout-free replications: it has rollouts,
 * background or other-client traffic, and a fixed horizon. */
int run_twins_apply(const struct scenario *s);
/* For runs of scenarios equal to s but for their rollouts, with this seed,
 * up to reps replications (s is copied, and its strings are not used).
 * Caller owns: run_twins_free. */
struct run_twins *run_twins_create(const struct scenario *s, uint64_t seed, int reps);
void run_twins_free(struct run_twins *t);
/* Rollout-free replication r, run on first use (thread-safe; a thread
 * that asks for one being run waits for it). */
const struct harm_base *run_twins_get(struct run_twins *t, int r);
/* The horizon the replications ran to, seconds. */
double run_twins_horizon_s(const struct run_twins *t);

#endif

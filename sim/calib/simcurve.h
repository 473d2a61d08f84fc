/* simcurve.h -- a scenario's per-minute curves over replications: what
 * calibrate fits and backtest compares with a log's curves.
 *
 * Minute 0 starts at the first rollout's creation (rollouts[0].at_s), as
 * the observed curves start at the first assignment. Per replication and
 * minute: completions of jobs of the rollout's kind by the client
 * (rollout and background: what a log shows without telling them apart),
 * 429s to the client, and rollout jobs on the failed-task list at the
 * minute's end; and the client's requests the server accepted. A completion is counted at the arrival of its job's last
 * accepted request (the trace's time; a response comes a latency later,
 * well inside a minute). Replication r is seeded from (seed, r) as in
 * every run, so two scenarios run with the same seed share their random
 * numbers (common random numbers). */
#ifndef PROVSIM_SIMCURVE_H
#define PROVSIM_SIMCURVE_H

#include <stdint.h>

#include "scenario/scenario.h"

struct simc {
    int reps, nmin;
    double *done, *throttled, *failed; /* reps x nmin, row per replication; owned */
    double *accepted;                  /* reps x nmin: the client's requests accepted */
    double *clear_s;                   /* per replication: first creation -> last rollout
                                        * job done (censored: -> where it stopped) */
    int *cleared;                      /* per replication: 1 if every rollout job finished */
};

/* Runs replications 0..reps-1 of s (rollouts[0] gives kind and minute 0)
 * and fills *c (caller owns: simc_fini). */
void simc_run(const struct scenario *s, int nmin, int reps, struct simc *c);
/* The same for replications first_rep..first_rep+reps-1 (the bootstrap's
 * simulated logs, calib/fit.h, take seeds no fit candidate uses). */
void simc_run_at(const struct scenario *s, int nmin, uint64_t first_rep, int reps, struct simc *c);
void simc_fini(struct simc *c);

#endif

/* trace.h -- the trace CSV (run --trace FILE): one line per request of
 * replication 0, at its arrival at the server:
 *   t_s, job_id (empty for another client's request), origin, kind,
 *   attempt, outcome (accepted, throttled, error), retry_after_s (throttled
 *   only; empty when the 429 carried none, server mode none). */
#ifndef PROVSIM_TRACE_H
#define PROVSIM_TRACE_H

#include <stdio.h>

#include "run/runner.h"

/* Fills *out so the runner writes the trace as CSV to f (borrowed: must
 * outlive the run). */
void trace_csv_out(struct run_trace *out, FILE *f);

#endif

/* trace.h -- the trace CSV (run --trace FILE): one line per request of
 * replication 0, at its arrival at the server:
 *   t_s, job_id (empty for another client's request), origin, kind,
 *   attempt (the job's try, 1 = first), outcome (accepted, throttled,
 *   error), retry_after_s (throttled only; empty when the 429 carried
 *   none, server mode none), endpoint ("POST /Users"),
 *   step (the request's index in its job's recipe, 0 = first), limiter
 *   (throttled only: the limiter the 429 is counted against).
 * The last three columns came with request recipes; they are last so
 * that scripts reading the first seven by position keep working. */
#ifndef PROVSIM_TRACE_H
#define PROVSIM_TRACE_H

#include <stdio.h>

#include "run/runner.h"

struct trace_csv {
    FILE *f;                  /* borrowed */
    const struct scenario *s; /* borrowed: the limiters' names */
};

/* Fills *out so the runner writes the trace as CSV to f; w holds the
 * writer's state (all three borrowed: they must outlive the run). */
void trace_csv_out(struct run_trace *out, struct trace_csv *w, FILE *f,
                   const struct scenario *s);

#endif

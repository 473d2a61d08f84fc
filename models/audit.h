/* audit.h -- the --audit checks that need a memory of the run.
 *
 * prov_check (models/provision.c) checks one instant: every job in exactly
 * one state, the state counts, the ready queue, the workers, each
 * limiter's own state. What an instant cannot show is here, checked
 * against an independent shadow kept from the requests themselves:
 *  - no limiter admits past its quota in any window: per limiter, the
 *    admitted requests of the kinds it applies to are recorded and
 *      fixed_window    admitted in [k*w, (k+1)*w) <= limit, every k;
 *      sliding_window  admitted in (t - w, t] <= limit, every t;
 *      token_bucket    admitted in [0, t] <= burst + rate * t, every t;
 *      concurrency     admitted and not yet answered <= limit, always;
 *    with the limiters' own tolerance of 1e-9 s at each boundary (see
 *    limiter.c), so a request admitted exactly at a refill is not a
 *    violation;
 *  - time never goes backwards: every event is at or after the previous
 *    one, finite and not negative;
 *  - jobs = succeeded + exhausted + pending (queued + waiting + in flight),
 *    and jobs = rollout jobs + background jobs.
 * The shadow sees requests through the model's trace hook (which it
 * chains: --trace still works) and releases through the events. */
#ifndef PROVSIM_AUDIT_H
#define PROVSIM_AUDIT_H

#include "engine/evq.h"
#include "models/provision.h"

struct audit;

/* Starts auditing p's current replication (call after prov_start and after
 * setting p->trace): installs its trace hook in front of p's. p is borrowed
 * (must outlive); caller owns the result. */
struct audit *audit_create(struct prov *p);
/* Restores p's trace hook and frees a. audit_destroy(NULL) does nothing. */
void audit_destroy(struct audit *a);

/* Call with each popped event before prov_handle: checks time order and
 * notes the releases the event makes. Returns NULL, or a description of the
 * violation (valid until the next call) and *job (or -1). */
const char *audit_before(struct audit *a, const struct ev *ev, long *job);
/* Call after prov_handle: the first quota violation among the event's
 * requests, or the job balance. Same return convention. */
const char *audit_after(struct audit *a, long *job);

#endif

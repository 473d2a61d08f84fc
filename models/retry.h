/* retry.h -- the client's retry policies: how long a failed job waits
 * before it is ready to be sent again.
 *
 *  retry_after  delay = Retry-After + U(0, jitter)        (what Okta does);
 *               a 429 without Retry-After (0) waits fallback_s instead
 *  exponential  d = min(cap, base * 2^(n-1)) for the n-th failure, then
 *               none: d; full: U(0, d); equal: d/2 + U(0, d/2);
 *               decorrelated: min(cap, U(base, 3 * prev)), prev starting
 *               at base (AWS Architecture Blog, "Exponential Backoff and
 *               Jitter"). With respect_retry_after the delay is at least
 *               the server's Retry-After (nothing to respect without one).
 *  fixed        delay = delay_s + U(0, jitter)
 *  schedule     retries at fixed offsets from the job's FIRST failure, not
 *               from the latest one (Entra: 6 h, 12 h, 24 h, then every
 *               24 h): the n-th retry is due at first failure +
 *               schedule_s[n-1], past the list at first failure +
 *               schedule_s[last] + k * then_every_s (k = n - list length);
 *               delay = that due time - now, or 0 if it has already passed
 *               (a failure that comes after its next retry was due retries
 *               at once instead of skipping a slot). Without then_every_s
 *               the job has at most list length retries (retry_may_retry).
 *               Retry-After is ignored, as by fixed.
 * max_attempts bounds the attempts of one job (0 = unlimited).
 */
#ifndef PROVSIM_RETRY_H
#define PROVSIM_RETRY_H

#include <math.h>

#include <gsl/gsl_rng.h>

enum retry_policy {
    RETRY_POLICY_RETRY_AFTER,
    RETRY_POLICY_EXPONENTIAL,
    RETRY_POLICY_FIXED,
    RETRY_POLICY_SCHEDULE
};

#define RETRY_MAX_SCHEDULE 32 /* delays in one schedule */

enum retry_jitter {
    JITTER_NONE,
    JITTER_FULL,
    JITTER_EQUAL,
    JITTER_DECORRELATED
};

struct retry_cfg {
    enum retry_policy policy;
    double base_s;           /* exponential: first delay, seconds */
    double cap_s;            /* exponential: largest delay, seconds */
    enum retry_jitter jitter;/* exponential */
    double delay_s;          /* fixed: seconds */
    double jitter_s;         /* retry_after, fixed: extra U(0, jitter_s) */
    unsigned max_attempts;   /* attempts per job; 0 = unlimited */
    int respect_retry_after; /* exponential: wait at least Retry-After */
    double fallback_s;       /* retry_after: delay when a 429 has no Retry-After */
    double schedule_s[RETRY_MAX_SCHEDULE]; /* schedule: seconds from the first
                                            * failure, strictly increasing */
    unsigned nschedule;                    /* schedule: delays in schedule_s, >= 1 */
    double then_every_s;                   /* schedule: after the list; 0 = no more retries */
};

/* Delay in seconds after a job's failures-th failure (1-based) that came
 * with the given Retry-After (0 if none: a 5xx, or a 429 without the
 * header), since_first_s seconds after the job's first failure (0 at the
 * first; only schedule reads it). *prev_s carries the previous delay for
 * decorrelated jitter: set it to 0 for a new job. Draws from r only when
 * the policy has jitter. */
double retry_delay(const struct retry_cfg *c, unsigned failures, double retry_after_s,
                   double since_first_s, double *prev_s, gsl_rng *r);
/* retry_delay with its most common case inline (the client's loop asks it
 * once per 429): retry_after without jitter is the Retry-After itself, or
 * the fallback without one. */
static inline double retry_delay_fast(const struct retry_cfg *c, unsigned failures,
                                      double retry_after_s, double since_first_s, double *prev_s,
                                      gsl_rng *r)
{
    if (c->policy == RETRY_POLICY_RETRY_AFTER && !(c->jitter_s > 0) && retry_after_s >= 0 &&
        retry_after_s < HUGE_VAL)
        return retry_after_s > 0 ? retry_after_s : c->fallback_s;
    return retry_delay(c, failures, retry_after_s, since_first_s, prev_s, r);
}

/* Does the delay depend only on the failure count and Retry-After (no
 * jitter)? Then equal delays recur and the event queue can use lanes.
 * schedule: no (its delays depend on how late each failure came). */
int retry_is_deterministic(const struct retry_cfg *c);

/* Does the policy keep state per job: the previous delay (decorrelated
 * jitter), the time of the first failure (schedule)? The model keeps
 * those beside its jobs only when some policy needs them. */
int retry_needs_prev(const struct retry_cfg *c);
int retry_needs_first_failure(const struct retry_cfg *c);

/* May a job that has made `attempts` attempts try again? (max_attempts,
 * and a schedule without then_every_s allows nschedule retries.) */
static inline int retry_may_retry(const struct retry_cfg *c, unsigned attempts)
{
    /* a finite schedule: the first try plus one retry per listed delay */
    if (c->policy == RETRY_POLICY_SCHEDULE && !(c->then_every_s > 0) && attempts > c->nschedule)
        return 0;
    return c->max_attempts == 0 || attempts < c->max_attempts;
}

const char *retry_policy_name(enum retry_policy p);
int retry_policy_parse(const char *s);
const char *retry_jitter_name(enum retry_jitter j);
int retry_jitter_parse(const char *s);

#endif

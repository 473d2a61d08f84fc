/* retry.h -- the client's retry policies: how long a failed job waits
 * before it is ready to be sent again.
 *
 *  retry_after  delay = Retry-After + U(0, jitter)        (what Okta does)
 *  exponential  d = min(cap, base * 2^(n-1)) for the n-th failure, then
 *               none: d; full: U(0, d); equal: d/2 + U(0, d/2);
 *               decorrelated: min(cap, U(base, 3 * prev)), prev starting
 *               at base (AWS Architecture Blog, "Exponential Backoff and
 *               Jitter"). With respect_retry_after the delay is at least
 *               the server's Retry-After.
 *  fixed        delay = delay_s + U(0, jitter)
 * max_attempts bounds the attempts of one job (0 = unlimited).
 */
#ifndef PROVSIM_RETRY_H
#define PROVSIM_RETRY_H

#include <gsl/gsl_rng.h>

enum retry_policy {
    RETRY_POLICY_RETRY_AFTER,
    RETRY_POLICY_EXPONENTIAL,
    RETRY_POLICY_FIXED
};

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
};

/* Delay in seconds after a job's failures-th failure (1-based) that came
 * with the given Retry-After (0 if none, e.g. a 5xx). *prev_s carries the
 * previous delay for decorrelated jitter: set it to 0 for a new job. Draws
 * from r only when the policy has jitter. */
double retry_delay(const struct retry_cfg *c, unsigned failures, double retry_after_s,
                   double *prev_s, gsl_rng *r);

/* Does the delay depend only on the failure count and Retry-After (no
 * jitter)? Then equal delays recur and the event queue can use lanes. */
int retry_is_deterministic(const struct retry_cfg *c);

/* May a job that has made `attempts` attempts try again? */
int retry_may_retry(const struct retry_cfg *c, unsigned attempts);

const char *retry_policy_name(enum retry_policy p);
int retry_policy_parse(const char *s);
const char *retry_jitter_name(enum retry_jitter j);
int retry_jitter_parse(const char *s);

#endif

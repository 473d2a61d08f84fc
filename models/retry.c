/* retry.c -- the client's retry policies (rules in retry.h).
 *
 * Random streams: a policy draws from r only when it has jitter (exponential
 * with a jitter other than none, or retry_after/fixed with jitter_s > 0;
 * schedule never draws), and
 * then exactly one uniform per delay. Two scenarios that differ only in a
 * jitter-free policy therefore leave the jitter stream untouched, which keeps
 * common random numbers aligned across a comparison.
 *
 * Delays are finite and >= 0 for finite, non-negative parameters. */
#include "models/retry.h"

#include "base/util.h"

#include "engine/rng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const policy_names[] = {"retry_after", "exponential", "fixed", "schedule"};
static const char *const jitter_names[] = {"none", "full", "equal", "decorrelated"};
#define NPOLICIES (sizeof policy_names / sizeof policy_names[0])
#define NJITTERS (sizeof jitter_names / sizeof jitter_names[0])


/* U(0, j) if j > 0, else 0 without a draw. */
static double extra_jitter(double j, gsl_rng *r)
{
    return j > 0 ? rng_uniform_range(r, 0, j) : 0;
}

/* min(cap, base * 2^(n-1)) without overflow for any n. Past n - 1 = 2200
 * the product exceeds DBL_MAX for every positive base (the smallest
 * subnormal is 2^-1074), so the cap applies; below that ldexp at worst
 * overflows to +inf, which the min also turns into the cap. */
static double exp_backoff(double base, double cap, unsigned n)
{
    unsigned k = n - 1;
    if (base <= 0)
        return 0;
    if (k >= 2200)
        return cap;
    double d = ldexp(base, (int)k);
    return d < cap ? d : cap;
}

/* schedule: the n-th retry's offset from the first failure (n >= 1). */
static double schedule_due(const struct retry_cfg *c, unsigned n)
{
    XASSERT(c->nschedule >= 1 && c->nschedule <= RETRY_MAX_SCHEDULE);
    if (n <= c->nschedule)
        return c->schedule_s[n - 1];
    /* retry_may_retry stops a job before this without then_every */
    XASSERT(c->then_every_s > 0);
    return c->schedule_s[c->nschedule - 1] + (double)(n - c->nschedule) * c->then_every_s;
}

double retry_delay(const struct retry_cfg *c, unsigned failures, double retry_after_s,
                   double since_first_s, double *prev_s, gsl_rng *r)
{
    XASSERT(isfinite(retry_after_s) && retry_after_s >= 0);
    switch (c->policy) {
    case RETRY_POLICY_RETRY_AFTER:
        /* 0 = the 429 had no Retry-After (server mode none) */
        return (retry_after_s > 0 ? retry_after_s : c->fallback_s) + extra_jitter(c->jitter_s, r);
    case RETRY_POLICY_FIXED:
        return c->delay_s + extra_jitter(c->jitter_s, r);
    case RETRY_POLICY_SCHEDULE: {
        XASSERT(failures >= 1 && isfinite(since_first_s) && since_first_s >= 0);
        double d = schedule_due(c, failures) - since_first_s;
        return d > 0 ? d : 0; /* overdue: retry at once */
    }
    case RETRY_POLICY_EXPONENTIAL:
        break;
    default:
        XASSERT(!"known retry policy");
    }

    XASSERT(failures >= 1);
    double d = 0;
    switch (c->jitter) {
    case JITTER_NONE:
        d = exp_backoff(c->base_s, c->cap_s, failures);
        break;
    case JITTER_FULL:
        d = rng_uniform_range(r, 0, exp_backoff(c->base_s, c->cap_s, failures));
        break;
    case JITTER_EQUAL: {
        double half = exp_backoff(c->base_s, c->cap_s, failures) / 2;
        d = half + rng_uniform_range(r, 0, half);
        break;
    }
    case JITTER_DECORRELATED: {
        /* Ignores n: each delay grows from the previous one, so jobs that
         * failed together spread out instead of marching in step. */
        XASSERT(prev_s != NULL);
        double prev = *prev_s > 0 ? *prev_s : c->base_s;
        d = rng_uniform_range(r, c->base_s, 3 * prev);
        if (d > c->cap_s)
            d = c->cap_s;
        *prev_s = d;
        break;
    }
    default:
        XASSERT(!"known jitter");
    }
    if (c->respect_retry_after && d < retry_after_s)
        d = retry_after_s;
    return d;
}

const char *retry_policy_name(enum retry_policy p)
{
    return (unsigned)p < NPOLICIES ? policy_names[p] : "?";
}

int retry_policy_parse(const char *s)
{
    return xname_index(policy_names, NPOLICIES, s);
}

const char *retry_jitter_name(enum retry_jitter j)
{
    return (unsigned)j < NJITTERS ? jitter_names[j] : "?";
}

int retry_jitter_parse(const char *s)
{
    return xname_index(jitter_names, NJITTERS, s);
}

int retry_is_deterministic(const struct retry_cfg *c)
{
    switch (c->policy) {
    case RETRY_POLICY_EXPONENTIAL:
        return c->jitter == JITTER_NONE;
    case RETRY_POLICY_RETRY_AFTER:
    case RETRY_POLICY_FIXED:
        return !(c->jitter_s > 0.0);
    case RETRY_POLICY_SCHEDULE:
        return 0; /* delays shrink by however late each failure came */
    }
    return 0;
}

int retry_needs_prev(const struct retry_cfg *c)
{
    return c->policy == RETRY_POLICY_EXPONENTIAL && c->jitter == JITTER_DECORRELATED;
}

int retry_needs_first_failure(const struct retry_cfg *c)
{
    return c->policy == RETRY_POLICY_SCHEDULE;
}

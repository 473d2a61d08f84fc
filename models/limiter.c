/* limiter.c -- the server's rate limiters (rules in limiter.h).
 *
 * State per type, and its invariants (lim_check):
 *  fixed_window   window_index k = floor((t + phase) / w) of the last
 *                 request seen, count >= 0 counted requests in that window.
 *                 A change of window resets the count. k starts at 0, as
 *                 0 <= phase < w.
 *  token_bucket   tokens <= burst, brought up to date at last_s. Taking
 *                 does not clamp at 0: with count_rejected a rejected
 *                 request drives tokens negative, which is the punishment
 *                 (the bucket must refill past the debt before admitting);
 *                 with max_debt > 0 they stop at -max_debt.
 *  sliding_window the times of counted requests in (t - w, t], oldest
 *                 first, in a ring: ring_len <= ring_cap, entries in time
 *                 order. A request counted at s leaves the window at s + w.
 *  concurrency    in_service >= 0 requests taken and not yet released.
 *  lockout        locked_until_s >= 0: the end of the last lockout (0 if
 *                 none yet); it only moves forward, and only when the rule
 *                 refuses a request at or after it. Quota is untouched by
 *                 a lockout: taking (count_rejected) works as without one.
 * Fields of the other types keep their reset values.
 *
 * Floating point: times are sums of many doubles, so a client that waits
 * exactly Retry-After may arrive a few ulps before the instant the quota
 * frees up. Every boundary therefore has the same tolerance LIM_EPS_S: a
 * Retry-After is ceil(x - eps), a token bucket admits at 1 - eps tokens, a
 * window boundary or a sliding-window expiry counts as passed eps early.
 * Without it such a client would be refused once more with Retry-After 1.
 * (So the sliding-window guarantee is exactly: at most L counted requests
 * in any interval shorter than w - eps.) */
#include "models/limiter.h"

#include "models/job.h"
#include "base/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const type_names[] = {"fixed_window", "token_bucket", "sliding_window",
                                         "concurrency"};
#define NTYPES (sizeof type_names / sizeof type_names[0])

/* Precondition failures are programmer errors (the scenario loader let
 * through a value it must refuse, or the engine called out of order):
 * XASSERT, with the simulation time where the operation has one. */

/* Retry-After as HTTP sends it: whole seconds, at least 1. */
static double ra_round(double x)
{
    double s = ceil(x - LIM_EPS_S);
    return s < 1 ? 1 : s;
}

/* ---- fixed window ---------------------------------------------------- */

static void fw_advance(struct limiter *l, double t)
{
    double k = floor((t + l->cfg.phase_s + LIM_EPS_S) / l->cfg.window_s);
    XASSERT_AT(k >= l->window_index, t); /* time never goes backwards */
    if (k != l->window_index) {
        l->window_index = k;
        l->count = 0;
    }
}

/* ---- token bucket ---------------------------------------------------- */

static void tb_refill(struct limiter *l, double t)
{
    double dt = t - l->last_s;
    XASSERT_AT(dt >= 0, t);
    double tokens = l->tokens + l->cfg.rate_per_s * dt;
    l->tokens = tokens < l->cfg.burst ? tokens : l->cfg.burst;
    l->last_s = t;
}

/* ---- sliding window: ring of counted request times ------------------- */

static double ring_at(const struct limiter *l, size_t i)
{
    return l->ring[(l->ring_head + i) % l->ring_cap];
}

static void sw_expire(struct limiter *l, double t)
{
    double w = l->cfg.window_s;
    while (l->ring_len > 0 && l->ring[l->ring_head] <= t - w + LIM_EPS_S) {
        l->ring_head = (l->ring_head + 1) % l->ring_cap;
        l->ring_len--;
    }
}

static void sw_push(struct limiter *l, double t)
{
    if (l->ring_len > 0)
        XASSERT_AT(t >= ring_at(l, l->ring_len - 1), t);
    if (l->ring_len == l->ring_cap) {
        size_t old = l->ring_cap;
        void *p = l->ring;
        xgrow(&p, &l->ring_cap, old + 1, sizeof *l->ring);
        l->ring = p;
        /* The ring was full, so its wrapped part is [0, head); the new
         * capacity is at least double, so it fits right after the old end,
         * which makes the contents contiguous from head again. */
        if (l->ring_head > 0)
            memcpy(l->ring + old, l->ring, l->ring_head * sizeof *l->ring);
    }
    l->ring[(l->ring_head + l->ring_len) % l->ring_cap] = t;
    l->ring_len++;
}

/* ---- public ---------------------------------------------------------- */

void lim_init(struct limiter *l, const struct lim_cfg *cfg)
{
    memset(l, 0, sizeof *l);
    l->cfg = *cfg;
    switch (cfg->type) {
    case LIM_FIXED_WINDOW:
    case LIM_SLIDING_WINDOW:
        XASSERT(isfinite(cfg->window_s) && cfg->window_s > 0);
        XASSERT(isfinite(cfg->limit) && cfg->limit >= 1);
        XASSERT(isfinite(cfg->phase_s) && cfg->phase_s >= 0 && cfg->phase_s < cfg->window_s);
        break;
    case LIM_TOKEN_BUCKET:
        XASSERT(isfinite(cfg->rate_per_s) && cfg->rate_per_s > 0);
        /* burst < 1 would never hold a whole token: nothing is ever admitted */
        XASSERT(isfinite(cfg->burst) && cfg->burst >= 1);
        XASSERT(isfinite(cfg->max_debt) && cfg->max_debt >= 0);
        break;
    case LIM_CONCURRENCY:
        XASSERT(isfinite(cfg->concurrency) && cfg->concurrency >= 1);
        XASSERT(isfinite(cfg->retry_after_s) && cfg->retry_after_s >= 0);
        break;
    default:
        XASSERT(!"known limiter type");
    }
    XASSERT(cfg->type == LIM_FIXED_WINDOW || cfg->phase_s == 0);
    XASSERT(cfg->type == LIM_TOKEN_BUCKET || cfg->max_debt == 0);
    XASSERT(isfinite(cfg->lockout_s) && cfg->lockout_s >= 0);
    lim_reset(l);
}

void lim_fini(struct limiter *l)
{
    free(l->ring);
    l->ring = NULL;
    l->ring_cap = l->ring_head = l->ring_len = 0;
}

void lim_reset(struct limiter *l)
{
    l->window_index = 0;
    l->count = 0;
    l->tokens = l->cfg.type == LIM_TOKEN_BUCKET ? l->cfg.burst : 0;
    l->last_s = 0;
    l->ring_head = 0;
    l->ring_len = 0;
    l->in_service = 0;
    l->locked_until_s = 0;
}

/* The rule of the limiter's type, without lockout: lim_admit's contract. */
static int rule_admit(struct limiter *l, double t, double *retry_after_s)
{
    double ra = 0;
    switch (l->cfg.type) {
    case LIM_FIXED_WINDOW:
        fw_advance(l, t);
        if (l->count < l->cfg.limit)
            return 1;
        ra = ra_round((l->window_index + 1) * l->cfg.window_s - l->cfg.phase_s - t);
        break;
    case LIM_TOKEN_BUCKET:
        tb_refill(l, t);
        if (l->tokens >= 1 - LIM_EPS_S)
            return 1;
        ra = ra_round((1 - l->tokens) / l->cfg.rate_per_s);
        break;
    case LIM_SLIDING_WINDOW: {
        sw_expire(l, t);
        if ((double)l->ring_len < l->cfg.limit)
            return 1;
        /* One more fits once len - L + 1 entries have left, i.e. when the
         * entry at index len - L (0 = oldest) leaves at its time + w.
         * With a fractional L, "len < L" means len < ceil(L). */
        size_t lim = (size_t)ceil(l->cfg.limit);
        ra = ra_round(ring_at(l, l->ring_len - lim) + l->cfg.window_s - t);
        break;
    }
    case LIM_CONCURRENCY:
        if (l->in_service < l->cfg.concurrency)
            return 1;
        ra = ra_round(l->cfg.retry_after_s);
        break;
    }
    *retry_after_s = ra;
    return 0;
}

int lim_admit(struct limiter *l, double t, double *retry_after_s)
{
    double ra = 0;
    XASSERT_AT(isfinite(t) && t >= 0, t);
    /* without a lockout, locked_until_s stays 0 <= t */
    if (t + LIM_EPS_S < l->locked_until_s) {
        /* the state of the rule is not brought up to date here: it does
         * not need to be, every rule catches up at its next use */
        ra = ra_round(l->locked_until_s - t);
    } else if (rule_admit(l, t, &ra)) {
        return 1;
    } else if (l->cfg.lockout_s > 0) {
        l->locked_until_s = t + l->cfg.lockout_s;
        ra = ra_round(l->cfg.lockout_s);
    }
    if (retry_after_s)
        *retry_after_s = ra;
    return 0;
}

void lim_take(struct limiter *l, double t)
{
    XASSERT_AT(isfinite(t) && t >= 0, t);
    switch (l->cfg.type) {
    case LIM_FIXED_WINDOW:
        fw_advance(l, t);
        l->count += 1;
        break;
    case LIM_TOKEN_BUCKET:
        tb_refill(l, t);
        l->tokens -= 1; /* may go negative: see the file comment */
        if (l->cfg.max_debt > 0 && l->tokens < -l->cfg.max_debt)
            l->tokens = -l->cfg.max_debt;
        break;
    case LIM_SLIDING_WINDOW:
        sw_expire(l, t);
        sw_push(l, t);
        break;
    case LIM_CONCURRENCY:
        l->in_service += 1;
        break;
    }
}

void lim_take_admitted(struct limiter *l, double t)
{
    switch (l->cfg.type) {
    case LIM_FIXED_WINDOW:
        l->count += 1;
        break;
    case LIM_TOKEN_BUCKET:
        XASSERT_AT(l->last_s == t, t); /* lim_admit refilled it at t */
        l->tokens -= 1;
        if (l->cfg.max_debt > 0 && l->tokens < -l->cfg.max_debt)
            l->tokens = -l->cfg.max_debt;
        break;
    case LIM_SLIDING_WINDOW:
        sw_push(l, t);
        break;
    case LIM_CONCURRENCY:
        l->in_service += 1;
        break;
    }
}

void lim_release(struct limiter *l)
{
    if (l->cfg.type != LIM_CONCURRENCY)
        return;
    XASSERT(l->in_service > 0);
    l->in_service -= 1;
}

double lim_sustained_rate(const struct limiter *l, double mean_service_s)
{
    switch (l->cfg.type) {
    case LIM_FIXED_WINDOW:
    case LIM_SLIDING_WINDOW:
        return l->cfg.limit / l->cfg.window_s;
    case LIM_TOKEN_BUCKET:
        return l->cfg.rate_per_s;
    case LIM_CONCURRENCY:
        return mean_service_s > 0 ? l->cfg.concurrency / mean_service_s : INFINITY;
    }
    return INFINITY;
}

double lim_burst(const struct limiter *l)
{
    switch (l->cfg.type) {
    case LIM_FIXED_WINDOW:
    case LIM_SLIDING_WINDOW:
        return l->cfg.limit;
    case LIM_TOKEN_BUCKET:
        return l->cfg.burst;
    case LIM_CONCURRENCY:
        return l->cfg.concurrency;
    }
    return 0;
}

const char *lim_check(const struct limiter *l)
{
    if ((unsigned)l->cfg.type >= NTYPES)
        return "limiter state inconsistent: unknown type";
    if (!isfinite(l->window_index) || l->window_index < 0 || !isfinite(l->count) || l->count < 0)
        return "limiter state inconsistent: fixed-window index or count";
    if (!isfinite(l->tokens) || !isfinite(l->last_s) || l->last_s < 0 ||
        (l->cfg.type == LIM_TOKEN_BUCKET &&
         (l->tokens > l->cfg.burst || (l->cfg.max_debt > 0 && l->tokens < -l->cfg.max_debt))))
        return "limiter state inconsistent: token-bucket tokens or refill time";
    if (l->ring_len > l->ring_cap || (l->ring_cap == 0 && l->ring_head != 0) ||
        (l->ring_cap > 0 && (!l->ring || l->ring_head >= l->ring_cap)))
        return "limiter state inconsistent: sliding-window ring";
    for (size_t i = 0; i < l->ring_len; i++) {
        double s = ring_at(l, i);
        if (!isfinite(s) || s < 0 || (i > 0 && s < ring_at(l, i - 1)))
            return "limiter state inconsistent: sliding-window times out of order";
    }
    if (!isfinite(l->in_service) || l->in_service < 0 || l->in_service != floor(l->in_service))
        return "limiter state inconsistent: requests in service";
    if (!isfinite(l->locked_until_s) || l->locked_until_s < 0 ||
        (l->cfg.lockout_s == 0 && l->locked_until_s != 0))
        return "limiter state inconsistent: lockout end";
    return NULL;
}

const char *lim_type_name(enum lim_type t)
{
    return (unsigned)t < NTYPES ? type_names[t] : "?";
}

int lim_type_parse(const char *s)
{
    return xname_index(type_names, NTYPES, s);
}

const char *lim_label(const struct lim_cfg *c, int i, char *buf, size_t len)
{
    if (c->name)
        snprintf(buf, len, "%s", c->name);
    else
        snprintf(buf, len, "limits[%d] (%s)", i, lim_type_name(c->type));
    return buf;
}

/* A rate per second as people write it: per second if that is a whole
 * number, else per minute, else per hour. */
static void rate_words(double r, char *buf, size_t len)
{
    if (r >= 1.0 && r == floor(r))
        snprintf(buf, len, "%g/s", r);
    else if (r * 60.0 >= 1.0 && fabs(r * 60.0 - round(r * 60.0)) < 1e-9)
        snprintf(buf, len, "%g/min", round(r * 60.0));
    else
        snprintf(buf, len, "%.4g/h", r * 3600.0);
}

const char *lim_rule(const struct lim_cfg *c, char *buf, size_t len)
{
    char r[32];
    switch (c->type) {
    case LIM_TOKEN_BUCKET:
        rate_words(c->rate_per_s, r, sizeof r);
        snprintf(buf, len, "token bucket %s, burst %g", r, c->burst);
        break;
    case LIM_FIXED_WINDOW:
    case LIM_SLIDING_WINDOW:
        snprintf(buf, len, "%s %g per %g s", c->type == LIM_FIXED_WINDOW ? "fixed window" :
                 "sliding window", c->limit, c->window_s);
        break;
    case LIM_CONCURRENCY:
        snprintf(buf, len, "%g in flight", c->concurrency);
        break;
    }
    return buf;
}

/* limiter.h -- the server's rate limiters, one rule each.
 *
 * A limiter answers one question for a request arriving at time t: would it
 * admit it, and if not, what Retry-After would it send. Checking never
 * consumes quota; the server takes quota from every limiter only once all
 * of them admit (atomic admission), or from all when count_rejected is set.
 *
 * Rules (t in seconds since the scenario start; Retry-After in whole
 * seconds, at least 1, as HTTP sends it):
 *  fixed_window   L per window w; windows are [k*w - phase, (k+1)*w - phase)
 *                 with phase in [0, w): 0 starts them at t = 0; the
 *                 scenario's align "clock" sets it so that boundaries fall
 *                 on multiples of w of the wall clock.
 *                 Retry-After = ceil(window end - t).
 *  token_bucket   rate r per second, burst b; starts full, refills
 *                 continuously, a request takes one token.
 *                 Retry-After = ceil((1 - tokens) / r). With count_rejected
 *                 a refused request takes a token too, so tokens go
 *                 negative (a debt); max_debt > 0 stops them at -max_debt,
 *                 which bounds Retry-After by ceil((1 + max_debt) / r).
 *  sliding_window at most L counted requests in any interval (t - w, t].
 *                 Retry-After = ceil(time until enough counted requests
 *                 leave the window for one more to fit).
 *  concurrency    at most C requests in service at once (taken at
 *                 admission, released at the response).
 *                 Retry-After = the configured value.
 * Lockout (any type, lockout > 0): once the rule refuses a request at t0,
 * every request arriving before t0 + lockout is refused too, with
 * Retry-After = ceil(t0 + lockout - t). Requests refused during a lockout
 * do not extend it (SAP answers 429 "for 60 s", not "until 60 s of
 * quiet"); the first request after it is judged by the rule again, and a
 * refusal then starts a new lockout. lim_admit starts the lockout, so it
 * is called once per request.
 *
 * Costs: check and take are O(1) amortised (the sliding window pops expired
 * timestamps from a ring that grows geometrically, no allocation once warm).
 */
#ifndef PROVSIM_LIMITER_H
#define PROVSIM_LIMITER_H

#include <math.h>
#include <stddef.h>

enum lim_type {
    LIM_FIXED_WINDOW,
    LIM_TOKEN_BUCKET,
    LIM_SLIDING_WINDOW,
    LIM_CONCURRENCY
};

struct lim_cfg {
    enum lim_type type;
    double limit;          /* fixed/sliding window: requests per window */
    double window_s;       /* fixed/sliding window: seconds */
    double rate_per_s;     /* token bucket: refill, tokens per second */
    double burst;          /* token bucket: capacity, tokens */
    double concurrency;    /* concurrency: requests in service at once */
    double retry_after_s;  /* concurrency: the Retry-After it sends */
    double lockout_s;      /* any type: seconds refused after a refusal; 0 = none */
    double max_debt;       /* token bucket: tokens never go below -max_debt,
                            * tokens; 0 = no cap */
    double phase_s;        /* fixed window: seconds of the wall-clock window
                            * already past at t = 0, in [0, window_s) */
    /* What it limits: requests to the endpoints in ep_mask (EP_MASK bits)
     * and every request of jobs whose kind is in kind_mask (JOB_KIND_MASK
     * bits, the older selectors "create", ...). */
    unsigned ep_mask, kind_mask;
    char *name;            /* optional label for messages, owned; may be NULL */
};

struct limiter {
    struct lim_cfg cfg;   /* copy; name borrowed from the scenario */
    /* fixed window */
    double window_index;  /* index k of the current window */
    double count;         /* counted requests in the current window */
    /* token bucket */
    double tokens;
    double last_s;        /* time tokens was last brought up to date */
    /* sliding window: times of counted requests, oldest first, in a ring */
    double *ring;
    size_t ring_cap, ring_head, ring_len;
    /* concurrency */
    double in_service;
    /* lockout: refuse everything before this time (0 = not locked) */
    double locked_until_s;
};

/* init/fini own the limiter's contents; the caller holds the struct. */
void lim_init(struct limiter *l, const struct lim_cfg *cfg);
void lim_fini(struct limiter *l);
/* Back to the state at t = 0 (start of a replication); keeps the memory. */
void lim_reset(struct limiter *l);

/* Does a limiter with this configuration apply to a request to endpoint
 * ep sent by a job of this kind? */
static inline int lim_cfg_applies(const struct lim_cfg *c, int kind, int ep)
{
    return ((c->ep_mask >> ep) & 1u) | ((c->kind_mask >> kind) & 1u);
}
/* Would it admit a request arriving at t? Returns 1, or 0 and sets
 * *retry_after_s (whole seconds >= 1). t never decreases between calls.
 * A refusal starts the lockout, if the limiter has one. */
int lim_admit(struct limiter *l, double t, double *retry_after_s);

#define LIM_EPS_S 1e-9 /* seconds (or tokens): limiter.c's comment says why */

/* A token bucket's rule at t, inline (t >= the bucket's last update, no
 * lockout: lim_admit_fast checks both): the refill, the threshold and the
 * Retry-After lim_admit computes. */
static inline int lim_bucket_admit(struct limiter *l, double t, double *retry_after_s)
{
    double tokens = l->tokens + l->cfg.rate_per_s * (t - l->last_s);
    l->tokens = tokens < l->cfg.burst ? tokens : l->cfg.burst;
    l->last_s = t;
    if (l->tokens >= 1 - LIM_EPS_S)
        return 1;
    /* short of need tokens: a refill of need / rate seconds. At most one
     * second's refill (rate >= 1/s without count_rejected's debt) gives a
     * quotient of at most 1, so ceil(quotient - eps) is at most 1 and the
     * answer is the floor of 1 s: the same bits without the division,
     * which stalled the loop on every refusal */
    double need = 1 - l->tokens;
    if (need <= l->cfg.rate_per_s) {
        *retry_after_s = 1;
        return 0;
    }
    double ra = ceil(need / l->cfg.rate_per_s - LIM_EPS_S);
    *retry_after_s = ra < 1 ? 1 : ra;
    return 0;
}
/* A token bucket's take, inline, right after lim_bucket_admit at the same
 * t (the refill is done): one token, and the debt cap. */
static inline void lim_bucket_take(struct limiter *l)
{
    l->tokens -= 1;
    if (l->cfg.max_debt > 0 && l->tokens < -l->cfg.max_debt)
        l->tokens = -l->cfg.max_debt;
}
/* Is this a bucket lim_bucket_admit may decide (no lockout)? */
static inline int lim_is_plain_bucket(const struct lim_cfg *c)
{
    return c->type == LIM_TOKEN_BUCKET && !(c->lockout_s > 0);
}

/* lim_admit with the token bucket inline. The server asks every limiter
 * of every request this, and a call through the switch of rule types cost
 * more than the rule. A bucket without a lockout is decided here, as
 * lim_admit decides it; a lockout or another type goes to lim_admit. */
static inline int lim_admit_fast(struct limiter *l, double t, double *retry_after_s)
{
    if (l->cfg.type != LIM_TOKEN_BUCKET || l->cfg.lockout_s > 0 || !(t >= l->last_s))
        return lim_admit(l, t, retry_after_s);
    return lim_bucket_admit(l, t, retry_after_s);
}
/* Counts a request arriving at t against the quota (after lim_admit, for
 * an admitted request, or for a rejected one when count_rejected). */
void lim_take(struct limiter *l, double t);
/* lim_take right after lim_admit(l, t) admitted the request: the state is
 * already brought up to t (the refill, the window, the expiry), so only
 * the count changes. The same result as lim_take(l, t), for less. */
void lim_take_admitted(struct limiter *l, double t);
/* lim_take_admitted with the token bucket inline, for the server's loop
 * (the same take and debt cap). */
static inline void lim_take_admitted_fast(struct limiter *l, double t)
{
    if (l->cfg.type != LIM_TOKEN_BUCKET || l->last_s != t) {
        lim_take_admitted(l, t);
        return;
    }
    lim_bucket_take(l);
}
/* A request that lim_take counted has left service (concurrency only;
 * a no-op for the other types). */
void lim_release(struct limiter *l);

/* Long-run admitted requests per second (concurrency: C / mean service
 * time) and the extra requests it admits at once from a fresh start. */
double lim_sustained_rate(const struct limiter *l, double mean_service_s);
double lim_burst(const struct limiter *l);

/* Checks the state's invariants (tokens <= burst, tokens >= -max_debt
 * when capped, counts and in_service >= 0, ring within its capacity and
 * in time order, lockout end >= 0). Returns NULL if they hold, else a
 * description of the first that fails. O(ring length): for assertions and
 * tests, not the hot path. */
const char *lim_check(const struct limiter *l);

/* A limiter's label for tables, traces and messages: its name, else
 * "limits[i] (type)". Returns buf. */
const char *lim_label(const struct lim_cfg *c, int i, char *buf, size_t len);

/* Its rule in a few words: "token bucket 180/min, burst 20",
 * "fixed window 1000 per 3600 s", "75 in flight". Returns buf. */
const char *lim_rule(const struct lim_cfg *c, char *buf, size_t len);

/* Type names as in scenarios ("token_bucket"); parse returns -1 if unknown. */
const char *lim_type_name(enum lim_type t);
int lim_type_parse(const char *s);

#endif

/* server.h -- the SaaS app's SCIM API: its limiters, how it computes
 * Retry-After, and how long it takes to answer.
 *
 * Admission happens at a request's arrival (its dispatch time) and is
 * atomic: the request is accepted only if every limiter that applies to it
 * (its endpoint, or its job's kind; limiter.h) admits it, and only then does any limiter take quota (or all of them
 * do, also for a rejected request, with count_rejected: the punitive
 * limiter that starts retry storms). A rejected request gets the largest
 * Retry-After among the limiters that refused it, or the fixed value in
 * fixed mode; plus U(0, jitter) if set; rounded up to whole seconds, >= 1.
 * That limiter (the first of them in the scenario's order on a tie) is the
 * one the 429 is counted against: each 429 has exactly one refusing
 * limiter, so the per-limiter refusals add up to the 429s. In mode none
 * the 429 carries no Retry-After, represented as 0. */
#ifndef PROVSIM_SERVER_H
#define PROVSIM_SERVER_H

#include <gsl/gsl_rng.h>

#include <stdint.h>

#include "models/dist.h"
#include "models/endpoint.h"
#include "models/job.h"
#include "models/limiter.h"

#define SRV_MAX_LIMITS 16

/* How the server computes Retry-After (none: it sends no header). */
enum srv_ra_mode { SRV_RA_LIMITER, SRV_RA_FIXED, SRV_RA_NONE };

/* The server's configuration (the scenario's "server" section). */
struct srv_cfg {
    struct lim_cfg limits[SRV_MAX_LIMITS];
    int nlimits;                 /* 0 = unlimited server */
    enum srv_ra_mode ra_mode;
    double ra_fixed_s;           /* SRV_RA_FIXED: the Retry-After, seconds */
    double ra_jitter_s;          /* extra U(0, jitter) before rounding up */
    struct dist latency;         /* accepted requests' service time */
    double reject_latency_s;     /* time to a 429 */
    double error_rate;           /* P(5xx) for an accepted request */
    int count_rejected;          /* rejected requests consume quota */
};


/* What the server answered to one request. */
enum srv_outcome { SRV_OK, SRV_THROTTLED, SRV_ERROR };

struct server {
    const struct srv_cfg *cfg; /* borrowed (must outlive) */
    struct limiter lims[SRV_MAX_LIMITS];
    int nlims;
    /* the limiters (bit i = lims[i]) that apply to a request, by its job's
     * kind and its endpoint; and those of them that are concurrency limits */
    uint16_t sel[JOB_KIND_COUNT][EP_COUNT];
    uint16_t holds[JOB_KIND_COUNT][EP_COUNT];
    uint64_t refusals[SRV_MAX_LIMITS]; /* 429s counted against each limiter */
    /* every limiter a token bucket without lockout, and the Retry-After
     * the limiters' own without jitter: srv_admit decides inline */
    int buckets_only;
};

void srv_init(struct server *s, const struct srv_cfg *cfg);
void srv_fini(struct server *s);
void srv_reset(struct server *s);

/* Decides a request to endpoint ep, sent by a job of the given kind,
 * arriving at t. Returns 1 (accepted) or 0 (429: *retry_after_s set, >= 1,
 * or 0 for no header in mode none; *refused_by the index of the limiter it
 * is counted against). jitter_rng is drawn from only when the server has
 * Retry-After jitter and the request is rejected. srv_admit_general
 * decides any server; srv_admit decides a server of plain buckets
 * (buckets_only) inline, with the same result, and passes the rest on:
 * it runs for every request, and the call and the checks of rule types
 * and lockouts cost more than the buckets' arithmetic. */
int srv_admit_general(struct server *s, double t, int kind, int ep, double *retry_after_s,
                      int *refused_by, gsl_rng *jitter_rng);
static inline int srv_admit(struct server *s, double t, int kind, int ep, double *retry_after_s,
                            int *refused_by, gsl_rng *jitter_rng)
{
    if (!s->buckets_only)
        return srv_admit_general(s, t, kind, ep, retry_after_s, refused_by, jitter_rng);
    /* srv_admit_general's rules where only plain buckets decide: each that
     * applies is brought up to t; the largest Retry-After wins, the first
     * on a tie; every one takes a token if all admit, or also on a refusal
     * with count_rejected (a bucket holds no place in service) */
    unsigned sel = s->sel[kind][ep];
    double ra = 0.0;
    int by = -1;
    for (unsigned m = sel; m; m &= m - 1) {
        int i = __builtin_ctz(m);
        double r;
        if (!lim_bucket_admit(&s->lims[i], t, &r) && (r > ra || by < 0)) {
            ra = r;
            by = i;
        }
    }
    if (by < 0 || s->cfg->count_rejected)
        for (unsigned m = sel; m; m &= m - 1)
            lim_bucket_take(&s->lims[__builtin_ctz(m)]);
    if (by < 0)
        return 1;
    s->refusals[by]++;
    *refused_by = by;
    *retry_after_s = ra;
    return 0;
}

/* An accepted request has been answered: frees its place in the
 * concurrency limiters. Only needed when srv_holds(s, kind, ep). */
void srv_release(struct server *s, int kind, int ep);
static inline int srv_holds(const struct server *s, int kind, int ep)
{
    return s->holds[kind][ep] != 0;
}

#endif

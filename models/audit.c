/* audit.c -- see audit.h.
 *
 * The shadow is deliberately simpler than the limiters: it never decides
 * anything, it only counts what was admitted, so a bug in a limiter's
 * bookkeeping (a refill that overshoots, a window that never rolls, a
 * release counted twice) shows up as a count above the quota even when
 * the limiter's own state looks consistent to lim_check. */
#include "models/audit.h"

#include "base/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EPS_S 1e-9 /* the limiters' boundary tolerance (limiter.c, LIM_EPS_S) */

struct shadow {
    const struct lim_cfg *cfg; /* borrowed from the scenario */
    double window_k, count;    /* fixed window: current window and its admissions */
    double *ring;              /* sliding window: admission times, oldest first */
    size_t cap, head, len;
    double admitted;           /* token bucket: admissions since t = 0 */
    double in_service;         /* concurrency: admitted, not yet answered */
};

struct audit {
    struct prov *p;
    prov_trace_fn next;        /* the hook we displaced (--trace), or NULL */
    void *next_ctx;
    struct shadow lim[SRV_MAX_LIMITS];
    int nlim;
    double last_t;             /* time of the previous event */
    const char *bad;           /* first violation seen by the hook, or NULL */
    long bad_job;
    char msg[256];
};

/* The audit's messages quote a name and add the type. */
static const char *audit_label(const struct lim_cfg *c, int i, char *buf, size_t len)
{
    if (c->name)
        snprintf(buf, len, "\"%.40s\" (%s)", c->name, lim_type_name(c->type));
    else
        lim_label(c, i, buf, len);
    return buf;
}

/* Records one admission at t against limiter i; returns 0 or -1 with the
 * violation written into a->msg. */
static int admit(struct audit *a, int i, double t)
{
    struct shadow *sh = &a->lim[i];
    const struct lim_cfg *c = sh->cfg;
    char name[96];
    switch (c->type) {
    case LIM_FIXED_WINDOW: {
        double k = floor((t + c->phase_s + EPS_S) / c->window_s);
        if (k != sh->window_k) {
            sh->window_k = k;
            sh->count = 0;
        }
        if (++sh->count > c->limit) {
            snprintf(a->msg, sizeof a->msg,
                     "limiter %s admitted %.0f requests in the window [%.9g s, %.9g s), "
                     "more than its limit %.0f",
                     audit_label(c, i, name, sizeof name), sh->count,
                     k * c->window_s - c->phase_s, (k + 1) * c->window_s - c->phase_s, c->limit);
            return -1;
        }
        break;
    }
    case LIM_SLIDING_WINDOW:
        while (sh->len > 0 && sh->ring[sh->head] <= t - c->window_s + EPS_S) {
            sh->head = (sh->head + 1) % sh->cap;
            sh->len--;
        }
        if (sh->len == sh->cap) {
            /* grow and straighten the ring (audit only: not the hot path) */
            size_t ncap = sh->cap ? 2 * sh->cap : 64;
            double *r = xmalloc(ncap * sizeof *r);
            for (size_t j = 0; j < sh->len; j++)
                r[j] = sh->ring[(sh->head + j) % sh->cap];
            free(sh->ring);
            sh->ring = r;
            sh->cap = ncap;
            sh->head = 0;
        }
        sh->ring[(sh->head + sh->len) % sh->cap] = t;
        if ((double)++sh->len > c->limit) {
            snprintf(a->msg, sizeof a->msg,
                     "limiter %s admitted %zu requests in (%.9g s, %.9g s], more than its "
                     "limit %.0f",
                     audit_label(c, i, name, sizeof name), sh->len, t - c->window_s, t, c->limit);
            return -1;
        }
        break;
    case LIM_TOKEN_BUCKET: {
        double bound = c->burst + c->rate_per_s * t;
        /* each admission may come EPS_S tokens early (limiter.c) */
        sh->admitted += 1;
        if (sh->admitted > bound + EPS_S * (sh->admitted + bound)) {
            snprintf(a->msg, sizeof a->msg,
                     "limiter %s admitted %.0f requests in [0, %.9g s], more than burst + "
                     "rate * t = %.6f",
                     audit_label(c, i, name, sizeof name), sh->admitted, t, bound);
            return -1;
        }
        break;
    }
    case LIM_CONCURRENCY:
        if (++sh->in_service > c->concurrency) {
            snprintf(a->msg, sizeof a->msg,
                     "limiter %s has %.0f requests in service, more than its limit %.0f",
                     audit_label(c, i, name, sizeof name), sh->in_service, c->concurrency);
            return -1;
        }
        break;
    }
    return 0;
}

/* A request (its job's kind, its endpoint) was answered; returns -1
 * (message in a->msg) if a concurrency limiter would have more releases
 * than admissions. */
static int release(struct audit *a, int kind, int ep)
{
    char name[96];
    for (int i = 0; i < a->nlim; i++) {
        struct shadow *sh = &a->lim[i];
        if (sh->cfg->type != LIM_CONCURRENCY || !lim_cfg_applies(sh->cfg, kind, ep))
            continue;
        if (--sh->in_service < 0) {
            snprintf(a->msg, sizeof a->msg,
                     "limiter %s released a request it never admitted",
                     audit_label(sh->cfg, i, name, sizeof name));
            return -1;
        }
    }
    return 0;
}

/* The model's trace hook: every request, at its arrival at the server. */
static void on_request(void *ctx, const struct prov_request *rq)
{
    struct audit *a = ctx;
    if (a->next)
        a->next(a->next_ctx, rq);
    if (rq->outcome == SRV_THROTTLED || a->bad)
        return;
    /* SRV_OK or SRV_ERROR: admitted (a 5xx is decided after admission) */
    for (int i = 0; i < a->nlim; i++) {
        if (!lim_cfg_applies(a->lim[i].cfg, rq->kind, rq->endpoint))
            continue;
        if (admit(a, i, rq->t)) {
            a->bad = a->msg;
            a->bad_job = rq->job_id;
            return;
        }
    }
}

struct audit *audit_create(struct prov *p)
{
    struct audit *a = xcalloc(1, sizeof *a);
    a->p = p;
    a->next = p->trace;
    a->next_ctx = p->trace_ctx;
    a->nlim = p->scn->server.nlimits;
    for (int i = 0; i < a->nlim; i++) {
        a->lim[i].cfg = &p->scn->server.limits[i];
        a->lim[i].window_k = -1;
    }
    a->last_t = 0.0;
    a->bad_job = -1;
    p->trace = on_request;
    p->trace_ctx = a;
    return a;
}

void audit_destroy(struct audit *a)
{
    if (!a)
        return;
    a->p->trace = a->next;
    a->p->trace_ctx = a->next_ctx;
    for (int i = 0; i < a->nlim; i++)
        free(a->lim[i].ring);
    free(a);
}

const char *audit_before(struct audit *a, const struct ev *ev, long *job)
{
    *job = -1;
    if (!isfinite(ev->t) || ev->t < 0 || ev->t < a->last_t) {
        snprintf(a->msg, sizeof a->msg,
                 "time went backwards: an event at t=%.9g s after one at t=%.9g s", ev->t,
                 a->last_t);
        return a->msg;
    }
    a->last_t = ev->t;
    const struct prov *p = a->p;
    /* the releases this event will make (as prov_handle does them) */
    if (ev_type(ev) == PROV_EV_RESPONSE && ev->arg < p->njobs) {
        const struct job *j = &p->jobs[ev->arg];
        int ep = j->endpoint;
        if (j->outcome != SRV_THROTTLED && release(a, j->kind, ep)) {
            *job = (long)ev->arg;
            return a->msg;
        }
    } else if (ev_type(ev) == PROV_EV_OTHER_DONE && ev->arg < JOB_KIND_COUNT) {
        if (release(a, (int)ev->arg, client_single_endpoint((int)ev->arg)))
            return a->msg;
    }
    return NULL;
}

const char *audit_after(struct audit *a, long *job)
{
    *job = -1;
    if (a->bad) {
        *job = a->bad_job;
        return a->bad;
    }
    const struct prov *p = a->p;
    size_t pending = p->count[JOB_QUEUED] + p->count[JOB_WAITING] + p->count[JOB_IN_FLIGHT];
    if (p->njobs !=
        p->count[JOB_SUCCEEDED] + p->count[JOB_EXHAUSTED] + p->count[JOB_PARKED] + pending) {
        snprintf(a->msg, sizeof a->msg,
                 "jobs (%zu) != succeeded (%zu) + exhausted (%zu) + parked (%zu) + pending (%zu)",
                 p->njobs, p->count[JOB_SUCCEEDED], p->count[JOB_EXHAUSTED],
                 p->count[JOB_PARKED], pending);
        return a->msg;
    }
    if (p->njobs != p->rollout_jobs + p->bg_jobs) {
        snprintf(a->msg, sizeof a->msg, "jobs (%zu) != rollout jobs (%zu) + background jobs (%llu)",
                 p->njobs, p->rollout_jobs, (unsigned long long)p->bg_jobs);
        return a->msg;
    }
    if (p->rollout_done > p->rollout_jobs) {
        snprintf(a->msg, sizeof a->msg, "rollout jobs done (%zu) > rollout jobs (%zu)",
                 p->rollout_done, p->rollout_jobs);
        return a->msg;
    }
    return NULL;
}

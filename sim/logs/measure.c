/* measure.c -- the System Log's measurements and the observed curves (see
 * measure.h); the access log's are measure_access.c.
 *
 * The rollout is the largest burst of assignment events: assignments at
 * most MEAS_BURST_GAP_S apart belong to one burst; its size is its
 * distinct users (a user assigned twice counts once). Its kind is the
 * push type most of its users' pushes after the start have; its clear
 * time runs from the first assignment to the last of its users' first
 * successful pushes of that kind. Background jobs are every successful
 * push not of a rollout user after the rollout's start. */
#include "logs/measure.h"
#include "logs/measure_internal.h"

#include "base/units.h"
#include "base/util.h"
#include "models/job.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A group assignment's user events come within seconds to minutes of each
 * other; five minutes apart are two bursts. */
#define MEAS_BURST_GAP_S 300.0
/* Curves run this long past the observed clear time (or the log's end). */
#define MEAS_CURVE_TAIL_S 600.0

static int kind_of(int type)
{
    switch (type) {
    case OKTA_CREATE:
        return JOB_KIND_CREATE;
    case OKTA_UPDATE:
        return JOB_KIND_UPDATE;
    case OKTA_DEACTIVATE:
        return JOB_KIND_DEACTIVATE;
    default:
        return -1;
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static int in_set(const uint64_t *set, size_t n, uint64_t u)
{
    return u && bsearch(&u, set, n, sizeof *set, cmp_u64) != NULL;
}

void meas_bg_add(struct meas *m, double t, int kind)
{
    int64_t s = (int64_t)floor(t);
    int h = (int)(units_floor_div(s, 3600) % 24);
    if (units_weekday(s) >= 5)
        m->weekend[h] += 1;
    else
        m->weekday[h] += 1;
    m->bg_jobs++;
    if (kind >= 0 && kind < 3)
        m->bg_kind[kind]++;
}

void meas_bg_cover(struct meas *m, double first, double last)
{
    for (double h0 = floor(first / 3600) * 3600; h0 < last; h0 += 3600) {
        double a = fmax(h0, first), b = fmin(h0 + 3600, last);
        int64_t s = (int64_t)h0;
        int h = (int)(units_floor_div(s, 3600) % 24);
        if (units_weekday(s) >= 5)
            m->weekend_hours[h] += (b - a) / 3600;
        else
            m->weekday_hours[h] += (b - a) / 3600;
    }
    for (int h = 0; h < 24; h++) {
        /* a slot seen for under a quarter of an hour says nothing */
        m->weekday[h] = m->weekday_hours[h] >= 0.25 ? m->weekday[h] / m->weekday_hours[h] : 0;
        m->weekend[h] = m->weekend_hours[h] >= 0.25 ? m->weekend[h] / m->weekend_hours[h] : 0;
        m->have_weekday |= m->weekday_hours[h] >= 0.25;
        m->have_weekend |= m->weekend_hours[h] >= 0.25;
    }
    m->have_bg = 1;
}

/* The largest burst of assignments: [*a, *b) in the event array. */
static void find_burst(const struct okta_log *o, size_t *a, size_t *b)
{
    size_t best_a = 0, best_b = 0, cur = o->n, count = 0, best = 0;
    double last = -INFINITY;
    for (size_t i = 0; i <= o->n; i++) {
        int assign = i < o->n && o->ev[i].type == OKTA_ASSIGN && o->ev[i].user;
        if (i < o->n && !assign)
            continue;
        if (i == o->n || o->ev[i].t_s - last > MEAS_BURST_GAP_S) {
            if (cur < o->n && count > best) {
                best = count;
                best_a = cur;
                best_b = i;
            }
            cur = i;
            count = 0;
        }
        if (i < o->n) {
            count++;
            last = o->ev[i].t_s;
        }
    }
    *a = best_a;
    *b = best ? best_b : best_a;
}

/* The rollout's users (sorted, distinct) from events [a, b). */
static uint64_t *burst_users(const struct okta_log *o, size_t a, size_t b, size_t *n,
                             long *twice)
{
    uint64_t *u = xmalloc((b - a + 1) * sizeof *u);
    size_t k = 0;
    for (size_t i = a; i < b; i++)
        if (o->ev[i].type == OKTA_ASSIGN && o->ev[i].user)
            u[k++] = o->ev[i].user;
    qsort(u, k, sizeof *u, cmp_u64);
    size_t d = 0;
    *twice = 0;
    for (size_t i = 0; i < k; i++) {
        if (d && u[d - 1] == u[i]) {
            if (i < 2 || u[i - 2] != u[i])
                (*twice)++;
            continue;
        }
        u[d++] = u[i];
    }
    *n = d;
    return u;
}

static void okta_rollout(const struct okta_log *o, struct meas *m, uint64_t **users,
                         size_t *nusers)
{
    size_t a, b;
    find_burst(o, &a, &b);
    *users = NULL;
    *nusers = 0;
    if (a == b)
        return;
    struct meas_rollout *r = &m->ro;
    *users = burst_users(o, a, b, nusers, &r->twice);
    r->found = 1;
    r->start_s = o->ev[a].t_s + m->utc_offset_s;
    r->users = (long)*nusers;
    long per_kind[3] = {0, 0, 0};
    for (size_t i = a; i < o->n; i++) {
        int k = kind_of(o->ev[i].type);
        if (k >= 0 && o->ev[i].ok && in_set(*users, *nusers, o->ev[i].user))
            per_kind[k]++;
    }
    r->kind = JOB_KIND_CREATE;
    for (int k = 1; k < 3; k++)
        if (per_kind[k] > per_kind[r->kind])
            r->kind = k;
    /* each user's first push of that kind after the start */
    uint64_t *seen = xcalloc(*nusers ? *nusers : 1, sizeof *seen);
    size_t nseen = 0;
    double last = r->start_s;
    for (size_t i = a; i < o->n; i++) {
        const struct okta_event *e = &o->ev[i];
        if (kind_of(e->type) != r->kind || !e->ok || !in_set(*users, *nusers, e->user))
            continue;
        uint64_t *slot = bsearch(&e->user, *users, *nusers, sizeof **users, cmp_u64);
        size_t idx = (size_t)(slot - *users);
        if (!seen[idx]) {
            seen[idx] = 1;
            nseen++;
            last = e->t_s + m->utc_offset_s;
        }
    }
    free(seen);
    r->cleared = nseen == *nusers;
    r->clear_s = r->cleared ? last - r->start_s
                            : o->ev[o->n - 1].t_s + m->utc_offset_s - r->start_s;
}

static void alloc_curves(struct meas *m, double span_s, int with_failed)
{
    m->obs.nmin = (int)ceil(span_s / 60.0);
    if (m->obs.nmin < 1)
        m->obs.nmin = 1;
    m->obs.done = xcalloc((size_t)m->obs.nmin, sizeof(double));
    m->obs.throttled = xcalloc((size_t)m->obs.nmin, sizeof(double));
    m->obs.failed = with_failed ? xcalloc((size_t)m->obs.nmin, sizeof(double)) : NULL;
    m->obs.accepted = m->have_access ? xcalloc((size_t)m->obs.nmin, sizeof(double)) : NULL;
}

static int minute_of(const struct meas *m, double t)
{
    double d = (t - m->ro.start_s) / 60.0;
    return d >= 0 && d < m->obs.nmin ? (int)d : -1;
}

/* The failed-task list over time: a rollout user is on it from its first
 * 429 until its push. */
static void okta_failed_curve(const struct okta_log *o, struct meas *m, const uint64_t *users,
                              size_t nusers)
{
    double *on = xcalloc(nusers ? nusers : 1, sizeof *on), *off = xcalloc(nusers ? nusers : 1,
                                                                         sizeof *off);
    for (size_t i = 0; i < nusers; i++)
        on[i] = off[i] = INFINITY;
    for (size_t i = 0; i < o->n; i++) {
        const struct okta_event *e = &o->ev[i];
        double t = e->t_s + m->utc_offset_s;
        if (t < m->ro.start_s || !in_set(users, nusers, e->user))
            continue;
        size_t k = (size_t)((uint64_t *)bsearch(&e->user, users, nusers, sizeof *users, cmp_u64) -
                            users);
        if (e->type == OKTA_RATE_LIMIT && on[k] == INFINITY)
            on[k] = t;
        else if (kind_of(e->type) == m->ro.kind && e->ok && off[k] == INFINITY && on[k] < t)
            off[k] = t;
    }
    for (int mi = 0; mi < m->obs.nmin; mi++) {
        double end = m->ro.start_s + 60.0 * (mi + 1);
        for (size_t k = 0; k < nusers; k++)
            m->obs.failed[mi] += on[k] < end && off[k] >= end;
    }
    free(on);
    free(off);
}

static void okta_measure(const struct okta_log *o, struct meas *m)
{
    uint64_t *users;
    size_t nusers;
    m->okta_events = o->n;
    m->okta_first_s = o->ev[0].t_s + m->utc_offset_s;
    m->okta_last_s = o->ev[o->n - 1].t_s + m->utc_offset_s;
    okta_rollout(o, m, &users, &nusers);
    int users_on_429 = 0;
    for (size_t i = 0; i < o->n; i++) {
        const struct okta_event *e = &o->ev[i];
        double t = e->t_s + m->utc_offset_s;
        int k = kind_of(e->type);
        users_on_429 |= e->type == OKTA_RATE_LIMIT && e->user;
        if (k >= 0 && e->ok && !(m->ro.found && t >= m->ro.start_s && in_set(users, nusers, e->user)))
            meas_bg_add(m, t, k);
    }
    meas_bg_cover(m, m->okta_first_s, m->okta_last_s);
    if (m->ro.found) {
        alloc_curves(m, fmin(m->ro.clear_s + MEAS_CURVE_TAIL_S, m->okta_last_s - m->ro.start_s + 1),
                     users_on_429);
        for (size_t i = 0; i < o->n; i++) {
            const struct okta_event *e = &o->ev[i];
            int mi = minute_of(m, e->t_s + m->utc_offset_s);
            if (mi < 0)
                continue;
            if (e->type == OKTA_RATE_LIMIT)
                m->obs.throttled[mi] += 1;
            else if (kind_of(e->type) == m->ro.kind && e->ok)
                m->obs.done[mi] += 1;
        }
        if (users_on_429)
            okta_failed_curve(o, m, users, nusers);
    }
    free(users);
}

/* Requests the server accepted from the client, per minute. */
static void accepted_curve(const struct access_log *a, struct meas *m)
{
    for (size_t i = 0; a && m->obs.accepted && i < a->n; i++) {
        int mi = minute_of(m, a->rq[i].t_s + m->utc_offset_s);
        if (mi >= 0 && a->rq[i].status >= 200 && a->rq[i].status < 300)
            m->obs.accepted[mi] += 1;
    }
}

/* The requests admitted from the rollout's first request to its first
 * 429, and the history before it (struct meas_burst). The first request
 * is the first at or after the rollout's start less the stamps'
 * resolution (a whole-second stamp rounds down). */
static void burst_count(const struct access_log *a, struct meas *m)
{
    struct meas_burst *b = &m->burst;
    b->stamp_s = a->json ? 0.001 : 1;
    size_t i0 = 0;
    while (i0 < a->n && a->rq[i0].t_s + m->utc_offset_s < m->ro.start_s - b->stamp_s)
        i0++;
    if (i0 == a->n)
        return;
    double t0 = a->rq[i0].t_s;
    b->history_s = fmin(MEAS_BURST_HISTORY_S, t0 - a->rq[0].t_s);
    b->before_s = xmalloc((i0 + 1) * sizeof *b->before_s);
    for (size_t i = i0; i-- > 0 && t0 - a->rq[i].t_s <= MEAS_BURST_HISTORY_S;) {
        if (a->rq[i].status == 429)
            b->throttled_before = 1;
        else
            b->before_s[b->nbefore++] = t0 - a->rq[i].t_s;
    }
    for (size_t i = i0; i < a->n; i++) {
        if (a->rq[i].status == 429) {
            b->found = 1;
            b->span_s = a->rq[i].t_s - t0;
            return;
        }
        b->admitted++;
    }
}

/* Without a System Log, the curves come from the access log. */
static void access_curves(const struct access_log *a, struct meas *m)
{
    alloc_curves(m, fmin(m->ro.clear_s + MEAS_CURVE_TAIL_S, m->access_last_s - m->ro.start_s + 1),
                 0);
    int fin = meas_final_endpoint(m->recipe, m->ro.kind);
    for (size_t i = 0; i < a->n; i++) {
        const struct access_req *r = &a->rq[i];
        double t = r->t_s + m->utc_offset_s;
        int mi = minute_of(m, r->status == 429 ? t : t + r->dur_s);
        if (mi < 0)
            continue;
        if (r->status == 429)
            m->obs.throttled[mi] += 1;
        else if (r->status >= 200 && r->status < 300 && r->endpoint == fin)
            m->obs.done[mi] += 1;
    }
}

int meas_run(const struct okta_log *okta, const struct access_log *access, double utc_offset_s,
             struct meas *m, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    m->utc_offset_s = utc_offset_s;
    m->recipe = -1;
    if (access)
        meas_access(access, m);
    if (okta)
        okta_measure(okta, m);
    else if (meas_access_rollout(access, m, err, errlen))
        return -1;
    else
        access_curves(access, m);
    accepted_curve(access, m);
    if (access && m->ro.found)
        burst_count(access, m);
    if (!m->ro.found)
        return xerr(err, errlen, "no rollout in the log: no burst of assignment events "
                    "(application.user_membership.add) with users");
    return 0;
}

int meas_read(const struct meas_src *src, struct okta_log *okta, struct access_log *access,
              struct meas *m, char *err, size_t errlen)
{
    okta_log_init(okta);
    access_log_init(access);
    memset(m, 0, sizeof *m);
    if (src->okta_log && okta_log_read(okta, src->okta_log, src->app, err, errlen))
        return -1;
    if (src->access_log && access_log_read(access, src->access_log, src->agent, err, errlen))
        return -1;
    return meas_run(src->okta_log ? okta : NULL, src->access_log ? access : NULL, src->utc_offset_s,
                    m, err, errlen);
}

void meas_fini(struct meas *m)
{
    free(m->obs.done);
    free(m->obs.throttled);
    free(m->obs.failed);
    free(m->obs.accepted);
    free(m->burst.before_s);
    memset(m, 0, sizeof *m);
}

double meas_lognormal_sigma(double median_s, double p95_s)
{
    return (log(p95_s) - log(median_s)) / 1.6448536269514722;
}

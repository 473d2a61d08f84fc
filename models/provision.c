/* provision.c -- see provision.h: the events of the pipeline and the run
 * through the engine's loop (its life cycle is in provision_init.c, its
 * invariants are checked by prov_check, in provision_check.c). */
#include "models/provision.h"
#include "models/provision_internal.h"

#include "base/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#define NO_JOB UINT32_MAX
#define PREFETCH_AHEAD 16

/* struct job's bit fields hold these */
_Static_assert(JOB_KIND_COUNT <= 8 && JOB_ORIGIN_COUNT <= 4 && JOB_NSTATES <= 8,
               "struct job: kind, origin or state outgrew its bits");
_Static_assert(SRV_ERROR < 4 && EP_COUNT <= 16 && CLIENT_MAX_STEPS <= 8,
               "struct job: outcome, endpoint or step outgrew its bits");
_Static_assert(sizeof(struct job) == 16, "struct job is 16 bytes");

/* ---- job states ---------------------------------------------------- */

static inline void track_peaks(struct prov *p)
{
    size_t backlog = p->count[JOB_QUEUED] + p->count[JOB_WAITING] + p->count[JOB_IN_FLIGHT];
    if (backlog > p->peak_backlog)
        p->peak_backlog = backlog;
    if (p->failed_tasks > p->peak_failed)
        p->peak_failed = p->failed_tasks;
}

static uint32_t new_job(struct prov *p, int origin, int kind, double now)
{
    if (p->njobs == p->jobs_cap)
        prov_grow_jobs(p);
    /* job ids are 32-bit: mem_guard refuses, before a run starts, a
     * scenario whose expected jobs come anywhere near (PROV_MAX_JOBS) */
    XASSERT_AT(p->njobs < NO_JOB, now);
    uint32_t id = (uint32_t)p->njobs++;
    struct job *j = &p->jobs[id];
    j->t_s = now;
    if (p->retry_prev)
        p->retry_prev[id] = 0.0;
    j->attempts = 0;
    j->kind = (unsigned)kind & 7u;
    j->origin = (unsigned)origin & 3u;
    j->state = JOB_QUEUED;
    j->failed = 0;
    j->outcome = SRV_OK;
    j->step = 0;
    j->endpoint = 0;
    j->woken = 0;
    /* drawn only when it can matter, so a scenario without existing users
     * draws exactly what it did before the recipes existed */
    j->existing = kind == JOB_KIND_CREATE && p->scn->client.existing_fraction > 0.0 &&
                  rng_uniform(p->rng.s[RNG_EXISTING]) < p->scn->client.existing_fraction;
    if (origin == JOB_ORIGIN_BACKGROUND) {
        if (p->nbg_created == p->bg_created_cap)
            xgrow((void **)&p->bg_created, &p->bg_created_cap, p->nbg_created + 1,
                  sizeof(double));
        p->bg_created[p->nbg_created++] = now;
    }
    p->count[JOB_QUEUED]++;
    fifo_push(p, id);
    return id;
}

/* The rollout is over once every rollout job is done and the client has
 * no backlog; settle_s later the harm metrics' window ends, and with
 * horizon "auto" the replication stops there. */
static void check_settled(struct prov *p)
{
    if (p->rollout_done < p->rollout_total || isfinite(p->settled_s) ||
        p->count[JOB_QUEUED] + p->count[JOB_WAITING] + p->count[JOB_IN_FLIGHT] > 0)
        return;
    p->settled_s = p->q.now;
    double stop = p->q.now + p->scn->settle_s;
    if (stop <= p->scn->horizon_s)
        evq_push(&p->q, stop, PROV_EV_STOP, 0);
}

/* ---- the client's dispatcher ---------------------------------------- */

static void schedule_resume(struct prov *p, double t)
{
    /* one pending resume at the earliest time needed is enough: when it
     * fires, dispatch() schedules another if still blocked */
    if (t < p->resume_at_s) {
        p->resume_at_s = t;
        evq_push(&p->q, t, PROV_EV_RESUME, 0);
    }
}

static inline double pace_s(const struct prov *p)
{
    double r = p->scn->client.max_rate_per_s;
    return r > 0.0 ? 1.0 / r : 0.0;
}

/* Sends job id's current request (its recipe's step j->step) now: the
 * server decides at once and the response event is scheduled. */
static void send_request(struct prov *p, uint32_t id)
{
    const struct scenario *s = p->scn;
    struct job *j = &p->jobs[id];
    double now = p->q.now;
    int ep = client_step_endpoint(&s->client, j->kind, j->step, j->existing);
    j->endpoint = (unsigned)ep & 15u; /* its response and the audit read it back */
    p->attempts++;
    p->ep_requests[ep]++;
    double ra = 0.0;
    int by = -1;
    if (srv_admit(&p->srv, now, j->kind, ep, &ra, &by, p->rng.s[RNG_JITTER])) {
        j->outcome = SRV_OK;
        if (p->latency_constant) {
            evq_push_after(&p->q, s->server.latency.mean_s, PROV_EV_RESPONSE, id, 0.0f);
        } else {
            double d = dist_draw(&s->server.latency, p->rng.s[RNG_LATENCY]);
            evq_push(&p->q, now + d, PROV_EV_RESPONSE, id);
        }
        if (s->server.error_rate > 0.0 &&
            rng_uniform(p->rng.s[RNG_LATENCY]) < s->server.error_rate)
            j->outcome = SRV_ERROR;
    } else {
        j->outcome = SRV_THROTTLED;
        p->ep_throttled[ep]++;
        if (j->origin == JOB_ORIGIN_ROLLOUT && p->rollout_first_429_jobs == 0)
            p->rollout_first_429_jobs = p->rollout_started;
        /* the Retry-After rides with the response (struct ev's val) */
        evq_push_after(&p->q, s->server.reject_latency_s, PROV_EV_RESPONSE, id, (float)ra);
    }
    if (p->trace) {
        struct prov_request rq = {now, (long)id, j->origin, j->kind, ep, j->outcome, by,
                                  j->attempts, j->step, ra};
        p->trace(p->trace_ctx, &rq);
    }
}

static void dispatch(struct prov *p)
{
    double now = p->q.now;
    double pace = pace_s(p);

    while (p->free_workers > 0 && p->fifo_len > 0) {
        if (now < p->paused_until_s) {
            schedule_resume(p, p->paused_until_s);
            return;
        }
        if (now < p->next_dispatch_s) {
            schedule_resume(p, p->next_dispatch_s);
            return;
        }
        uint32_t id = fifo_pop(p);
        struct job *j = &p->jobs[id];
        /* under a backlog the queue is long and its jobs were last touched
         * seconds ago: fetch the one PREFETCH_AHEAD places on now */
        if (p->fifo_len > PREFETCH_AHEAD)
            __builtin_prefetch(
                &p->jobs[p->fifo[(p->fifo_head + PREFETCH_AHEAD) & (p->fifo_cap - 1)]], 1);
        /* every job in the ready queue counts as queued; one take_due put
         * there still reads JOB_WAITING (and perhaps woken): its state is
         * written here, where the job is touched anyway */
        p->count[JOB_QUEUED]--;
        p->count[JOB_IN_FLIGHT]++;
        j->state = JOB_IN_FLIGHT;
        j->woken = 0;
        p->free_workers--;
        j->attempts++;
        if (j->origin == JOB_ORIGIN_ROLLOUT) {
            p->rollout_tries++;
            p->rollout_started += j->attempts == 1;
        }
        if (pace > 0.0)
            p->next_dispatch_s = now + pace;
        send_request(p, id);
    }
}

/* The try of job id goes on with its next request (its worker stays with
 * it): now, or when a pause or the pacing allows; the pacing slot is
 * taken now, so other dispatches keep their distance from it. */
static void next_step(struct prov *p, uint32_t id)
{
    double now = p->q.now, pace = pace_s(p);
    double t = fmax(now, p->paused_until_s);
    if (pace > 0.0)
        t = fmax(t, p->next_dispatch_s);
    if (pace > 0.0)
        p->next_dispatch_s = t + pace;
    if (t > now)
        evq_push(&p->q, t, PROV_EV_STEP, id);
    else
        send_request(p, id);
}

static void on_step(struct prov *p, uint32_t id)
{
    /* a pause that began after the step was scheduled holds it too */
    if (p->q.now < p->paused_until_s)
        next_step(p, id);
    else
        send_request(p, id);
}

/* A request failed (429 or 5xx): the job joins the failed-task list and
 * either waits for its retry or, out of attempts, is exhausted (or parked).
 * Returns the retry delay, or -1 if the job does not retry. */
static void job_done(struct prov *p, struct job *j)
{
    if (j->origin == JOB_ORIGIN_ROLLOUT) {
        p->rollout_done++;
        p->rollout_last_done_s = p->q.now;
        if (j->kind >= JOB_KIND_USER_COUNT) {
            p->group_done++;
            p->group_last_done_s = p->q.now;
        }
    }
}

static double job_failed(struct prov *p, uint32_t id, const struct retry_cfg *policy, double ra,
                         int park)
{
    struct job *j = &p->jobs[id];
    if (p->scn->client.retry_from == CLIENT_RETRY_FROM_START)
        j->step = 0;
    if (!j->failed) {
        j->failed = 1;
        if (p->first_failed)
            p->first_failed[id] = p->q.now;
        p->failed_tasks++;
        if (j->origin == JOB_ORIGIN_ROLLOUT) {
            p->rollout_failed++;
            p->rollout_ever_failed = 1;
        }
    }
    if (park || !retry_may_retry(&p->scn->client.retry, j->attempts)) {
        set_state(p, j, park ? JOB_PARKED : JOB_EXHAUSTED);
        job_done(p, j);
        return -1.0;
    }
    double unused = 0.0;
    double since_first = p->first_failed ? p->q.now - p->first_failed[id] : 0.0;
    double d = retry_delay_fast(policy, j->attempts, ra, since_first,
                           p->retry_prev ? &p->retry_prev[id] : &unused, p->rng.s[RNG_JITTER]);
    set_state(p, j, JOB_WAITING);
    if (retry_is_deterministic(policy)) {
        /* delays recur: a lane each, deferred where the moment cannot matter */
        if (!p->defer_retries || evq_defer(&p->q, d, PROV_EV_RETRY, id) != 0)
            evq_push_after(&p->q, d, PROV_EV_RETRY, id, 0.0f);
    } else
        evq_push(&p->q, p->q.now + d, PROV_EV_RETRY, id);
    return d;
}

static void on_response(struct prov *p, uint32_t id, double ra)
{
    const struct scenario *s = p->scn;
    struct job *j = &p->jobs[id];
    double now = p->q.now;
    int ep = j->endpoint;
    if (j->outcome != SRV_THROTTLED && srv_holds(&p->srv, j->kind, ep))
        srv_release(&p->srv, j->kind, ep);
    if (j->outcome == SRV_OK && j->step + 1 < s->client.recipe[j->kind].n) {
        j->step++;
        next_step(p, id);
        return;
    }
    p->free_workers++;

    if (j->outcome == SRV_OK) {
        set_state(p, j, JOB_SUCCEEDED);
        j->step = 0;
        if (j->failed) {
            p->failed_tasks--;
            if (j->origin == JOB_ORIGIN_ROLLOUT && --p->rollout_failed == 0)
                p->rollout_zero_s = now;
        }
        double lat = now - job_created_s(j);
        j->t_s = lat; /* job_latency_s; metric_compute gathers the rollout's */
        if (j->origin == JOB_ORIGIN_ROLLOUT) {
            job_done(p, j);
        } else {
            if (p->nbg_lat == p->bg_lat_cap)
                xgrow((void **)&p->bg_lat, &p->bg_lat_cap, p->nbg_lat + 1, sizeof(double));
            p->bg_lat[p->nbg_lat++] = lat;
            p->bg_lat_sum += lat;
        }
    } else if (j->outcome == SRV_THROTTLED) {
        p->throttled++;
        if (j->origin == JOB_ORIGIN_BACKGROUND)
            p->bg_throttled++;
        double d = job_failed(p, id, &s->client.retry, ra, 0);
        /* without a Retry-After (0) the pause is the job's own retry delay
         * (none if it does not retry) */
        double pause = ra > 0 ? ra : d > 0 ? d : 0;
        if (s->client.on_429 == CLIENT_ON_429_PAUSE_ALL && now + pause > p->paused_until_s)
            p->paused_until_s = now + pause;
    } else {
        p->server_errors++;
        job_failed(p, id, &s->client.error_retry, 0.0,
                   s->client.on_error == CLIENT_ON_ERROR_PARK);
    }
    track_peaks(p);
    dispatch(p);
    check_settled(p);
}

static void on_batch(struct prov *p, int r)
{
    const struct wl_rollout *ro = &p->scn->rollouts[r];
    long k = p->batch_next[r]++;
    long n = wl_batch_jobs(ro, k);
    long gc = wl_batch_group_creates(ro, k), gp = wl_batch_group_patches(ro, k);
    double now = p->q.now;
    /* group creations first (memberships need the groups); then the
     * users and the membership updates in the configured order */
    for (long i = 0; i < gc; i++)
        new_job(p, JOB_ORIGIN_ROLLOUT, JOB_KIND_GROUP_CREATE, now);
    for (int pass = 0; pass < 2; pass++) {
        if (pass == ro->group.groups_first)
            for (long i = 0; i < n; i++)
                new_job(p, JOB_ORIGIN_ROLLOUT, ro->kind, now);
        else
            for (long i = 0; i < gp; i++)
                new_job(p, JOB_ORIGIN_ROLLOUT, JOB_KIND_GROUP_MEMBERS, now);
    }
    p->rollout_jobs += (size_t)(n + gc + gp);
    p->group_jobs += (size_t)(gc + gp);
    if (wl_batch_jobs(ro, k + 1) > 0) {
        double t = wl_batch_time(ro, k + 1);
        if (t <= p->scn->horizon_s)
            evq_push(&p->q, t, PROV_EV_BATCH, (uint32_t)r);
    }
    track_peaks(p);
    dispatch(p);
}

static void on_background(struct prov *p)
{
    gsl_rng *r = p->rng.s[RNG_BACKGROUND];
    double now = p->q.now;
    new_job(p, JOB_ORIGIN_BACKGROUND, wl_stream_kind(&p->background, r), now);
    p->bg_jobs++;
    double t = wl_stream_next(&p->background, now, p->scn->horizon_s, r);
    if (isfinite(t))
        evq_push(&p->q, t, PROV_EV_BACKGROUND, 0);
    track_peaks(p);
    dispatch(p);
}

/* Another client's request arrives at t (the clock, or with other_inline
 * the arrival's own time, which may be before it): the server decides it.
 * Returns the next arrival's time, +infinity if none before the horizon. */
static double other_arrival(struct prov *p, double t)
{
    gsl_rng *r = p->rng.s[RNG_OTHER];
    int kind = wl_stream_kind(&p->other, r);
    /* other clients send one request per job, as the "single" recipe */
    int ep = client_single_endpoint(kind);
    double ra = 0.0;
    int by = -1;
    p->other_requests++;
    p->ep_requests[ep]++;
    int ok = srv_admit(&p->srv, t, kind, ep, &ra, &by, p->rng.s[RNG_JITTER]);
    if (!ok) {
        p->other_throttled++;
        p->ep_throttled[ep]++;
    } else if (srv_holds(&p->srv, kind, ep)) {
        /* it occupies a place in service for one latency (never with
         * other_inline, where t may be before the clock) */
        double d = dist_draw(&p->scn->server.latency, p->rng.s[RNG_LATENCY]);
        evq_push(&p->q, t + d, PROV_EV_OTHER_DONE, (uint32_t)kind);
    }
    if (p->trace) {
        struct prov_request rq = {t, -1, JOB_ORIGIN_OTHER, kind, ep,
                                  ok ? SRV_OK : SRV_THROTTLED, by, 1, 0, ra};
        p->trace(p->trace_ctx, &rq);
    }
    return wl_stream_next(&p->other, t, p->scn->horizon_s, r);
}

static void on_other(struct prov *p)
{
    double t = other_arrival(p, p->q.now);
    if (isfinite(t))
        evq_push(&p->q, t, PROV_EV_OTHER, 0);
}

/* ---- other clients' arrivals without events --------------------------
 * Another client's arrival changes the buckets and the counts and nothing
 * else: no worker waits on it, and unless it takes a place in service it
 * schedules nothing but the next arrival. With other_inline the next
 * arrival is not pushed: it takes its sequence number as the push would
 * have (evq_take_seq), and is decided when the next event after it in the
 * (time, sequence) order is handled, before that event's own effects
 * (or by prov_catch_up). The server sees the same requests at the same
 * times in the same order, every draw comes in the same order, the trace
 * lists the same rows, so every metric is the same as with one event per
 * arrival; only `events` counts fewer. */

static void others_due(struct prov *p, double t, uint64_t seq)
{
    while (p->other_t < t || (p->other_t == t && p->other_seq < seq)) {
        double next = other_arrival(p, p->other_t);
        p->other_t = next;
        if (isfinite(next))
            p->other_seq = evq_take_seq(&p->q);
    }
}

/* ---- deferred retries ------------------------------------------------
 * Under a backlog nearly every retry's event would do one thing: put the
 * job at the back of a ready queue that no free worker is waiting on.
 * Such a retry is deferred instead (evq_defer: it keeps its sequence
 * number, and with it its place in the (time, sequence) order), and
 * joins the queue when the next event at or after its time is handled:
 * take_due, before that event's own effects, so the queue is exactly what
 * the events would have made it. The one case where the moment itself
 * matters is a free worker, which would send the retry at once: after
 * every event, while a worker is free, the earliest deferred retry gets a
 * wake-up event with its own sequence number (wake_if_idle). Without a
 * pause or pacing (defer_retries), a worker is only ever free with an
 * empty ready queue, and dispatch does nothing else, so every metric is
 * the same as with one event per retry; only `events` counts fewer. */

static void take_due(struct prov *p, double t, uint64_t seq)
{
    const struct ev *f;
    while ((f = evq_deferred_front(&p->q)) != NULL &&
           (f->t < t || (f->t == t && ev_seq(f) <= seq))) {
        struct ev e;
        evq_take_deferred(&p->q, &e);
        /* the job joins the ready queue untouched: under a backlog it was
         * last touched a Retry-After ago and waits long in the queue, so
         * writing its state here would cost a cache miss that dispatch,
         * which writes it anyway, pays again. Until then it reads
         * JOB_WAITING but counts as queued (provision_check.c knows). */
        p->count[JOB_WAITING]--;
        p->count[JOB_QUEUED]++;
        fifo_push(p, e.arg);
    }
}

void prov_catch_up(struct prov *p, double t)
{
    others_due(p, t, UINT64_MAX);
    take_due(p, t, UINT64_MAX);
}

static void wake_if_idle(struct prov *p)
{
    const struct ev *f = evq_deferred_front(&p->q);
    if (f != NULL && !p->jobs[f->arg].woken) {
        p->jobs[f->arg].woken = 1;
        evq_push_keyed(&p->q, f->t, ev_seq(f), PROV_EV_WAKE, f->arg);
    }
}

void prov_handle(struct prov *p, const struct ev *ev)
{
    if (p->other_t <= ev->t) /* INFINITY unless other_inline */
        others_due(p, ev->t, ev_seq(ev));
    /* a wake-up's own retry (same sequence number) joins here too */
    if (p->defer_retries) {
        const struct ev *f = evq_deferred_front(&p->q);
        if (f != NULL && f->t <= ev->t)
            take_due(p, ev->t, ev_seq(ev));
    }
    switch (ev_type(ev)) {
    case PROV_EV_RESPONSE:
        on_response(p, ev->arg, (double)ev->val);
        break;
    case PROV_EV_RETRY: {
        struct job *j = &p->jobs[ev->arg];
        set_state(p, j, JOB_QUEUED);
        fifo_push(p, ev->arg);
        dispatch(p);
        break;
    }
    case PROV_EV_BATCH:
        on_batch(p, (int)ev->arg);
        break;
    case PROV_EV_BACKGROUND:
        on_background(p);
        break;
    case PROV_EV_OTHER:
        on_other(p);
        break;
    case PROV_EV_OTHER_DONE:
        srv_release(&p->srv, (int)ev->arg, client_single_endpoint((int)ev->arg));
        dispatch(p);
        break;
    case PROV_EV_STEP:
        on_step(p, ev->arg);
        break;
    case PROV_EV_RESUME:
        if (ev->t >= p->resume_at_s)
            p->resume_at_s = INFINITY;
        dispatch(p);
        break;
    case PROV_EV_WAKE:
        dispatch(p);
        break;
    case PROV_EV_STOP:
        /* the harm window's end: its 429 counts (harm_compute) */
        p->window_end_s = ev->t;
        p->win_other_throttled = p->other_throttled;
        p->win_bg_throttled = p->bg_throttled;
        if (p->scn->horizon_auto)
            p->end_s = ev->t;
        break;
    default:
        XASSERT_AT(!"known event type", ev->t);
    }
    if (p->defer_retries && p->free_workers > 0)
        wake_if_idle(p);
}

static void handle(void *p, const struct ev *ev)
{
    prov_handle(p, ev);
}

/* horizon "auto": the caller's hooks, and a stop once PROV_EV_STOP ran
 * (with a fixed horizon the event only ends the harm window) */
struct stop_hook {
    int (*before)(void *hook, const struct ev *ev);
    int (*after)(void *hook, const struct ev *ev);
    void *hook;
};
#define STOP_CODE (-7007) /* never a hook's code: those are > 0 */

static int before_stop(void *ctx, const struct ev *ev)
{
    const struct stop_hook *h = ctx;
    return h->before ? h->before(h->hook, ev) : 0;
}

static int after_stop(void *ctx, const struct ev *ev)
{
    const struct stop_hook *h = ctx;
    int rc = h->after ? h->after(h->hook, ev) : 0;
    return rc ? rc : ev_type(ev) == PROV_EV_STOP ? STOP_CODE : 0;
}

int prov_run(struct prov *p, int (*before)(void *hook, const struct ev *ev),
             int (*after)(void *hook, const struct ev *ev), void *hook)
{
    int rc;
    if (!p->scn->horizon_auto) {
        const struct evq_loop loop = {handle, p, before, after, hook};
        rc = evq_run(&p->q, p->scn->horizon_s, &loop);
    } else {
        struct stop_hook h = {before, after, hook};
        const struct evq_loop loop = {handle, p, before ? before_stop : NULL, after_stop, &h};
        rc = evq_run(&p->q, p->scn->horizon_s, &loop);
        if (rc == STOP_CODE)
            return 0; /* stopped after PROV_EV_STOP: later retries never came */
    }
    /* the loop ran every event up to the horizon: so do the deferred ones */
    if (rc == 0)
        prov_catch_up(p, p->scn->horizon_s);
    return rc;
}

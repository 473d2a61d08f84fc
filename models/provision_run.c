/* provision_run.c -- the provisioning pipeline's run: the ready queue's
 * growth, the deferred retries, and prov_run, which drives a replication
 * through the engine's one loop (provision.h). */
#include "models/provision.h"
#include "models/provision_internal.h"

#include "base/util.h"

#include <math.h>
#include <stdlib.h>

void prov_fifo_grow(struct prov *p)
{
    /* a new power of two, unwrapping the ring */
    size_t nc = p->fifo_cap ? 2 * p->fifo_cap : 1024;
    uint32_t *nb = xmalloc(nc * sizeof *nb);
    for (size_t i = 0; i < p->fifo_len; i++)
        nb[i] = p->fifo[(p->fifo_head + i) & (p->fifo_cap - 1)];
    free(p->fifo);
    p->fifo = nb;
    p->fifo_cap = nc;
    p->fifo_head = 0;
}

/* ---- deferred retries ------------------------------------------------
 * Under a backlog nearly every retry's event would do one thing: put the
 * job at the back of a ready queue that no free worker is waiting on.
 * Such a retry is deferred instead (evq_defer: it keeps its sequence
 * number, and with it its place in the (time, sequence) order), and
 * joins the queue when the next event at or after its time is handled:
 * prov_take_due, before that event's own effects, so the queue is exactly what
 * the events would have made it. The one case where the moment itself
 * matters is a free worker, which would send the retry at once: after
 * every event, while a worker is free, the earliest deferred retry gets a
 * wake-up event with its own sequence number (prov_wake_if_idle). Without a
 * pause or pacing (defer_retries), a worker is only ever free with an
 * empty ready queue, and dispatch does nothing else, so every metric is
 * the same as with one event per retry; only `events` counts fewer. */

void prov_take_due(struct prov *p, double t, uint64_t seq)
{
    const struct ev *f;
    while ((f = evq_deferred_front(&p->q)) != NULL &&
           (f->t < t || (f->t == t && ev_seq(f) <= seq))) {
        struct ev e;
        evq_take_deferred(&p->q, &e);
        struct job *j = &p->jobs[e.arg];
        j->woken = 0;
        set_state(p, j, JOB_QUEUED);
        fifo_push(p, e.arg);
    }
}

void prov_catch_up(struct prov *p, double t)
{
    prov_take_due(p, t, UINT64_MAX);
}

void prov_wake_if_idle(struct prov *p)
{
    const struct ev *f = evq_deferred_front(&p->q);
    if (f != NULL && !p->jobs[f->arg].woken) {
        p->jobs[f->arg].woken = 1;
        evq_push_keyed(&p->q, f->t, ev_seq(f), PROV_EV_WAKE, f->arg);
    }
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

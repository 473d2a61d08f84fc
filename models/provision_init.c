/* provision_init.c -- the provisioning pipeline's life cycle (provision.h):
 * init and fini, the start of a replication, and the memory its jobs take
 * (the jobs array, its side arrays and the ready queue's ring). The events
 * themselves are handled in provision.c. */
#include "models/provision.h"
#include "models/provision_internal.h"

#include "base/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void prov_init(struct prov *p, const struct scenario *scn)
{
    memset(p, 0, sizeof *p);
    p->scn = scn;
    evq_init(&p->q);
    srv_init(&p->srv, &scn->server);
    rng_init(&p->rng);
    wl_stream_init(&p->background, &scn->background, scn->start_epoch_s);
    wl_stream_init(&p->other, &scn->other, scn->start_epoch_s);
    p->latency_constant = scn->server.latency.type == DIST_CONSTANT;
    /* a pause or pacing makes a retry's moment matter to dispatch even
     * with no worker free (it may schedule a resume): those retries stay
     * events */
    p->defer_retries = scn->client.on_429 != CLIENT_ON_429_PAUSE_ALL &&
                       !(scn->client.max_rate_per_s > 0.0);
    /* an arrival that takes a place in service schedules its departure,
     * which must not be earlier than the event being handled: those
     * arrivals stay events (provision.c, "other clients' arrivals") */
    p->other_inline = 1;
    for (int k = 0; k < JOB_KIND_COUNT; k++)
        if (srv_holds(&p->srv, k, client_single_endpoint(k)))
            p->other_inline = 0;
}

void prov_fini(struct prov *p)
{
    evq_fini(&p->q);
    srv_fini(&p->srv);
    rng_fini(&p->rng);
    free(p->jobs);
    free(p->retry_prev);
    free(p->first_failed);
    free(p->fifo);
    free(p->bg_lat);
    free(p->bg_created);
    memset(p, 0, sizeof *p);
}

void prov_start(struct prov *p, uint64_t rep)
{
    const struct scenario *s = p->scn;
    evq_clear(&p->q);
    srv_reset(&p->srv);
    rng_seed(&p->rng, s->seed, rep);
    p->njobs = 0;
    p->fifo_head = p->fifo_len = 0;
    memset(p->count, 0, sizeof p->count);
    p->failed_tasks = p->rollout_failed = 0;
    p->free_workers = s->client.workers;
    p->paused_until_s = 0.0;
    p->next_dispatch_s = 0.0;
    p->resume_at_s = INFINITY;
    p->rollout_jobs = p->rollout_done = 0;
    p->rollout_total = 0;
    for (int r = 0; r < s->nrollouts; r++)
        p->rollout_total += (size_t)wl_rollout_jobs(&s->rollouts[r]);
    p->settled_s = INFINITY;
    p->end_s = s->horizon_s;
    p->window_end_s = INFINITY;
    p->win_other_throttled = p->win_bg_throttled = 0;
    p->rollout_first_s = INFINITY;
    p->rollout_last_done_s = 0.0;
    p->rollout_zero_s = 0.0;
    p->rollout_ever_failed = 0;
    p->attempts = p->throttled = p->server_errors = p->bg_jobs = p->bg_throttled = 0;
    p->other_requests = p->other_throttled = 0;
    p->rollout_tries = 0;
    p->rollout_started = p->rollout_first_429_jobs = 0;
    p->group_jobs = p->group_done = 0;
    p->group_last_done_s = 0.0;
    memset(p->ep_requests, 0, sizeof p->ep_requests);
    memset(p->ep_throttled, 0, sizeof p->ep_throttled);
    p->peak_backlog = p->peak_failed = 0;
    p->nbg_lat = p->nbg_created = 0;
    p->bg_lat_sum = 0.0;

    for (int r = 0; r < s->nrollouts; r++) {
        p->batch_next[r] = 0;
        evq_push(&p->q, s->rollouts[r].at_s, PROV_EV_BATCH, (uint32_t)r);
        if (s->rollouts[r].at_s < p->rollout_first_s)
            p->rollout_first_s = s->rollouts[r].at_s;
    }
    double t = wl_stream_next(&p->background, 0.0, s->horizon_s, p->rng.s[RNG_BACKGROUND]);
    if (isfinite(t))
        evq_push(&p->q, t, PROV_EV_BACKGROUND, 0);
    t = wl_stream_next(&p->other, 0.0, s->horizon_s, p->rng.s[RNG_OTHER]);
    p->other_t = INFINITY;
    if (isfinite(t)) {
        if (p->other_inline) {
            p->other_t = t;
            p->other_seq = evq_take_seq(&p->q);
        } else
            evq_push(&p->q, t, PROV_EV_OTHER, 0);
    }
}

static int needs_prev(const struct scenario *s)
{
    return retry_needs_prev(&s->client.retry) || retry_needs_prev(&s->client.error_retry);
}

static int needs_first_failure(const struct scenario *s)
{
    return retry_needs_first_failure(&s->client.retry) ||
           retry_needs_first_failure(&s->client.error_retry);
}

size_t prov_bytes_per_job(const struct scenario *s)
{
    return sizeof(struct job) + sizeof(uint32_t) + sizeof(double) * (size_t)needs_prev(s) +
           sizeof(double) * (size_t)needs_first_failure(s);
}

/* The jobs array and the side arrays indexed by job id grow together. */
void prov_grow_jobs(struct prov *p)
{
    size_t cap = p->jobs_cap;
    xgrow((void **)&p->jobs, &p->jobs_cap, p->njobs + 1, sizeof *p->jobs);
    if (needs_prev(p->scn)) {
        size_t c = cap;
        xgrow((void **)&p->retry_prev, &c, p->jobs_cap, sizeof(double));
    }
    if (needs_first_failure(p->scn)) {
        size_t c = cap;
        xgrow((void **)&p->first_failed, &c, p->jobs_cap, sizeof(double));
    }
}

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

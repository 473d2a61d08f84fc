/* simcurve.c -- per-minute curves over replications (see simcurve.h).
 * It drives the model through its public pipeline (prov_start, prov_run)
 * with a request trace, as the runner does for replication 0's trace. */
#include "calib/simcurve.h"

#include "base/util.h"
#include "models/provision.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct tally {
    const struct scenario *s;
    int kind, nmin;
    double t0;
    double *done, *thr, *fdelta, *acc; /* this replication's rows */
    uint8_t *on_list;            /* rollout job id -> on the failed-task list */
    size_t non_list;
};

static void on_request(void *arg, const struct prov_request *rq)
{
    struct tally *t = arg;
    if (rq->origin == JOB_ORIGIN_OTHER || rq->job_id < 0)
        return;
    double d = (rq->t - t->t0) / 60.0;
    int m = d >= 0 && d < t->nmin ? (int)d : -1;
    size_t id = (size_t)rq->job_id;
    if (rq->origin == JOB_ORIGIN_ROLLOUT && id >= t->non_list) {
        size_t n = 2 * id + 64;
        t->on_list = xrealloc(t->on_list, n);
        memset(t->on_list + t->non_list, 0, n - t->non_list);
        t->non_list = n;
    }
    if (rq->outcome == SRV_THROTTLED) {
        if (m >= 0)
            t->thr[m] += 1;
        if (rq->origin == JOB_ORIGIN_ROLLOUT && !t->on_list[id]) {
            t->on_list[id] = 1;
            if (m >= 0)
                t->fdelta[m] += 1;
        }
        return;
    }
    if (rq->outcome == SRV_OK && m >= 0)
        t->acc[m] += 1;
    if (rq->outcome != SRV_OK || rq->kind >= JOB_KIND_COUNT ||
        rq->step + 1u != t->s->client.recipe[rq->kind].n)
        return;
    if (m >= 0 && rq->kind == t->kind)
        t->done[m] += 1;
    if (rq->origin == JOB_ORIGIN_ROLLOUT && t->on_list[id]) {
        t->on_list[id] = 0;
        if (m >= 0)
            t->fdelta[m] -= 1;
    }
}

void simc_run(const struct scenario *s, int nmin, int reps, struct simc *c)
{
    simc_run_at(s, nmin, 0, reps, c);
}

void simc_run_at(const struct scenario *s, int nmin, uint64_t first_rep, int reps, struct simc *c)
{
    XASSERT(s->nrollouts >= 1 && nmin >= 1 && reps >= 1);
    memset(c, 0, sizeof *c);
    c->reps = reps;
    c->nmin = nmin;
    size_t cells = (size_t)reps * (size_t)nmin;
    c->done = xcalloc(cells, sizeof *c->done);
    c->throttled = xcalloc(cells, sizeof *c->throttled);
    c->failed = xcalloc(cells, sizeof *c->failed);
    c->accepted = xcalloc(cells, sizeof *c->accepted);
    c->clear_s = xcalloc((size_t)reps, sizeof *c->clear_s);
    c->cleared = xcalloc((size_t)reps, sizeof *c->cleared);
    struct tally t = {s, s->rollouts[0].kind, nmin, s->rollouts[0].at_s, NULL, NULL, NULL, NULL, NULL, 0};
    struct prov p;
    prov_init(&p, s);
    p.trace = on_request;
    p.trace_ctx = &t;
    for (int r = 0; r < reps; r++) {
        t.done = c->done + (size_t)r * nmin;
        t.thr = c->throttled + (size_t)r * nmin;
        t.fdelta = c->failed + (size_t)r * nmin;
        t.acc = c->accepted + (size_t)r * nmin;
        if (t.on_list)
            memset(t.on_list, 0, t.non_list);
        prov_start(&p, first_rep + (uint64_t)r);
        prov_run(&p, NULL, NULL, NULL);
        for (int m = 1; m < nmin; m++) /* deltas -> the list at each minute's end */
            t.fdelta[m] += t.fdelta[m - 1];
        c->cleared[r] = p.rollout_done == p.rollout_total;
        double first = isfinite(p.rollout_first_s) ? p.rollout_first_s : 0.0;
        c->clear_s[r] = (c->cleared[r] ? p.rollout_last_done_s : p.end_s) - first;
    }
    prov_fini(&p);
    free(t.on_list);
}

void simc_fini(struct simc *c)
{
    free(c->done);
    free(c->throttled);
    free(c->failed);
    free(c->accepted);
    free(c->clear_s);
    free(c->cleared);
    memset(c, 0, sizeof *c);
}

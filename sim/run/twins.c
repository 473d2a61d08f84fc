/* twins.c -- see twins.h. */
#include "run/twins.h"

#include "base/util.h"
#include "models/provision.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct run_twins {
    struct scenario cf; /* the scenario without rollouts; its strings unused */
    int reps;
    struct harm_base *base; /* reps entries */
    int *done;
    pthread_mutex_t *mu;    /* one per replication: cells wait only for theirs */
};

int run_twins_apply(const struct scenario *s)
{
    return s->nrollouts > 0 && (s->background.enabled || s->other.enabled) && !s->horizon_auto;
}

struct run_twins *run_twins_create(const struct scenario *s, uint64_t seed, int reps)
{
    XASSERT(run_twins_apply(s) && reps > 0);
    struct run_twins *t = xcalloc(1, sizeof *t);
    t->cf = *s;
    t->cf.name = t->cf.notes = NULL; /* s's, which may be freed first */
    memset(&t->cf.origin, 0, sizeof t->cf.origin);
    t->cf.nrollouts = 0;
    t->cf.seed = seed;
    t->reps = reps;
    t->base = xcalloc((size_t)reps, sizeof *t->base);
    t->done = xcalloc((size_t)reps, sizeof *t->done);
    t->mu = xcalloc((size_t)reps, sizeof *t->mu);
    for (int r = 0; r < reps; r++)
        pthread_mutex_init(&t->mu[r], NULL);
    return t;
}

void run_twins_free(struct run_twins *t)
{
    if (!t)
        return;
    for (int r = 0; r < t->reps; r++) {
        harm_base_fini(&t->base[r]);
        pthread_mutex_destroy(&t->mu[r]);
    }
    free(t->base);
    free(t->done);
    free(t->mu);
    free(t);
}

const struct harm_base *run_twins_get(struct run_twins *t, int r)
{
    XASSERT(r >= 0 && r < t->reps);
    pthread_mutex_lock(&t->mu[r]);
    if (!t->done[r]) {
        struct prov pc;
        prov_init(&pc, &t->cf);
        prov_start(&pc, (uint64_t)r);
        harm_base_record(&pc, &t->base[r]);
        prov_run(&pc, NULL, NULL, NULL);
        harm_base_take(&pc, &t->base[r]);
        prov_fini(&pc);
        t->done[r] = 1;
    }
    pthread_mutex_unlock(&t->mu[r]);
    return &t->base[r];
}

double run_twins_horizon_s(const struct run_twins *t)
{
    return t->cf.horizon_s;
}

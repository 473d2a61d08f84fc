/* sweep_pool.c -- the threads that run a sweep's cells, stopping on
 * SIGINT/SIGTERM, and the progress bar.
 *
 * Invariants:
 * - Workers take cells in todo order under the mutex and run them with
 *   no lock held; a cell's results are stored and counted under the
 *   mutex only after its journal file is written.
 * - Workers run with SIGINT and SIGTERM blocked, so a handler (and the
 *   sig_atomic_t it sets) runs on the calling thread only; that thread
 *   copies the request into the pool under the mutex. Once a stop is
 *   requested, a cell fails or opts.stop_after cells have started, no new
 *   cell starts; the running ones finish.
 * - If no thread can be started the calling thread runs the cells
 *   itself, so a sweep never depends on threads being available. */
#include "plan/sweep_internal.h"

#include "base/progress.h"
#include "base/util.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct pool {
    struct sweep_ctx *c;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int *todo, ntodo, next; /* cells to run; next = index of the next to start */
    int started, finished;  /* this call */
    int running;            /* workers still in their loop */
    int stop;               /* copied from o->stop by the main thread: the
                             * signal handler runs there only (workers
                             * block the signals), so no other thread
                             * touches the sig_atomic_t */
    int inline_run;         /* no thread could start: the main thread works */
    int failed;
    char err[SCN_ERRLEN];
};

static int stopping(const struct pool *p)
{
    const struct sweep_opts *o = p->c->o;
    if (p->inline_run && o->stop && *o->stop)
        return 1;
    return p->failed || p->stop || (o->stop_after > 0 && p->started >= o->stop_after);
}

/* Runs one cell and saves it to the journal, with no lock held. Returns 0
 * (*sc filled, not yet marked done), or -1 with a message. */
static int run_cell(const struct sweep_ctx *c, int cell, struct sweep_cell *sc, char *err,
                    size_t errlen)
{
    struct scenario s;
    struct run_opts ro;
    struct run_result res;
    int rc = sweep_cell_build(c, cell, &s, err, errlen); /* validated: cannot fail */
    if (rc == 0) {
        sweep_cell_run_opts(c->o, &s, &ro);
        ro.twins = c->twins;
        run_scenario(&s, &ro, &res);
        memset(sc, 0, sizeof *sc);
        sc->reps = res.reps;
        sc->precision_reached = res.precision_reached;
        memcpy(sc->sum, res.sum, sizeof sc->sum);
        run_result_fini(&res);
        scn_fini(&s);
        rc = sweep_journal_write(c, cell, sc, err, errlen);
    }
    return rc;
}

static void *worker(void *arg)
{
    struct pool *p = arg;
    struct sweep_ctx *c = p->c;
    pthread_mutex_lock(&p->mu);
    while (!stopping(p) && p->next < p->ntodo) {
        int cell = p->todo[p->next++];
        p->started++;
        pthread_mutex_unlock(&p->mu);

        char err[SCN_ERRLEN];
        struct sweep_cell sc;
        int rc = run_cell(c, cell, &sc, err, sizeof err);

        pthread_mutex_lock(&p->mu);
        if (rc != 0) {
            if (!p->failed)
                snprintf(p->err, sizeof p->err, "%s", err);
            p->failed = 1;
        } else {
            sc.done = 1;
            c->sw->cells[cell] = sc;
            p->finished++;
        }
        pthread_cond_broadcast(&p->cv);
    }
    p->running--;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* Starts up to jobs workers (the caller holds p->mu, so none takes a cell
 * before all are started). Workers start with SIGINT and SIGTERM blocked,
 * so the handler runs on this thread, which passes the request on under
 * the mutex. Returns how many started. */
static int start_workers(struct pool *p, pthread_t *th, int jobs)
{
    int nth = 0;
    sigset_t sigs, old_mask;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, &old_mask);
    for (int i = 0; i < jobs; i++) {
        p->running++;
        if (pthread_create(&th[nth], NULL, worker, p) != 0) {
            p->running--;
            break;
        }
        nth++;
    }
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    return nth;
}

/* Waits (holding p->mu between wake-ups) until every worker has left its
 * loop, passing a stop request on and drawing the progress bar every
 * 0.1 s. */
static void wait_workers(struct pool *p, struct progress *bar)
{
    const struct sweep_opts *o = p->c->o;
    const struct sweep *sw = p->c->sw;
    while (p->running > 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 100 * 1000 * 1000;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&p->cv, &p->mu, &ts);
        if (o->stop && *o->stop)
            p->stop = 1;
        if (o->progress)
            progress_draw(bar, sw->loaded + p->finished, sw->ncells, p->finished, p->ntodo, 0);
    }
}

int sweep_pool_run(struct sweep_ctx *c, int *todo, int ntodo, char *err, size_t errlen)
{
    const struct sweep_opts *o = c->o;
    struct pool p = {.c = c, .todo = todo, .ntodo = ntodo, .stop = o->stop && *o->stop};
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv, NULL);
    int jobs = o->jobs < 1 ? 1 : o->jobs;
    if (jobs > ntodo)
        jobs = ntodo > 0 ? ntodo : 1;
    pthread_t *th = xcalloc((size_t)jobs, sizeof *th);
    struct progress bar;
    progress_init(&bar, stderr, "cells", 0.0); /* from the start: a sweep is long */
    pthread_mutex_lock(&p.mu);
    int nth = start_workers(&p, th, jobs);
    if (nth == 0) {
        /* no thread at all: run on this one */
        p.inline_run = 1;
        p.running = 1;
        pthread_mutex_unlock(&p.mu);
        worker(&p);
        pthread_mutex_lock(&p.mu);
    }
    wait_workers(&p, &bar);
    pthread_mutex_unlock(&p.mu);
    for (int i = 0; i < nth; i++)
        pthread_join(th[i], NULL);
    free(th);
    if (o->progress) {
        progress_draw(&bar, c->sw->loaded + p.finished, c->sw->ncells, p.finished, ntodo, 1);
        progress_end(&bar, 1);
    }
    c->sw->ran = p.finished;
    pthread_cond_destroy(&p.cv);
    pthread_mutex_destroy(&p.mu);
    if (p.failed) {
        snprintf(err, errlen, "%s", p.err);
        return -1;
    }
    return 0;
}

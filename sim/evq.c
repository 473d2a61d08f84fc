/* evq.c -- see evq.h.
 *
 * Invariant: for every i > 0, !ev_before(heap[i], heap[(i-1)/4]). */
#include "evq.h"

#include "util.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define ARITY 4

/* The one total order of events: earlier time first, then earlier
 * schedule. */
static inline int ev_before(const struct ev *a, const struct ev *b)
{
    if (a->t != b->t)
        return a->t < b->t;
    return a->seq < b->seq;
}

void evq_init(struct evq *q)
{
    q->heap = NULL;
    q->cap = 0;
    evq_clear(q);
}

void evq_fini(struct evq *q)
{
    free(q->heap);
    q->heap = NULL;
    q->cap = q->len = 0;
}

void evq_clear(struct evq *q)
{
    q->len = 0;
    q->next_seq = 0;
    q->now = 0.0;
    q->popped = 0;
}

void evq_push(struct evq *q, double t, uint32_t type, uint32_t arg)
{
    if (!(t >= q->now)) {
        fprintf(stderr, "provsim: internal error: event scheduled at t=%.9g before now=%.9g\n",
                t, q->now);
        abort();
    }
    if (q->len == q->cap)
        xgrow((void **)&q->heap, &q->cap, q->len + 1, sizeof *q->heap);
    struct ev e = {t, q->next_seq++, type, arg};
    /* sift up: move parents down until e's place is found */
    size_t i = q->len++;
    while (i > 0) {
        size_t p = (i - 1) / ARITY;
        if (!ev_before(&e, &q->heap[p]))
            break;
        q->heap[i] = q->heap[p];
        i = p;
    }
    q->heap[i] = e;
}

int evq_pop(struct evq *q, struct ev *out)
{
    if (q->len == 0)
        return 0;
    *out = q->heap[0];
    struct ev last = q->heap[--q->len];
    size_t n = q->len, i = 0;
    /* sift down: move the smallest child up until last fits */
    for (;;) {
        size_t c = i * ARITY + 1;
        if (c >= n)
            break;
        size_t best = c, end = c + ARITY < n ? c + ARITY : n;
        for (size_t k = c + 1; k < end; k++)
            if (ev_before(&q->heap[k], &q->heap[best]))
                best = k;
        if (!ev_before(&q->heap[best], &last))
            break;
        q->heap[i] = q->heap[best];
        i = best;
    }
    if (n > 0)
        q->heap[i] = last;
    if (!(out->t >= q->now)) {
        fprintf(stderr, "provsim: internal error: time went backwards (%.9g after %.9g)\n",
                out->t, q->now);
        abort();
    }
    q->now = out->t;
    q->popped++;
    return 1;
}

double evq_peek_time(const struct evq *q)
{
    return q->len ? q->heap[0].t : INFINITY;
}

int evq_check(const struct evq *q)
{
    for (size_t i = 1; i < q->len; i++)
        if (ev_before(&q->heap[i], &q->heap[(i - 1) / ARITY]))
            return 0;
    return 1;
}

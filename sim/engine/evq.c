/* evq.c -- see evq.h.
 *
 * Invariants: for every i > 0, !ev_before(heap[i], heap[(i-1)/4]); every
 * lane is in (time, sequence) order; lane_heap holds exactly the non-empty
 * lanes, each once, as a binary min-heap by front event; count = heap
 * entries + lane events. */
#include "engine/evq.h"

#include "base/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARITY 4
#define NSLOTS (2 * EVQ_MAX_LANES)

/* The one total order of events: earlier time first, then earlier
 * schedule. */
static inline int ev_before(const struct ev *a, const struct ev *b)
{
    if (a->t != b->t)
        return a->t < b->t;
    return a->key < b->key; /* = sequence order: sequences are unique */
}

void evq_init(struct evq *q)
{
    memset(q, 0, sizeof *q);
    memset(q->lane_slot, -1, sizeof q->lane_slot);
    evq_clear(q);
}

void evq_fini(struct evq *q)
{
    free(q->heap);
    for (int i = 0; i < q->nlanes; i++)
        free(q->lanes[i].buf);
    memset(q, 0, sizeof *q);
}

void evq_clear(struct evq *q)
{
    /* lanes and their delays stay: the next replication reuses them */
    for (int i = 0; i < q->nlanes; i++)
        q->lanes[i].head = q->lanes[i].len = 0;
    q->len = 0;
    q->nlane_heap = 0;
    q->count = 0;
    q->next_seq = 0;
    q->now = 0.0;
    q->popped = 0;
}

/* ---- the lane heap: lane numbers ordered by their front events ---- */

static inline const struct ev *lane_front(const struct evq *q, int l)
{
    const struct evq_lane *ln = &q->lanes[l];
    return &ln->buf[ln->head];
}

static inline int lane_before(const struct evq *q, int a, int b)
{
    return ev_before(lane_front(q, a), lane_front(q, b));
}

static void lane_heap_up(struct evq *q, int i)
{
    uint8_t l = q->lane_heap[i];
    while (i > 0) {
        int p = (i - 1) / 2;
        if (!lane_before(q, l, q->lane_heap[p]))
            break;
        q->lane_heap[i] = q->lane_heap[p];
        i = p;
    }
    q->lane_heap[i] = l;
}

static void lane_heap_down(struct evq *q, int i)
{
    int n = q->nlane_heap;
    uint8_t l = q->lane_heap[i];
    for (;;) {
        int c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && lane_before(q, q->lane_heap[c + 1], q->lane_heap[c]))
            c++;
        if (!lane_before(q, q->lane_heap[c], l))
            break;
        q->lane_heap[i] = q->lane_heap[c];
        i = c;
    }
    q->lane_heap[i] = l;
}

static void heap_insert(struct evq *q, struct ev e)
{
    if (q->len == q->cap)
        xgrow((void **)&q->heap, &q->cap, q->len + 1, sizeof *q->heap);
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

/* Scheduling into the past is a model bug. */
static void check_time(const struct evq *q, double t)
{
    XASSERT_AT(t >= q->now, q->now);
}

static inline struct ev make_ev(struct evq *q, double t, uint32_t type, uint32_t arg, float val)
{
    XASSERT_AT(type < (1u << EVQ_TYPE_BITS), t);
    struct ev e = {t, q->next_seq++ << EVQ_TYPE_BITS | type, arg, val};
    return e;
}

static void push_heap(struct evq *q, double t, uint32_t type, uint32_t arg, float val)
{
    check_time(q, t);
    heap_insert(q, make_ev(q, t, type, arg, val));
    q->count++;
}

void evq_push(struct evq *q, double t, uint32_t type, uint32_t arg)
{
    push_heap(q, t, type, arg, 0.0f);
}

static int lane_for(struct evq *q, double delay)
{
    uint64_t bits;
    memcpy(&bits, &delay, sizeof bits);
    size_t h = (size_t)((bits * 0x9e3779b97f4a7c15ULL) >> 57) % NSLOTS;
    for (size_t probe = 0; probe < NSLOTS; probe++, h = (h + 1) % NSLOTS) {
        int l = q->lane_slot[h];
        if (l < 0) {
            if (q->nlanes == EVQ_MAX_LANES)
                return -1;
            l = q->nlanes++;
            q->lanes[l].delay_s = delay;
            q->lane_slot[h] = (int16_t)l;
            return l;
        }
        if (q->lanes[l].delay_s == delay)
            return l;
    }
    return -1;
}

void evq_push_after(struct evq *q, double delay_s, uint32_t type, uint32_t arg, float val)
{
    double t = q->now + delay_s;
    int l = lane_for(q, delay_s);
    if (l < 0) {
        push_heap(q, t, type, arg, val);
        return;
    }
    check_time(q, t);
    struct evq_lane *ln = &q->lanes[l];
    if (ln->len == ln->cap) {
        /* grow the ring to a new power of two, unwrapping it */
        size_t nc = ln->cap ? 2 * ln->cap : 64;
        struct ev *nb = xmalloc(nc * sizeof *nb);
        for (size_t i = 0; i < ln->len; i++)
            nb[i] = ln->buf[(ln->head + i) & (ln->cap - 1)];
        free(ln->buf);
        ln->buf = nb;
        ln->cap = nc;
        ln->head = 0;
    }
    ln->buf[(ln->head + ln->len) & (ln->cap - 1)] = make_ev(q, t, type, arg, val);
    if (ln->len++ == 0) {
        /* a new front: the lane joins the lane heap (a later event in a
         * non-empty lane never changes its front) */
        q->lane_heap[q->nlane_heap] = (uint8_t)l;
        lane_heap_up(q, q->nlane_heap++);
    }
    q->count++;
}

/* Removes the main heap's top into *out. */
static void heap_pop(struct evq *q, struct ev *out)
{
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
}

/* Removes the front of the lane at the lane heap's top into *out. */
static void lane_pop(struct evq *q, struct ev *out)
{
    int l = q->lane_heap[0];
    struct evq_lane *ln = &q->lanes[l];
    *out = ln->buf[ln->head];
    ln->head = (ln->head + 1) & (ln->cap - 1);
    if (--ln->len == 0) /* the lane leaves the lane heap */
        q->lane_heap[0] = q->lane_heap[--q->nlane_heap];
    if (q->nlane_heap > 0)
        lane_heap_down(q, 0);
}

int evq_pop(struct evq *q, struct ev *out)
{
    if (q->nlane_heap > 0 &&
        (q->len == 0 || ev_before(lane_front(q, q->lane_heap[0]), &q->heap[0])))
        lane_pop(q, out);
    else if (q->len > 0)
        heap_pop(q, out);
    else
        return 0;
    XASSERT_AT(out->t >= q->now, q->now); /* time never goes backwards */
    q->now = out->t;
    q->popped++;
    q->count--;
    return 1;
}

double evq_peek_time(const struct evq *q)
{
    double t = q->len ? q->heap[0].t : INFINITY;
    if (q->nlane_heap > 0 && lane_front(q, q->lane_heap[0])->t < t)
        t = lane_front(q, q->lane_heap[0])->t;
    return t;
}

const char *evq_check(const struct evq *q)
{
    for (size_t i = 1; i < q->len; i++)
        if (ev_before(&q->heap[i], &q->heap[(i - 1) / ARITY]))
            return "event queue: an entry is earlier than its heap parent";
    size_t in_lanes = 0, heads = 0;
    for (int l = 0; l < q->nlanes; l++) {
        const struct evq_lane *ln = &q->lanes[l];
        for (size_t k = 1; k < ln->len; k++)
            if (ev_before(&ln->buf[(ln->head + k) & (ln->cap - 1)],
                          &ln->buf[(ln->head + k - 1) & (ln->cap - 1)]))
                return "event queue: a lane is out of (time, sequence) order";
        in_lanes += ln->len;
        heads += ln->len > 0;
    }
    if ((size_t)q->nlane_heap != heads)
        return "event queue: the lane heap differs from the non-empty lanes";
    int seen[EVQ_MAX_LANES] = {0};
    for (int i = 0; i < q->nlane_heap; i++) {
        int l = q->lane_heap[i];
        if (l >= q->nlanes || q->lanes[l].len == 0 || seen[l]++)
            return "event queue: the lane heap holds an empty or repeated lane";
        if (i > 0 && lane_before(q, l, q->lane_heap[(i - 1) / 2]))
            return "event queue: a lane is earlier than its lane-heap parent";
    }
    if (q->count != q->len + in_lanes)
        return "event queue: the pending count differs from the events held";
    return NULL;
}

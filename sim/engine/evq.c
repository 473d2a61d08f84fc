/* evq.c -- see evq.h.
 *
 * Invariants: for every i > 0, !ev_before(heap[i], heap[(i-1)/4]); in
 * each lane set (the live lanes and the deferred ones), every lane is in
 * (time, sequence) order, the lane heap holds exactly the non-empty lanes,
 * each once, as a binary min-heap by front event, and the set's count is
 * its events; count = heap entries + live lane events. */
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

static void lanes_init(struct evq_lanes *ls)
{
    memset(ls, 0, sizeof *ls);
    memset(ls->slot, -1, sizeof ls->slot);
}

static void lanes_free(struct evq_lanes *ls)
{
    for (int i = 0; i < ls->n; i++)
        free(ls->lane[i].buf);
    lanes_init(ls);
}

static void lanes_clear(struct evq_lanes *ls)
{
    /* lanes and their delays stay: the next replication reuses them */
    for (int i = 0; i < ls->n; i++)
        ls->lane[i].head = ls->lane[i].len = 0;
    ls->nheap = 0;
    ls->count = 0;
}

void evq_init(struct evq *q)
{
    memset(q, 0, sizeof *q);
    lanes_init(&q->lanes);
    lanes_init(&q->deferred);
    evq_clear(q);
}

void evq_fini(struct evq *q)
{
    free(q->heap);
    lanes_free(&q->lanes);
    lanes_free(&q->deferred);
    memset(q, 0, sizeof *q);
}

void evq_clear(struct evq *q)
{
    lanes_clear(&q->lanes);
    lanes_clear(&q->deferred);
    q->len = 0;
    q->count = 0;
    q->next_seq = 0;
    q->now = 0.0;
    q->popped = 0;
}

/* ---- a lane set: lane numbers in a heap ordered by their fronts ---- */

static inline const struct ev *lane_front(const struct evq_lanes *ls, int l)
{
    const struct evq_lane *ln = &ls->lane[l];
    return &ln->buf[ln->head];
}

static inline int lane_before(const struct evq_lanes *ls, int a, int b)
{
    return ev_before(lane_front(ls, a), lane_front(ls, b));
}

static void lane_heap_up(struct evq_lanes *ls, int i)
{
    uint8_t l = ls->heap[i];
    while (i > 0) {
        int p = (i - 1) / 2;
        if (!lane_before(ls, l, ls->heap[p]))
            break;
        ls->heap[i] = ls->heap[p];
        i = p;
    }
    ls->heap[i] = l;
}

static void lane_heap_down(struct evq_lanes *ls, int i)
{
    int n = ls->nheap;
    uint8_t l = ls->heap[i];
    for (;;) {
        int c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && lane_before(ls, ls->heap[c + 1], ls->heap[c]))
            c++;
        if (!lane_before(ls, ls->heap[c], l))
            break;
        ls->heap[i] = ls->heap[c];
        i = c;
    }
    ls->heap[i] = l;
}

/* The lane of delay, created if there is room; -1 if every lane is taken. */
static int lane_for(struct evq_lanes *ls, double delay)
{
    if (ls->n > 0 && ls->lane[ls->last].delay_s == delay)
        return ls->last;
    uint64_t bits;
    memcpy(&bits, &delay, sizeof bits);
    size_t h = (size_t)((bits * 0x9e3779b97f4a7c15ULL) >> 57) % NSLOTS;
    for (size_t probe = 0; probe < NSLOTS; probe++, h = (h + 1) % NSLOTS) {
        int l = ls->slot[h];
        if (l < 0) {
            if (ls->n == EVQ_MAX_LANES)
                return -1;
            l = ls->n++;
            ls->lane[l].delay_s = delay;
            ls->slot[h] = (int16_t)l;
            ls->last = l;
            return l;
        }
        if (ls->lane[l].delay_s == delay) {
            ls->last = l;
            return l;
        }
    }
    return -1;
}

/* Appends e to lane l (e is not earlier than the lane's last event). */
static inline __attribute__((always_inline)) void lane_append(struct evq_lanes *ls, int l, struct ev e)
{
    struct evq_lane *ln = &ls->lane[l];
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
    ln->buf[(ln->head + ln->len) & (ln->cap - 1)] = e;
    if (ln->len++ == 0) {
        /* a new front: the lane joins the lane heap (a later event in a
         * non-empty lane never changes its front) */
        ls->heap[ls->nheap] = (uint8_t)l;
        lane_heap_up(ls, ls->nheap++);
    }
    ls->count++;
}

/* Removes the front of the lane at the lane heap's top into *out. */
static inline __attribute__((always_inline)) void lane_pop(struct evq_lanes *ls, struct ev *out)
{
    int l = ls->heap[0];
    struct evq_lane *ln = &ls->lane[l];
    *out = ln->buf[ln->head];
    ln->head = (ln->head + 1) & (ln->cap - 1);
    if (--ln->len == 0) /* the lane leaves the lane heap */
        ls->heap[0] = ls->heap[--ls->nheap];
    if (ls->nheap > 1) /* often one lane: the reject latency's */
        lane_heap_down(ls, 0);
    ls->count--;
}

/* ---- the main heap ---------------------------------------------------- */

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

void evq_push_after(struct evq *q, double delay_s, uint32_t type, uint32_t arg, float val)
{
    double t = q->now + delay_s;
    int l = lane_for(&q->lanes, delay_s);
    if (l < 0) {
        push_heap(q, t, type, arg, val);
        return;
    }
    check_time(q, t);
    lane_append(&q->lanes, l, make_ev(q, t, type, arg, val));
    q->count++;
}

int evq_defer(struct evq *q, double delay_s, uint32_t type, uint32_t arg)
{
    double t = q->now + delay_s;
    int l = lane_for(&q->deferred, delay_s);
    if (l < 0)
        return -1;
    check_time(q, t);
    lane_append(&q->deferred, l, make_ev(q, t, type, arg, 0.0f));
    return 0;
}

int evq_take_deferred(struct evq *q, struct ev *out)
{
    if (q->deferred.nheap == 0)
        return 0;
    lane_pop(&q->deferred, out);
    return 1;
}

void evq_push_keyed(struct evq *q, double t, uint64_t seq, uint32_t type, uint32_t arg)
{
    check_time(q, t);
    XASSERT_AT(type < (1u << EVQ_TYPE_BITS) && seq < q->next_seq, t);
    struct ev e = {t, seq << EVQ_TYPE_BITS | type, arg, 0.0f};
    heap_insert(q, e);
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

int evq_pop_until(struct evq *q, double until_s, struct ev *out)
{
    const struct evq_lanes *ls = &q->lanes;
    const struct ev *e = q->len > 0 ? &q->heap[0] : NULL;
    int from_lane = 0;
    if (ls->nheap > 0) {
        const struct ev *f = lane_front(ls, ls->heap[0]);
        if (e == NULL || ev_before(f, e)) {
            e = f;
            from_lane = 1;
        }
    }
    if (e == NULL || !(e->t <= until_s))
        return 0;
    if (from_lane)
        lane_pop(&q->lanes, out);
    else
        heap_pop(q, out);
    XASSERT_AT(out->t >= q->now, q->now); /* time never goes backwards */
    q->now = out->t;
    q->popped++;
    q->count--;
    return 1;
}

int evq_pop(struct evq *q, struct ev *out)
{
    return evq_pop_until(q, INFINITY, out);
}

double evq_peek_time(const struct evq *q)
{
    const struct evq_lanes *ls = &q->lanes;
    double t = q->len ? q->heap[0].t : INFINITY;
    if (ls->nheap > 0 && lane_front(ls, ls->heap[0])->t < t)
        t = lane_front(ls, ls->heap[0])->t;
    return t;
}

/* A lane set's invariants (evq_check). */
static const char *lanes_check(const struct evq_lanes *ls)
{
    size_t held = 0, heads = 0;
    for (int l = 0; l < ls->n; l++) {
        const struct evq_lane *ln = &ls->lane[l];
        for (size_t k = 1; k < ln->len; k++)
            if (ev_before(&ln->buf[(ln->head + k) & (ln->cap - 1)],
                          &ln->buf[(ln->head + k - 1) & (ln->cap - 1)]))
                return "event queue: a lane is out of (time, sequence) order";
        held += ln->len;
        heads += ln->len > 0;
    }
    if ((size_t)ls->nheap != heads)
        return "event queue: the lane heap differs from the non-empty lanes";
    int seen[EVQ_MAX_LANES] = {0};
    for (int i = 0; i < ls->nheap; i++) {
        int l = ls->heap[i];
        if (l >= ls->n || ls->lane[l].len == 0 || seen[l]++)
            return "event queue: the lane heap holds an empty or repeated lane";
        if (i > 0 && lane_before(ls, l, ls->heap[(i - 1) / 2]))
            return "event queue: a lane is earlier than its lane-heap parent";
    }
    if (held != ls->count)
        return "event queue: a lane set's count differs from the events it holds";
    return NULL;
}

const char *evq_check(const struct evq *q)
{
    for (size_t i = 1; i < q->len; i++)
        if (ev_before(&q->heap[i], &q->heap[(i - 1) / ARITY]))
            return "event queue: an entry is earlier than its heap parent";
    const char *bad = lanes_check(&q->lanes);
    if (!bad)
        bad = lanes_check(&q->deferred);
    if (bad)
        return bad;
    if (q->count != q->len + q->lanes.count)
        return "event queue: the pending count differs from the events held";
    return NULL;
}

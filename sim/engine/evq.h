/* evq.h -- the pending-event set (a 4-ary min-heap of timed events) and
 * the one event loop, evq_run: pop, check that time never goes backwards,
 * set the clock, call the model's handler; optional hooks before and after
 * each event (the --audit checks, the series sampler).
 *
 * Total order: (time, sequence). The sequence number counts up on every
 * push, so events scheduled for the same time run in the order they were
 * scheduled (first in, first out) and a run is a pure function of scenario
 * and seed. evq_pop is the only writer of the clock, and it asserts that
 * time never goes backwards.
 *
 * Costs: push O(log4 n), pop O(log4 n), peek O(1); no allocation once the
 * array has grown to the run's high-water mark (it is kept across
 * replications by evq_clear). There is no cancel: models that may change
 * their mind (pause/resume) check their own state when the event fires.
 * A 4-ary heap halves the depth of a binary one and keeps the four children
 * of a node in one or two cache lines.
 *
 * Lanes keep the heap small. Most events of a rate-limited backlog are
 * scheduled a *recurring* delay after now: every 429 answers after the same
 * reject latency, every retry after the same whole-second Retry-After. For
 * one delay d, times now + d never decrease (now never does), so events
 * pushed with evq_push_after(d) go to a FIFO lane for d, and only each
 * lane's head sits in the heap. Popping a lane head pushes the lane's next
 * event. The (time, sequence) order is exactly the same as with the heap
 * alone; only the cost changes: a million waiting retries cost a few lane
 * heads instead of a million heap entries.
 *
 * The lane heads are kept out of the main heap, in a small binary heap of
 * lane numbers ordered by their fronts (at most EVQ_MAX_LANES entries):
 * most pops are lane fronts, and taking one then costs a sift through a
 * few dozen entries instead of a sift-down and a re-insertion in the big
 * heap. Pop takes the earlier of the two tops. A linear scan of the lanes
 * instead of the small heap was measured slower with fixed windows, which
 * make about 60 distinct Retry-After lanes. */
#ifndef PROVSIM_EVQ_H
#define PROVSIM_EVQ_H

#include <stddef.h>
#include <stdint.h>

/* 24 bytes: the sequence and the type share one word, which leaves room
 * for a payload the model would otherwise keep per job (a 429's
 * Retry-After rides with its response instead of in every job). */
struct ev {
    double t;     /* seconds since the scenario start */
    uint64_t key; /* sequence << EVQ_TYPE_BITS | type: the sequence is the
                   * schedule order (ties run first-in-first-out), and as
                   * sequences are unique, comparing keys compares them */
    uint32_t arg; /* e.g. a job index */
    float val;    /* the model's payload, 0 unless pushed with one */
};

#define EVQ_TYPE_BITS 8 /* event types are < 256 (asserted) */
static inline uint32_t ev_type(const struct ev *e)
{
    return (uint32_t)(e->key & ((1u << EVQ_TYPE_BITS) - 1));
}
static inline uint64_t ev_seq(const struct ev *e)
{
    return e->key >> EVQ_TYPE_BITS;
}

#define EVQ_MAX_LANES 64

/* A FIFO ring of events whose times never decrease. */
struct evq_lane {
    double delay_s;
    struct ev *buf;
    size_t head, len, cap; /* cap is a power of two */
};

/* Lanes, one per recurring delay, and a binary min-heap of the non-empty
 * ones by their front events. */
struct evq_lanes {
    struct evq_lane lane[EVQ_MAX_LANES];
    int n;
    int16_t slot[2 * EVQ_MAX_LANES]; /* hash of delay -> lane, -1 empty */
    uint8_t heap[EVQ_MAX_LANES];     /* non-empty lanes, min-heap by front */
    int nheap;
    size_t count;                    /* events held */
    int last;                        /* the lane lane_for found last (when n > 0):
                                      * most pushes repeat the delay before */
};

struct evq {
    struct ev *heap;
    size_t len, cap;         /* heap entries (lane events not included) */
    size_t count;            /* pending events, in the heap or in lanes */
    struct evq_lanes lanes;  /* events evq_pop takes */
    struct evq_lanes deferred; /* events only the model takes (evq_defer) */
    uint64_t next_seq;
    double now;        /* time of the last popped event */
    uint64_t popped;   /* events processed since evq_clear */
};

void evq_init(struct evq *q);
void evq_fini(struct evq *q);
/* Empties the queue and resets clock, sequence and count; keeps memory. */
void evq_clear(struct evq *q);

/* Schedules an event at time t (t >= now, asserted). */
void evq_push(struct evq *q, double t, uint32_t type, uint32_t arg);
/* Schedules an event at now + delay_s, where the caller expects the same
 * delay_s to recur (a constant latency, a whole-second Retry-After): the
 * event goes to that delay's lane. Falls back to the heap when all lanes
 * are taken. O(1), plus O(log4 n) when the lane was empty. val is the
 * event's payload (struct ev). */
void evq_push_after(struct evq *q, double delay_s, uint32_t type, uint32_t arg, float val);
/* Removes the earliest event into *ev, sets the clock to its time. Returns
 * 0 if the queue is empty. */
int evq_pop(struct evq *q, struct ev *ev);
/* evq_pop if the earliest event's time is at or before until_s; else 0
 * and nothing changes (the loop's one look at the two tops per event). */
int evq_pop_until(struct evq *q, double until_s, struct ev *ev);
/* Time of the earliest event, or +infinity if none. */
double evq_peek_time(const struct evq *q);
static inline size_t evq_len(const struct evq *q) { return q->count; }

/* Deferred events. A model whose event would only change its own state
 * unless the moment matters (a retry that joins a ready queue no worker
 * is free to take) can defer it instead of scheduling it: it takes its
 * sequence number now, as evq_push_after would, so every later event's
 * number is what it would have been, and it waits in a lane of its delay
 * that evq_pop never looks at. The model takes deferred events itself, in
 * (time, sequence) order, when an event at or after their time needs
 * their effect, and schedules one with evq_push_keyed when the moment
 * does matter. Not counted in evq_len.
 * evq_defer returns 0, or -1 when every lane is taken (nothing deferred,
 * no sequence number used: schedule the event instead). */
int evq_defer(struct evq *q, double delay_s, uint32_t type, uint32_t arg);
/* The earliest deferred event, or NULL if none. */
static inline const struct ev *evq_deferred_front(const struct evq *q)
{
    const struct evq_lanes *ls = &q->deferred;
    if (ls->nheap == 0)
        return NULL;
    const struct evq_lane *ln = &ls->lane[ls->heap[0]];
    return &ln->buf[ln->head];
}
/* Removes the earliest deferred event into *ev; 0 if there is none. */
int evq_take_deferred(struct evq *q, struct ev *ev);
/* Takes the next sequence number for an event the model keeps itself
 * and handles in (time, sequence) order without scheduling it (another
 * client's next arrival, when nothing else depends on its moment): every
 * later event's number is what it would have been had it been pushed. */
static inline uint64_t evq_take_seq(struct evq *q) { return q->next_seq++; }
/* Schedules an event at t with the sequence number seq (a deferred
 * event's, so that it keeps its place in the order) and type. */
void evq_push_keyed(struct evq *q, double t, uint64_t seq, uint32_t type, uint32_t arg);

/* Checks the invariants: the heap property, every lane's order (the
 * deferred ones' too), the lane heaps and the counts. Returns NULL if they hold, else a
 * description of the first that fails (tests and --audit). O(n). */
const char *evq_check(const struct evq *q);

/* ---- the event loop ------------------------------------------------------ */

/* What evq_run calls. handle is the model; before (with the popped event,
 * the clock already at its time, before handle) and after (after handle)
 * are optional hooks: NULL for none. A hook's non-zero return stops the
 * loop, and evq_run returns it. */
struct evq_loop {
    void (*handle)(void *model, const struct ev *ev);
    void *model;
    int (*before)(void *hook, const struct ev *ev);
    int (*after)(void *hook, const struct ev *ev);
    void *hook;
};

/* The one dispatch loop of provsim: runs every event at or before until_s
 * (seconds) in (time, sequence) order; evq_pop checks the order and is the
 * only writer of the clock. Returns 0, or the hook's stop code. Inline so
 * that a caller passing a constant loop gets direct calls to its handler:
 * this loop runs once per event. */
static inline int evq_run(struct evq *q, double until_s, const struct evq_loop *l)
{
    struct ev ev;
    while (evq_pop_until(q, until_s, &ev)) {
        int rc = l->before ? l->before(l->hook, &ev) : 0;
        if (rc)
            return rc;
        l->handle(l->model, &ev);
        rc = l->after ? l->after(l->hook, &ev) : 0;
        if (rc)
            return rc;
    }
    return 0;
}

#endif

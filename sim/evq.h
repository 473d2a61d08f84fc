/* evq.h -- the pending-event set: a 4-ary min-heap of timed events.
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
 * of a node in one or two cache lines, which is what matters for heaps of
 * a million waiting retries. */
#ifndef PROVSIM_EVQ_H
#define PROVSIM_EVQ_H

#include <stddef.h>
#include <stdint.h>

struct ev {
    double t;      /* seconds since the scenario start */
    uint64_t seq;  /* schedule order: ties run first-in-first-out */
    uint32_t type; /* meaning defined by the model */
    uint32_t arg;  /* e.g. a job index */
};

struct evq {
    struct ev *heap;
    size_t len, cap;
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
/* Removes the earliest event into *ev, sets the clock to its time. Returns
 * 0 if the queue is empty. */
int evq_pop(struct evq *q, struct ev *ev);
/* Time of the earliest event, or +infinity if none. */
double evq_peek_time(const struct evq *q);
static inline size_t evq_len(const struct evq *q) { return q->len; }

/* Checks the heap property over the whole array (for tests and --audit). */
int evq_check(const struct evq *q);

#endif

/* provision_internal.h -- what the files of the provisioning pipeline
 * (provision.c, provision_run.c) share and nothing else includes: the
 * job-state counts and the ready queue, and the deferred retries. */
#ifndef PROVSIM_PROVISION_INTERNAL_H
#define PROVSIM_PROVISION_INTERNAL_H

#include "models/provision.h"

/* Grows the ready queue's ring to the next power of two (provision_run.c). */
void prov_fifo_grow(struct prov *p);

static inline void set_state(struct prov *p, struct job *j, int st)
{
    p->count[j->state]--;
    p->count[st]++;
    j->state = (unsigned)st & 7u;
}

static inline void fifo_push(struct prov *p, uint32_t id)
{
    if (p->fifo_len == p->fifo_cap)
        prov_fifo_grow(p);
    p->fifo[(p->fifo_head + p->fifo_len++) & (p->fifo_cap - 1)] = id;
}

static inline uint32_t fifo_pop(struct prov *p)
{
    uint32_t id = p->fifo[p->fifo_head];
    p->fifo_head = (p->fifo_head + 1) & (p->fifo_cap - 1);
    p->fifo_len--;
    return id;
}

/* Deferred retries (provision_run.c): every one due before the event at
 * (t, seq), the one with that sequence number included, joins the ready
 * queue; and, with a worker free, the earliest gets a wake-up event. */
void prov_take_due(struct prov *p, double t, uint64_t seq);
void prov_wake_if_idle(struct prov *p);

#endif

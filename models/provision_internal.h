/* provision_internal.h -- what the files of the provisioning pipeline
 * (provision.c, provision_init.c) share and nothing else includes: the
 * job-state counts, the ready queue, and the growth of both. */
#ifndef PROVSIM_PROVISION_INTERNAL_H
#define PROVSIM_PROVISION_INTERNAL_H

#include "models/provision.h"

/* Grows the ready queue's ring to the next power of two, and the jobs
 * array with its side arrays to hold one more job (provision_init.c). */
void prov_fifo_grow(struct prov *p);
void prov_grow_jobs(struct prov *p);

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

#endif

/* job.h -- a provisioning job (one user's push) and the vocabulary the
 * workload, server and client models share: what kind of SCIM request a
 * job is, where it came from, and the states it moves through. */
#ifndef PROVSIM_JOB_H
#define PROVSIM_JOB_H

#include <stdint.h>

/* What a push job does. The requests it sends are the client's recipe for
 * its kind (client.h). The first three are user jobs (rollouts, background
 * traffic and other clients' mixes are made of them); the group kinds come
 * only from a rollout's group push. Limiters may still select by kind (the
 * requests of jobs of that kind), so kinds are also bit positions. */
enum job_kind {
    JOB_KIND_CREATE = 0,        /* a new account */
    JOB_KIND_UPDATE = 1,        /* a profile push */
    JOB_KIND_DEACTIVATE = 2,    /* active=false */
    JOB_KIND_GROUP_CREATE = 3,  /* a pushed group is created */
    JOB_KIND_GROUP_MEMBERS = 4, /* one membership update of a pushed group */
    JOB_KIND_COUNT
};
#define JOB_KIND_USER_COUNT 3 /* create, update, deactivate */

#define JOB_KIND_MASK(k) (1u << (k))
#define JOB_KIND_MASK_ALL ((1u << JOB_KIND_COUNT) - 1u)

/* Who issued a request. */
enum job_origin {
    JOB_ORIGIN_ROLLOUT = 0,    /* a job spawned by a rollout (group assignment) */
    JOB_ORIGIN_BACKGROUND = 1, /* everyday joiners/movers/leavers, same client */
    JOB_ORIGIN_OTHER = 2,      /* another SCIM client sharing the limits */
    JOB_ORIGIN_COUNT
};

/* Every job is in exactly one state (provision.h lists the transitions). */
enum job_state {
    JOB_QUEUED,    /* in the ready FIFO */
    JOB_WAITING,   /* on the failed-task list, waiting for its retry
                    * (a deferred retry's job keeps reading this in the
                    * ready FIFO until dispatch: take_due, provision.c) */
    JOB_IN_FLIGHT, /* a request is out */
    JOB_SUCCEEDED,
    JOB_EXHAUSTED, /* gave up after max_attempts; stays on the failed-task list */
    JOB_PARKED,    /* a non-429 failure with on_error "park": stays on the
                    * failed-task list until an admin retries it by hand */
    JOB_NSTATES
};

/* One per job, in one array indexed by job id (provision.h): 16 bytes,
 * so a million-user rollout's jobs fit in 16 MB. What only some jobs or
 * some scenarios need lives beside the array: the ready queue is a ring
 * of job ids, a throttled response's Retry-After rides in its event, the
 * retry state of the decorrelated and schedule policies is in side arrays
 * allocated only for them, and background jobs' creation times are kept
 * in arrival order for the harm metrics (provision.h). */
struct job {
    double t_s;        /* created, seconds; once succeeded, its latency
                        * (job_latency_s): created + latency is not needed
                        * again, and the harm metrics' background jobs keep
                        * their creation times beside */
    uint32_t attempts; /* tries of the job: its first plus its retries */
    unsigned kind : 3;     /* enum job_kind */
    unsigned origin : 2;   /* enum job_origin */
    unsigned state : 3;    /* enum job_state */
    unsigned failed : 1;   /* on the failed-task list */
    unsigned outcome : 2;  /* enum srv_outcome of the request in flight */
    unsigned step : 3;     /* index in its kind's recipe of the request to send */
    unsigned existing : 1; /* a create whose user already exists (PUT, not POST) */
    unsigned endpoint : 4; /* enum endpoint of the request in flight */
    unsigned woken : 1;    /* its deferred retry has a wake-up scheduled
                            * (provision.c, "Deferred retries") */
};

/* A succeeded job's latency, created -> succeeded, seconds. */
static inline double job_latency_s(const struct job *j)
{
    return j->t_s;
}
/* A job's creation time, seconds; not once it has succeeded. */
static inline double job_created_s(const struct job *j)
{
    return j->t_s;
}

const char *job_kind_name(enum job_kind k);
const char *job_origin_name(enum job_origin o);
/* Returns the kind for a name, or -1. */
int job_kind_parse(const char *s);

#endif

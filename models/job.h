/* job.h -- a provisioning job (one user's push) and the vocabulary the
 * workload, server and client models share: what kind of SCIM request a
 * job is, where it came from, and the states it moves through. */
#ifndef PROVSIM_JOB_H
#define PROVSIM_JOB_H

#include <stdint.h>

/* The SCIM operation a push job performs. Limiters can apply to a subset of
 * kinds (Slack has per-endpoint buckets), so kinds are also bit positions. */
enum job_kind {
    JOB_KIND_CREATE = 0,     /* POST /Users */
    JOB_KIND_UPDATE = 1,     /* PUT/PATCH /Users/{id} */
    JOB_KIND_DEACTIVATE = 2, /* PATCH active=false */
    JOB_KIND_COUNT
};

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
    JOB_WAITING,   /* on the failed-task list, waiting for its retry */
    JOB_IN_FLIGHT, /* a request is out */
    JOB_SUCCEEDED,
    JOB_EXHAUSTED, /* gave up after max_attempts; stays on the failed-task list */
    JOB_NSTATES
};

/* One per job, in one array indexed by job id (provision.h). */
struct job {
    double created_s;
    double prev_delay_s; /* decorrelated jitter's previous delay, seconds */
    double first_failed_s; /* time of its first failure (schedule retries), seconds */
    float retry_after_s; /* of the request in flight, if throttled; seconds */
    uint32_t next;       /* FIFO link (job id), UINT32_MAX = none */
    uint32_t attempts;
    uint8_t kind, origin, state, failed, outcome;
};

const char *job_kind_name(enum job_kind k);
const char *job_origin_name(enum job_origin o);
/* Returns the kind for a name, or -1. */
int job_kind_parse(const char *s);

#endif

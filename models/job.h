/* job.h -- the vocabulary shared by the workload, server and client models:
 * what kind of SCIM request a job is and where it came from. */
#ifndef PROVSIM_JOB_H
#define PROVSIM_JOB_H

/* The SCIM operation a push job performs. Limiters can apply to a subset of
 * kinds (Slack has per-endpoint buckets), so kinds are also bit positions. */
enum job_kind {
    KIND_CREATE = 0,     /* POST /Users */
    KIND_UPDATE = 1,     /* PUT/PATCH /Users/{id} */
    KIND_DEACTIVATE = 2, /* PATCH active=false */
    KIND_COUNT
};

#define KIND_MASK(k) (1u << (k))
#define KIND_MASK_ALL ((1u << KIND_COUNT) - 1u)

/* Who issued a request. */
enum job_origin {
    ORIGIN_ROLLOUT = 0,    /* a job spawned by a rollout (group assignment) */
    ORIGIN_BACKGROUND = 1, /* everyday joiners/movers/leavers, same client */
    ORIGIN_OTHER = 2,      /* another SCIM client sharing the limits */
    ORIGIN_COUNT
};

const char *job_kind_name(enum job_kind k);
const char *job_origin_name(enum job_origin o);
/* Returns the kind for a name, or -1. */
int job_kind_parse(const char *s);

#endif

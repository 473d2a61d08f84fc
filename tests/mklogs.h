/* mklogs.h -- test helper: the logs a real rollout would leave, written
 * from a provsim replication with known parameters.
 *
 * One replication of a scenario runs with a request trace; every request
 * becomes an access-log line (its arrival, its response time taken from
 * the replication's response event, its status and Retry-After) and the
 * jobs become Okta System Log events (an assignment per rollout user at
 * its creation, a push per job at its success, a rate_limit_exceeded per
 * 429). With noise, the logs also get what real ones have: other apps'
 * events, other event types, users assigned twice, out-of-order lines,
 * other clients' requests and non-SCIM paths. */
#ifndef PROVSIM_TESTS_MKLOGS_H
#define PROVSIM_TESTS_MKLOGS_H

#include <stdint.h>

#include "models/config.h"

enum { MKLOGS_OKTA_LINES, MKLOGS_OKTA_ARRAY, MKLOGS_OKTA_CSV };
enum { MKLOGS_ACCESS_JSON, MKLOGS_ACCESS_NCSA };

struct mklogs_opts {
    const char *okta_path;   /* NULL: no System Log */
    int okta_format;
    const char *access_path; /* NULL: no access log */
    int access_format;
    int noise;
    uint64_t rep;            /* the replication */
};

/* Returns 0, or -1 if a file cannot be written (perror'd). */
int mklogs_write(const struct scenario *s, const struct mklogs_opts *o);

#endif

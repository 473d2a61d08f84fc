/* client.h -- the identity provider's SCIM client: its configuration (the
 * scenario's "client" section). The client's rules are in provision.c. */
#ifndef PROVSIM_CLIENT_H
#define PROVSIM_CLIENT_H

#include "models/retry.h"

/* What a 429 stops: the job alone, or every dispatch until Retry-After. */
enum client_on_429 { CLIENT_ON_429_JOB, CLIENT_ON_429_PAUSE_ALL };

struct client_cfg {
    int workers;                 /* W concurrent requests */
    double max_rate_per_s;       /* dispatch pacing; 0 = none */
    struct retry_cfg retry;      /* after a 429 */
    struct retry_cfg error_retry;/* after a 5xx (exponential) */
    enum client_on_429 on_429;
};

#endif

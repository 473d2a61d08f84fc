/* client.h -- the identity provider's SCIM client: its configuration (the
 * scenario's "client" section) and the request recipes it sends per job.
 * The client's rules are in provision.c. */
#ifndef PROVSIM_CLIENT_H
#define PROVSIM_CLIENT_H

#include <stdint.h>

#include "models/endpoint.h"
#include "models/job.h"
#include "models/retry.h"

/* What a 429 stops: the job alone, or every dispatch until Retry-After. */
enum client_on_429 { CLIENT_ON_429_JOB, CLIENT_ON_429_PAUSE_ALL };

/* What a non-429 failure (5xx) does: retry it by error_retry, or park the
 * job on the failed-task list for an admin to retry by hand (Okta). */
enum client_on_error { CLIENT_ON_ERROR_RETRY, CLIENT_ON_ERROR_PARK };

/* Where a retried job starts: its recipe's first request again, or the
 * request that failed (Okta does not publish which it does). */
enum client_retry_from { CLIENT_RETRY_FROM_START, CLIENT_RETRY_FROM_FAILED };

/* The requests a job of one kind sends, in order; the job succeeds when
 * the last one does. */
#define CLIENT_MAX_STEPS 8
struct client_recipe {
    uint8_t n;
    uint8_t ep[CLIENT_MAX_STEPS]; /* enum endpoint */
};

/* Named recipe sets (client.requests): "single" is one request per job. */
enum client_requests {
    CLIENT_REQUESTS_SINGLE,
    CLIENT_REQUESTS_OKTA,
    CLIENT_REQUESTS_ENTRA,
    CLIENT_REQUESTS_CUSTOM
};

struct client_cfg {
    int workers;                 /* W concurrent requests */
    double max_rate_per_s;       /* dispatch pacing (every request); 0 = none */
    struct retry_cfg retry;      /* after a 429 */
    struct retry_cfg error_retry;/* after a 5xx (exponential) */
    enum client_on_429 on_429;
    enum client_on_error on_error;
    enum client_retry_from retry_from;
    enum client_requests requests;
    struct client_recipe recipe[JOB_KIND_COUNT];
    double existing_fraction;    /* P(a create's user already exists) */
};

/* Fills recipe[] with a named set (not CLIENT_REQUESTS_CUSTOM). */
void client_recipes_named(struct client_cfg *c, enum client_requests set);
/* The endpoint a job sends at this step of its recipe: an existing user's
 * POST /Users is sent as PUT /Users/{id}. */
static inline int client_step_endpoint(const struct client_cfg *c, int kind, int step,
                                       int existing)
{
    int ep = c->recipe[kind].ep[step];
    return existing && ep == EP_POST_USERS ? EP_PUT_USER : ep;
}
/* Expected requests to the endpoints in ep_mask, plus all requests if the
 * job kind is in kind_mask, per successful job of this kind (the lower
 * bound's request count). */
double client_requests_through(const struct client_cfg *c, int kind, unsigned kind_mask,
                               unsigned ep_mask);

const char *client_requests_name(enum client_requests r);
/* The one request a job of this kind is in the "single" recipe (what
 * other clients send). */
int client_single_endpoint(int kind);

#endif

/* config.h -- the configuration of the whole model, one struct scenario:
 * everything one replication needs. sim/scenario fills it from JSON (and
 * checks it); the models read it and never change it. */
#ifndef PROVSIM_CONFIG_H
#define PROVSIM_CONFIG_H

#include <stdint.h>

#include "models/client.h"
#include "models/server.h"
#include "models/workload.h"

/* What was simulated, for the provenance every output records; the
 * scenario loader fills it, the models never read it. */
struct scenario_origin {
    char *source;       /* owned; the file as given, NULL = the built-in default */
    char sha256[65];    /* hex SHA-256 of the source's bytes, "" if none */
    char **overrides;   /* owned; every --set "PATH=VALUE" applied, in order */
    int noverrides;
    char *file_name;    /* owned; "name" as the file has it, NULL if the same as name */
};

struct scenario {
    char *name;                  /* owned; with overrides, a label derived from
                                  * the effective scenario (origin.file_name
                                  * keeps the file's) */
    char *notes;                 /* owned; may be NULL */
    int64_t start_epoch_s;       /* naive local time of t = 0 */
    double horizon_s;            /* simulate until this time (with horizon_auto: the cap) */
    int horizon_auto;            /* "horizon": "auto": stop settle_s after the rollout
                                  * is done and the client has no backlog */
    double settle_s;             /* seconds; horizon_auto's settle time */
    double harm_delay_threshold_s; /* harm_background_delayed_jobs counts delays above it */
    uint64_t seed;
    int replications;
    struct srv_cfg server;
    struct client_cfg client;
    struct wl_rollout rollouts[WL_MAX_ROLLOUTS];
    int nrollouts;
    struct wl_traffic background;
    struct wl_traffic other;
    double series_step_s;        /* --series sampling step */
    struct scenario_origin origin;
};

#endif

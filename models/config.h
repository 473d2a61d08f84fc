/* config.h -- the configuration of the whole model, one struct scenario:
 * everything one replication needs. sim/scenario fills it from JSON (and
 * checks it); the models read it and never change it. */
#ifndef PROVSIM_CONFIG_H
#define PROVSIM_CONFIG_H

#include <stdint.h>

#include "models/client.h"
#include "models/server.h"
#include "models/workload.h"

struct scenario {
    char *name;                  /* owned */
    char *notes;                 /* owned; may be NULL */
    int64_t start_epoch_s;       /* naive local time of t = 0 */
    double horizon_s;            /* simulate until this time */
    uint64_t seed;
    int replications;
    struct srv_cfg server;
    struct client_cfg client;
    struct wl_rollout rollouts[WL_MAX_ROLLOUTS];
    int nrollouts;
    struct wl_traffic background;
    struct wl_traffic other;
    double series_step_s;        /* --series sampling step */
};

#endif

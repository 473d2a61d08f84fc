/* schema.h -- the scenario schema: which keys each object of a scenario
 * document takes, what each value must be, and how it fills struct
 * scenario (internal to the scenario loader). One parse function per
 * object of the document, in four files: schema.c the top level,
 * schema_server.c the server (limits, Retry-After, latency),
 * schema_client.c the client (workers, retry policies), schema_workload.c
 * the workload (rollouts, background and other clients' traffic).
 *
 * Strictness is the point: a scenario that "loads" with a misspelled key
 * silently simulates something else, so unknown keys, duplicate keys
 * (cJSON keeps both), wrong types, non-integers where counts are expected,
 * and infinities (cJSON turns 1e999 into inf) are all refused.
 *
 * Each parse function returns 0, or -1 with a message naming the key path
 * (through c). On -1 the struct may be partly filled, and may own names:
 * the caller frees it with scn_fini, never uses it. */
#ifndef PROVSIM_SCHEMA_H
#define PROVSIM_SCHEMA_H

#include "scenario/keypath.h"
#include "scenario/scenario.h"

#include <cjson/cJSON.h>

#define SCH_MAX_EXACT_INT 9007199254740992.0 /* 2^53: doubles count exactly */
#define SCH_MAX_PEAK_PER_HOUR 1e7            /* absurd-size guard */

/* Job kind names in enum order (a name's index is its enum value),
 * NULL-terminated: rollouts, mixes and a limit's applies_to share them. */
extern const char *const sch_kind_names[];

/* The whole document: root is the top-level object. */
int sch_parse_scenario(struct kp_ctx *c, const cJSON *root, struct scenario *s);
/* o is the "server" object; start_epoch_s places align "clock" windows. */
int sch_parse_server(struct kp_ctx *c, const cJSON *o, int64_t start_epoch_s, struct srv_cfg *sv);
/* o is the "client" object. */
int sch_parse_client(struct kp_ctx *c, const cJSON *o, struct client_cfg *cl);
/* o is the "workload" object; needs s->start_epoch_s and s->horizon_s, as
 * rollout times are checked against them. */
int sch_parse_workload(struct kp_ctx *c, const cJSON *o, struct scenario *s);

#endif

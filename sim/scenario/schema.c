/* schema.c -- the top level of a scenario document: name, notes, start,
 * horizon, seed, replications and output, and the server, client and
 * workload objects in that order (the workload needs start and horizon).
 * See schema.h.
 *
 * Invariant of a parsed scenario: 0 < series_step_s <= horizon_s, with at
 * most MAX_SERIES_ROWS steps over the horizon. */
#include "scenario/schema.h"

#include "scenario/keypath.h"
#include "scenario/values.h"
#include "base/units.h"
#include "base/util.h"

#include <math.h>
#include <string.h>

#define MAX_SERIES_ROWS 1e7 /* horizon / series_step */
/* Defaults, seconds (README, Scenario files). */
#define SCH_DEFAULT_HORIZON_CAP_S (7.0 * 86400.0)
#define SCH_DEFAULT_SETTLE_S 3600.0
#define SCH_DEFAULT_HARM_DELAY_S 60.0

const char *const sch_kind_names[] = {[JOB_KIND_CREATE] = "create",
                                      [JOB_KIND_UPDATE] = "update",
                                      [JOB_KIND_DEACTIVATE] = "deactivate",
                                      NULL};

/* "notes" (optional): a string, or an array of lines joined by newlines. */
static int parse_notes(struct kp_ctx *c, const cJSON *root, struct scenario *s)
{
    const cJSON *it;
    size_t m;
    int rc = val_lookup(c, root, "notes", 0, &it, &m);
    if (rc <= 0)
        return rc;
    if (cJSON_IsString(it)) {
        s->notes = xstrdup(it->valuestring);
    } else if (cJSON_IsArray(it)) {
        size_t len = 0;
        int i = 0;
        for (const cJSON *e = it->child; e; e = e->next, i++) {
            const char *str = NULL;
            size_t mi = kp_push_index(c, i);
            if (val_string(c, e, 0, &str))
                return -1;
            kp_pop(c, mi);
            len += strlen(str) + 1;
        }
        if (len > 0) {
            s->notes = xmalloc(len);
            char *p = s->notes;
            for (const cJSON *e = it->child; e; e = e->next) {
                size_t n = strlen(e->valuestring);
                memcpy(p, e->valuestring, n);
                p += n;
                *p++ = '\n';
            }
            p[-1] = '\0'; /* the last separator ends the string */
        }
    } else {
        return kp_fail(c, "expected a string or an array of strings, got %s", kp_type_of(it));
    }
    kp_pop(c, m);
    return 1;
}

/* "start": a date-time, the epoch every rollout time is counted from. */
static int parse_start(struct kp_ctx *c, const cJSON *root, struct scenario *s)
{
    const cJSON *it;
    size_t m;
    if (val_lookup(c, root, "start", 1, &it, &m) < 0)
        return -1;
    char msg[SCN_ERRLEN];
    if (!cJSON_IsString(it))
        return kp_fail(c, "expected a date-time string like \"2026-12-01T09:00\", got %s",
                       kp_type_of(it));
    if (units_parse_datetime(it->valuestring, &s->start_epoch_s, msg, sizeof msg))
        return kp_fail(c, "%s", msg);
    kp_pop(c, m);
    return 0;
}

/* "horizon": a duration, or "auto" (run until the rollout is done and the
 * client has no backlog, then "settle" more; "horizon_cap" at most, a
 * cap reached is censoring). horizon_cap and settle need "auto". */
static int parse_horizon(struct kp_ctx *c, const cJSON *root, struct scenario *s)
{
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(root, "horizon");
    s->settle_s = SCH_DEFAULT_SETTLE_S;
    if (cJSON_IsString(h) && !strcmp(h->valuestring, "auto")) {
        s->horizon_auto = 1;
        s->horizon_s = SCH_DEFAULT_HORIZON_CAP_S;
        if (val_get_num(c, root, "horizon_cap", 0, VAL_DURATION,
                        val_in_oc(0, SCN_MAX_HORIZON_S), &s->horizon_s) < 0 ||
            val_get_num(c, root, "settle", 0, VAL_DURATION, val_in_cc(0, SCN_MAX_HORIZON_S),
                        &s->settle_s) < 0)
            return -1;
        return 0;
    }
    static const char *const auto_only[] = {"horizon_cap", "settle", NULL};
    for (int i = 0; auto_only[i]; i++)
        if (cJSON_GetObjectItemCaseSensitive(root, auto_only[i])) {
            kp_push_key(c, auto_only[i]);
            return kp_fail(c, "only with \"horizon\": \"auto\"");
        }
    return val_get_num(c, root, "horizon", 1, VAL_DURATION, val_in_oc(0, SCN_MAX_HORIZON_S),
                       &s->horizon_s);
}

/* "output" (optional): the series step. Needs s->horizon_s. */
static int parse_output(struct kp_ctx *c, const cJSON *root, struct scenario *s)
{
    static const char *const out_keys[] = {"series_step", "harm_delay_threshold", NULL};
    const cJSON *it;
    size_t m;
    /* A default step longer than a short horizon would be an error the
     * user never wrote: it shrinks to the horizon instead. */
    s->series_step_s = s->horizon_s < 60 ? s->horizon_s : 60;
    s->harm_delay_threshold_s = SCH_DEFAULT_HARM_DELAY_S;
    int rc = val_enter(c, root, "output", 0, 0, &it, &m);
    if (rc <= 0)
        return rc;
    if (kp_known_keys(c, it, out_keys) ||
        val_get_num(c, it, "harm_delay_threshold", 0, VAL_DURATION,
                    val_in_cc(0, SCN_MAX_HORIZON_S), &s->harm_delay_threshold_s) < 0 ||
        val_get_num(c, it, "series_step", 0, VAL_DURATION, val_in_oc(0, s->horizon_s),
                    &s->series_step_s) < 0)
        return -1;
    /* a step of a microsecond would write the series until the disk
     * is full: refuse it as the typo it is */
    if (s->horizon_s / s->series_step_s > MAX_SERIES_ROWS) {
        char st[48], hz[48];
        kp_push_key(c, "series_step");
        val_show(st, sizeof st, s->series_step_s, 1);
        val_show(hz, sizeof hz, s->horizon_s, 1);
        return kp_fail(c, "%s gives %.0f rows over the horizon (%s); at most %.0f", st,
                       floor(s->horizon_s / s->series_step_s), hz, MAX_SERIES_ROWS);
    }
    kp_pop(c, m);
    return 0;
}

int sch_parse_scenario(struct kp_ctx *c, const cJSON *root, struct scenario *s)
{
    /* "$schema" names the JSON Schema for editors (configs/scenario.schema.json):
     * accepted, never read */
    static const char *const keys[] = {"$schema", "name",   "notes",    "start",
                                       "horizon", "horizon_cap", "settle", "seed",
                                       "replications", "server", "client", "workload",
                                       "output", NULL};
    if (kp_known_keys(c, root, keys))
        return -1;

    const char *str;
    if (val_get_string(c, root, "name", 1, 1, &str) < 0)
        return -1;
    s->name = val_label_dup(str);
    if (parse_notes(c, root, s) < 0 || parse_start(c, root, s))
        return -1;

    double seed = 1, reps = 20;
    if (parse_horizon(c, root, s) < 0 ||
        val_get_num(c, root, "seed", 0, VAL_INTEGER, val_in_cc(0, SCH_MAX_EXACT_INT), &seed) < 0 ||
        val_get_num(c, root, "replications", 0, VAL_INTEGER, val_in_cc(1, SCN_MAX_REPLICATIONS),
                    &reps) < 0)
        return -1;
    s->seed = (uint64_t)seed;
    s->replications = (int)reps;

    const cJSON *it;
    size_t m;
    if (val_enter(c, root, "server", 1, 0, &it, &m) < 0 ||
        sch_parse_server(c, it, s->start_epoch_s, &s->server))
        return -1;
    kp_pop(c, m);
    if (val_enter(c, root, "client", 1, 0, &it, &m) < 0 || sch_parse_client(c, it, &s->client))
        return -1;
    kp_pop(c, m);
    if (val_enter(c, root, "workload", 1, 0, &it, &m) < 0 || sch_parse_workload(c, it, s))
        return -1;
    kp_pop(c, m);
    if (s->horizon_auto && s->nrollouts == 0) {
        kp_push_key(c, "horizon");
        return kp_fail(c, "\"auto\" runs until the rollouts are done: it needs a rollout");
    }
    return parse_output(c, root, s) < 0 ? -1 : 0;
}

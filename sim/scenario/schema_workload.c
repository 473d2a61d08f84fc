/* schema_workload.c -- the "workload" object of a scenario: the rollouts
 * (batches of users provisioned from a given time), and the background
 * and other clients' traffic, given as a shape and a peak or as two tables
 * of 24 hourly rates. See schema.h.
 *
 * Invariants of a parsed workload: every rollout starts in [start,
 * start + horizon) and all rollouts together have at most SCN_MAX_USERS
 * users; an enabled traffic profile has a positive peak and a mix that
 * sums to 1. */
#include "scenario/schema.h"

#include "scenario/keypath.h"
#include "scenario/values.h"
#include "base/units.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum shape { SHAPE_BUSINESS_HOURS, SHAPE_FLAT };
static const char *const shape_names[] = {[SHAPE_BUSINESS_HOURS] = "business_hours",
                                          [SHAPE_FLAT] = "flat", NULL};

/* Fraction of peak_per_hour in hour h = [h:00, h+1:00), for shape
 * "business_hours": [0] weekdays, [1] weekends. An assumption, not a
 * measurement (no vendor publishes its hourly mix): quiet nights, a
 * ramp-up from 07:00, full load 09:00-17:00 with a lunch dip, a tail into
 * the evening; weekends at the night level. "flat" is 1 everywhere. */
static const double business_hours[2][24] = {
    {0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, /* 00-06 */
     0.3, 0.7, 1.0, 1.0, 1.0,                   /* 07-11 */
     0.8, 1.0, 1.0, 1.0, 1.0,                   /* 12-16 */
     0.6, 0.3, 0.1, 0.1, 0.1, 0.05, 0.05},      /* 17-23 */
    {0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05,
     0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05}};

/* A rollout's "at": "HH:MM" (the first such time at or after start), "+2h"
 * (after start) or a full date-time; must fall inside [start, horizon). */
static int parse_at(struct kp_ctx *c, const cJSON *it, const struct scenario *s, double *at_s)
{
    if (!cJSON_IsString(it))
        return kp_fail(c, "expected \"HH:MM\", \"+DURATION\" or \"YYYY-MM-DDTHH:MM\", got %s",
                       kp_type_of(it));
    const char *str = it->valuestring;
    char msg[SCN_ERRLEN];
    double at;
    if (str[0] == '+') {
        if (units_parse_duration(str + 1, &at, msg, sizeof msg))
            return kp_fail(c, "%s", msg);
    } else if (strchr(str, 'T')) {
        int64_t epoch;
        if (units_parse_datetime(str, &epoch, msg, sizeof msg))
            return kp_fail(c, "%s", msg);
        if (epoch < s->start_epoch_s) {
            char st[32];
            units_format_datetime(s->start_epoch_s, st, sizeof st);
            return kp_fail(c, "%s is before the start (%s)", str, st);
        }
        at = (double)(epoch - s->start_epoch_s);
    } else if (strchr(str, ':')) {
        double sod;
        if (units_parse_clock(str, &sod, msg, sizeof msg))
            return kp_fail(c, "%s", msg);
        int64_t start_sod = s->start_epoch_s - units_floor_div(s->start_epoch_s, 86400) * 86400;
        at = sod - (double)start_sod;
        if (at < 0)
            at += 86400; /* already past today: the same time tomorrow */
    } else {
        return kp_fail(c,
                       "\"%.60s\" is not a time (expected \"HH:MM\", \"+DURATION\" or "
                       "\"YYYY-MM-DDTHH:MM\")",
                       str);
    }
    if (at >= s->horizon_s) {
        char when[80], end[32];
        /* a date only while it is one: "+1e60h" stays as written (its
         * epoch seconds would overflow int64_t) */
        if (at < 1e11)
            units_format_datetime(s->start_epoch_s + (int64_t)floor(at), when, sizeof when);
        else
            snprintf(when, sizeof when, "\"%.60s\"", str);
        units_format_datetime(s->start_epoch_s + (int64_t)floor(s->horizon_s), end, sizeof end);
        return kp_fail(c, "%s is %s the horizon (%s)", when, at > s->horizon_s ? "after" : "at",
                       end);
    }
    *at_s = at;
    return 0;
}

/* rollouts[i].group_push: the groups the users are pushed as members of. */
static int parse_group_push(struct kp_ctx *c, const cJSON *o, struct wl_group_push *g)
{
    static const char *const keys[] = {"groups", "members_per_patch", "create_groups", "order",
                                       NULL};
    static const char *const orders[] = {"users_first", "groups_first", NULL};
    if (kp_known_keys(c, o, keys))
        return -1;
    double groups, per = 0;
    int order = 0, create = 1;
    if (val_get_num(c, o, "groups", 1, VAL_INTEGER, val_in_cc(1, 1e6), &groups) < 0 ||
        val_get_num(c, o, "members_per_patch", 1, VAL_INTEGER, val_in_cc(1, 1e9), &per) < 0)
        return -1;
    if (val_get_bool(c, o, "create_groups", &create) < 0 ||
        val_get_enum(c, o, "order", 0, orders, &order) < 0)
        return -1;
    g->groups = (int)groups;
    g->members_per_patch = (long)per;
    g->create_groups = create;
    g->groups_first = order;
    return 0;
}

static int parse_rollout(struct kp_ctx *c, const cJSON *o, const struct scenario *s,
                         struct wl_rollout *r)
{
    static const char *const keys[] = {"kind",           "users",      "at", "batch_size",
                                       "batch_interval", "group_push", NULL};
    if (!cJSON_IsObject(o))
        return kp_fail(c, "expected an object, got %s", kp_type_of(o));
    if (kp_known_keys(c, o, keys))
        return -1;
    int kind;
    double users, batch = 0;
    if (val_get_enum(c, o, "kind", 1, sch_kind_names, &kind) < 0 ||
        val_get_num(c, o, "users", 1, VAL_INTEGER, val_in_cc(1, (double)SCN_MAX_USERS), &users) < 0)
        return -1;
    r->kind = (enum job_kind)kind;
    r->users = (long)users;
    const cJSON *it;
    size_t m;
    if (val_lookup(c, o, "at", 1, &it, &m) < 0 || parse_at(c, it, s, &r->at_s))
        return -1;
    kp_pop(c, m);
    int has_batch =
        val_get_num(c, o, "batch_size", 0, VAL_INTEGER, val_in_cc(1, SCH_MAX_EXACT_INT), &batch);
    if (has_batch < 0)
        return -1;
    int batched = has_batch && batch < users;
    r->batch_size = batched ? (long)batch : 0;
    if (batched && !cJSON_GetObjectItemCaseSensitive(o, "batch_interval")) {
        kp_push_key(c, "batch_interval");
        return kp_fail(c, "missing required key (batch_size %ld is less than users %ld)",
                       (long)batch, r->users);
    }
    if (val_get_num(c, o, "batch_interval", 0, VAL_DURATION, val_gt(0),
                    &r->batch_interval_s) < 0)
        return -1;
    const cJSON *gp;
    int rc = val_enter(c, o, "group_push", 0, 0, &gp, &m);
    if (rc < 0 || (rc == 1 && parse_group_push(c, gp, &r->group)))
        return -1;
    if (rc == 1)
        kp_pop(c, m);
    /* A batch past the horizon would silently never be created, and the
     * run would look finished: refuse it, saying what horizon it needs. */
    long nb = wl_batches(r);
    double last = wl_batch_time(r, nb - 1);
    if (last >= s->horizon_s) {
        long k = (long)ceil((s->horizon_s - r->at_s) / r->batch_interval_s); /* 0-based */
        if (k >= nb)
            k = nb - 1;
        char when[32], lastw[32], end[32], need[32];
        units_format_datetime(s->start_epoch_s + (int64_t)floor(fmin(wl_batch_time(r, k), 1e11)),
                              when, sizeof when);
        units_format_datetime(s->start_epoch_s + (int64_t)floor(fmin(last, 1e11)), lastw,
                              sizeof lastw);
        units_format_datetime(s->start_epoch_s + (int64_t)floor(s->horizon_s), end, sizeof end);
        units_format_duration(last, need, sizeof need);
        return kp_fail(c,
                       "batch %ld of %ld would be created at %s, at or after the horizon (%s), "
                       "and never run; the last batch is at %s: the horizon must be more than "
                       "%s (and long enough to clear it), or \"auto\"",
                       k + 1, nb, when, end, lastw, need);
    }
    return 0;
}

static int parse_rollouts(struct kp_ctx *c, const cJSON *arr, struct scenario *s)
{
    int n = cJSON_GetArraySize(arr);
    if (n > WL_MAX_ROLLOUTS)
        return kp_fail(c, "%d rollouts is more than the limit of %d", n, WL_MAX_ROLLOUTS);
    long long total = 0;
    for (const cJSON *it = arr->child; it; it = it->next) {
        size_t m = kp_push_index(c, s->nrollouts);
        struct wl_rollout *r = &s->rollouts[s->nrollouts];
        if (parse_rollout(c, it, s, r))
            return -1;
        total += r->users;
        s->nrollouts++;
        kp_pop(c, m);
    }
    if (total > SCN_MAX_USERS)
        return kp_fail(c, "%lld users in all is more than the limit of %ld", total, SCN_MAX_USERS);
    return 0;
}

static int parse_hourly(struct kp_ctx *c, const cJSON *o, const char *key, double out[24])
{
    const cJSON *arr;
    size_t m;
    if (val_enter(c, o, key, 1, 1, &arr, &m) < 0)
        return -1;
    int n = cJSON_GetArraySize(arr);
    if (n != 24)
        return kp_fail(c, "expected 24 hourly rates, got %d", n);
    int h = 0;
    for (const cJSON *it = arr->child; it; it = it->next, h++) {
        size_t mi = kp_push_index(c, h);
        if (val_number(c, it, val_in_cc(0, SCH_MAX_PEAK_PER_HOUR), &out[h]))
            return -1;
        kp_pop(c, mi);
    }
    kp_pop(c, m);
    return 0;
}

static int parse_mix(struct kp_ctx *c, const cJSON *o, double mix[JOB_KIND_COUNT])
{
    if (kp_known_keys(c, o, sch_kind_names))
        return -1;
    double sum = 0;
    for (int k = 0; k < JOB_KIND_COUNT; k++)
        mix[k] = 0; /* a kind left out of a given mix does not occur */
    /* only the user kinds have names here (sch_kind_names has
     * JOB_KIND_USER_COUNT entries; group jobs come from a group push) */
    for (int k = 0; k < JOB_KIND_USER_COUNT; k++) {
        if (val_get_num(c, o, sch_kind_names[k], 0, VAL_NUMBER, val_in_cc(0, 1e12), &mix[k]) < 0)
            return -1;
        sum += mix[k];
    }
    if (!(sum > 0))
        return kp_fail(c, "weights must not all be 0");
    for (int k = 0; k < JOB_KIND_COUNT; k++)
        mix[k] /= sum;
    return 0;
}

static int parse_traffic(struct kp_ctx *c, const cJSON *o, struct wl_traffic *t)
{
    static const char *const keys[] = {"shape", "peak_per_hour", "weekday", "weekend", "mix",
                                       NULL};
    if (kp_known_keys(c, o, keys))
        return -1;
    int by_shape = cJSON_GetObjectItemCaseSensitive(o, "shape") ||
                   cJSON_GetObjectItemCaseSensitive(o, "peak_per_hour");
    int by_table = cJSON_GetObjectItemCaseSensitive(o, "weekday") ||
                   cJSON_GetObjectItemCaseSensitive(o, "weekend");
    struct wl_profile *p = &t->profile;
    if (by_shape && by_table)
        return kp_fail(c, "give either shape and peak_per_hour, or weekday and weekend, not both");
    if (by_table) {
        if (parse_hourly(c, o, "weekday", p->weekday) || parse_hourly(c, o, "weekend", p->weekend))
            return -1;
        if (!(wl_profile_max_rate(p) > 0))
            return kp_fail(c, "every hourly rate is 0 (leave the key out for no traffic)");
    } else {
        int shape;
        double peak;
        if (!by_shape) {
            kp_push_key(c, "shape");
            return kp_fail(c, "missing required key (or give weekday and weekend)");
        }
        if (val_get_enum(c, o, "shape", 1, shape_names, &shape) < 0 ||
            val_get_num(c, o, "peak_per_hour", 1, VAL_NUMBER, val_in_oc(0, SCH_MAX_PEAK_PER_HOUR),
                        &peak) < 0)
            return -1;
        for (int h = 0; h < 24; h++) {
            p->weekday[h] = peak * (shape == SHAPE_FLAT ? 1.0 : business_hours[0][h]);
            p->weekend[h] = peak * (shape == SHAPE_FLAT ? 1.0 : business_hours[1][h]);
        }
    }
    t->mix[JOB_KIND_CREATE] = 0.3;
    t->mix[JOB_KIND_UPDATE] = 0.6;
    t->mix[JOB_KIND_DEACTIVATE] = 0.1;
    const cJSON *sub;
    size_t m;
    int rc = val_enter(c, o, "mix", 0, 0, &sub, &m);
    if (rc < 0 || (rc == 1 && parse_mix(c, sub, t->mix)))
        return -1;
    if (rc == 1)
        kp_pop(c, m);
    t->enabled = 1;
    return 0;
}

int sch_parse_workload(struct kp_ctx *c, const cJSON *o, struct scenario *s)
{
    static const char *const keys[] = {"rollouts", "background", "other_clients", NULL};
    if (kp_known_keys(c, o, keys))
        return -1;
    const cJSON *sub;
    size_t m;
    int rc = val_enter(c, o, "rollouts", 0, 1, &sub, &m);
    if (rc < 0 || (rc == 1 && parse_rollouts(c, sub, s)))
        return -1;
    if (rc == 1)
        kp_pop(c, m);
    rc = val_enter(c, o, "background", 0, 0, &sub, &m);
    if (rc < 0 || (rc == 1 && parse_traffic(c, sub, &s->background)))
        return -1;
    if (rc == 1)
        kp_pop(c, m);
    rc = val_enter(c, o, "other_clients", 0, 0, &sub, &m);
    if (rc < 0 || (rc == 1 && parse_traffic(c, sub, &s->other)))
        return -1;
    if (rc == 1)
        kp_pop(c, m);
    return 0;
}

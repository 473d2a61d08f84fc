/* schema_client.c -- the "client" object of a scenario: workers, the
 * client's own rate cap, what it does on a 429, and its retry policies
 * for 429s (retry) and 5xx errors (error_retry). See schema.h.
 *
 * Invariants of a parsed client: cap >= base in every exponential policy;
 * 5xx retries are exponential and share the 429 retries' attempt budget. */
#include "scenario/schema.h"

#include "scenario/keypath.h"
#include "scenario/values.h"

#include <stdio.h>

#define MAX_RETRY_ATTEMPTS 1e6
#define RETRY_DEFAULT_FALLBACK_S 60.0 /* retry_after policy without a header */

/* Names in enum order, so a name's index is its enum value. */
static const char *const policy_names[] = {[RETRY_POLICY_RETRY_AFTER] = "retry_after",
                                           [RETRY_POLICY_EXPONENTIAL] = "exponential",
                                           [RETRY_POLICY_FIXED] = "fixed",
                                           [RETRY_POLICY_SCHEDULE] = "schedule",
                                           NULL};
static const char *const jitter_names[] = {[JITTER_NONE] = "none",
                                           [JITTER_FULL] = "full",
                                           [JITTER_EQUAL] = "equal",
                                           [JITTER_DECORRELATED] = "decorrelated",
                                           NULL};
static const char *const on_429_names[] = {[CLIENT_ON_429_JOB] = "job",
                                           [CLIENT_ON_429_PAUSE_ALL] = "pause_all", NULL};
static const char *const on_error_names[] = {[CLIENT_ON_ERROR_RETRY] = "retry",
                                             [CLIENT_ON_ERROR_PARK] = "park", NULL};
static const char *const retry_from_names[] = {[CLIENT_RETRY_FROM_START] = "start",
                                               [CLIENT_RETRY_FROM_FAILED] = "failed_request",
                                               NULL};
static const char *const requests_names[] = {[CLIENT_REQUESTS_SINGLE] = "single",
                                             [CLIENT_REQUESTS_OKTA] = "okta",
                                             [CLIENT_REQUESTS_ENTRA] = "entra", NULL};
/* every job kind, in enum order: the keys of an explicit requests object */
static const char *const all_kind_names[] = {"create",       "update",        "deactivate",
                                             "group_create", "group_members", NULL};

/* client.requests: a named recipe set, or {"create": ["GET /Users",
 * "POST /Users"], ...} where the kinds left out send the "single" recipe. */
static int parse_requests(struct kp_ctx *c, const cJSON *o, struct client_cfg *cl)
{
    const cJSON *it;
    size_t m;
    client_recipes_named(cl, CLIENT_REQUESTS_SINGLE);
    int rc = val_lookup(c, o, "requests", 0, &it, &m);
    if (rc <= 0)
        return rc;
    if (cJSON_IsString(it)) {
        int set;
        if (val_enum(c, it, requests_names, &set))
            return -1;
        client_recipes_named(cl, (enum client_requests)set);
        kp_pop(c, m);
        return 1;
    }
    if (!cJSON_IsObject(it))
        return kp_fail(c, "expected \"single\", \"okta\", \"entra\" or an object of "
                          "recipes by job kind, got %s", kp_type_of(it));
    if (kp_known_keys(c, it, all_kind_names))
        return -1;
    cl->requests = CLIENT_REQUESTS_CUSTOM;
    for (int k = 0; k < JOB_KIND_COUNT; k++) {
        const cJSON *arr;
        size_t mk;
        int has = val_enter(c, it, all_kind_names[k], 0, 1, &arr, &mk);
        if (has < 0)
            return -1;
        if (has == 0)
            continue;
        int n = cJSON_GetArraySize(arr);
        if (n < 1 || n > CLIENT_MAX_STEPS)
            return kp_fail(c, "a recipe has 1 to %d requests (got %d)", CLIENT_MAX_STEPS, n);
        struct client_recipe *r = &cl->recipe[k];
        r->n = (uint8_t)n;
        int i = 0;
        for (const cJSON *e = arr->child; e; e = e->next, i++) {
            size_t mi = kp_push_index(c, i);
            int ep;
            if (val_enum(c, e, ep_names, &ep))
                return -1;
            r->ep[i] = (uint8_t)ep;
            kp_pop(c, mi);
        }
        kp_pop(c, mk);
    }
    kp_pop(c, m);
    return 1;
}

/* cap >= base, with the message saying when cap is a default. */
static int check_cap(struct kp_ctx *c, const cJSON *o, const struct retry_cfg *r)
{
    if (r->cap_s >= r->base_s)
        return 0;
    char b[48], k[48];
    val_show(b, sizeof b, r->base_s, 1);
    val_show(k, sizeof k, r->cap_s, 1);
    kp_push_key(c, "cap");
    if (!cJSON_GetObjectItemCaseSensitive(o, "cap"))
        return kp_fail(c, "the default %s is less than base (%s): give a cap", k, b);
    return kp_fail(c, "must be >= base (%s) (got %s)", b, k);
}

/* schedule: "delays", a non-empty array of strictly increasing durations
 * > 0 measured from the first failure. */
static int parse_schedule(struct kp_ctx *c, const cJSON *o, struct retry_cfg *r)
{
    const cJSON *arr;
    size_t m;
    if (val_enter(c, o, "delays", 1, 1, &arr, &m) < 0)
        return -1;
    int n = cJSON_GetArraySize(arr);
    if (n == 0)
        return kp_fail(c, "must list at least one delay");
    if (n > RETRY_MAX_SCHEDULE)
        return kp_fail(c,
                       "%d delays is more than the limit of %d (give then_every for a "
                       "repeating delay)",
                       n, RETRY_MAX_SCHEDULE);
    int i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        size_t mi = kp_push_index(c, i);
        double d;
        if (val_duration(c, it, val_gt(0), &d))
            return -1;
        if (i > 0 && !(d > r->schedule_s[i - 1])) {
            char a[48], b[48];
            val_show(a, sizeof a, d, 1);
            val_show(b, sizeof b, r->schedule_s[i - 1], 1);
            return kp_fail(c,
                           "must be later than the delay before it (%s), as every delay "
                           "counts from the first failure (got %s)",
                           b, a);
        }
        r->schedule_s[i] = d;
        kp_pop(c, mi);
    }
    r->nschedule = (unsigned)n;
    kp_pop(c, m);
    return val_get_num(c, o, "then_every", 0, VAL_DURATION, val_gt(0), &r->then_every_s) < 0 ? -1
                                                                                             : 0;
}

static int parse_retry(struct kp_ctx *c, const cJSON *o, struct retry_cfg *r)
{
    static const char *const all[] = {"policy", "max_attempts",        "jitter", "base",
                                      "cap",    "respect_retry_after", "delay",  "fallback",
                                      "delays", "then_every",          NULL};
    static const char *const after[] = {"policy", "max_attempts", "jitter", "fallback", NULL};
    static const char *const expo[] = {"policy", "max_attempts",       "base", "cap",
                                       "jitter", "respect_retry_after", NULL};
    static const char *const fixed[] = {"policy", "max_attempts", "delay", "jitter", NULL};
    static const char *const sched[] = {"policy", "max_attempts", "delays", "then_every", NULL};
    static const char *const *const by_policy[] = {[RETRY_POLICY_RETRY_AFTER] = after,
                                                   [RETRY_POLICY_EXPONENTIAL] = expo,
                                                   [RETRY_POLICY_FIXED] = fixed,
                                                   [RETRY_POLICY_SCHEDULE] = sched};
    if (kp_known_keys(c, o, all))
        return -1;
    int policy;
    if (val_get_enum(c, o, "policy", 1, policy_names, &policy) < 0)
        return -1;
    char what[64];
    snprintf(what, sizeof what, "policy \"%s\"", policy_names[policy]);
    if (kp_variant_keys(c, o, by_policy[policy], what))
        return -1;
    r->policy = (enum retry_policy)policy;
    double max_attempts = 0;
    if (val_get_num(c, o, "max_attempts", 0, VAL_INTEGER, val_in_cc(0, MAX_RETRY_ATTEMPTS),
                    &max_attempts) < 0)
        return -1;
    r->max_attempts = (unsigned)max_attempts;
    switch (r->policy) {
    case RETRY_POLICY_RETRY_AFTER:
        return val_get_num(c, o, "jitter", 0, VAL_DURATION, val_ge(0), &r->jitter_s) < 0 ||
                       val_get_num(c, o, "fallback", 0, VAL_DURATION, val_gt(0), &r->fallback_s) < 0
                   ? -1
                   : 0;
    case RETRY_POLICY_EXPONENTIAL: {
        int jitter = JITTER_FULL, respect = 0;
        r->base_s = 1;
        r->cap_s = 3600;
        if (val_get_num(c, o, "base", 0, VAL_DURATION, val_gt(0), &r->base_s) < 0 ||
            val_get_num(c, o, "cap", 0, VAL_DURATION, val_gt(0), &r->cap_s) < 0 ||
            val_get_enum(c, o, "jitter", 0, jitter_names, &jitter) < 0 ||
            val_get_bool(c, o, "respect_retry_after", &respect) < 0 || check_cap(c, o, r))
            return -1;
        r->jitter = (enum retry_jitter)jitter;
        r->respect_retry_after = respect;
        return 0;
    }
    case RETRY_POLICY_FIXED:
        if (val_get_num(c, o, "delay", 1, VAL_DURATION, val_gt(0), &r->delay_s) < 0 ||
            val_get_num(c, o, "jitter", 0, VAL_DURATION, val_ge(0), &r->jitter_s) < 0)
            return -1;
        return 0;
    case RETRY_POLICY_SCHEDULE:
        return parse_schedule(c, o, r);
    }
    return 0;
}

static int parse_error_retry(struct kp_ctx *c, const cJSON *o, struct retry_cfg *r)
{
    static const char *const keys[] = {"base", "cap", "jitter", NULL};
    if (kp_known_keys(c, o, keys))
        return -1;
    int jitter = JITTER_FULL;
    if (val_get_num(c, o, "base", 0, VAL_DURATION, val_gt(0), &r->base_s) < 0 ||
        val_get_num(c, o, "cap", 0, VAL_DURATION, val_gt(0), &r->cap_s) < 0 ||
        val_get_enum(c, o, "jitter", 0, jitter_names, &jitter) < 0 || check_cap(c, o, r))
        return -1;
    r->jitter = (enum retry_jitter)jitter;
    return 0;
}

int sch_parse_client(struct kp_ctx *c, const cJSON *o, struct client_cfg *cl)
{
    static const char *const keys[] = {"workers",     "max_rate", "on_429",
                                       "on_error",    "retry",    "error_retry",
                                       "retry_from",  "requests", "existing_fraction",
                                       NULL};
    if (kp_known_keys(c, o, keys))
        return -1;
    double workers;
    int on_429 = CLIENT_ON_429_JOB;
    if (val_get_num(c, o, "workers", 1, VAL_INTEGER, val_in_cc(1, SCN_MAX_WORKERS), &workers) < 0 ||
        val_get_num(c, o, "max_rate", 0, VAL_RATE, val_gt(0), &cl->max_rate_per_s) < 0 ||
        val_get_enum(c, o, "on_429", 0, on_429_names, &on_429) < 0)
        return -1;
    cl->workers = (int)workers;
    cl->on_429 = (enum client_on_429)on_429;
    int on_error = CLIENT_ON_ERROR_RETRY, retry_from = CLIENT_RETRY_FROM_START;
    if (val_get_enum(c, o, "on_error", 0, on_error_names, &on_error) < 0 ||
        val_get_enum(c, o, "retry_from", 0, retry_from_names, &retry_from) < 0 ||
        val_get_num(c, o, "existing_fraction", 0, VAL_NUMBER, val_in_cc(0, 1),
                    &cl->existing_fraction) < 0 ||
        parse_requests(c, o, cl) < 0)
        return -1;
    cl->on_error = (enum client_on_error)on_error;
    cl->retry_from = (enum client_retry_from)retry_from;

    const cJSON *sub;
    size_t m;
    cl->retry.policy = RETRY_POLICY_RETRY_AFTER; /* the rest stays 0 */
    /* Okta does not publish what it does on a 429 without Retry-After:
     * a minute, the window of most per-minute limits, is our assumption */
    cl->retry.fallback_s = RETRY_DEFAULT_FALLBACK_S;
    int rc = val_enter(c, o, "retry", 0, 0, &sub, &m);
    if (rc < 0 || (rc == 1 && parse_retry(c, sub, &cl->retry)))
        return -1;
    if (rc == 1)
        kp_pop(c, m);

    /* 5xx retries are always exponential (nothing to wait for otherwise)
     * and share the job's attempt budget with 429 retries. */
    cl->error_retry.policy = RETRY_POLICY_EXPONENTIAL;
    cl->error_retry.base_s = 1;
    cl->error_retry.cap_s = 300;
    cl->error_retry.jitter = JITTER_FULL;
    cl->error_retry.max_attempts = cl->retry.max_attempts;
    rc = val_enter(c, o, "error_retry", 0, 0, &sub, &m);
    if (rc < 0 || (rc == 1 && parse_error_retry(c, sub, &cl->error_retry)))
        return -1;
    if (rc == 1)
        kp_pop(c, m);
    return 0;
}

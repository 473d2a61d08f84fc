/* schema_server.c -- the "server" object of a scenario: its rate limits
 * (one object per limit, keys by limit type), the Retry-After it sends,
 * its latency distribution, reject latency and error rate. See schema.h.
 *
 * Names are in enum order, so a name's index is its enum value. The
 * models own parsers too (lim_type_parse, ...), but messages need the
 * whole list ("must be one of ...") and did-you-mean needs the candidates.
 * Relations between a distribution's parameters (p95 > median) are
 * dist.c's to check, once; this file only words its message with the key
 * path. */
#include "scenario/schema.h"

#include "scenario/keypath.h"
#include "scenario/values.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const lim_names[] = {[LIM_FIXED_WINDOW] = "fixed_window",
                                        [LIM_TOKEN_BUCKET] = "token_bucket",
                                        [LIM_SLIDING_WINDOW] = "sliding_window",
                                        [LIM_CONCURRENCY] = "concurrency",
                                        NULL};
static const char *const dist_names[] = {[DIST_CONSTANT] = "constant",
                                         [DIST_EXPONENTIAL] = "exponential",
                                         [DIST_LOGNORMAL] = "lognormal",
                                         [DIST_GAMMA] = "gamma",
                                         [DIST_UNIFORM] = "uniform",
                                         NULL};
static const char *const ra_mode_names[] = {
    [SRV_RA_LIMITER] = "limiter", [SRV_RA_FIXED] = "fixed", [SRV_RA_NONE] = "none", NULL};
static const char *const align_names[] = {"start", "clock", NULL};

/* align "clock": the part of a window of w seconds already past at t = 0,
 * counting windows from the epoch in the scenario's naive local time (so
 * for a w that divides a day, from the start day's midnight). fmod is
 * exact, and start fits a double exactly. */
static double clock_phase(int64_t start_epoch_s, double w)
{
    double ph = fmod((double)start_epoch_s, w);
    if (ph < 0)
        ph += w;
    return ph < w ? ph : 0;
}

/* applies_to: endpoint selectors (endpoint.h: "POST /Users", "GET",
 * "/Users", "reads", ...) and job kinds ("create": every request of a
 * create job), each at most once. */
static int parse_applies_to(struct kp_ctx *c, const cJSON *obj, struct lim_cfg *l)
{
    static const char *const kinds[] = {"create",       "update",        "deactivate",
                                        "group_create", "group_members", NULL};
    static const char *const words[] = {"reads",        "writes",        "GET",
                                        "POST",         "PUT",           "PATCH",
                                        "DELETE",       "/Users",        "/Users/{id}",
                                        "/Groups",      "/Groups/{id}",  NULL};
    const cJSON *arr;
    size_t m;
    int rc = val_enter(c, obj, "applies_to", 0, 1, &arr, &m);
    if (rc <= 0)
        return rc;
    if (cJSON_GetArraySize(arr) == 0)
        return kp_fail(c, "must list at least one endpoint or kind (leave applies_to out for "
                          "every request)");
    l->ep_mask = l->kind_mask = 0;
    int i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        size_t mi = kp_push_index(c, i);
        const char *sel;
        if (val_string(c, it, 1, &sel))
            return -1;
        for (int j = 0; j < i; j++) {
            const cJSON *prev = cJSON_GetArrayItem(arr, j);
            if (cJSON_IsString(prev) && strcmp(prev->valuestring, sel) == 0)
                return kp_fail(c, "\"%s\" is listed twice", sel);
        }
        int k = kp_find_name(kinds, sel);
        unsigned em = ep_selector_mask(sel);
        if (k >= 0) {
            l->kind_mask |= JOB_KIND_MASK((unsigned)k);
        } else if (em) {
            l->ep_mask |= em;
        } else {
            /* did-you-mean over every form a selector takes */
            const char *cands[64];
            int n = 0;
            for (int e = 0; e < EP_COUNT; e++)
                cands[n++] = ep_names[e];
            for (int w = 0; words[w]; w++)
                cands[n++] = words[w];
            for (int w = 0; kinds[w]; w++)
                cands[n++] = kinds[w];
            cands[n] = NULL;
            char dym[96];
            return kp_fail(c,
                           "\"%s\" is not an endpoint (\"POST /Users\"), a method (\"GET\"), "
                           "a resource (\"/Users\"), \"reads\", \"writes\" or a job kind%s",
                           sel, kp_did_you_mean(dym, sizeof dym, sel, cands));
        }
        kp_pop(c, mi);
    }
    kp_pop(c, m);
    return 1;
}

static int parse_limit(struct kp_ctx *c, const cJSON *o, int64_t start_epoch_s, struct lim_cfg *l)
{
    static const char *const all[] = {"type",    "name",     "applies_to", "limit",
                                      "window",  "rate",     "burst",      "retry_after",
                                      "lockout", "max_debt", "align",      NULL};
    static const char *const fixed[] = {"type",   "name",    "applies_to", "limit",
                                        "window", "lockout", "align",      NULL};
    static const char *const sliding[] = {"type",   "name",    "applies_to", "limit",
                                          "window", "lockout", NULL};
    static const char *const bucket[] = {"type",  "name",    "applies_to", "rate",
                                         "burst", "lockout", "max_debt",   NULL};
    static const char *const conc[] = {"type",        "name",    "applies_to", "limit",
                                       "retry_after", "lockout", NULL};
    static const char *const *const by_type[] = {[LIM_FIXED_WINDOW] = fixed,
                                                 [LIM_TOKEN_BUCKET] = bucket,
                                                 [LIM_SLIDING_WINDOW] = sliding,
                                                 [LIM_CONCURRENCY] = conc};
    if (!cJSON_IsObject(o))
        return kp_fail(c, "expected an object, got %s", kp_type_of(o));
    if (kp_known_keys(c, o, all))
        return -1;
    int type;
    if (val_get_enum(c, o, "type", 1, lim_names, &type) < 0)
        return -1;
    char what[64];
    snprintf(what, sizeof what, "a %s limit", lim_names[type]);
    if (type != LIM_FIXED_WINDOW && cJSON_GetObjectItemCaseSensitive(o, "align")) {
        kp_push_key(c, "align");
        return kp_fail(c,
                       "only a fixed_window limit has windows to align (%s has none that "
                       "start at a given time)",
                       what);
    }
    if (kp_variant_keys(c, o, by_type[type], what))
        return -1;
    l->type = (enum lim_type)type;
    const char *name;
    int has_name = val_get_string(c, o, "name", 0, 1, &name);
    if (has_name < 0)
        return -1;
    if (has_name)
        l->name = val_label_dup(name);
    l->ep_mask = EP_MASK_ALL;
    l->kind_mask = 0;
    if (parse_applies_to(c, o, l) < 0)
        return -1;
    switch (l->type) {
    case LIM_FIXED_WINDOW:
    case LIM_SLIDING_WINDOW:
        if (val_get_num(c, o, "limit", 1, VAL_INTEGER, val_in_cc(1, SCH_MAX_EXACT_INT),
                        &l->limit) < 0 ||
            val_get_num(c, o, "window", 1, VAL_DURATION, val_gt(0), &l->window_s) < 0)
            return -1;
        if (l->type == LIM_FIXED_WINDOW) {
            int align = 0;
            if (val_get_enum(c, o, "align", 0, align_names, &align) < 0)
                return -1;
            if (align == 1)
                l->phase_s = clock_phase(start_epoch_s, l->window_s);
        }
        break;
    case LIM_TOKEN_BUCKET:
        if (val_get_num(c, o, "rate", 1, VAL_RATE, val_gt(0), &l->rate_per_s) < 0 ||
            val_get_num(c, o, "burst", 1, VAL_NUMBER, val_ge(1), &l->burst) < 0 ||
            val_get_num(c, o, "max_debt", 0, VAL_NUMBER, val_gt(0), &l->max_debt) < 0)
            return -1;
        break;
    case LIM_CONCURRENCY:
        if (val_get_num(c, o, "limit", 1, VAL_INTEGER, val_in_cc(1, SCH_MAX_EXACT_INT),
                        &l->concurrency) < 0 ||
            val_get_num(c, o, "retry_after", 1, VAL_DURATION, val_ge(0), &l->retry_after_s) < 0)
            return -1;
        break;
    }
    /* 0 is "no lockout", so a sweep can switch it off */
    return val_get_num(c, o, "lockout", 0, VAL_DURATION, val_ge(0), &l->lockout_s) < 0 ? -1 : 0;
}

static int parse_retry_after(struct kp_ctx *c, const cJSON *o, struct srv_cfg *sv)
{
    static const char *const keys[] = {"mode", "value", "jitter", NULL};
    if (kp_known_keys(c, o, keys))
        return -1;
    int mode = SRV_RA_LIMITER;
    if (val_get_enum(c, o, "mode", 0, ra_mode_names, &mode) < 0)
        return -1;
    sv->ra_mode = (enum srv_ra_mode)mode;
    if (mode == SRV_RA_FIXED) {
        if (val_get_num(c, o, "value", 1, VAL_DURATION, val_ge(0), &sv->ra_fixed_s) < 0)
            return -1;
    } else if (cJSON_GetObjectItemCaseSensitive(o, "value")) {
        kp_push_key(c, "value");
        return kp_fail(c, "only allowed with mode \"fixed\" (mode \"%s\" %s)", ra_mode_names[mode],
                       mode == SRV_RA_NONE ? "sends no Retry-After"
                                           : "sends each limiter's own Retry-After");
    }
    if (mode == SRV_RA_NONE && cJSON_GetObjectItemCaseSensitive(o, "jitter")) {
        kp_push_key(c, "jitter");
        return kp_fail(c, "not allowed with mode \"none\" (there is no Retry-After to jitter)");
    }
    return val_get_num(c, o, "jitter", 0, VAL_DURATION, val_ge(0), &sv->ra_jitter_s) < 0 ? -1 : 0;
}

static int parse_latency(struct kp_ctx *c, const cJSON *o, struct dist *d)
{
    static const char *const all[] = {"dist", "value", "mean", "median", "p95",
                                      "cv",   "min",   "max",  NULL};
    static const char *const params[][4] = {[DIST_CONSTANT] = {"value", NULL},
                                            [DIST_EXPONENTIAL] = {"mean", NULL},
                                            [DIST_LOGNORMAL] = {"median", "p95", NULL},
                                            [DIST_GAMMA] = {"mean", "cv", NULL},
                                            [DIST_UNIFORM] = {"min", "max", NULL}};
    if (kp_known_keys(c, o, all))
        return -1;
    int type;
    if (val_get_enum(c, o, "dist", 1, dist_names, &type) < 0)
        return -1;
    const char *allowed[5] = {"dist", params[type][0], params[type][1], NULL, NULL};
    char what[64];
    snprintf(what, sizeof what, "dist \"%s\"", dist_names[type]);
    if (kp_variant_keys(c, o, allowed, what))
        return -1;
    /* Durations here are only parsed (>= 0); how they must relate (p95 >
     * median, ...) is the distribution's business, checked once in dist.c. */
    double p[2] = {0, 0};
    for (int i = 0; i < 2 && params[type][i]; i++) {
        int is_cv = strcmp(params[type][i], "cv") == 0;
        if (val_get_num(c, o, params[type][i], 1, is_cv ? VAL_NUMBER : VAL_DURATION, val_any(),
                        &p[i]) < 0)
            return -1;
    }
    char msg[SCN_ERRLEN] = "";
    int rc = 0;
    switch ((enum dist_type)type) {
    case DIST_CONSTANT:
        rc = dist_init_constant(d, p[0], msg, sizeof msg);
        break;
    case DIST_EXPONENTIAL:
        rc = dist_init_exponential(d, p[0], msg, sizeof msg);
        break;
    case DIST_LOGNORMAL:
        rc = dist_init_lognormal(d, p[0], p[1], msg, sizeof msg);
        break;
    case DIST_GAMMA:
        rc = dist_init_gamma(d, p[0], p[1], msg, sizeof msg);
        break;
    case DIST_UNIFORM:
        rc = dist_init_uniform(d, p[0], p[1], msg, sizeof msg);
        break;
    }
    if (rc == 0)
        return 0;
    /* dist.c names the parameter first ("p95: must be > median"): make it
     * part of the key path when it is one of ours. */
    for (int i = 0; i < 2 && params[type][i]; i++) {
        size_t n = strlen(params[type][i]);
        if (strncmp(msg, params[type][i], n) == 0 && msg[n] == ':') {
            const char *rest = msg + n + 1;
            while (*rest == ' ')
                rest++;
            kp_push_key(c, params[type][i]);
            return kp_fail(c, "%s", rest);
        }
    }
    return kp_fail(c, "%s", msg);
}

int sch_parse_server(struct kp_ctx *c, const cJSON *o, int64_t start_epoch_s, struct srv_cfg *sv)
{
    static const char *const keys[] = {"limits",         "retry_after", "latency",
                                       "reject_latency", "error_rate",  "count_rejected",
                                       NULL};
    if (kp_known_keys(c, o, keys))
        return -1;

    const cJSON *arr, *sub;
    size_t m;
    if (val_enter(c, o, "limits", 1, 1, &arr, &m) < 0)
        return -1;
    int n = cJSON_GetArraySize(arr);
    if (n > SRV_MAX_LIMITS)
        return kp_fail(c, "%d limits is more than the limit of %d", n, SRV_MAX_LIMITS);
    for (const cJSON *it = arr->child; it; it = it->next) {
        size_t mi = kp_push_index(c, sv->nlimits);
        /* Counted before it is filled, so scn_fini frees a name taken by a
         * limit that then fails. */
        struct lim_cfg *l = &sv->limits[sv->nlimits++];
        if (parse_limit(c, it, start_epoch_s, l))
            return -1;
        kp_pop(c, mi);
    }
    kp_pop(c, m);

    sv->ra_mode = SRV_RA_LIMITER;
    int rc = val_enter(c, o, "retry_after", 0, 0, &sub, &m);
    if (rc < 0 || (rc == 1 && parse_retry_after(c, sub, sv)))
        return -1;
    if (rc == 1)
        kp_pop(c, m);

    if (val_enter(c, o, "latency", 1, 0, &sub, &m) < 0 || parse_latency(c, sub, &sv->latency))
        return -1;
    kp_pop(c, m);

    if (val_get_num(c, o, "reject_latency", 0, VAL_DURATION, val_ge(0),
                    &sv->reject_latency_s) < 0 ||
        val_get_num(c, o, "error_rate", 0, VAL_NUMBER, val_in_co(0, 1), &sv->error_rate) < 0 ||
        val_get_bool(c, o, "count_rejected", &sv->count_rejected) < 0)
        return -1;
    return 0;
}

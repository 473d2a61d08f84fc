/* scenario.c -- scenarios: a scn_doc validated and converted into a
 * struct scenario (the second of the loader's two stages), its
 * invariants, and scn_load, which chains the stages (see scenario.h).
 *
 * Two stages: text -> scn_doc (a cJSON tree; syntax errors get a line and
 * column: document.c), then scn_doc -> struct scenario (every value
 * checked, every error naming its key path: the schema*.c files). The
 * split exists so that --set overrides (override.c) are applied to the
 * tree, before validation, and are judged by exactly the same rules as
 * the file.
 *
 * Invariants of a scenario filled by scn_from_doc, which scn_check tests:
 * every number is finite; nlimits <= SRV_MAX_LIMITS and nrollouts <=
 * WL_MAX_ROLLOUTS; each rollout's at_s is in [0, horizon_s); each enabled
 * traffic profile has a positive maximum and its mix sums to 1;
 * 0 < series_step_s <= horizon_s. */
#include "scenario/scenario.h"

#include "scenario/document.h"
#include "scenario/keypath.h"
#include "scenario/schema.h"
#include "base/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int finite_in(double v, double lo, double hi)
{
    return isfinite(v) && v >= lo && v <= hi;
}

static int traffic_ok(const struct wl_traffic *t)
{
    if (!t->enabled)
        return 1;
    double sum = 0;
    for (int h = 0; h < 24; h++)
        if (!finite_in(t->profile.weekday[h], 0, SCH_MAX_PEAK_PER_HOUR) ||
            !finite_in(t->profile.weekend[h], 0, SCH_MAX_PEAK_PER_HOUR))
            return 0;
    for (int k = 0; k < JOB_KIND_COUNT; k++) {
        if (!finite_in(t->mix[k], 0, 1))
            return 0;
        sum += t->mix[k];
    }
    return wl_profile_max_rate(&t->profile) > 0 && fabs(sum - 1) < 1e-9;
}

int scn_check(const struct scenario *s)
{
    if (!s->name || !s->name[0] || !finite_in(s->horizon_s, 1e-300, SCN_MAX_HORIZON_S) ||
        s->replications < 1 || s->replications > SCN_MAX_REPLICATIONS ||
        !(s->series_step_s > 0 && s->series_step_s <= s->horizon_s))
        return 0;
    const struct srv_cfg *sv = &s->server;
    if (sv->nlimits < 0 || sv->nlimits > SRV_MAX_LIMITS ||
        !finite_in(sv->reject_latency_s, 0, INFINITY) || !(sv->error_rate >= 0) ||
        !(sv->error_rate < 1) || !isfinite(sv->latency.mean_s) ||
        !finite_in(sv->ra_fixed_s, 0, INFINITY) || !finite_in(sv->ra_jitter_s, 0, INFINITY))
        return 0;
    for (int i = 0; i < sv->nlimits; i++) {
        const struct lim_cfg *l = &sv->limits[i];
        if (l->applies_mask == 0 || (l->applies_mask & ~JOB_KIND_MASK_ALL))
            return 0;
        switch (l->type) {
        case LIM_FIXED_WINDOW:
        case LIM_SLIDING_WINDOW:
            if (!finite_in(l->limit, 1, SCH_MAX_EXACT_INT) ||
                !finite_in(l->window_s, 1e-300, INFINITY))
                return 0;
            break;
        case LIM_TOKEN_BUCKET:
            if (!finite_in(l->rate_per_s, 1e-300, INFINITY) || !finite_in(l->burst, 1, INFINITY))
                return 0;
            break;
        case LIM_CONCURRENCY:
            if (!finite_in(l->concurrency, 1, SCH_MAX_EXACT_INT) ||
                !finite_in(l->retry_after_s, 0, INFINITY))
                return 0;
            break;
        default:
            return 0;
        }
    }
    const struct client_cfg *cl = &s->client;
    if (cl->workers < 1 || cl->workers > SCN_MAX_WORKERS ||
        !finite_in(cl->max_rate_per_s, 0, INFINITY))
        return 0;
    if (s->nrollouts < 0 || s->nrollouts > WL_MAX_ROLLOUTS)
        return 0;
    long long users = 0;
    for (int i = 0; i < s->nrollouts; i++) {
        const struct wl_rollout *r = &s->rollouts[i];
        if (r->users < 1 || !(r->at_s >= 0 && r->at_s < s->horizon_s) || r->batch_size < 0 ||
            (r->batch_size > 0 && (r->batch_size >= r->users || !(r->batch_interval_s > 0))) ||
            !finite_in(r->batch_interval_s, 0, INFINITY))
            return 0;
        users += r->users;
    }
    return users <= SCN_MAX_USERS && traffic_ok(&s->background) && traffic_ok(&s->other);
}

int scn_from_doc(const scn_doc *d, struct scenario *s, char *err, size_t errlen)
{
    /* Built aside and copied out only when whole, so a failed load leaves
     * *s empty and owns nothing. */
    struct scenario tmp;
    memset(&tmp, 0, sizeof tmp);
    struct kp_ctx c = {err, errlen, "", 0};
    if (sch_parse_scenario(&c, d->root, &tmp)) {
        scn_fini(&tmp);
        memset(s, 0, sizeof *s);
        return -1;
    }
    /* Fails only if validation let through what the models rely on never
     * seeing: a bug here, not an input error. */
    XASSERT(scn_check(&tmp));
    *s = tmp;
    return 0;
}

void scn_fini(struct scenario *s)
{
    free(s->name);
    free(s->notes);
    for (int i = 0; i < s->server.nlimits; i++)
        free(s->server.limits[i].name);
    memset(s, 0, sizeof *s);
}

int scn_load(const char *path, const char *const *sets, int nsets, struct scenario *s,
             char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    scn_doc *d = path ? scn_doc_load(path, err, errlen) : scn_doc_default();
    if (!d)
        return -1;
    for (int i = 0; i < nsets; i++) {
        if (scn_doc_set(d, sets[i], err, errlen)) {
            scn_doc_free(d);
            return -1;
        }
    }
    int rc = scn_from_doc(d, s, err, errlen);
    scn_doc_free(d);
    if (rc && path && err && errlen > 0) {
        /* Name the file, as syntax errors do: "x.json: server.limits..." */
        char *msg = xstrdup(err);
        snprintf(err, errlen, "%s: %s", path, msg);
        free(msg);
    }
    return rc;
}

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
 * 0 < series_step_s <= horizon_s; a schedule retry policy lists 1 to
 * RETRY_MAX_SCHEDULE strictly increasing delays > 0. */
#include "scenario/scenario.h"

#include "scenario/document.h"
#include "scenario/keypath.h"
#include "scenario/schema.h"
#include "base/file.h"
#include "base/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int finite_in(double v, double lo, double hi)
{
    return isfinite(v) && v >= lo && v <= hi;
}

/* Each check below returns NULL or the description of the first invariant
 * that does not hold, one description per invariant. */

/* A traffic profile: which is "background" or "other", for the message. */
static const char *traffic_check(const struct wl_traffic *t, int is_other)
{
    static const char *const rate[2] = {
        "background: an hourly rate is not finite in [0, SCH_MAX_PEAK_PER_HOUR]",
        "other: an hourly rate is not finite in [0, SCH_MAX_PEAK_PER_HOUR]"};
    static const char *const share[2] = {"background: a mix share is not finite in [0, 1]",
                                         "other: a mix share is not finite in [0, 1]"};
    static const char *const peak[2] = {"background: enabled, but no hourly rate is > 0",
                                        "other: enabled, but no hourly rate is > 0"};
    static const char *const sum[2] = {"background: the mix does not sum to 1",
                                       "other: the mix does not sum to 1"};
    if (!t->enabled)
        return NULL;
    double total = 0;
    for (int h = 0; h < 24; h++)
        if (!finite_in(t->profile.weekday[h], 0, SCH_MAX_PEAK_PER_HOUR) ||
            !finite_in(t->profile.weekend[h], 0, SCH_MAX_PEAK_PER_HOUR))
            return rate[is_other];
    for (int k = 0; k < JOB_KIND_COUNT; k++) {
        if (!finite_in(t->mix[k], 0, 1))
            return share[is_other];
        total += t->mix[k];
    }
    if (!(wl_profile_max_rate(&t->profile) > 0))
        return peak[is_other];
    if (!(fabs(total - 1) < 1e-9))
        return sum[is_other];
    return NULL;
}

static const char *limit_check(const struct lim_cfg *l)
{
    if ((l->ep_mask | l->kind_mask) == 0 || (l->ep_mask & ~EP_MASK_ALL) ||
        (l->kind_mask & ~JOB_KIND_MASK_ALL))
        return "server.limits[]: selects no request, or has bits of no endpoint or kind";
    if (!finite_in(l->lockout_s, 0, INFINITY))
        return "server.limits[]: lockout_s is not finite and >= 0";
    if (!finite_in(l->max_debt, 0, INFINITY) || (l->type != LIM_TOKEN_BUCKET && l->max_debt != 0))
        return "server.limits[]: max_debt is not finite and >= 0, or set on a non-bucket";
    if (!finite_in(l->phase_s, 0, INFINITY) || (l->type != LIM_FIXED_WINDOW && l->phase_s != 0) ||
        (l->type == LIM_FIXED_WINDOW && !(l->phase_s < l->window_s)))
        return "server.limits[]: phase_s is not in [0, window_s), or set on a non-fixed window";
    switch (l->type) {
    case LIM_FIXED_WINDOW:
    case LIM_SLIDING_WINDOW:
        if (!finite_in(l->limit, 1, SCH_MAX_EXACT_INT))
            return "server.limits[]: a window's limit is not in [1, 2^53]";
        if (!finite_in(l->window_s, 1e-300, INFINITY))
            return "server.limits[]: window_s is not finite and > 0";
        return NULL;
    case LIM_TOKEN_BUCKET:
        if (!finite_in(l->rate_per_s, 1e-300, INFINITY))
            return "server.limits[]: rate_per_s is not finite and > 0";
        if (!finite_in(l->burst, 1, INFINITY))
            return "server.limits[]: burst is not finite and >= 1";
        return NULL;
    case LIM_CONCURRENCY:
        if (!finite_in(l->concurrency, 1, SCH_MAX_EXACT_INT))
            return "server.limits[]: concurrency is not in [1, 2^53]";
        if (!finite_in(l->retry_after_s, 0, INFINITY))
            return "server.limits[]: retry_after_s is not finite and >= 0";
        return NULL;
    }
    return "server.limits[]: type is not a limiter type";
}

static const char *retry_check(const struct retry_cfg *r)
{
    if (!finite_in(r->fallback_s, 0, INFINITY) || !finite_in(r->then_every_s, 0, INFINITY))
        return "client.retry: fallback_s or then_every_s is not finite and >= 0";
    if (r->policy != RETRY_POLICY_SCHEDULE)
        return NULL;
    if (r->nschedule < 1 || r->nschedule > RETRY_MAX_SCHEDULE)
        return "client.retry: nschedule is not in [1, RETRY_MAX_SCHEDULE]";
    for (unsigned i = 0; i < r->nschedule; i++)
        if (!finite_in(r->schedule_s[i], 1e-300, INFINITY) ||
            (i > 0 && !(r->schedule_s[i] > r->schedule_s[i - 1])))
            return "client.retry: schedule_s is not finite, > 0 and strictly increasing";
    return NULL;
}

static const char *server_check(const struct srv_cfg *sv)
{
    if (sv->nlimits < 0 || sv->nlimits > SRV_MAX_LIMITS)
        return "server.nlimits is not in [0, SRV_MAX_LIMITS]";
    if (!finite_in(sv->reject_latency_s, 0, INFINITY))
        return "server.reject_latency_s is not finite and >= 0";
    if (!(sv->error_rate >= 0) || !(sv->error_rate < 1))
        return "server.error_rate is not in [0, 1)";
    if (!isfinite(sv->latency.mean_s))
        return "server.latency.mean_s is not finite";
    if (sv->ra_mode != SRV_RA_LIMITER && sv->ra_mode != SRV_RA_FIXED && sv->ra_mode != SRV_RA_NONE)
        return "server.ra_mode is not a Retry-After mode";
    if (!finite_in(sv->ra_fixed_s, 0, INFINITY))
        return "server.ra_fixed_s is not finite and >= 0";
    if (!finite_in(sv->ra_jitter_s, 0, INFINITY))
        return "server.ra_jitter_s is not finite and >= 0";
    for (int i = 0; i < sv->nlimits; i++) {
        const char *broken = limit_check(&sv->limits[i]);
        if (broken)
            return broken;
    }
    return NULL;
}

static const char *rollouts_check(const struct scenario *s)
{
    if (s->nrollouts < 0 || s->nrollouts > WL_MAX_ROLLOUTS)
        return "nrollouts is not in [0, WL_MAX_ROLLOUTS]";
    long long users = 0;
    for (int i = 0; i < s->nrollouts; i++) {
        const struct wl_rollout *r = &s->rollouts[i];
        if (r->users < 1)
            return "rollouts[]: users is not >= 1";
        if (!(r->at_s >= 0 && r->at_s < s->horizon_s))
            return "rollouts[]: at_s is not in [0, horizon_s)";
        if (r->batch_size < 0)
            return "rollouts[]: batch_size is negative";
        if (r->batch_size > 0 && r->batch_size >= r->users)
            return "rollouts[]: batch_size is not 0 (one batch) or less than users";
        if (r->batch_size > 0 && !(r->batch_interval_s > 0))
            return "rollouts[]: batched, but batch_interval_s is not > 0";
        if (!finite_in(r->batch_interval_s, 0, INFINITY))
            return "rollouts[]: batch_interval_s is not finite and >= 0";
        users += r->users;
    }
    if (users > SCN_MAX_USERS)
        return "rollouts: more than SCN_MAX_USERS users in all";
    return NULL;
}

const char *scn_check(const struct scenario *s)
{
    if (!s->name || !s->name[0])
        return "name is NULL or empty";
    if (!finite_in(s->horizon_s, 1e-300, SCN_MAX_HORIZON_S))
        return "horizon_s is not finite in (0, SCN_MAX_HORIZON_S]";
    if (s->replications < 1 || s->replications > SCN_MAX_REPLICATIONS)
        return "replications is not in [1, SCN_MAX_REPLICATIONS]";
    if (!(s->series_step_s > 0 && s->series_step_s <= s->horizon_s))
        return "series_step_s is not in (0, horizon_s]";
    const char *broken = server_check(&s->server);
    if (broken)
        return broken;
    if (s->client.workers < 1 || s->client.workers > SCN_MAX_WORKERS)
        return "client.workers is not in [1, SCN_MAX_WORKERS]";
    if (!finite_in(s->client.max_rate_per_s, 0, INFINITY))
        return "client.max_rate_per_s is not finite and >= 0";
    if ((broken = retry_check(&s->client.retry)))
        return broken;
    if (!finite_in(s->client.existing_fraction, 0, 1))
        return "client.existing_fraction is not in [0, 1]";
    for (int k = 0; k < JOB_KIND_COUNT; k++) {
        const struct client_recipe *r = &s->client.recipe[k];
        if (r->n < 1 || r->n > CLIENT_MAX_STEPS)
            return "client.requests: a recipe has no request or more than CLIENT_MAX_STEPS";
        for (int i = 0; i < r->n; i++)
            if (r->ep[i] >= EP_COUNT)
                return "client.requests: a recipe names no endpoint";
    }
    if ((broken = rollouts_check(s)) || (broken = traffic_check(&s->background, 0)) ||
        (broken = traffic_check(&s->other, 1)))
        return broken;
    return NULL;
}

static int from_doc(const scn_doc *d, struct scenario *s, char *err, size_t errlen,
                    const struct scn_key_lister *kl)
{
    /* Built aside and copied out only when whole, so a failed load leaves
     * *s empty and owns nothing. */
    struct scenario tmp;
    memset(&tmp, 0, sizeof tmp);
    struct kp_ctx c = {err, errlen, "", 0, kl};
    if (sch_parse_scenario(&c, d->root, &tmp)) {
        scn_fini(&tmp);
        memset(s, 0, sizeof *s);
        return -1;
    }
    /* Fails only if validation let through what the models rely on never
     * seeing: a bug here, not an input error. */
    const char *broken = scn_check(&tmp);
    if (broken)
        fprintf(stderr, "provsim: scn_from_doc: the scenario fails scn_check: %s\n", broken);
    XASSERT(broken == NULL);
    memcpy(tmp.origin.sha256, d->sha256, sizeof tmp.origin.sha256);
    *s = tmp;
    return 0;
}

int scn_from_doc(const scn_doc *d, struct scenario *s, char *err, size_t errlen)
{
    return from_doc(d, s, err, errlen, NULL);
}

void scn_fini(struct scenario *s)
{
    free(s->name);
    free(s->notes);
    for (int i = 0; i < s->server.nlimits; i++)
        free(s->server.limits[i].name);
    free(s->origin.source);
    for (int i = 0; i < s->origin.noverrides; i++)
        free(s->origin.overrides[i]);
    free(s->origin.overrides);
    free(s->origin.file_name);
    memset(s, 0, sizeof *s);
}

int scn_load(const char *path, const char *const *sets, int nsets, struct scenario *s,
             char *err, size_t errlen)
{
    return scn_load_listing(path, sets, nsets, s, err, errlen, NULL);
}

int scn_load_listing(const char *path, const char *const *sets, int nsets, struct scenario *s,
                     char *err, size_t errlen, const struct scn_key_lister *kl)
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
    int rc = from_doc(d, s, err, errlen, kl);
    scn_doc_free(d);
    if (rc == 0) {
        scn_set_origin(s, path, sets, nsets);
        scn_label_effective(s);
    }
    if (rc && path && err && errlen > 0) {
        /* Name the file, as syntax errors do: "x.json: server.limits..." */
        char *msg = xstrdup(err);
        snprintf(err, errlen, "%s: %s", file_shown_name(path), msg);
        free(msg);
    }
    return rc;
}

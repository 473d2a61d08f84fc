/* calscn.c -- the calibrated scenario document (see calscn.h).
 *
 * What is measured replaces the base's value; what the logs cannot show
 * comes from the base (note "from the base scenario") or, without one,
 * from the loader's defaults and a few stated assumptions; the unknowns
 * the fit searches get a starting value here and their "fitted" note
 * from the fit. The limiter is one token bucket on every request: the
 * logs show how many requests got through and when, not the limiter's
 * rule, so its form is an assumption and its note says so. */
#include "calib/calscn.h"

#include "base/file.h"
#include "base/units.h"
#include "base/util.h"
#include "models/client.h"
#include "models/job.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void calscn_when(double t, char *buf, size_t len)
{
    units_format_datetime((int64_t)floor(t), buf, len);
}

void calscn_note(cJSON *doc, const char *key, const char *fmt, ...)
{
    char text[1024];
    int k = snprintf(text, sizeof text, "%s: ", key);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text + k, sizeof text - (size_t)k, fmt, ap);
    va_end(ap);
    cJSON *notes = cJSON_GetObjectItemCaseSensitive(doc, "notes");
    if (!cJSON_IsArray(notes)) {
        cJSON_DeleteItemFromObjectCaseSensitive(doc, "notes");
        notes = cJSON_AddArrayToObject(doc, "notes");
    }
    size_t klen = strlen(key);
    int i = 0;
    for (cJSON *n = notes->child; n; n = n->next, i++)
        if (cJSON_IsString(n) && !strncmp(n->valuestring, key, klen) &&
            n->valuestring[klen] == ':') {
            cJSON_ReplaceItemInArray(notes, i, cJSON_CreateString(text));
            return;
        }
    cJSON_AddItemToArray(notes, cJSON_CreateString(text));
}

/* obj[key] as an object, created (or replacing a non-object) if needed */
static cJSON *object(cJSON *obj, const char *key)
{
    cJSON *o = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (cJSON_IsObject(o))
        return o;
    cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
    return cJSON_AddObjectToObject(obj, key);
}

static void put(cJSON *obj, const char *key, cJSON *v)
{
    if (cJSON_GetObjectItemCaseSensitive(obj, key))
        cJSON_ReplaceItemInObjectCaseSensitive(obj, key, v);
    else
        cJSON_AddItemToObject(obj, key, v);
}

static void put_num(cJSON *obj, const char *key, double v)
{
    put(obj, key, cJSON_CreateNumber(v));
}

static void put_str(cJSON *obj, const char *key, const char *v)
{
    put(obj, key, cJSON_CreateString(v));
}

/* "measured from 41,237 access-log requests, 2026-11-03T06:00...2026-11-03T18:00" */
static void access_src(const struct meas *m, char *buf, size_t len)
{
    char n[32], a[20], b[20];
    units_format_count((double)m->access_requests, n, sizeof n);
    calscn_when(m->access_first_s, a, sizeof a);
    calscn_when(m->access_last_s, b, sizeof b);
    snprintf(buf, len, "%s access-log requests, %s...%s", n, a, b);
}

static void okta_src(const struct meas *m, char *buf, size_t len)
{
    char n[32], a[20], b[20];
    units_format_count((double)m->okta_events, n, sizeof n);
    calscn_when(m->okta_first_s, a, sizeof a);
    calscn_when(m->okta_last_s, b, sizeof b);
    snprintf(buf, len, "%s System Log events, %s...%s", n, a, b);
}

static void put_rollout(cJSON *doc, const struct meas *m, double start)
{
    char at[48], src[160];
    cJSON *wl = object(doc, "workload");
    cJSON *arr = cJSON_CreateArray(), *r = cJSON_CreateObject();
    put_str(r, "kind", job_kind_name(m->ro.kind));
    put_num(r, "users", (double)m->ro.users);
    snprintf(at, sizeof at, "+%.3fs", m->ro.start_s - start);
    put_str(r, "at", at);
    cJSON_AddItemToArray(arr, r);
    put(wl, "rollouts", arr);
    if (m->ro.from_access)
        access_src(m, src, sizeof src);
    else
        okta_src(m, src, sizeof src);
    char when[20];
    calscn_when(m->ro.start_s, when, sizeof when);
    calscn_note(doc, "workload.rollouts[0]", "measured from %s: %s burst of %ld %s jobs from "
                "%s (first %s)%s%s", src, m->ro.from_access ? "the request" : "the assignment",
                m->ro.users, job_kind_name(m->ro.kind), when,
                m->ro.from_access ? "request" : "assignment",
                m->ro.twice ? ", users assigned twice counted once: " : "",
                m->ro.twice ? "yes" : "");
}

static void put_background(cJSON *doc, const struct meas *m, const char *src)
{
    cJSON *wl = object(doc, "workload");
    if (!m->have_bg || m->bg_jobs == 0) {
        cJSON_DeleteItemFromObjectCaseSensitive(wl, "background");
        calscn_note(doc, "workload.background", "none: no push outside the rollout in %s", src);
        return;
    }
    cJSON *bg = cJSON_CreateObject();
    double wd[24], we[24];
    for (int h = 0; h < 24; h++) {
        wd[h] = round(m->weekday[h] * 100) / 100;
        we[h] = round((m->have_weekend ? m->weekend[h] : 0) * 100) / 100;
    }
    cJSON_AddItemToObject(bg, "weekday", cJSON_CreateDoubleArray(wd, 24));
    cJSON_AddItemToObject(bg, "weekend", cJSON_CreateDoubleArray(we, 24));
    cJSON *mix = cJSON_AddObjectToObject(bg, "mix");
    long tot = m->bg_kind[0] + m->bg_kind[1] + m->bg_kind[2];
    for (int k = 0; k < 3; k++)
        put_num(mix, job_kind_name(k), tot ? round(1000.0 * m->bg_kind[k] / tot) / 1000 : 0);
    put(wl, "background", bg);
    char n[32];
    units_format_count((double)m->bg_jobs, n, sizeof n);
    calscn_note(doc, "workload.background", "measured from %s: %s jobs outside the rollout, "
                "jobs per hour of each clock hour averaged over the log's hours%s", src, n,
                m->have_weekend ? "" : "; the log has no weekend hours: weekend set to 0 (an "
                "assumption)");
}

static void put_latency(cJSON *doc, const struct meas *m, const char *src)
{
    cJSON *srv = object(doc, "server");
    const struct meas_latency *l = &m->lat_all;
    if (l->n == 0)
        return;
    cJSON *lat = cJSON_CreateObject();
    if (l->p95_s > l->median_s * 1.0001) {
        put_str(lat, "dist", "lognormal");
        put_num(lat, "median", round(l->median_s * 1e4) / 1e4);
        put_num(lat, "p95", round(l->p95_s * 1e4) / 1e4);
    } else {
        put_str(lat, "dist", "constant");
        put_num(lat, "value", round(l->median_s * 1e4) / 1e4);
    }
    put(srv, "latency", lat);
    char n[32];
    units_format_count((double)l->n, n, sizeof n);
    calscn_note(doc, "server.latency", "measured from %s: lognormal with the median and p95 of "
                "%s accepted requests (Kolmogorov-Smirnov distance %.3f)", src, n, l->ks);
    if (m->n_429) {
        put_num(srv, "reject_latency", round(m->reject_median_s * 1e4) / 1e4);
        calscn_note(doc, "server.reject_latency", "measured from %s: the median response time "
                    "of %ld 429s", src, m->n_429);
    }
    if (m->n_2xx + m->n_5xx > 0) {
        double e = (double)m->n_5xx / (double)(m->n_2xx + m->n_5xx);
        put_num(srv, "error_rate", round(fmin(e, 0.99) * 1e5) / 1e5);
        calscn_note(doc, "server.error_rate", "measured from %s: %ld 5xx of %ld accepted or "
                    "failed requests", src, m->n_5xx, m->n_2xx + m->n_5xx);
    }
}

static void put_retry_after(cJSON *doc, const struct meas *m, const char *src)
{
    if (m->ra_n == 0)
        return;
    cJSON *srv = object(doc, "server"), *ra = cJSON_CreateObject();
    if (m->ra_mode_share >= 0.9) {
        put_str(ra, "mode", "fixed");
        put_num(ra, "value", m->ra_mode);
    } else {
        put_str(ra, "mode", "limiter");
    }
    put(srv, "retry_after", ra);
    calscn_note(doc, "server.retry_after", "measured from %s: %ld Retry-After values, min %g s, "
                "median %g s, max %g s, %.0f%% of them %g s (%s)", src, m->ra_n, m->ra_min,
                m->ra_median, m->ra_max, 100 * m->ra_mode_share, m->ra_mode,
                m->ra_mode_share >= 0.9 ? "90% or more one value: fixed"
                                        : "varied: the limiter's own");
}

static void put_client(cJSON *doc, const struct meas *m, const char *src)
{
    cJSON *cl = object(doc, "client");
    if (m->have_access && m->conc_max > 0) {
        put_num(cl, "workers", m->conc_max);
        calscn_note(doc, "client.workers", "measured from %s: %s %d requests in flight at once "
                    "(in flight at all: median %g, p95 %g, %.0f%% of the time at the most)", src,
                    m->conc_exact ? "at most" : "an estimate from 1-second time stamps (busy time "
                    "per second, 90th percentile):", m->conc_max, m->conc_p50, m->conc_p95,
                    100 * m->conc_share_max);
    }
    if (m->have_access && m->recipe >= 0) {
        put_str(cl, "requests", client_requests_name((enum client_requests)m->recipe));
        calscn_note(doc, "client.requests", "measured from %s: %ld reads (GET /Users, GET "
                    "/Users/{id}) for %ld user writes", src, m->recipe_reads, m->recipe_writes);
    }
}

void calscn_replay(cJSON *doc, const struct meas *m)
{
    char when[20];
    double start = floor(m->ro.start_s / 60) * 60;
    calscn_when(start, when, sizeof when);
    put_str(doc, "start", when);
    put_str(doc, "horizon", "auto");
    if (!cJSON_GetObjectItemCaseSensitive(doc, "horizon_cap"))
        put_str(doc, "horizon_cap", "2d");
    put_str(doc, "settle", "10m");
    put_rollout(doc, m, start);
}

cJSON *calscn_build(const struct meas *m, const cJSON *base, const struct calscn_src *src)
{
    cJSON *doc = base ? cJSON_Duplicate(base, 1) : cJSON_CreateObject();
    if (!doc)
        xoom("cJSON_Duplicate");
    cJSON_DeleteItemFromObjectCaseSensitive(doc, "notes");
    cJSON_AddArrayToObject(doc, "notes");
    char asrc[200] = "", osrc[200] = "", when[20], name[200];
    if (m->have_access)
        access_src(m, asrc, sizeof asrc);
    if (m->okta_events)
        okta_src(m, osrc, sizeof osrc);
    calscn_note(doc, "calibrated", "by provsim calibrate from %s%s%s%s%s; values without a line "
                "here are %s", src->okta_name ? "the System Log " : "",
                src->okta_name ? src->okta_name : "", src->okta_name && src->access_name ? " and " : "",
                src->access_name ? "the access log " : "", src->access_name ? src->access_name : "",
                src->base_name ? "from the base scenario" : "the loader's defaults");
    if (src->base_name)
        calscn_note(doc, "base", "%s", src->base_name);
    calscn_replay(doc, m);
    double start = floor(m->ro.start_s / 60) * 60;
    calscn_when(start, when, sizeof when);
    snprintf(name, sizeof name, "Calibrated%s%s: %ld-user %s rollout of %s", src->app ? " " : "",
             src->app ? src->app : "", m->ro.users, job_kind_name(m->ro.kind), when);
    put_str(doc, "name", name);
    calscn_note(doc, "start", "the minute of the rollout's first %s; horizon auto: until it "
                "clears (at most 2 days), then 10 minutes", m->ro.from_access ? "request" : "assignment");
    put_background(doc, m, m->okta_events ? osrc : asrc);
    if (m->have_access) {
        put_latency(doc, m, asrc);
        put_retry_after(doc, m, asrc);
        put_client(doc, m, asrc);
    }
    cJSON *srv = object(doc, "server");
    if (!cJSON_GetObjectItemCaseSensitive(srv, "latency")) {
        cJSON *lat = cJSON_AddObjectToObject(srv, "latency");
        put_str(lat, "dist", "lognormal");
        put_num(lat, "median", 0.42);
        put_num(lat, "p95", 1.3);
        calscn_note(doc, "server.latency", "assumed (no access log and no base): lognormal "
                    "median 420 ms, p95 1.3 s, the Slack-like preset's");
    }
    /* the limiter: one token bucket on every request, fitted */
    cJSON *lims = cJSON_CreateArray(), *tb = cJSON_CreateObject();
    put_str(tb, "name", "fitted limit");
    put_str(tb, "type", "token_bucket");
    put_num(tb, "rate", 10);
    put_num(tb, "burst", 10);
    cJSON_AddItemToArray(lims, tb);
    put(srv, "limits", lims);
    cJSON *cl = object(doc, "client");
    if (!cJSON_GetObjectItemCaseSensitive(cl, "workers"))
        put_num(cl, "workers", 4);
    if (!cJSON_GetObjectItemCaseSensitive(cl, "requests"))
        put_str(cl, "requests", "okta");
    if (!src->base_name)
        calscn_note(doc, "client.retry", "assumed (no base): Okta's retry after the Retry-After "
                    "(policy retry_after), its jitter fitted");
    cJSON *rt = object(cl, "retry");
    if (!cJSON_GetObjectItemCaseSensitive(rt, "policy"))
        put_str(rt, "policy", "retry_after");
    return doc;
}

int calscn_load(const cJSON *doc, struct scenario *s, char *err, size_t errlen)
{
    char *text = cJSON_PrintUnformatted(doc);
    if (!text)
        xoom("cJSON_Print");
    scn_doc *d = scn_doc_parse(text, strlen(text), err, errlen);
    int rc = d ? scn_from_doc(d, s, err, errlen) : -1;
    scn_doc_free(d);
    cJSON_free(text);
    return rc;
}

static cJSON *unknown_parent(cJSON *doc, int u, const char **key)
{
    cJSON *srv = object(doc, "server"), *cl = object(doc, "client");
    switch (u) {
    case CAL_RATE:
    case CAL_BURST:
        *key = u == CAL_RATE ? "rate" : "burst";
        return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(srv, "limits"), 0);
    case CAL_WORKERS:
        *key = "workers";
        return cl;
    default:
        *key = "jitter";
        return object(cl, "retry");
    }
}

void calscn_set(cJSON *doc, int u, double v)
{
    const char *key;
    cJSON *o = unknown_parent(doc, u, &key);
    XASSERT(o != NULL);
    put_num(o, key, v);
}

double calscn_get(const cJSON *doc, int u)
{
    const char *key;
    cJSON *o = unknown_parent((cJSON *)doc, u, &key);
    const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

const char *calscn_key(int u)
{
    static const char *const keys[CAL_NUNKNOWN] = {"server.limits[0].rate", "server.limits[0].burst",
                                                   "client.workers", "client.retry.jitter"};
    return u >= 0 && u < CAL_NUNKNOWN ? keys[u] : "?";
}

cJSON *calscn_read_tree(const char *path, char *err, size_t errlen)
{
    char *text;
    size_t len;
    int e;
    if (file_read(path, FILE_MAX_SCENARIO, &text, &len, &e) != FILE_OK) {
        xerr(err, errlen, "%s: cannot read", file_shown_name(path));
        return NULL;
    }
    size_t b = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
    cJSON *doc = cJSON_ParseWithLength(text + b, len - b);
    free(text);
    if (!doc)
        xerr(err, errlen, "%s: cannot parse", file_shown_name(path));
    return doc;
}

/* btresult.c -- see btresult.h. */
#include "out/btresult.h"

#include "base/file.h"
#include "base/units.h"
#include "base/util.h"
#include "out/jsonfile.h"
#include "out/resultdir.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const btres_curve_key[BTRES_NCURVES] = {"completions", "throttled", "failed_tasks"};

/* the same slack backtest.c gives a value on a band's edge */
#define EDGE 1e-9

/* What the checks share: the file's path for every message. */
struct rd {
    const char *path;
    char *err;
    size_t errlen;
};

static int bad(const struct rd *r, const char *fmt, ...) X_PRINTF(2, 3);
static int bad(const struct rd *r, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return xerr(r->err, r->errlen, "%s: %s", r->path, msg);
}

static const cJSON *obj(const struct rd *r, const cJSON *o, const char *key, const char *path)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsObject(v)) {
        bad(r, "%s: expected an object", path);
        return NULL;
    }
    return v;
}

static int str(const struct rd *r, const cJSON *o, const char *key, const char *path,
               const char **out)
{
    *out = jsonfile_str(o, key);
    return *out ? 0 : bad(r, "%s: expected a string", path);
}

/* a string or null (*out NULL); absent is null too when optional */
static int str_or_null(const struct rd *r, const cJSON *o, const char *key, const char *path,
                       int optional, const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    *out = cJSON_IsString(v) ? v->valuestring : NULL;
    if (cJSON_IsString(v) || cJSON_IsNull(v) || (!v && optional))
        return 0;
    return bad(r, "%s: expected a string or null", path);
}

/* a finite number in [lo, hi] */
static int num(const struct rd *r, const cJSON *o, const char *key, const char *path, double lo,
               double hi, double *out)
{
    *out = jsonfile_num(o, key);
    if (isnan(*out))
        return bad(r, "%s: expected a number", path);
    if (*out < lo || *out > hi)
        return bad(r, "%s: %.10g is out of range (%g to %g)", path, *out, lo, hi);
    return 0;
}

static int whole(const struct rd *r, const cJSON *o, const char *key, const char *path, int lo,
                 int hi, int *out)
{
    double v;
    if (num(r, o, key, path, lo, hi, &v))
        return -1;
    if (v != floor(v))
        return bad(r, "%s: expected a whole number, got %.10g", path, v);
    *out = (int)v;
    return 0;
}

static int boolean(const struct rd *r, const cJSON *o, const char *key, const char *path, int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsBool(v))
        return bad(r, "%s: expected true or false", path);
    *out = cJSON_IsTrue(v);
    return 0;
}

/* curves.NAME.KEY: minutes finite numbers (owned, *out), or with
 * nullable a null (*out NULL) */
static int series(const struct rd *r, const cJSON *cv, const char *name, const char *key, int n,
                  int nullable, double **out)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(cv, key);
    *out = NULL;
    if (nullable && cJSON_IsNull(a))
        return 0;
    if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != n)
        return bad(r, "curves.%s.%s: expected %d numbers, one per minute%s", name, key, n,
                   nullable ? " (or null: not in the log)" : "");
    double *v = xcalloc((size_t)n, sizeof *v);
    int i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, a)
    {
        if (!cJSON_IsNumber(e) || !isfinite(e->valuedouble) || e->valuedouble < 0) {
            free(v);
            return bad(r, "curves.%s.%s[%d]: expected a number >= 0", name, key, i);
        }
        v[i++] = e->valuedouble;
    }
    *out = v;
    return 0;
}

static int curve(const struct rd *r, const cJSON *curves, int k, int n, struct btres_curve *c)
{
    const char *name = btres_curve_key[k];
    char path[64];
    snprintf(path, sizeof path, "curves.%s", name);
    const cJSON *cv = obj(r, curves, name, path);
    if (!cv || series(r, cv, name, "mean", n, 0, &c->mean) ||
        series(r, cv, name, "p5", n, 0, &c->p5) || series(r, cv, name, "p95", n, 0, &c->p95) ||
        series(r, cv, name, "observed", n, 1, &c->obs))
        return -1;
    int inside = 0;
    c->mean_total = 0;
    c->obs_total = c->obs ? 0 : NAN;
    for (int m = 0; m < n; m++) {
        /* (the mean may lie outside the band: a skewed minute) */
        if (c->p5[m] > c->p95[m])
            return bad(r, "%s: minute %d: p5 %.10g is above p95 %.10g", path, m, c->p5[m],
                       c->p95[m]);
        c->mean_total += c->mean[m];
        if (c->obs) {
            c->obs_total += c->obs[m];
            inside += c->obs[m] >= c->p5[m] - EDGE && c->obs[m] <= c->p95[m] + EDGE;
        }
    }
    snprintf(path, sizeof path, "curves.%s.share_inside_band", name);
    const cJSON *sh = cJSON_GetObjectItemCaseSensitive(cv, "share_inside_band");
    c->inside = NAN;
    c->inside_minutes = inside;
    if (!c->obs)
        return cJSON_IsNull(sh)
                   ? 0
                   : bad(r, "%s: expected null (the curve has no observed values)", path);
    if (num(r, cv, "share_inside_band", path, 0, 1, &c->inside))
        return -1;
    if (fabs(c->inside - (double)inside / n) > EDGE)
        return bad(r,
                   "%s: %.10g, but the observed values are inside the band in %d of %d "
                   "minutes",
                   path, c->inside, inside, n);
    return 0;
}

/* simulated.clear_time_s, and the verdict on the observed clear time */
static int clear_time(const struct rd *r, const cJSON *root, struct btres *b)
{
    const cJSON *sim = obj(r, root, "simulated", "simulated");
    if (!sim || whole(r, sim, "censored_replications", "simulated.censored_replications", 0,
                      b->reps, &b->censored))
        return -1;
    const cJSON *ct = obj(r, sim, "clear_time_s", "simulated.clear_time_s");
    if (!ct)
        return -1;
    b->mean = b->ci_lo = b->ci_hi = b->p2_5 = b->p97_5 = b->at_least = NAN;
    if (b->censored && b->observed_inside)
        return bad(r,
                   "observed_inside_p95: true, but %d replications did not clear (there is "
                   "no interval)",
                   b->censored);
    if (b->censored)
        return num(r, ct, "at_least", "simulated.clear_time_s.at_least", 0, HUGE_VAL, &b->at_least);
    if (num(r, ct, "mean", "simulated.clear_time_s.mean", 0, HUGE_VAL, &b->mean) ||
        num(r, ct, "ci95_lo", "simulated.clear_time_s.ci95_lo", -HUGE_VAL, b->mean, &b->ci_lo) ||
        num(r, ct, "ci95_hi", "simulated.clear_time_s.ci95_hi", b->mean, HUGE_VAL, &b->ci_hi) ||
        num(r, ct, "p2_5", "simulated.clear_time_s.p2_5", 0, HUGE_VAL, &b->p2_5) ||
        num(r, ct, "p97_5", "simulated.clear_time_s.p97_5", b->p2_5, HUGE_VAL, &b->p97_5))
        return -1;
    int inside = b->obs_clear_s >= b->p2_5 && b->obs_clear_s <= b->p97_5;
    if (inside != b->observed_inside)
        return bad(r,
                   "observed_inside_p95: %s, but the observed clear time %.10g s is %s "
                   "p2_5 %.10g .. p97_5 %.10g",
                   b->observed_inside ? "true" : "false", b->obs_clear_s,
                   inside ? "inside" : "outside", b->p2_5, b->p97_5);
    return 0;
}

static int log_part(const struct rd *r, const cJSON *root, struct btres *b)
{
    const cJSON *log = obj(r, root, "log", "log");
    if (!log || str_or_null(r, log, "okta_log", "log.okta_log", 0, &b->okta_log) ||
        str_or_null(r, log, "access_log", "log.access_log", 0, &b->access_log) ||
        str_or_null(r, log, "okta_log_sha256", "log.okta_log_sha256", 1, &b->okta_sha256) ||
        str_or_null(r, log, "access_log_sha256", "log.access_log_sha256", 1, &b->access_sha256) ||
        str_or_null(r, log, "app", "log.app", 1, &b->app) ||
        str_or_null(r, log, "agent", "log.agent", 1, &b->agent))
        return -1;
    if (!b->okta_log && !b->access_log)
        return bad(r, "log: names neither an okta_log nor an access_log");
    b->utc_offset_s = NAN;
    if (cJSON_GetObjectItemCaseSensitive(log, "utc_offset_s") &&
        num(r, log, "utc_offset_s", "log.utc_offset_s", -86400, 86400, &b->utc_offset_s))
        return -1;
    const cJSON *ro = obj(r, log, "rollout", "log.rollout");
    if (!ro || str(r, ro, "start", "log.rollout.start", &b->start) ||
        str(r, ro, "kind", "log.rollout.kind", &b->kind) ||
        num(r, ro, "users", "log.rollout.users", 1, 1e12, &b->users))
        return -1;
    if (cJSON_GetObjectItemCaseSensitive(ro, "start_s"))
        return num(r, ro, "start_s", "log.rollout.start_s", -1e12, 1e12, &b->start_s);
    /* an older file: the minute of the start is all it says */
    int64_t e;
    char why[256];
    if (units_parse_datetime(b->start, &e, why, sizeof why))
        return bad(r, "log.rollout.start: %s", why);
    b->start_s = (double)e;
    return 0;
}

static int parse(const struct rd *r, struct btres *b)
{
    const cJSON *root = b->root;
    if (!cJSON_IsObject(root))
        return bad(r, "expected a JSON object");
    if (str(r, root, "scenario", "scenario", &b->scenario))
        return -1;
    b->provenance = obj(r, root, "provenance", "provenance");
    if (!b->provenance || log_part(r, root, b) ||
        whole(r, root, "replications", "replications", 1, 100000000, &b->reps))
        return -1;
    b->seed = jsonfile_num(b->provenance, "seed");
    const cJSON *o = obj(r, root, "observed", "observed");
    if (!o || num(r, o, "clear_time_s", "observed.clear_time_s", 0, HUGE_VAL, &b->obs_clear_s) ||
        boolean(r, o, "cleared", "observed.cleared", &b->obs_cleared) ||
        boolean(r, root, "observed_inside_p95", "observed_inside_p95", &b->observed_inside) ||
        clear_time(r, root, b) || whole(r, root, "minutes", "minutes", 1, 100000000, &b->minutes))
        return -1;
    const cJSON *curves = obj(r, root, "curves", "curves");
    if (!curves)
        return -1;
    for (int k = 0; k < BTRES_NCURVES; k++)
        if (curve(r, curves, k, b->minutes, &b->c[k]))
            return -1;
    return 0;
}

int btres_read(struct btres *b, const char *dir, char *err, size_t errlen)
{
    memset(b, 0, sizeof *b);
    int unreadable;
    b->root = jsonfile_read_why(dir, RESDIR_BACKTEST_JSON, &unreadable, err, errlen);
    if (!b->root)
        return unreadable ? BTRES_UNREADABLE : BTRES_BAD;
    char *path = file_join(dir, RESDIR_BACKTEST_JSON);
    struct rd r = {path, err, errlen};
    int rc = parse(&r, b);
    free(path);
    if (rc)
        btres_fini(b);
    return rc ? BTRES_BAD : 0;
}

int btres_parse(struct btres *b, const char *text, size_t len, const char *name, char *err,
                size_t errlen)
{
    memset(b, 0, sizeof *b);
    b->root = cJSON_ParseWithLength(text, len);
    struct rd r = {name, err, errlen};
    if (!b->root) {
        bad(&r, "not valid JSON");
        return BTRES_BAD;
    }
    if (parse(&r, b) != 0) {
        btres_fini(b);
        return BTRES_BAD;
    }
    return 0;
}

void btres_fini(struct btres *b)
{
    for (int k = 0; k < BTRES_NCURVES; k++) {
        free(b->c[k].obs);
        free(b->c[k].mean);
        free(b->c[k].p5);
        free(b->c[k].p95);
    }
    cJSON_Delete(b->root);
    memset(b, 0, sizeof *b);
}

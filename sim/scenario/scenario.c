/* scenario.c -- loading and validating scenarios (see scenario.h for the
 * API). The schema is spelled out by the key tables and checks in the
 * parse_* functions below, one per object of the document.
 *
 * Two stages: text -> scn_doc (a cJSON tree; syntax errors get a line and
 * column), then scn_doc -> struct scenario (every value checked, every
 * error naming its key path). The split exists so that --set overrides are
 * applied to the tree, before validation, and are judged by exactly the
 * same rules as the file.
 *
 * Strictness is the point: a scenario that "loads" with a misspelled key
 * silently simulates something else, so unknown keys, duplicate keys (cJSON
 * keeps both), wrong types, non-integers where counts are expected, and
 * infinities (cJSON turns 1e999 into inf) are all refused.
 *
 * Invariants of a scenario filled by scn_from_doc: every number is finite;
 * nlimits <= SRV_MAX_LIMITS and nrollouts <= WL_MAX_ROLLOUTS; each
 * rollout's at_s is in [0, horizon_s); each enabled traffic profile has a
 * positive maximum and its mix sums to 1; 0 < series_step_s <= horizon_s. */
#include "scenario/scenario.h"

#include "scenario/jsonsyntax.h"
#include "base/units.h"
#include "base/util.h"

#include <cjson/cJSON.h>

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The built-in default scenario: configs/default.json, embedded by CMake. */
extern const unsigned char scn_default_json[];
extern const size_t scn_default_json_len;

struct scn_doc {
    cJSON *root; /* owned; always an object */
};

#define MAX_FILE_BYTES (16u * 1024u * 1024u) /* larger is not a scenario */
#define MAX_EXACT_INT 9007199254740992.0     /* 2^53: doubles count exactly */
#define MAX_PEAK_PER_HOUR 1e7                /* absurd-size guard */
#define MAX_RETRY_ATTEMPTS 1e6
#define MIN_POSITIVE 1e-9                    /* smallest "> 0" value: see check_bounds */
#define MAX_SERIES_ROWS 1e7                  /* horizon / series_step */

#ifdef __GNUC__
#define SCN_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SCN_PRINTF(f, a)
#endif

/* ---- error context: where in the document we are ---------------------- */

struct ctx {
    char *err;
    size_t errlen;
    char path[256]; /* key path of the value being checked, "" at the top */
    size_t len;
};

/* Messages quote what the user wrote (an unknown key, a bad value), and a
 * JSON escape such as \u001b can put a terminal control sequence there:
 * control characters (C0, DEL, and C1 as UTF-8) become '?' so a message
 * prints as the one line of text it is. */
static void scrub(char *msg)
{
    for (unsigned char *p = (unsigned char *)msg; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            *p = '?';
        else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
            p[0] = p[1] = '?';
    }
}

static int fail(struct ctx *c, const char *fmt, ...) SCN_PRINTF(2, 3);

/* Writes "PATH: message" into the caller's buffer; returns -1. */
static int fail(struct ctx *c, const char *fmt, ...)
{
    char msg[SCN_ERRLEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->err && c->errlen > 0) {
        snprintf(c->err, c->errlen, "%s: %s", c->len ? c->path : "top level", msg);
        scrub(c->err);
    }
    return -1;
}

static size_t push(struct ctx *c, const char *fmt, const char *key, int index)
{
    size_t mark = c->len;
    size_t room = sizeof c->path - c->len;
    int n;
    if (key)
        n = snprintf(c->path + c->len, room, "%s%s", c->len ? "." : "", key);
    else
        n = snprintf(c->path + c->len, room, "[%d]", index);
    (void)fmt;
    if (n > 0)
        c->len += (size_t)n < room ? (size_t)n : room - 1;
    return mark;
}

static size_t push_key(struct ctx *c, const char *key)
{
    return push(c, "%s%s", key, 0);
}

static size_t push_index(struct ctx *c, int i)
{
    return push(c, "[%d]", NULL, i);
}

static void pop(struct ctx *c, size_t mark)
{
    c->len = mark;
    c->path[mark] = '\0';
}

/* ---- names, suggestions and key checks ------------------------------- */

static const char *type_of(const cJSON *it)
{
    if (cJSON_IsString(it))
        return "a string";
    if (cJSON_IsNumber(it))
        return "a number";
    if (cJSON_IsBool(it))
        return "a boolean";
    if (cJSON_IsNull(it))
        return "null";
    if (cJSON_IsArray(it))
        return "an array";
    if (cJSON_IsObject(it))
        return "an object";
    return "an invalid value";
}

static int find_name(const char *const *names, const char *s)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

/* Optimal-string-alignment distance (Levenshtein plus adjacent swaps, so
 * "bacth_size" is one edit from "batch_size"). Names longer than 63
 * characters are not typos of ours: they get a large distance. */
static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 1000;
    int d[64][64];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            int cost = a[i - 1] != b[j - 1];
            int v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[la][lb];
}

/* Equal ignoring underscores and case: "batchSize", "BatchSize" and
 * "batchsize" all mean batch_size, whatever the edit distance. */
static int same_squashed(const char *a, const char *b)
{
    for (;;) {
        while (*a == '_')
            a++;
        while (*b == '_')
            b++;
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
        if (x != y)
            return 0;
        if (!x)
            return 1;
        a++;
        b++;
    }
}

/* The known name s was most likely meant as, or NULL. Two edits is the
 * threshold, but never as many edits as the name has letters: otherwise
 * every unknown two-letter key would "mean" "at". */
static const char *suggest(const char *s, const char *const *names)
{
    const char *best = NULL;
    int best_d = 3;
    for (int i = 0; names[i]; i++) {
        int d = same_squashed(s, names[i]) ? 0 : edit_distance(s, names[i]);
        if (d < best_d && d < (int)strlen(names[i])) {
            best = names[i];
            best_d = d;
        }
    }
    return best;
}

/* Formats ` (did you mean "x"?)` or nothing into buf. */
static const char *did_you_mean(char *buf, size_t len, const char *s, const char *const *names)
{
    const char *g = suggest(s, names);
    if (g)
        snprintf(buf, len, " (did you mean \"%s\"?)", g);
    else
        buf[0] = '\0';
    return buf;
}

/* Every key of obj must be one of known (NULL-terminated), at most once.
 * One pass, O(keys * known), so a hostile object with a million keys fails
 * fast at its first unknown or repeated key. */
static int check_keys(struct ctx *c, const cJSON *obj, const char *const *known)
{
    unsigned long long seen = 0;
    for (const cJSON *k = obj->child; k; k = k->next) {
        int i = find_name(known, k->string);
        char hint[96];
        if (i < 0)
            return fail(c, "unknown key \"%.60s\"%s", k->string,
                        did_you_mean(hint, sizeof hint, k->string, known));
        if (seen & (1ull << i))
            return fail(c, "duplicate key \"%s\"", k->string);
        seen |= 1ull << i;
    }
    return 0;
}

/* After check_keys against the union of every variant's keys: the keys
 * that the chosen variant (a limit type, a retry policy, a distribution)
 * does not take are unknown too, named with the variant. */
static int only_keys(struct ctx *c, const cJSON *obj, const char *const *allowed,
                     const char *what)
{
    for (const cJSON *k = obj->child; k; k = k->next)
        if (find_name(allowed, k->string) < 0)
            return fail(c, "unknown key \"%s\" for %s", k->string, what);
    return 0;
}

/* ---- value checks ------------------------------------------------------ */

/* Allowed range of a number; hi = INFINITY for none. */
struct bounds {
    double lo, hi;
    int lo_open, hi_open;
};

static struct bounds any(void)
{
    return (struct bounds){-INFINITY, INFINITY, 0, 0};
}
static struct bounds gt(double lo)
{
    return (struct bounds){lo, INFINITY, 1, 0};
}
static struct bounds ge(double lo)
{
    return (struct bounds){lo, INFINITY, 0, 0};
}
static struct bounds in_cc(double lo, double hi)
{
    return (struct bounds){lo, hi, 0, 0};
}
static struct bounds in_co(double lo, double hi)
{
    return (struct bounds){lo, hi, 0, 1};
}
static struct bounds in_oc(double lo, double hi)
{
    return (struct bounds){lo, hi, 1, 0};
}

/* A number for a message; durations in the largest unit that divides
 * them ("366d", "90s"), so a message quotes limits the way they are
 * written. */
static const char *show(char *buf, size_t len, double v, int dur)
{
    if (!dur || v == 0) {
        /* Whole numbers in full (2^53 as 9007199254740992, not 9.007e+15). */
        if (v == floor(v) && fabs(v) < 1e17)
            snprintf(buf, len, "%.0f", v);
        else
            snprintf(buf, len, "%.15g", v);
    } else {
        static const struct {
            double s;
            const char *u;
        } u[] = {{86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}};
        size_t i = 0;
        while (i < 3 && fmod(v, u[i].s) != 0)
            i++;
        snprintf(buf, len, "%.15g%s", v / u[i].s, u[i].u);
    }
    return buf;
}

static int check_bounds(struct ctx *c, double v, struct bounds b, int dur)
{
    int lo_ok = b.lo_open ? v > b.lo : v >= b.lo;
    int hi_ok = b.hi_open ? v < b.hi : v <= b.hi;
    char lo[48], hi[48], got[48];
    /* "> 0" means a real size: 1e-310 (a subnormal) passes "> 0" but makes
     * 1/x infinite in the models, so it is as wrong as 0 */
    if (lo_ok && hi_ok && b.lo_open && b.lo == 0 && v < MIN_POSITIVE) {
        show(got, sizeof got, v, dur);
        show(lo, sizeof lo, MIN_POSITIVE, dur);
        return fail(c, "must be > 0 (got %s, too small to be meant: at least %s)", got, lo);
    }
    if (lo_ok && hi_ok)
        return 0;
    show(lo, sizeof lo, b.lo, dur);
    show(hi, sizeof hi, b.hi, dur);
    show(got, sizeof got, v, dur);
    if (isinf(b.hi))
        return fail(c, "must be %s %s (got %s)", b.lo_open ? ">" : ">=", lo, got);
    if (!b.lo_open && !b.hi_open)
        return fail(c, "must be between %s and %s (got %s)", lo, hi, got);
    return fail(c, "must be %s %s and %s %s (got %s)", b.lo_open ? ">" : ">=", lo,
                b.hi_open ? "<" : "<=", hi, got);
}

/* A copy of a label (a scenario's or a limiter's name) with every control
 * character shown as a space: names reach terminals, CSV files, charts and
 * reports, where an escape sequence or a line break would do harm. */
static char *label_dup(const char *s)
{
    char *d = xstrdup(s);
    for (unsigned char *p = (unsigned char *)d; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            *p = ' ';
    return d;
}

static int val_string(struct ctx *c, const cJSON *it, int nonempty, const char **out)
{
    if (!cJSON_IsString(it))
        return fail(c, "expected a string, got %s", type_of(it));
    if (nonempty && !it->valuestring[0])
        return fail(c, "must not be empty");
    *out = it->valuestring;
    return 0;
}

static int val_number(struct ctx *c, const cJSON *it, struct bounds b, double *out)
{
    if (!cJSON_IsNumber(it))
        return fail(c, "expected a number, got %s", type_of(it));
    if (!isfinite(it->valuedouble))
        return fail(c, "must be a finite number");
    if (check_bounds(c, it->valuedouble, b, 0))
        return -1;
    *out = it->valuedouble;
    return 0;
}

static int val_integer(struct ctx *c, const cJSON *it, struct bounds b, double *out)
{
    if (!cJSON_IsNumber(it))
        return fail(c, "expected an integer, got %s", type_of(it));
    double v = it->valuedouble;
    if (!isfinite(v))
        return fail(c, "must be a finite number");
    if (v != floor(v))
        return fail(c, "expected an integer, got %.15g", v);
    if (check_bounds(c, v, b, 0))
        return -1;
    *out = v;
    return 0;
}

static int val_duration(struct ctx *c, const cJSON *it, struct bounds b, double *out)
{
    double v;
    if (cJSON_IsNumber(it)) {
        v = it->valuedouble;
        if (!isfinite(v))
            return fail(c, "must be a finite number");
        if (v < 0)
            return fail(c, "a duration must not be negative (got %.15g)", v);
    } else if (cJSON_IsString(it)) {
        char msg[SCN_ERRLEN];
        if (units_parse_duration(it->valuestring, &v, msg, sizeof msg))
            return fail(c, "%s", msg);
    } else {
        return fail(c, "expected a duration (seconds, or a string like \"90s\"), got %s",
                    type_of(it));
    }
    if (check_bounds(c, v, b, 1))
        return -1;
    *out = v;
    return 0;
}

/* "600/min" and friends. The count is a plain decimal, as in durations. */
static int parse_rate_text(const char *s, double *per_s)
{
    static const struct {
        const char *unit;
        double s;
    } units[] = {{"s", 1},         {"sec", 1},       {"second", 1}, {"min", 60}, {"minute", 60},
                 {"h", 3600},      {"hour", 3600},   {"d", 86400},  {"day", 86400}};
    size_t n = strspn(s, "0123456789."), dots = 0;
    for (size_t i = 0; i < n; i++)
        dots += s[i] == '.';
    if (n == 0 || n > 40 || s[0] == '.' || s[n - 1] == '.' || dots > 1)
        return -1;
    char num[48];
    memcpy(num, s, n);
    num[n] = '\0';
    double v = strtod(num, NULL);
    if (s[n] == '\0') {
        *per_s = v;
        return 0;
    }
    if (s[n] != '/')
        return -1;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(s + n + 1, units[i].unit) == 0) {
            *per_s = v / units[i].s;
            return 0;
        }
    }
    return -1;
}

static int val_rate(struct ctx *c, const cJSON *it, struct bounds b, double *out)
{
    double v;
    if (cJSON_IsNumber(it)) {
        v = it->valuedouble;
        if (!isfinite(v))
            return fail(c, "must be a finite number");
    } else if (cJSON_IsString(it)) {
        if (parse_rate_text(it->valuestring, &v))
            return fail(c,
                        "\"%.60s\" is not a rate (expected a number per second or "
                        "\"N/unit\" with unit s, min, h or d, e.g. \"600/min\")",
                        it->valuestring);
    } else {
        return fail(c, "expected a rate (per second, or a string like \"600/min\"), got %s",
                    type_of(it));
    }
    if (check_bounds(c, v, b, 0))
        return -1;
    *out = v;
    return 0;
}

/* A string from names (NULL-terminated); *out is its index. */
static int val_enum(struct ctx *c, const cJSON *it, const char *const *names, int *out)
{
    char list[256] = "";
    size_t used = 0;
    for (int i = 0; names[i] && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s\"%s\"", i ? ", " : "",
                                 names[i]);
    if (!cJSON_IsString(it))
        return fail(c, "expected one of %s, got %s", list, type_of(it));
    int i = find_name(names, it->valuestring);
    if (i < 0) {
        char hint[96];
        return fail(c, "must be one of %s (got \"%.60s\")%s", list, it->valuestring,
                    did_you_mean(hint, sizeof hint, it->valuestring, names));
    }
    *out = i;
    return 0;
}

/* ---- keyed access: look up obj[key] and check it with the key on the path.
 * Each returns 1 (present, *out set), 0 (absent and optional: *out keeps
 * the caller's default) or -1 (error written). */

static int lookup(struct ctx *c, const cJSON *obj, const char *key, int required,
                  const cJSON **it, size_t *mark)
{
    *mark = push_key(c, key);
    *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (*it)
        return 1;
    if (required)
        return fail(c, "missing required key");
    pop(c, *mark);
    return 0;
}

static int get_string(struct ctx *c, const cJSON *obj, const char *key, int required,
                      int nonempty, const char **out)
{
    const cJSON *it;
    size_t m;
    int rc = lookup(c, obj, key, required, &it, &m);
    if (rc <= 0)
        return rc;
    if (val_string(c, it, nonempty, out))
        return -1;
    pop(c, m);
    return 1;
}

static int get_bool(struct ctx *c, const cJSON *obj, const char *key, int *out)
{
    const cJSON *it;
    size_t m;
    int rc = lookup(c, obj, key, 0, &it, &m);
    if (rc <= 0)
        return rc;
    if (!cJSON_IsBool(it))
        return fail(c, "expected true or false, got %s", type_of(it));
    *out = cJSON_IsTrue(it);
    pop(c, m);
    return 1;
}

enum vkind { V_NUMBER, V_INTEGER, V_DURATION, V_RATE };

static int get_num(struct ctx *c, const cJSON *obj, const char *key, int required,
                   enum vkind kind, struct bounds b, double *out)
{
    const cJSON *it;
    size_t m;
    int rc = lookup(c, obj, key, required, &it, &m);
    if (rc <= 0)
        return rc;
    switch (kind) {
    case V_NUMBER:
        rc = val_number(c, it, b, out);
        break;
    case V_INTEGER:
        rc = val_integer(c, it, b, out);
        break;
    case V_DURATION:
        rc = val_duration(c, it, b, out);
        break;
    case V_RATE:
        rc = val_rate(c, it, b, out);
        break;
    }
    if (rc)
        return -1;
    pop(c, m);
    return 1;
}

static int get_enum(struct ctx *c, const cJSON *obj, const char *key, int required,
                    const char *const *names, int *out)
{
    const cJSON *it;
    size_t m;
    int rc = lookup(c, obj, key, required, &it, &m);
    if (rc <= 0)
        return rc;
    if (val_enum(c, it, names, out))
        return -1;
    pop(c, m);
    return 1;
}

/* Enters obj[key], an object (or an array if want_array): on 1 the key
 * stays on the path until the caller pops *mark. */
static int enter(struct ctx *c, const cJSON *obj, const char *key, int required,
                 int want_array, const cJSON **out, size_t *mark)
{
    int rc = lookup(c, obj, key, required, out, mark);
    if (rc <= 0)
        return rc;
    if (want_array ? !cJSON_IsArray(*out) : !cJSON_IsObject(*out))
        return fail(c, "expected %s, got %s", want_array ? "an array" : "an object",
                    type_of(*out));
    return 1;
}

/* ---- the schema --------------------------------------------------------- */

/* Names in enum order, so a name's index is its enum value. The modules
 * own parsers too (lim_type_parse, ...), but messages need the whole list
 * ("must be one of ...") and did-you-mean needs the candidates. */
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
static const char *const policy_names[] = {[RETRY_POLICY_RETRY_AFTER] = "retry_after",
                                           [RETRY_POLICY_EXPONENTIAL] = "exponential",
                                           [RETRY_POLICY_FIXED] = "fixed",
                                           NULL};
static const char *const jitter_names[] = {[JITTER_NONE] = "none",
                                           [JITTER_FULL] = "full",
                                           [JITTER_EQUAL] = "equal",
                                           [JITTER_DECORRELATED] = "decorrelated",
                                           NULL};
static const char *const ra_mode_names[] = {[SRV_RA_LIMITER] = "limiter",
                                            [SRV_RA_FIXED] = "fixed", NULL};
static const char *const on_429_names[] = {[CLIENT_ON_429_JOB] = "job",
                                           [CLIENT_ON_429_PAUSE_ALL] = "pause_all", NULL};
static const char *const kind_names[] = {[JOB_KIND_CREATE] = "create", [JOB_KIND_UPDATE] = "update",
                                         [JOB_KIND_DEACTIVATE] = "deactivate", NULL};

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

static int parse_applies_to(struct ctx *c, const cJSON *obj, unsigned *mask)
{
    const cJSON *arr;
    size_t m;
    int rc = enter(c, obj, "applies_to", 0, 1, &arr, &m);
    if (rc <= 0)
        return rc;
    if (cJSON_GetArraySize(arr) == 0)
        return fail(c, "must list at least one kind (leave applies_to out for all kinds)");
    *mask = 0;
    int i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        size_t mi = push_index(c, i);
        int k;
        if (val_enum(c, it, kind_names, &k))
            return -1;
        if (*mask & JOB_KIND_MASK(k))
            return fail(c, "duplicate kind \"%s\"", kind_names[k]);
        *mask |= JOB_KIND_MASK(k);
        pop(c, mi);
    }
    pop(c, m);
    return 1;
}

static int parse_limit(struct ctx *c, const cJSON *o, struct lim_cfg *l)
{
    static const char *const all[] = {"type",  "name", "applies_to", "limit",       "window",
                                      "rate",  "burst", "retry_after", NULL};
    static const char *const windowed[] = {"type", "name", "applies_to", "limit", "window", NULL};
    static const char *const bucket[] = {"type", "name", "applies_to", "rate", "burst", NULL};
    static const char *const conc[] = {"type", "name", "applies_to", "limit", "retry_after",
                                       NULL};
    static const char *const *const by_type[] = {[LIM_FIXED_WINDOW] = windowed,
                                                 [LIM_TOKEN_BUCKET] = bucket,
                                                 [LIM_SLIDING_WINDOW] = windowed,
                                                 [LIM_CONCURRENCY] = conc};
    if (!cJSON_IsObject(o))
        return fail(c, "expected an object, got %s", type_of(o));
    if (check_keys(c, o, all))
        return -1;
    int type;
    if (get_enum(c, o, "type", 1, lim_names, &type) < 0)
        return -1;
    char what[64];
    snprintf(what, sizeof what, "a %s limit", lim_names[type]);
    if (only_keys(c, o, by_type[type], what))
        return -1;
    l->type = (enum lim_type)type;
    const char *name;
    int has_name = get_string(c, o, "name", 0, 1, &name);
    if (has_name < 0)
        return -1;
    if (has_name)
        l->name = label_dup(name);
    l->applies_mask = JOB_KIND_MASK_ALL;
    if (parse_applies_to(c, o, &l->applies_mask) < 0)
        return -1;
    switch (l->type) {
    case LIM_FIXED_WINDOW:
    case LIM_SLIDING_WINDOW:
        if (get_num(c, o, "limit", 1, V_INTEGER, in_cc(1, MAX_EXACT_INT), &l->limit) < 0 ||
            get_num(c, o, "window", 1, V_DURATION, gt(0), &l->window_s) < 0)
            return -1;
        break;
    case LIM_TOKEN_BUCKET:
        if (get_num(c, o, "rate", 1, V_RATE, gt(0), &l->rate_per_s) < 0 ||
            get_num(c, o, "burst", 1, V_NUMBER, ge(1), &l->burst) < 0)
            return -1;
        break;
    case LIM_CONCURRENCY:
        if (get_num(c, o, "limit", 1, V_INTEGER, in_cc(1, MAX_EXACT_INT), &l->concurrency) < 0 ||
            get_num(c, o, "retry_after", 1, V_DURATION, ge(0), &l->retry_after_s) < 0)
            return -1;
        break;
    }
    return 0;
}

static int parse_retry_after(struct ctx *c, const cJSON *o, struct srv_cfg *sv)
{
    static const char *const keys[] = {"mode", "value", "jitter", NULL};
    if (check_keys(c, o, keys))
        return -1;
    int mode = SRV_RA_LIMITER;
    if (get_enum(c, o, "mode", 0, ra_mode_names, &mode) < 0)
        return -1;
    sv->ra_mode = (enum srv_ra_mode)mode;
    if (mode == SRV_RA_FIXED) {
        if (get_num(c, o, "value", 1, V_DURATION, ge(0), &sv->ra_fixed_s) < 0)
            return -1;
    } else if (cJSON_GetObjectItemCaseSensitive(o, "value")) {
        push_key(c, "value");
        return fail(c, "only allowed with mode \"fixed\" (mode \"limiter\" sends each "
                       "limiter's own Retry-After)");
    }
    return get_num(c, o, "jitter", 0, V_DURATION, ge(0), &sv->ra_jitter_s) < 0 ? -1 : 0;
}

static int parse_latency(struct ctx *c, const cJSON *o, struct dist *d)
{
    static const char *const all[] = {"dist", "value", "mean", "median", "p95",
                                      "cv",   "min",   "max",  NULL};
    static const char *const params[][4] = {[DIST_CONSTANT] = {"value", NULL},
                                            [DIST_EXPONENTIAL] = {"mean", NULL},
                                            [DIST_LOGNORMAL] = {"median", "p95", NULL},
                                            [DIST_GAMMA] = {"mean", "cv", NULL},
                                            [DIST_UNIFORM] = {"min", "max", NULL}};
    if (check_keys(c, o, all))
        return -1;
    int type;
    if (get_enum(c, o, "dist", 1, dist_names, &type) < 0)
        return -1;
    const char *allowed[5] = {"dist", params[type][0], params[type][1], NULL, NULL};
    char what[64];
    snprintf(what, sizeof what, "dist \"%s\"", dist_names[type]);
    if (only_keys(c, o, allowed, what))
        return -1;
    /* Durations here are only parsed (>= 0); how they must relate (p95 >
     * median, ...) is the distribution's business, checked once in dist.c. */
    double p[2] = {0, 0};
    for (int i = 0; i < 2 && params[type][i]; i++) {
        int is_cv = strcmp(params[type][i], "cv") == 0;
        if (get_num(c, o, params[type][i], 1, is_cv ? V_NUMBER : V_DURATION, any(), &p[i]) < 0)
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
            push_key(c, params[type][i]);
            return fail(c, "%s", rest);
        }
    }
    return fail(c, "%s", msg);
}

static int parse_server(struct ctx *c, const cJSON *o, struct srv_cfg *sv)
{
    static const char *const keys[] = {"limits",         "retry_after", "latency",
                                       "reject_latency", "error_rate",  "count_rejected",
                                       NULL};
    if (check_keys(c, o, keys))
        return -1;

    const cJSON *arr, *sub;
    size_t m;
    if (enter(c, o, "limits", 1, 1, &arr, &m) < 0)
        return -1;
    int n = cJSON_GetArraySize(arr);
    if (n > SRV_MAX_LIMITS)
        return fail(c, "%d limits is more than the limit of %d", n, SRV_MAX_LIMITS);
    for (const cJSON *it = arr->child; it; it = it->next) {
        size_t mi = push_index(c, sv->nlimits);
        /* Counted before it is filled, so scn_fini frees a name taken by a
         * limit that then fails. */
        struct lim_cfg *l = &sv->limits[sv->nlimits++];
        if (parse_limit(c, it, l))
            return -1;
        pop(c, mi);
    }
    pop(c, m);

    sv->ra_mode = SRV_RA_LIMITER;
    int rc = enter(c, o, "retry_after", 0, 0, &sub, &m);
    if (rc < 0 || (rc == 1 && parse_retry_after(c, sub, sv)))
        return -1;
    if (rc == 1)
        pop(c, m);

    if (enter(c, o, "latency", 1, 0, &sub, &m) < 0 || parse_latency(c, sub, &sv->latency))
        return -1;
    pop(c, m);

    if (get_num(c, o, "reject_latency", 0, V_DURATION, ge(0), &sv->reject_latency_s) < 0 ||
        get_num(c, o, "error_rate", 0, V_NUMBER, in_co(0, 1), &sv->error_rate) < 0 ||
        get_bool(c, o, "count_rejected", &sv->count_rejected) < 0)
        return -1;
    return 0;
}

/* cap >= base, with the message saying when cap is a default. */
static int check_cap(struct ctx *c, const cJSON *o, const struct retry_cfg *r)
{
    if (r->cap_s >= r->base_s)
        return 0;
    char b[48], k[48];
    show(b, sizeof b, r->base_s, 1);
    show(k, sizeof k, r->cap_s, 1);
    push_key(c, "cap");
    if (!cJSON_GetObjectItemCaseSensitive(o, "cap"))
        return fail(c, "the default %s is less than base (%s): give a cap", k, b);
    return fail(c, "must be >= base (%s) (got %s)", b, k);
}

static int parse_retry(struct ctx *c, const cJSON *o, struct retry_cfg *r)
{
    static const char *const all[] = {"policy", "max_attempts", "jitter", "base", "cap",
                                      "respect_retry_after", "delay", NULL};
    static const char *const after[] = {"policy", "max_attempts", "jitter", NULL};
    static const char *const expo[] = {"policy", "max_attempts",       "base", "cap",
                                       "jitter", "respect_retry_after", NULL};
    static const char *const fixed[] = {"policy", "max_attempts", "delay", "jitter", NULL};
    static const char *const *const by_policy[] = {[RETRY_POLICY_RETRY_AFTER] = after,
                                                   [RETRY_POLICY_EXPONENTIAL] = expo,
                                                   [RETRY_POLICY_FIXED] = fixed};
    if (check_keys(c, o, all))
        return -1;
    int policy;
    if (get_enum(c, o, "policy", 1, policy_names, &policy) < 0)
        return -1;
    char what[64];
    snprintf(what, sizeof what, "policy \"%s\"", policy_names[policy]);
    if (only_keys(c, o, by_policy[policy], what))
        return -1;
    r->policy = (enum retry_policy)policy;
    double max_attempts = 0;
    if (get_num(c, o, "max_attempts", 0, V_INTEGER, in_cc(0, MAX_RETRY_ATTEMPTS),
                &max_attempts) < 0)
        return -1;
    r->max_attempts = (unsigned)max_attempts;
    switch (r->policy) {
    case RETRY_POLICY_RETRY_AFTER:
        return get_num(c, o, "jitter", 0, V_DURATION, ge(0), &r->jitter_s) < 0 ? -1 : 0;
    case RETRY_POLICY_EXPONENTIAL: {
        int jitter = JITTER_FULL, respect = 0;
        r->base_s = 1;
        r->cap_s = 3600;
        if (get_num(c, o, "base", 0, V_DURATION, gt(0), &r->base_s) < 0 ||
            get_num(c, o, "cap", 0, V_DURATION, gt(0), &r->cap_s) < 0 ||
            get_enum(c, o, "jitter", 0, jitter_names, &jitter) < 0 ||
            get_bool(c, o, "respect_retry_after", &respect) < 0 || check_cap(c, o, r))
            return -1;
        r->jitter = (enum retry_jitter)jitter;
        r->respect_retry_after = respect;
        return 0;
    }
    case RETRY_POLICY_FIXED:
        if (get_num(c, o, "delay", 1, V_DURATION, gt(0), &r->delay_s) < 0 ||
            get_num(c, o, "jitter", 0, V_DURATION, ge(0), &r->jitter_s) < 0)
            return -1;
        return 0;
    }
    return 0;
}

static int parse_error_retry(struct ctx *c, const cJSON *o, struct retry_cfg *r)
{
    static const char *const keys[] = {"base", "cap", "jitter", NULL};
    if (check_keys(c, o, keys))
        return -1;
    int jitter = JITTER_FULL;
    if (get_num(c, o, "base", 0, V_DURATION, gt(0), &r->base_s) < 0 ||
        get_num(c, o, "cap", 0, V_DURATION, gt(0), &r->cap_s) < 0 ||
        get_enum(c, o, "jitter", 0, jitter_names, &jitter) < 0 || check_cap(c, o, r))
        return -1;
    r->jitter = (enum retry_jitter)jitter;
    return 0;
}

static int parse_client(struct ctx *c, const cJSON *o, struct client_cfg *cl)
{
    static const char *const keys[] = {"workers", "max_rate", "on_429", "retry", "error_retry",
                                       NULL};
    if (check_keys(c, o, keys))
        return -1;
    double workers;
    int on_429 = CLIENT_ON_429_JOB;
    if (get_num(c, o, "workers", 1, V_INTEGER, in_cc(1, SCN_MAX_WORKERS), &workers) < 0 ||
        get_num(c, o, "max_rate", 0, V_RATE, gt(0), &cl->max_rate_per_s) < 0 ||
        get_enum(c, o, "on_429", 0, on_429_names, &on_429) < 0)
        return -1;
    cl->workers = (int)workers;
    cl->on_429 = (enum client_on_429)on_429;

    const cJSON *sub;
    size_t m;
    cl->retry.policy = RETRY_POLICY_RETRY_AFTER; /* the rest stays 0 */
    int rc = enter(c, o, "retry", 0, 0, &sub, &m);
    if (rc < 0 || (rc == 1 && parse_retry(c, sub, &cl->retry)))
        return -1;
    if (rc == 1)
        pop(c, m);

    /* 5xx retries are always exponential (nothing to wait for otherwise)
     * and share the job's attempt budget with 429 retries. */
    cl->error_retry.policy = RETRY_POLICY_EXPONENTIAL;
    cl->error_retry.base_s = 1;
    cl->error_retry.cap_s = 300;
    cl->error_retry.jitter = JITTER_FULL;
    cl->error_retry.max_attempts = cl->retry.max_attempts;
    rc = enter(c, o, "error_retry", 0, 0, &sub, &m);
    if (rc < 0 || (rc == 1 && parse_error_retry(c, sub, &cl->error_retry)))
        return -1;
    if (rc == 1)
        pop(c, m);
    return 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* A rollout's "at": "HH:MM" (the first such time at or after start), "+2h"
 * (after start) or a full date-time; must fall inside [start, horizon). */
static int parse_at(struct ctx *c, const cJSON *it, const struct scenario *s, double *at_s)
{
    if (!cJSON_IsString(it))
        return fail(c, "expected \"HH:MM\", \"+DURATION\" or \"YYYY-MM-DDTHH:MM\", got %s",
                    type_of(it));
    const char *str = it->valuestring;
    char msg[SCN_ERRLEN];
    double at;
    if (str[0] == '+') {
        if (units_parse_duration(str + 1, &at, msg, sizeof msg))
            return fail(c, "%s", msg);
    } else if (strchr(str, 'T')) {
        int64_t epoch;
        if (units_parse_datetime(str, &epoch, msg, sizeof msg))
            return fail(c, "%s", msg);
        if (epoch < s->start_epoch_s) {
            char st[32];
            units_format_datetime(s->start_epoch_s, st, sizeof st);
            return fail(c, "%s is before the start (%s)", str, st);
        }
        at = (double)(epoch - s->start_epoch_s);
    } else if (strchr(str, ':')) {
        double sod;
        if (units_parse_clock(str, &sod, msg, sizeof msg))
            return fail(c, "%s", msg);
        int64_t start_sod = s->start_epoch_s - floor_div(s->start_epoch_s, 86400) * 86400;
        at = sod - (double)start_sod;
        if (at < 0)
            at += 86400; /* already past today: the same time tomorrow */
    } else {
        return fail(c, "\"%.60s\" is not a time (expected \"HH:MM\", \"+DURATION\" or "
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
        return fail(c, "%s is %s the horizon (%s)", when, at > s->horizon_s ? "after" : "at",
                    end);
    }
    *at_s = at;
    return 0;
}

static int parse_rollout(struct ctx *c, const cJSON *o, const struct scenario *s,
                         struct wl_rollout *r)
{
    static const char *const keys[] = {"kind", "users", "at", "batch_size", "batch_interval",
                                       NULL};
    if (!cJSON_IsObject(o))
        return fail(c, "expected an object, got %s", type_of(o));
    if (check_keys(c, o, keys))
        return -1;
    int kind;
    double users, batch = 0;
    if (get_enum(c, o, "kind", 1, kind_names, &kind) < 0 ||
        get_num(c, o, "users", 1, V_INTEGER, in_cc(1, (double)SCN_MAX_USERS), &users) < 0)
        return -1;
    r->kind = (enum job_kind)kind;
    r->users = (long)users;
    const cJSON *it;
    size_t m;
    if (lookup(c, o, "at", 1, &it, &m) < 0 || parse_at(c, it, s, &r->at_s))
        return -1;
    pop(c, m);
    int has_batch = get_num(c, o, "batch_size", 0, V_INTEGER, in_cc(1, MAX_EXACT_INT), &batch);
    if (has_batch < 0)
        return -1;
    int batched = has_batch && batch < users;
    r->batch_size = batched ? (long)batch : 0;
    if (batched && !cJSON_GetObjectItemCaseSensitive(o, "batch_interval")) {
        push_key(c, "batch_interval");
        return fail(c, "missing required key (batch_size %ld is less than users %ld)",
                    (long)batch, r->users);
    }
    return get_num(c, o, "batch_interval", 0, V_DURATION, gt(0), &r->batch_interval_s) < 0 ? -1
                                                                                         : 0;
}

static int parse_rollouts(struct ctx *c, const cJSON *arr, struct scenario *s)
{
    int n = cJSON_GetArraySize(arr);
    if (n > WL_MAX_ROLLOUTS)
        return fail(c, "%d rollouts is more than the limit of %d", n, WL_MAX_ROLLOUTS);
    long long total = 0;
    for (const cJSON *it = arr->child; it; it = it->next) {
        size_t m = push_index(c, s->nrollouts);
        struct wl_rollout *r = &s->rollouts[s->nrollouts];
        if (parse_rollout(c, it, s, r))
            return -1;
        total += r->users;
        s->nrollouts++;
        pop(c, m);
    }
    if (total > SCN_MAX_USERS)
        return fail(c, "%lld users in all is more than the limit of %ld", total, SCN_MAX_USERS);
    return 0;
}

static int parse_hourly(struct ctx *c, const cJSON *o, const char *key, double out[24])
{
    const cJSON *arr;
    size_t m;
    if (enter(c, o, key, 1, 1, &arr, &m) < 0)
        return -1;
    int n = cJSON_GetArraySize(arr);
    if (n != 24)
        return fail(c, "expected 24 hourly rates, got %d", n);
    int h = 0;
    for (const cJSON *it = arr->child; it; it = it->next, h++) {
        size_t mi = push_index(c, h);
        if (val_number(c, it, in_cc(0, MAX_PEAK_PER_HOUR), &out[h]))
            return -1;
        pop(c, mi);
    }
    pop(c, m);
    return 0;
}

static int parse_mix(struct ctx *c, const cJSON *o, double mix[JOB_KIND_COUNT])
{
    if (check_keys(c, o, kind_names))
        return -1;
    double sum = 0;
    for (int k = 0; k < JOB_KIND_COUNT; k++) {
        mix[k] = 0; /* a kind left out of a given mix does not occur */
        if (get_num(c, o, kind_names[k], 0, V_NUMBER, in_cc(0, 1e12), &mix[k]) < 0)
            return -1;
        sum += mix[k];
    }
    if (!(sum > 0))
        return fail(c, "weights must not all be 0");
    for (int k = 0; k < JOB_KIND_COUNT; k++)
        mix[k] /= sum;
    return 0;
}

static int parse_traffic(struct ctx *c, const cJSON *o, struct wl_traffic *t)
{
    static const char *const keys[] = {"shape", "peak_per_hour", "weekday", "weekend", "mix",
                                       NULL};
    if (check_keys(c, o, keys))
        return -1;
    int by_shape = cJSON_GetObjectItemCaseSensitive(o, "shape") ||
                   cJSON_GetObjectItemCaseSensitive(o, "peak_per_hour");
    int by_table = cJSON_GetObjectItemCaseSensitive(o, "weekday") ||
                   cJSON_GetObjectItemCaseSensitive(o, "weekend");
    struct wl_profile *p = &t->profile;
    if (by_shape && by_table)
        return fail(c, "give either shape and peak_per_hour, or weekday and weekend, not both");
    if (by_table) {
        if (parse_hourly(c, o, "weekday", p->weekday) || parse_hourly(c, o, "weekend", p->weekend))
            return -1;
        if (!(wl_profile_max_rate(p) > 0))
            return fail(c, "every hourly rate is 0 (leave the key out for no traffic)");
    } else {
        int shape;
        double peak;
        if (!by_shape) {
            push_key(c, "shape");
            return fail(c, "missing required key (or give weekday and weekend)");
        }
        if (get_enum(c, o, "shape", 1, shape_names, &shape) < 0 ||
            get_num(c, o, "peak_per_hour", 1, V_NUMBER, in_oc(0, MAX_PEAK_PER_HOUR), &peak) < 0)
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
    int rc = enter(c, o, "mix", 0, 0, &sub, &m);
    if (rc < 0 || (rc == 1 && parse_mix(c, sub, t->mix)))
        return -1;
    if (rc == 1)
        pop(c, m);
    t->enabled = 1;
    return 0;
}

static int parse_workload(struct ctx *c, const cJSON *o, struct scenario *s)
{
    static const char *const keys[] = {"rollouts", "background", "other_clients", NULL};
    if (check_keys(c, o, keys))
        return -1;
    const cJSON *sub;
    size_t m;
    int rc = enter(c, o, "rollouts", 0, 1, &sub, &m);
    if (rc < 0 || (rc == 1 && parse_rollouts(c, sub, s)))
        return -1;
    if (rc == 1)
        pop(c, m);
    rc = enter(c, o, "background", 0, 0, &sub, &m);
    if (rc < 0 || (rc == 1 && parse_traffic(c, sub, &s->background)))
        return -1;
    if (rc == 1)
        pop(c, m);
    rc = enter(c, o, "other_clients", 0, 0, &sub, &m);
    if (rc < 0 || (rc == 1 && parse_traffic(c, sub, &s->other)))
        return -1;
    if (rc == 1)
        pop(c, m);
    return 0;
}

static int parse_notes(struct ctx *c, const cJSON *root, struct scenario *s)
{
    const cJSON *it;
    size_t m;
    int rc = lookup(c, root, "notes", 0, &it, &m);
    if (rc <= 0)
        return rc;
    if (cJSON_IsString(it)) {
        s->notes = xstrdup(it->valuestring);
    } else if (cJSON_IsArray(it)) {
        size_t len = 0;
        int i = 0;
        for (const cJSON *e = it->child; e; e = e->next, i++) {
            const char *str = NULL;
            size_t mi = push_index(c, i);
            if (val_string(c, e, 0, &str))
                return -1;
            pop(c, mi);
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
        return fail(c, "expected a string or an array of strings, got %s", type_of(it));
    }
    pop(c, m);
    return 1;
}

static int parse_scenario(struct ctx *c, const cJSON *root, struct scenario *s)
{
    static const char *const keys[] = {"name",   "notes",  "start",    "horizon",
                                       "seed",   "replications", "server", "client",
                                       "workload", "output", NULL};
    if (check_keys(c, root, keys))
        return -1;

    const char *str;
    if (get_string(c, root, "name", 1, 1, &str) < 0)
        return -1;
    s->name = label_dup(str);
    if (parse_notes(c, root, s) < 0)
        return -1;

    const cJSON *it;
    size_t m;
    if (lookup(c, root, "start", 1, &it, &m) < 0)
        return -1;
    char msg[SCN_ERRLEN];
    if (!cJSON_IsString(it))
        return fail(c, "expected a date-time string like \"2026-12-01T09:00\", got %s",
                    type_of(it));
    if (units_parse_datetime(it->valuestring, &s->start_epoch_s, msg, sizeof msg))
        return fail(c, "%s", msg);
    pop(c, m);

    double seed = 1, reps = 20;
    if (get_num(c, root, "horizon", 1, V_DURATION, in_oc(0, SCN_MAX_HORIZON_S),
                &s->horizon_s) < 0 ||
        get_num(c, root, "seed", 0, V_INTEGER, in_cc(0, MAX_EXACT_INT), &seed) < 0 ||
        get_num(c, root, "replications", 0, V_INTEGER, in_cc(1, SCN_MAX_REPLICATIONS), &reps) < 0)
        return -1;
    s->seed = (uint64_t)seed;
    s->replications = (int)reps;

    if (enter(c, root, "server", 1, 0, &it, &m) < 0 || parse_server(c, it, &s->server))
        return -1;
    pop(c, m);
    if (enter(c, root, "client", 1, 0, &it, &m) < 0 || parse_client(c, it, &s->client))
        return -1;
    pop(c, m);
    if (enter(c, root, "workload", 1, 0, &it, &m) < 0 || parse_workload(c, it, s))
        return -1;
    pop(c, m);

    /* A default step longer than a short horizon would be an error the
     * user never wrote: it shrinks to the horizon instead. */
    s->series_step_s = s->horizon_s < 60 ? s->horizon_s : 60;
    int rc = enter(c, root, "output", 0, 0, &it, &m);
    if (rc < 0)
        return -1;
    if (rc == 1) {
        static const char *const out_keys[] = {"series_step", NULL};
        if (check_keys(c, it, out_keys) ||
            get_num(c, it, "series_step", 0, V_DURATION, in_oc(0, s->horizon_s),
                    &s->series_step_s) < 0)
            return -1;
        /* a step of a microsecond would write the series until the disk
         * is full: refuse it as the typo it is */
        if (s->horizon_s / s->series_step_s > MAX_SERIES_ROWS) {
            char st[48], hz[48];
            push_key(c, "series_step");
            show(st, sizeof st, s->series_step_s, 1);
            show(hz, sizeof hz, s->horizon_s, 1);
            return fail(c, "%s gives %.0f rows over the horizon (%s); at most %.0f", st,
                        floor(s->horizon_s / s->series_step_s), hz, MAX_SERIES_ROWS);
        }
        pop(c, m);
    }
    return 0;
}

/* ---- documents --------------------------------------------------------- */

static int doc_fail(char *err, size_t errlen, const char *fmt, ...) SCN_PRINTF(3, 4);

static int doc_fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
        scrub(err);
    }
    return -1;
}

scn_doc *scn_doc_parse(const char *text, size_t len, char *err, size_t errlen)
{
    int line, col;
    /* Editors on Windows may start UTF-8 files with a byte order mark,
     * which cJSON does not accept; it carries no meaning (and is not a
     * column). */
    size_t skip = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    const char *body = text + skip;
    size_t blen = len - skip;
    const char *nul = memchr(body, '\0', blen);
    if (nul) {
        jsyn_line_col(body, (size_t)(nul - body), &line, &col);
        doc_fail(err, errlen, "line %d, column %d: NUL character in the text", line, col);
        return NULL;
    }
    /* jsonsyntax.c says where and why the text is not JSON (cJSON's own
     * error position is often a character off, and it has no reason). */
    char msg[SCN_ERRLEN];
    size_t off;
    if (jsyn_check(body, blen, &off, msg, sizeof msg) != 0) {
        jsyn_line_col(body, off, &line, &col);
        doc_fail(err, errlen, "line %d, column %d: %s", line, col, msg);
        return NULL;
    }
    const char *end = NULL;
    /* The end pointer, not cJSON_GetErrorPtr(), which is a global shared
     * between threads. */
    cJSON *root = cJSON_ParseWithLengthOpts(body, blen, &end, 0);
    if (!root) {
        /* jsyn_check shares cJSON's grammar; if they ever disagree, say
         * where cJSON stopped */
        jsyn_line_col(body, end ? (size_t)(end - body) : 0, &line, &col);
        doc_fail(err, errlen, "line %d, column %d: syntax error", line, col);
        return NULL;
    }
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        size_t first = 0;
        while (first < blen && (unsigned char)body[first] <= 0x20)
            first++;
        jsyn_line_col(body, first, &line, &col);
        doc_fail(err, errlen, "line %d, column %d: a scenario must be a JSON object ({...})",
                 line, col);
        return NULL;
    }
    scn_doc *d = xmalloc(sizeof *d);
    d->root = root;
    return d;
}

scn_doc *scn_doc_load(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        doc_fail(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        doc_fail(err, errlen, "%s: is a directory", path);
        return NULL;
    }
    if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > MAX_FILE_BYTES) {
        doc_fail(err, errlen, "%s: is larger than 16 MiB, too large for a scenario", path);
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        doc_fail(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    /* Read to the end rather than trusting st_size, so pipes and
     * process substitution work too, with the same size limit. */
    char *buf = NULL;
    size_t cap = 0, len = 0;
    for (;;) {
        xgrow((void **)&buf, &cap, len + 65536, 1);
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (len > MAX_FILE_BYTES) {
            fclose(f);
            free(buf);
            doc_fail(err, errlen, "%s: is larger than 16 MiB, too large for a scenario", path);
            return NULL;
        }
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    int saved = errno;
    fclose(f);
    if (bad) {
        free(buf);
        doc_fail(err, errlen, "%s: cannot read: %s", path, strerror(saved));
        return NULL;
    }
    char msg[SCN_ERRLEN];
    scn_doc *d = scn_doc_parse(buf, len, msg, sizeof msg);
    free(buf);
    if (!d)
        doc_fail(err, errlen, "%s: %s", path, msg);
    return d;
}

scn_doc *scn_doc_default(void)
{
    char msg[SCN_ERRLEN];
    scn_doc *d = scn_doc_parse((const char *)scn_default_json, scn_default_json_len, msg,
                               sizeof msg);
    if (!d) {
        /* The bytes were checked into the build: this is a build bug. */
        fprintf(stderr, "provsim: built-in default scenario: %s\n", msg);
        abort();
    }
    return d;
}

void scn_doc_free(scn_doc *d)
{
    if (!d)
        return;
    cJSON_Delete(d->root);
    free(d);
}

/* One step of a --set path: a key or an array index, and where its text
 * ends in the path (for messages that quote the path so far). */
struct step {
    const char *key; /* NULL for an index; points into the copied path */
    long index;
    size_t end;
};

int scn_doc_set(scn_doc *d, const char *assignment, char *err, size_t errlen)
{
    const char *eq = strchr(assignment, '=');
    if (!eq)
        return doc_fail(err, errlen, "--set %s: expected PATH=VALUE", assignment);
    size_t plen = (size_t)(eq - assignment);
    if (plen == 0)
        return doc_fail(err, errlen, "--set %s: the key path before '=' is empty", assignment);

    /* Copy the path twice: one to quote in messages, one to cut into keys. */
    char *path = xmalloc(plen + 1), *keys = xmalloc(plen + 1);
    memcpy(path, assignment, plen);
    path[plen] = '\0';
    memcpy(keys, path, plen + 1);
    struct step *steps = xmalloc((plen + 1) * sizeof *steps);
    int nsteps = 0, rc = -1;

    /* Tokenise: key ( '[' digits ']' )* ( '.' key ... )* */
    size_t i = 0;
    for (;;) {
        size_t k = i;
        while (i < plen && path[i] != '.' && path[i] != '[' && path[i] != ']')
            i++;
        if (i == k) {
            doc_fail(err, errlen, "--set %s: bad key path (empty key at character %zu)", path,
                     k + 1);
            goto out;
        }
        steps[nsteps++] = (struct step){keys + k, -1, i};
        while (i < plen && path[i] == '[') {
            size_t j = i + 1;
            long n = 0;
            while (j < plen && path[j] >= '0' && path[j] <= '9' && n < 100000000)
                n = n * 10 + (path[j++] - '0');
            if (j == i + 1 || j >= plen || path[j] != ']') {
                doc_fail(err, errlen, "--set %s: bad index at character %zu (expected [N])",
                         path, i + 1);
                goto out;
            }
            steps[nsteps++] = (struct step){NULL, n, j + 1};
            i = j + 1;
        }
        if (i == plen)
            break;
        if (path[i] != '.') {
            doc_fail(err, errlen, "--set %s: bad key path at character %zu", path, i + 1);
            goto out;
        }
        keys[i++] = '\0';
        if (i == plen) {
            doc_fail(err, errlen, "--set %s: bad key path (ends with '.')", path);
            goto out;
        }
    }
    for (int s = 0; s < nsteps; s++)
        if (steps[s].key)
            keys[steps[s].end] = '\0'; /* cut keys before '[' and '.' */

    /* Walk to the parent of the last step. */
    cJSON *cur = d->root;
    for (int s = 0; s < nsteps; s++) {
        const struct step *st = &steps[s];
        int last = s == nsteps - 1;
        size_t pend = s ? steps[s - 1].end : 0; /* the path so far: cur */
        if (st->key) {
            if (!cJSON_IsObject(cur)) {
                doc_fail(err, errlen, "--set %s: \"%.*s\" is not an object", path, (int)pend,
                         path);
                goto out;
            }
            cJSON *next = cJSON_GetObjectItemCaseSensitive(cur, st->key);
            if (!next && !last) {
                /* a near miss among the keys that are there, or how to
                 * add a whole missing section */
                const char *names[65];
                int nn = 0;
                for (const cJSON *k = cur->child; k && nn < 64; k = k->next)
                    names[nn++] = k->string;
                names[nn] = NULL;
                char hint[96];
                did_you_mean(hint, sizeof hint, st->key, names);
                doc_fail(err, errlen, "--set %s: no key \"%.*s\"%s", path, (int)st->end, path,
                         hint[0] ? hint
                                 : " (to add a section, set it whole: --set KEY={...})");
                goto out;
            }
            if (!last) {
                cur = next;
                continue;
            }
        } else {
            if (!cJSON_IsArray(cur)) {
                doc_fail(err, errlen, "--set %s: \"%.*s\" is not an array", path, (int)pend,
                         path);
                goto out;
            }
            int n = cJSON_GetArraySize(cur);
            if (st->index >= n) {
                const char *noun = s && steps[s - 1].key ? steps[s - 1].key : "items";
                doc_fail(err, errlen, "--set %s: index %ld out of range (%d %s)", path,
                         st->index, n, noun);
                goto out;
            }
            if (!last) {
                cur = cJSON_GetArrayItem(cur, (int)st->index);
                continue;
            }
        }

        /* The value: JSON if all of it parses as JSON, else the text. */
        const char *value = eq + 1, *vend = NULL;
        cJSON *v = cJSON_ParseWithLengthOpts(value, strlen(value), &vend, 0);
        if (v) {
            while (*vend && strchr(" \t\r\n", *vend))
                vend++;
            if (*vend) {
                cJSON_Delete(v);
                v = NULL;
            }
        }
        if (!v)
            v = cJSON_CreateString(value);
        if (!v)
            xoom("cJSON_CreateString");
        if (!st->key)
            cJSON_ReplaceItemInArray(cur, (int)st->index, v);
        else if (cJSON_GetObjectItemCaseSensitive(cur, st->key))
            cJSON_ReplaceItemInObjectCaseSensitive(cur, st->key, v);
        else if (!cJSON_AddItemToObject(cur, st->key, v))
            xoom("cJSON_AddItemToObject");
        rc = 0;
    }
out:
    free(steps);
    free(keys);
    free(path);
    return rc;
}

/* ---- scenarios ------------------------------------------------------- */

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
        if (!finite_in(t->profile.weekday[h], 0, MAX_PEAK_PER_HOUR) ||
            !finite_in(t->profile.weekend[h], 0, MAX_PEAK_PER_HOUR))
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
            if (!finite_in(l->limit, 1, MAX_EXACT_INT) || !finite_in(l->window_s, 1e-300, INFINITY))
                return 0;
            break;
        case LIM_TOKEN_BUCKET:
            if (!finite_in(l->rate_per_s, 1e-300, INFINITY) || !finite_in(l->burst, 1, INFINITY))
                return 0;
            break;
        case LIM_CONCURRENCY:
            if (!finite_in(l->concurrency, 1, MAX_EXACT_INT) ||
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
    struct ctx c = {err, errlen, "", 0};
    if (parse_scenario(&c, d->root, &tmp)) {
        scn_fini(&tmp);
        memset(s, 0, sizeof *s);
        return -1;
    }
    if (!scn_check(&tmp)) {
        /* Validation let through what the models rely on never seeing. */
        fprintf(stderr, "provsim: scn_from_doc: scenario \"%s\" fails scn_check\n", tmp.name);
        abort();
    }
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

/* values.c -- checks of single values and keyed access (see values.h).
 *
 * Bounds are checked after the type, so "expected a number, got a
 * string" comes before any range; a range message quotes both limits and
 * the value in the value's own terms (durations as durations). */
#include "scenario/values.h"

#include "scenario/scenario.h"
#include "base/units.h"
#include "base/util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MIN_POSITIVE 1e-9 /* smallest "> 0" value: see check_bounds */

/* A number for a message; durations in the largest unit that divides
 * them ("366d", "90s"), so a message quotes limits the way they are
 * written. */
const char *val_show(char *buf, size_t len, double v, int dur)
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

static int check_bounds(struct kp_ctx *c, double v, struct val_bounds b, int dur)
{
    int lo_ok = b.lo_open ? v > b.lo : v >= b.lo;
    int hi_ok = b.hi_open ? v < b.hi : v <= b.hi;
    char lo[48], hi[48], got[48];
    /* "> 0" means a real size: 1e-310 (a subnormal) passes "> 0" but makes
     * 1/x infinite in the models, so it is as wrong as 0 */
    if (lo_ok && hi_ok && b.lo_open && b.lo == 0 && v < MIN_POSITIVE) {
        val_show(got, sizeof got, v, dur);
        val_show(lo, sizeof lo, MIN_POSITIVE, dur);
        return kp_fail(c, "must be > 0 (got %s, too small to be meant: at least %s)", got, lo);
    }
    if (lo_ok && hi_ok)
        return 0;
    val_show(lo, sizeof lo, b.lo, dur);
    val_show(hi, sizeof hi, b.hi, dur);
    val_show(got, sizeof got, v, dur);
    if (isinf(b.hi))
        return kp_fail(c, "must be %s %s (got %s)", b.lo_open ? ">" : ">=", lo, got);
    if (!b.lo_open && !b.hi_open)
        return kp_fail(c, "must be between %s and %s (got %s)", lo, hi, got);
    return kp_fail(c, "must be %s %s and %s %s (got %s)", b.lo_open ? ">" : ">=", lo,
                   b.hi_open ? "<" : "<=", hi, got);
}

/* A copy of a label (a scenario's or a limiter's name) with every control
 * character shown as a space: names reach terminals, CSV files, charts and
 * reports, where an escape sequence or a line break would do harm. */
char *val_label_dup(const char *s)
{
    char *d = xstrdup(s);
    for (unsigned char *p = (unsigned char *)d; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            *p = ' ';
    return d;
}

int val_string(struct kp_ctx *c, const cJSON *it, int nonempty, const char **out)
{
    if (!cJSON_IsString(it))
        return kp_fail(c, "expected a string, got %s", kp_type_of(it));
    if (nonempty && !it->valuestring[0])
        return kp_fail(c, "must not be empty");
    *out = it->valuestring;
    return 0;
}

int val_number(struct kp_ctx *c, const cJSON *it, struct val_bounds b, double *out)
{
    if (!cJSON_IsNumber(it))
        return kp_fail(c, "expected a number, got %s", kp_type_of(it));
    if (!isfinite(it->valuedouble))
        return kp_fail(c, "must be a finite number");
    if (check_bounds(c, it->valuedouble, b, 0))
        return -1;
    *out = it->valuedouble;
    return 0;
}

int val_integer(struct kp_ctx *c, const cJSON *it, struct val_bounds b, double *out)
{
    if (!cJSON_IsNumber(it))
        return kp_fail(c, "expected an integer, got %s", kp_type_of(it));
    double v = it->valuedouble;
    if (!isfinite(v))
        return kp_fail(c, "must be a finite number");
    if (v != floor(v))
        return kp_fail(c, "expected an integer, got %.15g", v);
    if (check_bounds(c, v, b, 0))
        return -1;
    *out = v;
    return 0;
}

int val_duration(struct kp_ctx *c, const cJSON *it, struct val_bounds b, double *out)
{
    double v;
    if (cJSON_IsNumber(it)) {
        v = it->valuedouble;
        if (!isfinite(v))
            return kp_fail(c, "must be a finite number");
        if (v < 0)
            return kp_fail(c, "a duration must not be negative (got %.15g)", v);
    } else if (cJSON_IsString(it)) {
        char msg[SCN_ERRLEN];
        if (units_parse_duration(it->valuestring, &v, msg, sizeof msg))
            return kp_fail(c, "%s", msg);
    } else {
        return kp_fail(c, "expected a duration (seconds, or a string like \"90s\"), got %s",
                       kp_type_of(it));
    }
    if (check_bounds(c, v, b, 1))
        return -1;
    *out = v;
    return 0;
}

int val_rate(struct kp_ctx *c, const cJSON *it, struct val_bounds b, double *out)
{
    double v;
    if (cJSON_IsNumber(it)) {
        v = it->valuedouble;
        if (!isfinite(v))
            return kp_fail(c, "must be a finite number");
    } else if (cJSON_IsString(it)) {
        if (units_parse_rate(it->valuestring, &v))
            return kp_fail(c,
                           "\"%.60s\" is not a rate (expected a number per second or "
                           "\"N/unit\" with unit s, min, h or d, e.g. \"600/min\")",
                           it->valuestring);
    } else {
        return kp_fail(c, "expected a rate (per second, or a string like \"600/min\"), got %s",
                       kp_type_of(it));
    }
    if (check_bounds(c, v, b, 0))
        return -1;
    *out = v;
    return 0;
}

/* A string from names (NULL-terminated); *out is its index. */
int val_enum(struct kp_ctx *c, const cJSON *it, const char *const *names, int *out)
{
    char list[256] = "";
    size_t used = 0;
    for (int i = 0; names[i] && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s\"%s\"", i ? ", " : "",
                                 names[i]);
    if (!cJSON_IsString(it))
        return kp_fail(c, "expected one of %s, got %s", list, kp_type_of(it));
    int i = kp_find_name(names, it->valuestring);
    if (i < 0) {
        char hint[96];
        return kp_fail(c, "must be one of %s (got \"%.60s\")%s", list, it->valuestring,
                       kp_did_you_mean(hint, sizeof hint, it->valuestring, names));
    }
    *out = i;
    return 0;
}

int val_lookup(struct kp_ctx *c, const cJSON *obj, const char *key, int required, const cJSON **it,
               size_t *mark)
{
    *mark = kp_push_key(c, key);
    *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (*it)
        return 1;
    if (required)
        return kp_fail(c, "missing required key");
    kp_pop(c, *mark);
    return 0;
}

int val_get_string(struct kp_ctx *c, const cJSON *obj, const char *key, int required, int nonempty,
                   const char **out)
{
    const cJSON *it;
    size_t m;
    int rc = val_lookup(c, obj, key, required, &it, &m);
    if (rc <= 0)
        return rc;
    if (val_string(c, it, nonempty, out))
        return -1;
    kp_pop(c, m);
    return 1;
}

int val_get_bool(struct kp_ctx *c, const cJSON *obj, const char *key, int *out)
{
    const cJSON *it;
    size_t m;
    int rc = val_lookup(c, obj, key, 0, &it, &m);
    if (rc <= 0)
        return rc;
    if (!cJSON_IsBool(it))
        return kp_fail(c, "expected true or false, got %s", kp_type_of(it));
    *out = cJSON_IsTrue(it);
    kp_pop(c, m);
    return 1;
}

int val_get_num(struct kp_ctx *c, const cJSON *obj, const char *key, int required,
                enum val_kind kind, struct val_bounds b, double *out)
{
    const cJSON *it;
    size_t m;
    int rc = val_lookup(c, obj, key, required, &it, &m);
    if (rc <= 0)
        return rc;
    switch (kind) {
    case VAL_NUMBER:
        rc = val_number(c, it, b, out);
        break;
    case VAL_INTEGER:
        rc = val_integer(c, it, b, out);
        break;
    case VAL_DURATION:
        rc = val_duration(c, it, b, out);
        break;
    case VAL_RATE:
        rc = val_rate(c, it, b, out);
        break;
    }
    if (rc)
        return -1;
    kp_pop(c, m);
    return 1;
}

int val_get_enum(struct kp_ctx *c, const cJSON *obj, const char *key, int required,
                 const char *const *names, int *out)
{
    const cJSON *it;
    size_t m;
    int rc = val_lookup(c, obj, key, required, &it, &m);
    if (rc <= 0)
        return rc;
    if (val_enum(c, it, names, out))
        return -1;
    kp_pop(c, m);
    return 1;
}

/* Enters obj[key], an object (or an array if want_array): on 1 the key
 * stays on the path until the caller pops *mark. */
int val_enter(struct kp_ctx *c, const cJSON *obj, const char *key, int required, int want_array,
              const cJSON **out, size_t *mark)
{
    int rc = val_lookup(c, obj, key, required, out, mark);
    if (rc <= 0)
        return rc;
    if (want_array ? !cJSON_IsArray(*out) : !cJSON_IsObject(*out))
        return kp_fail(c, "expected %s, got %s", want_array ? "an array" : "an object",
                       kp_type_of(*out));
    return 1;
}

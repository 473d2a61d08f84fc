/* sweep_values.c -- the VALUES grammar of --vary PATH=VALUES (see
 * sweep.h for the forms: a list, or a range of numbers, times of day or
 * durations).
 *
 * Invariants:
 * - A list element is kept exactly as written; a range's values are
 *   computed in exact integer steps (decimals rescaled to a common scale,
 *   clock times in minutes, durations in milliseconds), never by adding
 *   a double step, so "0.1..0.3/0.1" ends at 0.3 and not 0.30000000000000004.
 * - An axis has 1..SWEEP_MAX_VALUES values; on error nothing is returned
 *   and nothing leaks. */
#include "plan/sweep.h"

#include "scenario/scenario.h"
#include "base/units.h"
#include "base/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void free_values(char **v, int n)
{
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* A plain decimal "[-]digits[.digits]": *mant = the digits as an integer,
 * *decimals = digits after the point. At most 17 digits, so any rescaling
 * below stays far from int64 overflow. Returns 0 or -1. */
static int parse_decimal(const char *s, size_t len, int64_t *mant, int *decimals, int *ndigits)
{
    size_t i = 0;
    int neg = 0, digits = 0, dec = -1;
    int64_t m = 0;
    if (i < len && s[i] == '-') {
        neg = 1;
        i++;
    }
    for (; i < len; i++) {
        if (s[i] == '.' && dec < 0) {
            dec = 0;
            continue;
        }
        if (s[i] < '0' || s[i] > '9')
            return -1;
        if (++digits > 17)
            return -1;
        m = m * 10 + (s[i] - '0');
        if (dec >= 0)
            dec++;
    }
    if (digits == 0 || dec == 0)
        return -1;
    *mant = neg ? -m : m;
    *decimals = dec < 0 ? 0 : dec;
    *ndigits = digits;
    return 0;
}

static int64_t pow10i(int e)
{
    int64_t p = 1;
    while (e-- > 0)
        p *= 10;
    return p;
}

static char *format_scaled(int64_t v, int decimals)
{
    char buf[64];
    if (decimals > 18) /* int64_t has 18 whole decimal digits */
        decimals = 18;
    int64_t p = pow10i(decimals);
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    if (decimals == 0)
        snprintf(buf, sizeof buf, "%s%llu", v < 0 ? "-" : "", (unsigned long long)a);
    else
        snprintf(buf, sizeof buf, "%s%llu.%0*llu", v < 0 ? "-" : "",
                 (unsigned long long)(a / (uint64_t)p), decimals,
                 (unsigned long long)(a % (uint64_t)p));
    return xstrdup(buf);
}

/* A duration in whole milliseconds, in the largest unit that divides it. */
static char *format_ms(int64_t ms)
{
    static const struct {
        int64_t ms;
        const char *suffix;
    } units[] = {{86400000, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}};
    char buf[48];
    if (ms == 0)
        return xstrdup("0s");
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (ms % units[i].ms == 0) {
            snprintf(buf, sizeof buf, "%lld%s", (long long)(ms / units[i].ms), units[i].suffix);
            return xstrdup(buf);
        }
    snprintf(buf, sizeof buf, "%lldms", (long long)ms);
    return xstrdup(buf);
}

static int range_count(int64_t lo, int64_t hi, int64_t step, const char *spec, int *n, char *err,
                       size_t errlen)
{
    if (step <= 0)
        return xerr(err, errlen, "range \"%s\": the step must be > 0", spec);
    if (lo > hi)
        return xerr(err, errlen, "range \"%s\": the first value is after the last", spec);
    int64_t k = (hi - lo) / step;
    if (k >= SWEEP_MAX_VALUES)
        return xerr(err, errlen, "range \"%s\": more than %d values", spec, SWEEP_MAX_VALUES);
    *n = (int)k + 1;
    return 0;
}

/* LO..HI/STEP of plain decimals: rescaled to a common number of decimals,
 * so the steps are exact integers. Returns 0, -1 with a message, or 1 if
 * one of the three is not a plain decimal (another form may fit). */
static int number_range(const char *spec, const char *los, const char *his, const char *step,
                        char ***values, int *n, char *err, size_t errlen)
{
    int64_t ml, mh, ms;
    int dl, dh, ds, nl, nh, ns;
    if (parse_decimal(los, strlen(los), &ml, &dl, &nl) ||
        parse_decimal(his, strlen(his), &mh, &dh, &nh) ||
        parse_decimal(step, strlen(step), &ms, &ds, &ns))
        return 1;
    int d = dl > dh ? dl : dh;
    d = d > ds ? d : ds;
    if (nl - dl + d > 17 || nh - dh + d > 17 || ns - ds + d > 17)
        return xerr(err, errlen, "range \"%s\": too many digits", spec);
    ml *= pow10i(d - dl);
    mh *= pow10i(d - dh);
    ms *= pow10i(d - ds);
    int count = 0; /* set by range_count on success */
    if (range_count(ml, mh, ms, spec, &count, err, errlen))
        return -1;
    char **v = xcalloc((size_t)count, sizeof *v);
    for (int i = 0; i < count; i++)
        v[i] = format_scaled(ml + (int64_t)i * ms, d);
    *values = v;
    *n = count;
    return 0;
}

/* HH:MM..HH:MM/DURATION, stepped in whole minutes within one day. */
static int clock_range(const char *spec, const char *los, const char *his, const char *step,
                       char ***values, int *n, char *err, size_t errlen)
{
    double a, b, st;
    char msg[SCN_ERRLEN];
    if (units_parse_clock(los, &a, msg, sizeof msg) ||
        units_parse_clock(his, &b, msg, sizeof msg) ||
        units_parse_duration(step, &st, msg, sizeof msg))
        return xerr(err, errlen, "range \"%s\": %s", spec, msg);
    if (st > 0 && (st != floor(st) || fmod(st, 60.0) != 0.0 || st > 86400.0))
        return xerr(err, errlen, "range \"%s\": a time-of-day step must be whole minutes", spec);
    if (a > b)
        return xerr(err, errlen,
                    "range \"%s\": %s is after %s (time ranges do not wrap past "
                    "midnight; list the values instead)",
                    spec, los, his);
    int64_t a_min = (int64_t)a / 60, b_min = (int64_t)b / 60, st_min = (int64_t)st / 60;
    int count = 0; /* set by range_count on success */
    if (range_count(a_min, b_min, st_min, spec, &count, err, errlen))
        return -1;
    char **v = xcalloc((size_t)count, sizeof *v);
    for (int i = 0; i < count; i++) {
        char buf[16];
        int64_t m = a_min + (int64_t)i * st_min;
        snprintf(buf, sizeof buf, "%02d:%02d", (int)(m / 60), (int)(m % 60));
        v[i] = xstrdup(buf);
    }
    *values = v;
    *n = count;
    return 0;
}

/* DURATION..DURATION/DURATION, stepped in whole milliseconds. */
static int duration_range(const char *spec, const char *los, const char *his, const char *step,
                          char ***values, int *n, char *err, size_t errlen)
{
    double a, b, st;
    char msg[SCN_ERRLEN];
    if (units_parse_duration(los, &a, msg, sizeof msg) ||
        units_parse_duration(his, &b, msg, sizeof msg) ||
        units_parse_duration(step, &st, msg, sizeof msg))
        return xerr(err, errlen,
                    "range \"%s\" is not a range of numbers, times of day (HH:MM) or "
                    "durations: %s",
                    spec, msg);
    /* whole milliseconds, so the steps are exact integers */
    double ams = a * 1000.0, bms = b * 1000.0, sms = st * 1000.0;
    if (fmax(ams, fmax(bms, sms)) > 9e15 || fabs(ams - round(ams)) > 1e-6 ||
        fabs(bms - round(bms)) > 1e-6 || fabs(sms - round(sms)) > 1e-6)
        return xerr(err, errlen, "range \"%s\": durations must be whole milliseconds", spec);
    int64_t ai = (int64_t)llround(ams), bi = (int64_t)llround(bms), si = (int64_t)llround(sms);
    int count = 0; /* set by range_count on success */
    if (range_count(ai, bi, si, spec, &count, err, errlen))
        return -1;
    char **v = xcalloc((size_t)count, sizeof *v);
    for (int i = 0; i < count; i++)
        v[i] = format_ms(ai + (int64_t)i * si);
    *values = v;
    *n = count;
    return 0;
}

/* "LO..HI/STEP" (dots points at the ".."): numbers if all three are plain
 * decimals, else times of day if LO and HI have a ':', else durations. */
static int parse_range(const char *spec, const char *dots, char ***values, int *n, char *err,
                       size_t errlen)
{
    const char *lo = spec, *hi = dots + 2;
    const char *slash = strrchr(hi, '/');
    if (!slash || slash[1] == '\0' || dots == spec || slash == hi)
        return xerr(err, errlen, "range \"%s\": expected LO..HI/STEP, e.g. 100..1000/100", spec);
    size_t lolen = (size_t)(dots - lo), hilen = (size_t)(slash - hi);
    const char *step = slash + 1;
    char *los = xmalloc(lolen + 1), *his = xmalloc(hilen + 1);
    memcpy(los, lo, lolen);
    los[lolen] = '\0';
    memcpy(his, hi, hilen);
    his[hilen] = '\0';
    int rc = number_range(spec, los, his, step, values, n, err, errlen);
    if (rc == 1)
        rc = strchr(los, ':') && strchr(his, ':')
                 ? clock_range(spec, los, his, step, values, n, err, errlen)
                 : duration_range(spec, los, his, step, values, n, err, errlen);
    free(los);
    free(his);
    return rc;
}

int sweep_values_parse(const char *spec, char ***values, int *n, char *err, size_t errlen)
{
    *values = NULL;
    *n = 0;
    if (!spec || !*spec)
        return xerr(err, errlen, "no values");
    const char *dots = strstr(spec, "..");
    if (dots)
        return parse_range(spec, dots, values, n, err, errlen);
    /* a list */
    int count = 1;
    for (const char *p = spec; *p; p++)
        count += *p == ',';
    if (count > SWEEP_MAX_VALUES)
        return xerr(err, errlen, "more than %d values", SWEEP_MAX_VALUES);
    char **v = xcalloc((size_t)count, sizeof *v);
    const char *p = spec;
    for (int i = 0; i < count; i++) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == 0) {
            free_values(v, count);
            return xerr(err, errlen, "\"%s\": value %d of the list is empty", spec, i + 1);
        }
        v[i] = xmalloc(len + 1);
        memcpy(v[i], p, len);
        v[i][len] = '\0';
        p = e ? e + 1 : p + len;
    }
    *values = v;
    *n = count;
    return 0;
}

/* Where the next linked path starts in "P1=V1+P2=V2": the '+' before a
 * key path and its '=' (a '+' inside a value is kept). NULL if none. */
static const char *next_link(const char *p)
{
    for (const char *q = strchr(p, '+'); q; q = strchr(q + 1, '+')) {
        const char *r = q + 1;
        if (!((*r >= 'a' && *r <= 'z') || (*r >= 'A' && *r <= 'Z') || *r == '_'))
            continue;
        while ((*r >= 'a' && *r <= 'z') || (*r >= 'A' && *r <= 'Z') || (*r >= '0' && *r <= '9') ||
               *r == '_' || *r == '.' || *r == '[' || *r == ']')
            r++;
        if (*r == '=')
            return q;
    }
    return NULL;
}

/* One "PATH=VALUES" of len bytes at part, for --vary ARG. */
static int parse_part(const char *arg, const char *part, size_t len, struct sweep_axis *ax,
                      char *err, size_t errlen)
{
    memset(ax, 0, sizeof *ax);
    char *text = xmalloc(len + 1);
    memcpy(text, part, len);
    text[len] = '\0';
    const char *eq = strchr(text, '=');
    if (!eq || eq == text || eq[1] == '\0') {
        free(text);
        return xerr(err, errlen,
                    "--vary \"%s\": expected PATH=VALUES, e.g. "
                    "workload.rollouts[0].batch_size=100..1000/100",
                    arg);
    }
    char msg[SCN_ERRLEN];
    if (sweep_values_parse(eq + 1, &ax->values, &ax->nvalues, msg, sizeof msg)) {
        xerr(err, errlen, "--vary %s: %s", arg, msg);
        free(text);
        return -1;
    }
    size_t plen = (size_t)(eq - text);
    ax->path = xmalloc(plen + 1);
    memcpy(ax->path, text, plen);
    ax->path[plen] = '\0';
    ax->spec = xstrdup(eq + 1);
    free(text);
    return 0;
}

int sweep_axis_parse(const char *arg, struct sweep_axis *ax, char *err, size_t errlen)
{
    memset(ax, 0, sizeof *ax);
    if (!arg)
        arg = "";
    const char *end = next_link(arg);
    if (parse_part(arg, arg, end ? (size_t)(end - arg) : strlen(arg), ax, err, errlen))
        return -1;
    while (end) {
        const char *p = end + 1;
        end = next_link(p);
        ax->linked = xrealloc(ax->linked, (size_t)(ax->nlinked + 1) * sizeof *ax->linked);
        struct sweep_axis *l = &ax->linked[ax->nlinked];
        if (parse_part(arg, p, end ? (size_t)(end - p) : strlen(p), l, err, errlen)) {
            sweep_axis_fini(ax);
            return -1;
        }
        ax->nlinked++;
        /* linked paths move together: value k of each in the same cell */
        if (l->nvalues != ax->nvalues) {
            xerr(err, errlen,
                 "--vary %s: linked paths need the same number of values (%s has %d, %s has "
                 "%d)",
                 arg, ax->path, ax->nvalues, l->path, l->nvalues);
            sweep_axis_fini(ax);
            return -1;
        }
    }
    return 0;
}

const struct sweep_axis *sweep_axis_part(const struct sweep_axis *ax, int k)
{
    return k == 0 ? ax : &ax->linked[k - 1];
}

void sweep_axis_fini(struct sweep_axis *ax)
{
    for (int k = 0; k < ax->nlinked; k++)
        sweep_axis_fini(&ax->linked[k]);
    free(ax->linked);
    free_values(ax->values, ax->nvalues);
    free(ax->path);
    free(ax->spec);
    memset(ax, 0, sizeof *ax);
}

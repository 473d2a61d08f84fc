/* plan_spec.c -- what provsim plan's options say: metric names,
 * --subject-to 'METRIC<=VALUE[+-TOL]' and --done-by 'HH:MM[+-TOL]'.
 *
 * Values are written as in scenarios: a metric in seconds takes a
 * duration ("4h", "90m", "3600"), a count a plain number, a ratio a
 * number or a percentage ("95%"). Every refusal quotes the argument. */
#include "plan/plan.h"

#include "base/units.h"
#include "base/util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int plan_metric_index(const char *name)
{
    for (int m = 0; m < METRIC_COUNT; m++)
        if (!strcmp(metric_table[m].name, name))
            return m;
    return -1;
}

/* A plain finite number, the whole text. */
static int parse_number(const char *s, double *out)
{
    if (!*s || isspace((unsigned char)*s))
        return -1;
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* VALUE in metric m's unit. Returns 0, or -1 with a message. */
static int parse_value(const char *arg, int m, const char *s, double *out, char *err,
                       size_t errlen)
{
    char msg[128];
    switch (metric_table[m].unit) {
    case METRIC_UNIT_SECONDS:
        if (units_parse_duration(s, out, msg, sizeof msg) == 0)
            return 0;
        return xerr(err, errlen, "--subject-to '%s': %s is in seconds: %s", arg,
                    metric_table[m].name, msg);
    case METRIC_UNIT_COUNT:
        if (parse_number(s, out) == 0)
            return 0;
        return xerr(err, errlen, "--subject-to '%s': %s is a count: \"%s\" is not a number", arg,
                    metric_table[m].name, s);
    case METRIC_UNIT_RATIO: {
        size_t n = strlen(s);
        char buf[64];
        if (n > 0 && n < sizeof buf && s[n - 1] == '%') {
            memcpy(buf, s, n - 1);
            buf[n - 1] = '\0';
            if (parse_number(buf, out) == 0) {
                *out /= 100.0;
                return 0;
            }
        } else if (parse_number(s, out) == 0) {
            return 0;
        }
        return xerr(err, errlen,
                    "--subject-to '%s': %s is a ratio: \"%s\" is not a number or a percentage", arg,
                    metric_table[m].name, s);
    }
    }
    return xerr(err, errlen, "--subject-to '%s': bad value", arg);
}

/* Splits "VALUE+-TOL" at its "+-" (the value itself may not hold one). */
static char *split_tol(char *value)
{
    char *pm = strstr(value, "+-");
    if (!pm)
        return NULL;
    *pm = '\0';
    return pm + 2;
}

int plan_constraint_parse(const char *arg, struct plan_constraint *c, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    if (strlen(arg) >= sizeof c->text)
        return xerr(err, errlen, "--subject-to: longer than %zu characters", sizeof c->text - 1);
    snprintf(c->text, sizeof c->text, "%s", arg);
    char buf[sizeof c->text];
    snprintf(buf, sizeof buf, "%s", arg);
    char *le = strstr(buf, "<="), *ge = strstr(buf, ">=");
    if (!le == !ge)
        return xerr(err, errlen,
                    "--subject-to '%s': expected METRIC<=VALUE or METRIC>=VALUE (one comparison)",
                    arg);
    char *op = le ? le : ge;
    c->ge = ge != NULL;
    *op = '\0';
    char *name = buf, *value = op + 2;
    if ((c->metric = plan_metric_index(name)) < 0)
        return xerr(err, errlen,
                    "--subject-to '%s': unknown metric \"%s\" (provsim --complete metrics lists them)",
                    arg, name);
    char *tol = split_tol(value);
    if (parse_value(arg, c->metric, value, &c->value, err, errlen))
        return -1;
    if (tol) {
        if (parse_value(arg, c->metric, tol, &c->tol, err, errlen))
            return -1;
        if (!(c->tol > 0.0))
            return xerr(err, errlen, "--subject-to '%s': the tolerance must be > 0", arg);
        c->tol_given = 1;
    } else {
        c->tol = PLAN_DEFAULT_TOL_FRACTION * fabs(c->value);
        if (!(c->tol > 0.0)) /* a bound of 0: one unit (a second, a count), 1% of a ratio */
            c->tol = metric_table[c->metric].unit == METRIC_UNIT_RATIO ? 0.01 : 1.0;
    }
    return 0;
}

int plan_done_by_parse(const char *arg, struct plan_constraint *c, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    if (strlen(arg) >= sizeof c->text - 16)
        return xerr(err, errlen, "--done-by: too long");
    snprintf(c->text, sizeof c->text, "done by %s", arg);
    char buf[sizeof c->text], msg[128];
    snprintf(buf, sizeof buf, "%s", arg);
    char *tol = split_tol(buf);
    if (units_parse_clock(buf, &c->done_by_sod, msg, sizeof msg))
        return xerr(err, errlen, "--done-by '%s': %s", arg, msg);
    c->metric = METRIC_CLEAR_TIME;
    c->done_by = 1;
    c->tol = PLAN_DEFAULT_DONE_BY_TOL_S;
    if (tol) {
        if (units_parse_duration(tol, &c->tol, msg, sizeof msg))
            return xerr(err, errlen, "--done-by '%s': the tolerance: %s", arg, msg);
        if (!(c->tol > 0.0))
            return xerr(err, errlen, "--done-by '%s': the tolerance must be > 0", arg);
        c->tol_given = 1;
    }
    return 0;
}

void plan_say_choose(char *msg, size_t len)
{
    /* the sweep's messages name its option: --vary */
    char *p;
    while ((p = strstr(msg, "--vary")) != NULL) {
        size_t n = strlen(msg);
        if (n + 3 > len)
            return;
        memmove(p + 8, p + 6, n - (size_t)(p - msg) - 6 + 1);
        memcpy(p, "--choose", 8);
    }
}

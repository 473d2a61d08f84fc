/* fuzz_parse.c -- fuzz target: the small parsers of what people type.
 *
 * Input: one selector byte, then text (cut at the first NUL, as C strings
 * are). The selector picks the parser:
 *   0  --set: the text is up to 8 assignments PATH=VALUE, one a line,
 *      applied to the built-in default scenario, which is then validated
 *   1  units_parse_duration, then units_format_duration of the result,
 *      which must parse back
 *   2  units_parse_datetime, then formatted back (must round-trip)
 *   3  units_parse_clock
 *   4  the rate parser, through --set server.limits[0].rate=TEXT
 *   5  a rollout's "at", through --set workload.rollouts[0].at=TEXT
 *   6  mem_parse_size (--max-memory)
 *   7  sweep_axis_parse (--vary PATH=VALUES, linked paths joined by '+')
 *   8  plan's --subject-to 'METRIC<=VALUE[+-TOL]' and --done-by 'HH:MM[+-TOL]'
 * Beyond "no crash" it checks each parser's promise: a refusal has a
 * message, an accepted duration is finite and >= 0, a date-time formats
 * back to itself (minutes) and has a weekday 0-6, a clock is in [0, 86400),
 * a size is >= 1 byte, an axis has 1..SWEEP_MAX_VALUES values and every
 * linked path as many as the axis, a constraint names a metric and has a
 * finite bound and a tolerance > 0. */
#include "fuzz.h"

#include "plan/plan.h"
#include "plan/sweep.h"
#include "run/memlimit.h"
#include "scenario/scenario.h"
#include "base/units.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

enum {
    SEL_SET,
    SEL_DURATION,
    SEL_DATETIME,
    SEL_CLOCK,
    SEL_RATE,
    SEL_AT,
    SEL_SIZE,
    SEL_VARY,
    SEL_PLAN,
    SEL_COUNT
};

/* Applies the assignments (or one prefixed assignment) to the default
 * scenario and validates it. */
static void set_and_validate(char *text, const char *prefix)
{
    char err[SCN_ERRLEN] = "";
    scn_doc *d = scn_doc_default();
    int ok = 1;
    if (prefix) {
        size_t n = strlen(prefix) + strlen(text) + 1;
        char *a = malloc(n);
        if (!a)
            abort();
        strcpy(a, prefix);
        strcat(a, text);
        ok = scn_doc_set(d, a, err, sizeof err) == 0;
        free(a);
    } else {
        char *save = NULL;
        int k = 0;
        for (char *line = strtok_r(text, "\n", &save); line && k < 8 && ok;
             line = strtok_r(NULL, "\n", &save), k++)
            ok = scn_doc_set(d, line, err, sizeof err) == 0;
    }
    if (!ok) {
        if (!err[0])
            fuzz_fail("scn_doc_set refused without a message", NULL);
        scn_doc_free(d);
        return;
    }
    struct scenario s;
    err[0] = '\0';
    if (scn_from_doc(d, &s, err, sizeof err) == 0)
        scn_fini(&s);
    else if (!err[0])
        fuzz_fail("scn_from_doc refused without a message", NULL);
    scn_doc_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        gsl_set_error_handler_off();
        ready = 1;
    }
    if (size < 1)
        return 0;
    int sel = data[0] % SEL_COUNT;
    char *text = malloc(size);
    if (!text)
        abort();
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';

    char err[SCN_ERRLEN] = "", buf[64];
    switch (sel) {
    case SEL_SET:
        set_and_validate(text, NULL);
        break;
    case SEL_DURATION: {
        double v;
        if (units_parse_duration(text, &v, err, sizeof err) == 0) {
            if (!isfinite(v) || v < 0)
                fuzz_fail("units_parse_duration accepted a non-finite or negative value", text);
            units_format_duration(v, buf, sizeof buf);
            if (!buf[0] || buf[0] == '-')
                fuzz_fail("units_format_duration printed nothing for a duration", text);
            /* what provsim prints, a user may copy back into a scenario */
            double back;
            if (v < 1e15 && units_parse_duration(buf, &back, err, sizeof err) != 0)
                fuzz_fail("a duration provsim printed does not parse back", buf);
        } else if (!err[0]) {
            fuzz_fail("units_parse_duration refused without a message", text);
        }
        break;
    }
    case SEL_DATETIME: {
        int64_t e;
        if (units_parse_datetime(text, &e, err, sizeof err) == 0) {
            units_format_datetime(e, buf, sizeof buf);
            if (strncmp(buf, text, 16) != 0)
                fuzz_fail("a date-time does not format back to itself", text);
            int w = units_weekday(e);
            if (w < 0 || w > 6)
                fuzz_fail("units_weekday out of 0-6", text);
            units_format_clock(e, buf, sizeof buf);
        } else if (!err[0]) {
            fuzz_fail("units_parse_datetime refused without a message", text);
        }
        break;
    }
    case SEL_CLOCK: {
        double sod;
        if (units_parse_clock(text, &sod, err, sizeof err) == 0) {
            if (!(sod >= 0 && sod < 86400))
                fuzz_fail("units_parse_clock out of [0, 86400)", text);
        } else if (!err[0]) {
            fuzz_fail("units_parse_clock refused without a message", text);
        }
        break;
    }
    case SEL_RATE:
        set_and_validate(text, "server.limits[0].rate=");
        break;
    case SEL_AT:
        set_and_validate(text, "workload.rollouts[0].at=");
        break;
    case SEL_VARY: {
        struct sweep_axis ax;
        if (sweep_axis_parse(text, &ax, err, sizeof err) == 0) {
            if (ax.nvalues < 1 || ax.nvalues > SWEEP_MAX_VALUES || !ax.path || !ax.path[0])
                fuzz_fail("sweep_axis_parse accepted an axis without values or path", text);
            for (int k = 0; k <= ax.nlinked; k++) {
                const struct sweep_axis *p = sweep_axis_part(&ax, k);
                if (p->nvalues != ax.nvalues)
                    fuzz_fail("a linked path has another number of values", text);
                for (int i = 0; i < p->nvalues; i++)
                    if (!p->values[i] || !p->values[i][0])
                        fuzz_fail("sweep_axis_parse accepted an empty value", text);
            }
            sweep_axis_fini(&ax);
        } else if (!err[0]) {
            fuzz_fail("sweep_axis_parse refused without a message", text);
        }
        break;
    }
    case SEL_PLAN: {
        struct plan_constraint c;
        for (int done_by = 0; done_by < 2; done_by++) {
            err[0] = '\0';
            int rc = done_by ? plan_done_by_parse(text, &c, err, sizeof err)
                             : plan_constraint_parse(text, &c, err, sizeof err);
            if (rc == 0) {
                if (c.metric < 0 || c.metric >= METRIC_COUNT || !(c.tol > 0) || !isfinite(c.tol))
                    fuzz_fail("a constraint accepted without a metric or a tolerance > 0", text);
                if (done_by ? !(c.done_by_sod >= 0 && c.done_by_sod < 86400) : !isfinite(c.value))
                    fuzz_fail("a constraint accepted with a bound out of range", text);
            } else if (!err[0]) {
                fuzz_fail("a constraint refused without a message", text);
            }
        }
        break;
    }
    case SEL_SIZE: {
        uint64_t b;
        if (mem_parse_size(text, &b, err, sizeof err) == 0) {
            if (b < 1)
                fuzz_fail("mem_parse_size accepted 0 bytes", text);
        } else if (!err[0]) {
            fuzz_fail("mem_parse_size refused without a message", text);
        }
        break;
    }
    }
    free(text);
    return 0;
}

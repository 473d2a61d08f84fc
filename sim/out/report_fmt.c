/* report_fmt.c -- the numbers of a report: a {mean, CI} read from the
 * saved JSON, and values, intervals and differences as text (see
 * report_parts.h). */
#include "out/report_parts.h"

#include "base/units.h"

#include "out/jsonfile.h"
#include "out/summary.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

struct report_stat report_stat_of(const cJSON *o)
{
    struct report_stat s = {jsonfile_num(o, "mean"), jsonfile_num(o, "ci95_lo"),
                   jsonfile_num(o, "ci95_hi")};
    return s;
}

struct report_stat report_metric_stat(const cJSON *metrics, enum metric m)
{
    return report_stat_of(cJSON_GetObjectItemCaseSensitive(metrics, metric_table[m].name));
}

/* The harm metrics are paired differences: they may be below 0. */
static int signed_metric(enum metric m)
{
    return m >= METRIC_HARM_OTHER_THROTTLED && m <= METRIC_HARM_BG_DELAYED_JOBS;
}

void report_fmt_value(char *buf, size_t len, enum metric m, double v)
{
    if (metric_table[m].unit == METRIC_UNIT_COUNT && isfinite(v) && fabs(v) >= 1000)
        report_fmt_count(buf, len, v);
    else
        summary_format_value(buf, len, m, v);
}

void report_fmt_ci(char *buf, size_t len, enum metric m, struct report_stat s)
{
    if (!isfinite(s.lo) || !isfinite(s.hi) || s.lo == s.hi) {
        buf[0] = '\0';
        return;
    }
    char lo[48], hi[48];
    report_fmt_value(lo, sizeof lo, m, signed_metric(m) ? s.lo : fmax(s.lo, 0.0));
    report_fmt_value(hi, sizeof hi, m, s.hi);
    /* "to" where the low end may be negative: "-3 – 5" would misread */
    snprintf(buf, len, signed_metric(m) ? "%s to %s" : "%s \xe2\x80\x93 %s", lo, hi);
}

void report_fmt_ci_paren(char *buf, size_t len, enum metric m, struct report_stat s)
{
    char ci[128], lo[48], hi[48], mean[48];
    report_fmt_ci(ci, sizeof ci, m, s);
    report_fmt_value(lo, sizeof lo, m, signed_metric(m) ? s.lo : fmax(s.lo, 0.0));
    report_fmt_value(hi, sizeof hi, m, s.hi);
    report_fmt_value(mean, sizeof mean, m, s.mean);
    if (*ci && !(strcmp(lo, mean) == 0 && strcmp(hi, mean) == 0))
        snprintf(buf, len, " (95%% CI %s)", ci);
    else
        buf[0] = '\0';
}

void report_fmt_signed(char *buf, size_t len, enum metric m, double v)
{
    char a[40];
    if (!isfinite(v)) {
        snprintf(buf, len, "-");
        return;
    }
    report_fmt_value(a, sizeof a, m, fabs(v));
    snprintf(buf, len, "%s%s", v < 0 ? "\xe2\x88\x92" : v > 0 ? "+" : "", a);
}

void report_fmt_count(char *buf, size_t len, double v)
{
    /* one formatter of counts for people, shared with the text summary */
    units_format_count(v, buf, len);
}

int report_provenance_facts(struct doc *d, const cJSON *prov, const char *label)
{
    if (!cJSON_IsObject(prov))
        return 0;
    const char *src = jsonfile_str(prov, "source"), *sha = jsonfile_str(prov, "sha256"),
               *ver = jsonfile_str(prov, "version");
    char k[128];
    snprintf(k, sizeof k, "%s file", label);
    doc_fact(d, k, "%s (SHA-256 %s)", src ? src : "?", sha ? sha : "?");
    const cJSON *ov = cJSON_GetObjectItemCaseSensitive(prov, "overrides");
    int n = 0;
    for (const cJSON *e = cJSON_IsArray(ov) ? ov->child : NULL; e; e = e->next)
        if (cJSON_IsString(e)) {
            snprintf(k, sizeof k, "%s --set %d", label, ++n);
            doc_fact(d, k, "%s", e->valuestring);
        }
    int said = 0; /* the version once, however many scenarios */
    for (size_t i = 0; i < d->fact_k.n; i++)
        said |= !strcmp(d->fact_k.v[i], "provsim version");
    if (ver && !said)
        doc_fact(d, "provsim version", "%s", ver);
    return n;
}

const char *report_path_tail(const char *path)
{
    const char *s = strrchr(path, '.');
    return s && s[1] ? s + 1 : path;
}

void report_values_label(const cJSON *vals, int tails, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = '\0';
    for (const cJSON *v = cJSON_IsObject(vals) ? vals->child : NULL; v && o < len; v = v->next) {
        char num[64];
        const char *s = num;
        if (cJSON_IsString(v))
            s = v->valuestring;
        else if (cJSON_IsNumber(v))
            snprintf(num, sizeof num, "%.10g", v->valuedouble);
        else
            snprintf(num, sizeof num, "?");
        const char *key = v->string ? v->string : "?";
        o += (size_t)snprintf(buf + o, len - o, "%s%s = %s", o ? ", " : "",
                              tails ? report_path_tail(key) : key, s);
    }
}

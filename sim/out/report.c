/* report.c -- see report.h.
 *
 * A report is first built as plain text (struct doc: facts, findings, a
 * table, charts), then written twice, as Markdown and as HTML; only the
 * writers know a format, so only they escape, and they escape every
 * string they did not write themselves. */
#include "out/report.h"

#include "models/metrics.h"
#include "base/file.h"
#include "base/outfile.h"
#include "out/jsonfile.h"
#include "out/plot.h"
#include "out/resultdir.h"
#include "out/summary.h"
#include "out/table.h"
#include "base/units.h"
#include "base/util.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BEST_SHOWN 3 /* cells per goal in a sweep's table */

/* ---- the document ------------------------------------------------------- */

struct strv {
    char **v;
    size_t n, cap;
};

static void sv_add(struct strv *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sv_add(struct strv *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = xmalloc(n > 0 ? (size_t)n + 1 : 1);
    p[0] = '\0';
    if (n > 0) {
        va_start(ap, fmt);
        vsnprintf(p, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    xgrow((void **)&s->v, &s->cap, s->n + 1, sizeof *s->v);
    s->v[s->n++] = p;
}

static void sv_fini(struct strv *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

/* A table of text cells, each with an optional second line (a CI). The
 * first textcols columns are text, the rest numbers (right-aligned). */
struct rtable {
    struct strv head;
    struct strv text, sub; /* row-major, ncols per row; sub "" = none */
    int textcols;
};

static size_t rt_ncols(const struct rtable *t)
{
    return t->head.n;
}

static void rt_cell(struct rtable *t, const char *text, const char *sub)
{
    sv_add(&t->text, "%s", text);
    sv_add(&t->sub, "%s", sub ? sub : "");
}

struct doc {
    const char *kind;       /* "run", "compare", "sweep" */
    char title[1024];
    struct strv fact_k, fact_v; /* the scenario(s), as label: value */
    struct strv notes;      /* the scenario's own notes */
    struct strv findings;
    char table_title[128];
    char table_note[512];
    struct rtable table;
    struct strv charts, captions;
    char chart_note[1200];  /* why charts are missing, or "" */
};

static void doc_fini(struct doc *d)
{
    sv_fini(&d->fact_k);
    sv_fini(&d->fact_v);
    sv_fini(&d->notes);
    sv_fini(&d->findings);
    sv_fini(&d->table.head);
    sv_fini(&d->table.text);
    sv_fini(&d->table.sub);
    sv_fini(&d->charts);
    sv_fini(&d->captions);
}

static void fact(struct doc *d, const char *k, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fact(struct doc *d, const char *k, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    sv_add(&d->fact_k, "%s", k);
    sv_add(&d->fact_v, "%s", buf);
}

/* ---- reading the data --------------------------------------------------- */

struct st {
    double mean, lo, hi;
};

static struct st jst(const cJSON *o)
{
    struct st s = {jsonfile_num(o, "mean"), jsonfile_num(o, "ci95_lo"),
                   jsonfile_num(o, "ci95_hi")};
    return s;
}

/* metrics[name] of a run.json or a sweep cell */
static struct st metric_st(const cJSON *metrics, enum metric m)
{
    return jst(cJSON_GetObjectItemCaseSensitive(metrics, metric_table[m].name));
}

static void fmt_count(char *buf, size_t len, double v);

/* As the text report writes it, with thousands separators on counts */
static void fmt_val(char *buf, size_t len, enum metric m, double v)
{
    if (metric_table[m].unit == METRIC_UNIT_COUNT && isfinite(v) && fabs(v) >= 1000)
        fmt_count(buf, len, v);
    else
        summary_format_value(buf, len, m, v);
}

/* "lo – hi", or "" when there is no interval. Every metric here is >= 0:
 * a t interval reaching below 0 (few replications of a skewed count) is
 * shown from 0. */
static void fmt_ci(char *buf, size_t len, enum metric m, struct st s)
{
    if (!isfinite(s.lo) || !isfinite(s.hi) || s.lo == s.hi) {
        buf[0] = '\0';
        return;
    }
    char lo[48], hi[48];
    fmt_val(lo, sizeof lo, m, fmax(s.lo, 0.0));
    fmt_val(hi, sizeof hi, m, s.hi);
    snprintf(buf, len, "%s \xe2\x80\x93 %s", lo, hi);
}

/* " (95% CI lo – hi)", or "" when there is no interval or it rounds to
 * the mean at the precision shown */
static void fmt_ci_paren(char *buf, size_t len, enum metric m, struct st s)
{
    char ci[128], lo[48], hi[48], mean[48];
    fmt_ci(ci, sizeof ci, m, s);
    fmt_val(lo, sizeof lo, m, fmax(s.lo, 0.0));
    fmt_val(hi, sizeof hi, m, s.hi);
    fmt_val(mean, sizeof mean, m, s.mean);
    if (*ci && !(strcmp(lo, mean) == 0 && strcmp(hi, mean) == 0))
        snprintf(buf, len, " (95%% CI %s)", ci);
    else
        buf[0] = '\0';
}

static void fmt_signed(char *buf, size_t len, enum metric m, double v)
{
    char a[40];
    if (!isfinite(v)) {
        snprintf(buf, len, "-");
        return;
    }
    fmt_val(a, sizeof a, m, fabs(v));
    snprintf(buf, len, "%s%s", v < 0 ? "\xe2\x88\x92" : v > 0 ? "+" : "", a);
}

/* 5000 -> "5,000" */
static void fmt_count(char *buf, size_t len, double v)
{
    char digits[64];
    snprintf(digits, sizeof digits, "%.0f", fabs(v));
    size_t nd = strlen(digits), o = 0;
    char out[96];
    if (v < 0)
        out[o++] = '-';
    for (size_t i = 0; i < nd; i++) {
        if (i > 0 && (nd - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    snprintf(buf, len, "%s", out);
}

/* ---- a run ---------------------------------------------------------------- */

static void add_metric_row(struct doc *d, const cJSON *metrics, enum metric m)
{
    struct st s = metric_st(metrics, m);
    char mean[48], ci[128];
    fmt_val(mean, sizeof mean, m, s.mean);
    fmt_ci(ci, sizeof ci, m, s);
    rt_cell(&d->table, metric_table[m].label, NULL);
    rt_cell(&d->table, mean, NULL);
    rt_cell(&d->table, *ci ? ci : "", NULL);
}

static int build_run(struct doc *d, const char *dir, char *err, size_t errlen)
{
    cJSON *run = jsonfile_read(dir, RESDIR_RUN_JSON, err, errlen);
    if (!run)
        return -1;
    char e2[256];
    cJSON *meta = jsonfile_read(dir, RESDIR_META_JSON, e2, sizeof e2); /* optional */
    const cJSON *ms = cJSON_GetObjectItemCaseSensitive(run, "metrics");
    if (!cJSON_IsObject(ms)) {
        snprintf(err, errlen, "%s/" RESDIR_RUN_JSON ": no \"metrics\" object", dir);
        cJSON_Delete(run);
        cJSON_Delete(meta);
        return -1;
    }
    const char *name = jsonfile_str(run, "scenario");
    snprintf(d->title, sizeof d->title, "%s", name ? name : "provsim run");

    /* the scenario */
    const char *start = meta ? jsonfile_str(meta, "start") : NULL;
    int64_t start_epoch = 0;
    char buf[256], b2[256];
    int have_start = start && units_parse_datetime(start, &start_epoch, buf, sizeof buf) == 0;
    if (have_start) {
        units_format_clock(start_epoch, b2, sizeof b2);
        fact(d, "Start", "%s (%s)", start, b2);
    }
    double horizon = meta ? jsonfile_num(meta, "horizon_s") : NAN;
    if (isfinite(horizon)) {
        units_format_duration(horizon, buf, sizeof buf);
        fact(d, "Horizon", "%s", buf);
    }
    const cJSON *ros = meta ? cJSON_GetObjectItemCaseSensitive(meta, "rollouts") : NULL;
    int64_t first_at = INT64_MAX;
    double users = 0;
    int nro = 0;
    for (const cJSON *ro = cJSON_IsArray(ros) ? ros->child : NULL; ro; ro = ro->next, nro++) {
        double u = jsonfile_num(ro, "users"), bs = jsonfile_num(ro, "batch_size"),
               iv = jsonfile_num(ro, "batch_interval_s");
        const char *kind = jsonfile_str(ro, "kind"), *at = jsonfile_str(ro, "at");
        int64_t at_e;
        char when[64] = "?", cnt[64];
        if (at && units_parse_datetime(at, &at_e, buf, sizeof buf) == 0) {
            units_format_clock(at_e, when, sizeof when);
            if (at_e < first_at)
                first_at = at_e;
        }
        users += isfinite(u) ? u : 0;
        fmt_count(cnt, sizeof cnt, u);
        char batches[160] = "";
        if (isfinite(bs) && bs > 0 && isfinite(u) && u > bs) {
            char ivs[48], bsz[48];
            units_format_duration(iv, ivs, sizeof ivs);
            fmt_count(bsz, sizeof bsz, bs);
            snprintf(batches, sizeof batches, ", %.0f batches of %s every %s", ceil(u / bs), bsz,
                     ivs);
        }
        char label[32];
        snprintf(label, sizeof label, "Rollout %d", nro + 1);
        fact(d, label, "%s %s jobs from %s%s", cnt, kind ? kind : "", when, batches);
    }
    double reps = jsonfile_num(run, "replications"), seed = jsonfile_num(run, "seed");
    fact(d, "Replications", "%.0f (seed %.0f); the charts show replication 0", reps, seed);
    const cJSON *notes = meta ? cJSON_GetObjectItemCaseSensitive(meta, "notes") : NULL;
    for (const cJSON *n = cJSON_IsArray(notes) ? notes->child : NULL; n; n = n->next)
        if (cJSON_IsString(n))
            sv_add(&d->notes, "%s", n->valuestring);

    /* the findings */
    struct st clear = metric_st(ms, METRIC_CLEAR_TIME), fz = metric_st(ms, METRIC_FAILED_TASKS_ZERO),
              cleared = metric_st(ms, METRIC_CLEARED), thr = metric_st(ms, METRIC_THROTTLED),
              att = metric_st(ms, METRIC_ATTEMPTS), amp = metric_st(ms, METRIC_AMPLIFICATION),
              pft = metric_st(ms, METRIC_PEAK_FAILED_TASKS), lb = metric_st(ms, METRIC_LOWER_BOUND),
              eff = metric_st(ms, METRIC_EFFICIENCY), bj = metric_st(ms, METRIC_BACKGROUND_JOBS),
              bp95 = metric_st(ms, METRIC_BACKGROUND_LAT_P95),
              bthr = metric_st(ms, METRIC_BACKGROUND_THROTTLED),
              oreq = metric_st(ms, METRIC_OTHER_REQUESTS), othr = metric_st(ms, METRIC_OTHER_THROTTLED);
    char v1[64], v2[64], c1[160], c2[160];
    int rollout = nro > 0 ? users > 0 : isfinite(clear.mean) && clear.mean > 0;
    if (rollout) {
        fmt_val(v1, sizeof v1, METRIC_CLEAR_TIME, clear.mean);
        fmt_ci_paren(c1, sizeof c1, METRIC_CLEAR_TIME, clear);
        if (isfinite(cleared.mean) && cleared.mean < 1.0) {
            sv_add(&d->findings,
                   "Not every replication cleared the rollout within the horizon (%.0f%% did): "
                   "the clear time of %s is a lower bound.",
                   100.0 * cleared.mean, v1);
        } else {
            char done[96] = "";
            if (first_at != INT64_MAX && isfinite(clear.mean)) {
                char clk[32];
                units_format_clock(first_at + (int64_t)llround(clear.mean), clk, sizeof clk);
                snprintf(done, sizeof done, "; on average the last job was done at %s", clk);
            }
            sv_add(&d->findings, "The rollout cleared in %s%s%s.", v1, c1, done);
        }
        if (isfinite(lb.mean) && lb.mean > 0 && isfinite(eff.mean)) {
            fmt_val(v2, sizeof v2, METRIC_LOWER_BOUND, lb.mean);
            sv_add(&d->findings,
                   "The rate limits allow no faster than %s (the lower bound): the rollout "
                   "ran at %.0f%% of that pace.",
                   v2, 100.0 * eff.mean);
        }
    }
    if (isfinite(pft.mean) && pft.mean > 0) {
        fmt_count(v1, sizeof v1, pft.mean);
        fmt_val(v2, sizeof v2, METRIC_FAILED_TASKS_ZERO, fz.mean);
        fmt_ci_paren(c2, sizeof c2, METRIC_FAILED_TASKS_ZERO, fz);
        sv_add(&d->findings,
               "The failed-task list peaked at %s tasks and was back to zero %s%s after the "
               "rollout began.",
               v1, v2, c2);
    } else if (isfinite(pft.mean)) {
        sv_add(&d->findings, "No task ever showed as failed.");
    }
    if (isfinite(thr.mean)) {
        if (thr.mean > 0) {
            fmt_count(v1, sizeof v1, thr.mean);
            fmt_count(v2, sizeof v2, att.mean);
            fmt_ci_paren(c1, sizeof c1, METRIC_THROTTLED, thr);
            char a[48];
            fmt_val(a, sizeof a, METRIC_AMPLIFICATION, amp.mean);
            sv_add(&d->findings,
                   "The client received %s 429s%s out of %s requests: %s attempts per job.", v1,
                   c1, v2, a);
        } else {
            sv_add(&d->findings, "The client received no 429s.");
        }
    }
    if (isfinite(bj.mean) && bj.mean > 0) {
        fmt_val(v1, sizeof v1, METRIC_BACKGROUND_LAT_P95, bp95.mean);
        fmt_ci_paren(c1, sizeof c1, METRIC_BACKGROUND_LAT_P95, bp95);
        fmt_count(v2, sizeof v2, bthr.mean);
        sv_add(&d->findings,
               "Background jobs (everyday joiners, movers and leavers) waited %s at the 95th "
               "percentile%s; %s of their requests got a 429.",
               v1, c1, v2);
    }
    if (isfinite(oreq.mean) && oreq.mean > 0) {
        fmt_count(v1, sizeof v1, othr.mean);
        fmt_count(v2, sizeof v2, oreq.mean);
        fmt_ci_paren(c1, sizeof c1, METRIC_OTHER_THROTTLED, othr);
        sv_add(&d->findings,
               "Other clients of the same API received %s 429s%s out of %s requests: the "
               "collateral damage.",
               v1, c1, v2);
    }

    /* the key metrics */
    snprintf(d->table_title, sizeof d->table_title, "Key metrics");
    snprintf(d->table_note, sizeof d->table_note,
             "Mean over %.0f replications, with the 95%% confidence interval of the mean.", reps);
    sv_add(&d->table.head, "Metric");
    sv_add(&d->table.head, "Mean");
    sv_add(&d->table.head, "95%% CI");
    d->table.textcols = 1;
    static const enum metric rows_rollout[] = {
        METRIC_CLEAR_TIME,  METRIC_FAILED_TASKS_ZERO, METRIC_CLEARED,     METRIC_LOWER_BOUND, METRIC_EFFICIENCY,
        METRIC_ROLLOUT_P50, METRIC_ROLLOUT_P95,       METRIC_ROLLOUT_MAX,
    };
    static const enum metric rows_client[] = {
        METRIC_JOBS,      METRIC_ATTEMPTS,     METRIC_THROTTLED,        METRIC_AMPLIFICATION,
        METRIC_EXHAUSTED, METRIC_PEAK_BACKLOG, METRIC_PEAK_FAILED_TASKS, METRIC_PENDING,
    };
    if (rollout)
        for (size_t i = 0; i < sizeof rows_rollout / sizeof *rows_rollout; i++)
            add_metric_row(d, ms, rows_rollout[i]);
    for (size_t i = 0; i < sizeof rows_client / sizeof *rows_client; i++)
        add_metric_row(d, ms, rows_client[i]);
    if (isfinite(bj.mean) && bj.mean > 0) {
        add_metric_row(d, ms, METRIC_BACKGROUND_LAT_P95);
        add_metric_row(d, ms, METRIC_BACKGROUND_THROTTLED);
    }
    if (isfinite(oreq.mean) && oreq.mean > 0) {
        add_metric_row(d, ms, METRIC_OTHER_REQUESTS);
        add_metric_row(d, ms, METRIC_OTHER_THROTTLED);
    }
    cJSON_Delete(run);
    cJSON_Delete(meta);
    return 0;
}

/* ---- a compare ------------------------------------------------------------ */

static int build_compare(struct doc *d, const char *dir, char *err, size_t errlen)
{
    cJSON *cj = jsonfile_read(dir, RESDIR_COMPARE_JSON, err, errlen);
    if (!cj)
        return -1;
    const cJSON *scns = cJSON_GetObjectItemCaseSensitive(cj, "scenarios");
    const cJSON *ms = cJSON_GetObjectItemCaseSensitive(cj, "metrics");
    int n = cJSON_IsArray(scns) ? cJSON_GetArraySize(scns) : 0;
    if (n < 1 || !cJSON_IsObject(ms)) {
        snprintf(err, errlen, "%s/" RESDIR_COMPARE_JSON ": no scenarios or metrics", dir);
        cJSON_Delete(cj);
        return -1;
    }
    size_t tl = 0;
    d->title[0] = '\0';
    for (int i = 0; i < n; i++) {
        const cJSON *s = cJSON_GetArrayItem(scns, i);
        const char *name = jsonfile_str(s, "name"), *file = jsonfile_str(s, "file"),
                   *label = jsonfile_str(s, "label");
        char lab[16];
        snprintf(lab, sizeof lab, "%c", 'A' + (i % 26));
        if (!label)
            label = lab;
        char key[64];
        snprintf(key, sizeof key, "Scenario %s", label);
        if (file)
            fact(d, key, "%s (%s)", name ? name : "", file);
        else
            fact(d, key, "%s", name ? name : "");
        if (tl < sizeof d->title)
            tl += (size_t)snprintf(d->title + tl, sizeof d->title - tl, "%s%s",
                                   i ? " vs " : "", name ? name : label);
    }
    double reps = jsonfile_num(cj, "replications"), seed = jsonfile_num(cj, "seed");
    fact(d, "Replications",
         "%.0f per scenario (seed %.0f), paired: replication r of every scenario draws the "
         "same random numbers, so the differences are the scenarios', not noise",
         reps, seed);
    /* the findings name each scenario as "A (its name)"; the list above
     * already says which is which, so "A" reads better */
    const cJSON *fs = cJSON_GetObjectItemCaseSensitive(cj, "findings");
    for (const cJSON *f = cJSON_IsArray(fs) ? fs->child : NULL; f; f = f->next) {
        if (!cJSON_IsString(f))
            continue;
        char *text = xstrdup(f->valuestring);
        for (int i = 0; i < n; i++) {
            const cJSON *sc = cJSON_GetArrayItem(scns, i);
            const char *name = jsonfile_str(sc, "name"), *label = jsonfile_str(sc, "label");
            if (!name || !label)
                continue;
            size_t ll = strlen(label), pl = ll + strlen(name) + 3;
            char *pat = xmalloc(pl + 1);
            snprintf(pat, pl + 1, "%s (%s)", label, name);
            for (char *at; (at = strstr(text, pat));)
                memmove(at + ll, at + pl, strlen(at + pl) + 1);
            free(pat);
        }
        sv_add(&d->findings, "%s.", text);
        free(text);
    }

    snprintf(d->table_title, sizeof d->table_title, "Key metrics");
    snprintf(d->table_note, sizeof d->table_note,
             "Mean of each scenario with its 95%% CI; the difference to A is paired "
             "(replication by replication), with the 95%% CI of that difference.");
    sv_add(&d->table.head, "Metric");
    for (int i = 0; i < n; i++)
        sv_add(&d->table.head, "%c", 'A' + (i % 26));
    for (int i = 1; i < n; i++)
        sv_add(&d->table.head, "%c \xe2\x88\x92 A", 'A' + (i % 26));
    d->table.textcols = 1;
    static const enum metric rows[] = {
        METRIC_CLEAR_TIME,       METRIC_FAILED_TASKS_ZERO, METRIC_THROTTLED,     METRIC_OTHER_THROTTLED,
        METRIC_BACKGROUND_LAT_P95, METRIC_PEAK_FAILED_TASKS, METRIC_AMPLIFICATION, METRIC_ATTEMPTS,
    };
    for (size_t r = 0; r < sizeof rows / sizeof *rows; r++) {
        enum metric m = rows[r];
        const cJSON *mo = cJSON_GetObjectItemCaseSensitive(ms, metric_table[m].name);
        const cJSON *per = cJSON_GetObjectItemCaseSensitive(mo, "scenarios");
        const cJSON *dif = cJSON_GetObjectItemCaseSensitive(mo, "diff");
        rt_cell(&d->table, metric_table[m].label, NULL);
        for (int i = 0; i < n; i++) {
            struct st s = jst(cJSON_GetArrayItem(per, i));
            char mean[48], ci[128];
            fmt_val(mean, sizeof mean, m, s.mean);
            fmt_ci(ci, sizeof ci, m, s);
            rt_cell(&d->table, mean, ci);
        }
        for (int i = 1; i < n; i++) {
            struct st s = jst(cJSON_GetArrayItem(dif, i));
            char mean[48], lo[48], hi[48], ci[128] = "";
            fmt_signed(mean, sizeof mean, m, s.mean);
            if (isfinite(s.lo) && isfinite(s.hi) && s.lo != s.hi) {
                fmt_signed(lo, sizeof lo, m, s.lo);
                fmt_signed(hi, sizeof hi, m, s.hi);
                snprintf(ci, sizeof ci, "%s to %s", lo, hi);
            }
            rt_cell(&d->table, mean, ci);
        }
    }
    cJSON_Delete(cj);
    return 0;
}

/* ---- a sweep ------------------------------------------------------------ */

static const char *last_segment(const char *path)
{
    const char *s = strrchr(path, '.');
    return s && s[1] ? s + 1 : path;
}

/* The varied values of each cell as the user wrote them: sweep.csv's
 * leading columns, one row per cell in grid order (sweep.json's "values"
 * may hold them as JSON numbers instead). NULL when unusable. */
static struct table *sweep_values(const char *dir, int nvary, int ncells)
{
    char *p = file_join(dir, RESDIR_SWEEP_CSV);
    char e[256];
    struct table *t = xmalloc(sizeof *t);
    int rc = tbl_load(t, p, e, sizeof e);
    free(p);
    if (rc != 0 || nvary < 1 || t->ncols < nvary || t->nrows != (size_t)ncells) {
        tbl_fini(t);
        free(t);
        return NULL;
    }
    return t;
}

/* "batch_size = 250, at = 22:00" */
static void cell_label(const cJSON *cell, const struct table *vt, int k, char *buf, size_t len)
{
    const cJSON *vals = cJSON_GetObjectItemCaseSensitive(cell, "values");
    size_t o = 0;
    buf[0] = '\0';
    if (vt) {
        for (int c = 0; c < vt->ncols && o < len; c++) {
            size_t l = strlen(vt->cells[c]);
            if (l > 5 && !strcmp(vt->cells[c] + l - 5, "_mean"))
                break; /* the metrics begin */
            o += (size_t)snprintf(buf + o, len - o, "%s%s = %s", o ? ", " : "",
                                  last_segment(vt->cells[c]), tbl_get(vt, (size_t)k, c));
        }
        return;
    }
    for (const cJSON *v = cJSON_IsObject(vals) ? vals->child : NULL; v && o < len; v = v->next) {
        char num[64];
        const char *s = num;
        if (cJSON_IsString(v))
            s = v->valuestring;
        else if (cJSON_IsNumber(v))
            snprintf(num, sizeof num, "%.10g", v->valuedouble);
        else
            snprintf(num, sizeof num, "?");
        o += (size_t)snprintf(buf + o, len - o, "%s%s = %s", o ? ", " : "",
                              last_segment(v->string ? v->string : "?"), s);
    }
}

static int build_sweep(struct doc *d, const char *dir, char *err, size_t errlen)
{
    cJSON *sj = jsonfile_read(dir, RESDIR_SWEEP_JSON, err, errlen);
    if (!sj)
        return -1;
    const cJSON *cells = cJSON_GetObjectItemCaseSensitive(sj, "cells");
    int nc = cJSON_IsArray(cells) ? cJSON_GetArraySize(cells) : 0;
    if (nc < 1) {
        snprintf(err, errlen, "%s/" RESDIR_SWEEP_JSON ": no cells", dir);
        cJSON_Delete(sj);
        return -1;
    }
    const char *name = jsonfile_str(sj, "scenario"), *file = jsonfile_str(sj, "file");
    snprintf(d->title, sizeof d->title, "%s", name ? name : "provsim sweep");
    if (file)
        fact(d, "Base scenario", "%s (%s)", name ? name : "", file);
    const cJSON *sets = cJSON_GetObjectItemCaseSensitive(sj, "set");
    for (const cJSON *s = cJSON_IsArray(sets) ? sets->child : NULL; s; s = s->next)
        if (cJSON_IsString(s))
            fact(d, "Override", "%s", s->valuestring);
    const cJSON *vary = cJSON_GetObjectItemCaseSensitive(sj, "vary");
    struct table *vt =
        sweep_values(dir, cJSON_IsArray(vary) ? cJSON_GetArraySize(vary) : 0, nc);
    for (const cJSON *v = cJSON_IsArray(vary) ? vary->child : NULL; v; v = v->next) {
        const char *path = jsonfile_str(v, "path"), *spec = jsonfile_str(v, "spec");
        const cJSON *vals = cJSON_GetObjectItemCaseSensitive(v, "values");
        fact(d, "Varied", "%s = %s (%d values)", path ? path : "?", spec ? spec : "?",
             cJSON_IsArray(vals) ? cJSON_GetArraySize(vals) : 0);
    }
    fact(d, "Cells", "%d, %.0f replications each (seed %.0f), with common random numbers: "
                     "differences between cells are the scenario's, not noise",
         nc, jsonfile_num(sj, "replications"), jsonfile_num(sj, "seed"));

    static const struct {
        enum metric m;
        const char *goal;
    } goals[] = {
        {METRIC_CLEAR_TIME, "Fastest clear"},
        {METRIC_OTHER_THROTTLED, "Fewest collateral 429s"},
        {METRIC_BACKGROUND_LAT_P95, "Lowest background p95 latency"},
    };
    snprintf(d->table_title, sizeof d->table_title, "Best cells");
    snprintf(d->table_note, sizeof d->table_note,
             "The %d cells with the lowest mean for each goal, with the 95%% CI of the mean.",
             BEST_SHOWN);
    sv_add(&d->table.head, "Goal");
    sv_add(&d->table.head, "Cell");
    sv_add(&d->table.head, "Mean");
    sv_add(&d->table.head, "95%% CI");
    d->table.textcols = 2;
    int *order = xmalloc((size_t)nc * sizeof *order);
    for (size_t g = 0; g < sizeof goals / sizeof *goals; g++) {
        enum metric m = goals[g].m;
        /* selection of the BEST_SHOWN lowest finite means, in grid order on ties */
        int nshow = 0;
        double worst = -INFINITY;
        int worst_i = -1;
        for (int k = 0; k < nc; k++)
            order[k] = k;
        for (int pos = 0; pos < nc && pos < BEST_SHOWN; pos++) {
            int best = -1;
            double bv = INFINITY;
            for (int k = pos; k < nc; k++) {
                struct st s = metric_st(
                    cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(cells, order[k]),
                                                     "metrics"),
                    m);
                if (isfinite(s.mean) && (best < 0 || s.mean < bv)) {
                    best = k;
                    bv = s.mean;
                }
            }
            if (best < 0)
                break;
            int t = order[pos];
            order[pos] = order[best];
            order[best] = t;
            nshow++;
        }
        for (int k = 0; k < nc; k++) {
            struct st s = metric_st(
                cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(cells, k), "metrics"), m);
            if (isfinite(s.mean) && s.mean > worst) {
                worst = s.mean;
                worst_i = k;
            }
        }
        if (nshow == 0)
            continue;
        for (int r = 0; r < nshow; r++) {
            const cJSON *cell = cJSON_GetArrayItem(cells, order[r]);
            struct st s = metric_st(cJSON_GetObjectItemCaseSensitive(cell, "metrics"), m);
            char label[1024], mean[48], ci[128];
            cell_label(cell, vt, order[r], label, sizeof label);
            fmt_val(mean, sizeof mean, m, s.mean);
            fmt_ci(ci, sizeof ci, m, s);
            rt_cell(&d->table, r == 0 ? goals[g].goal : "", NULL);
            rt_cell(&d->table, label, NULL);
            rt_cell(&d->table, mean, NULL);
            rt_cell(&d->table, ci, NULL);
        }
        /* the finding: the best, how many cells tie with it, the worst */
        const cJSON *bc = cJSON_GetArrayItem(cells, order[0]);
        struct st b = metric_st(cJSON_GetObjectItemCaseSensitive(bc, "metrics"), m);
        int within = 0;
        for (int k = 0; k < nc; k++) {
            struct st s = metric_st(
                cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(cells, k), "metrics"), m);
            if (k != order[0] && isfinite(s.mean) && isfinite(b.hi) && s.mean <= b.hi)
                within++;
        }
        char label[1024], mean[48], ci[160], wl[1024], wm[48];
        cell_label(bc, vt, order[0], label, sizeof label);
        fmt_val(mean, sizeof mean, m, b.mean);
        char range[128];
        fmt_ci(range, sizeof range, m, b);
        if (*range)
            snprintf(ci, sizeof ci, ", 95%% CI %s", range);
        else
            ci[0] = '\0';
        char tail[1200] = "";
        if (worst_i >= 0 && worst > b.mean) {
            cell_label(cJSON_GetArrayItem(cells, worst_i), vt, worst_i, wl, sizeof wl);
            fmt_val(wm, sizeof wm, m, worst);
            if (b.mean > 0)
                snprintf(tail, sizeof tail, "; the worst cell (%s) has %s, %.1f times as much",
                         wl, wm, worst / b.mean);
            else
                snprintf(tail, sizeof tail, "; the worst cell (%s) has %s", wl, wm);
        }
        char ties[96];
        if (within)
            snprintf(ties, sizeof ties, " %d other cell%s within its CI (tied within noise)",
                     within, within == 1 ? " is" : "s are");
        else
            snprintf(ties, sizeof ties, " no other cell is within its CI");
        sv_add(&d->findings, "%s: %s (%s%s);%s%s.", goals[g].goal, label, mean, ci, ties, tail);
    }
    free(order);
    if (vt) {
        tbl_fini(vt);
        free(vt);
    }
    cJSON_Delete(sj);
    return 0;
}

/* ---- charts ---------------------------------------------------------------- */

static int mtime_of(const char *dir, const char *name, struct timespec *t)
{
    char *p = file_join(dir, name);
    struct stat st;
    int rc = stat(p, &st);
    free(p);
    if (rc == 0)
        *t = st.st_mtim;
    return rc;
}

static int older(struct timespec a, struct timespec b)
{
    return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

/* Draws the charts when the first is missing or any is older than the
 * data. Returns a report_status, with d->chart_note set when not OK. */
static int ensure_charts(struct doc *d, const char *dir, enum resdir_kind kind)
{
    const char *const *charts = plot_chart_names(kind);
    struct timespec data, t;
    int need = 0;
    if (mtime_of(dir, resdir_data_file(kind), &data) != 0)
        return REPORT_OK; /* no data to draw from (a run without series) */
    for (int i = 0; charts[i]; i++) {
        char png[128];
        resdir_chart_name(png, sizeof png, charts[i], RESDIR_PNG);
        if (mtime_of(dir, png, &t) != 0)
            need |= i == 0;
        else if (older(t, data))
            need = 1;
    }
    if (!need)
        return REPORT_OK;
    char err[1024];
    int rc = plot_dir(dir, err, sizeof err);
    switch (rc) {
    case PLOT_OK:
    case PLOT_NO_DATA:
        return REPORT_OK;
    case PLOT_NO_GNUPLOT:
        snprintf(d->chart_note, sizeof d->chart_note, "No charts: %s", err);
        return REPORT_NO_CHARTS;
    default:
        snprintf(d->chart_note, sizeof d->chart_note, "The charts could not be drawn: %s", err);
        return REPORT_CHARTS_FAILED;
    }
}

static void collect_charts(struct doc *d, const char *dir, enum resdir_kind kind)
{
    const char *const *charts = plot_chart_names(kind);
    struct timespec data, t;
    int have_data = mtime_of(dir, resdir_data_file(kind), &data) == 0;
    for (int i = 0; charts[i]; i++) {
        char png[128];
        resdir_chart_name(png, sizeof png, charts[i], RESDIR_PNG);
        /* a chart older than its data would tell another story: leave it out */
        if (mtime_of(dir, png, &t) != 0 || (have_data && older(t, data)))
            continue;
        sv_add(&d->charts, "%s", charts[i]);
        sv_add(&d->captions, "%s", plot_chart_caption(kind, charts[i]));
    }
}

/* ---- Markdown ------------------------------------------------------------ */

/* Text from the data, as Markdown that renders as that text: punctuation
 * Markdown or inline HTML could act on gets a backslash; line breaks
 * (which would end a list item or a table row) become spaces. */
static void md_esc(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            fputc(' ', f);
        else if (strchr("\\`*_{}[]<>|~&#!", *p))
            fprintf(f, "\\%c", *p);
        else
            fputc(*p, f);
    }
}

static void write_md(FILE *f, const struct doc *d)
{
    fputs("# ", f);
    md_esc(f, d->title);
    fprintf(f, "\n\n*provsim %s report*\n\n## Scenario\n\n", d->kind);
    for (size_t i = 0; i < d->fact_k.n; i++) {
        fputs("- **", f);
        md_esc(f, d->fact_k.v[i]);
        fputs(":** ", f);
        md_esc(f, d->fact_v.v[i]);
        fputs("\n", f);
    }
    fputs("\n## Findings\n\n", f);
    if (!d->findings.n)
        fputs("- (none)\n", f);
    for (size_t i = 0; i < d->findings.n; i++) {
        fputs("- ", f);
        md_esc(f, d->findings.v[i]);
        fputs("\n", f);
    }
    const struct rtable *t = &d->table;
    size_t nc = rt_ncols(t);
    if (nc && t->text.n) {
        fprintf(f, "\n## %s\n\n", d->table_title);
        fputs("|", f);
        for (size_t c = 0; c < nc; c++) {
            fputs(" ", f);
            md_esc(f, t->head.v[c]);
            fputs(" |", f);
        }
        fputs("\n|", f);
        for (size_t c = 0; c < nc; c++)
            fputs((int)c < t->textcols ? " --- |" : " ---: |", f);
        fputs("\n", f);
        for (size_t k = 0; k < t->text.n; k += nc) {
            fputs("|", f);
            for (size_t c = 0; c < nc; c++) {
                fputs(" ", f);
                md_esc(f, t->text.v[k + c]);
                if (*t->sub.v[k + c]) {
                    fputs(" (", f);
                    md_esc(f, t->sub.v[k + c]);
                    fputs(")", f);
                }
                fputs(" |", f);
            }
            fputs("\n", f);
        }
        fputs("\n", f);
        md_esc(f, d->table_note);
        fputs("\n", f);
    }
    if (d->charts.n || *d->chart_note) {
        fputs("\n## Charts\n\n", f);
        if (*d->chart_note) {
            md_esc(f, d->chart_note);
            fputs("\n\n", f);
        }
        for (size_t i = 0; i < d->charts.n; i++) {
            /* chart names are provsim's own: backlog, rates, ... */
            fprintf(f, "![%s](%s." RESDIR_PNG ")\n\n", d->charts.v[i], d->charts.v[i]);
            md_esc(f, d->captions.v[i]);
            fputs(" SVG: ", f);
            fprintf(f, "[%s." RESDIR_SVG "](%s." RESDIR_SVG ")\n\n", d->charts.v[i],
                    d->charts.v[i]);
        }
    }
    if (d->notes.n) {
        fputs("\n## Notes from the scenario file\n\n", f);
        for (size_t i = 0; i < d->notes.n; i++) {
            fputs("- ", f);
            md_esc(f, d->notes.v[i]);
            fputs("\n", f);
        }
    }
    fprintf(f, "\n---\nWritten by provsim %s from the data in this directory.\n",
            PROVSIM_VERSION);
}

/* ---- HTML ------------------------------------------------------------------ */

static void html_esc(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*p < 0x20 || *p == 0x7f ? ' ' : *p, f);
        }
    }
}

size_t report_base64(const unsigned char *in, size_t n, char *out)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        out[o++] = tab[v >> 18 & 63];
        out[o++] = tab[v >> 12 & 63];
        out[o++] = i + 1 < n ? tab[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? tab[v & 63] : '=';
    }
    out[o] = '\0';
    return o;
}

/* Writes DIR/<chart>.png as a data: URI. Returns 0, or -1 if unreadable
 * (missing, over the chart cap, not a PNG). */
static int write_png_uri(FILE *f, const char *dir, const char *chart)
{
    char name[128];
    resdir_chart_name(name, sizeof name, chart, RESDIR_PNG);
    char *p = file_join(dir, name);
    char *buf;
    size_t len;
    int sys_errno;
    enum file_status st = file_read(p, FILE_MAX_CHART, &buf, &len, &sys_errno);
    free(p);
    if (st != FILE_OK || len < 8 || memcmp(buf, "\x89PNG\r\n\x1a\n", 8) != 0) {
        free(buf);
        return -1;
    }
    char *b64 = xmalloc(4 * ((len + 2) / 3) + 1);
    report_base64((const unsigned char *)buf, len, b64);
    fputs("data:image/png;base64,", f);
    fputs(b64, f);
    free(b64);
    free(buf);
    return 0;
}

static const char css[] =
    ":root{--ink:#1f2933;--muted:#5b6776;--line:#dde2e8;--accent:#2f5f8f;--band:#f3f6f9}\n"
    "*{box-sizing:border-box}\n"
    "html{background:#eef1f4}\n"
    "body{margin:0;color:var(--ink);font:15px/1.55 'DejaVu Sans','Segoe UI',Helvetica,Arial,"
    "sans-serif}\n"
    "main{max-width:1040px;margin:28px auto;background:#fff;padding:36px 48px 28px;"
    "border-radius:6px;box-shadow:0 1px 4px rgba(0,0,0,.08)}\n"
    "header{border-bottom:3px solid var(--accent);padding-bottom:14px;margin-bottom:8px}\n"
    ".kind{margin:0;color:var(--accent);font-size:12px;letter-spacing:.09em;"
    "text-transform:uppercase;font-weight:600}\n"
    "h1{font-size:25px;line-height:1.3;margin:6px 0 0;overflow-wrap:anywhere}\n"
    "h2{font-size:18px;margin:30px 0 10px;padding-bottom:4px;border-bottom:1px solid "
    "var(--line)}\n"
    "dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 20px;margin:0}\n"
    "dl.facts dt{color:var(--muted)}\n"
    "dl.facts dd{margin:0;overflow-wrap:anywhere}\n"
    ".notes ul{margin:0;padding-left:20px;color:var(--muted);font-size:13.5px}\n"
    ".notes li{margin:4px 0}\n"
    "ul.findings{padding-left:22px;margin:0}\n"
    "ul.findings li{margin:7px 0}\n"
    "table{border-collapse:collapse;min-width:62%;font-size:14px}\n"
    "th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;"
    "vertical-align:top}\n"
    "thead th{background:var(--band);border-bottom:2px solid #c9d1da;font-weight:600}\n"
    "th.num,td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "td .ci{display:block;color:var(--muted);font-size:12.5px}\n"
    "tbody tr:nth-child(even){background:#fafbfc}\n"
    "p.note{color:var(--muted);font-size:13px;margin:8px 0 0}\n"
    "figure{margin:18px 0 30px}\n"
    "figure img{display:block;width:100%;height:auto;border:1px solid var(--line)}\n"
    "figcaption{color:var(--muted);font-size:13.5px;margin-top:6px}\n"
    "footer{margin-top:30px;padding-top:10px;border-top:1px solid var(--line);"
    "color:var(--muted);font-size:12.5px}\n"
    "@media print{html{background:#fff}body{font-size:10.5pt}"
    "main{box-shadow:none;margin:0;max-width:none;padding:0}"
    "figure,table,tr{break-inside:avoid}h2{break-after:avoid}}\n";

static void write_html(FILE *f, const struct doc *d, const char *dir)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          f);
    html_esc(f, d->title);
    fprintf(f, " \xe2\x80\x94 provsim %s report</title>\n<style>\n%s</style>\n</head>\n<body>\n"
               "<main>\n<header>\n<p class=\"kind\">provsim %s report</p>\n<h1>",
            d->kind, css, d->kind);
    html_esc(f, d->title);
    fputs("</h1>\n</header>\n\n<section>\n<h2>Scenario</h2>\n<dl class=\"facts\">\n", f);
    for (size_t i = 0; i < d->fact_k.n; i++) {
        fputs("<dt>", f);
        html_esc(f, d->fact_k.v[i]);
        fputs("</dt><dd>", f);
        html_esc(f, d->fact_v.v[i]);
        fputs("</dd>\n", f);
    }
    fputs("</dl>\n", f);
    fputs("</section>\n\n<section>\n<h2>Findings</h2>\n<ul class=\"findings\">\n", f);
    if (!d->findings.n)
        fputs("<li>(none)</li>\n", f);
    for (size_t i = 0; i < d->findings.n; i++) {
        fputs("<li>", f);
        html_esc(f, d->findings.v[i]);
        fputs("</li>\n", f);
    }
    fputs("</ul>\n</section>\n", f);
    const struct rtable *t = &d->table;
    size_t nc = rt_ncols(t);
    if (nc && t->text.n) {
        fputs("\n<section>\n<h2>", f);
        html_esc(f, d->table_title);
        fputs("</h2>\n<table>\n<thead><tr>", f);
        for (size_t c = 0; c < nc; c++) {
            fputs((int)c < t->textcols ? "<th>" : "<th class=\"num\">", f);
            html_esc(f, t->head.v[c]);
            fputs("</th>", f);
        }
        fputs("</tr></thead>\n<tbody>\n", f);
        for (size_t k = 0; k < t->text.n; k += nc) {
            fputs("<tr>", f);
            for (size_t c = 0; c < nc; c++) {
                fputs((int)c < t->textcols ? "<td>" : "<td class=\"num\">", f);
                html_esc(f, t->text.v[k + c]);
                if (*t->sub.v[k + c]) {
                    fputs("<span class=\"ci\">", f);
                    html_esc(f, t->sub.v[k + c]);
                    fputs("</span>", f);
                }
                fputs("</td>", f);
            }
            fputs("</tr>\n", f);
        }
        fputs("</tbody>\n</table>\n<p class=\"note\">", f);
        html_esc(f, d->table_note);
        fputs("</p>\n</section>\n", f);
    }
    if (d->charts.n || *d->chart_note) {
        fputs("\n<section>\n<h2>Charts</h2>\n", f);
        if (*d->chart_note) {
            fputs("<p class=\"note\">", f);
            html_esc(f, d->chart_note);
            fputs("</p>\n", f);
        }
        for (size_t i = 0; i < d->charts.n; i++) {
            fputs("<figure>\n<img alt=\"", f);
            html_esc(f, d->captions.v[i]);
            fputs("\" src=\"", f);
            if (write_png_uri(f, dir, d->charts.v[i]) != 0)
                fputs("data:,", f);
            fputs("\">\n<figcaption>", f);
            html_esc(f, d->captions.v[i]);
            fputs("</figcaption>\n</figure>\n", f);
        }
        fputs("</section>\n", f);
    }
    if (d->notes.n) {
        fputs("\n<section class=\"notes\">\n<h2>Notes from the scenario file</h2>\n<ul>\n", f);
        for (size_t i = 0; i < d->notes.n; i++) {
            fputs("<li>", f);
            html_esc(f, d->notes.v[i]);
            fputs("</li>\n", f);
        }
        fputs("</ul>\n</section>\n", f);
    }
    fprintf(f, "\n<footer>Written by provsim %s from the data in this directory; the charts "
               "are embedded, so this file stands alone.</footer>\n</main>\n</body>\n</html>\n",
            PROVSIM_VERSION);
}

/* ---- the report ------------------------------------------------------------ */

static int write_file(const char *dir, const char *name, const struct doc *d, int html,
                      char *err, size_t errlen)
{
    struct outfile o;
    int rc = outfile_open_in(&o, dir, name, err, errlen);
    if (rc != 0)
        return -1;
    if (html)
        write_html(o.f, d, dir);
    else
        write_md(o.f, d);
    return outfile_commit(&o, err, errlen);
}

int report_write(const char *dir, char *err, size_t errlen)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: %s", dir,
                 stat(dir, &st) != 0 ? strerror(errno) : "not a directory");
        return REPORT_FAILED;
    }
    enum resdir_kind kind = resdir_kind(dir);
    struct doc d;
    memset(&d, 0, sizeof d);
    int rc;
    switch (kind) {
    case RESDIR_KIND_RUN:
        d.kind = "run";
        rc = build_run(&d, dir, err, errlen);
        break;
    case RESDIR_KIND_COMPARE:
        d.kind = "compare";
        rc = build_compare(&d, dir, err, errlen);
        break;
    case RESDIR_KIND_SWEEP:
        d.kind = "sweep";
        rc = build_sweep(&d, dir, err, errlen);
        break;
    default:
        snprintf(err, errlen,
                 "%s: nothing to report (no " RESDIR_RUN_JSON ", " RESDIR_COMPARE_JSON
                 " or " RESDIR_SWEEP_JSON ": write one with run --out, compare --out or "
                 "sweep --out)",
                 dir);
        rc = -1;
    }
    if (rc != 0) {
        doc_fini(&d);
        return REPORT_FAILED;
    }
    int status = ensure_charts(&d, dir, kind);
    collect_charts(&d, dir, kind);
    if (write_file(dir, RESDIR_REPORT_MD, &d, 0, err, errlen) != 0 ||
        write_file(dir, RESDIR_REPORT_HTML, &d, 1, err, errlen) != 0) {
        doc_fini(&d);
        return REPORT_FAILED;
    }
    if (status != REPORT_OK)
        snprintf(err, errlen, "%s", d.chart_note);
    doc_fini(&d);
    return status;
}

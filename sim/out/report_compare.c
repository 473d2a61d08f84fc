/* report_compare.c -- the content of a compare's report, from
 * DIR/compare.json: the scenarios, compare's own findings and each
 * metric's means and paired differences. */
#include "out/report_parts.h"

#include "out/jsonfile.h"
#include "out/resultdir.h"
#include "base/util.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The scenarios, one fact each ("Scenario A: name (file)"), the title
 * ("name vs name ..."), and how they were compared. */
static void compare_facts(struct doc *d, const cJSON *cj, const cJSON *scns, int n)
{
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
        /* a side of one file: its own overrides, after the file */
        char sets[512] = "";
        const cJSON *ss = cJSON_GetObjectItemCaseSensitive(s, "set");
        size_t sl = 0;
        for (const cJSON *e = cJSON_IsArray(ss) ? ss->child : NULL; e && sl < sizeof sets;
             e = e->next)
            if (cJSON_IsString(e))
                sl += (size_t)snprintf(sets + sl, sizeof sets - sl, " --set %s", e->valuestring);
        if (file)
            doc_fact(d, key, "%s (%s%s)", name ? name : "", file, sets);
        else
            doc_fact(d, key, "%s%s", name ? name : "", sets);
        /* the file's SHA-256 and the --set, once per scenario */
        char pk[64];
        snprintf(pk, sizeof pk, "Scenario %s", label);
        report_provenance_facts(d, cJSON_GetObjectItemCaseSensitive(s, "provenance"), pk);
        if (tl < sizeof d->title)
            tl += (size_t)snprintf(d->title + tl, sizeof d->title - tl, "%s%s",
                                   i ? " vs " : "", name ? name : label);
    }
    double reps = jsonfile_num(cj, "replications"), seed = jsonfile_num(cj, "seed");
    doc_fact(d, "Replications",
             "%.0f per scenario (seed %.0f), paired: replication r of every scenario draws the "
             "same random numbers, so the differences are the scenarios', not noise",
             reps, seed);
}

/* compare.json's findings. They name each scenario as "A (its name)";
 * the facts already say which is which, so "A" reads better. */
static void compare_findings(struct doc *d, const cJSON *cj, const cJSON *scns, int n)
{
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
        doc_add(&d->findings, "%s.", text);
        free(text);
    }
}

/* One row: metric m's mean and CI for each of the n scenarios, then each
 * one's paired difference to A with the CI of that difference. */
static void compare_row(struct doc *d, const cJSON *ms, enum metric m, int n)
{
    const cJSON *mo = cJSON_GetObjectItemCaseSensitive(ms, metric_table[m].name);
    const cJSON *per = cJSON_GetObjectItemCaseSensitive(mo, "scenarios");
    const cJSON *dif = cJSON_GetObjectItemCaseSensitive(mo, "diff");
    doc_cell(&d->table, metric_table[m].label, NULL);
    /* a clear or failed-tasks time with a replication unfinished at the
     * horizon is a lower bound: "at least", no CI, no difference */
    int cind = m == METRIC_CLEAR_TIME          ? METRIC_CLEARED
               : m == METRIC_FAILED_TASKS_ZERO ? METRIC_FAILED_TASKS_CLEARED
                                               : -1;
    const cJSON *cper = cind < 0 ? NULL
                                 : cJSON_GetObjectItemCaseSensitive(
                                       cJSON_GetObjectItemCaseSensitive(ms, metric_table[cind].name),
                                       "scenarios");
    int cens[26] = {0};
    for (int i = 0; i < n && i < 26; i++) {
        struct report_stat s = report_stat_of(cJSON_GetArrayItem(per, i));
        char mean[48], ci[128];
        report_fmt_value(mean, sizeof mean, m, s.mean);
        report_fmt_ci(ci, sizeof ci, m, s);
        struct report_stat c = report_stat_of(cper ? cJSON_GetArrayItem(cper, i) : NULL);
        cens[i] = isfinite(c.mean) && c.mean < 1.0;
        if (cens[i]) {
            char lb[64];
            snprintf(lb, sizeof lb, "at least %s", mean);
            doc_cell(&d->table, lb, "not finished within the horizon");
        } else {
            doc_cell(&d->table, mean, ci);
        }
    }
    for (int i = 1; i < n; i++) {
        if (i < 26 && (cens[i] || cens[0])) {
            doc_cell(&d->table, "-", "censored: no difference");
            continue;
        }
        struct report_stat s = report_stat_of(cJSON_GetArrayItem(dif, i));
        char mean[48], lo[48], hi[48], ci[128] = "";
        report_fmt_signed(mean, sizeof mean, m, s.mean);
        if (isfinite(s.lo) && isfinite(s.hi) && s.lo != s.hi) {
            report_fmt_signed(lo, sizeof lo, m, s.lo);
            report_fmt_signed(hi, sizeof hi, m, s.hi);
            snprintf(ci, sizeof ci, "%s to %s", lo, hi);
        }
        doc_cell(&d->table, mean, ci);
    }
}

static void compare_table(struct doc *d, const cJSON *ms, int n)
{
    snprintf(d->table_title, sizeof d->table_title, "Key metrics");
    snprintf(d->table_note, sizeof d->table_note,
             "Mean of each scenario with its 95%% CI; the difference to A is paired "
             "(replication by replication), with the 95%% CI of that difference.");
    doc_add(&d->table.head, "Metric");
    for (int i = 0; i < n; i++)
        doc_add(&d->table.head, "%c", 'A' + (i % 26));
    for (int i = 1; i < n; i++)
        doc_add(&d->table.head, "%c \xe2\x88\x92 A", 'A' + (i % 26));
    d->table.textcols = 1;
    static const enum metric rows[] = {
        METRIC_CLEAR_TIME,      METRIC_FAILED_TASKS_ZERO,  METRIC_THROTTLED,
        METRIC_OTHER_THROTTLED, METRIC_BACKGROUND_LAT_P95, METRIC_PEAK_FAILED_TASKS,
        METRIC_AMPLIFICATION,   METRIC_ATTEMPTS,
    };
    for (size_t r = 0; r < sizeof rows / sizeof *rows; r++)
        compare_row(d, ms, rows[r], n);
}

int report_build_compare(struct doc *d, const char *dir, char *err, size_t errlen)
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
    compare_facts(d, cj, scns, n);
    compare_findings(d, cj, scns, n);
    compare_table(d, ms, n);
    cJSON_Delete(cj);
    return 0;
}

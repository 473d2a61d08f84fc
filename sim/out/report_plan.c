/* report_plan.c -- the content of a plan's report, from DIR/plan.json:
 * the one-sentence answer first, what was chosen among, the method and
 * its guarantee's parameters, and every candidate's fate with its means
 * and CIs on the objective and each constrained metric. */
#include "out/report_parts.h"

#include "out/jsonfile.h"
#include "out/resultdir.h"
#include "base/util.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const cJSON *item(const cJSON *o, const char *k)
{
    return cJSON_GetObjectItemCaseSensitive(o, k);
}

/* metric index by name, or -1 */
static int metric_of(const char *name)
{
    for (int m = 0; name && m < METRIC_COUNT; m++)
        if (!strcmp(metric_table[m].name, name))
            return m;
    return -1;
}

static void plan_facts(struct doc *d, const cJSON *pj)
{
    const char *name = jsonfile_str(pj, "scenario");
    snprintf(d->title, sizeof d->title, "Plan: %s", name ? name : "provsim plan");
    const cJSON *prov = item(pj, "provenance");
    if (cJSON_IsObject(prov))
        report_provenance_facts(d, prov, "Base scenario");
    const cJSON *ch = item(pj, "choose");
    for (const cJSON *a = cJSON_IsArray(ch) ? ch->child : NULL; a; a = a->next) {
        const char *p = jsonfile_str(a, "path"), *s = jsonfile_str(a, "spec");
        doc_fact(d, "Chosen among", "%s = %s", p ? p : "?", s ? s : "?");
    }
    const char *obj = jsonfile_str(pj, "minimize");
    doc_fact(d, "Objective", "minimise the mean of %s", obj ? obj : "?");
    const cJSON *st = item(pj, "subject_to");
    for (const cJSON *c = cJSON_IsArray(st) ? st->child : NULL; c; c = c->next) {
        const char *t = jsonfile_str(c, "text");
        int m = metric_of(jsonfile_str(c, "metric"));
        char tol[64] = "?";
        if (m >= 0)
            report_fmt_value(tol, sizeof tol, (enum metric)m, jsonfile_num(c, "tolerance"));
        doc_fact(d, "Constraint", "%s (tolerance %s)", t ? t : "?", tol);
    }
    const cJSON *me = item(pj, "method");
    int om = metric_of(obj);
    char delta[64] = "?";
    if (om >= 0)
        report_fmt_value(delta, sizeof delta, (enum metric)om, jsonfile_num(me, "delta"));
    doc_fact(d, "Method",
             "KN (Kim & Nelson 2001) with a feasibility check (Andradottir & Kim 2010) on common "
             "random numbers; delta %s%s, alpha %g, first stage %.0f replications, %.0f stage%s",
             delta, cJSON_IsTrue(item(me, "delta_default")) ? " (default)" : "",
             jsonfile_num(me, "alpha"), jsonfile_num(me, "n0"), jsonfile_num(me, "stages"),
             jsonfile_num(me, "stages") == 1 ? "" : "s");
    char a[48], b[48];
    report_fmt_count(a, sizeof a, jsonfile_num(pj, "replications_total"));
    report_fmt_count(b, sizeof b, jsonfile_num(pj, "full_sweep_replications"));
    doc_fact(d, "Replications", "%s; a full sweep at this precision: about %s", a, b);
}

/* One row per candidate: number, values, fate (evidence below), the
 * replications, then the objective and every constrained metric. */
static void plan_table(struct doc *d, const cJSON *pj, const int *ms, int nm)
{
    snprintf(d->table_title, sizeof d->table_title, "Every candidate plan");
    snprintf(d->table_note, sizeof d->table_note,
             "Means with their 95%% CI over the replications each candidate ran before it was "
             "decided (plan.csv has the same rows).");
    d->table.textcols = 3;
    doc_add(&d->table.head, "#");
    doc_add(&d->table.head, "plan");
    doc_add(&d->table.head, "fate");
    doc_add(&d->table.head, "replications");
    for (int k = 0; k < nm; k++)
        doc_add(&d->table.head, "%s", metric_table[ms[k]].name);
    const cJSON *cands = item(pj, "candidates");
    int i = 0;
    for (const cJSON *c = cJSON_IsArray(cands) ? cands->child : NULL; c; c = c->next) {
        char buf[512], sub[512];
        snprintf(buf, sizeof buf, "%d", ++i);
        doc_cell(&d->table, buf, NULL);
        report_values_label(item(c, "values"), 0, buf, sizeof buf);
        doc_cell(&d->table, buf, NULL);
        const char *st = jsonfile_str(c, "status"), *ev = jsonfile_str(c, "evidence");
        /* "infeasible after 10 replications: ..." under "infeasible": the
         * status once */
        size_t sl = st ? strlen(st) : 0;
        if (ev && st && !strncmp(ev, st, sl) && ev[sl] == ' ')
            ev += sl + 1;
        snprintf(sub, sizeof sub, "%s", ev ? ev : "");
        doc_cell(&d->table, st ? st : "?", sub);
        report_fmt_count(buf, sizeof buf, jsonfile_num(c, "replications"));
        doc_cell(&d->table, buf, NULL);
        for (int k = 0; k < nm; k++) {
            struct report_stat s = report_metric_stat(item(c, "metrics"), (enum metric)ms[k]);
            report_fmt_value(buf, sizeof buf, (enum metric)ms[k], s.mean);
            report_fmt_ci(sub, sizeof sub, (enum metric)ms[k], s);
            doc_cell(&d->table, buf, sub);
        }
    }
}

int report_build_plan(struct doc *d, const char *dir, char *err, size_t errlen)
{
    cJSON *pj = jsonfile_read(dir, RESDIR_PLAN_JSON, err, errlen);
    if (!pj)
        return -1;
    plan_facts(d, pj);
    const char *sum = jsonfile_str(pj, "summary");
    if (sum)
        doc_add(&d->findings, "%s", sum);
    const cJSON *ch = item(pj, "chosen");
    if (cJSON_IsNull(ch))
        doc_add(&d->findings, "No candidate is feasible: the output of provsim plan names the "
                              "binding constraint and the closest candidate.");
    if (cJSON_IsTrue(item(item(pj, "method"), "capped")))
        doc_add(&d->findings, "The replication cap (--max-reps) was reached before the procedure "
                              "decided: the choice carries no guarantee.");
    int ms[17], nm = 0;
    int om = metric_of(jsonfile_str(pj, "minimize"));
    if (om >= 0)
        ms[nm++] = om;
    const cJSON *st = item(pj, "subject_to");
    for (const cJSON *c = cJSON_IsArray(st) ? st->child : NULL; c && nm < 17; c = c->next) {
        int m = metric_of(jsonfile_str(c, "metric"));
        int dup = m < 0;
        for (int k = 0; k < nm && !dup; k++)
            dup = ms[k] == m;
        if (!dup)
            ms[nm++] = m;
    }
    plan_table(d, pj, ms, nm);
    cJSON_Delete(pj);
    return 0;
}

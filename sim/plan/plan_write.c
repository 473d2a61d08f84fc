/* plan_write.c -- a plan's results: DIR/plan.json and DIR/plan.csv, and
 * the Pareto front they hold (the words are plan_text.c's).
 *
 * Invariants:
 * - Everything is written from the candidates' values and the
 *   procedure's state alone (no timings), so the bytes do not depend on
 *   --jobs.
 * - A mean from a candidate that stopped early is what it had when it
 *   stopped; its replication count is beside it everywhere.
 * - Every file is complete or absent (outfile). */
#include "plan/plan.h"

#include "base/file.h"
#include "base/outfile.h"
#include "base/units.h"
#include "base/util.h"
#include "out/csvfmt.h"
#include "out/origin.h"
#include "out/resultdir.h"
#include "scenario/scenario.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

static const char *fate_name(enum rs_fate f)
{
    switch (f) {
    case RS_IN_PLAY:
        return "in_play";
    case RS_CHOSEN:
        return "chosen";
    case RS_ELIMINATED:
        return "eliminated";
    case RS_INFEASIBLE:
        return "infeasible";
    case RS_EXCLUDED:
        return "censored";
    case RS_UNDECIDED:
        return "undecided";
    }
    return "?";
}

int plan_pareto(const struct plan_opts *o, const struct plan *pl, int l, int i)
{
    if (pl->rs.c[i].fate == RS_EXCLUDED)
        return 0;
    struct stats_summary a, b, ya, yb;
    plan_summary(pl, i, o->objective, &a);
    plan_summary(pl, i, o->cons[l].metric, &ya);
    int sign = o->cons[l].ge ? -1 : 1; /* smaller is better on the oriented metric */
    for (int j = 0; j < pl->k; j++) {
        if (j == i || pl->rs.c[j].fate == RS_EXCLUDED)
            continue;
        plan_summary(pl, j, o->objective, &b);
        plan_summary(pl, j, o->cons[l].metric, &yb);
        double bx = b.mean, ax = a.mean, by = sign * yb.mean, ay = sign * ya.mean;
        if (bx <= ax && by <= ay && (bx < ax || by < ay))
            return 0;
    }
    return 1;
}

/* ---- plan.json ------------------------------------------------------------------ */

static cJSON *stats_json(const struct stats_summary *st)
{
    cJSON *mo = cJSON_CreateObject();
    cJSON_AddItemToObject(mo, "mean", csvfmt_json_number(st->mean));
    cJSON_AddItemToObject(mo, "sd", csvfmt_json_number(st->sd));
    cJSON_AddItemToObject(mo, "ci95_lo", csvfmt_json_number(st->ci_lo));
    cJSON_AddItemToObject(mo, "ci95_hi", csvfmt_json_number(st->ci_hi));
    return mo;
}

static cJSON *metrics_json(const struct plan *pl, int i)
{
    cJSON *ms = cJSON_CreateObject();
    for (int m = 0; m < METRIC_COUNT; m++) {
        struct stats_summary st;
        plan_summary(pl, i, m, &st);
        cJSON_AddItemToObject(ms, metric_table[m].name, stats_json(&st));
    }
    return ms;
}

static cJSON *cand_json(const struct plan_opts *o, const struct plan *pl, int i)
{
    const struct rs_cand *rc = &pl->rs.c[i];
    struct sweep_opts so = {.axes = o->axes, .naxes = o->naxes};
    cJSON *cj = cJSON_CreateObject();
    cJSON_AddNumberToObject(cj, "index", i);
    cJSON_AddItemToObject(cj, "values", sweep_cell_values_json(&so, i));
    cJSON_AddStringToObject(cj, "status", fate_name(rc->fate));
    cJSON_AddNumberToObject(cj, "replications", pl->c[i].n);
    char why[512];
    plan_fate_text(o, pl, i, why, sizeof why);
    cJSON_AddStringToObject(cj, "evidence", why);
    if (rc->fate == RS_ELIMINATED)
        cJSON_AddNumberToObject(cj, "eliminated_by", rc->by);
    if (rc->fate == RS_INFEASIBLE)
        cJSON_AddStringToObject(cj, "violates", o->cons[rc->constraint].text);
    if (rc->fate == RS_ELIMINATED || rc->fate == RS_INFEASIBLE) {
        cJSON_AddItemToObject(cj, "statistic", csvfmt_json_number(rc->stat));
        cJSON_AddItemToObject(cj, "region", csvfmt_json_number(rc->bound));
    }
    cJSON *pf = cJSON_AddArrayToObject(cj, "pareto");
    for (int l = 0; l < o->ncons; l++)
        cJSON_AddItemToArray(pf, cJSON_CreateBool(plan_pareto(o, pl, l, i)));
    if (o->ncons) {
        cJSON *bounds = cJSON_AddArrayToObject(cj, "bounds");
        for (int l = 0; l < o->ncons; l++)
            cJSON_AddItemToArray(bounds, csvfmt_json_number(o->cons[l].ge ? -pl->c[i].q[l]
                                                                          : pl->c[i].q[l]));
    }
    cJSON_AddItemToObject(cj, "metrics", metrics_json(pl, i));
    return cj;
}

static cJSON *constraints_json(const struct plan_opts *o)
{
    cJSON *a = cJSON_CreateArray();
    for (int l = 0; l < o->ncons; l++) {
        const struct plan_constraint *pc = &o->cons[l];
        cJSON *cj = cJSON_CreateObject();
        cJSON_AddStringToObject(cj, "text", pc->text);
        cJSON_AddStringToObject(cj, "metric", metric_table[pc->metric].name);
        cJSON_AddStringToObject(cj, "op", pc->ge ? ">=" : "<=");
        if (pc->done_by)
            cJSON_AddNumberToObject(cj, "done_by_s_after_midnight", pc->done_by_sod);
        else
            cJSON_AddItemToObject(cj, "value", csvfmt_json_number(pc->value));
        cJSON_AddItemToObject(cj, "tolerance", csvfmt_json_number(pc->tol));
        cJSON_AddItemToArray(a, cj);
    }
    return a;
}

int plan_write_json(const struct plan_opts *o, const struct plan *pl, char *err, size_t errlen)
{
    if (file_mkdirs(o->out_dir, err, errlen))
        return -1;
    cJSON *root = cJSON_CreateObject();
    char buf[2048];
    plan_sentence(o, pl, buf, sizeof buf);
    cJSON_AddStringToObject(root, "summary", buf);
    cJSON_AddStringToObject(root, "scenario", pl->name);
    struct scenario_origin org = {.source = (char *)o->scenario,
                                  .overrides = (char **)o->sets,
                                  .noverrides = o->nsets};
    memcpy(org.sha256, pl->sha256, sizeof org.sha256);
    origin_add_json(root, &org, pl->seed, (int)pl->rs.total);
    cJSON *ch = cJSON_AddArrayToObject(root, "choose");
    for (int a = 0; a < o->naxes; a++)
        for (int k = 0; k <= o->axes[a].nlinked; k++) {
            const struct sweep_axis *p = sweep_axis_part(&o->axes[a], k);
            cJSON *aj = cJSON_CreateObject();
            cJSON_AddStringToObject(aj, "path", p->path);
            cJSON_AddStringToObject(aj, "spec", p->spec);
            cJSON_AddNumberToObject(aj, "axis", a);
            cJSON_AddItemToArray(ch, aj);
        }
    cJSON_AddStringToObject(root, "minimize", metric_table[o->objective].name);
    cJSON_AddItemToObject(root, "subject_to", constraints_json(o));
    cJSON *me = cJSON_AddObjectToObject(root, "method");
    cJSON_AddStringToObject(me, "procedure", "KN (Kim & Nelson 2001) with a feasibility check "
                                             "(Andradottir & Kim 2010), common random numbers");
    cJSON_AddItemToObject(me, "delta", csvfmt_json_number(pl->delta));
    cJSON_AddBoolToObject(me, "delta_default", pl->delta_default);
    cJSON_AddNumberToObject(me, "alpha", o->alpha);
    cJSON_AddNumberToObject(me, "n0", o->n0);
    cJSON_AddNumberToObject(me, "max_reps", o->max_reps);
    cJSON_AddItemToObject(me, "eta", csvfmt_json_number(pl->rs.eta));
    cJSON_AddItemToObject(me, "h2", csvfmt_json_number(pl->rs.h2));
    cJSON_AddItemToObject(me, "eta_feasibility", csvfmt_json_number(pl->rs.etaf));
    cJSON_AddItemToObject(me, "h2_feasibility", csvfmt_json_number(pl->rs.hf2));
    cJSON_AddNumberToObject(me, "stages", pl->rs.stages);
    cJSON_AddBoolToObject(me, "capped", pl->rs.capped);
    cJSON_AddBoolToObject(me, "tie_break", pl->rs.tie_break);
    cJSON_AddNumberToObject(root, "seed", (double)pl->seed);
    cJSON_AddNumberToObject(root, "replications_total", (double)pl->rs.total);
    cJSON_AddNumberToObject(root, "full_sweep_replications", (double)pl->full_total);
    cJSON_AddNumberToObject(root, "full_sweep_per_candidate", pl->full_per_candidate);
    if (pl->rs.chosen >= 0) {
        struct sweep_opts so = {.axes = o->axes, .naxes = o->naxes};
        cJSON *cj = cJSON_AddObjectToObject(root, "chosen");
        cJSON_AddNumberToObject(cj, "index", pl->rs.chosen);
        cJSON_AddItemToObject(cj, "values", sweep_cell_values_json(&so, pl->rs.chosen));
        cJSON_AddItemToObject(cj, "metrics", metrics_json(pl, pl->rs.chosen));
    } else {
        cJSON_AddNullToObject(root, "chosen");
    }
    cJSON *cands = cJSON_AddArrayToObject(root, "candidates");
    for (int i = 0; i < pl->k; i++)
        cJSON_AddItemToArray(cands, cand_json(o, pl, i));
    char *path = file_join(o->out_dir, RESDIR_PLAN_JSON);
    char *text = cJSON_Print(root);
    if (!text)
        xoom("cJSON_Print");
    struct outfile of;
    int rc = -1;
    if (outfile_open(&of, path, err, errlen) == 0) {
        fputs(text, of.f);
        fputc('\n', of.f);
        rc = outfile_commit(&of, err, errlen);
    }
    free(text);
    free(path);
    cJSON_Delete(root);
    return rc;
}

/* ---- plan.csv -------------------------------------------------------------------- */

/* The objective, then each constrained metric not already listed. */
static int distinct_metrics(const struct plan_opts *o, int *ms)
{
    int nm = 0;
    ms[nm++] = o->objective;
    for (int l = 0; l < o->ncons; l++) {
        int dup = 0;
        for (int k = 0; k < nm; k++)
            dup |= ms[k] == o->cons[l].metric;
        if (!dup)
            ms[nm++] = o->cons[l].metric;
    }
    return nm;
}

int plan_write_csv(const struct plan_opts *o, const struct plan *pl, char *err, size_t errlen)
{
    struct outfile of;
    if (outfile_open_in(&of, o->out_dir, RESDIR_PLAN_CSV, err, errlen))
        return -1;
    FILE *f = of.f;
    fputs("candidate,", f);
    for (int a = 0; a < o->naxes; a++)
        for (int k = 0; k <= o->axes[a].nlinked; k++) {
            csvfmt_field(f, sweep_axis_part(&o->axes[a], k)->path);
            fputc(',', f);
        }
    fputs("status,replications,eliminated_by,violates", f);
    int ms[RS_MAX_CONSTRAINTS + 1], nm = distinct_metrics(o, ms);
    for (int k = 0; k < nm; k++)
        fprintf(f, ",%s_mean,%s_ci95_lo,%s_ci95_hi", metric_table[ms[k]].name,
                metric_table[ms[k]].name, metric_table[ms[k]].name);
    for (int l = 0; l < o->ncons; l++)
        fprintf(f, ",bound_%d,pareto_%d", l + 1, l + 1);
    fputc('\n', f);
    int idx[64];
    for (int i = 0; i < pl->k; i++) {
        const struct rs_cand *rc = &pl->rs.c[i];
        fprintf(f, "%d,", i + 1);
        sweep_cell_index(o->axes, o->naxes, i, idx);
        for (int a = 0; a < o->naxes; a++)
            for (int k = 0; k <= o->axes[a].nlinked; k++) {
                csvfmt_field(f, sweep_axis_part(&o->axes[a], k)->values[idx[a]]);
                fputc(',', f);
            }
        fprintf(f, "%s,%d,", fate_name(rc->fate), pl->c[i].n);
        if (rc->fate == RS_ELIMINATED)
            fprintf(f, "%d", rc->by + 1);
        fputc(',', f);
        if (rc->fate == RS_INFEASIBLE)
            csvfmt_field(f, o->cons[rc->constraint].text);
        for (int k = 0; k < nm; k++) {
            struct stats_summary st;
            plan_summary(pl, i, ms[k], &st);
            const double v[] = {st.mean, st.ci_lo, st.ci_hi};
            for (int j = 0; j < 3; j++) {
                fputc(',', f);
                csvfmt_num(f, v[j]);
            }
        }
        for (int l = 0; l < o->ncons; l++) {
            fputc(',', f);
            csvfmt_num(f, o->cons[l].ge ? -pl->c[i].q[l] : pl->c[i].q[l]);
            fprintf(f, ",%d", plan_pareto(o, pl, l, i));
        }
        fputc('\n', f);
    }
    return outfile_commit(&of, err, errlen);
}

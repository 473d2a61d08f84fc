/* plot_plan.c -- a plan's charts, from plan.json: for each constraint
 * (at most four) plan-pareto[-N].*, every candidate's mean objective
 * against its mean constrained metric with both 95% CIs, the Pareto front
 * drawn, the bound, the chosen plan marked and infeasible ones grey;
 * without constraints plan-candidates.*, the objective of each candidate.
 *
 * The data reaches gnuplot as a temporary file of numbers only (blocks:
 * in play to the end or eliminated, infeasible or left out, the chosen
 * one, the front sorted by x); names only as quoted titles. */
#include "out/plot_charts.h"

#include "out/jsonfile.h"
#include "out/plot.h"
#include "out/resultdir.h"
#include "base/util.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PLAN_MAX_PARETO_CHARTS 4

/* A metric's {"mean","ci95_lo","ci95_hi"} of candidate c, in *v[3]. */
static void cand_stat(const cJSON *c, const char *metric, double scale, double *v)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(c, "metrics"),
                                                      metric);
    v[0] = jsonfile_num(m, "mean") / scale;
    v[1] = jsonfile_num(m, "ci95_lo") / scale;
    v[2] = jsonfile_num(m, "ci95_hi") / scale;
    for (int k = 1; k < 3; k++)
        if (!isfinite(v[k]))
            v[k] = v[0];
}

/* Seconds shown in hours or minutes when they are long. */
static double time_scale(const char *metric, const cJSON *cands, const char **unit)
{
    size_t n = strlen(metric);
    *unit = "";
    if (n < 2 || strcmp(metric + n - 2, "_s"))
        return 1.0;
    double mx = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, cands)
    {
        double v[3];
        cand_stat(c, metric, 1.0, v);
        if (isfinite(v[0]))
            mx = fmax(mx, v[0]);
    }
    *unit = mx >= 7200 ? "h" : mx >= 120 ? "min" : "s";
    return mx >= 7200 ? 3600.0 : mx >= 120 ? 60.0 : 1.0;
}

static int cmp_x(const void *a, const void *b)
{
    const double *x = a, *y = b;
    return (x[0] > y[0]) - (x[0] < y[0]);
}

/* The data blocks of one chart; xm NULL: x is the candidate number. */
static char *chart_data(const struct gp_ctx *c, const cJSON *cands, const char *ym, double ys,
                        const char *xm, double xs, int l, char *err, size_t errlen)
{
    struct gp_text d = {0};
    int n = cJSON_GetArraySize(cands);
    double *front = xcalloc((size_t)(n > 0 ? n : 1) * 2, sizeof *front);
    int nf = 0;
    /* 0: eliminated or undecided, 1: infeasible or left out, 2: chosen */
    for (int blk = 0; blk < 3; blk++) {
        int rows = 0;
        const cJSON *cj;
        int i = 0;
        cJSON_ArrayForEach(cj, cands)
        {
            i++;
            const char *st = jsonfile_str(cj, "status");
            int b = !st ? 1
                    : !strcmp(st, "chosen")                               ? 2
                    : !strcmp(st, "infeasible") || !strcmp(st, "censored") ? 1
                                                                          : 0;
            double y[3], x[3] = {i, i, i};
            cand_stat(cj, ym, ys, y);
            if (xm)
                cand_stat(cj, xm, xs, x);
            if (blk == 0 && xm) {
                const cJSON *pf = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(cj, "pareto"), l);
                if (cJSON_IsTrue(pf) && isfinite(x[0]) && isfinite(y[0])) {
                    front[2 * nf] = x[0];
                    front[2 * nf + 1] = y[0];
                    nf++;
                }
            }
            if (b != blk || !isfinite(x[0]) || !isfinite(y[0]))
                continue;
            gp_printf(&d, "%.10g,%.10g,%.10g,%.10g,%.10g,%.10g\n", x[0], x[1], x[2], y[0], y[1],
                      y[2]);
            rows++;
        }
        if (!rows) /* an empty block would shift the indices */
            gp_add(&d, "NaN,NaN,NaN,NaN,NaN,NaN\n");
        gp_add(&d, "\n\n");
    }
    qsort(front, (size_t)nf, 2 * sizeof *front, cmp_x);
    for (int k = 0; k < nf; k++)
        gp_printf(&d, "%.10g,%.10g\n", front[2 * k], front[2 * k + 1]);
    if (!nf)
        gp_add(&d, "NaN,NaN\n");
    free(front);
    char *path = gp_write_temp(c->dir, &d, err, errlen);
    free(d.p);
    return path;
}

/* "rollout clear time (h)" */
static void axis_title(const char *metric, const char *unit, char *buf, size_t len)
{
    snprintf(buf, len, "%s%s%s%s (mean, 95%% CI)", metric, *unit ? " (" : "", unit,
             *unit ? ")" : "");
}

/* Constraint l's chart, the drawn-th Pareto chart (plan-pareto,
 * plan-pareto-2, ...); l < 0: plan-candidates. */
static int draw_one(const struct gp_ctx *c, const cJSON *root, int l, int drawn, char *err,
                    size_t errlen)
{
    const cJSON *cands = cJSON_GetObjectItemCaseSensitive(root, "candidates");
    const char *ym = jsonfile_str(root, "minimize");
    const cJSON *cons = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "subject_to"), l);
    const char *xm = l >= 0 ? jsonfile_str(cons, "metric") : NULL;
    if (!ym || (l >= 0 && !xm) || !cJSON_IsArray(cands))
        return xerr(err, errlen, "%s/" RESDIR_PLAN_JSON ": no candidates or metrics", c->dir);
    const char *yu, *xu = "";
    double ys = time_scale(ym, cands, &yu), xs = xm ? time_scale(xm, cands, &xu) : 1.0;
    char *data = chart_data(c, cands, ym, ys, xm, xs, l, err, errlen);
    if (!data)
        return -1;
    char chart[32], ylab[256], xlab[256], title[1024];
    if (drawn <= 0)
        snprintf(chart, sizeof chart, drawn < 0 ? "plan-candidates" : "plan-pareto");
    else
        snprintf(chart, sizeof chart, "plan-pareto-%d", drawn + 1);
    axis_title(ym, yu, ylab, sizeof ylab);
    if (xm)
        axis_title(xm, xu, xlab, sizeof xlab);
    else
        snprintf(xlab, sizeof xlab, "candidate (plan.csv's number)");
    double bound = NAN;
    const char *text = jsonfile_str(cons, "text");
    if (xm && !cJSON_GetObjectItemCaseSensitive(cons, "done_by_s_after_midnight"))
        bound = jsonfile_num(cons, "value") / xs;
    if (xm)
        snprintf(title, sizeof title, "Plan: %s against %s, every candidate (subject to %s)", ym,
                 xm, text ? text : xm);
    else
        snprintf(title, sizeof title, "Plan: %s of every candidate", ym);
    const char *name = jsonfile_str(root, "scenario");
    struct gp_text v = {0};
    gp_var_str(&v, "datafile", gp_base_name(data));
    gp_var_title(&v, "title1", title, PLOT_TITLE_MAX);
    gp_var_title(&v, "name", name ? name : "", PLOT_TITLE_MAX);
    gp_var_str(&v, "xlab", xlab);
    gp_var_str(&v, "ylab", ylab);
    gp_var_num(&v, "bound", bound);
    gp_var_num(&v, "hasbound", isfinite(bound));
    gp_var_num(&v, "front", xm != NULL);
    int rc = gp_draw(c, chart, "plan-pareto", &v, err, errlen);
    unlink(data);
    free(data);
    free(v.p);
    return rc;
}

int plot_draw_plan(const struct gp_ctx *c, char *err, size_t errlen)
{
    cJSON *root = jsonfile_read(c->dir, RESDIR_PLAN_JSON, err, errlen);
    if (!root)
        return PLOT_FAILED;
    int ncons = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "subject_to"));
    int rc = 0, drawn = 0;
    const char *obj = jsonfile_str(root, "minimize");
    for (int l = 0; l < ncons && drawn < PLAN_MAX_PARETO_CHARTS && rc == 0; l++) {
        /* a bound on the objective itself (--done-by on clear_time_s) has
         * no front to show: the chart would be a diagonal */
        const char *m = jsonfile_str(
            cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "subject_to"), l), "metric");
        if (obj && m && !strcmp(obj, m))
            continue;
        rc = draw_one(c, root, l, drawn, err, errlen);
        drawn++;
    }
    if (rc == 0 && drawn == 0) /* no constraint, or only on the objective */
        rc = draw_one(c, root, -1, -1, err, errlen);
    cJSON_Delete(root);
    return rc == 0 ? PLOT_OK : PLOT_FAILED;
}

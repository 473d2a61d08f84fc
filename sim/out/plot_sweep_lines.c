/* plot_sweep_lines.c -- a sweep's line charts: a metric's mean against
 * the first axis, one line per value of the second (at most MAX_LINES,
 * spread evenly), with 95% CI error bars. With one axis every goal metric
 * sweep.csv holds gets its chart (the clear time, the harm metrics, the
 * collateral 429s, background delay); with more, the clear time does (the
 * heatmaps show the rest). */
#include "out/plot_charts.h"
#include "out/plot_sweep_grid.h"

#include "models/metrics.h"
#include "out/plot.h"
#include "base/util.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The goal metrics, in the order a report shows them: with one axis each
 * that sweep.csv holds is drawn against it (the harm metrics exist only
 * in builds that compute them). The chart names are plot.c's too. */
static const struct goal {
    const char *metric, *chart;
    const char *title; /* "... by AXIS" */
    const char *yword; /* the y axis: what a value is */
} goals[] = {
    {"clear_time_s", "clear-time", "Rollout clear time", "clear time"},
    {"harm_other_clients_throttled", "harm-other-clients-throttled",
     "Extra 429s the rollout causes other clients (harm)", "extra 429s per run"},
    {"harm_background_throttled", "harm-background-throttled",
     "Extra 429s the rollout causes background jobs (harm)", "extra 429s per run"},
    {"harm_background_delay_mean_s", "harm-background-delay-mean",
     "Mean extra delay of background jobs (harm)", "extra delay"},
    {"harm_background_delay_max_s", "harm-background-delay-max",
     "Worst extra delay of a background job (harm)", "extra delay"},
    {"other_clients_throttled", "other-clients-throttled",
     "Other clients' 429s (collateral damage, whole horizon)", "429s per run"},
    {"background_latency_p95_s", "background-latency-p95",
     "Background jobs' p95 latency (everyday joiners and leavers)", "p95 latency"},
};

/* A metric's columns in sweep.csv (-1: absent), and whether it is a
 * duration in seconds (shown in the unit that reads best). */
struct mcols {
    int mean, lo, hi;
    int dur;
};

static struct mcols metric_cols(const struct grid *w, const char *metric)
{
    char name[128];
    struct mcols m;
    snprintf(name, sizeof name, "%s_mean", metric);
    m.mean = tbl_col(&w->t, name);
    snprintf(name, sizeof name, "%s_ci95_lo", metric);
    m.lo = tbl_col(&w->t, name);
    snprintf(name, sizeof name, "%s_ci95_hi", metric);
    m.hi = tbl_col(&w->t, name);
    size_t l = strlen(metric);
    m.dur = l > 2 && !strcmp(metric + l - 2, "_s");
    return m;
}

/* The second path's values drawn as lines: at most MAX_LINES, spread
 * evenly over them. Returns k -> value index (caller owns), *nl of them. */
static size_t *pick_lines(const struct grid *w, size_t *nl)
{
    size_t n = w->a2.n < MAX_LINES ? w->a2.n : MAX_LINES;
    size_t *pick = xmalloc(n * sizeof *pick);
    for (size_t k = 0; k < n; k++)
        pick[k] = n == 1 ? 0
                         : (size_t)llround((double)k * (double)(w->a2.n - 1) / (double)(n - 1));
    *nl = n;
    return pick;
}

/* The lines' data, one block per line of x, mean, lo, hi (a duration in
 * the unit that reads best, *unit; else *unit is ""), written to a
 * temporary file: its path, or NULL with err. */
static char *lines_data(const struct gp_ctx *c, const struct grid *w, const size_t *pick,
                        size_t nl, struct mcols ct, const char **unit, char *err, size_t errlen)
{
    double maxv = 0;
    for (size_t k = 0; k < nl; k++)
        for (size_t i = 0; i < w->a1.n; i++) {
            double v = plot_sweep_cellv(w, i, pick[k], ct.hi >= 0 ? ct.hi : ct.mean);
            if (isfinite(v))
                maxv = fmax(maxv, v);
        }
    double div = 1.0;
    *unit = "";
    if (ct.dur)
        div = plot_sweep_duration_unit(maxv, unit);
    struct gp_text d = {0};
    for (size_t k = 0; k < nl; k++) {
        if (k)
            gp_add(&d, "\n\n");
        for (size_t i = 0; i < w->a1.n; i++) {
            double x = w->a1.numeric ? strtod(w->a1.v[i], NULL) : (double)i;
            double m = plot_sweep_cellv(w, i, pick[k], ct.mean) / div;
            double lo = ct.lo >= 0 ? plot_sweep_cellv(w, i, pick[k], ct.lo) / div : m;
            double hi = ct.hi >= 0 ? plot_sweep_cellv(w, i, pick[k], ct.hi) / div : m;
            if (!isfinite(lo) || !isfinite(hi))
                lo = hi = m; /* one replication: no interval */
            if (isfinite(m))
                gp_printf(&d, "%.10g,%.10g,%.10g,%.10g\n", x, m, lo, hi);
            else
                gp_printf(&d, "%.10g,NaN,NaN,NaN\n", x);
        }
    }
    char *data = gp_write_temp(c->dir, &d, err, errlen);
    free(d.p);
    return data;
}

/* The x axis variables: labels, positions, and a log scale for a numeric
 * path spanning a factor of ten or more. */
static void lines_xvars(struct gp_text *v, const struct grid *w)
{
    gp_var_num(v, "xcat", !w->a1.numeric);
    gp_var_num(v, "nx", (double)w->a1.n);
    size_t nxl;
    char **xl = plot_sweep_axis_labels(w, 0, &nxl);
    gp_var_strs(v, "xl", (const char *const *)xl, nxl);
    plot_sweep_labels_free(xl, nxl);
    gp_printf(v, "array xv[%zu]\n", w->a1.n);
    double xlo = INFINITY, xhi = -INFINITY;
    for (size_t i = 0; i < w->a1.n; i++) {
        double x = w->a1.numeric ? strtod(w->a1.v[i], NULL) : (double)i;
        xlo = fmin(xlo, x);
        xhi = fmax(xhi, x);
        gp_printf(v, "xv[%zu] = %.17g\n", i + 1, x);
    }
    gp_var_num(v, "xlog", w->a1.numeric && w->a1.n >= 3 && xlo > 0 && xhi >= 10 * xlo);
}

/* The chart's note: that some clear times are lower bounds (clear time
 * only), or that the lines coincide; "" otherwise. */
static void lines_note(const struct grid *w, const size_t *pick, size_t nl, int cm,
                       const struct goal *g, char *note, size_t len)
{
    char p2[256];
    plot_sweep_axis_title(w, 1, p2, sizeof p2);
    /* lines that all coincide say something: the second path hardly
     * matters (their means within 1% of each other at every x) */
    int coincide = nl > 1;
    for (size_t i = 0; i < w->a1.n && coincide; i++) {
        double lo_m = INFINITY, hi_m = -INFINITY;
        for (size_t k = 0; k < w->a2.n; k++) {
            double m = plot_sweep_cellv(w, i, k, cm);
            if (!isfinite(m)) {
                coincide = 0;
                break;
            }
            lo_m = fmin(lo_m, m);
            hi_m = fmax(hi_m, m);
        }
        if (hi_m - lo_m > 0.01 * fabs(hi_m))
            coincide = 0;
    }
    int censored = 0, ccl = tbl_col(&w->t, "cleared_mean");
    for (size_t k = 0; k < nl; k++)
        for (size_t i = 0; i < w->a1.n; i++)
            censored |= plot_sweep_cellv(w, i, pick[k], ccl) < 1.0;
    note[0] = '\0';
    if (censored && !strcmp(g->metric, "clear_time_s"))
        snprintf(note, len, "some cells did not clear within the horizon in every "
                 "replication: their clear time is a lower bound");
    else if (coincide)
        snprintf(note, len, "all %zu lines coincide (within 1%%): the %s hardly changes the %s",
                 w->a2.n, p2, g->yword);
}

/* One goal's chart: its mean against the first axis, a line per value
 * of the second. Returns 0 (also when sweep.csv lacks the metric), or -1
 * with a message. */
static int goal_lines(const struct gp_ctx *c, const struct grid *w, const struct goal *g,
                      char *err, size_t errlen)
{
    struct mcols ct = metric_cols(w, g->metric);
    if (ct.mean < 0)
        return 0; /* nothing to draw */
    size_t nl;
    size_t *pick = pick_lines(w, &nl);
    const char *unit;
    char *data = lines_data(c, w, pick, nl, ct, &unit, err, errlen);
    if (!data) {
        free(pick);
        return -1;
    }
    char p1[256], p2[256];
    plot_sweep_axis_title(w, 0, p1, sizeof p1);
    plot_sweep_axis_title(w, 1, p2, sizeof p2);
    size_t nl2 = 0;
    char **l2 = w->naxes >= 2 ? plot_sweep_axis_labels(w, 1, &nl2) : NULL;
    const char **lines = xcalloc(nl, sizeof *lines);
    for (size_t k = 0; k < nl; k++)
        lines[k] = l2 ? l2[pick[k]] : "mean, with 95% CI";
    char title[2048], fixed[400];
    plot_sweep_fixed_note(w, fixed, sizeof fixed);
    if (nl < w->a2.n)
        snprintf(title, sizeof title, "%s by %s (%zu of %zu values of the %s, evenly spaced)%s",
                 g->title, p1, nl, w->a2.n, p2, fixed);
    else
        snprintf(title, sizeof title, "%s by %s%s", g->title, p1, fixed);
    char ylab[128], note[1024];
    if (ct.dur)
        snprintf(ylab, sizeof ylab, "%s (%s; mean, 95%% CI)", g->yword, unit);
    else
        snprintf(ylab, sizeof ylab, "%s (mean, 95%% CI)", g->yword);
    lines_note(w, pick, nl, ct.mean, g, note, sizeof note);
    struct gp_text v = {0};
    gp_var_str(&v, "datafile", gp_base_name(data));
    gp_var_num(&v, "nlines", (double)nl);
    gp_var_strs(&v, "lines", lines, nl);
    gp_var_str(&v, "keytitle", p2);
    gp_var_title(&v, "title1", title, PLOT_TITLE_MAX);
    gp_var_title(&v, "name", w->name, PLOT_TITLE_MAX);
    gp_var_str(&v, "xlab", p1);
    gp_var_str(&v, "ylab", ylab);
    lines_xvars(&v, w);
    gp_var_str(&v, "note", note);
    int rc = gp_draw(c, g->chart, "sweep-lines", &v, err, errlen);
    unlink(data);
    free(data);
    free(v.p);
    free(lines);
    plot_sweep_labels_free(l2, nl2);
    free(pick);
    return rc;
}

int plot_sweep_lines(const struct gp_ctx *c, const struct grid *w, char *err, size_t errlen)
{
    /* with two or more axes the heatmaps show the rest */
    size_t n = w->naxes >= 2 ? 1 : sizeof goals / sizeof goals[0];
    for (size_t i = 0; i < n; i++)
        if (goal_lines(c, w, &goals[i], err, errlen))
            return -1;
    return 0;
}

/* plot_sweep.c -- a sweep's charts from DIR/sweep.csv: the clear time
 * against the first varied value, one line per value of the second
 * (clear-time.*), and with two or more varied paths, heatmaps of the
 * grid (heatmap-clear-time.*, heatmap-other-throttled.*). Varied paths
 * after the first two are held at their first value. */
#include "out/plot_charts.h"

#include "out/jsonfile.h"
#include "out/plot.h"
#include "out/resultdir.h"
#include "out/table.h"
#include "base/util.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_LINES 8 /* lines in the sweep chart before thinning */
#define MAX_LABELLED_CELLS 400

/* The distinct values of a column, in order of first appearance (the grid
 * order the user gave), or by number when every one is a number. */
struct axis {
    const char **v; /* borrowed from the table */
    size_t n;
    int numeric;
};

static size_t axis_index(const struct axis *a, const char *s)
{
    for (size_t i = 0; i < a->n; i++)
        if (!strcmp(a->v[i], s))
            return i;
    return SIZE_MAX;
}

static int cmp_num(const void *x, const void *y)
{
    double a = strtod(*(const char *const *)x, NULL), b = strtod(*(const char *const *)y, NULL);
    return (a > b) - (a < b);
}

static void axis_init(struct axis *a, const struct table *t, int col, const int *keep)
{
    a->v = xcalloc(t->nrows + 1, sizeof *a->v);
    a->n = 0;
    a->numeric = 1;
    for (size_t r = 0; r < t->nrows; r++) {
        if (!keep[r])
            continue;
        const char *s = tbl_get(t, r, col);
        if (axis_index(a, s) == SIZE_MAX) {
            a->v[a->n++] = s;
            if (isnan(tbl_num(t, r, col)))
                a->numeric = 0;
        }
    }
    if (a->numeric)
        qsort(a->v, a->n, sizeof *a->v, cmp_num);
}

static const char *last_segment(const char *path)
{
    const char *s = strrchr(path, '.');
    return s && s[1] ? s + 1 : path;
}

/* Seconds shown as hours, minutes or seconds, whichever reads best. */
static double duration_unit(double max_s, const char **unit)
{
    if (max_s >= 2 * 3600.0) {
        *unit = "hours";
        return 3600.0;
    }
    if (max_s >= 120.0) {
        *unit = "minutes";
        return 60.0;
    }
    *unit = "seconds";
    return 1.0;
}

struct grid {
    struct table t;
    int nvary;           /* varied columns (linked paths included) */
    int naxes;           /* --vary axes: column groups */
    int c2;              /* the second axis's column (nvary when one axis) */
    int *grp;            /* nvary: the axis of each varied column */
    int *keep;           /* rows in the shown slice (3rd+ varied paths at their first value) */
    struct axis a1, a2;  /* first and second varied path (a2.n = 1 with one path) */
    size_t *cell;        /* a1.n x a2.n -> row, or SIZE_MAX */
    char name[1024];
};

/* Which axis each varied column belongs to: sweep.json's "vary" says how
 * many linked paths follow each axis's own column; without it (or if it
 * does not add up) every column is an axis of its own. */
static void group_columns(struct grid *w, const cJSON *j)
{
    w->grp = xcalloc((size_t)w->nvary, sizeof *w->grp);
    const cJSON *vary = j ? cJSON_GetObjectItemCaseSensitive(j, "vary") : NULL;
    int c = 0, a = 0;
    for (const cJSON *v = cJSON_IsArray(vary) ? vary->child : NULL; v; v = v->next, a++) {
        const cJSON *l = cJSON_GetObjectItemCaseSensitive(v, "linked");
        int width = 1 + (cJSON_IsArray(l) ? cJSON_GetArraySize(l) : 0);
        for (int k = 0; k < width && c < w->nvary; k++)
            w->grp[c++] = a;
    }
    if (c != w->nvary || a == 0)
        for (c = 0; c < w->nvary; c++)
            w->grp[c] = c;
    w->naxes = w->grp[w->nvary - 1] + 1;
    w->c2 = w->nvary;
    for (c = w->nvary - 1; c >= 0; c--)
        if (w->grp[c] == 1)
            w->c2 = c;
}

static int grid_load(struct grid *w, const char *dir, char *err, size_t errlen)
{
    memset(w, 0, sizeof *w);
    char *path = gp_path(dir, RESDIR_SWEEP_CSV);
    int rc = tbl_load(&w->t, path, err, errlen);
    free(path);
    if (rc != 0)
        return -1;
    for (int c = 0; c < w->t.ncols && !w->nvary; c++) {
        size_t l = strlen(w->t.cells[c]);
        if (l > 5 && !strcmp(w->t.cells[c] + l - 5, "_mean"))
            w->nvary = c;
    }
    if (w->nvary < 1 || w->t.nrows == 0) {
        snprintf(err, errlen, "%s/" RESDIR_SWEEP_CSV ": %s", dir,
                 w->t.nrows ? "no varied path before the first *_mean column" : "no cells");
        return -1;
    }
    cJSON *j = jsonfile_read(dir, RESDIR_SWEEP_JSON, NULL, 0);
    const char *s = j ? jsonfile_str(j, "scenario") : NULL;
    snprintf(w->name, sizeof w->name, "%s", s ? s : "");
    group_columns(w, j);
    cJSON_Delete(j);
    w->keep = xcalloc(w->t.nrows, sizeof *w->keep);
    for (size_t r = 0; r < w->t.nrows; r++) {
        w->keep[r] = 1;
        for (int c = 0; c < w->nvary; c++)
            if (w->grp[c] >= 2 && strcmp(tbl_get(&w->t, r, c), tbl_get(&w->t, 0, c)))
                w->keep[r] = 0;
    }
    axis_init(&w->a1, &w->t, 0, w->keep);
    if (w->naxes >= 2) {
        axis_init(&w->a2, &w->t, w->c2, w->keep);
    } else {
        w->a2.v = xcalloc(1, sizeof *w->a2.v);
        w->a2.v[0] = "";
        w->a2.n = 1;
    }
    w->cell = xmalloc(w->a1.n * w->a2.n * sizeof *w->cell);
    for (size_t k = 0; k < w->a1.n * w->a2.n; k++)
        w->cell[k] = SIZE_MAX;
    for (size_t r = 0; r < w->t.nrows; r++) {
        if (!w->keep[r])
            continue;
        size_t i = axis_index(&w->a1, tbl_get(&w->t, r, 0));
        size_t k = w->naxes >= 2 ? axis_index(&w->a2, tbl_get(&w->t, r, w->c2)) : 0;
        w->cell[i * w->a2.n + k] = r;
    }
    return 0;
}

static void grid_fini(struct grid *w)
{
    tbl_fini(&w->t);
    free(w->grp);
    free(w->keep);
    free(w->a1.v);
    free(w->a2.v);
    free(w->cell);
}

/* " (path = value, ...)" for the varied paths after the first two, which
 * the charts hold at their first value; "" with two or fewer */
static void fixed_note(const struct grid *w, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int c = 0; c < w->nvary && o < len; c++)
        if (w->grp[c] >= 2)
            o += (size_t)snprintf(buf + o, len - o, "%s%s = %s", o == 0 ? " (" : ", ",
                                  last_segment(w->t.cells[c]), tbl_get(&w->t, 0, c));
    if (o && o < len)
        snprintf(buf + o, len - o, ")");
}

static double cellv(const struct grid *w, size_t i, size_t j, int col)
{
    size_t r = w->cell[i * w->a2.n + j];
    return r == SIZE_MAX ? NAN : tbl_num(&w->t, r, col);
}

/* The clear-time columns of sweep.csv (-1: absent) */
struct ct_cols {
    int mean, lo, hi;
};

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

/* The lines' data, one block per line of x, mean, lo, hi in the unit
 * that reads best (*unit), written to a temporary file: its path, or
 * NULL with err. */
static char *lines_data(const struct gp_ctx *c, const struct grid *w, const size_t *pick,
                        size_t nl, struct ct_cols ct, const char **unit, char *err, size_t errlen)
{
    double maxv = 0;
    for (size_t k = 0; k < nl; k++)
        for (size_t i = 0; i < w->a1.n; i++) {
            double v = cellv(w, i, pick[k], ct.hi >= 0 ? ct.hi : ct.mean);
            if (isfinite(v))
                maxv = fmax(maxv, v);
        }
    double div = duration_unit(maxv, unit);
    struct gp_text d = {0};
    for (size_t k = 0; k < nl; k++) {
        if (k)
            gp_add(&d, "\n\n");
        for (size_t i = 0; i < w->a1.n; i++) {
            double x = w->a1.numeric ? strtod(w->a1.v[i], NULL) : (double)i;
            double m = cellv(w, i, pick[k], ct.mean) / div;
            double lo = ct.lo >= 0 ? cellv(w, i, pick[k], ct.lo) / div : m;
            double hi = ct.hi >= 0 ? cellv(w, i, pick[k], ct.hi) / div : m;
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
    gp_var_strs(v, "xl", w->a1.v, w->a1.n);
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

/* The chart's note: that some clear times are lower bounds, or that the
 * lines coincide; "" otherwise. */
static void lines_note(const struct grid *w, const size_t *pick, size_t nl, int cm, char *note,
                       size_t len)
{
    const char *p2 = w->naxes >= 2 ? w->t.cells[w->c2] : "";
    /* lines that all coincide say something: the second path hardly
     * matters (their means within 1% of each other at every x) */
    int coincide = nl > 1;
    for (size_t i = 0; i < w->a1.n && coincide; i++) {
        double lo_m = INFINITY, hi_m = -INFINITY;
        for (size_t k = 0; k < w->a2.n; k++) {
            double m = cellv(w, i, k, cm);
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
            censored |= cellv(w, i, pick[k], ccl) < 1.0;
    note[0] = '\0';
    if (censored)
        snprintf(note, len, "some cells did not clear within the horizon in every "
                 "replication: their clear time is a lower bound");
    else if (coincide)
        snprintf(note, len, "all %zu lines coincide (within 1%%): %s hardly changes the "
                 "clear time", w->a2.n, last_segment(p2));
}

static int grid_lines(const struct gp_ctx *c, const struct grid *w, char *err, size_t errlen)
{
    struct ct_cols ct = {tbl_col(&w->t, "clear_time_s_mean"),
                         tbl_col(&w->t, "clear_time_s_ci95_lo"),
                         tbl_col(&w->t, "clear_time_s_ci95_hi")};
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
    const char *p1 = w->t.cells[0], *p2 = w->naxes >= 2 ? w->t.cells[w->c2] : "";
    const char **lines = xcalloc(nl, sizeof *lines);
    for (size_t k = 0; k < nl; k++)
        lines[k] = w->naxes >= 2 ? w->a2.v[pick[k]] : "mean, with 95% CI";
    char title[1024], fixed[400];
    fixed_note(w, fixed, sizeof fixed);
    if (nl < w->a2.n)
        snprintf(title, sizeof title,
                 "Rollout clear time by %s (%zu of %zu %s values, evenly spaced)%s", p1, nl,
                 w->a2.n, last_segment(p2), fixed);
    else
        snprintf(title, sizeof title, "Rollout clear time by %s%s", p1, fixed);
    char ylab[64], note[256];
    snprintf(ylab, sizeof ylab, "clear time (%s; mean, 95%% CI)", unit);
    lines_note(w, pick, nl, ct.mean, note, sizeof note);
    struct gp_text v = {0};
    gp_var_str(&v, "datafile", gp_base_name(data));
    gp_var_num(&v, "nlines", (double)nl);
    gp_var_strs(&v, "lines", lines, nl);
    gp_var_str(&v, "keytitle", last_segment(p2));
    gp_var_str(&v, "title1", title);
    gp_var_title(&v, "name", w->name, PLOT_TITLE_MAX);
    gp_var_str(&v, "xlab", p1);
    gp_var_str(&v, "ylab", ylab);
    lines_xvars(&v, w);
    gp_var_str(&v, "note", note);
    int rc = gp_draw(c, "clear-time", "sweep-lines", &v, err, errlen);
    unlink(data);
    free(data);
    free(v.p);
    free(lines);
    free(pick);
    return rc;
}

static void short_count(char *buf, size_t len, double v)
{
    if (v >= 9999.5)
        snprintf(buf, len, "%.0fk", v / 1000.0);
    else if (v >= 999.5)
        snprintf(buf, len, "%.1fk", v / 1000.0);
    else
        snprintf(buf, len, "%.0f", v);
}

/* The grid's cells as x, y, value (divided by div), label and whether the
 * label is white (on a dark cell), one block per row, written to a
 * temporary file: its path, or NULL with err. dur: the metric is a
 * duration; maxv: its largest value. */
static char *heatmap_data(const struct gp_ctx *c, const struct grid *w, int cm, int dur,
                          double maxv, double div, char *err, size_t errlen)
{
    int ccl = tbl_col(&w->t, "cleared_mean");
    struct gp_text d = {0};
    for (size_t i = 0; i < w->a1.n; i++) { /* y: first path */
        for (size_t j = 0; j < w->a2.n; j++) {
            double v = cellv(w, i, j, cm);
            char label[32];
            if (!isfinite(v))
                snprintf(label, sizeof label, "-");
            else if (dur)
                /* a rollout that did not clear in every replication has a
                 * clear time censored at the horizon: a lower bound */
                snprintf(label, sizeof label, div == 1.0 ? "%s%.0f" : "%s%.1f",
                         cellv(w, i, j, ccl) < 1.0 ? "\xe2\x89\xa5" : "", v / div);
            else
                short_count(label, sizeof label, v);
            int white = isfinite(v) && maxv > 0 && v > 0.55 * maxv;
            if (isfinite(v))
                gp_printf(&d, "%zu,%zu,%.10g,%s,%d\n", j, i, v / div, label, white);
            else
                gp_printf(&d, "%zu,%zu,NaN,%s,0\n", j, i, label);
        }
        gp_add(&d, "\n");
    }
    char *data = gp_write_temp(c->dir, &d, err, errlen);
    free(d.p);
    return data;
}

static int grid_heatmap(const struct gp_ctx *c, const struct grid *w, const char *metric,
                         const char *chart, char *err, size_t errlen)
{
    char col[128];
    snprintf(col, sizeof col, "%s_mean", metric);
    int cm = tbl_col(&w->t, col);
    if (cm < 0 || w->naxes < 2)
        return 0;
    int dur = !strcmp(metric, "clear_time_s");
    double maxv = 0;
    int any = 0;
    for (size_t i = 0; i < w->a1.n; i++)
        for (size_t j = 0; j < w->a2.n; j++) {
            double v = cellv(w, i, j, cm);
            if (isfinite(v)) {
                maxv = fmax(maxv, v);
                any = 1;
            }
        }
    if (!any)
        return 0;
    const char *unit = "";
    double div = dur ? duration_unit(maxv, &unit) : 1.0;
    char *data = heatmap_data(c, w, cm, dur, maxv, div, err, errlen);
    if (!data)
        return -1;
    char title[1024], cblab[128], fixed[400];
    const char *p1 = w->t.cells[0], *p2 = w->t.cells[w->c2];
    fixed_note(w, fixed, sizeof fixed);
    if (dur) {
        snprintf(title, sizeof title, "Rollout clear time (mean, %s) by %s and %s%s", unit,
                 last_segment(p2), last_segment(p1), fixed);
        snprintf(cblab, sizeof cblab, "clear time (%s)", unit);
    } else {
        snprintf(title, sizeof title,
                 "Other clients' 429s (collateral damage, mean per run) by %s and %s%s",
                 last_segment(p2), last_segment(p1), fixed);
        snprintf(cblab, sizeof cblab, "429s received by other clients");
    }
    struct gp_text v = {0};
    gp_var_str(&v, "datafile", gp_base_name(data));
    gp_var_num(&v, "nx", (double)w->a2.n);
    gp_var_num(&v, "ny", (double)w->a1.n);
    gp_var_strs(&v, "xl", w->a2.v, w->a2.n);
    gp_var_strs(&v, "yl", w->a1.v, w->a1.n);
    gp_var_str(&v, "title1", title);
    gp_var_title(&v, "name", w->name, PLOT_TITLE_MAX);
    gp_var_str(&v, "xlab", p2);
    gp_var_str(&v, "ylab", p1);
    gp_var_str(&v, "cblab", cblab);
    gp_var_num(&v, "labels", w->a1.n * w->a2.n <= MAX_LABELLED_CELLS && w->a2.n <= 30);
    int rc = gp_draw(c, chart, "sweep-heatmap", &v, err, errlen);
    unlink(data);
    free(data);
    free(v.p);
    return rc;
}

int plot_draw_sweep(const struct gp_ctx *c, char *err, size_t errlen)
{
    struct grid w;
    if (grid_load(&w, c->dir, err, errlen) != 0) {
        grid_fini(&w);
        return PLOT_FAILED;
    }
    int rc = grid_lines(c, &w, err, errlen);
    if (rc == 0)
        rc = grid_heatmap(c, &w, "clear_time_s", "heatmap-clear-time", err, errlen);
    if (rc == 0)
        rc = grid_heatmap(c, &w, "other_clients_throttled", "heatmap-other-throttled", err,
                           errlen);
    grid_fini(&w);
    return rc == 0 ? PLOT_OK : PLOT_FAILED;
}

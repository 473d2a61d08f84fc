/* plot_sweep.c -- a sweep's charts from DIR/sweep.csv: the grid of its
 * first two axes (plot_sweep_grid.h), the heatmaps of the clear time and
 * the collateral 429s (heatmap-clear-time.*, heatmap-other-throttled.*)
 * with two or more axes, and the line charts of plot_sweep_lines.c.
 * Varied paths after the first two axes are held at their first value. */
#include "out/plot_charts.h"
#include "out/plot_sweep_grid.h"

#include "out/jsonfile.h"
#include "out/plot.h"
#include "out/plotlabel.h"
#include "out/resultdir.h"
#include "base/util.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_LABELLED_CELLS 400

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

const char *plot_sweep_last_segment(const char *path)
{
    const char *s = strrchr(path, '.');
    return s && s[1] ? s + 1 : path;
}

/* Seconds shown as hours, minutes or seconds, whichever reads best. */
double plot_sweep_duration_unit(double max_s, const char **unit)
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

int plot_sweep_grid_load(struct grid *w, const char *dir, char *err, size_t errlen)
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

void plot_sweep_grid_fini(struct grid *w)
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
void plot_sweep_fixed_note(const struct grid *w, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int c = 0; c < w->nvary && o < len; c++)
        if (w->grp[c] >= 2)
            o += (size_t)snprintf(buf + o, len - o, "%s%s = %s", o == 0 ? " (" : ", ",
                                  plot_sweep_last_segment(w->t.cells[c]), tbl_get(&w->t, 0, c));
    if (o && o < len)
        snprintf(buf + o, len - o, ")");
}

double plot_sweep_cellv(const struct grid *w, size_t i, size_t j, int col)
{
    size_t r = w->cell[i * w->a2.n + j];
    return r == SIZE_MAX ? NAN : tbl_num(&w->t, r, col);
}

char **plot_sweep_axis_labels(const struct grid *w, int a, size_t *n)
{
    const struct axis *ax = a == 0 ? &w->a1 : &w->a2;
    int col = a == 0 ? 0 : w->c2;
    char **v = xcalloc(ax->n + 1, sizeof *v);
    for (size_t i = 0; i < ax->n; i++) {
        /* the first shown row with this value has its linked values */
        size_t r = 0;
        while (r < w->t.nrows && (!w->keep[r] || strcmp(tbl_get(&w->t, r, col), ax->v[i])))
            r++;
        size_t len = strlen(ax->v[i]) + 1;
        for (int c = 0; r < w->t.nrows && c < w->nvary; c++)
            if (w->grp[c] == w->grp[col] && c != col)
                len += strlen(tbl_get(&w->t, r, c)) + 3;
        v[i] = xmalloc(len);
        size_t o = (size_t)snprintf(v[i], len, "%s", ax->v[i]);
        for (int c = 0; r < w->t.nrows && c < w->nvary; c++)
            if (w->grp[c] == w->grp[col] && c != col)
                o += (size_t)snprintf(v[i] + o, len - o, " / %s", tbl_get(&w->t, r, c));
    }
    *n = ax->n;
    return v;
}

void plot_sweep_labels_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

const char *plot_sweep_axis_title(const struct grid *w, int a, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int c = 0; c < w->nvary && o < len; c++) {
        if (w->grp[c] != a)
            continue;
        char words[256];
        plotlabel_path(w->t.cells[c], words, sizeof words);
        o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? ", with " : "", words);
    }
    return buf;
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
            double v = plot_sweep_cellv(w, i, j, cm);
            char label[32];
            if (!isfinite(v))
                snprintf(label, sizeof label, "-");
            else if (dur)
                /* a rollout that did not clear in every replication has a
                 * clear time censored at the horizon: a lower bound */
                snprintf(label, sizeof label, div == 1.0 ? "%s%.0f" : "%s%.1f",
                         plot_sweep_cellv(w, i, j, ccl) < 1.0 ? "\xe2\x89\xa5" : "", v / div);
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
            double v = plot_sweep_cellv(w, i, j, cm);
            if (isfinite(v)) {
                maxv = fmax(maxv, v);
                any = 1;
            }
        }
    if (!any)
        return 0;
    const char *unit = "";
    double div = dur ? plot_sweep_duration_unit(maxv, &unit) : 1.0;
    char *data = heatmap_data(c, w, cm, dur, maxv, div, err, errlen);
    if (!data)
        return -1;
    char title[2048], cblab[128], fixed[400], p1[256], p2[256];
    plot_sweep_axis_title(w, 0, p1, sizeof p1);
    plot_sweep_axis_title(w, 1, p2, sizeof p2);
    plot_sweep_fixed_note(w, fixed, sizeof fixed);
    if (dur) {
        snprintf(title, sizeof title, "Rollout clear time (mean, %s) by %s and %s%s", unit,
                 p2, p1, fixed);
        snprintf(cblab, sizeof cblab, "clear time (%s)", unit);
    } else {
        snprintf(title, sizeof title,
                 "Other clients' 429s (collateral damage, mean per run) by %s and %s%s",
                 p2, p1, fixed);
        snprintf(cblab, sizeof cblab, "429s received by other clients");
    }
    struct gp_text v = {0};
    gp_var_str(&v, "datafile", gp_base_name(data));
    gp_var_num(&v, "nx", (double)w->a2.n);
    gp_var_num(&v, "ny", (double)w->a1.n);
    size_t nxl, nyl;
    char **xl = plot_sweep_axis_labels(w, 1, &nxl), **yl = plot_sweep_axis_labels(w, 0, &nyl);
    gp_var_strs(&v, "xl", (const char *const *)xl, nxl);
    gp_var_strs(&v, "yl", (const char *const *)yl, nyl);
    plot_sweep_labels_free(xl, nxl);
    plot_sweep_labels_free(yl, nyl);
    gp_var_title(&v, "title1", title, PLOT_TITLE_MAX);
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
    if (plot_sweep_grid_load(&w, c->dir, err, errlen) != 0) {
        plot_sweep_grid_fini(&w);
        return PLOT_FAILED;
    }
    int rc = plot_sweep_lines(c, &w, err, errlen);
    if (rc == 0)
        rc = grid_heatmap(c, &w, "clear_time_s", "heatmap-clear-time", err, errlen);
    if (rc == 0)
        rc = grid_heatmap(c, &w, "other_clients_throttled", "heatmap-other-throttled", err,
                           errlen);
    plot_sweep_grid_fini(&w);
    return rc == 0 ? PLOT_OK : PLOT_FAILED;
}

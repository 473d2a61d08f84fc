/* plot_run.c -- a run's charts (backlog.*, rates.*) from DIR/series.csv,
 * and reading a series file for them and for a compare's charts: where in
 * the series the action is, and the x range that shows it. */
#include "out/plot_charts.h"

#include "out/jsonfile.h"
#include "out/plot.h"
#include "out/resultdir.h"
#include "out/series.h"
#include "base/util.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Widens [*lo, *hi] to every time in t[0..n-1] where busy or thr reaches
 * 2% of its peak (and at least 1). */
static void active_span(const double *t, const double *busy, const double *thr, size_t n,
                        double peak_busy, double peak_thr, double *lo, double *hi)
{
    for (size_t i = 0; i < n; i++) {
        int active = (peak_busy > 0 && busy[i] >= fmax(1.0, 0.02 * peak_busy)) ||
                     (peak_thr > 0 && thr[i] >= fmax(1.0, 0.02 * peak_thr));
        if (active) {
            *lo = fmin(*lo, t[i]);
            *hi = fmax(*hi, t[i]);
        }
    }
}

int plot_activity_scan(const char *path, struct plot_activity *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    struct series_reader r;
    if (series_open(&r, path, err, errlen) != 0)
        return -1;
    double *t = NULL, *busy = NULL, *thr = NULL;
    size_t n = 0, tcap = 0, bcap = 0, rcap = 0;
    double peak_busy = 0, peak_thr = 0;
    struct series_row row;
    int got;
    while ((got = series_next(&r, &row, err, errlen)) > 0) {
        const double *v = row.v;
        if (n == 0) {
            s->start = row.clock_epoch_s - (int64_t)floor(v[SERIES_T_S]);
            s->t_first = v[SERIES_T_S];
        }
        s->t_last = v[SERIES_T_S];
        xgrow((void **)&t, &tcap, n + 1, sizeof *t);
        xgrow((void **)&busy, &bcap, n + 1, sizeof *busy);
        xgrow((void **)&thr, &rcap, n + 1, sizeof *thr);
        t[n] = v[SERIES_T_S];
        busy[n] = v[SERIES_QUEUED] + v[SERIES_WAITING_RETRY] + v[SERIES_FAILED_TASKS];
        thr[n] = v[SERIES_THROTTLED_PER_MIN] + v[SERIES_OTHER_THROTTLED_PER_MIN];
        if (v[SERIES_OTHER_THROTTLED_PER_MIN] > 0)
            s->other = 1;
        peak_busy = fmax(peak_busy, busy[n]);
        peak_thr = fmax(peak_thr, thr[n]);
        n++;
    }
    series_close(&r);
    int rc = got < 0 ? -1 : 0;
    s->rows = n;
    s->act_lo = INFINITY;
    s->act_hi = -INFINITY;
    if (rc == 0)
        active_span(t, busy, thr, n, peak_busy, peak_thr, &s->act_lo, &s->act_hi);
    free(t);
    free(busy);
    free(thr);
    if (rc == 0 && n == 0) {
        snprintf(err, errlen, "%s: no samples", path);
        rc = -1;
    }
    return rc;
}

void plot_window(double act_lo, double act_hi, double first, double last, double off,
                 double *x0, double *x1)
{
    double a = first, b = last;
    if (act_lo <= act_hi) {
        double pad = fmax(0.08 * (act_hi - act_lo), 600.0);
        double lo = fmax(first, act_lo - pad), hi = fmin(last, act_hi + pad);
        if (hi - lo < 0.8 * (last - first)) {
            a = lo;
            b = hi;
        }
    }
    double span = b - a;
    double step = span <= 3 * 3600.0    ? 600.0
                  : span <= 12 * 3600.0 ? 1800.0
                  : span <= 2 * 86400.0 ? 3600.0
                                        : 21600.0;
    *x0 = floor((a + off) / step) * step;
    *x1 = ceil((b + off) / step) * step;
    if (*x1 <= *x0)
        *x1 = *x0 + step;
}

void plot_time_ticks(double x0, double x1, double *first, double *step)
{
    static const double steps[] = {300,   600,   900,   1800,  3600,   7200,
                                   10800, 21600, 43200, 86400, 172800, 604800};
    size_t n = sizeof steps / sizeof steps[0], i = 0;
    while (i + 1 < n && (x1 - x0) / steps[i] > PLOT_MAX_TICKS - 1)
        i++;
    *step = steps[i];
    *first = ceil(x0 / *step) * *step;
}

static const char *scenario_name(const char *dir)
{
    static char name[1024];
    name[0] = '\0';
    cJSON *j = jsonfile_read(dir, RESDIR_META_JSON, NULL, 0);
    if (!j || !jsonfile_str(j, "scenario")) {
        cJSON_Delete(j);
        j = jsonfile_read(dir, RESDIR_RUN_JSON, NULL, 0);
    }
    const char *s = j ? jsonfile_str(j, "scenario") : NULL;
    snprintf(name, sizeof name, "%s", s ? s : "");
    cJSON_Delete(j);
    return name;
}

int plot_draw_run(const struct gp_ctx *c, char *err, size_t errlen)
{
    char *path = gp_path(c->dir, RESDIR_SERIES_CSV);
    struct plot_activity s;
    int rc = plot_activity_scan(path, &s, err, errlen);
    free(path);
    if (rc != 0)
        return PLOT_FAILED;
    double x0, x1;
    plot_window(s.act_lo, s.act_hi, s.t_first, s.t_last, (double)s.start, &x0, &x1);
    int other = s.other;
    cJSON *rj = jsonfile_read(c->dir, RESDIR_RUN_JSON, NULL, 0);
    if (rj) { /* other clients configured, even if none got a 429 */
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(rj, "metrics");
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(m, "other_clients_requests");
        const cJSON *mean = cJSON_GetObjectItemCaseSensitive(o, "mean");
        if (cJSON_IsNumber(mean) && mean->valuedouble > 0)
            other = 1;
        cJSON_Delete(rj);
    }
    struct gp_text v = {0};
    gp_var_str(&v, "datafile", RESDIR_SERIES_CSV);
    gp_var_title(&v, "name", scenario_name(c->dir), PLOT_TITLE_MAX);
    gp_var_num(&v, "xoff", (double)s.start);
    gp_var_num(&v, "xmin", x0);
    gp_var_num(&v, "xmax", x1);
    double tic0, ticstep;
    plot_time_ticks(x0, x1, &tic0, &ticstep);
    gp_var_num(&v, "xtic0", tic0);
    gp_var_num(&v, "xticstep", ticstep);
    gp_var_num(&v, "other", other);
    rc = gp_draw(c, "backlog", "backlog", &v, err, errlen);
    if (rc == 0)
        rc = gp_draw(c, "rates", "rates", &v, err, errlen);
    free(v.p);
    return rc == 0 ? PLOT_OK : PLOT_FAILED;
}

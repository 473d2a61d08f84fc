/* plot_backtest.c -- a backtest's charts, from backtest.json (read and
 * checked by btresult.h): one per curve, backtest-completions,
 * backtest-throttled and backtest-failed_tasks, each the simulated 90%
 * band and mean against the log's values, minute by minute from the
 * replayed rollout's start (plots/backtest.gp). The one drawing of these
 * charts: backtest --plot, provsim plot and provsim report all come here.
 *
 * The numbers reach gnuplot as a temporary file in backtest.csv's layout
 * (minute,t_s, then per curve observed, mean, p5, p95; empty where the
 * log has no value); the scenario's name only as a quoted title. */
#include "out/plot_charts.h"

#include "out/btresult.h"
#include "out/plot.h"
#include "out/resultdir.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void cell(struct gp_text *t, const double *v, int m)
{
    if (v)
        gp_printf(t, ",%.10g", v[m]);
    else
        gp_add(t, ",");
}

static char *data_file(const struct gp_ctx *c, const struct btres *b, char *err, size_t errlen)
{
    struct gp_text t = {0};
    gp_add(&t, "minute,t_s");
    for (int k = 0; k < BTRES_NCURVES; k++)
        gp_printf(&t, ",%s_observed,%s_mean,%s_p5,%s_p95", btres_curve_key[k], btres_curve_key[k],
                  btres_curve_key[k], btres_curve_key[k]);
    gp_add(&t, "\n");
    for (int m = 0; m < b->minutes; m++) {
        gp_printf(&t, "%d,%d", m, 60 * m);
        for (int k = 0; k < BTRES_NCURVES; k++) {
            cell(&t, b->c[k].obs, m);
            cell(&t, b->c[k].mean, m);
            cell(&t, b->c[k].p5, m);
            cell(&t, b->c[k].p95, m);
        }
        gp_add(&t, "\n");
    }
    char *path = gp_write_temp(c->dir, &t, err, errlen);
    free(t.p);
    return path;
}

int plot_draw_backtest(const struct gp_ctx *c, char *err, size_t errlen)
{
    struct btres b;
    int rc = btres_read(&b, c->dir, err, errlen);
    if (rc)
        return rc == BTRES_BAD ? PLOT_BAD_DATA : PLOT_FAILED;
    static const char *const ylabels[BTRES_NCURVES] = {"completions per minute", "429s per minute",
                                                       "rollout jobs on the failed-task list"};
    static const char *const titles[BTRES_NCURVES] = {
        "Completions per minute: simulated vs the log", "429s per minute: simulated vs the log",
        "Failed-task list: simulated vs the log"};
    char *data = data_file(c, &b, err, errlen);
    rc = data ? 0 : -1;
    for (int k = 0; k < BTRES_NCURVES && rc == 0; k++) {
        struct gp_text v = {0};
        char chart[64];
        snprintf(chart, sizeof chart, "backtest-%s", btres_curve_key[k]);
        gp_var_str(&v, "datafile", gp_base_name(data));
        gp_var_title(&v, "name", b.scenario, PLOT_TITLE_MAX);
        gp_var_str(&v, "title", titles[k]);
        gp_var_str(&v, "ylabel", ylabels[k]);
        gp_var_num(&v, "col", 3 + 4 * k);
        gp_var_num(&v, "has_obs", b.c[k].obs != NULL);
        gp_var_num(&v, "xoff", floor(b.start_s));
        rc = gp_draw(c, chart, "backtest", &v, err, errlen);
        free(v.p);
    }
    if (data)
        unlink(data);
    free(data);
    btres_fini(&b);
    return rc == 0 ? PLOT_OK : PLOT_FAILED;
}

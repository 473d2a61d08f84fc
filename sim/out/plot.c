/* plot.c -- see plot.h. What a directory holds decides what is drawn:
 * this file finds gnuplot and hands the directory to its kind's charts
 * (plot_charts.h); gnuplot.h runs gnuplot. */
#include "out/plot.h"

#include "base/file.h"
#include "out/btresult.h"
#include "out/gnuplot.h"
#include "out/plot_charts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char install_hint[] = "install it with: apt-get install gnuplot-nox";

int plot_dir(const char *dir, char *err, size_t errlen)
{
    return plot_dir_drawn(dir, NULL, err, errlen);
}

int plot_dir_drawn(const char *dir, struct gp_drawn *drawn, char *err, size_t errlen)
{
    if (drawn)
        drawn->n = 0;
    struct stat st;
    if (stat(dir, &st) != 0) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return PLOT_NO_DATA;
    }
    if (!S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: not a directory", dir);
        return PLOT_NO_DATA;
    }
    enum resdir_kind kind = resdir_kind(dir);
    if (kind == RESDIR_KIND_NONE ||
        (kind == RESDIR_KIND_RUN && !resdir_has(dir, RESDIR_SERIES_CSV))) {
        snprintf(err, errlen,
                 "%s: nothing to plot (no " RESDIR_SERIES_CSV ", " RESDIR_COMPARE_JSON
                 ", " RESDIR_SWEEP_CSV ", " RESDIR_PLAN_JSON " or " RESDIR_BACKTEST_JSON
                 ": write one with run --out, compare --out, sweep --out, plan --out or "
                 "backtest --out)",
                 dir);
        return PLOT_NO_DATA;
    }
    if (kind == RESDIR_KIND_BACKTEST) {
        /* a corrupt backtest.json is the user's to fix, with or without
         * gnuplot: say so first */
        struct btres b;
        int rc = btres_read(&b, dir, err, errlen);
        if (rc)
            return rc == BTRES_BAD ? PLOT_BAD_DATA : PLOT_FAILED;
        btres_fini(&b);
    }
    struct gp_ctx c = {.dir = dir, .drawn = drawn};
    if (gp_find(c.exe, sizeof c.exe) != 0) {
        snprintf(err, errlen, "gnuplot not found: the data is in %s; %s", dir, install_hint);
        return PLOT_NO_GNUPLOT;
    }
    switch (kind) {
    case RESDIR_KIND_RUN:
        return plot_draw_run(&c, err, errlen);
    case RESDIR_KIND_COMPARE:
        return plot_draw_compare(&c, err, errlen);
    case RESDIR_KIND_SWEEP:
        return plot_draw_sweep(&c, err, errlen);
    case RESDIR_KIND_PLAN:
        return plot_draw_plan(&c, err, errlen);
    case RESDIR_KIND_BACKTEST:
        return plot_draw_backtest(&c, err, errlen);
    case RESDIR_KIND_NONE:
        break;
    }
    return PLOT_NO_DATA;
}

void plot_print_drawn(FILE *f, const char *dir, const struct gp_drawn *drawn)
{
    for (int i = 0; i < drawn->n; i++)
        fprintf(f, "wrote %s/%s." RESDIR_PNG " and %s/%s." RESDIR_SVG "\n", dir,
                drawn->names[i], dir, drawn->names[i]);
}

int plot_after_run(const char *dir, FILE *out)
{
    char err[1024];
    struct gp_drawn drawn;
    int rc = plot_dir_drawn(dir, &drawn, err, sizeof err);
    plot_print_drawn(out, dir, &drawn); /* also the charts before a failure */
    if (rc == PLOT_OK)
        return fflush(out) == 0 ? 0 : 1;
    fprintf(stderr, "provsim: %s\n", err);
    return rc == PLOT_NO_GNUPLOT ? 0 : 1;
}

const char *const *plot_chart_names(enum resdir_kind kind)
{
    static const char *const series[] = {"backlog", "rates", NULL};
    /* the goals of plot_sweep_lines.c in its order, then the heatmaps */
    static const char *const sweep[] = {"clear-time",
                                        "harm-other-clients-throttled",
                                        "harm-background-throttled",
                                        "harm-background-delay-mean",
                                        "harm-background-delay-max",
                                        "other-clients-throttled",
                                        "background-latency-p95",
                                        "heatmap-clear-time",
                                        "heatmap-other-throttled",
                                        NULL};
    static const char *const plan[] = {"plan-pareto",   "plan-pareto-2", "plan-pareto-3",
                                       "plan-pareto-4", "plan-candidates", NULL};
    static const char *const backtest[] = {"backtest-completions", "backtest-throttled",
                                           "backtest-failed_tasks", NULL};
    static const char *const none[] = {NULL};
    switch (kind) {
    case RESDIR_KIND_RUN:
    case RESDIR_KIND_COMPARE:
        return series;
    case RESDIR_KIND_SWEEP:
        return sweep;
    case RESDIR_KIND_PLAN:
        return plan;
    case RESDIR_KIND_BACKTEST:
        return backtest;
    case RESDIR_KIND_NONE:
        break;
    }
    return none;
}

const char *plot_chart_caption(enum resdir_kind kind, const char *chart)
{
    int cmp = kind == RESDIR_KIND_COMPARE;
    if (!strcmp(chart, "backlog"))
        return cmp ? "Backlog (queued + waiting for a retry + in flight) and failed tasks of "
                     "each scenario over time, one colour per scenario (replication 0)."
                   : "Backlog over wall-clock time: queued, waiting for a retry and in flight "
                     "(stacked, so the top edge is the whole backlog), and the failed tasks "
                     "shown in the provisioning console (replication 0).";
    if (!strcmp(chart, "rates"))
        return cmp ? "429s per minute received by each scenario's client and, where other "
                     "clients share the API, by those clients (replication 0)."
                   : "Requests and 429s per minute of this client and, where other clients "
                     "share the API, the 429s they receive: the collateral damage "
                     "(replication 0).";
    if (!strcmp(chart, "clear-time"))
        return "Mean rollout clear time against the first varied value, one line per value "
               "of the second, with 95% confidence intervals as error bars.";
    if (!strncmp(chart, "harm-", 5))
        return "The harm the rollout causes (the same day with and without it, paired) "
               "against the varied value, with 95% confidence intervals as error bars.";
    if (!strcmp(chart, "other-clients-throttled"))
        return "Mean 429s received by other clients of the API over the whole horizon "
               "(the collateral damage) against the varied value, with 95% confidence "
               "intervals.";
    if (!strcmp(chart, "background-latency-p95"))
        return "Background jobs' p95 latency (the day's ordinary joiners and leavers) "
               "against the varied value, with 95% confidence intervals.";
    if (!strcmp(chart, "heatmap-clear-time"))
        return "Mean rollout clear time over the grid: darker is slower; \xe2\x89\xa5 marks "
               "cells where not every replication cleared within the horizon (the value is a "
               "lower bound).";
    if (!strncmp(chart, "plan-pareto", 11))
        return "Every candidate plan's mean objective against the mean of a constrained "
               "metric, with 95% confidence intervals on both: the chosen plan is the red star, "
               "infeasible plans are grey, the line is the Pareto front of the means and the "
               "dashed line the constraint's bound.";
    if (!strcmp(chart, "plan-candidates"))
        return "Every candidate plan's mean objective with its 95% confidence interval "
               "(over the replications it ran before it was decided); the chosen plan is the "
               "red star.";
    /* the backtest's: the band, the mean and the log, minute by minute */
#define BT_CAPTION(what)                                                                           \
    what " from the replayed rollout's start: the simulated 90% band (the 5% and 95% points "      \
         "over replications, a box per minute) and the simulated mean against what the log "      \
         "shows (red; only the simulation where the log cannot show it)."
    if (!strcmp(chart, "backtest-completions"))
        return BT_CAPTION("Completions per minute");
    if (!strcmp(chart, "backtest-throttled"))
        return BT_CAPTION("429s per minute to the client");
    if (!strcmp(chart, "backtest-failed_tasks"))
        return BT_CAPTION("Rollout jobs on the failed-task list");
#undef BT_CAPTION
    if (!strcmp(chart, "heatmap-other-throttled"))
        return "Mean 429s received by other clients of the API over the grid: darker is "
               "more collateral damage.";
    return "";
}

void plot_remove_stale(const char *dir, enum resdir_kind kind)
{
    static const char *const exts[] = {RESDIR_PNG, RESDIR_SVG};
    const char *const *charts = plot_chart_names(kind);
    for (int i = 0; charts[i]; i++)
        for (int k = 0; k < 2; k++) {
            char name[128];
            resdir_chart_name(name, sizeof name, charts[i], exts[k]);
            char *p = file_join(dir, name);
            unlink(p);
            free(p);
        }
    static const char *const reports[] = {RESDIR_REPORT_MD, RESDIR_REPORT_HTML};
    for (int k = 0; k < 2; k++) {
        char *p = file_join(dir, reports[k]);
        unlink(p);
        free(p);
    }
}

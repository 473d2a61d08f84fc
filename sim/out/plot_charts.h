/* plot_charts.h -- the charts plot_dir (plot.h) draws, one file per kind
 * of directory: a run's (plot_run.c), a compare's (plot_compare.c), a
 * sweep's (plot_sweep.c), a plan's (plot_plan.c) and a backtest's
 * (plot_backtest.c). Internal to the plot module.
 *
 * Time series are zoomed to where something happens (a backlog, failed
 * tasks or 429s), with a margin: a two-day horizon with a 90-minute
 * rollout would otherwise be a spike. The series files keep everything. */
#ifndef PROVSIM_PLOT_CHARTS_H
#define PROVSIM_PLOT_CHARTS_H

#include <stddef.h>
#include <stdint.h>

#include "out/gnuplot.h"

#define PLOT_TITLE_MAX 96 /* bytes of a scenario name in a title */

/* Where the action is in a series file. */
struct plot_activity {
    int64_t start;          /* naive local seconds since 1970 at t_s = 0 */
    double t_first, t_last; /* t_s of the first and last sample */
    double act_lo, act_hi;  /* t_s of the first and last busy sample; lo > hi: none */
    int other;              /* other clients received 429s */
    size_t rows;
};

/* Reads the series CSV at path and finds where the action is: samples
 * with a backlog, failed tasks or 429s above 2% of their peak. Returns 0,
 * or -1 with err naming the file. */
int plot_activity_scan(const char *path, struct plot_activity *s, char *err, size_t errlen);

/* The x range to show, in seconds on the series' own clock (t_s + off):
 * the busy part with a margin, rounded out to a readable step; the whole
 * series when that is most of it anyway. */
void plot_window(double act_lo, double act_hi, double first, double last, double off,
                 double *x0, double *x1);

/* Where the ticks of a wall-clock x axis [x0, x1] go: every *step
 * seconds from *first (the first multiple of step at or after x0, so
 * ticks fall on round clock times), step the smallest of 5m, 10m, 15m,
 * 30m, 1h, 2h, 3h, 6h, 12h, 1d, 2d, 7d that gives at most PLOT_MAX_TICKS
 * ticks. The scripts reserve a right margin wider than half a tick label
 * ("Tue 10:50"), so a tick at x1 keeps its whole label. */
#define PLOT_MAX_TICKS 9
void plot_time_ticks(double x0, double x1, double *first, double *step);

/* Draw the charts of one kind of directory in c->dir. Each returns a
 * plot_status; on anything but PLOT_OK err holds one line for the user. */
int plot_draw_run(const struct gp_ctx *c, char *err, size_t errlen);
int plot_draw_compare(const struct gp_ctx *c, char *err, size_t errlen);
int plot_draw_sweep(const struct gp_ctx *c, char *err, size_t errlen);
int plot_draw_plan(const struct gp_ctx *c, char *err, size_t errlen); /* plot_plan.c */
int plot_draw_backtest(const struct gp_ctx *c, char *err, size_t errlen); /* plot_backtest.c */

#endif

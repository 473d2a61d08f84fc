/* plot.h -- gnuplot charts of a result directory (a run, a compare, a
 * sweep, a plan or a backtest), drawn from the data files saved there.
 *
 * The scripts are the plots/ directory's .gp files, compiled into the
 * binary; gnuplot is found on PATH and run with an argument vector (no
 * shell) inside DIR, so data files are named by fixed relative names.
 * Every string from the user (scenario names, varied values) reaches
 * gnuplot only through gp_quote (gnuplot.h): single-quoted text, where
 * gnuplot expands neither backquotes nor macros, with each apostrophe as
 * "'"; control characters become spaces. The terminal is noenhanced, and the
 * scripts use these strings only as titles and labels, so a name can only
 * ever be text. Each chart is written to a temporary file in DIR and
 * renamed into place, as PNG (pngcairo, 1200x700) and SVG.
 *
 * What a directory holds decides what is drawn:
 *   compare.json            compare: backlog.*, rates.* (overlaid, one
 *                           colour per scenario, from series-N.csv)
 *   sweep.csv               sweep: clear-time.*; with one axis every
 *                           other goal metric against it
 *                           (plot_sweep_lines.c); with two or more axes
 *                           heatmap-clear-time.* and
 *                           heatmap-other-throttled.*
 *   series.csv              run: backlog.*, rates.*
 *   backtest.json           backtest: backtest-completions.*,
 *                           backtest-throttled.*, backtest-failed_tasks.*
 *                           (plot_backtest.c) */
#ifndef PROVSIM_PLOT_H
#define PROVSIM_PLOT_H

#include <stddef.h>
#include <stdio.h>

#include "out/resultdir.h"

enum plot_status {
    PLOT_OK = 0,
    PLOT_FAILED = 1,      /* gnuplot failed or a file could not be written */
    PLOT_NO_GNUPLOT = 2,  /* gnuplot is not on PATH; err says how to install it */
    PLOT_NO_DATA = 3,     /* DIR holds nothing to draw */
    PLOT_BAD_DATA = 4,    /* DIR's data file is not what provsim writes; err names
                           * the file and the key (backtest.json) */
};

/* Draws every chart DIR's data allows. Returns a plot_status; on anything
 * but PLOT_OK err holds one line for the user. */
int plot_dir(const char *dir, char *err, size_t errlen);
/* The same, and the charts drawn into *drawn (borrowed, may be NULL). */
struct gp_drawn;
int plot_dir_drawn(const char *dir, struct gp_drawn *drawn, char *err, size_t errlen);
/* "wrote DIR/NAME.png and DIR/NAME.svg" on f, one line per chart drawn. */
void plot_print_drawn(FILE *f, const char *dir, const struct gp_drawn *drawn);

/* For commands that have just written their data to DIR (run/sweep/compare
 * --plot): draws the charts, lists the files written on out (stdout, or
 * stderr when stdout carries JSON) and any problem on stderr. Returns the
 * exit code to use: 0 when the charts are drawn or gnuplot is missing (the
 * data is written; the message says how to install gnuplot), 1 when
 * drawing failed. */
int plot_after_run(const char *dir, FILE *out);

/* The chart files (without extension) plot_dir can draw for a kind, in
 * the order a report shows them, NULL-terminated (a sweep with one varied
 * path has no heatmaps); and a sentence saying what a chart shows. */
const char *const *plot_chart_names(enum resdir_kind kind);
const char *plot_chart_caption(enum resdir_kind kind, const char *chart);

/* Removes from DIR the charts of kind (both formats) and report.md and
 * report.html, if there: a command about to write new data calls it, as
 * they would show the old. */
void plot_remove_stale(const char *dir, enum resdir_kind kind);

#endif

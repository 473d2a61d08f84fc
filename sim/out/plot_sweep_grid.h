/* plot_sweep_grid.h -- what a sweep's chart files share (internal to the
 * plot module): sweep.csv read as a grid of the first two axes, the
 * varied paths after those held at their first value.
 *
 *   plot_sweep.c        the grid, the heatmaps, plot_draw_sweep
 *   plot_sweep_lines.c  a metric against the first axis, one line per
 *                       value of the second (with one axis: every goal) */
#ifndef PROVSIM_PLOT_SWEEP_GRID_H
#define PROVSIM_PLOT_SWEEP_GRID_H

#include <stddef.h>

#include "out/gnuplot.h"
#include "out/table.h"


/* The distinct values of a column, in order of first appearance (the grid
 * order the user gave), or by number when every one is a number. */
struct axis {
    const char **v; /* borrowed from the table */
    size_t n;
    int numeric;
};

#define MAX_LINES 8 /* lines in the sweep chart before thinning */

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

/* Loads DIR/sweep.csv (and sweep.json's axes and name) into *w (caller
 * owns: plot_sweep_grid_fini, also after a failure). Returns 0, or -1
 * with a message. */
int plot_sweep_grid_load(struct grid *w, const char *dir, char *err, size_t errlen);
void plot_sweep_grid_fini(struct grid *w);
/* Column col of the cell at (first-axis value i, second-axis value j):
 * NaN if the cell is missing. */
double plot_sweep_cellv(const struct grid *w, size_t i, size_t j, int col);
/* " (path = value, ...)" for the varied paths after the first two; ""
 * with two or fewer. */
void plot_sweep_fixed_note(const struct grid *w, char *buf, size_t len);
/* The divisor that shows seconds up to max_s best (3600, 60 or 1) and
 * *unit its name ("hours", "minutes", "seconds"). */
double plot_sweep_duration_unit(double max_s, const char **unit);
/* What follows a path's last '.' (the whole path without one). */
const char *plot_sweep_last_segment(const char *path);
/* The words for axis a (0 or 1; plotlabel.h), with its linked paths:
 * "batch size (users), with batch interval". */
const char *plot_sweep_axis_title(const struct grid *w, int a, char *buf, size_t len);

/* The tick labels of axis a (0 or 1), one per value in w->a1/a2 order:
 * the value, and its linked paths' values after " / " ("250 / 5m").
 * Returns n strings (caller owns: plot_sweep_labels_free). */
char **plot_sweep_axis_labels(const struct grid *w, int a, size_t *n);
void plot_sweep_labels_free(char **v, size_t n);

/* The charts of plot_sweep_lines.c: with one axis every goal metric that
 * sweep.csv holds, else the clear time. Returns 0, or -1 with a message. */
int plot_sweep_lines(const struct gp_ctx *c, const struct grid *w, char *err, size_t errlen);

#endif

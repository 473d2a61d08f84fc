/* gnuplot.h -- running gnuplot for the charts (plot.h): the program text,
 * quoting, the run itself and its files.
 *
 * A chart's program is its variables (every string from outside through
 * gp_quote), then for PNG and for SVG the terminal, a temporary output
 * name, `reset`, plots/common.gp and the chart's script. gnuplot is run
 * with an argument vector (no shell) inside DIR, its standard error
 * captured; the two outputs are renamed into place only when gnuplot
 * exited 0 and wrote both. Data gnuplot cannot read directly is written to
 * a temporary file in DIR first (gp_write_temp). So the only text from
 * outside that gnuplot ever sees as code is inside single quotes. */
#ifndef PROVSIM_GNUPLOT_H
#define PROVSIM_GNUPLOT_H

#include <limits.h>
#include <stddef.h>

#include "base/util.h"

/* A growing text: a program or a data file being built. {0} is empty;
 * p is owned (free()) and NUL-terminated once anything is added. */
struct gp_text {
    char *p;
    size_t n, cap;
};

void gp_add(struct gp_text *b, const char *s);
void gp_printf(struct gp_text *b, const char *fmt, ...) X_PRINTF(2, 3);
/* Appends s as the string expression gp_quote writes. */
void gp_add_quoted(struct gp_text *b, const char *s);

/* Writes s into buf as a gnuplot string expression that evaluates to s:
 * single-quoted runs joined by '.' to "'" for each apostrophe ("it's" ->
 * 'it' . "'" . 's'), control characters replaced by spaces. Returns the
 * length the expression needs (excluding the NUL), like snprintf; buf is
 * always NUL-terminated when len > 0. Exposed for the tests. */
size_t gp_quote(char *buf, size_t len, const char *s);

/* The variables a chart's script reads, one assignment line each:
 * name = 'value'; name = number (0 if not finite); an array name[n] of
 * strings (gnuplot arrays need n >= 1); and a title: value wrapped at
 * spaces into lines of at most max bytes (gnuplot does not wrap), at most
 * GP_TITLE_LINES of them, the last shortened (gp_shorten) if text is left;
 * the lines are joined by "\n" in the expression, never in the text. */
#define GP_TITLE_LINES 3
void gp_var_str(struct gp_text *b, const char *name, const char *value);
void gp_var_num(struct gp_text *b, const char *name, double v);
void gp_var_strs(struct gp_text *b, const char *name, const char *const *v, size_t n);
void gp_var_title(struct gp_text *b, const char *name, const char *value, size_t max);

/* s cut to at most max bytes at a UTF-8 character boundary, with "..."
 * when cut: gnuplot does not wrap titles, and a long scenario name would
 * run off the chart. Returns a new string (caller owns, free()). */
char *gp_shorten(const char *s, size_t max);

/* "DIR/name", always with one '/' (as messages name the files of DIR);
 * caller owns, free(). */
char *gp_path(const char *dir, const char *name);
/* The part of path after its last '/' (borrowed from path). */
const char *gp_base_name(const char *path);

/* Where the charts of one directory are drawn, with which gnuplot. */
/* The charts a plot_dir call drew, in order (names without extension;
 * each has a .png and a .svg). */
#define GP_MAX_DRAWN 32
struct gp_drawn {
    char names[GP_MAX_DRAWN][64];
    int n;
};

struct gp_ctx {
    const char *dir;     /* borrowed */
    char exe[PATH_MAX];  /* absolute path of gnuplot (gp_find) */
    struct gp_drawn *drawn; /* borrowed, may be NULL: gp_draw adds each chart
                             * it writes */
};

/* Looks for an executable gnuplot on PATH; the result is absolute, since
 * gnuplot runs in another directory. Returns 0 or -1. */
int gp_find(char *out, size_t len);

/* Draws DIR/<chart>.png and .svg with the compiled-in script plots/
 * <script>.gp and the variables in vars. Returns 0, or -1 with err. */
int gp_draw(const struct gp_ctx *c, const char *chart, const char *script,
            const struct gp_text *vars, char *err, size_t errlen);

/* Writes text to a new temporary file in dir; returns its path (caller
 * owns: unlink and free it) or NULL with err. */
char *gp_write_temp(const char *dir, const struct gp_text *text, char *err, size_t errlen);

#endif

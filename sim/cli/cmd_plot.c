/* cmd_plot.c -- provsim plot DIR: redraws the charts of a run, sweep or
 * compare directory from the data saved there (see plot.h). */
#include "cli/cli.h"
#include "cli/commands.h"
#include "out/plot.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage_plot[] =
    "usage: provsim plot DIR\n"
    "\n"
    "Redraws the charts of a result directory from its saved data, as PNG and\n"
    "SVG, with gnuplot (found on PATH):\n"
    "  run --out DIR      DIR/backlog.*, DIR/rates.*\n"
    "  compare --out DIR  the same, one colour per scenario\n"
    "  sweep --out DIR    DIR/clear-time.*, DIR/heatmap-clear-time.*,\n"
    "                     DIR/heatmap-other-throttled.* (two or more --vary)\n"
    "\n"
    "Exit status: 0 when the charts are drawn; 2 on bad usage, when DIR does not\n"
    "exist or holds no run, compare or sweep data; 1 when gnuplot is missing or\n"
    "fails, or a chart cannot be written.\n";

static const struct cli_opt plot_opts[] = {CLI_OPT_HELP, {NULL, 0, 0}};

int cmd_plot(int argc, char **argv)
{
    const char *dir;
    int rc = cli_dir_arg("plot", argc, argv, plot_opts, &dir);
    if (rc == 1) {
        fputs(usage_plot, stdout);
        return 0;
    }
    if (rc != 0)
        return rc;
    char err[1024];
    rc = plot_dir(dir, err, sizeof err);
    /* a directory without provsim data is the user's mistake (2); a
     * failed or missing gnuplot is not (1) */
    if (rc == PLOT_NO_DATA)
        return cli_input_error("%s", err);
    if (rc != PLOT_OK) {
        fprintf(stderr, "provsim: %s\n", err);
        return 1;
    }
    const char *const *charts = plot_chart_names(resdir_kind(dir));
    for (int i = 0; charts[i]; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.png", dir, charts[i]);
        if (access(path, F_OK) == 0)
            printf("%s (and .svg)\n", path);
    }
    return fflush(stdout) == 0 ? 0 : 1;
}

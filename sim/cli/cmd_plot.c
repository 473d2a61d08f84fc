/* cmd_plot.c -- provsim plot DIR: redraws the charts of a run, sweep,
 * compare, plan or backtest directory from the data saved there (see
 * plot.h). */
#include "cli/cli.h"
#include "cli/commands.h"
#include "out/gnuplot.h"
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
    "  sweep --out DIR    DIR/clear-time.*; with one --vary also every other goal\n"
    "                     (DIR/other-clients-throttled.*, DIR/background-latency-p95.*,\n"
    "                     DIR/harm-*.* when the data has them); with two or more\n"
    "                     DIR/heatmap-clear-time.*, DIR/heatmap-other-throttled.*\n"
    "  plan --out DIR     DIR/plan-pareto.* (-2.. for more constraints) or\n"
    "                     DIR/plan-candidates.*\n"
    "  backtest --out DIR DIR/backtest-completions.*, DIR/backtest-throttled.*,\n"
    "                     DIR/backtest-failed_tasks.*\n"
    "It lists the charts it drew.\n"
    "\n"
    "Exit status: 0 when the charts are drawn; 2 on bad usage, when DIR does not\n"
    "exist or holds no run, compare, sweep, plan or backtest data, or its\n"
    "backtest.json is not what backtest writes; 1 when gnuplot is missing or\n"
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
    struct gp_drawn drawn;
    rc = plot_dir_drawn(dir, &drawn, err, sizeof err);
    /* a directory without provsim data is the user's mistake (2); a
     * failed or missing gnuplot is not (1) */
    if (rc == PLOT_NO_DATA || rc == PLOT_BAD_DATA)
        return cli_input_error("%s", err);
    if (rc != PLOT_OK) {
        fprintf(stderr, "provsim: %s\n", err);
        return 1;
    }
    for (int i = 0; i < drawn.n; i++)
        printf("%s/%s.png (and .svg)\n", dir, drawn.names[i]);
    return fflush(stdout) == 0 ? 0 : 1;
}

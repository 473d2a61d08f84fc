/* cmd_plot.c -- provsim plot DIR: redraws the charts of a run, sweep or
 * compare directory from the data saved there (see plot.h). */
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
    "It lists the charts it drew.\n"
    "\n"
    "Exit 0 when the charts are drawn; 1 when DIR holds no data, gnuplot is\n"
    "missing or fails; 2 on bad usage.\n";

int cmd_plot(int argc, char **argv)
{
    if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(usage_plot, stdout);
        return 0;
    }
    if (argc != 2 || (argv[1][0] == '-' && argv[1][1] != '\0'))
        return cli_usage_error_plain("plot", "%s", "plot takes exactly one directory");
    char err[1024];
    struct gp_drawn drawn;
    int rc = plot_dir_drawn(argv[1], &drawn, err, sizeof err);
    /* a directory without provsim data is the user's mistake (2); a
     * failed or missing gnuplot is not (1) */
    if (rc == PLOT_NO_DATA)
        return cli_input_error("%s", err);
    if (rc != PLOT_OK) {
        fprintf(stderr, "provsim: %s\n", err);
        return 1;
    }
    for (int i = 0; i < drawn.n; i++)
        printf("%s/%s.png (and .svg)\n", argv[1], drawn.names[i]);
    return fflush(stdout) == 0 ? 0 : 1;
}

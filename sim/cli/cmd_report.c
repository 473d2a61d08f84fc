/* cmd_report.c -- provsim report DIR: DIR/report.md and a self-contained
 * DIR/report.html from a run, sweep, compare, plan or backtest directory
 * (report.h). */
#include "cli/cli.h"
#include "cli/commands.h"
#include "out/resultdir.h"
#include "out/report.h"

#include <stdio.h>
#include <string.h>

static const char usage_report[] =
    "usage: provsim report DIR\n"
    "\n"
    "Writes DIR/report.md and DIR/report.html (self-contained: the charts are\n"
    "embedded) from the data of run, sweep, compare, plan or backtest --out: the\n"
    "scenario(s), the findings in plain language, the key metrics with 95%\n"
    "confidence intervals, and the charts, drawn first with gnuplot when they\n"
    "are missing or older than the data. A backtest's report sets the observed\n"
    "clear time and curves against the simulated intervals and bands.\n"
    "\n"
    "Exit status: 0 when the report is written (also without charts when gnuplot\n"
    "is missing: the message says how to install it); 2 on bad usage, when DIR\n"
    "does not exist or holds no run, compare, sweep, plan or backtest data, or\n"
    "its backtest.json is not what backtest writes; 1 when a file cannot be read\n"
    "or written, or the charts fail.\n";

static const struct cli_opt report_opts[] = {CLI_OPT_HELP, {NULL, 0, 0}};

int cmd_report(int argc, char **argv)
{
    const char *dir;
    int rc = cli_dir_arg("report", argc, argv, report_opts, &dir);
    if (rc == 1) {
        fputs(usage_report, stdout);
        return 0;
    }
    if (rc != 0)
        return rc;
    char err[2048];
    if (resdir_kind(dir) == RESDIR_KIND_NONE)
        return cli_input_error("%s: nothing to report (no run.json, compare.json, "
                               "sweep.csv, plan.json or backtest.json; make one with provsim "
                               "run/compare/sweep/plan/backtest --out DIR)",
                               dir);
    rc = report_write(dir, err, sizeof err);
    if (rc == REPORT_BAD_DATA)
        return cli_input_error("%s", err);
    if (rc == REPORT_FAILED) {
        fprintf(stderr, "provsim: %s\n", err);
        return 1;
    }
    if (rc != REPORT_OK)
        fprintf(stderr, "provsim: %s\n", err);
    printf("%s/report.md\n%s/report.html\n", dir, dir);
    if (fflush(stdout) != 0)
        return 1;
    return rc == REPORT_CHARTS_FAILED ? 1 : 0;
}

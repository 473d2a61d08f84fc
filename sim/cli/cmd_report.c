/* cmd_report.c -- provsim report DIR: DIR/report.md and a self-contained
 * DIR/report.html from a run, sweep or compare directory (report.h). */
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
    "embedded) from the data of run --out, sweep --out or compare --out: the\n"
    "scenario(s), the findings in plain language, the key metrics with 95%\n"
    "confidence intervals, and the charts, drawn first with gnuplot when they\n"
    "are missing or older than the data.\n"
    "\n"
    "Exit 0 when the report is written (also without charts when gnuplot is\n"
    "missing: the message says how to install it); 1 when DIR holds no data,\n"
    "a file cannot be written or the charts fail; 2 on bad usage.\n";

int cmd_report(int argc, char **argv)
{
    if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(usage_report, stdout);
        return 0;
    }
    if (argc != 2 || (argv[1][0] == '-' && argv[1][1] != '\0'))
        return cli_usage_error_plain("report", "%s", "report takes exactly one directory");
    char err[2048];
    if (resdir_kind(argv[1]) == RESDIR_KIND_NONE)
        return cli_input_error("%s: nothing to report (no run.json, compare.json or "
                               "sweep.csv; make one with provsim run/compare/sweep --out DIR)",
                               argv[1]);
    int rc = report_write(argv[1], err, sizeof err);
    if (rc == REPORT_FAILED) {
        fprintf(stderr, "provsim: %s\n", err);
        return 1;
    }
    if (rc != REPORT_OK)
        fprintf(stderr, "provsim: %s\n", err);
    printf("%s/report.md\n%s/report.html\n", argv[1], argv[1]);
    if (fflush(stdout) != 0)
        return 1;
    return rc == REPORT_CHARTS_FAILED ? 1 : 0;
}

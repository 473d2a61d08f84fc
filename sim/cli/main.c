/* main.c -- the provsim command line: the top-level help and version, and
 * the dispatch to one subcommand (commands.h); all else is in cmd_*.c.
 *
 * Exit codes: 0 success; 2 bad usage or a bad scenario (nothing written);
 * 1 any other failure (an audit violation, a failed write). */
#include "cli/cli.h"
#include "cli/commands.h"

#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

static const char usage_main[] =
    "usage: provsim <command> [options]\n"
    "\n"
    "Simulates identity-provisioning (SCIM) backlogs under API rate limits.\n"
    "\n"
    "commands:\n"
    "  run [SCENARIO.json]     simulate a scenario (the built-in default if none)\n"
    "  validate SCENARIO.json  check a scenario and exit\n"
    "  sweep SCENARIO.json --vary PATH=VALUES...  run a grid of variants\n"
    "  compare A.json B.json [...]  paired comparison of scenarios\n"
    "  plot DIR                redraw the charts of a run, sweep or compare\n"
    "  report DIR              write DIR/report.md and DIR/report.html\n"
    "\n"
    "  provsim run --help      options of run\n"
    "  provsim --version       print the version\n";

int main(int argc, char **argv)
{
    /* input can reach GSL (through scenario parameters): never let it
     * abort the process; callers check return codes instead */
    gsl_set_error_handler_off();
    if (argc < 2) {
        fputs(usage_main, stderr);
        return CLI_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        fputs(usage_main, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("provsim %s\n", PROVSIM_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "run"))
        return cmd_run(argc - 1, argv + 1);
    if (!strcmp(cmd, "validate"))
        return cmd_validate(argc - 1, argv + 1);
    if (!strcmp(cmd, "sweep"))
        return cmd_sweep(argc - 1, argv + 1);
    if (!strcmp(cmd, "compare"))
        return cmd_compare(argc - 1, argv + 1);
    if (!strcmp(cmd, "plot"))
        return cmd_plot(argc - 1, argv + 1);
    if (!strcmp(cmd, "report"))
        return cmd_report(argc - 1, argv + 1);
    return cli_usage_error(NULL, "unknown command \"%s\"", cmd);
}

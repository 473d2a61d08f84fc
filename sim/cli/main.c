/* main.c -- the provsim command line: the top-level help and version, and
 * the dispatch to one subcommand (commands.h); all else is in cmd_*.c.
 *
 * Exit codes: 0 success; 2 bad usage or a bad scenario (nothing written);
 * 1 any other failure (an audit violation, a failed write); 128 + the
 * signal when SIGINT or SIGTERM stopped a run (130, 143). */
#include "cli/cli.h"
#include "cli/commands.h"

#include "models/metrics.h"
#include "scenario/presets.h"

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
    "  plan SCENARIO.json --choose PATH=VALUES... --minimize METRIC  the best plan\n"
    "                          under constraints, with a statistical guarantee\n"
    "  plot DIR                redraw the charts of a run, sweep, compare, plan or\n"
    "                          backtest directory\n"
    "  report DIR              write DIR/report.md and DIR/report.html (any of them)\n"
    "  presets                 list the built-in presets\n"
    "  init [--preset NAME] FILE.json  write a starting scenario\n"
    "  calibrate --okta-log FILE|--access-log FILE --out SCENARIO.json\n"
    "                          fit a scenario to an Okta System Log and access log\n"
    "  backtest SCENARIO.json --okta-log FILE|--access-log FILE\n"
    "                          replay the logged rollout and compare with the log\n"
    "\n"
    "  provsim COMMAND --help  the options of COMMAND\n"
    "  provsim --version       print the version\n"
    "\n"
    "Options take --opt=value or --opt value, and any unambiguous prefix of\n"
    "their name (--rep 5); -- ends the options; a scenario \"-\" is read from\n"
    "standard input.\n"
    "\n"
    "Exit status: 0 success; 2 bad usage or a bad scenario (nothing written);\n"
    "1 any other failure (an audit violation, a failed write); 130 or 143 when\n"
    "interrupted by SIGINT or SIGTERM.\n";

/* The subcommands in the order of the help: what dispatch and
 * `provsim --complete commands` (bash completion) both use. */
static const struct {
    const char *name;
    int (*fn)(int argc, char **argv);
} commands[] = {{"run", cmd_run},         {"validate", cmd_validate}, {"sweep", cmd_sweep},
                {"compare", cmd_compare}, {"plan", cmd_plan},         {"plot", cmd_plot},
                {"report", cmd_report},   {"presets", cmd_presets},   {"init", cmd_init},
                {"calibrate", cmd_calibrate}, {"backtest", cmd_backtest}};

/* provsim --complete commands|metrics|presets: the words bash
 * completion offers (completion/provsim.bash), from the tables the
 * program itself uses, so completion cannot go stale. Not in the help:
 * it is for the completion script. */
static int complete(int argc, char **argv)
{
    const char *what = argc == 2 ? argv[1] : "";
    if (!strcmp(what, "commands")) {
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
            puts(commands[i].name);
    } else if (!strcmp(what, "metrics")) {
        for (int i = 0; i < METRIC_COUNT; i++)
            puts(metric_table[i].name);
    } else if (!strcmp(what, "presets")) {
        for (const struct scn_preset *p = scn_presets; p->name; p++)
            puts(p->name);
    } else {
        return cli_usage_error(NULL, "--complete: expected commands, metrics or presets, got "
                                     "\"%s\"", what);
    }
    return fflush(stdout) == 0 ? 0 : 1;
}

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
    if (!strcmp(cmd, "--complete"))
        return complete(argc - 1, argv + 1);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(cmd, commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    return cli_usage_error(NULL, "unknown command \"%s\"", cmd);
}

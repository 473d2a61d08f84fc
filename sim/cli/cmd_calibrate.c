/* cmd_calibrate.c -- provsim calibrate [--okta-log FILE] [--access-log FILE]
 * [--app NAME] [--agent TEXT] [--base SCENARIO.json] [--utc-offset +HH:MM]
 * [--reps N] --out SCENARIO.json: fits a scenario to the logs
 * (calib/calibrate.h); this file only reads the options. */
#include "cli/cli.h"
#include "cli/commands.h"

#include "calib/calibrate.h"
#include "scenario/scenario.h"

#include <stdio.h>
#include <string.h>

static const char usage_calibrate[] =
    "usage: provsim calibrate [--okta-log FILE] [--access-log FILE] [--app NAME]\n"
    "                         [--base SCENARIO.json] --out SCENARIO.json\n"
    "\n"
    "Writes a scenario fitted to an Okta System Log and/or the SaaS app's SCIM\n"
    "access log: what the logs show is measured (the rollout, the background\n"
    "profile, latency, Retry-After, rates, the recipe, the concurrency, and the\n"
    "limiter's burst, counted before the first 429); the limiter's rate, the\n"
    "retry jitter, the burst without an access log and the concurrency without\n"
    "one are fitted by simulation, each with a 95% interval from a parametric\n"
    "bootstrap. Every value gets a notes line saying where it came from and how\n"
    "sure it is.\n"
    "\n"
    "options:\n"
    "  --okta-log FILE     Okta System Log: JSON array, JSON lines or CSV export\n"
    "  --access-log FILE   SCIM access log: NCSA combined + %D, or JSON lines\n"
    "  --app NAME          the app's AppInstance displayName or alternateId\n"
    "                      (default: the System Log's only app)\n"
    "  --agent TEXT        keep access-log requests whose user agent contains TEXT\n"
    "                      (default \"Okta SCIM Client\"; \"\" keeps all)\n"
    "  --base SCENARIO.json  values the logs cannot show come from it (default:\n"
    "                      the loader's defaults and the stated assumptions)\n"
    "  --utc-offset +HH:MM the scenario's clock is UTC plus this (default +00:00)\n"
    "  --reps N            replications per fit candidate (default 10)\n"
    "  --out SCENARIO.json the scenario to write (replaced atomically)\n"
    "  -h, --help          this help\n"
    "\n"
    "Exit status: 0 when the scenario is written; 2 on bad usage or a bad log\n"
    "(its file, line and reason); 1 when the scenario cannot be written.\n";

enum { O_BASE = CLI_O_OWN };
static const struct cli_opt calibrate_opts[] = {
    CLI_OPTS_LOGS,         {"base", 1, O_BASE}, {"reps", 1, CLI_O_REPS},
    {"out", 1, CLI_O_OUT}, CLI_OPT_HELP,        {NULL, 0, 0}};

int cmd_calibrate(int argc, char **argv)
{
    if (cli_help_requested(argc, argv, calibrate_opts)) {
        fputs(usage_calibrate, stdout);
        return 0;
    }
    struct calib_opts o = {MEAS_SRC_INIT, NULL, NULL, 10, 200};
    struct cli_parser p;
    cli_parser_init(&p, "calibrate", argc, argv, calibrate_opts);
    const char *v;
    int id;
    long reps;
    while ((id = cli_next(&p, &v)) != CLI_END) {
        switch (id) {
        case CLI_BAD:
            return CLI_EXIT_USAGE;
        case O_BASE:
            o.base = v;
            break;
        case CLI_O_REPS:
            if (cli_parse_long(v, 2, 1000, &reps))
                return cli_usage_error("calibrate", "--reps: expected a whole number 2-1000, "
                                       "got \"%s\"", v);
            o.reps = (int)reps;
            break;
        case CLI_O_OUT:
            o.out = v;
            break;
        case CLI_ARG:
            return cli_usage_error("calibrate", "unexpected argument \"%s\" (the logs are given "
                                   "with --okta-log and --access-log)", v);
        default: /* the log source */
            if (cli_logs_option("calibrate", id, v, &o.logs) == CLI_EXIT_USAGE)
                return CLI_EXIT_USAGE;
        }
    }
    if (!o.logs.okta_log && !o.logs.access_log)
        return cli_usage_error("calibrate", "%s", "give --okta-log FILE, --access-log FILE or both");
    if (!o.out)
        return cli_usage_error("calibrate", "%s", "give the scenario to write: --out SCENARIO.json");
    if (!strcmp(o.out, "-"))
        return cli_usage_error("calibrate", "%s", "--out: a file, not standard output (it is "
                               "written atomically)");
    char err[SCN_ERRLEN * 2];
    int rc = calib_run(&o, stdout, err, sizeof err);
    if (rc == 2)
        return cli_input_error("%s", err);
    if (rc)
        fprintf(stderr, "provsim: %s\n", err);
    return rc;
}

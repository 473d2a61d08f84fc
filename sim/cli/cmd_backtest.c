/* cmd_backtest.c -- provsim backtest SCENARIO.json --okta-log FILE |
 * --access-log FILE [--app NAME] [--agent TEXT] [--utc-offset +HH:MM]
 * [--reps N] [--seed S] [--out DIR] [--plot]: replays the logged rollout
 * in the scenario and compares (calib/backtest.h); this file only reads
 * the options. */
#include "cli/cli.h"
#include "cli/commands.h"

#include "calib/backtest.h"
#include "scenario/scenario.h"

#include <stdio.h>
#include <string.h>

static const char usage_backtest[] =
    "usage: provsim backtest SCENARIO.json --okta-log FILE | --access-log FILE\n"
    "                        [--out DIR] [--plot]\n"
    "\n"
    "Replays the rollout a log shows (its start, size and kind) in the scenario\n"
    "and compares minute by minute: completions, 429s and the failed-task list,\n"
    "simulated (mean and 90% band over replications) against observed, and the\n"
    "clear time (simulated mean, 95% CI and 95% prediction interval) against\n"
    "the observed one.\n"
    "\n"
    "options:\n"
    "  --okta-log FILE     Okta System Log: JSON array, JSON lines or CSV export\n"
    "  --access-log FILE   SCIM access log: NCSA combined + %D, or JSON lines\n"
    "  --app NAME          the app in the System Log (default: its only app)\n"
    "  --agent TEXT        the access log's user-agent filter (default \"Okta SCIM\n"
    "                      Client\")\n"
    "  --utc-offset +HH:MM the scenario's clock is UTC plus this (default +00:00)\n"
    "  --reps N            replications (default: the scenario's)\n"
    "  --seed S            base seed (default: the scenario's)\n"
    "  --out DIR           write DIR/backtest.json and DIR/backtest.csv\n"
    "  --plot              with --out: one chart per curve (needs gnuplot; as\n"
    "                      provsim plot DIR draws them)\n"
    "  -h, --help          this help\n"
    "\n"
    "provsim report DIR writes the backtest's report.md and report.html.\n"
    "\n"
    "Exit status: 0 when compared (also with --plot when gnuplot is missing: the\n"
    "message says how to install it); 2 on bad usage, a bad scenario or a bad\n"
    "log; 1 when an output cannot be written or the charts fail.\n";

static const struct cli_opt backtest_opts[] = {
    CLI_OPTS_LOGS,         {"reps", 1, CLI_O_REPS}, {"seed", 1, CLI_O_SEED},
    {"out", 1, CLI_O_OUT}, {"plot", 0, CLI_O_PLOT}, CLI_OPT_HELP,
    {NULL, 0, 0}};

int cmd_backtest(int argc, char **argv)
{
    if (cli_help_requested(argc, argv, backtest_opts)) {
        fputs(usage_backtest, stdout);
        return 0;
    }
    struct backtest_opts o = {NULL, MEAS_SRC_INIT, 0, -1, NULL, 0};
    struct cli_parser p;
    cli_parser_init(&p, "backtest", argc, argv, backtest_opts);
    const char *v;
    int id;
    long n;
    while ((id = cli_next(&p, &v)) != CLI_END) {
        switch (id) {
        case CLI_BAD:
            return CLI_EXIT_USAGE;
        case CLI_ARG:
            if (o.scenario)
                return cli_usage_error("backtest", "more than one scenario given (\"%s\")", v);
            o.scenario = v;
            break;
        case CLI_O_REPS:
            if (cli_parse_long(v, 2, SCN_MAX_REPLICATIONS, &n))
                return cli_usage_error("backtest", "--reps: expected a whole number 2-100000, "
                                       "got \"%s\"", v);
            o.reps = (int)n;
            break;
        case CLI_O_SEED:
            if (cli_parse_long(v, 0, 2147483647L, &n))
                return cli_usage_error("backtest", "--seed: expected a whole number >= 0, got "
                                       "\"%s\"", v);
            o.seed = n;
            break;
        case CLI_O_OUT:
            o.out_dir = v;
            break;
        case CLI_O_PLOT:
            o.plot = 1;
            break;
        default: /* the log source */
            if (cli_logs_option("backtest", id, v, &o.logs) == CLI_EXIT_USAGE)
                return CLI_EXIT_USAGE;
        }
    }
    if (!o.scenario)
        return cli_usage_error("backtest", "%s", "give the scenario (SCENARIO.json)");
    if (!strcmp(o.scenario, "-"))
        return cli_usage_error("backtest", "%s", "the scenario must be a file (it is read twice)");
    if (!o.logs.okta_log && !o.logs.access_log)
        return cli_usage_error("backtest", "%s", "give --okta-log FILE or --access-log FILE");
    if (o.plot && !o.out_dir)
        return cli_usage_error("backtest", "%s", "--plot needs --out DIR");
    char err[SCN_ERRLEN * 2];
    int rc = backtest_run(&o, stdout, err, sizeof err);
    if (rc == 2)
        return cli_input_error("%s", err);
    if (rc && *err)
        fprintf(stderr, "provsim: %s\n", err);
    return rc;
}

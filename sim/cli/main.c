/* main.c -- the provsim command line: reads a scenario, runs it, reports.
 *
 * Exit codes: 0 success; 2 bad usage or a bad scenario (nothing written);
 * 1 any other failure (an audit violation, a failed write). */
#include "cli/cli.h"
#include "cli/commands.h"
#include "run/memlimit.h"
#include "base/outfile.h"
#include "out/plot.h"
#include "out/summary.h"
#include "out/rundir.h"
#include "out/series.h"
#include "out/trace.h"
#include "run/runner.h"
#include "scenario/scenario.h"
#include "base/util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#define EXIT_USAGE CLI_EXIT_USAGE

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

static const char usage_run[] =
    "usage: provsim run [SCENARIO.json] [options]\n"
    "\n"
    "Runs the scenario's replications and prints each metric's mean and 95%\n"
    "confidence interval. Without SCENARIO.json it runs the built-in default\n"
    "(configs/default.json: a Slack-like 5,000-user rollout at 10:00 on a weekday).\n"
    "\n"
    "options:\n"
    "  --reps N            replications (default: the scenario's); the cap with\n"
    "                      --precision\n"
    "  --precision P       replicate until the 95% CI half-width of clear_time_s\n"
    "                      is within P of its mean (\"2%\" or 0.02; at least 3)\n"
    "  --seed S            base seed (default: the scenario's)\n"
    "  --set PATH=VALUE    override a scenario key, e.g.\n"
    "                      --set workload.rollouts[0].batch_size=250 (repeatable)\n"
    "  --format text|json  output format (default text)\n"
    "  --series FILE.csv   backlog and failed tasks over time (replication 0)\n"
    "  --trace FILE.csv    one line per request (replication 0)\n"
    "  --out DIR           write DIR/run.json, DIR/series.csv and DIR/meta.json,\n"
    "                      the data of provsim plot DIR and provsim report DIR\n"
    "  --plot              draw DIR's charts with gnuplot after the run (needs --out)\n"
    "  --jobs J            run replications on J threads (default: one per core;\n"
    "                      results are identical whatever J)\n"
    "  --perf              add wall time, events per second and peak memory\n"
    "  --audit             check the model's invariants after every event\n"
    "  --max-memory SIZE   refuse to start if the run would need more (e.g. 64G;\n"
    "                      default: PROVSIM_MAX_MEMORY, else physical memory;\n"
    "                      \"unlimited\" turns the check off)\n"
    "  -h, --help          this help\n";

static int cmd_validate(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-') {
        if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
            puts("usage: provsim validate SCENARIO.json\n\nChecks a scenario; exit 0 if "
                 "it is valid, 2 with a message naming the problem if not.");
            return 0;
        }
        return cli_usage_error(NULL, "%s", "validate takes exactly one scenario file");
    }
    struct scenario s;
    char err[SCN_ERRLEN];
    if (scn_load(argv[1], NULL, 0, &s, err, sizeof err) != 0) {
        fprintf(stderr, "provsim: %s\n", err);
        return EXIT_USAGE;
    }
    printf("%s: valid (%s)\n", argv[1], s.name);
    scn_fini(&s);
    return 0;
}

struct run_args {
    struct cli_common cc; /* --reps --seed --jobs --precision --set --out --plot */
    const char *scenario;
    int json, perf, audit;
    const char *series, *trace;
    const char *max_memory; /* --max-memory SIZE, or NULL */
};

static int parse_run_args(int argc, char **argv, struct run_args *a)
{
    memset(a, 0, sizeof *a);
    cli_common_init(&a->cc, argc);
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int taken = cli_common_option("run", argc, argv, &i, &a->cc);
        if (taken == CLI_EXIT_USAGE)
            return CLI_EXIT_USAGE;
        if (taken)
            continue;
        if (!strcmp(o, "--format")) {
            if (!v || (strcmp(v, "text") && strcmp(v, "json")))
                return cli_usage_error("run", "--format: expected text or json, got \"%s\"",
                                       v ? v : "");
            a->json = !strcmp(v, "json");
            i++;
        } else if (!strcmp(o, "--series") || !strcmp(o, "--trace")) {
            if (!v || !*v)
                return cli_usage_error("run", "%s: expected a file name", o);
            if (o[2] == 's')
                a->series = v;
            else
                a->trace = v;
            i++;
        } else if (!strcmp(o, "--perf")) {
            a->perf = 1;
        } else if (!strcmp(o, "--audit")) {
            a->audit = 1;
        } else if (!strcmp(o, "--max-memory")) {
            uint64_t bytes;
            char msg[SCN_ERRLEN];
            if (!v || mem_parse_size(v, &bytes, msg, sizeof msg))
                return cli_usage_error("run", "--max-memory: %s",
                                       v ? msg : "expected a size like 64G");
            a->max_memory = v;
            i++;
        } else if (o[0] == '-' && o[1] != '\0') {
            return cli_usage_error("run", "unknown option \"%s\"", o);
        } else if (!a->scenario) {
            a->scenario = o;
        } else {
            return cli_usage_error("run", "more than one scenario given (\"%s\")", o);
        }
    }
    if (a->cc.plot && !a->cc.out)
        return cli_usage_error("run", "%s",
                               "--plot needs --out DIR (the charts are drawn from its data)");
    return 0;
}

static int cmd_run(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage_run, stdout);
            return 0;
        }
    struct run_args a;
    int rc = parse_run_args(argc, argv, &a);
    if (rc) {
        free(a.cc.sets);
        return rc;
    }
    struct scenario s;
    char err[SCN_ERRLEN];
    if (scn_load(a.scenario, a.cc.sets, a.cc.nsets, &s, err, sizeof err) != 0) {
        fprintf(stderr, "provsim: %s\n", err);
        free(a.cc.sets);
        return EXIT_USAGE;
    }
    free(a.cc.sets);
    if (a.cc.seed >= 0)
        s.seed = (uint64_t)a.cc.seed;
    /* refuse now what would be killed for want of memory hours from now */
    {
        long long reps = a.cc.reps > 0 ? a.cc.reps : s.replications;
        long long threads = cli_jobs(&a.cc);
        if (mem_check(&s, (int)(threads < reps ? threads : reps), a.max_memory, err, sizeof err) !=
            0) {
            fprintf(stderr, "provsim: %s\n", err);
            scn_fini(&s);
            return EXIT_USAGE;
        }
    }

    /* open every output first: a bad path is a usage error, found before
     * any time is spent simulating, and nothing is left half-written */
    struct outfile series = {0}, trace = {0};
    if (a.series && outfile_open(&series, a.series, err, sizeof err) != 0) {
        fprintf(stderr, "provsim: --series %s\n", err);
        scn_fini(&s);
        return EXIT_USAGE;
    }
    if (a.trace && outfile_open(&trace, a.trace, err, sizeof err) != 0) {
        fprintf(stderr, "provsim: --trace %s\n", err);
        if (a.series)
            outfile_abort(&series);
        scn_fini(&s);
        return EXIT_USAGE;
    }
    struct rundir rd = {0};
    if (a.cc.out && rundir_open(&rd, a.cc.out, err, sizeof err) != 0) {
        fprintf(stderr, "provsim: --out %s\n", err);
        if (a.series)
            outfile_abort(&series);
        if (a.trace)
            outfile_abort(&trace);
        scn_fini(&s);
        return EXIT_USAGE;
    }

    struct run_series so;
    struct run_trace to;
    series_csv_out(&so, a.cc.out ? rundir_series(&rd) : series.f);
    trace_csv_out(&to, trace.f);
    struct run_opts o = {
        .reps = a.cc.reps > 0 ? (int)a.cc.reps : s.replications,
        .seed = s.seed,
        .precision = a.cc.precision,
        .audit = a.audit,
        .threads = cli_jobs(&a.cc),
        .series = a.cc.out || a.series ? &so : NULL,
        .trace = a.trace ? &to : NULL,
    };
    struct run_result res;
    rc = run_scenario(&s, &o, &res);
    if (rc != 0) {
        fprintf(stderr, "provsim: %s\n", res.audit_msg);
        if (a.series)
            outfile_abort(&series);
        if (a.trace)
            outfile_abort(&trace);
        if (a.cc.out)
            rundir_abort(&rd);
        run_result_fini(&res);
        scn_fini(&s);
        return 1;
    }
    struct summary_perf perf = {res.wall_s, (double)res.events, run_peak_rss_bytes()};
    if (a.json) {
        char *js = summary_json(&s, &res, a.perf ? &perf : NULL);
        puts(js);
        free(js);
    } else {
        summary_text(stdout, &s, &res, a.perf ? &perf : NULL);
    }
    rc = 0;
    /* before the --series commit: the run dir's series is copied there */
    if (a.cc.out && rundir_commit(&rd, &s, &res, a.series ? series.f : NULL, err, sizeof err)) {
        fprintf(stderr, "provsim: %s\n", err);
        if (a.series)
            outfile_abort(&series); /* it may lack the copy */
        a.series = NULL;
        rc = 1;
    }
    if (a.series && outfile_commit(&series, err, sizeof err) != 0) {
        fprintf(stderr, "provsim: %s\n", err);
        rc = 1;
    }
    if (a.trace && outfile_commit(&trace, err, sizeof err) != 0) {
        fprintf(stderr, "provsim: %s\n", err);
        rc = 1;
    }
    if (fflush(stdout) != 0)
        rc = 1;
    if (rc == 0 && a.cc.plot)
        rc = plot_after_run(a.cc.out);
    run_result_fini(&res);
    scn_fini(&s);
    return rc;
}

int main(int argc, char **argv)
{
    /* input can reach GSL (through scenario parameters): never let it
     * abort the process; callers check return codes instead */
    gsl_set_error_handler_off();
    if (argc < 2) {
        fputs(usage_main, stderr);
        return EXIT_USAGE;
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

/* cmd_run.c -- provsim run [SCENARIO.json]: one scenario's replications,
 * the summary on stdout and, on request, the series and trace of
 * replication 0 and a result directory (rundir.h).
 *
 * The order of the steps is a promise to the user: the options, the
 * scenario and its memory need are checked and every output is opened
 * before the simulation starts, so a mistake costs no time and leaves no
 * file (exit 2). A failed audit discards every output (exit 1); a failed
 * commit leaves the other outputs committed (exit 1). */
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/interrupt.h"

#include "base/outfile.h"
#include "base/progress.h"
#include "out/plot.h"
#include "out/summary.h"
#include "out/rundir.h"
#include "out/series.h"
#include "out/trace.h"
#include "run/memlimit.h"
#include "run/runner.h"
#include "scenario/scenario.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

static const char usage_run[] =
    "usage: provsim run [SCENARIO.json|-] [options]\n"
    "\n"
    "Runs the scenario's replications and prints each metric's mean and 95%\n"
    "confidence interval. Without SCENARIO.json it runs the built-in default\n"
    "(configs/default.json: a Slack-like 5,000-user rollout at 10:00 on a weekday);\n"
    "\"-\" reads the scenario from standard input.\n"
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
    "  --series FILE.csv   backlog and failed tasks over time (replication 0);\n"
    "                      \"-\" writes it on stdout (the summary then goes to stderr)\n"
    "  --trace FILE.csv    one line per request (replication 0); \"-\" as for --series\n"
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

struct run_args {
    struct cli_common cc; /* --reps --seed --jobs --precision --set --out --plot */
    const char *scenario;
    int json, perf, audit;
    const char *series, *trace;
    const char *max_memory; /* --max-memory SIZE, or NULL */
};

enum { O_FORMAT = CLI_O_OWN, O_SERIES, O_TRACE, O_PERF, O_AUDIT, O_MAX_MEMORY };
static const struct cli_opt run_opts[] = {
    CLI_OPTS_COMMON,         {"format", 1, O_FORMAT}, {"series", 1, O_SERIES},
    {"trace", 1, O_TRACE},   {"perf", 0, O_PERF},     {"audit", 0, O_AUDIT},
    {"max-memory", 1, O_MAX_MEMORY}, CLI_OPT_HELP,    {NULL, 0, 0}};

/* Returns 0, or CLI_EXIT_USAGE with the message printed; a->cc.sets is
 * allocated either way (the caller frees it). */
static int parse_run_args(int argc, char **argv, struct run_args *a)
{
    memset(a, 0, sizeof *a);
    cli_common_init(&a->cc, argc);
    struct cli_parser p;
    cli_parser_init(&p, "run", argc, argv, run_opts);
    const char *v;
    int id;
    while ((id = cli_next(&p, &v)) != CLI_END) {
        if (id == CLI_BAD)
            return CLI_EXIT_USAGE;
        int taken = cli_common_option("run", id, v, &a->cc);
        if (taken == CLI_EXIT_USAGE)
            return CLI_EXIT_USAGE;
        if (taken)
            continue;
        switch (id) {
        case O_FORMAT:
            if (strcmp(v, "text") && strcmp(v, "json"))
                return cli_usage_error("run", "--format: expected text or json, got \"%s\"", v);
            a->json = !strcmp(v, "json");
            break;
        case O_SERIES:
        case O_TRACE:
            if (!*v)
                return cli_usage_error("run", "%s: expected a file name", p.name);
            if (id == O_SERIES)
                a->series = v;
            else
                a->trace = v;
            break;
        case O_PERF:
            a->perf = 1;
            break;
        case O_AUDIT:
            a->audit = 1;
            break;
        case O_MAX_MEMORY: {
            uint64_t bytes;
            char msg[SCN_ERRLEN];
            if (mem_parse_size(v, &bytes, msg, sizeof msg))
                return cli_usage_error("run", "--max-memory: %s", msg);
            a->max_memory = v;
            break;
        }
        case CLI_ARG:
            if (a->scenario)
                return cli_usage_error("run", "more than one scenario given (\"%s\")", v);
            a->scenario = v;
            break;
        }
    }
    if (a->cc.plot && !a->cc.out)
        return cli_usage_error("run", "%s",
                               "--plot needs --out DIR (the charts are drawn from its data)");
    if (a->series && a->trace && !strcmp(a->series, "-") && !strcmp(a->trace, "-"))
        return cli_usage_error("run", "%s",
                               "--series - and --trace - would both write to standard output");
    return 0;
}

/* Loads the scenario with the --set overrides and --seed, and refuses it
 * if the run would need more memory than allowed: now, not when it is
 * killed hours from now. Returns 0, or CLI_EXIT_USAGE with the message
 * printed (s is then finished). */
static int load_scenario(const struct run_args *a, struct scenario *s)
{
    char err[SCN_ERRLEN];
    if (scn_load(a->scenario, a->cc.sets, a->cc.nsets, s, err, sizeof err) != 0)
        return cli_input_error("%s", err);
    if (a->cc.seed >= 0)
        s->seed = (uint64_t)a->cc.seed;
    long long reps = a->cc.reps > 0 ? a->cc.reps : s->replications;
    long long threads = cli_jobs(&a->cc);
    if (mem_guard(s, (int)(threads < reps ? threads : reps), a->max_memory, err, sizeof err) != 0) {
        int rc = cli_input_error("%s", err);
        scn_fini(s);
        return rc;
    }
    return 0;
}

/* The files of --series, --trace and --out. A flag is set while its file
 * is open (from open_outputs to its commit or abort), so a failure
 * discards exactly what is open. */
struct run_outputs {
    struct outfile series, trace;
    struct rundir rd;
    int has_series, has_trace, has_rd;
    int series_std, trace_std; /* "-": .f is stdout, nothing to commit or abort */
};

/* Discards the open outputs, in the order they were opened. */
static void abort_outputs(struct run_outputs *o)
{
    if (o->has_series)
        outfile_abort(&o->series);
    if (o->has_trace)
        outfile_abort(&o->trace);
    if (o->has_rd)
        rundir_abort(&o->rd);
    o->has_series = o->has_trace = o->has_rd = 0;
}

/* Prints the input error of an output that would not open and discards
 * those opened before it. */
static int open_failed(struct run_outputs *o, const char *fmt, const char *err)
{
    int rc = cli_input_error(fmt, err);
    abort_outputs(o);
    return rc;
}

/* Opens every output before any time is spent simulating: a bad path is
 * a usage error, and nothing is left half-written. Returns 0, or
 * CLI_EXIT_USAGE with the message printed and nothing left open. */
static int open_outputs(const struct run_args *a, struct run_outputs *o)
{
    char err[SCN_ERRLEN];
    memset(o, 0, sizeof *o);
    o->series_std = a->series && !strcmp(a->series, "-");
    o->trace_std = a->trace && !strcmp(a->trace, "-");
    if (o->series_std)
        o->series.f = stdout;
    else if (a->series && outfile_open(&o->series, a->series, err, sizeof err) != 0)
        return open_failed(o, "--series %s", err);
    o->has_series = a->series != NULL && !o->series_std;
    if (o->trace_std)
        o->trace.f = stdout;
    else if (a->trace && outfile_open(&o->trace, a->trace, err, sizeof err) != 0)
        return open_failed(o, "--trace %s", err);
    o->has_trace = a->trace != NULL && !o->trace_std;
    if (a->cc.out && rundir_open(&o->rd, a->cc.out, err, sizeof err) != 0)
        return open_failed(o, "--out %s", err);
    o->has_rd = a->cc.out != NULL;
    return 0;
}

/* The progress bar's hook (run_opts.on_progress): arg is the bar. */
static void draw_bar(void *arg, int done, int total)
{
    progress_draw(arg, done, total, done, total, 0);
}

/* Runs the replications, replication 0's series going to the run
 * directory's series.csv if there is one (the --series file gets a copy
 * at the commit), else to --series. Returns 0, or 1 when --audit found a
 * violation: the message is printed and the outputs discarded. Caller
 * owns *res either way (run_result_fini). */
static int simulate(const struct run_args *a, const struct scenario *s, struct run_outputs *out,
                    struct run_result *res)
{
    struct run_series so;
    struct run_trace to;
    struct trace_csv tw;
    series_csv_out(&so, a->cc.out ? rundir_series(&out->rd) : out->series.f);
    trace_csv_out(&to, &tw, out->trace.f, s);
    struct run_opts o = {
        .reps = a->cc.reps > 0 ? (int)a->cc.reps : s->replications,
        .seed = s->seed,
        .precision = a->cc.precision,
        .audit = a->audit,
        .threads = cli_jobs(&a->cc),
        .series = a->cc.out || a->series ? &so : NULL,
        .trace = a->trace ? &to : NULL,
    };
    /* on a terminal only; the bar shows after half a second and is wiped
     * before the summary */
    struct progress bar;
    progress_init(&bar, stderr, "replications", cli_progress_delay());
    if (isatty(STDERR_FILENO)) {
        o.on_progress = draw_bar;
        o.progress_arg = &bar;
    }
    int rc = run_scenario(s, &o, res);
    progress_end(&bar, 0);
    if (rc == 0)
        return 0;
    fprintf(stderr, "provsim: %s\n", res->audit_msg);
    abort_outputs(out);
    return 1;
}

/* The summary, as text or JSON, with the measured speed and memory if
 * --perf: on stdout, or on stderr when --series - or --trace - has
 * taken stdout (the data stays a clean CSV for the next program). */
static void print_summary(const struct run_args *a, const struct scenario *s,
                          const struct run_result *res, FILE *to)
{
    struct summary_perf perf = {res->wall_s,
                                (double)res->events,
                                (double)res->requests,
                                (double)res->rf_events,
                                (double)res->rf_requests,
                                res->rf_s,
                                run_peak_rss_bytes()};
    if (a->json) {
        char *js = summary_json(s, res, a->perf ? &perf : NULL);
        fprintf(to, "%s\n", js);
        free(js);
    } else {
        summary_text(to, s, res, a->perf ? &perf : NULL);
    }
}

/* Commits every open output. Returns 0, or 1 after printing why one
 * failed (the others are still committed). */
static int commit_outputs(const struct scenario *s, const struct run_result *res,
                          struct run_outputs *o)
{
    char err[SCN_ERRLEN];
    int rc = 0;
    /* before the --series commit: the run dir's series is copied there */
    if (o->has_rd && rundir_commit(&o->rd, s, res,
                                   o->has_series || o->series_std ? o->series.f : NULL, err,
                                   sizeof err)) {
        fprintf(stderr, "provsim: %s\n", err);
        if (o->has_series)
            outfile_abort(&o->series); /* it may lack the copy */
        o->has_series = 0;
        rc = 1;
    }
    if (o->has_series && outfile_commit(&o->series, err, sizeof err) != 0) {
        fprintf(stderr, "provsim: %s\n", err);
        rc = 1;
    }
    if (o->has_trace && outfile_commit(&o->trace, err, sizeof err) != 0) {
        fprintf(stderr, "provsim: %s\n", err);
        rc = 1;
    }
    return rc;
}

/* After a successful run: the summary, the files, and the charts if
 * --plot (only when everything before succeeded: they are drawn from the
 * committed data). Returns the exit code. */
static int write_results(const struct run_args *a, const struct scenario *s,
                         const struct run_result *res, struct run_outputs *out)
{
    print_summary(a, s, res, out->series_std || out->trace_std ? stderr : stdout);
    int rc = commit_outputs(s, res, out);
    if (fflush(stdout) != 0)
        rc = 1;
    if (rc == 0 && a->cc.plot)
        rc = plot_after_run(a->cc.out, a->json ? stderr : stdout);
    return rc;
}

int cmd_run(int argc, char **argv)
{
    if (cli_help_requested(argc, argv, run_opts)) {
        fputs(usage_run, stdout);
        return 0;
    }
    struct run_args a;
    struct scenario s;
    int rc = parse_run_args(argc, argv, &a);
    if (rc == 0)
        rc = load_scenario(&a, &s);
    free(a.cc.sets);
    if (rc != 0)
        return rc;
    cli_interrupt_install(); /* from here on, outputs may be open */
    struct run_outputs out;
    rc = open_outputs(&a, &out);
    if (rc == 0) {
        struct run_result res;
        rc = simulate(&a, &s, &out, &res);
        if (rc == 0)
            rc = write_results(&a, &s, &res, &out);
        run_result_fini(&res);
    }
    scn_fini(&s);
    return rc;
}

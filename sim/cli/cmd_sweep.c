/* cmd_sweep.c -- provsim sweep: the command line of sweep.c. */
#include "cli/cli.h"
#include "cli/commands.h"
#include "out/origin.h"
#include "out/resultdir.h"

#include "out/plot.h"
#include "run/runner.h"
#include "scenario/scenario.h"
#include "plan/sweep.h"
#include "base/util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: provsim sweep SCENARIO.json|- --vary PATH=VALUES [--vary PATH=VALUES]... [options]\n"
    "\n"
    "Runs every combination of the varied values (a grid; the first --vary varies\n"
    "slowest) with common random numbers: replication r of every cell draws the\n"
    "same random streams, so differences between cells are the scenario's.\n"
    "\n"
    "VALUES:\n"
    "  100,250,500          a list (each value as in --set: JSON or else a string)\n"
    "  100..1000/100        numbers from 100 to 1000 step 100 (inclusive)\n"
    "  00:00..23:00/1h      times of day (HH:MM), step in whole minutes\n"
    "  5m..60m/5m           durations\n"
    "  P1=VALUES+P2=VALUES  linked paths: one axis, value k of each in the same\n"
    "                       cell (the same number of values each)\n"
    "\n"
    "options:\n"
    "  --reps N            replications per cell (default: the scenario's); the\n"
    "                      cap with --precision\n"
    "  --precision P       per cell, replicate until the 95% CI half-width of\n"
    "                      clear_time_s is within P of its mean (\"2%\" or 0.02)\n"
    "  --seed S            base seed for every cell (default: the scenario's)\n"
    "  --set PATH=VALUE    override a key in every cell (repeatable)\n"
    "  --jobs J            cells run on J threads (default: the number of cores);\n"
    "                      results do not depend on J\n"
    "  --out DIR           output directory (default sweep-out): DIR/sweep.csv,\n"
    "                      DIR/sweep.json and the journal DIR/journal/\n"
    "  --resume            keep the journal's finished cells, run only the others\n"
    "  --fresh             discard DIR's journal and results and start over (a\n"
    "                      journal in DIR is refused without --resume or --fresh)\n"
    "  --plot              draw the charts into DIR (needs gnuplot)\n"
    "  -h, --help          this help\n"
    "\n"
    "Ctrl-C stops after the running cells; finished cells stay in the journal.\n";

/* Set by SIGINT/SIGTERM; the sweep starts no new cell once it is set. */
static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
    got_signal = sig;
}

/* What the command line makes of its arguments: the options of
 * sweep_run, and what they point into (freed by sweep_args_fini). */
struct sweep_args {
    struct sweep_opts o;
    struct cli_common cc;    /* --reps --seed --jobs --precision --set --out --plot */
    struct sweep_axis *axes; /* room for argc; o.naxes of them parsed */
};

enum { O_VARY = CLI_O_OWN, O_RESUME, O_FRESH };
static const struct cli_opt sweep_opts[] = {CLI_OPTS_COMMON,        {"vary", 1, O_VARY},
                                            {"resume", 0, O_RESUME}, {"fresh", 0, O_FRESH},
                                            CLI_OPT_HELP,           {NULL, 0, 0}};

/* Parses argv into *a. Returns 0, or CLI_EXIT_USAGE with the message
 * printed; either way a is to be finished with sweep_args_fini. */
static int parse_sweep_args(int argc, char **argv, struct sweep_args *a)
{
    struct sweep_opts *o = &a->o;
    *o = (struct sweep_opts){.seed = -1, .out_dir = "sweep-out"};
    cli_common_init(&a->cc, argc);
    a->axes = xcalloc((size_t)argc, sizeof *a->axes);
    char err[1024];
    struct cli_parser p;
    cli_parser_init(&p, "sweep", argc, argv, sweep_opts);
    const char *v;
    int id;
    while ((id = cli_next(&p, &v)) != CLI_END) {
        if (id == CLI_BAD)
            return CLI_EXIT_USAGE;
        int taken = cli_common_option("sweep", id, v, &a->cc);
        if (taken == CLI_EXIT_USAGE)
            return CLI_EXIT_USAGE;
        if (taken)
            continue;
        if (id == O_VARY) {
            if (sweep_axis_parse(v, &a->axes[o->naxes], err, sizeof err))
                return cli_usage_error("sweep", "%s", err);
            o->naxes++;
        } else if (id == O_RESUME) {
            o->resume = 1;
        } else if (id == O_FRESH) {
            o->fresh = 1;
        } else if (id == CLI_ARG && !o->scenario) {
            o->scenario = v;
        } else if (id == CLI_ARG) {
            return cli_usage_error("sweep", "more than one scenario given (\"%s\")", v);
        }
    }
    if (!o->scenario)
        return cli_usage_error("sweep", "%s", "no scenario given");
    if (o->naxes == 0)
        return cli_usage_error("sweep", "%s",
                               "nothing to vary: give at least one --vary PATH=VALUES");
    o->sets = a->cc.sets;
    o->nsets = a->cc.nsets;
    o->reps = (int)a->cc.reps;
    o->seed = a->cc.seed;
    o->precision = a->cc.precision;
    if (a->cc.out)
        o->out_dir = a->cc.out;
    o->axes = a->axes;
    o->jobs = cli_jobs(&a->cc);
    return 0;
}

static void sweep_args_fini(struct sweep_args *a)
{
    for (int i = 0; i < a->o.naxes; i++)
        sweep_axis_fini(&a->axes[i]);
    free(a->axes);
    free(a->cc.sets);
}

/* sweep_run with progress on a terminal and Ctrl-C or kill turned into a
 * request to stop: finish the running cells, keep the journal. The
 * handler only sets a flag; SA_RESETHAND makes a second Ctrl-C kill at
 * once (finished cells are safe on disk either way). The old handlers are
 * back when it returns. */
static int run_interruptible(struct sweep_opts *o, struct sweep *sw, char *err, size_t errlen)
{
    o->progress = isatty(STDERR_FILENO);
    o->stop = &got_signal;
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART | SA_RESETHAND;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);

    int rc = sweep_run(o, sw, err, errlen);

    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    return rc;
}

/* The summary on stdout: cells, replications, whether --precision was
 * reached, the files written and the best cells. */
static void print_summary(const struct sweep_opts *o, const struct sweep *sw)
{
    int rmin = 0, rmax = 0, missed = 0;
    for (int i = 0; i < sw->ncells; i++) {
        int r = sw->cells[i].reps;
        rmin = i == 0 || r < rmin ? r : rmin;
        rmax = i == 0 || r > rmax ? r : rmax;
        missed += !sw->cells[i].precision_reached;
    }
    printf("%s\n", sw->name);
    /* provenance: the base file, its SHA-256, every --set, the version */
    fputs("  from ", stdout);
    origin_put_text(stdout, o->scenario);
    printf(" (SHA-256 %s), provsim %s\n", sw->sha256, PROVSIM_VERSION);
    for (int i = 0; i < o->nsets; i++) {
        fputs("  --set ", stdout);
        origin_put_text(stdout, o->sets[i]);
        fputc('\n', stdout);
    }
    printf("  sweep: %d cells", sw->ncells);
    if (sw->loaded)
        printf(" (%d from the journal, %d run now)", sw->loaded, sw->ran);
    printf(", seed %llu, ", (unsigned long long)sw->seed);
    if (rmin == rmax)
        printf("%d replications per cell\n", rmin);
    else
        printf("%d to %d replications per cell\n", rmin, rmax);
    if (o->precision > 0) {
        if (missed)
            printf("  precision %g%% NOT reached in %d of %d cells (stopped at the cap of "
                   "%d replications; raise --reps)\n",
                   100.0 * o->precision, missed, sw->ncells, rmax);
        else
            printf("  precision %g%% reached in every cell\n", 100.0 * o->precision);
    }
    printf("  wrote %s/" RESDIR_SWEEP_CSV " and %s/" RESDIR_SWEEP_JSON "\n", o->out_dir,
           o->out_dir);
    sweep_print_best(stdout, o, sw);
}

int cmd_sweep(int argc, char **argv)
{
    if (cli_help_requested(argc, argv, sweep_opts)) {
        fputs(usage, stdout);
        return 0;
    }
    struct sweep_args a;
    int rc = SWEEP_BAD_INPUT;
    if (parse_sweep_args(argc, argv, &a) == 0) {
        struct sweep sw;
        char err[1024];
        rc = run_interruptible(&a.o, &sw, err, sizeof err);
        if (rc == SWEEP_OK) {
            print_summary(&a.o, &sw);
            if (fflush(stdout) != 0)
                rc = SWEEP_FAILED;
            if (a.cc.plot && rc == SWEEP_OK)
                rc = plot_after_run(a.o.out_dir, stdout);
        } else {
            fprintf(stderr, "provsim: %s\n", err);
        }
        sweep_fini(&sw);
    }
    sweep_args_fini(&a);
    return rc;
}

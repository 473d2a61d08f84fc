/* cmd_sweep.c -- provsim sweep: the command line of sweep.c. */
#include "cli/cli.h"
#include "cli/cluster.h"
#include "cli/commands.h"
#include "out/origin.h"
#include "out/resultdir.h"

#include "out/plot.h"
#include "run/runner.h"
#include "scenario/scenario.h"
#include "plan/sweep.h"
#include "base/util.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: provsim sweep SCENARIO.json|- --vary PATH=VALUES [--vary PATH=VALUES]... [options]\n"
    "       provsim sweep SCENARIO.json --vary ... --task K --tasks N|slurm [options]\n"
    "       provsim sweep SCENARIO.json --vary ... --emit-slurm N [--cpus-per-task C]\n"
    "                     [--time T] [--partition P] [options] > sweep.sbatch\n"
    "       provsim sweep --merge DIR [--plot]\n"
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
    "On several processes or machines (DIR on a shared filesystem):\n"
    "  --task K            run only task K (0..N-1) of the split into --tasks N:\n"
    "                      its (cell, block of replications) units, balanced by\n"
    "                      expected requests, into DIR/journal/task-K-of-N.jsonl;\n"
    "                      a rerun resumes it\n"
    "  --tasks N|slurm     the number of tasks; slurm: K and N from\n"
    "                      SLURM_ARRAY_TASK_ID, _COUNT and _MIN (and _STEP)\n"
    "  --merge DIR         check every task's units are in DIR once and write\n"
    "                      DIR/sweep.csv and DIR/sweep.json, the bytes one process\n"
    "                      writes\n"
    "  --emit-slurm N      print an sbatch script: an array of N tasks and the merge\n"
    "                      as a dependent job (sbatch the file as it is)\n"
    "  --cpus-per-task C   with --emit-slurm: each task's cores and --jobs (default 1)\n"
    "  --time T            with --emit-slurm: each job's time limit (sbatch --time)\n"
    "  --partition P       with --emit-slurm: the partition (sbatch --partition)\n"
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
    const char **words;      /* room for argc: the options that define the
                              * sweep, as given, for --emit-slurm */
    int nwords;
    const char *task, *tasks, *merge, *emit, *cpus, *time, *partition; /* as given */
};

enum {
    O_VARY = CLI_O_OWN,
    O_RESUME,
    O_FRESH,
    O_TASK,
    O_TASKS,
    O_MERGE,
    O_EMIT,
    O_CPUS,
    O_TIME,
    O_PARTITION
};
static const struct cli_opt sweep_opts[] = {CLI_OPTS_COMMON,
                                            {"vary", 1, O_VARY},
                                            {"resume", 0, O_RESUME},
                                            {"fresh", 0, O_FRESH},
                                            {"task", 1, O_TASK},
                                            {"tasks", 1, O_TASKS},
                                            {"merge", 1, O_MERGE},
                                            {"emit-slurm", 1, O_EMIT},
                                            {"cpus-per-task", 1, O_CPUS},
                                            {"time", 1, O_TIME},
                                            {"partition", 1, O_PARTITION},
                                            CLI_OPT_HELP,
                                            {NULL, 0, 0}};

/* Keeps an option that defines the sweep (not where or how it runs), as
 * given, for the script of --emit-slurm. */
static void keep_word(struct sweep_args *a, int id, const char *v)
{
    static const struct {
        int id;
        const char *name;
    } defining[] = {{CLI_O_REPS, "--reps"},           {CLI_O_SEED, "--seed"},
                    {CLI_O_PRECISION, "--precision"}, {CLI_O_SET, "--set"},
                    {O_VARY, "--vary"}};
    for (size_t i = 0; i < sizeof defining / sizeof defining[0]; i++)
        if (defining[i].id == id) {
            a->words[a->nwords++] = defining[i].name;
            a->words[a->nwords++] = v;
        }
}

/* The task options and --merge, --emit-slurm and theirs, once parsed. */
static int take_cluster_option(struct sweep_args *a, int id, const char *v)
{
    const char **slot[] = {[O_TASK - O_TASK] = &a->task,      [O_TASKS - O_TASK] = &a->tasks,
                           [O_MERGE - O_TASK] = &a->merge,    [O_EMIT - O_TASK] = &a->emit,
                           [O_CPUS - O_TASK] = &a->cpus,      [O_TIME - O_TASK] = &a->time,
                           [O_PARTITION - O_TASK] = &a->partition};
    if (id < O_TASK || id > O_PARTITION)
        return 0;
    *slot[id - O_TASK] = v;
    return 1;
}

/* --merge DIR stands alone: the sweep is the tasks'. */
static int check_merge_args(const struct sweep_args *a)
{
    const struct sweep_opts *o = &a->o;
    if (o->scenario || o->naxes || a->cc.nsets || a->cc.reps || a->cc.seed >= 0 ||
        a->cc.precision > 0 || a->cc.out || o->resume || o->fresh || a->task || a->tasks ||
        a->emit || a->cpus || a->time || a->partition)
        return cli_usage_error("sweep", "%s",
                               "--merge DIR takes only --plot: the tasks' journals in DIR say "
                               "what the sweep is");
    return 0;
}

/* --task/--tasks and --emit-slurm with its options: which go together,
 * and their numbers. */
static int check_task_args(struct sweep_args *a)
{
    struct sweep_opts *o = &a->o;
    long v;
    if ((a->cpus || a->time || a->partition) && !a->emit)
        return cli_usage_error("sweep", "%s",
                               "--cpus-per-task, --time and --partition go with --emit-slurm");
    if (a->emit) {
        if (a->task || a->tasks || o->resume || o->fresh)
            return cli_usage_error("sweep", "%s",
                                   "--emit-slurm writes the tasks' command: no --task, --tasks, "
                                   "--resume or --fresh");
        if (cli_parse_long(a->emit, 1, CLUSTER_MAX_TASKS, &v))
            return cli_usage_error("sweep", "--emit-slurm: \"%s\" is not a number of tasks "
                                            "from 1 to 100000",
                                   a->emit);
        if (a->cpus && cli_parse_long(a->cpus, 1, CLI_MAX_JOBS, &v))
            return cli_usage_error("sweep", "--cpus-per-task: \"%s\" is not 1 to 1024", a->cpus);
        if ((a->time && cluster_sbatch_value_ok(a->time)) ||
            (a->partition && cluster_sbatch_value_ok(a->partition)))
            return cli_usage_error("sweep", "%s",
                                   "--time and --partition: a value without spaces, quotes or "
                                   "shell characters");
        if (!strcmp(o->scenario, "-"))
            return cli_usage_error("sweep", "%s",
                                   "--emit-slurm: the scenario must be a file every task reads, "
                                   "not standard input");
        return 0;
    }
    if (!a->task && !a->tasks)
        return 0;
    if (a->cc.plot)
        return cli_usage_error("sweep", "%s",
                               "--plot goes with the merge (--merge DIR --plot): a task writes "
                               "no results to draw");
    char err[512];
    if (a->tasks && !strcmp(a->tasks, "slurm")) {
        if (a->task)
            return cli_usage_error("sweep", "%s",
                                   "--tasks slurm takes the task from Slurm: no --task");
        if (cluster_slurm_task(getenv("SLURM_ARRAY_TASK_ID"), getenv("SLURM_ARRAY_TASK_COUNT"),
                               getenv("SLURM_ARRAY_TASK_MIN"), getenv("SLURM_ARRAY_TASK_STEP"),
                               &o->task, &o->ntasks, err, sizeof err))
            return cli_usage_error("sweep", "%s", err);
        return 0;
    }
    if (!a->task || !a->tasks)
        return cli_usage_error("sweep", "%s", "--task K and --tasks N go together");
    if (cli_parse_long(a->tasks, 1, CLUSTER_MAX_TASKS, &v))
        return cli_usage_error("sweep", "--tasks: \"%s\" is not slurm or a number from 1 to 100000",
                               a->tasks);
    o->ntasks = (int)v;
    if (cli_parse_long(a->task, 0, o->ntasks - 1, &v))
        return cli_usage_error("sweep", "--task: \"%s\" is not a task from 0 to --tasks - 1",
                               a->task);
    o->task = (int)v;
    return 0;
}

/* Parses argv into *a. Returns 0, or CLI_EXIT_USAGE with the message
 * printed; either way a is to be finished with sweep_args_fini. */
static int parse_sweep_args(int argc, char **argv, struct sweep_args *a)
{
    memset(a, 0, sizeof *a);
    struct sweep_opts *o = &a->o;
    *o = (struct sweep_opts){.seed = -1, .out_dir = "sweep-out"};
    cli_common_init(&a->cc, argc);
    a->axes = xcalloc((size_t)argc, sizeof *a->axes);
    a->words = xcalloc((size_t)argc * 2 + 1, sizeof *a->words);
    char err[1024];
    struct cli_parser p;
    cli_parser_init(&p, "sweep", argc, argv, sweep_opts);
    const char *v;
    int id;
    while ((id = cli_next(&p, &v)) != CLI_END) {
        if (id == CLI_BAD)
            return CLI_EXIT_USAGE;
        keep_word(a, id, v);
        if (take_cluster_option(a, id, v))
            continue;
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
    if (a->merge)
        return check_merge_args(a);
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
    return check_task_args(a);
}

static void sweep_args_fini(struct sweep_args *a)
{
    free(a->words);
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
static void print_summary(const struct sweep_opts *o, const struct sweep *sw, int merged_tasks)
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
    if (merged_tasks)
        printf(" (merged: %d unit%s from %d task%s)", sw->nunits, sw->nunits == 1 ? "" : "s",
               merged_tasks, merged_tasks == 1 ? "" : "s");
    else if (sw->loaded)
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

/* A task's summary: its share, and what comes next. */
static void print_task(const struct sweep_opts *o, const struct sweep *sw)
{
    char name[64];
    resdir_task_name(name, sizeof name, o->task, o->ntasks);
    printf("%s\n  sweep: %d cells, task %d of %d: %d of the sweep's %d units", sw->name, sw->ncells,
           o->task, o->ntasks, sw->task_units, sw->nunits);
    if (sw->loaded)
        printf(" (%d from its journal, %d run now)", sw->loaded, sw->ran);
    printf("\n  wrote %s/" RESDIR_JOURNAL "/%s\n  once every task is done: provsim sweep "
           "--merge %s\n",
           o->out_dir, name, o->out_dir);
}

/* --emit-slurm: the script on stdout, once the sweep is known to be
 * valid (nothing is submitted that would fail in every task). */
static int emit_slurm(const struct sweep_args *a)
{
    char err[1024], exe[PATH_MAX], cwd[PATH_MAX];
    if (sweep_check(&a->o, err, sizeof err) != SWEEP_OK) {
        fprintf(stderr, "provsim: %s\n", err);
        return SWEEP_BAD_INPUT;
    }
    /* the binary's absolute path (Linux): the tasks run this one */
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0)
        exe[len] = '\0';
    if (len <= 0 || !getcwd(cwd, sizeof cwd)) {
        fprintf(stderr, "provsim: --emit-slurm: cannot find this binary or directory: %s\n",
                strerror(errno));
        return SWEEP_FAILED;
    }
    long n, cpus = 1;
    cli_parse_long(a->emit, 1, CLUSTER_MAX_TASKS, &n);
    if (a->cpus)
        cli_parse_long(a->cpus, 1, CLI_MAX_JOBS, &cpus);
    struct cluster_emit e = {.provsim = exe,
                             .cwd = cwd,
                             .scenario = a->o.scenario,
                             .args = a->words,
                             .nargs = a->nwords,
                             .out = a->o.out_dir,
                             .ntasks = (int)n,
                             .cpus = (int)cpus,
                             .time = a->time,
                             .partition = a->partition,
                             .plot = a->cc.plot};
    cluster_emit_slurm(stdout, &e);
    return fflush(stdout) ? SWEEP_FAILED : SWEEP_OK;
}

/* The sweep, a task of it, or the merge. */
static int sweep_cmd(struct sweep_args *a)
{
    struct sweep sw;
    struct sweep_merged m = {0};
    char err[2048];
    int rc;
    if (a->merge)
        rc = sweep_merge(a->merge, &m, &sw, err, sizeof err);
    else
        rc = run_interruptible(&a->o, &sw, err, sizeof err);
    const struct sweep_opts *o = a->merge ? &m.o : &a->o;
    if (rc == SWEEP_OK) {
        if (o->ntasks > 0)
            print_task(o, &sw);
        else
            print_summary(o, &sw, m.ntasks);
        if (fflush(stdout) != 0)
            rc = SWEEP_FAILED;
        if (a->cc.plot && rc == SWEEP_OK && o->ntasks == 0)
            rc = plot_after_run(o->out_dir, stdout);
    } else {
        fprintf(stderr, "provsim: %s\n", err);
    }
    sweep_fini(&sw);
    sweep_merged_fini(&m);
    return rc;
}

int cmd_sweep(int argc, char **argv)
{
    if (cli_help_requested(argc, argv, sweep_opts)) {
        fputs(usage, stdout);
        return 0;
    }
    struct sweep_args a;
    int rc = SWEEP_BAD_INPUT;
    if (parse_sweep_args(argc, argv, &a) == 0)
        rc = a.emit ? emit_slurm(&a) : sweep_cmd(&a);
    sweep_args_fini(&a);
    return rc;
}

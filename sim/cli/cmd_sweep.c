/* cmd_sweep.c -- provsim sweep: the command line of sweep.c. */
#include "cli/cli.h"
#include "cli/commands.h"

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
    "usage: provsim sweep SCENARIO.json --vary PATH=VALUES [--vary PATH=VALUES]... [options]\n"
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

int cmd_sweep(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage, stdout);
            return 0;
        }
    struct sweep_opts o = {.seed = -1, .out_dir = "sweep-out"};
    struct cli_common cc;
    cli_common_init(&cc, argc);
    struct sweep_axis *axes = xcalloc((size_t)argc, sizeof *axes);
    int rc = SWEEP_BAD_INPUT;
    char err[1024];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int taken = cli_common_option("sweep", argc, argv, &i, &cc);
        if (taken == CLI_EXIT_USAGE)
            goto out;
        if (taken)
            continue;
        if (!strcmp(a, "--vary")) {
            if (!v) {
                cli_usage_error("sweep", "%s", "--vary: expected PATH=VALUES");
                goto out;
            }
            if (sweep_axis_parse(v, &axes[o.naxes], err, sizeof err)) {
                cli_usage_error("sweep", "%s", err);
                goto out;
            }
            o.naxes++;
            i++;
        } else if (!strcmp(a, "--resume")) {
            o.resume = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            cli_usage_error("sweep", "unknown option \"%s\"", a);
            goto out;
        } else if (!o.scenario) {
            o.scenario = a;
        } else {
            cli_usage_error("sweep", "more than one scenario given (\"%s\")", a);
            goto out;
        }
    }
    if (!o.scenario) {
        cli_usage_error("sweep", "%s", "no scenario given");
        goto out;
    }
    if (o.naxes == 0) {
        cli_usage_error("sweep", "%s", "nothing to vary: give at least one --vary PATH=VALUES");
        goto out;
    }
    o.sets = cc.sets;
    o.nsets = cc.nsets;
    o.reps = (int)cc.reps;
    o.seed = cc.seed;
    o.precision = cc.precision;
    if (cc.out)
        o.out_dir = cc.out;
    o.axes = axes;
    o.jobs = cli_jobs(&cc);
    o.progress = isatty(STDERR_FILENO);
    o.stop = &got_signal;

    /* Ctrl-C or kill: finish the running cells, keep the journal. The
     * handler only sets a flag; SA_RESETHAND makes a second Ctrl-C kill
     * at once (finished cells are safe on disk either way). */
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART | SA_RESETHAND;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);

    struct sweep sw;
    rc = sweep_run(&o, &sw, err, sizeof err);

    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);

    if (rc == SWEEP_OK) {
        int rmin = 0, rmax = 0, missed = 0;
        for (int i = 0; i < sw.ncells; i++) {
            int r = sw.cells[i].reps;
            rmin = i == 0 || r < rmin ? r : rmin;
            rmax = i == 0 || r > rmax ? r : rmax;
            missed += !sw.cells[i].precision_reached;
        }
        printf("%s\n", sw.name);
        printf("  sweep: %d cells", sw.ncells);
        if (sw.loaded)
            printf(" (%d from the journal, %d run now)", sw.loaded, sw.ran);
        printf(", seed %llu, ", (unsigned long long)sw.seed);
        if (rmin == rmax)
            printf("%d replications per cell\n", rmin);
        else
            printf("%d to %d replications per cell\n", rmin, rmax);
        if (o.precision > 0) {
            if (missed)
                printf("  precision %g%% NOT reached in %d of %d cells (stopped at the cap of "
                       "%d replications; raise --reps)\n",
                       100.0 * o.precision, missed, sw.ncells, rmax);
            else
                printf("  precision %g%% reached in every cell\n", 100.0 * o.precision);
        }
        printf("  wrote %s/sweep.csv and %s/sweep.json\n", o.out_dir, o.out_dir);
        sweep_print_best(stdout, &o, &sw);
        if (fflush(stdout) != 0)
            rc = SWEEP_FAILED;
        if (cc.plot && rc == SWEEP_OK)
            rc = plot_after_run(o.out_dir);
    } else {
        fprintf(stderr, "provsim: %s\n", err);
    }
    sweep_fini(&sw);
out:
    for (int i = 0; i < o.naxes; i++)
        sweep_axis_fini(&axes[i]);
    free(axes);
    free(cc.sets);
    return rc;
}

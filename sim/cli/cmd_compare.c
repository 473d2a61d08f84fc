/* cmd_compare.c -- provsim compare: the command line of compare.c. */
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/interrupt.h"
#include "out/resultdir.h"

#include "plan/compare.h"
#include "out/plot.h"
#include "run/runner.h"
#include "scenario/scenario.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: provsim compare A.json B.json [C.json...] [options]\n"
    "       provsim compare SCENARIO.json --side LABEL [--set PATH=VALUE]... --side LABEL ...\n"
    "(one of the scenarios may be \"-\": standard input)\n"
    "\n"
    "Runs every scenario with the same seed and replication count, so replication\n"
    "r of each draws the same random streams (common random numbers), and reports\n"
    "each metric's mean and 95% CI per scenario and the paired difference to the\n"
    "first (A) with its 95% CI. A scenario compared with itself differs by 0.\n"
    "\n"
    "options:\n"
    "  --reps N            replications (default: the largest of the scenarios');\n"
    "                      the cap with --precision\n"
    "  --precision P       replicate until every scenario's 95% CI half-width of\n"
    "                      clear_time_s is within P of its mean (\"2%\" or 0.02)\n"
    "  --seed S            seed for all (default: the first scenario's)\n"
    "  --set PATH=VALUE    override a key in every scenario (repeatable); after a\n"
    "                      --side, in that side only\n"
    "  --side LABEL        one file compared with itself: each --side is the file\n"
    "                      under the --sets that follow it, called LABEL (2 to 26)\n"
    "  --jobs J            replications on J threads (default: one per core);\n"
    "                      results do not depend on J\n"
    "  --out DIR           output directory (default compare-out): compare.csv,\n"
    "                      compare.json, series-N.csv\n"
    "  --format text|json  what to print (default text; json = compare.json)\n"
    "  --plot              draw the charts into DIR (needs gnuplot)\n"
    "  -h, --help          this help\n";

enum { O_FORMAT = CLI_O_OWN, O_SIDE };
static const struct cli_opt compare_opts[] = {CLI_OPTS_COMMON, {"format", 1, O_FORMAT},
                                              {"side", 1, O_SIDE}, CLI_OPT_HELP,
                                              {NULL, 0, 0}};

/* What the command line gathers: the files, the sides (side k takes the
 * --sets given between its --side and the next: cc.sets[first[k] ..
 * first[k + 1]), the last up to cc.nsets) and the output format. */
struct cmp_args {
    struct cli_common cc;
    const char **files;
    int nfiles;
    struct cmp_side *sides;
    int *first;
    int nsides;
    int json, from_stdin;
};

/* A usage error: the message, and -1. */
static int bad(const char *fmt, const char *arg)
{
    cli_usage_error("compare", fmt, arg);
    return -1;
}

/* One option or argument that is not a common one; 0, or -1 after a usage
 * error. */
static int take_arg(struct cmp_args *a, int id, const char *v)
{
    if (id == O_SIDE) {
        if (!*v)
            return bad("%s", "--side: expected a label");
        for (int k = 0; k < a->nsides; k++)
            if (!strcmp(a->sides[k].label, v))
                return bad("--side \"%s\" is given twice", v);
        a->sides[a->nsides].label = v;
        a->first[a->nsides++] = a->cc.nsets;
    } else if (id == O_FORMAT) {
        if (strcmp(v, "text") && strcmp(v, "json"))
            return bad("--format: expected text or json, got \"%s\"", v);
        a->json = !strcmp(v, "json");
    } else if (id == CLI_ARG) {
        /* standard input can be read once */
        if (!strcmp(v, "-") && a->from_stdin++)
            return bad("%s", "\"-\" (standard input) given more than once");
        a->files[a->nfiles++] = v;
    }
    return 0;
}

/* With --side: one file, compared with itself under each side's --sets.
 * 0, or -1 after a usage error. */
static int arrange_sides(struct cmp_args *a)
{
    if (a->nsides == 0)
        return 0;
    if (a->nfiles != 1)
        return bad("%s", "--side compares one scenario with itself: give exactly one "
                         "scenario file");
    if (a->nsides < 2)
        return bad("%s", "give at least two --side LABEL");
    if (a->from_stdin) /* every side reads the file again */
        return bad("%s", "--side needs a scenario file: standard input can be read once");
    a->first[a->nsides] = a->cc.nsets;
    for (int k = 0; k < a->nsides; k++) {
        a->sides[k].sets = a->cc.sets + a->first[k];
        a->sides[k].nsets = a->first[k + 1] - a->first[k];
        a->files[k] = a->files[0];
    }
    a->nfiles = a->nsides;
    a->cc.nsets = a->first[0]; /* the --sets before the first --side: every side's */
    return 0;
}

/* Runs the comparison and prints it; the exit status. */
static int run_and_print(const struct cmp_opts *o, int json, int plot)
{
    cli_interrupt_install(); /* from here on, outputs may be open */
    struct cmp_result r;
    char err[1024];
    int rc = cmp_run(o, &r, err, sizeof err);
    if (rc == CMP_OK) {
        if (json) {
            char *text = cmp_json(&r);
            puts(text);
            free(text);
        } else {
            cmp_print_text(stdout, &r);
            printf("\nwrote %s/" RESDIR_COMPARE_CSV ", %s/" RESDIR_COMPARE_JSON
                   " and %s/series-1..%d.csv\n",
                   o->out_dir, o->out_dir, o->out_dir, r.n);
        }
        if (fflush(stdout) != 0)
            rc = CMP_FAILED;
        if (plot && rc == CMP_OK)
            rc = plot_after_run(o->out_dir, json ? stderr : stdout);
    } else {
        fprintf(stderr, "provsim: %s\n", err);
    }
    cmp_result_fini(&r);
    return rc;
}

int cmd_compare(int argc, char **argv)
{
    if (cli_help_requested(argc, argv, compare_opts)) {
        fputs(usage, stdout);
        return 0;
    }
    struct cmp_args a = {0};
    cli_common_init(&a.cc, argc);
    a.files = xcalloc((size_t)argc, sizeof *a.files);
    a.sides = xcalloc((size_t)argc, sizeof *a.sides);
    a.first = xcalloc((size_t)argc + 1, sizeof *a.first);
    int rc = CMP_BAD_INPUT;
    struct cli_parser p;
    cli_parser_init(&p, "compare", argc, argv, compare_opts);
    const char *v;
    int id;
    while ((id = cli_next(&p, &v)) != CLI_END) {
        if (id == CLI_BAD)
            goto out;
        int taken = cli_common_option("compare", id, v, &a.cc);
        if (taken == CLI_EXIT_USAGE)
            goto out;
        if (!taken && take_arg(&a, id, v) != 0)
            goto out;
    }
    if (arrange_sides(&a) != 0)
        goto out;
    if (a.nfiles < 2) {
        cli_usage_error("compare", "%s", "give at least two scenarios to compare");
        goto out;
    }
    if (a.nfiles > CMP_MAX_SCENARIOS) {
        cli_usage_error("compare", "%s", "at most 26 scenarios or sides (A to Z)");
        goto out;
    }
    struct cmp_opts o = {.seed = -1, .out_dir = "compare-out"};
    o.files = a.files;
    o.nfiles = a.nfiles;
    o.sides = a.nsides > 0 ? a.sides : NULL;
    o.sets = a.cc.sets;
    o.nsets = a.cc.nsets;
    o.reps = (int)a.cc.reps;
    o.seed = a.cc.seed;
    o.precision = a.cc.precision;
    o.threads = cli_jobs(&a.cc);
    o.progress = isatty(STDERR_FILENO);
    o.progress_delay_s = cli_progress_delay();
    if (a.cc.out)
        o.out_dir = a.cc.out;
    rc = run_and_print(&o, a.json, a.cc.plot);
out:
    free(a.sides);
    free(a.first);
    free(a.files);
    free(a.cc.sets);
    return rc;
}

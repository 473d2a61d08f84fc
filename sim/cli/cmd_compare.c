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

int cmd_compare(int argc, char **argv)
{
    if (cli_help_requested(argc, argv, compare_opts)) {
        fputs(usage, stdout);
        return 0;
    }
    struct cmp_opts o = {.seed = -1, .out_dir = "compare-out"};
    struct cli_common cc;
    cli_common_init(&cc, argc);
    const char **files = xcalloc((size_t)argc, sizeof *files);
    /* side k takes the --sets given between its --side and the next:
     * cc.sets[first[k] .. first[k + 1]) (the last up to cc.nsets) */
    struct cmp_side *sides = xcalloc((size_t)argc, sizeof *sides);
    int *first = xcalloc((size_t)argc + 1, sizeof *first);
    int nsides = 0;
    int json = 0, rc = CMP_BAD_INPUT, from_stdin = 0;
    struct cli_parser p;
    cli_parser_init(&p, "compare", argc, argv, compare_opts);
    const char *v;
    int id;
    while ((id = cli_next(&p, &v)) != CLI_END) {
        if (id == CLI_BAD)
            goto out;
        int taken = cli_common_option("compare", id, v, &cc);
        if (taken == CLI_EXIT_USAGE)
            goto out;
        if (taken)
            continue;
        if (id == O_SIDE) {
            if (!*v) {
                cli_usage_error("compare", "%s", "--side: expected a label");
                goto out;
            }
            for (int k = 0; k < nsides; k++)
                if (!strcmp(sides[k].label, v)) {
                    cli_usage_error("compare", "--side \"%s\" is given twice", v);
                    goto out;
                }
            sides[nsides].label = v;
            first[nsides++] = cc.nsets;
        } else if (id == O_FORMAT) {
            if (strcmp(v, "text") && strcmp(v, "json")) {
                cli_usage_error("compare", "--format: expected text or json, got \"%s\"", v);
                goto out;
            }
            json = !strcmp(v, "json");
        } else if (id == CLI_ARG) {
            /* standard input can be read once */
            if (!strcmp(v, "-") && from_stdin++) {
                cli_usage_error("compare", "%s", "\"-\" (standard input) given more than once");
                goto out;
            }
            files[o.nfiles++] = v;
        }
    }
    if (nsides > 0) {
        if (o.nfiles != 1) {
            cli_usage_error("compare", "%s",
                            "--side compares one scenario with itself: give exactly one "
                            "scenario file");
            goto out;
        }
        if (nsides < 2) {
            cli_usage_error("compare", "%s", "give at least two --side LABEL");
            goto out;
        }
        if (from_stdin) { /* every side reads the file again */
            cli_usage_error("compare", "%s",
                            "--side needs a scenario file: standard input can be read once");
            goto out;
        }
        first[nsides] = cc.nsets;
        for (int k = 0; k < nsides; k++) {
            sides[k].sets = cc.sets + first[k];
            sides[k].nsets = first[k + 1] - first[k];
            files[k] = files[0];
        }
        o.nfiles = nsides;
        o.sides = sides;
        cc.nsets = first[0]; /* the --sets before the first --side: every side's */
    }
    if (o.nfiles < 2) {
        cli_usage_error("compare", "%s", "give at least two scenarios to compare");
        goto out;
    }
    if (o.nfiles > CMP_MAX_SCENARIOS) {
        cli_usage_error("compare", "%s", "at most 26 scenarios or sides (A to Z)");
        goto out;
    }
    o.files = files;
    o.sets = cc.sets;
    o.nsets = cc.nsets;
    o.reps = (int)cc.reps;
    o.seed = cc.seed;
    o.precision = cc.precision;
    o.threads = cli_jobs(&cc);
    o.progress = isatty(STDERR_FILENO);
    o.progress_delay_s = cli_progress_delay();
    if (cc.out)
        o.out_dir = cc.out;

    cli_interrupt_install(); /* from here on, outputs may be open */
    struct cmp_result r;
    char err[1024];
    rc = cmp_run(&o, &r, err, sizeof err);
    if (rc == CMP_OK) {
        if (json) {
            char *text = cmp_json(&r);
            puts(text);
            free(text);
        } else {
            cmp_print_text(stdout, &r);
            printf("\nwrote %s/" RESDIR_COMPARE_CSV ", %s/" RESDIR_COMPARE_JSON
                   " and %s/series-1..%d.csv\n",
                   o.out_dir, o.out_dir, o.out_dir, r.n);
        }
        if (fflush(stdout) != 0)
            rc = CMP_FAILED;
        if (cc.plot && rc == CMP_OK)
            rc = plot_after_run(o.out_dir, json ? stderr : stdout);
    } else {
        fprintf(stderr, "provsim: %s\n", err);
    }
    cmp_result_fini(&r);
out:
    free(sides);
    free(first);
    free(files);
    free(cc.sets);
    return rc;
}

/* cmd_plan.c -- provsim plan: the command line of plan.c. */
#include "cli/cli.h"
#include "cli/commands.h"

#include "base/units.h"
#include "base/util.h"
#include "out/plot.h"
#include "plan/plan.h"
#include "scenario/scenario.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: provsim plan SCENARIO.json --choose PATH=VALUES [--choose PATH=VALUES]...\n"
    "                    --minimize METRIC [--subject-to 'METRIC<=VALUE']... [--done-by HH:MM]\n"
    "                    [options]\n"
    "\n"
    "Chooses the best plan among the candidates the --choose values make (a grid,\n"
    "the sweep's VALUES grammar and linked paths P1=VALUES+P2=VALUES): the lowest\n"
    "mean of METRIC among the plans whose means meet every constraint, by a fully\n"
    "sequential ranking-and-selection procedure (KN, Kim & Nelson 2001, with the\n"
    "feasibility check of Andradottir & Kim 2010) on common random numbers: with\n"
    "probability at least 1 - alpha the chosen plan is feasible (within each\n"
    "constraint's tolerance) and within delta of the best feasible plan.\n"
    "\n"
    "options:\n"
    "  --choose PATH=VALUES  candidate values of a key (repeatable: a grid)\n"
    "  --minimize METRIC     the objective, any metric (provsim --complete metrics)\n"
    "  --subject-to 'METRIC<=VALUE[+-TOL]'  a bound on a metric's mean (or >=);\n"
    "                      VALUE as in scenarios: 4h, 100, 95%; TOL the tolerance\n"
    "                      (default 5% of VALUE) (repeatable)\n"
    "  --done-by HH:MM[+-TOL]  the last rollout job done by this clock time, on the\n"
    "                      rollout's day or the next occurrence (default TOL 5m)\n"
    "  --delta D           indifference zone, in METRIC's unit (default 1% of the\n"
    "                      lowest first-stage mean)\n"
    "  --alpha A           error probability (default 0.05)\n"
    "  --n0 N              first-stage replications per candidate (default 10)\n"
    "  --max-reps N        replications per candidate at most (default 1000)\n"
    "  --seed S            seed of every candidate (default: the scenario's)\n"
    "  --set PATH=VALUE    override a key in every candidate (repeatable)\n"
    "  --jobs J            threads (default: the number of cores); results do not\n"
    "                      depend on J\n"
    "  --out DIR           output directory (default plan-out): DIR/plan.json and\n"
    "                      DIR/plan.csv\n"
    "  --plot              draw the Pareto chart into DIR (needs gnuplot)\n"
    "  -h, --help          this help\n";

enum { O_CHOOSE = CLI_O_OWN, O_MINIMIZE, O_SUBJECT, O_DONE_BY, O_DELTA, O_ALPHA, O_N0, O_MAXREPS };
static const struct cli_opt plan_opts_table[] = {
    {"seed", 1, CLI_O_SEED},     {"jobs", 1, CLI_O_JOBS},         {"set", 1, CLI_O_SET},
    {"out", 1, CLI_O_OUT},       {"plot", 0, CLI_O_PLOT},         {"choose", 1, O_CHOOSE},
    {"minimize", 1, O_MINIMIZE}, {"subject-to", 1, O_SUBJECT},    {"done-by", 1, O_DONE_BY},
    {"delta", 1, O_DELTA},       {"alpha", 1, O_ALPHA},           {"n0", 1, O_N0},
    {"max-reps", 1, O_MAXREPS},  CLI_OPT_HELP,                    {NULL, 0, 0}};

struct plan_args {
    struct plan_opts o;
    struct cli_common cc;
    struct sweep_axis *axes;      /* room for argc */
    struct plan_constraint *cons; /* room for RS_MAX_CONSTRAINTS */
    const char *delta;            /* as given, parsed once the objective is known */
};

#define bad(fmt, arg) cli_usage_error("plan", fmt, arg)

/* A finite number, the whole text. */
static int parse_double(const char *s, double *out)
{
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (!*s || errno || end == s || *end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static int add_constraint(struct plan_args *a, const char *v, int done_by)
{
    char err[512];
    if (a->o.ncons >= RS_MAX_CONSTRAINTS)
        return bad("at most 16 constraints (--subject-to and --done-by)%s", "");
    struct plan_constraint *c = &a->cons[a->o.ncons];
    int rc = done_by ? plan_done_by_parse(v, c, err, sizeof err)
                     : plan_constraint_parse(v, c, err, sizeof err);
    if (rc)
        return bad("%s", err);
    a->o.ncons++;
    return 0;
}

/* One option of plan's own (not the shared ones). Returns 0 or CLI_EXIT_USAGE. */
static int own_option(struct plan_args *a, int id, const char *v)
{
    struct plan_opts *o = &a->o;
    char err[1024];
    long n;
    switch (id) {
    case O_CHOOSE:
        if (sweep_axis_parse(v, &a->axes[o->naxes], err, sizeof err)) {
            plan_say_choose(err, sizeof err);
            return bad("%s", err);
        }
        o->naxes++;
        return 0;
    case O_MINIMIZE:
        if ((o->objective = plan_metric_index(v)) < 0)
            return bad("--minimize: unknown metric \"%s\" (provsim --complete metrics lists them)", v);
        return 0;
    case O_SUBJECT:
        return add_constraint(a, v, 0);
    case O_DONE_BY:
        return add_constraint(a, v, 1);
    case O_DELTA:
        a->delta = v;
        return 0;
    case O_ALPHA:
        if (parse_double(v, &o->alpha) || !(o->alpha > 0 && o->alpha < 1))
            return bad("--alpha: expected a number between 0 and 1 (exclusive), got \"%s\"", v);
        return 0;
    case O_N0:
        if (cli_parse_long(v, 2, 10000, &n))
            return bad("--n0: expected an integer from 2 to 10000, got \"%s\"", v);
        o->n0 = (int)n;
        return 0;
    case O_MAXREPS:
        if (cli_parse_long(v, 2, SCN_MAX_REPLICATIONS, &n))
            return bad("--max-reps: expected an integer from 2 to 100000, got \"%s\"", v);
        o->max_reps = (int)n;
        return 0;
    }
    return 0;
}

/* --delta in the objective's unit: a duration for seconds. */
static int parse_delta(struct plan_args *a)
{
    if (!a->delta)
        return 0;
    char msg[128];
    double d;
    int ok = metric_table[a->o.objective].unit == METRIC_UNIT_SECONDS
                 ? units_parse_duration(a->delta, &d, msg, sizeof msg) == 0
                 : parse_double(a->delta, &d) == 0;
    if (!ok || !(d > 0))
        return bad("--delta: expected a value > 0 in the objective's unit (a duration for a "
                   "metric in seconds), got \"%s\"",
                   a->delta);
    a->o.delta = d;
    return 0;
}

static int parse_plan_args(int argc, char **argv, struct plan_args *a)
{
    struct plan_opts *o = &a->o;
    *o = (struct plan_opts){.seed = -1, .out_dir = "plan-out", .objective = -1,
                            .alpha = PLAN_DEFAULT_ALPHA, .n0 = PLAN_DEFAULT_N0,
                            .max_reps = PLAN_DEFAULT_MAX_REPS};
    cli_common_init(&a->cc, argc);
    a->axes = xcalloc((size_t)argc, sizeof *a->axes);
    a->cons = xcalloc(RS_MAX_CONSTRAINTS, sizeof *a->cons);
    a->delta = NULL;
    int max_given = 0;
    struct cli_parser p;
    cli_parser_init(&p, "plan", argc, argv, plan_opts_table);
    const char *v;
    int id;
    while ((id = cli_next(&p, &v)) != CLI_END) {
        if (id == CLI_BAD)
            return CLI_EXIT_USAGE;
        int taken = cli_common_option("plan", id, v, &a->cc);
        if (taken == CLI_EXIT_USAGE)
            return CLI_EXIT_USAGE;
        if (taken)
            continue;
        if (id == CLI_ARG && !o->scenario)
            o->scenario = v;
        else if (id == CLI_ARG)
            return bad("more than one scenario given (\"%s\")", v);
        else if (own_option(a, id, v))
            return CLI_EXIT_USAGE;
        max_given |= id == O_MAXREPS;
    }
    if (!o->scenario)
        return bad("%s", "no scenario given");
    if (o->naxes == 0)
        return bad("%s", "nothing to choose: give at least one --choose PATH=VALUES");
    if (o->objective < 0)
        return bad("%s", "no objective: give --minimize METRIC");
    if (parse_delta(a))
        return CLI_EXIT_USAGE;
    if (!max_given && o->max_reps < o->n0)
        o->max_reps = o->n0;
    if (o->max_reps < o->n0)
        return bad("--max-reps must be at least --n0%s", "");
    o->cons = a->cons;
    o->sets = a->cc.sets;
    o->nsets = a->cc.nsets;
    o->seed = a->cc.seed;
    if (a->cc.out)
        o->out_dir = a->cc.out;
    o->axes = a->axes;
    o->jobs = cli_jobs(&a->cc);
    return 0;
}

static void plan_args_fini(struct plan_args *a)
{
    for (int i = 0; i < a->o.naxes; i++)
        sweep_axis_fini(&a->axes[i]);
    free(a->axes);
    free(a->cons);
    free(a->cc.sets);
}

int cmd_plan(int argc, char **argv)
{
    if (cli_help_requested(argc, argv, plan_opts_table)) {
        fputs(usage, stdout);
        return 0;
    }
    struct plan_args a;
    int rc = PLAN_BAD_INPUT;
    if (parse_plan_args(argc, argv, &a) == 0) {
        struct plan pl;
        char err[1024];
        rc = plan_run(&a.o, &pl, err, sizeof err);
        if (rc == PLAN_OK) {
            plan_print(stdout, &a.o, &pl);
            if (fflush(stdout) != 0)
                rc = PLAN_FAILED;
            if (a.cc.plot && rc == PLAN_OK)
                rc = plot_after_run(a.o.out_dir, stdout);
        } else {
            fprintf(stderr, "provsim: %s\n", err);
        }
        plan_fini(&pl);
    }
    plan_args_fini(&a);
    return rc;
}

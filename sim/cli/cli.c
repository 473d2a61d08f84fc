/* cli.c -- see cli.h. */
#include "cli/cli.h"

#include "logs/logtime.h"
#include "logs/measure.h"
#include "run/runner.h"
#include "scenario/scenario.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_parse_long(const char *s, long lo, long hi, long *out)
{
    if (!s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    char *end;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* The one writer of usage errors, so those of every command read alike:
 * "provsim: [PREFIX: ]MESSAGE" and the --help that would have helped. */
static int usage_error(const char *prefix, const char *help_cmd, const char *fmt, const char *arg)
{
    if (prefix)
        fprintf(stderr, "provsim: %s: ", prefix);
    else
        fputs("provsim: ", stderr);
    fprintf(stderr, fmt, arg ? arg : "");
    if (help_cmd)
        fprintf(stderr, "\n(see provsim %s --help)\n", help_cmd);
    else
        fputs("\n(see provsim --help)\n", stderr);
    return CLI_EXIT_USAGE;
}

int cli_usage_error(const char *cmd, const char *fmt, const char *arg)
{
    return usage_error(cmd, cmd, fmt, arg);
}

int cli_usage_error_plain(const char *help_cmd, const char *fmt, const char *arg)
{
    return usage_error(NULL, help_cmd, fmt, arg);
}

int cli_input_error(const char *fmt, const char *arg)
{
    fputs("provsim: ", stderr);
    fprintf(stderr, fmt, arg ? arg : "");
    fputc('\n', stderr);
    return CLI_EXIT_USAGE;
}

int cli_dir_arg(const char *cmd, int argc, char **argv, const struct cli_opt *opts,
                const char **dir)
{
    if (cli_help_requested(argc, argv, opts))
        return 1;
    char one[64];
    snprintf(one, sizeof one, "%s takes exactly one directory", cmd);
    struct cli_parser p;
    cli_parser_init(&p, cmd, argc, argv, opts);
    const char *v;
    int id;
    *dir = NULL;
    while ((id = cli_next(&p, &v)) != CLI_END) {
        if (id == CLI_BAD)
            return CLI_EXIT_USAGE;
        if (id != CLI_ARG || *dir)
            return cli_usage_error_plain(cmd, "%s", one);
        *dir = v;
    }
    if (!*dir)
        return cli_usage_error_plain(cmd, "%s", one);
    struct stat st;
    if (stat(*dir, &st) != 0)
        return cli_input_error("%s: no such directory", *dir);
    if (!S_ISDIR(st.st_mode))
        return cli_input_error("%s: not a directory", *dir);
    return 0;
}

int cli_online_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 && n < 1024 ? (int)n : 1;
}

void cli_common_init(struct cli_common *c, int argc)
{
    memset(c, 0, sizeof *c);
    c->seed = -1;
    c->sets = xcalloc((size_t)(argc > 0 ? argc : 1), sizeof *c->sets);
}

int cli_common_option(const char *cmd, int id, const char *v, struct cli_common *c)
{
    switch (id) {
    case CLI_O_PLOT:
        c->plot = 1;
        return 1;
    case CLI_O_REPS:
        if (cli_parse_long(v, 1, SCN_MAX_REPLICATIONS, &c->reps))
            return cli_usage_error(cmd, "--reps: expected an integer from 1 to 100000, got \"%s\"",
                                   v);
        return 1;
    case CLI_O_SEED:
        if (cli_parse_long(v, 0, 1L << 53, &c->seed))
            return cli_usage_error(cmd, "--seed: expected an integer from 0 to 2^53, got \"%s\"",
                                   v);
        return 1;
    case CLI_O_JOBS:
        if (cli_parse_long(v, 1, CLI_MAX_JOBS, &c->jobs))
            return cli_usage_error(cmd, "--jobs: expected an integer from 1 to 1024, got \"%s\"",
                                   v);
        return 1;
    case CLI_O_PRECISION:
        if (run_parse_precision(v, &c->precision))
            return cli_usage_error(cmd,
                                   "--precision: expected a fraction like 2%% or 0.02 (above 0, "
                                   "at most 100%%), got \"%s\"",
                                   v);
        return 1;
    case CLI_O_SET:
        if (!strchr(v, '='))
            return cli_usage_error(cmd, "--set %s: expected PATH=VALUE", v);
        c->sets[c->nsets++] = v;
        return 1;
    case CLI_O_OUT:
        if (!*v)
            return cli_usage_error(cmd, "%s", "--out: expected a directory");
        c->out = v;
        return 1;
    }
    return 0;
}

int cli_logs_option(const char *cmd, int id, const char *v, struct meas_src *src)
{
    if (id == CLI_O_UTC_OFFSET && logtime_parse_offset(v, &src->utc_offset_s))
        return cli_usage_error(cmd, "--utc-offset: expected +HH:MM or -HH:MM, got \"%s\"", v);
    const char **s = id == CLI_O_OKTA_LOG     ? &src->okta_log
                     : id == CLI_O_ACCESS_LOG ? &src->access_log
                     : id == CLI_O_APP        ? &src->app
                     : id == CLI_O_AGENT      ? &src->agent
                                              : NULL;
    if (s)
        *s = v;
    return s || id == CLI_O_UTC_OFFSET;
}

int cli_jobs(const struct cli_common *c)
{
    long j = c->jobs > 0 ? c->jobs : cli_online_cores();
    return (int)(j > CLI_MAX_JOBS ? CLI_MAX_JOBS : j);
}

double cli_progress_delay(void)
{
    const char *e = getenv("PROVSIM_PROGRESS_DELAY");
    char *end;
    double v = e && *e ? strtod(e, &end) : -1.0;
    return e && *e && *end == '\0' && v >= 0 && v <= 3600 ? v : 0.5;
}

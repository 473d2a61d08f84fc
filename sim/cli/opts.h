/* opts.h -- GNU-style option parsing for every subcommand, from one table
 * per command: "--opt=value" and "--opt value", "--" ends the options,
 * "-h" is --help, an unambiguous prefix names its option ("--rep" is
 * --reps), and "-" alone is an argument (standard input or output).
 *
 * The table is also what the help texts are checked against (ctest
 * man_page) and what bash completion offers, so an option exists in
 * exactly one place per command. */
#ifndef PROVSIM_OPTS_H
#define PROVSIM_OPTS_H

/* One option of a command's table, which ends with a {NULL} entry. */
struct cli_opt {
    const char *name; /* without the leading "--": "reps" */
    int has_arg;      /* 1: takes a value */
    int id;           /* what cli_next returns for it; > 0 */
};

/* Ids of the options run, sweep and compare share (cli_common_option
 * takes them), then of the log source calibrate and backtest share
 * (cli_logs_option); a command's own ids start at CLI_O_OWN. */
enum {
    CLI_O_HELP = 1,
    CLI_O_REPS,
    CLI_O_SEED,
    CLI_O_JOBS,
    CLI_O_PRECISION,
    CLI_O_SET,
    CLI_O_OUT,
    CLI_O_PLOT,
    CLI_O_OKTA_LOG,
    CLI_O_ACCESS_LOG,
    CLI_O_APP,
    CLI_O_AGENT,
    CLI_O_UTC_OFFSET,
    CLI_O_OWN = 32
};

/* Table entries for the shared options, the log source and --help. */
#define CLI_OPTS_COMMON                                                                         \
    {"reps", 1, CLI_O_REPS}, {"seed", 1, CLI_O_SEED}, {"jobs", 1, CLI_O_JOBS},                  \
        {"precision", 1, CLI_O_PRECISION}, {"set", 1, CLI_O_SET}, {"out", 1, CLI_O_OUT},        \
        {"plot", 0, CLI_O_PLOT}
#define CLI_OPTS_LOGS                                                                           \
    {"okta-log", 1, CLI_O_OKTA_LOG}, {"access-log", 1, CLI_O_ACCESS_LOG},                       \
        {"app", 1, CLI_O_APP}, {"agent", 1, CLI_O_AGENT}, {"utc-offset", 1, CLI_O_UTC_OFFSET}
#define CLI_OPT_HELP {"help", 0, CLI_O_HELP}

/* Where a command is in its arguments. */
struct cli_parser {
    const char *cmd; /* for messages: "run" */
    int argc;
    char **argv;
    int i;        /* next argument to look at */
    int only_args; /* after "--" */
    const struct cli_opt *opts;
    char name[64]; /* the option just returned, as "--reps" (for messages) */
};

#define CLI_ARG 0   /* cli_next: a positional argument, in *val */
#define CLI_END (-1) /* cli_next: no more arguments */
#define CLI_BAD (-2) /* cli_next: a usage error, printed */

/* Starts at argv[1] (argv[0] is the command's name). */
void cli_parser_init(struct cli_parser *p, const char *cmd, int argc, char **argv,
                     const struct cli_opt *opts);
/* The next option (its id, its value in *val or NULL) or argument
 * (CLI_ARG, *val), CLI_END, or CLI_BAD after printing a usage error
 * naming the command (unknown or ambiguous option, missing value, a value
 * given to an option that takes none). */
int cli_next(struct cli_parser *p, const char **val);
/* 1 if an argument before any "--" is -h, --help or a prefix of it that
 * names no other option: the help wins over every other error. */
int cli_help_requested(int argc, char **argv, const struct cli_opt *opts);
/* Prints each option of the table as "--name" (one a line), for the
 * man-page test and bash completion. */
void cli_print_opts(const struct cli_opt *opts);

#endif

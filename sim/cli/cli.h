/* cli.h -- what every subcommand's option parsing shares: strict integer
 * arguments, one form of usage error, the default thread count. */
#ifndef PROVSIM_CLI_H
#define PROVSIM_CLI_H

#include "cli/opts.h"

#define CLI_EXIT_USAGE 2

/* Parses a whole decimal integer in [lo, hi] (no sign, no spaces, no
 * trailing text). Returns 0, or -1 (s == NULL included). */
int cli_parse_long(const char *s, long lo, long hi, long *out);

/* Prints "provsim: CMD: " + fmt (with arg, "" if NULL) and a hint to the
 * command's --help on stderr; returns CLI_EXIT_USAGE. cmd may be NULL for
 * the top level. */
int cli_usage_error(const char *cmd, const char *fmt, const char *arg);
/* The same for a message that names the command itself ("plot takes
 * exactly one directory"): "provsim: " + fmt and the hint to help_cmd's
 * --help (the top level's if NULL); returns CLI_EXIT_USAGE. */
int cli_usage_error_plain(const char *help_cmd, const char *fmt, const char *arg);
/* Prints "provsim: " + fmt (with arg, "" if NULL) on stderr, without a
 * --help hint: the options were well formed but what they name is not (a
 * bad scenario, an output that cannot be opened, a directory with nothing
 * in it); returns CLI_EXIT_USAGE. */
int cli_input_error(const char *fmt, const char *arg);

/* The one argument of plot and report: a directory that exists. Parses
 * argv with the options in opts ("--" and -h too); returns 0 with *dir
 * set, 1 if help was asked for (the caller prints it), or CLI_EXIT_USAGE
 * with the message printed (no directory, more than one, "DIR: no such
 * directory", "DIR: not a directory"). */
int cli_dir_arg(const char *cmd, int argc, char **argv, const struct cli_opt *opts,
                const char **dir);

/* Seconds a run or compare waits before drawing its progress bar: 0.5,
 * or PROVSIM_PROGRESS_DELAY when that is a number >= 0 (tests set it to 0
 * so a short run shows the bar). */
double cli_progress_delay(void);

/* Online processors (1 if unknown): the default for --jobs. */
int cli_online_cores(void);

#define CLI_MAX_JOBS 1024

/* The options run, sweep and compare share. */
struct cli_common {
    long reps;         /* --reps; 0 = the scenario's */
    long seed;         /* --seed; -1 = the scenario's */
    long jobs;         /* --jobs; 0 = one per core */
    double precision;  /* --precision; 0 = off */
    const char **sets; /* --set PATH=VALUE; caller owns, room for argc */
    int nsets;
    const char *out; /* --out DIR; NULL = not given */
    int plot;        /* --plot */
};

/* Starts c with every option at its default and room for argc --sets
 * (free c->sets when done). */
void cli_common_init(struct cli_common *c, int argc);
/* If id (from cli_next, opts.h) is one of the shared options, takes it
 * with its value v and returns 1; returns 0 if it is not one of them, or
 * CLI_EXIT_USAGE after printing a usage error naming cmd. */
int cli_common_option(const char *cmd, int id, const char *v, struct cli_common *c);
/* The same for the log source of calibrate and backtest (--okta-log,
 * --access-log, --app, --agent, --utc-offset: CLI_OPTS_LOGS) into *src. */
struct meas_src;
int cli_logs_option(const char *cmd, int id, const char *v, struct meas_src *src);
/* --jobs, or one per core, at most CLI_MAX_JOBS. */
int cli_jobs(const struct cli_common *c);

#endif

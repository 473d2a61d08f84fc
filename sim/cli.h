/* cli.h -- what every subcommand's option parsing shares: strict integer
 * arguments, one form of usage error, the default thread count. */
#ifndef PROVSIM_CLI_H
#define PROVSIM_CLI_H

#define CLI_EXIT_USAGE 2

/* Parses a whole decimal integer in [lo, hi] (no sign, no spaces, no
 * trailing text). Returns 0, or -1 (s == NULL included). */
int cli_parse_long(const char *s, long lo, long hi, long *out);

/* Prints "provsim: CMD: " + fmt (with arg, "" if NULL) and a hint to the
 * command's --help on stderr; returns CLI_EXIT_USAGE. cmd may be NULL for
 * the top level. */
int cli_usage_error(const char *cmd, const char *fmt, const char *arg);

/* Online processors (1 if unknown): the default for --jobs. */
int cli_online_cores(void);

#endif

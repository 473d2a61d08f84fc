/* cli.c -- see cli.h. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
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

int cli_usage_error(const char *cmd, const char *fmt, const char *arg)
{
    if (cmd)
        fprintf(stderr, "provsim: %s: ", cmd);
    else
        fputs("provsim: ", stderr);
    fprintf(stderr, fmt, arg ? arg : "");
    if (cmd)
        fprintf(stderr, "\n(see provsim %s --help)\n", cmd);
    else
        fputs("\n(see provsim --help)\n", stderr);
    return CLI_EXIT_USAGE;
}

int cli_online_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 && n < 1024 ? (int)n : 1;
}

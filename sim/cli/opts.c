/* opts.c -- see opts.h. */
#include "cli/opts.h"

#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

void cli_parser_init(struct cli_parser *p, const char *cmd, int argc, char **argv,
                     const struct cli_opt *opts)
{
    memset(p, 0, sizeof *p);
    p->cmd = cmd;
    p->argc = argc;
    p->argv = argv;
    p->i = 1;
    p->opts = opts;
}

/* The option named by the first n characters of s: an exact name wins,
 * else the only name starting with them. *ambiguous is set when several
 * do. */
static const struct cli_opt *lookup(const struct cli_opt *opts, const char *s, size_t n,
                                    int *ambiguous)
{
    const struct cli_opt *hit = NULL;
    int hits = 0;
    *ambiguous = 0;
    for (const struct cli_opt *o = opts; o->name; o++) {
        if (strncmp(o->name, s, n) != 0)
            continue;
        if (o->name[n] == '\0')
            return o;
        hit = o;
        hits++;
    }
    *ambiguous = hits > 1;
    return hits == 1 ? hit : NULL;
}

static int bad(struct cli_parser *p, const char *fmt, const char *arg)
{
    cli_usage_error(p->cmd, fmt, arg);
    return CLI_BAD;
}

int cli_next(struct cli_parser *p, const char **val)
{
    *val = NULL;
    if (p->i >= p->argc)
        return CLI_END;
    const char *a = p->argv[p->i++];
    if (!p->only_args && !strcmp(a, "--")) {
        p->only_args = 1;
        return cli_next(p, val);
    }
    if (p->only_args || a[0] != '-' || a[1] == '\0') {
        *val = a;
        return CLI_ARG;
    }
    if (!strcmp(a, "-h")) {
        snprintf(p->name, sizeof p->name, "--help");
        return CLI_O_HELP;
    }
    if (a[1] != '-')
        return bad(p, "unknown option \"%s\"", a);
    const char *name = a + 2, *eq = strchr(name, '=');
    size_t n = eq ? (size_t)(eq - name) : strlen(name);
    int ambiguous;
    const struct cli_opt *o = lookup(p->opts, name, n, &ambiguous);
    if (!o) {
        if (ambiguous) {
            char msg[512];
            int len = snprintf(msg, sizeof msg, "option \"--%.*s\" is ambiguous (", (int)n, name);
            const char *sep = "";
            for (const struct cli_opt *c = p->opts; c->name && len < (int)sizeof msg - 64; c++)
                if (!strncmp(c->name, name, n)) {
                    len += snprintf(msg + len, sizeof msg - (size_t)len, "%s--%s", sep, c->name);
                    sep = ", ";
                }
            snprintf(msg + len, sizeof msg - (size_t)len, ")");
            return bad(p, "%s", msg);
        }
        return bad(p, "unknown option \"%s\"", a);
    }
    snprintf(p->name, sizeof p->name, "--%s", o->name);
    const char *shown = p->name;
    if (!o->has_arg) {
        if (eq)
            return bad(p, "%s takes no value", shown);
        return o->id;
    }
    if (eq) {
        *val = eq + 1;
    } else if (p->i < p->argc) {
        *val = p->argv[p->i++];
    } else {
        return bad(p, "%s: expected a value", shown);
    }
    return o->id;
}

int cli_help_requested(int argc, char **argv, const struct cli_opt *opts)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--"))
            return 0;
        if (!strcmp(a, "-h"))
            return 1;
        if (strncmp(a, "--", 2) || strchr(a, '=') || a[2] == '\0')
            continue;
        int ambiguous;
        const struct cli_opt *o = lookup(opts, a + 2, strlen(a + 2), &ambiguous);
        if (o && o->id == CLI_O_HELP)
            return 1;
    }
    return 0;
}

void cli_print_opts(const struct cli_opt *opts)
{
    for (const struct cli_opt *o = opts; o->name; o++)
        printf("--%s\n", o->name);
}

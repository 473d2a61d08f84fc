/* cmd_presets.c -- provsim presets: the built-in presets, one line each
 * (name, then the scenario's own title), from the table compiled into the
 * binary (scenario/presets.h). */
#include "cli/cli.h"
#include "cli/commands.h"

#include "scenario/presets.h"

#include <stdio.h>
#include <string.h>

static const char usage_presets[] =
    "usage: provsim presets\n"
    "\n"
    "Lists the built-in presets (the scenarios of configs/, compiled in), one\n"
    "line each: its name, then its title. Start from one with\n"
    "provsim init --preset NAME FILE.json.\n"
    "\n"
    "options:\n"
    "  -h, --help          this help\n";

static const struct cli_opt presets_opts[] = {CLI_OPT_HELP, {NULL, 0, 0}};

int cmd_presets(int argc, char **argv)
{
    if (cli_help_requested(argc, argv, presets_opts)) {
        fputs(usage_presets, stdout);
        return 0;
    }
    struct cli_parser p;
    cli_parser_init(&p, "presets", argc, argv, presets_opts);
    const char *v;
    int id = cli_next(&p, &v);
    if (id == CLI_BAD)
        return CLI_EXIT_USAGE;
    if (id != CLI_END)
        return cli_usage_error("presets", "takes no arguments (got \"%s\")", v);
    size_t w = 0;
    for (const struct scn_preset *ps = scn_presets; ps->name; ps++)
        w = strlen(ps->name) > w ? strlen(ps->name) : w;
    for (const struct scn_preset *ps = scn_presets; ps->name; ps++) {
        char title[512];
        printf("%-*s  %s\n", (int)w, ps->name, scn_preset_title(ps, title, sizeof title));
    }
    return fflush(stdout) == 0 ? 0 : 1;
}

/* cmd_init.c -- provsim init [--preset NAME] FILE: writes a built-in
 * preset (default: "default") to FILE as a starting scenario. It never
 * overwrites: an existing FILE is refused (exit 2), and the file appears
 * complete or not at all (outfile_commit_new). */
#include "cli/cli.h"
#include "cli/commands.h"

#include "base/outfile.h"
#include "scenario/presets.h"
#include "scenario/scenario.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage_init[] =
    "usage: provsim init [--preset NAME] FILE.json\n"
    "\n"
    "Writes a starting scenario to FILE.json: the built-in preset NAME (default:\n"
    "default, the Slack-like rollout of provsim run; provsim presets lists them).\n"
    "Refuses to overwrite an existing file.\n"
    "\n"
    "options:\n"
    "  --preset NAME       the preset to start from\n"
    "  -h, --help          this help\n"
    "\n"
    "Exit status: 0 when the file is written; 2 on bad usage, an unknown preset\n"
    "or when FILE.json exists; 1 when it cannot be written.\n";

enum { O_PRESET = CLI_O_OWN };
static const struct cli_opt init_opts[] = {{"preset", 1, O_PRESET}, CLI_OPT_HELP, {NULL, 0, 0}};

int cmd_init(int argc, char **argv)
{
    if (cli_help_requested(argc, argv, init_opts)) {
        fputs(usage_init, stdout);
        return 0;
    }
    struct cli_parser p;
    cli_parser_init(&p, "init", argc, argv, init_opts);
    const char *v, *file = NULL, *name = "default";
    int id;
    while ((id = cli_next(&p, &v)) != CLI_END) {
        if (id == CLI_BAD)
            return CLI_EXIT_USAGE;
        if (id == O_PRESET)
            name = v;
        else if (file)
            return cli_usage_error("init", "more than one file given (\"%s\")", v);
        else
            file = v;
    }
    if (!file)
        return cli_usage_error("init", "%s", "give the file to write (FILE.json)");
    const struct scn_preset *ps = scn_preset_find(name);
    if (!ps)
        return cli_usage_error("init", "--preset: no preset \"%s\" (provsim presets lists them)",
                               name);
    if (!strcmp(file, "-"))
        return fwrite(ps->text, 1, ps->len, stdout) == ps->len && fflush(stdout) == 0 ? 0 : 1;
    if (access(file, F_OK) == 0)
        return cli_input_error("%s: already exists (init never overwrites a file)", file);
    struct outfile o;
    char err[SCN_ERRLEN];
    if (outfile_open(&o, file, err, sizeof err) != 0)
        return cli_input_error("%s", err);
    fwrite(ps->text, 1, ps->len, o.f);
    int rc = outfile_commit_new(&o, err, sizeof err);
    if (rc == OUTFILE_EXISTS)
        return cli_input_error("%s: already exists (init never overwrites a file)", file);
    if (rc != 0) {
        fprintf(stderr, "provsim: %s\n", err);
        return 1;
    }
    printf("wrote %s (preset %s)\n", file, name);
    return fflush(stdout) == 0 ? 0 : 1;
}

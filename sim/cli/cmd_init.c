/* cmd_init.c -- provsim init [--preset NAME] FILE: writes a built-in
 * preset (default: "default") to FILE as a starting scenario. It never
 * overwrites: an existing FILE is refused (exit 2), and the file appears
 * complete or not at all (outfile_commit_new). Its "$schema" names the
 * installed JSON Schema if there is one (so editors find it from anywhere),
 * else stays as in configs/. */
#include "cli/cli.h"
#include "cli/commands.h"

#include "base/outfile.h"
#include "base/util.h"
#include "scenario/presets.h"
#include "scenario/scenario.h"

#include <stdio.h>
#include <stdlib.h>
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

/* The preset's text, with "$schema" pointing at the installed schema
 * when there is one: the presets name it relative to configs/, which
 * means nothing beside FILE.json. Caller frees. */
static char *starting_text(const struct scn_preset *ps, size_t *len)
{
    static const char rel[] = "\"$schema\": \"scenario.schema.json\"";
    const char *at = strstr(ps->text, rel);
    char *out;
    if (!at || access(PROVSIM_INSTALLED_SCHEMA, R_OK) != 0) {
        out = xstrdup(ps->text);
        *len = ps->len;
        return out;
    }
    size_t head = (size_t)(at - ps->text), n = ps->len + sizeof PROVSIM_INSTALLED_SCHEMA + 64;
    out = xmalloc(n);
    int w = snprintf(out, n, "%.*s\"$schema\": \"file://%s\"%s", (int)head, ps->text,
                     PROVSIM_INSTALLED_SCHEMA, at + sizeof rel - 1);
    *len = (size_t)w;
    return out;
}

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
    if (strcmp(file, "-") && access(file, F_OK) == 0)
        return cli_input_error("%s: already exists (init never overwrites a file)", file);
    size_t len;
    char *text = starting_text(ps, &len);
    if (!strcmp(file, "-")) {
        int bad = fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0;
        free(text);
        return bad;
    }
    struct outfile o;
    char err[SCN_ERRLEN];
    if (outfile_open(&o, file, err, sizeof err) != 0) {
        free(text);
        return cli_input_error("%s", err);
    }
    fwrite(text, 1, len, o.f);
    free(text);
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

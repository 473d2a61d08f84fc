/* cmd_validate.c -- provsim validate SCENARIO.json [--set PATH=VALUE]...:
 * loads a scenario with every check a run makes, and stops there (exit 0
 * if it is valid, 2 with the loader's message naming the key path if not).
 *
 * The hidden --list-keys prints every key path the loader's own tables
 * know at the objects this scenario enters (scn_list_keys): what the
 * schema test compares configs/scenario.schema.json with, so the schema
 * cannot drift from the loader. */
#include "cli/cli.h"
#include "cli/commands.h"

#include "base/file.h"
#include "scenario/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_validate[] =
    "usage: provsim validate SCENARIO.json|- [--set PATH=VALUE]...\n"
    "\n"
    "Checks a scenario (\"-\": read from standard input) with every check a run\n"
    "makes, after the overrides; exit 0 if it is valid, 2 with a message naming\n"
    "the problem if not.\n"
    "\n"
    "options:\n"
    "  --set PATH=VALUE    override a key first, as run does (repeatable)\n"
    "  -h, --help          this help\n";

enum { O_LIST_KEYS = CLI_O_OWN };
static const struct cli_opt validate_opts[] = {
    {"set", 1, CLI_O_SET}, {"list-keys", 0, O_LIST_KEYS}, CLI_OPT_HELP, {NULL, 0, 0}};

static void print_key(void *arg, const char *path)
{
    (void)arg;
    puts(path);
}

int cmd_validate(int argc, char **argv)
{
    if (cli_help_requested(argc, argv, validate_opts)) {
        fputs(usage_validate, stdout);
        return 0;
    }
    struct cli_common cc;
    cli_common_init(&cc, argc);
    struct cli_parser p;
    cli_parser_init(&p, "validate", argc, argv, validate_opts);
    const char *v, *file = NULL;
    int id, list_keys = 0, rc = 0;
    while (rc == 0 && (id = cli_next(&p, &v)) != CLI_END) {
        if (id == CLI_BAD)
            rc = CLI_EXIT_USAGE;
        else if (id == O_LIST_KEYS)
            list_keys = 1;
        else if (id == CLI_ARG && !file)
            file = v;
        else if (id == CLI_ARG)
            rc = cli_usage_error_plain("validate", "%s", "validate takes exactly one scenario file");
        else if (cli_common_option("validate", id, v, &cc) == CLI_EXIT_USAGE)
            rc = CLI_EXIT_USAGE;
    }
    if (rc == 0 && !file)
        rc = cli_usage_error_plain("validate", "%s", "validate takes exactly one scenario file");
    if (rc == 0) {
        struct scenario s;
        char err[SCN_ERRLEN];
        struct scn_key_lister kl = {print_key, NULL};
        if (scn_load_listing(file, cc.sets, cc.nsets, &s, err, sizeof err,
                             list_keys ? &kl : NULL) != 0) {
            rc = cli_input_error("%s", err);
        } else {
            if (!list_keys)
                printf("%s: valid (%s)\n", file_shown_name(file), s.name);
            scn_fini(&s);
        }
    }
    free(cc.sets);
    return rc;
}

/* cmd_validate.c -- provsim validate SCENARIO.json: loads a scenario with
 * every check a run makes, and stops there (exit 0 if it is valid, 2 with
 * the loader's message naming the key path if not). */
#include "cli/cli.h"
#include "cli/commands.h"

#include "scenario/scenario.h"

#include <stdio.h>
#include <string.h>

int cmd_validate(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-') {
        if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
            puts("usage: provsim validate SCENARIO.json\n\nChecks a scenario; exit 0 if "
                 "it is valid, 2 with a message naming the problem if not.");
            return 0;
        }
        return cli_usage_error(NULL, "%s", "validate takes exactly one scenario file");
    }
    struct scenario s;
    char err[SCN_ERRLEN];
    if (scn_load(argv[1], NULL, 0, &s, err, sizeof err) != 0)
        return cli_input_error("%s", err);
    printf("%s: valid (%s)\n", argv[1], s.name);
    scn_fini(&s);
    return 0;
}

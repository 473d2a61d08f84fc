/* mklogs_main.c -- provsim-mklogs SCENARIO.json [--okta FILE] [--okta-format
 * lines|array|csv] [--access FILE] [--access-format json|ncsa] [--noise]
 * [--rep R]: writes the logs one replication of the scenario would leave
 * (tests/mklogs.h), for the calibration tests and the README's example. */
#include "mklogs.h"

#include "scenario/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    struct mklogs_opts o = {0};
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--okta") && v)
            o.okta_path = argv[++i];
        else if (!strcmp(a, "--access") && v)
            o.access_path = argv[++i];
        else if (!strcmp(a, "--okta-format") && v)
            o.okta_format = !strcmp(argv[++i], "array") ? MKLOGS_OKTA_ARRAY
                            : !strcmp(v, "csv")           ? MKLOGS_OKTA_CSV
                                                          : MKLOGS_OKTA_LINES;
        else if (!strcmp(a, "--access-format") && v)
            o.access_format = !strcmp(argv[++i], "ncsa") ? MKLOGS_ACCESS_NCSA : MKLOGS_ACCESS_JSON;
        else if (!strcmp(a, "--noise"))
            o.noise = 1;
        else if (!strcmp(a, "--rep") && v)
            o.rep = strtoull(argv[++i], NULL, 10);
        else if (!file && a[0] != '-')
            file = a;
        else {
            fprintf(stderr, "provsim-mklogs: bad argument %s\n", a);
            return 2;
        }
    }
    if (!file) {
        fputs("usage: provsim-mklogs SCENARIO.json [--okta FILE] [--okta-format lines|array|csv]\n"
              "       [--access FILE] [--access-format json|ncsa] [--noise] [--rep R]\n", stderr);
        return 2;
    }
    struct scenario s;
    char err[SCN_ERRLEN];
    if (scn_load(file, NULL, 0, &s, err, sizeof err)) {
        fprintf(stderr, "provsim-mklogs: %s\n", err);
        return 2;
    }
    int rc = mklogs_write(&s, &o);
    scn_fini(&s);
    return rc ? 1 : 0;
}

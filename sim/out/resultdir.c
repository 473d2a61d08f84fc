/* resultdir.c -- see resultdir.h. */
#include "out/resultdir.h"

#include <stdio.h>
#include <string.h>

void resdir_compare_series_name(char *buf, size_t len, int i)
{
    snprintf(buf, len, "series-%d.csv", i + 1);
}

void resdir_cell_name(char *buf, size_t len, int cell)
{
    snprintf(buf, len, "cell-%05d.json", cell);
}

int resdir_cell_parse(const char *name, int *cell)
{
    char tail;
    return strncmp(name, "cell-", 5) == 0 && sscanf(name, "cell-%d.jso%c", cell, &tail) == 2 &&
           tail == 'n' && strlen(name) == strlen("cell-00000.json");
}

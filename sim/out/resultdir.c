/* resultdir.c -- see resultdir.h. */
#include "out/resultdir.h"

#include "base/file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int resdir_has(const char *dir, const char *name)
{
    char *p = file_join(dir, name);
    struct stat st;
    int ok = stat(p, &st) == 0 && S_ISREG(st.st_mode);
    free(p);
    return ok;
}

enum resdir_kind resdir_kind(const char *dir)
{
    if (resdir_has(dir, RESDIR_BACKTEST_JSON))
        return RESDIR_KIND_BACKTEST;
    if (resdir_has(dir, RESDIR_PLAN_JSON))
        return RESDIR_KIND_PLAN;
    if (resdir_has(dir, RESDIR_COMPARE_JSON))
        return RESDIR_KIND_COMPARE;
    if (resdir_has(dir, RESDIR_SWEEP_CSV))
        return RESDIR_KIND_SWEEP;
    if (resdir_has(dir, RESDIR_SERIES_CSV) || resdir_has(dir, RESDIR_RUN_JSON))
        return RESDIR_KIND_RUN;
    return RESDIR_KIND_NONE;
}

const char *resdir_data_file(enum resdir_kind kind)
{
    switch (kind) {
    case RESDIR_KIND_RUN:
        return RESDIR_SERIES_CSV;
    case RESDIR_KIND_COMPARE:
        return RESDIR_COMPARE_JSON;
    case RESDIR_KIND_SWEEP:
        return RESDIR_SWEEP_CSV;
    case RESDIR_KIND_PLAN:
        return RESDIR_PLAN_JSON;
    case RESDIR_KIND_BACKTEST:
        return RESDIR_BACKTEST_JSON;
    case RESDIR_KIND_NONE:
        break;
    }
    return NULL;
}

void resdir_chart_name(char *buf, size_t len, const char *chart, const char *ext)
{
    snprintf(buf, len, "%s.%s", chart, ext);
}

void resdir_compare_series_name(char *buf, size_t len, int i)
{
    snprintf(buf, len, "series-%d.csv", i + 1);
}

void resdir_cell_name(char *buf, size_t len, int cell)
{
    snprintf(buf, len, RESDIR_CELL_PREFIX "%05d.json", cell);
}

int resdir_cell_parse(const char *name, int *cell)
{
    char tail;
    return sscanf(name, RESDIR_CELL_PREFIX "%d.jso%c", cell, &tail) == 2 && tail == 'n' &&
           strlen(name) == strlen(RESDIR_CELL_PREFIX "00000.json");
}

void resdir_task_name(char *buf, size_t len, int k, int n)
{
    snprintf(buf, len, RESDIR_TASK_PREFIX "%04d-of-%04d.jsonl", k, n);
}

int resdir_task_parse(const char *name, int *k, int *n)
{
    int used = 0;
    if (sscanf(name, RESDIR_TASK_PREFIX "%d-of-%d.jsonl%n", k, n, &used) != 2 || used == 0 ||
        name[used] != '\0' || *k < 0 || *k >= *n)
        return 0;
    /* exactly the spelling resdir_task_name writes: no "+1", no " 1" */
    char want[64];
    resdir_task_name(want, sizeof want, *k, *n);
    return strcmp(want, name) == 0;
}

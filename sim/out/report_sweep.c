/* report_sweep.c -- the content of a sweep's report, from DIR/sweep.json
 * (and DIR/sweep.csv for the varied values as the user wrote them): the
 * base scenario and what was varied, and for each goal the best cells,
 * how many tie with the best and how far off the worst is. */
#include "out/report_parts.h"

#include "out/jsonfile.h"
#include "out/resultdir.h"
#include "out/table.h"
#include "base/file.h"
#include "base/util.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BEST_SHOWN 3 /* cells per goal in a sweep's table */

/* The varied values of each cell as the user wrote them: sweep.csv's
 * leading columns, one row per cell in grid order (sweep.json's "values"
 * may hold them as JSON numbers instead). NULL when unusable. */
static struct table *sweep_values(const char *dir, int nvary, int ncells)
{
    char *p = file_join(dir, RESDIR_SWEEP_CSV);
    char e[256];
    struct table *t = xmalloc(sizeof *t);
    int rc = tbl_load(t, p, e, sizeof e);
    free(p);
    if (rc != 0 || nvary < 1 || t->ncols < nvary || t->nrows != (size_t)ncells) {
        tbl_fini(t);
        free(t);
        return NULL;
    }
    return t;
}

/* "batch_size = 250, at = 22:00" */
static void cell_label(const cJSON *cell, const struct table *vt, int k, char *buf, size_t len)
{
    const cJSON *vals = cJSON_GetObjectItemCaseSensitive(cell, "values");
    size_t o = 0;
    buf[0] = '\0';
    if (vt) {
        for (int c = 0; c < vt->ncols && o < len; c++) {
            size_t l = strlen(vt->cells[c]);
            if (l > 5 && !strcmp(vt->cells[c] + l - 5, "_mean"))
                break; /* the metrics begin */
            o += (size_t)snprintf(buf + o, len - o, "%s%s = %s", o ? ", " : "",
                                  report_path_tail(vt->cells[c]), tbl_get(vt, (size_t)k, c));
        }
        return;
    }
    report_values_label(vals, 1, buf, len);
}

/* The base scenario, the overrides, what was varied and the cells. */
static void sweep_facts(struct doc *d, const cJSON *sj, int nc)
{
    const char *name = jsonfile_str(sj, "scenario"), *file = jsonfile_str(sj, "file");
    snprintf(d->title, sizeof d->title, "%s", name ? name : "provsim sweep");
    if (file)
        doc_fact(d, "Base scenario", "%s (%s)", name ? name : "", file);
    const cJSON *prov = cJSON_GetObjectItemCaseSensitive(sj, "provenance");
    if (cJSON_IsObject(prov)) {
        report_provenance_facts(d, prov, "Base scenario");
    } else {
        const cJSON *sets = cJSON_GetObjectItemCaseSensitive(sj, "set");
        for (const cJSON *s = cJSON_IsArray(sets) ? sets->child : NULL; s; s = s->next)
            if (cJSON_IsString(s))
                doc_fact(d, "Override", "%s", s->valuestring);
    }
    const cJSON *vary = cJSON_GetObjectItemCaseSensitive(sj, "vary");
    for (const cJSON *v = cJSON_IsArray(vary) ? vary->child : NULL; v; v = v->next) {
        const char *path = jsonfile_str(v, "path"), *spec = jsonfile_str(v, "spec");
        const cJSON *vals = cJSON_GetObjectItemCaseSensitive(v, "values");
        doc_fact(d, "Varied", "%s = %s (%d values)", path ? path : "?", spec ? spec : "?",
                 cJSON_IsArray(vals) ? cJSON_GetArraySize(vals) : 0);
        const cJSON *linked = cJSON_GetObjectItemCaseSensitive(v, "linked");
        for (const cJSON *l = cJSON_IsArray(linked) ? linked->child : NULL; l; l = l->next) {
            const char *lp = jsonfile_str(l, "path"), *ls = jsonfile_str(l, "spec");
            doc_fact(d, "Varied", "%s = %s (together with %s)", lp ? lp : "?", ls ? ls : "?",
                     path ? path : "?");
        }
    }
    doc_fact(d, "Cells", "%d, %.0f replications each (seed %.0f), with common random numbers: "
                         "differences between cells are the scenario's, not noise",
             nc, jsonfile_num(sj, "replications"), jsonfile_num(sj, "seed"));
}

/* The cells of a sweep, and their varied values as written (vt, may be
 * NULL: cell_label falls back to sweep.json's values). */
struct grid {
    const cJSON *cells;
    int n;
    const struct table *vt;
};

static struct report_stat raw_stat(const struct grid *g, int k, enum metric m)
{
    return report_metric_stat(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(g->cells, k), "metrics"), m);
}

/* 1 if some replication of cell k did not clear the rollout within the
 * horizon: its figures describe an unfinished run. */
static int cell_censored(const struct grid *g, int k)
{
    struct report_stat c = raw_stat(g, k, METRIC_CLEARED);
    return isfinite(c.mean) && c.mean < 1.0;
}

/* A cell's stat for the best cells: none (NAN) for a censored cell, which
 * is left out of every goal. */
static struct report_stat cell_stat(const struct grid *g, int k, enum metric m)
{
    struct report_stat s = raw_stat(g, k, m);
    if (cell_censored(g, k))
        s.mean = s.lo = s.hi = NAN;
    return s;
}

/* 1 if metric m is 0 in every replication of every cell: no goal to name */
static int all_zero(const struct grid *g, enum metric m)
{
    for (int k = 0; k < g->n; k++) {
        struct report_stat s = raw_stat(g, k, m);
        if (s.mean != 0.0 || (isfinite(s.hi) && s.hi != 0.0))
            return 0;
    }
    return 1;
}

/* Moves the BEST_SHOWN cells with the lowest finite means of m to the
 * front of order (a selection, in grid order on ties); returns how many
 * there are. */
static int pick_best(const struct grid *g, enum metric m, int *order)
{
    int nshow = 0;
    for (int k = 0; k < g->n; k++)
        order[k] = k;
    for (int pos = 0; pos < g->n && pos < BEST_SHOWN; pos++) {
        int best = -1;
        double bv = INFINITY;
        for (int k = pos; k < g->n; k++) {
            struct report_stat s = cell_stat(g, order[k], m);
            if (isfinite(s.mean) && (best < 0 || s.mean < bv)) {
                best = k;
                bv = s.mean;
            }
        }
        if (best < 0)
            break;
        int t = order[pos];
        order[pos] = order[best];
        order[best] = t;
        nshow++;
    }
    return nshow;
}

/* The first cell with the highest finite mean of m, or -1; *worst is its
 * mean (-INFINITY when there is none). */
static int worst_cell(const struct grid *g, enum metric m, double *worst)
{
    int worst_i = -1;
    *worst = -INFINITY;
    for (int k = 0; k < g->n; k++) {
        struct report_stat s = cell_stat(g, k, m);
        if (isfinite(s.mean) && s.mean > *worst) {
            *worst = s.mean;
            worst_i = k;
        }
    }
    return worst_i;
}

/* The finding of one goal: the best cell, how many cells tie with it
 * (their means within its CI), and the worst. */
static void best_finding(struct doc *d, const struct grid *g, const char *goal, enum metric m,
                         int best, int worst_i, double worst)
{
    struct report_stat b = cell_stat(g, best, m);
    int within = 0;
    for (int k = 0; k < g->n; k++) {
        struct report_stat s = cell_stat(g, k, m);
        if (k != best && isfinite(s.mean) && isfinite(b.hi) && s.mean <= b.hi)
            within++;
    }
    char label[1024], mean[48], ci[160], wl[1024], wm[48];
    cell_label(cJSON_GetArrayItem(g->cells, best), g->vt, best, label, sizeof label);
    report_fmt_value(mean, sizeof mean, m, b.mean);
    char range[128];
    report_fmt_ci(range, sizeof range, m, b);
    if (*range)
        snprintf(ci, sizeof ci, ", 95%% CI %s", range);
    else
        ci[0] = '\0';
    char tail[1200] = "";
    if (worst_i >= 0 && worst > b.mean) {
        cell_label(cJSON_GetArrayItem(g->cells, worst_i), g->vt, worst_i, wl, sizeof wl);
        report_fmt_value(wm, sizeof wm, m, worst);
        if (b.mean > 0)
            snprintf(tail, sizeof tail, "; the worst cell (%s) has %s, %.1f times as much", wl,
                     wm, worst / b.mean);
        else
            snprintf(tail, sizeof tail, "; the worst cell (%s) has %s", wl, wm);
    }
    char ties[96];
    if (within)
        snprintf(ties, sizeof ties, " %d other cell%s within its CI (tied within noise)", within,
                 within == 1 ? " is" : "s are");
    else
        snprintf(ties, sizeof ties, " no other cell is within its CI");
    doc_add(&d->findings, "%s: %s (%s%s);%s%s.", goal, label, mean, ci, ties, tail);
}

/* The table's rows of one goal: its nshow best cells, in order. */
static void best_rows(struct doc *d, const struct grid *g, const char *goal, enum metric m,
                      const int *order, int nshow)
{
    for (int r = 0; r < nshow; r++) {
        struct report_stat s = cell_stat(g, order[r], m);
        char label[1024], mean[48], ci[128];
        cell_label(cJSON_GetArrayItem(g->cells, order[r]), g->vt, order[r], label, sizeof label);
        report_fmt_value(mean, sizeof mean, m, s.mean);
        report_fmt_ci(ci, sizeof ci, m, s);
        doc_cell(&d->table, r == 0 ? goal : "", NULL);
        doc_cell(&d->table, label, NULL);
        doc_cell(&d->table, mean, NULL);
        doc_cell(&d->table, ci, NULL);
    }
}

/* For each goal, the best cells (the table) and a finding. */
static void best_cells(struct doc *d, const struct grid *g)
{
    static const struct {
        enum metric m;
        const char *goal;
    } goals[] = {
        {METRIC_HARM_OTHER_THROTTLED, "Least harm to other clients (extra 429s)"},
        {METRIC_HARM_BG_DELAY_MEAN, "Least harm to background jobs (extra delay, mean)"},
        {METRIC_CLEAR_TIME, "Fastest clear"},
        {METRIC_OTHER_THROTTLED, "Fewest collateral 429s"},
        {METRIC_BACKGROUND_LAT_P95, "Lowest background p95 latency"},
    };
    snprintf(d->table_title, sizeof d->table_title, "Best cells");
    snprintf(d->table_note, sizeof d->table_note,
             "The %d cells with the lowest mean for each goal, with the 95%% CI of the mean.",
             BEST_SHOWN);
    doc_add(&d->table.head, "Goal");
    doc_add(&d->table.head, "Cell");
    doc_add(&d->table.head, "Mean");
    doc_add(&d->table.head, "95%% CI");
    d->table.textcols = 2;
    int censored = 0;
    for (int k = 0; k < g->n; k++)
        censored += cell_censored(g, k);
    if (censored)
        doc_add(&d->findings,
                "%d of %d cells did not clear the rollout within the horizon in some "
                "replication: they are left out of the best cells below (their figures "
                "describe an unfinished run).",
                censored, g->n);
    int *order = xmalloc((size_t)g->n * sizeof *order);
    for (size_t k = 0; k < sizeof goals / sizeof *goals; k++) {
        if (all_zero(g, goals[k].m))
            continue;
        int nshow = pick_best(g, goals[k].m, order);
        double worst;
        int worst_i = worst_cell(g, goals[k].m, &worst);
        if (nshow == 0)
            continue;
        best_rows(d, g, goals[k].goal, goals[k].m, order, nshow);
        best_finding(d, g, goals[k].goal, goals[k].m, order[0], worst_i, worst);
    }
    free(order);
}

int report_build_sweep(struct doc *d, const char *dir, char *err, size_t errlen)
{
    cJSON *sj = jsonfile_read(dir, RESDIR_SWEEP_JSON, err, errlen);
    if (!sj)
        return -1;
    const cJSON *cells = cJSON_GetObjectItemCaseSensitive(sj, "cells");
    int nc = cJSON_IsArray(cells) ? cJSON_GetArraySize(cells) : 0;
    if (nc < 1) {
        snprintf(err, errlen, "%s/" RESDIR_SWEEP_JSON ": no cells", dir);
        cJSON_Delete(sj);
        return -1;
    }
    sweep_facts(d, sj, nc);
    const cJSON *vary = cJSON_GetObjectItemCaseSensitive(sj, "vary");
    struct table *vt =
        sweep_values(dir, cJSON_IsArray(vary) ? cJSON_GetArraySize(vary) : 0, nc);
    struct grid g = {cells, nc, vt};
    best_cells(d, &g);
    if (vt) {
        tbl_fini(vt);
        free(vt);
    }
    cJSON_Delete(sj);
    return 0;
}

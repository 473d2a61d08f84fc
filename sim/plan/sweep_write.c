/* sweep_write.c -- a sweep's results: DIR/sweep.csv, DIR/sweep.json and
 * the best-cells summary on stdout; and the one way the sweep saves a
 * JSON file (sweep.json and the journal's files alike).
 *
 * Invariants:
 * - The results are written only when every cell is done, in grid order,
 *   from the cells' values and the options alone (no timings, no thread
 *   or journal state): the same sweep gives the same bytes whatever
 *   --jobs is and however often it was resumed.
 * - sweep.json writes NaN as null (a CI one replication cannot give) and
 *   sweep.csv an empty cell; the journal spells it "nan" instead, to read
 *   it back exactly.
 * - Every file is complete or absent (outfile). */
#include "plan/sweep_internal.h"

#include "out/csvfmt.h"
#include "base/file.h"
#include "base/outfile.h"
#include "out/resultdir.h"
#include "out/summary.h"
#include "out/origin.h"
#include "base/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sweep_json_save(const char *path, const cJSON *root, char *err, size_t errlen)
{
    char *text = cJSON_Print(root);
    if (!text)
        xoom("cJSON_Print");
    struct outfile of;
    int rc = -1;
    if (outfile_open(&of, path, err, errlen) == 0) {
        fputs(text, of.f);
        fputc('\n', of.f);
        rc = outfile_commit(&of, err, errlen);
    }
    free(text);
    return rc;
}

int sweep_write_csv(const struct sweep_ctx *c, char *err, size_t errlen)
{
    const struct sweep_opts *o = c->o;
    struct outfile of;
    int rc = outfile_open_in(&of, c->dir, RESDIR_SWEEP_CSV, err, errlen);
    if (rc)
        return -1;
    FILE *f = of.f;
    for (int a = 0; a < o->naxes; a++)
        for (int k = 0; k <= o->axes[a].nlinked; k++) {
            csvfmt_field(f, sweep_axis_part(&o->axes[a], k)->path);
            fputc(',', f);
        }
    /* per metric, the statistics of sweep.json in its order */
    static const char *const stat_cols[] = {"mean", "sd", "ci95_lo", "ci95_hi", "min", "max"};
    for (int m = 0; m < METRIC_COUNT; m++)
        for (size_t k = 0; k < sizeof stat_cols / sizeof stat_cols[0]; k++)
            fprintf(f, "%s_%s,", metric_table[m].name, stat_cols[k]);
    fputs("replications\n", f);
    int idx[SWEEP_MAX_AXES];
    for (int i = 0; i < c->sw->ncells; i++) {
        const struct sweep_cell *sc = &c->sw->cells[i];
        sweep_cell_index(o->axes, o->naxes, i, idx);
        for (int a = 0; a < o->naxes; a++)
            for (int k = 0; k <= o->axes[a].nlinked; k++) {
                csvfmt_field(f, sweep_axis_part(&o->axes[a], k)->values[idx[a]]);
                fputc(',', f);
            }
        for (int m = 0; m < METRIC_COUNT; m++) {
            const struct stats_summary *st = &sc->sum[m];
            const double v[] = {st->mean, st->sd, st->ci_lo, st->ci_hi, st->min, st->max};
            for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
                csvfmt_num(f, v[k]);
                fputc(',', f);
            }
        }
        fprintf(f, "%d\n", sc->reps);
    }
    return outfile_commit(&of, err, errlen);
}

/* One element of sweep.json's "cells". */
static cJSON *cell_json(const struct sweep_opts *o, int i, const struct sweep_cell *sc)
{
    cJSON *cj = cJSON_CreateObject();
    cJSON_AddItemToObject(cj, "values", sweep_cell_values_json(o, i));
    cJSON *ms = cJSON_AddObjectToObject(cj, "metrics");
    for (int m = 0; m < METRIC_COUNT; m++) {
        const struct stats_summary *st = &sc->sum[m];
        cJSON *mo = cJSON_AddObjectToObject(ms, metric_table[m].name);
        /* null for NaN: a CI one replication cannot give */
        cJSON_AddItemToObject(mo, "mean", csvfmt_json_number(st->mean));
        cJSON_AddItemToObject(mo, "sd", csvfmt_json_number(st->sd));
        cJSON_AddItemToObject(mo, "ci95_lo", csvfmt_json_number(st->ci_lo));
        cJSON_AddItemToObject(mo, "ci95_hi", csvfmt_json_number(st->ci_hi));
        cJSON_AddItemToObject(mo, "min", csvfmt_json_number(st->min));
        cJSON_AddItemToObject(mo, "max", csvfmt_json_number(st->max));
    }
    cJSON_AddNumberToObject(cj, "replications", sc->reps);
    /* replications whose rollout was not done within the horizon (from
     * the mean of cleared, a 0/1 value per replication) */
    cJSON_AddNumberToObject(cj, "censored_replications",
                            isfinite(sc->sum[METRIC_CLEARED].mean)
                                ? floor((1.0 - sc->sum[METRIC_CLEARED].mean) * sc->reps + 0.5)
                                : 0);
    if (o->precision > 0)
        cJSON_AddBoolToObject(cj, "precision_reached", sc->precision_reached);
    return cj;
}

int sweep_write_json(const struct sweep_ctx *c, char *err, size_t errlen)
{
    const struct sweep_opts *o = c->o;
    const struct sweep *sw = c->sw;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "scenario", sw->name);
    cJSON_AddStringToObject(root, "file", o->scenario);
    cJSON *sets = cJSON_AddArrayToObject(root, "set");
    for (int i = 0; i < o->nsets; i++)
        cJSON_AddItemToArray(sets, cJSON_CreateString(o->sets[i]));
    cJSON *vary = cJSON_AddArrayToObject(root, "vary");
    for (int a = 0; a < o->naxes; a++) {
        cJSON *ax = cJSON_CreateObject();
        cJSON_AddStringToObject(ax, "path", o->axes[a].path);
        cJSON_AddStringToObject(ax, "spec", o->axes[a].spec);
        cJSON *vals = cJSON_AddArrayToObject(ax, "values");
        for (int i = 0; i < o->axes[a].nvalues; i++)
            cJSON_AddItemToArray(vals, sweep_value_json(o->axes[a].values[i]));
        if (o->axes[a].nlinked) {
            cJSON *linked = cJSON_AddArrayToObject(ax, "linked");
            for (int k = 0; k < o->axes[a].nlinked; k++) {
                const struct sweep_axis *p = &o->axes[a].linked[k];
                cJSON *lj = cJSON_CreateObject();
                cJSON_AddStringToObject(lj, "path", p->path);
                cJSON_AddStringToObject(lj, "spec", p->spec);
                cJSON *lv = cJSON_AddArrayToObject(lj, "values");
                for (int i = 0; i < p->nvalues; i++)
                    cJSON_AddItemToArray(lv, sweep_value_json(p->values[i]));
                cJSON_AddItemToArray(linked, lj);
            }
        }
        cJSON_AddItemToArray(vary, ax);
    }
    cJSON_AddNumberToObject(root, "seed", (double)sw->seed);
    cJSON_AddNumberToObject(root, "replications", o->reps > 0 ? o->reps : sw->base_reps);
    struct scenario_origin org = {.source = (char *)o->scenario,
                                  .overrides = (char **)o->sets,
                                  .noverrides = o->nsets};
    memcpy(org.sha256, sw->sha256, sizeof org.sha256);
    origin_add_json(root, &org, sw->seed, o->reps > 0 ? o->reps : sw->base_reps);
    if (o->precision > 0) {
        int missed = 0;
        for (int i = 0; i < sw->ncells; i++)
            missed += !sw->cells[i].precision_reached;
        cJSON *pr = cJSON_AddObjectToObject(root, "precision");
        cJSON_AddNumberToObject(pr, "target", o->precision);
        cJSON_AddBoolToObject(pr, "reached", missed == 0);
        cJSON_AddNumberToObject(pr, "cells_not_reached", missed);
    }
    cJSON *cells = cJSON_AddArrayToObject(root, "cells");
    for (int i = 0; i < sw->ncells; i++)
        cJSON_AddItemToArray(cells, cell_json(o, i, &sw->cells[i]));
    char *path = file_join(c->dir, RESDIR_SWEEP_JSON);
    int rc = sweep_json_save(path, root, err, errlen);
    free(path);
    cJSON_Delete(root);
    return rc;
}

void sweep_print_best(FILE *f, const struct sweep_opts *o, const struct sweep *sw)
{
    static const struct {
        enum metric m;
        const char *goal;
    } goals[] = {
        {METRIC_HARM_OTHER_THROTTLED,
         "least harm to other clients (lowest mean harm_other_clients_throttled)"},
        {METRIC_HARM_BG_DELAY_MEAN,
         "least harm to background jobs (lowest mean harm_background_delay_mean_s)"},
        {METRIC_CLEAR_TIME, "fastest clear (lowest mean clear_time_s)"},
        {METRIC_OTHER_THROTTLED, "fewest collateral 429s (lowest mean other_clients_throttled)"},
        {METRIC_BACKGROUND_LAT_P95,
         "lowest background latency (lowest mean background_latency_p95_s)"},
    };
    fputs("\nBest cells (mean over replications, 95% CI; cells share random numbers, so "
          "differences are the scenario's):\n",
          f);
    /* a cell in which some replication did not clear the rollout within
     * the horizon describes an unfinished run: never a best cell */
    int censored = 0;
    for (int i = 0; i < sw->ncells; i++)
        censored += sw->cells[i].sum[METRIC_CLEARED].mean < 1.0;
    if (censored)
        fprintf(f, "  (%d of %d cells did not clear the rollout within the horizon in some "
                   "replication: left out)\n",
                censored, sw->ncells);
    for (size_t g = 0; g < sizeof goals / sizeof goals[0]; g++) {
        enum metric m = goals[g].m;
        int best = -1, nonzero = 0;
        for (int i = 0; i < sw->ncells; i++) {
            nonzero |= sw->cells[i].sum[m].max != 0.0 || sw->cells[i].sum[m].min != 0.0;
            if (sw->cells[i].sum[METRIC_CLEARED].mean < 1.0)
                continue;
            double v = sw->cells[i].sum[m].mean;
            if (isfinite(v) && (best < 0 || v < sw->cells[best].sum[m].mean))
                best = i;
        }
        if (!nonzero)
            continue; /* 0 in every replication of every cell: nothing to pick */
        fprintf(f, "  %s:\n", goals[g].goal);
        if (best < 0) {
            fputs(censored ? "    no cell cleared in every replication\n"
                           : "    no cell has a value\n",
                  f);
            continue;
        }
        const struct stats_summary *b = &sw->cells[best].sum[m];
        int equal = 0, within = 0;
        for (int i = 0; i < sw->ncells; i++) {
            if (i == best || sw->cells[i].sum[METRIC_CLEARED].mean < 1.0)
                continue;
            double v = sw->cells[i].sum[m].mean;
            equal += v == b->mean;
            within += v == b->mean || (isfinite(b->ci_hi) && v <= b->ci_hi);
        }
        char label[1024], mean[32], lo[32], hi[32];
        if (equal == sw->ncells - censored - 1 && sw->ncells - censored > 1) {
            summary_format_value(mean, sizeof mean, m, b->mean);
            fprintf(f, "    every cell has the same mean (%s)\n", mean);
            continue;
        }
        sweep_cell_label(o, best, label, sizeof label);
        summary_format_value(mean, sizeof mean, m, b->mean);
        fprintf(f, "    %s\n    %s = %s", label, metric_table[m].name, mean);
        if (isfinite(b->ci_lo) && isfinite(b->ci_hi)) {
            summary_format_value(lo, sizeof lo, m, b->ci_lo);
            summary_format_value(hi, sizeof hi, m, b->ci_hi);
            fprintf(f, " (95%% CI %s - %s)", lo, hi);
        }
        fputc('\n', f);
        if (within == 0)
            fputs("    no other cell is within the CI of the best\n", f);
        else
            fprintf(f, "    %d other cell%s within the CI of the best (tied within noise)\n",
                    within, within == 1 ? " is" : "s are");
    }
}

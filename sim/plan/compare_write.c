/* compare_write.c -- a compare's result files, DIR/compare.csv and
 * DIR/compare.json (the contract in out/resultdir.h; `provsim report` reads
 * them back), and cmp_json, the same JSON for --format json.
 *
 * Invariants:
 * - Both files hold every metric of metric_table, the scenarios in
 *   argument order, the differences to the first scenario (A's are 0).
 * - A CI that one replication cannot give (NaN) is null in JSON and
 *   an empty cell in CSV, never a made-up number.
 * - Each file is complete or absent (outfile). */
#include "plan/compare_internal.h"

#include "out/csvfmt.h"
#include "base/outfile.h"
#include "out/resultdir.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

static void add_summary(cJSON *o, const struct stats_summary *st, int minmax)
{
    /* null for NaN: a CI one replication cannot give */
    cJSON_AddItemToObject(o, "mean", csvfmt_json_number(st->mean));
    cJSON_AddItemToObject(o, "sd", csvfmt_json_number(st->sd));
    cJSON_AddItemToObject(o, "ci95_lo", csvfmt_json_number(st->ci_lo));
    cJSON_AddItemToObject(o, "ci95_hi", csvfmt_json_number(st->ci_hi));
    if (minmax) {
        cJSON_AddItemToObject(o, "min", csvfmt_json_number(st->min));
        cJSON_AddItemToObject(o, "max", csvfmt_json_number(st->max));
    }
}

char *cmp_json(const struct cmp_result *r)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "seed", (double)r->seed);
    cJSON_AddNumberToObject(root, "replications", r->reps);
    if (r->precision > 0) {
        int reached = 1;
        for (int i = 0; i < r->n; i++)
            reached &= r->sc[i].precision_reached;
        cJSON *pr = cJSON_AddObjectToObject(root, "precision");
        cJSON_AddNumberToObject(pr, "target", r->precision);
        cJSON_AddBoolToObject(pr, "reached", reached);
    }
    cJSON *scs = cJSON_AddArrayToObject(root, "scenarios");
    for (int i = 0; i < r->n; i++) {
        char label[2] = {(char)('A' + i), '\0'}, series[32];
        resdir_compare_series_name(series, sizeof series, i);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "label", label);
        cJSON_AddStringToObject(o, "name", r->sc[i].name);
        cJSON_AddStringToObject(o, "file", r->sc[i].file);
        cJSON_AddStringToObject(o, "series", series);
        /* replications whose rollout was not done within the horizon */
        cJSON_AddNumberToObject(o, "censored_replications", r->sc[i].censored);
        if (r->sc[i].provenance)
            cJSON_AddItemToObject(o, "provenance", cJSON_Duplicate(r->sc[i].provenance, 1));
        if (r->sc[i].side) {
            /* a side of one file: name is its label, set its own overrides */
            cJSON *sets = cJSON_AddArrayToObject(o, "set");
            for (int k = 0; k < r->sc[i].side->nsets; k++)
                cJSON_AddItemToArray(sets, cJSON_CreateString(r->sc[i].side->sets[k]));
        }
        if (r->precision > 0)
            cJSON_AddBoolToObject(o, "precision_reached", r->sc[i].precision_reached);
        cJSON_AddItemToArray(scs, o);
    }
    cJSON *ms = cJSON_AddObjectToObject(root, "metrics");
    for (int m = 0; m < METRIC_COUNT; m++) {
        cJSON *mo = cJSON_AddObjectToObject(ms, metric_table[m].name);
        cJSON *per = cJSON_AddArrayToObject(mo, "scenarios");
        cJSON *dif = cJSON_AddArrayToObject(mo, "diff");
        for (int i = 0; i < r->n; i++) {
            cJSON *o = cJSON_CreateObject();
            add_summary(o, &r->sc[i].sum[m], 1);
            cJSON_AddItemToArray(per, o);
            o = cJSON_CreateObject();
            add_summary(o, &r->sc[i].diff[m], 0);
            cJSON_AddItemToArray(dif, o);
        }
    }
    cJSON *fs = cJSON_AddArrayToObject(root, "findings");
    for (int i = 0; i < r->nfindings; i++)
        cJSON_AddItemToArray(fs, cJSON_CreateString(r->findings[i]));
    char *s = cJSON_Print(root);
    cJSON_Delete(root);
    if (!s)
        xoom("cJSON_Print");
    return s;
}

static int write_csv(const struct cmp_result *r, const char *dir, char *err, size_t errlen)
{
    struct outfile of;
    int rc = outfile_open_in(&of, dir, RESDIR_COMPARE_CSV, err, errlen);
    if (rc)
        return -1;
    FILE *f = of.f;
    fputs("metric,scenario,name,mean,ci95_lo,ci95_hi,diff_mean,diff_ci95_lo,diff_ci95_hi\n", f);
    for (int m = 0; m < METRIC_COUNT; m++)
        for (int i = 0; i < r->n; i++) {
            const struct stats_summary *s = &r->sc[i].sum[m], *d = &r->sc[i].diff[m];
            fprintf(f, "%s,%d,", metric_table[m].name, i + 1);
            csvfmt_field(f, r->sc[i].name);
            const double v[] = {s->mean, s->ci_lo, s->ci_hi, d->mean, d->ci_lo, d->ci_hi};
            for (size_t j = 0; j < sizeof v / sizeof v[0]; j++) {
                fputc(',', f);
                csvfmt_num(f, v[j]);
            }
            fputc('\n', f);
        }
    return outfile_commit(&of, err, errlen);
}

static int write_json(const struct cmp_result *r, const char *dir, char *err, size_t errlen)
{
    struct outfile of;
    int rc = outfile_open_in(&of, dir, RESDIR_COMPARE_JSON, err, errlen);
    if (rc)
        return -1;
    char *text = cmp_json(r);
    fputs(text, of.f);
    fputc('\n', of.f);
    free(text);
    return outfile_commit(&of, err, errlen);
}

int cmp_write_results(const struct cmp_result *r, const char *dir, char *err, size_t errlen)
{
    return write_csv(r, dir, err, errlen) || write_json(r, dir, err, errlen) ? -1 : 0;
}

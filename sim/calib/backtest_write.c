/* backtest_write.c -- backtest's files: backtest.json (the comparison and
 * the per-minute curves, with what was compared: the scenario's
 * provenance, the logs' names and SHA-256 and the options that read
 * them) and backtest.csv (the curves, one row per minute). The charts and
 * the report are drawn from backtest.json by the out layer (plot.h,
 * report.h); earlier ones are removed here, as they show other data. */
#include "calib/backtest.h"
#include "calib/backtest_internal.h"

#include "base/file.h"
#include "base/outfile.h"
#include "base/util.h"
#include "calib/calscn.h"
#include "models/job.h"
#include "out/origin.h"
#include "out/plot.h"
#include "out/resultdir.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cJSON *num_or_null(double v)
{
    return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

static cJSON *curve_json(const struct bt_curve *c, int n)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "observed", c->obs ? cJSON_CreateDoubleArray(c->obs, n)
                                                : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "mean", cJSON_CreateDoubleArray(c->mean, n));
    cJSON_AddItemToObject(o, "p5", cJSON_CreateDoubleArray(c->p5, n));
    cJSON_AddItemToObject(o, "p95", cJSON_CreateDoubleArray(c->p95, n));
    cJSON_AddItemToObject(o, "share_inside_band", num_or_null(c->inside));
    return o;
}

static cJSON *bt_json(const struct bt *b)
{
    cJSON *j = cJSON_CreateObject();
    char when[20];
    cJSON_AddStringToObject(j, "scenario", b->scn.name);
    cJSON_AddItemToObject(j, "provenance",
                          origin_json(&b->scn.origin, b->scn.seed, b->sim.reps));
    cJSON *log = cJSON_AddObjectToObject(j, "log");
    cJSON_AddItemToObject(log, "okta_log", b->okta_name ? cJSON_CreateString(b->okta_name)
                                                        : cJSON_CreateNull());
    cJSON_AddItemToObject(log, "access_log", b->access_name ? cJSON_CreateString(b->access_name)
                                                            : cJSON_CreateNull());
    cJSON_AddItemToObject(log, "okta_log_sha256", b->okta_sha256
                                                      ? cJSON_CreateString(b->okta_sha256)
                                                      : cJSON_CreateNull());
    cJSON_AddItemToObject(log, "access_log_sha256", b->access_sha256
                                                        ? cJSON_CreateString(b->access_sha256)
                                                        : cJSON_CreateNull());
    cJSON_AddItemToObject(log, "app", b->okta_name && b->app ? cJSON_CreateString(b->app)
                                                             : cJSON_CreateNull());
    cJSON_AddItemToObject(log, "agent", b->access_name ? cJSON_CreateString(b->agent)
                                                       : cJSON_CreateNull());
    cJSON_AddNumberToObject(log, "utc_offset_s", b->utc_offset_s);
    cJSON *ro = cJSON_AddObjectToObject(log, "rollout");
    calscn_when(b->m.ro.start_s, when, sizeof when);
    cJSON_AddStringToObject(ro, "start", when);
    cJSON_AddNumberToObject(ro, "start_s", b->m.ro.start_s);
    cJSON_AddNumberToObject(ro, "users", (double)b->m.ro.users);
    cJSON_AddStringToObject(ro, "kind", job_kind_name(b->m.ro.kind));
    cJSON_AddNumberToObject(j, "replications", b->sim.reps);
    cJSON *obs = cJSON_AddObjectToObject(j, "observed");
    cJSON_AddNumberToObject(obs, "clear_time_s", b->m.ro.clear_s);
    cJSON_AddBoolToObject(obs, "cleared", b->m.ro.cleared);
    cJSON *sim = cJSON_AddObjectToObject(j, "simulated");
    cJSON *ct = cJSON_AddObjectToObject(sim, "clear_time_s");
    int ok = !b->censored;
    cJSON_AddItemToObject(ct, "mean", ok ? num_or_null(b->clear_mean) : cJSON_CreateNull());
    cJSON_AddItemToObject(ct, "ci95_lo", ok ? num_or_null(b->clear_lo) : cJSON_CreateNull());
    cJSON_AddItemToObject(ct, "ci95_hi", ok ? num_or_null(b->clear_hi) : cJSON_CreateNull());
    cJSON_AddItemToObject(ct, "p2_5", ok ? num_or_null(b->clear_p2_5) : cJSON_CreateNull());
    cJSON_AddItemToObject(ct, "p97_5", ok ? num_or_null(b->clear_p97_5) : cJSON_CreateNull());
    cJSON_AddItemToObject(ct, "at_least", ok ? cJSON_CreateNull() : num_or_null(b->clear_min));
    cJSON_AddNumberToObject(sim, "censored_replications", b->censored);
    cJSON_AddBoolToObject(j, "observed_inside_p95", b->observed_inside);
    cJSON_AddNumberToObject(j, "minutes", b->m.obs.nmin);
    cJSON *cur = cJSON_AddObjectToObject(j, "curves");
    for (int k = 0; k < BT_NCURVES; k++)
        cJSON_AddItemToObject(cur, b->c[k].name, curve_json(&b->c[k], b->m.obs.nmin));
    return j;
}

static int write_json(const struct bt *b, const char *dir, char *err, size_t errlen)
{
    cJSON *j = bt_json(b);
    char *text = cJSON_Print(j);
    cJSON_Delete(j);
    if (!text)
        xoom("cJSON_Print");
    struct outfile of;
    int rc = outfile_open_in(&of, dir, BACKTEST_JSON, err, errlen);
    if (rc == 0) {
        fputs(text, of.f);
        fputc('\n', of.f);
        rc = outfile_commit(&of, err, errlen);
    }
    cJSON_free(text);
    return rc;
}

static void cell(FILE *f, const double *v, int m)
{
    if (v && isfinite(v[m]))
        fprintf(f, ",%.10g", v[m]);
    else
        fputc(',', f);
}

static int write_csv(const struct bt *b, const char *dir, char *err, size_t errlen)
{
    struct outfile of;
    if (outfile_open_in(&of, dir, BACKTEST_CSV, err, errlen))
        return -1;
    fputs("minute,t_s", of.f);
    for (int k = 0; k < BT_NCURVES; k++)
        fprintf(of.f, ",%s_observed,%s_mean,%s_p5,%s_p95", b->c[k].name, b->c[k].name,
                b->c[k].name, b->c[k].name);
    fputc('\n', of.f);
    for (int m = 0; m < b->m.obs.nmin; m++) {
        fprintf(of.f, "%d,%d", m, 60 * m);
        for (int k = 0; k < BT_NCURVES; k++) {
            cell(of.f, b->c[k].obs, m);
            cell(of.f, b->c[k].mean, m);
            cell(of.f, b->c[k].p5, m);
            cell(of.f, b->c[k].p95, m);
        }
        fputc('\n', of.f);
    }
    return outfile_commit(&of, err, errlen);
}

int bt_write(const struct bt *b, const char *dir, char *err, size_t errlen)
{
    if (file_mkdirs(dir, err, errlen))
        return -1;
    plot_remove_stale(dir, RESDIR_KIND_BACKTEST);
    /* the CSV first: backtest.json, which makes DIR a backtest's, last */
    if (write_csv(b, dir, err, errlen) || write_json(b, dir, err, errlen))
        return -1;
    return 0;
}

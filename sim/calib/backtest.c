/* backtest.c -- provsim backtest (see backtest.h): the replay, the
 * comparison and its text; the files are backtest_write.c, the charts
 * out/plot_backtest.c (through plot_after_run, as for run --plot). */
#include "calib/backtest.h"
#include "calib/backtest_internal.h"

#include "base/file.h"
#include "base/units.h"
#include "base/util.h"
#include "calib/calscn.h"
#include "engine/stats.h"
#include "logs/accesslog.h"
#include "logs/oktalog.h"
#include "models/job.h"
#include "out/origin.h"
#include "out/plot.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void set_num(cJSON *doc, const char *key, double v)
{
    cJSON_DeleteItemFromObjectCaseSensitive(doc, key);
    cJSON_AddNumberToObject(doc, key, v);
}

/* mean, 5% and 95% over replications of each minute of x (reps x n) */
static void band(const double *x, int reps, int n, struct bt_curve *c)
{
    double *col = xmalloc((size_t)reps * sizeof *col);
    c->mean = xcalloc((size_t)n, sizeof *c->mean);
    c->p5 = xcalloc((size_t)n, sizeof *c->p5);
    c->p95 = xcalloc((size_t)n, sizeof *c->p95);
    int inside = 0;
    for (int m = 0; m < n; m++) {
        double s = 0;
        for (int r = 0; r < reps; r++)
            s += col[r] = x[(size_t)r * n + m];
        c->mean[m] = s / reps;
        c->p5[m] = stats_quantile(col, (size_t)reps, 0.05);
        c->p95[m] = stats_quantile(col, (size_t)reps, 0.95);
        if (c->obs)
            inside += c->obs[m] >= c->p5[m] - 1e-9 && c->obs[m] <= c->p95[m] + 1e-9;
    }
    c->inside = c->obs && n ? (double)inside / n : NAN;
    free(col);
}

static void clear_stats(struct bt *b)
{
    int R = b->sim.reps;
    double *x = xmalloc((size_t)R * sizeof *x);
    b->censored = 0;
    for (int r = 0; r < R; r++) {
        x[r] = b->sim.clear_s[r];
        b->censored += !b->sim.cleared[r];
    }
    struct stats_summary s;
    stats_summarize(x, (size_t)R, &s);
    b->clear_mean = s.mean;
    b->clear_lo = s.ci_lo;
    b->clear_hi = s.ci_hi;
    b->clear_p2_5 = stats_quantile(x, (size_t)R, 0.025);
    b->clear_p97_5 = stats_quantile(x, (size_t)R, 0.975);
    b->clear_min = s.min;
    free(x);
}

static void fmt_dur(double s, char *buf, size_t len)
{
    units_format_duration(s, buf, len);
}

static void print_text(const struct bt *b, FILE *out)
{
    char a[32], c[32], d[32], e[32], f[32], w[20], n[32];
    fprintf(out, "backtest: %s\n", b->scn.name);
    origin_text(out, "  ", &b->scn.origin);
    units_format_count((double)b->m.ro.users, n, sizeof n);
    calscn_when(b->m.ro.start_s, w, sizeof w);
    fprintf(out, "  replayed: the log's rollout, %s %s jobs from %s; %d replications, seed %llu\n",
            n, job_kind_name(b->m.ro.kind), w, b->sim.reps, (unsigned long long)b->scn.seed);
    fmt_dur(b->m.ro.clear_s, a, sizeof a);
    fprintf(out, "clear time observed:  %s%s\n", b->m.ro.cleared ? "" : "at least ", a);
    if (b->censored) {
        fmt_dur(b->clear_min, c, sizeof c);
        fprintf(out, "clear time simulated: NOT CLEARED in %d of %d replications: at least %s "
                "(no interval: a bound is not an estimate)\n", b->censored, b->sim.reps, c);
    } else {
        fmt_dur(b->clear_mean, c, sizeof c);
        fmt_dur(b->clear_lo, d, sizeof d);
        fmt_dur(b->clear_hi, e, sizeof e);
        fprintf(out, "clear time simulated: %s (95%% CI %s - %s)\n", c, d, e);
        fmt_dur(b->clear_p2_5, d, sizeof d);
        fmt_dur(b->clear_p97_5, f, sizeof f);
        fprintf(out, "  95%% prediction interval over replications: %s - %s; the observed "
                "clear time is %s it (simulated - observed: %+.0f s)\n", d, f,
                b->observed_inside ? "inside" : "OUTSIDE", b->clear_mean - b->m.ro.clear_s);
    }
    fprintf(out, "minutes with the observed value inside the simulated 90%% band (of %d):\n",
            b->m.obs.nmin);
    for (int k = 0; k < BT_NCURVES; k++) {
        if (!b->c[k].obs) {
            fprintf(out, "  %-14s not in the log\n", b->c[k].label);
            continue;
        }
        double so = 0, ss = 0;
        for (int m = 0; m < b->m.obs.nmin; m++)
            so += b->c[k].obs[m], ss += b->c[k].mean[m];
        fprintf(out, "  %-14s %3.0f%%  (observed %s in all, simulated mean %.1f%s)\n",
                b->c[k].label, 100 * b->c[k].inside,
                (units_format_count(so, a, sizeof a), a), ss,
                k == BT_FAILED ? " job-minutes" : "");
    }
}

static int replay(struct bt *b, const struct backtest_opts *o, char *err, size_t errlen)
{
    struct scenario orig;
    if (scn_load(o->scenario, NULL, 0, &orig, err, errlen))
        return 2;
    cJSON *doc = calscn_read_tree(o->scenario, err, errlen);
    if (!doc) {
        scn_fini(&orig);
        return 2;
    }
    calscn_replay(doc, &b->m);
    if (o->reps > 0)
        set_num(doc, "replications", o->reps);
    if (o->seed >= 0)
        set_num(doc, "seed", (double)o->seed);
    int rc = calscn_load(doc, &b->scn, err, errlen) ? 2 : 0;
    if (rc == 0) {
        /* provenance: the file as given, with the replay as its overrides */
        char sets[3][160];
        const char *p[3] = {sets[0], sets[1], sets[2]};
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(doc, "start");
        const cJSON *ro = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(
                              cJSON_GetObjectItemCaseSensitive(doc, "workload"), "rollouts"), 0);
        char *rs = cJSON_PrintUnformatted(ro);
        snprintf(sets[0], sizeof sets[0], "start=%s", cJSON_IsString(st) ? st->valuestring : "?");
        snprintf(sets[1], sizeof sets[1], "horizon=auto");
        snprintf(sets[2], sizeof sets[2], "workload.rollouts=[%s]", rs ? rs : "");
        cJSON_free(rs);
        scn_set_origin(&b->scn, o->scenario, p, 3);
        memcpy(b->scn.origin.sha256, orig.origin.sha256, sizeof b->scn.origin.sha256);
        free(b->scn.name);
        b->scn.name = xstrdup(orig.name);
    }
    cJSON_Delete(doc);
    scn_fini(&orig);
    return rc;
}

int backtest_run(const struct backtest_opts *o, FILE *out, char *err, size_t errlen)
{
    struct bt b;
    memset(&b, 0, sizeof b);
    struct okta_log ok;
    struct access_log ac;
    const struct meas_src *l = &o->logs;
    int rc = meas_read(l, &ok, &ac, &b.m, err, errlen) ? 2 : 0, have_scn = 0;
    if (rc == 0 && (rc = replay(&b, o, err, errlen)) == 0) {
        have_scn = 1;
        simc_run(&b.scn, b.m.obs.nmin, b.scn.replications, &b.sim);
        static const char *const labels[BT_NCURVES] = {"completions", "429s", "failed tasks"};
        const double *obs[BT_NCURVES] = {b.m.obs.done, b.m.obs.throttled, b.m.obs.failed};
        const double *sim[BT_NCURVES] = {b.sim.done, b.sim.throttled, b.sim.failed};
        for (int k = 0; k < BT_NCURVES; k++) {
            b.c[k].name = btres_curve_key[k];
            b.c[k].label = labels[k];
            b.c[k].obs = obs[k];
            band(sim[k], b.sim.reps, b.m.obs.nmin, &b.c[k]);
        }
        clear_stats(&b);
        b.observed_inside = !b.censored && b.m.ro.clear_s >= b.clear_p2_5 &&
                            b.m.ro.clear_s <= b.clear_p97_5;
        b.okta_name = l->okta_log ? file_shown_name(l->okta_log) : NULL;
        b.access_name = l->access_log ? file_shown_name(l->access_log) : NULL;
        b.okta_sha256 = l->okta_log ? ok.sha256 : NULL;
        b.access_sha256 = l->access_log ? ac.sha256 : NULL;
        b.app = l->app ? l->app : ok.napps == 1 ? ok.apps[0] : NULL;
        b.agent = l->agent;
        b.utc_offset_s = l->utc_offset_s;
        if (o->out_dir && bt_write(&b, o->out_dir, err, errlen)) {
            rc = 1;
        } else {
            print_text(&b, out);
            /* the charts as provsim plot draws them; gnuplot missing is
             * said on stderr and is no failure: the data is written */
            if (o->out_dir && o->plot && plot_after_run(o->out_dir, out) != 0) {
                rc = 1;
                err[0] = '\0'; /* plot_after_run has said why */
            }
        }
    }
    for (int k = 0; k < BT_NCURVES; k++) {
        free(b.c[k].mean);
        free(b.c[k].p5);
        free(b.c[k].p95);
    }
    simc_fini(&b.sim);
    if (have_scn)
        scn_fini(&b.scn);
    meas_fini(&b.m);
    okta_log_fini(&ok);
    access_log_fini(&ac);
    return rc;
}

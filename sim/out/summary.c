/* summary.c -- see summary.h. */
#include "out/summary.h"

#include "base/units.h"
#include "base/util.h"
#include "out/breakdown.h"
#include "models/workload.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

/* ---- text -------------------------------------------------------------- */

static void fmt_value(char *buf, size_t len, enum metric m, double v)
{
    if (!isfinite(v)) {
        snprintf(buf, len, "-");
        return;
    }
    switch (metric_table[m].unit) {
    case METRIC_UNIT_SECONDS:
        units_format_duration(v, buf, len);
        break;
    case METRIC_UNIT_COUNT:
        if (fabs(v) >= 100.0 || v == floor(v))
            snprintf(buf, len, "%.0f", v);
        else
            snprintf(buf, len, "%.1f", v);
        break;
    case METRIC_UNIT_RATIO:
        if (m == METRIC_CLEARED || m == METRIC_EFFICIENCY)
            snprintf(buf, len, "%.0f%%", 100.0 * v);
        else
            snprintf(buf, len, "%.2f", v);
        break;
    }
}

void summary_format_value(char *buf, size_t len, enum metric m, double v)
{
    fmt_value(buf, len, m, v);
}

static void line(FILE *f, const struct run_result *r, enum metric m)
{
    const struct stats_summary *s = &r->sum[m];
    char mean[32], lo[32], hi[32];
    fmt_value(mean, sizeof mean, m, s->mean);
    if (!isfinite(s->mean)) {
        /* e.g. a lower bound no limiter rate reaches: no CI to show */
        fprintf(f, "  %-38s %12s\n", metric_table[m].label, "never");
        return;
    }
    if (s->n >= 2 && s->ci_lo != s->ci_hi) {
        /* every metric is >= 0: a t interval reaching below 0 is shown from
         * 0 (the JSON keeps the raw bound) */
        fmt_value(lo, sizeof lo, m, s->ci_lo > 0.0 ? s->ci_lo : 0.0);
        fmt_value(hi, sizeof hi, m, s->ci_hi);
        fprintf(f, "  %-38s %12s   %s - %s\n", metric_table[m].label, mean, lo, hi);
    } else {
        fprintf(f, "  %-38s %12s\n", metric_table[m].label, mean);
    }
}

void summary_text(FILE *f, const struct scenario *s, const struct run_result *r,
                  const struct summary_perf *perf)
{
    char start[32], horizon[32], when[32];
    units_format_datetime(s->start_epoch_s, start, sizeof start);
    units_format_duration(s->horizon_s, horizon, sizeof horizon);
    fprintf(f, "%s\n", s->name);
    fprintf(f, "  start %s, horizon %s, %d replications, seed %llu\n", start, horizon, r->reps,
            (unsigned long long)s->seed);
    if (r->precision > 0) {
        /* --precision: say how many replications the stopping rule needed */
        const struct stats_summary *ct = &r->sum[METRIC_CLEAR_TIME];
        double rel = ct->mean != 0.0 ? (ct->ci_hi - ct->mean) / fabs(ct->mean) : 0.0;
        if (r->precision_reached)
            fprintf(f, "  precision %g%% reached after %d replications (95%% CI half-width of "
                       "clear time %.2g%% of its mean)\n",
                    100.0 * r->precision, r->reps, 100.0 * rel);
        else
            fprintf(f, "  precision %g%% NOT reached: stopped at the cap of %d replications "
                       "(95%% CI half-width of clear time %.2g%% of its mean; raise --reps)\n",
                    100.0 * r->precision, r->reps, 100.0 * rel);
    }
    for (int i = 0; i < s->nrollouts; i++) {
        const struct wl_rollout *ro = &s->rollouts[i];
        units_format_clock(s->start_epoch_s + (int64_t)ro->at_s, when, sizeof when);
        long nb = wl_batches(ro);
        fprintf(f, "  rollout %d: %ld %s jobs from %s", i + 1, ro->users, job_kind_name(ro->kind),
                when);
        if (nb > 1) {
            char iv[32];
            units_format_duration(ro->batch_interval_s, iv, sizeof iv);
            fprintf(f, ", %ld batches of %ld every %s", nb, ro->batch_size, iv);
        }
        fputs("\n", f);
    }
    char head[256];
    breakdown_headline(s, r, head, sizeof head);
    if (*head)
        fprintf(f, "  %s\n", head);
    fprintf(f, "\n  %-38s %12s   %s\n", "", "mean", "95% CI");
    if (s->nrollouts > 0) {
        fputs("Rollout\n", f);
        line(f, r, METRIC_CLEAR_TIME);
        double first = INFINITY;
        for (int i = 0; i < s->nrollouts; i++)
            first = fmin(first, s->rollouts[i].at_s);
        units_format_clock(s->start_epoch_s + (int64_t)llround(first + r->sum[METRIC_CLEAR_TIME].mean),
                           when, sizeof when);
        fprintf(f, "  %-38s %12s\n", "  (last job done at, mean)", when);
        line(f, r, METRIC_FAILED_TASKS_ZERO);
        line(f, r, METRIC_CLEARED);
        line(f, r, METRIC_LOWER_BOUND);
        line(f, r, METRIC_EFFICIENCY);
        line(f, r, METRIC_ROLLOUT_P50);
        line(f, r, METRIC_ROLLOUT_P95);
        line(f, r, METRIC_ROLLOUT_P99);
        line(f, r, METRIC_ROLLOUT_MAX);
        line(f, r, METRIC_ROLLOUT_JOB_ATTEMPTS);
        int groups = 0;
        for (int i = 0; i < s->nrollouts; i++)
            groups |= s->rollouts[i].group.groups > 0;
        if (groups) {
            line(f, r, METRIC_GROUP_JOBS);
            line(f, r, METRIC_GROUP_CLEAR_TIME);
        }
    }
    fputs("Client (rollout + background jobs)\n", f);
    for (enum metric m = METRIC_JOBS; m <= METRIC_PEAK_FAILED_TASKS; m++)
        if (m != METRIC_CLEARED && m != METRIC_ROLLOUT_JOB_ATTEMPTS &&
            (m != METRIC_PARKED || s->client.on_error == CLIENT_ON_ERROR_PARK))
            line(f, r, m);
    if (r->sum[METRIC_PARKED].mean > 0.0)
        fprintf(f, "  -> %.0f jobs (mean) failed with a 5xx and were parked: an admin must "
                   "retry them by hand\n",
                r->sum[METRIC_PARKED].mean);
    if (s->background.enabled) {
        fputs("Background jobs (everyday joiners, movers, leavers)\n", f);
        line(f, r, METRIC_BACKGROUND_JOBS);
        line(f, r, METRIC_BACKGROUND_LAT_MEAN);
        line(f, r, METRIC_BACKGROUND_LAT_P95);
        line(f, r, METRIC_BACKGROUND_THROTTLED);
    }
    if (s->other.enabled) {
        fputs("Other clients of the same API\n", f);
        line(f, r, METRIC_OTHER_REQUESTS);
        line(f, r, METRIC_OTHER_THROTTLED);
    }
    breakdown_text(f, s, r);
    fputs("Engine\n", f);
    line(f, r, METRIC_EVENTS);
    if (perf)
        fprintf(f, "  wall time %.3f s, %.3g events/s, peak memory %.1f MiB\n", perf->wall_s,
                perf->wall_s > 0 ? perf->events / perf->wall_s : 0.0,
                (double)perf->peak_rss_bytes / (1024.0 * 1024.0));
}

/* ---- JSON -------------------------------------------------------------- */

static void add_num(cJSON *o, const char *k, double v)
{
    /* cJSON prints non-finite numbers as null, which is what we want for
     * a CI that one replication cannot give */
    cJSON_AddNumberToObject(o, k, v);
}

void summary_add_stats(cJSON *parent, const char *key, const struct stats_summary *st)
{
    cJSON *o = cJSON_AddObjectToObject(parent, key);
    add_num(o, "mean", st->mean);
    add_num(o, "sd", st->sd);
    add_num(o, "ci95_lo", st->ci_lo);
    add_num(o, "ci95_hi", st->ci_hi);
    add_num(o, "min", st->min);
    add_num(o, "max", st->max);
}

char *summary_json(const struct scenario *s, const struct run_result *r,
                   const struct summary_perf *perf)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "scenario", s->name);
    add_num(root, "seed", (double)s->seed);
    add_num(root, "replications", r->reps);
    if (r->precision > 0) {
        cJSON *pr = cJSON_AddObjectToObject(root, "precision");
        add_num(pr, "target", r->precision);
        cJSON_AddBoolToObject(pr, "reached", r->precision_reached);
    }
    cJSON *ms = cJSON_AddObjectToObject(root, "metrics");
    for (int m = 0; m < METRIC_COUNT; m++)
        summary_add_stats(ms, metric_table[m].name, &r->sum[m]);
    breakdown_json(root, s, r);
    if (perf) {
        cJSON *p = cJSON_AddObjectToObject(root, "perf");
        add_num(p, "wall_s", perf->wall_s);
        add_num(p, "events", perf->events);
        add_num(p, "events_per_s", perf->wall_s > 0 ? perf->events / perf->wall_s : 0.0);
        add_num(p, "peak_rss_bytes", (double)perf->peak_rss_bytes);
    }
    char *out = cJSON_Print(root);
    cJSON_Delete(root);
    if (!out)
        xoom("cJSON_Print");
    return out;
}

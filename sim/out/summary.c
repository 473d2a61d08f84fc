/* summary.c -- see summary.h. */
#include "out/summary.h"

#include "base/units.h"
#include "base/util.h"
#include "out/breakdown.h"
#include "models/workload.h"
#include "out/origin.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

/* ---- text -------------------------------------------------------------- */

/* Harm metrics are paired differences: they may be below 0. */
static int is_signed(enum metric m)
{
    return m >= METRIC_HARM_OTHER_THROTTLED && m <= METRIC_HARM_BG_DELAYED_JOBS;
}

static void fmt_value(char *buf, size_t len, enum metric m, double v)
{
    if (!isfinite(v)) {
        snprintf(buf, len, "-");
        return;
    }
    if (v < 0 && len > 1 && metric_table[m].unit != METRIC_UNIT_RATIO) {
        /* a difference below 0; the units format magnitudes */
        buf[0] = '-';
        fmt_value(buf + 1, len - 1, m, -v);
        return;
    }
    switch (metric_table[m].unit) {
    case METRIC_UNIT_SECONDS:
        units_format_duration(v, buf, len);
        break;
    case METRIC_UNIT_COUNT:
        summary_format_count(buf, len, v);
        break;
    case METRIC_UNIT_RATIO:
        if (m == METRIC_CLEARED || m == METRIC_EFFICIENCY || m == METRIC_FAILED_TASKS_CLEARED)
            snprintf(buf, len, "%.0f%%", 100.0 * v);
        else
            snprintf(buf, len, "%.2f", v);
        break;
    }
}

void summary_format_count(char *buf, size_t len, double v)
{
    if (fabs(v) >= 100.0 || v == floor(v))
        units_format_count(v, buf, len);
    else
        snprintf(buf, len, "%.1f", v);
}

void summary_format_value(char *buf, size_t len, enum metric m, double v)
{
    fmt_value(buf, len, m, v);
}

/* One metric: its label, mean and CI; prefix ("at least ") marks a
 * censored mean, which then has no CI (it bounds the truth, it is not an
 * estimate of it). */
static void line_as(FILE *f, const struct run_result *r, enum metric m, const char *label,
                    const char *prefix)
{
    const struct stats_summary *s = &r->sum[m];
    char mean[48], shown[80], lo[32], hi[32];
    fmt_value(mean, sizeof mean, m, s->mean);
    if (!isfinite(s->mean)) {
        /* e.g. a lower bound no limiter rate reaches: no CI to show */
        fprintf(f, "  %-38s %12s\n", label, "never");
        return;
    }
    snprintf(shown, sizeof shown, "%s%s", prefix ? prefix : "", mean);
    if (!prefix && s->n >= 2 && s->ci_lo != s->ci_hi) {
        /* every metric but the harm differences is >= 0: a t interval
         * reaching below 0 is shown from 0 (the JSON keeps the raw bound) */
        fmt_value(lo, sizeof lo, m, s->ci_lo > 0.0 || is_signed(m) ? s->ci_lo : 0.0);
        fmt_value(hi, sizeof hi, m, s->ci_hi);
        /* "to" where a bound may be negative: "-38 - 1,021" would misread */
        fprintf(f, "  %-38s %12s   %s %s %s\n", label, shown, lo, is_signed(m) ? "to" : "-", hi);
    } else {
        fprintf(f, "  %-38s %12s\n", label, shown);
    }
}

static void line(FILE *f, const struct run_result *r, enum metric m)
{
    line_as(f, r, m, metric_table[m].label, NULL);
}

/* Replications whose failed-task list was not empty at the end, and
 * those of them where the rollout was done: exhausted jobs keep it
 * non-empty for good ("never"). */
static void failed_list_censoring(const struct run_result *r, int *open, int *never)
{
    *open = *never = 0;
    for (int k = 0; k < r->reps; k++) {
        const double *v = r->values + (size_t)k * METRIC_COUNT;
        if (v[METRIC_FAILED_TASKS_CLEARED] < 1.0) {
            (*open)++;
            *never += v[METRIC_CLEARED] >= 1.0;
        }
    }
}

static void rollout_section(FILE *f, const struct scenario *s, const struct run_result *r)
{
    char when[32], v[48], note[160];
    fputs("Rollout\n", f);
    int cens = r->censored;
    line_as(f, r, METRIC_CLEAR_TIME, metric_table[METRIC_CLEAR_TIME].label,
            cens ? "at least " : NULL);
    if (cens) {
        fprintf(f, "  %-38s %12s\n", "  (last job done at)", "not all done");
    } else {
        double first = INFINITY;
        for (int i = 0; i < s->nrollouts; i++)
            first = fmin(first, s->rollouts[i].at_s);
        /* + 30 s: to the nearest minute, as the durations round */
        double done = first + r->sum[METRIC_CLEAR_TIME].mean + 30.0;
        units_format_clock(s->start_epoch_s + (int64_t)llround(done), when, sizeof when);
        fprintf(f, "  %-38s %12s\n", "  (last job done at, mean)", when);
    }
    int open, never;
    failed_list_censoring(r, &open, &never);
    if (open == 0 && r->sum[METRIC_FAILED_TASKS_ZERO].max == 0.0)
        fprintf(f, "  %-38s %12s\n", metric_table[METRIC_FAILED_TASKS_ZERO].label,
                "never failed");
    else if (never > 0 && never == open)
        fprintf(f, "  %-38s %12s   (exhausted jobs stay on the list in %d of %d)\n",
                metric_table[METRIC_FAILED_TASKS_ZERO].label, "never", never, r->reps);
    else
        line_as(f, r, METRIC_FAILED_TASKS_ZERO, metric_table[METRIC_FAILED_TASKS_ZERO].label,
                open ? "at least " : NULL);
    line(f, r, METRIC_CLEARED);
    line(f, r, METRIC_LOWER_BOUND);
    if (r->strict_bound_s < r->lower_bound_s) {
        /* efficiency is over this part: the rest holds for the mean only */
        fmt_value(v, sizeof v, METRIC_LOWER_BOUND, r->strict_bound_s);
        fprintf(f, "  %-38s %12s\n", "  (in every replication)", v);
    }
    fmt_value(v, sizeof v, METRIC_EFFICIENCY, r->sum[METRIC_EFFICIENCY].mean);
    if (cens) {
        snprintf(note, sizeof note, "at most %s", v);
        fprintf(f, "  %-38s %12s\n", metric_table[METRIC_EFFICIENCY].label, note);
    } else {
        line(f, r, METRIC_EFFICIENCY);
    }
    line(f, r, METRIC_FAIR_SHARE);
    const char *fin = cens ? " (finished jobs)" : "";
    static const enum metric lat[] = {METRIC_ROLLOUT_P50, METRIC_ROLLOUT_P95, METRIC_ROLLOUT_P99,
                                      METRIC_ROLLOUT_MAX};
    for (size_t i = 0; i < sizeof lat / sizeof *lat; i++) {
        snprintf(note, sizeof note, "%s%s", metric_table[lat[i]].label, fin);
        line_as(f, r, lat[i], note, NULL);
    }
    line(f, r, METRIC_ROLLOUT_JOB_ATTEMPTS);
    int groups = 0;
    for (int i = 0; i < s->nrollouts; i++)
        groups |= s->rollouts[i].group.groups > 0;
    if (groups) {
        line(f, r, METRIC_GROUP_JOBS);
        line_as(f, r, METRIC_GROUP_CLEAR_TIME, metric_table[METRIC_GROUP_CLEAR_TIME].label,
                cens ? "at least " : NULL);
    }
}

/* Work per second of wall time: the replications' and the rollout-free
 * replications' together, the whole work the run did. */
static double per_s(const struct summary_perf *perf, double work)
{
    return perf->wall_s > 0 ? work / perf->wall_s : 0.0;
}

void summary_text(FILE *f, const struct scenario *s, const struct run_result *r,
                  const struct summary_perf *perf)
{
    char start[32], horizon[32];
    if (r->censored) {
        /* first, before anything can be read as a result */
        char v[48];
        fmt_value(v, sizeof v, METRIC_CLEAR_TIME, r->sum[METRIC_CLEAR_TIME].min);
        fprintf(f,
                "WARNING: NOT CLEARED within the horizon in %d of %d replications: the clear "
                "time is at least %s; figures marked \"at least\" are censored\n",
                r->censored, r->reps, v);
    }
    units_format_datetime(s->start_epoch_s, start, sizeof start);
    units_format_duration(s->horizon_s, horizon, sizeof horizon);
    fprintf(f, "%s\n", s->name);
    if (s->horizon_auto) {
        char settle[32];
        units_format_duration(s->settle_s, settle, sizeof settle);
        fprintf(f, "  start %s, horizon auto (rollout done + %s settle, at most %s), %d "
                   "replications, seed %llu\n",
                start, settle, horizon, r->reps, (unsigned long long)s->seed);
    } else {
        fprintf(f, "  start %s, horizon %s, %d replications, seed %llu\n", start, horizon,
                r->reps, (unsigned long long)s->seed);
    }
    origin_text(f, "  ", &s->origin);
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
        char ro[256];
        scn_rollout_text(s, i, ro, sizeof ro);
        fprintf(f, "  rollout %d: %s\n", i + 1, ro);
    }
    char head[256];
    breakdown_headline(s, r, head, sizeof head);
    if (*head)
        fprintf(f, "  %s\n", head);
    fprintf(f, "\n  %-38s %12s   %s\n", "", "mean", "95% CI");
    if (s->nrollouts > 0)
        rollout_section(f, s, r);
    if (s->nrollouts > 0 && (s->background.enabled || s->other.enabled)) {
        char thr[32];
        units_format_duration(s->harm_delay_threshold_s, thr, sizeof thr);
        fputs("Harm caused by the rollout (paired against the same day without it)\n", f);
        if (s->other.enabled)
            line(f, r, METRIC_HARM_OTHER_THROTTLED);
        if (s->background.enabled) {
            line(f, r, METRIC_HARM_BG_THROTTLED);
            line(f, r, METRIC_HARM_BG_DELAY_MEAN);
            line(f, r, METRIC_HARM_BG_DELAY_MAX);
            char lab[64];
            snprintf(lab, sizeof lab, "background jobs delayed > %s", thr);
            line_as(f, r, METRIC_HARM_BG_DELAYED_JOBS, lab, NULL);
        }
    }
    fputs("Client (rollout + background jobs), the day's totals\n", f);
    for (enum metric m = METRIC_JOBS; m <= METRIC_PEAK_FAILED_TASKS; m++)
        if (m != METRIC_CLEARED && m != METRIC_ROLLOUT_JOB_ATTEMPTS &&
            (m != METRIC_PARKED || s->client.on_error == CLIENT_ON_ERROR_PARK))
            line(f, r, m);
    if (r->sum[METRIC_PARKED].mean > 0.0)
        fprintf(f, "  -> %.0f jobs (mean) failed with a 5xx and were parked: an admin must "
                   "retry them by hand\n",
                r->sum[METRIC_PARKED].mean);
    if (s->background.enabled) {
        fputs("Background jobs (everyday joiners, movers, leavers), the day's totals\n", f);
        line(f, r, METRIC_BACKGROUND_JOBS);
        line(f, r, METRIC_BACKGROUND_LAT_MEAN);
        line(f, r, METRIC_BACKGROUND_LAT_P95);
        line(f, r, METRIC_BACKGROUND_THROTTLED);
    }
    if (s->other.enabled) {
        fputs("Other clients of the same API, the day's totals\n", f);
        line(f, r, METRIC_OTHER_REQUESTS);
        line(f, r, METRIC_OTHER_THROTTLED);
    }
    breakdown_text(f, s, r);
    fputs("Engine\n", f);
    line(f, r, METRIC_EVENTS);
    if (perf)
        fprintf(f, "  wall time %.3f s, %.3g requests/s, %.3g events/s, peak memory %.1f MiB\n",
                perf->wall_s, per_s(perf, perf->requests + perf->rf_requests),
                per_s(perf, perf->events + perf->rf_events),
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
    origin_add_json(root, &s->origin, s->seed, r->reps);
    /* replications in which some rollout job was not done at the horizon:
     * their clear time (and what depends on it) is a lower bound */
    add_num(root, "censored_replications", r->censored);
    int open, never;
    failed_list_censoring(r, &open, &never);
    add_num(root, "failed_tasks_open_replications", open);
    add_num(root, "failed_tasks_never_replications", never);
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
        add_num(p, "requests", perf->requests);
        add_num(p, "rollout_free_events", perf->rf_events);
        add_num(p, "rollout_free_requests", perf->rf_requests);
        add_num(p, "rollout_free_s", perf->rf_s);
        add_num(p, "events_per_s", per_s(perf, perf->events + perf->rf_events));
        add_num(p, "requests_per_s", per_s(perf, perf->requests + perf->rf_requests));
        add_num(p, "peak_rss_bytes", (double)perf->peak_rss_bytes);
    }
    char *out = cJSON_Print(root);
    cJSON_Delete(root);
    if (!out)
        xoom("cJSON_Print");
    return out;
}

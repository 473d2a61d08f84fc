/* report_backtest.c -- the content of a backtest's report, from
 * DIR/backtest.json (read and checked by btresult.h): what was replayed
 * against which log, the verdict on the clear time (the observed value
 * against the simulated mean, its 95% CI and the 95% prediction
 * interval), for each curve the share of minutes inside the simulated 90%
 * band, and a table of the same. The verdicts are the file's, which
 * btresult has checked against its own numbers: when the observed clear
 * time is outside the interval, the report says OUTSIDE. */
#include "out/report_parts.h"

#include "base/units.h"
#include "out/btresult.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* what each curve is, in a sentence and in the table */
static const char *const curve_what[BTRES_NCURVES] = {"Completions per minute",
                                                      "429s per minute to the client",
                                                      "Rollout jobs on the failed-task list"};
static const char *const curve_row[BTRES_NCURVES] = {"completions", "429s", "failed tasks"};
/* the failed-task list is a state, so its sum over minutes is in job-minutes */
static const char *const curve_unit[BTRES_NCURVES] = {"", "", " job-minutes"};

static void dur(char *buf, size_t len, double s)
{
    units_format_duration(s, buf, len);
}

/* 12188.14 -> "12,188.1": a mean over replications keeps a decimal */
static void fmt_mean(char *buf, size_t len, double v)
{
    char whole[64];
    double w = floor(v + 0.05);
    units_format_count(w, whole, sizeof whole);
    snprintf(buf, len, "%s.%d", whole, (int)floor((v - w + 0.05) * 10));
}

/* "+01:00" */
static void fmt_offset(char *buf, size_t len, double s)
{
    int m = (int)lround(fabs(s) / 60);
    snprintf(buf, len, "%c%02d:%02d", s < 0 ? '-' : '+', m / 60, m % 60);
}

static void bt_facts(struct doc *d, const struct btres *b)
{
    snprintf(d->title, sizeof d->title, "Backtest: %s", b->scenario);
    report_provenance_facts(d, b->provenance, "Scenario");
    if (b->okta_log)
        doc_fact(d, "System Log", "%s%s%s%s%s%s", b->okta_log, b->okta_sha256 ? " (SHA-256 " : "",
                 b->okta_sha256 ? b->okta_sha256 : "", b->okta_sha256 ? ")" : "",
                 b->app ? ", app " : "", b->app ? b->app : "");
    if (b->access_log)
        doc_fact(d, "Access log", "%s%s%s%s%s%s%s", b->access_log,
                 b->access_sha256 ? " (SHA-256 " : "", b->access_sha256 ? b->access_sha256 : "",
                 b->access_sha256 ? ")" : "",
                 b->agent ? ", requests whose user agent contains \"" : "",
                 b->agent ? b->agent : "", b->agent ? "\"" : "");
    if (isfinite(b->utc_offset_s)) {
        char off[16];
        fmt_offset(off, sizeof off, b->utc_offset_s);
        doc_fact(d, "Clock", "the scenario's clock is UTC%s (--utc-offset)", off);
    }
    char n[48];
    report_fmt_count(n, sizeof n, b->users);
    doc_fact(d, "Replayed rollout", "the log's: %s %s jobs from %s", n, b->kind, b->start);
    if (isfinite(b->seed))
        doc_fact(d, "Replications", "%d (seed %.0f)", b->reps, b->seed);
    else
        doc_fact(d, "Replications", "%d", b->reps);
    doc_fact(d, "Compared", "%d minute%s from the rollout's start, minute by minute", b->minutes,
             b->minutes == 1 ? "" : "s");
}

static void clear_findings(struct doc *d, const struct btres *b)
{
    char o[48], m[48], lo[48], hi[48], diff[48];
    dur(o, sizeof o, b->obs_clear_s);
    const char *obs_is = b->obs_cleared ? "" : "at least ";
    if (!b->obs_cleared)
        doc_add(&d->findings,
                "The log ends before the rollout cleared: the observed clear time "
                "is a lower bound, at least %s.",
                o);
    if (b->censored) {
        dur(m, sizeof m, b->at_least);
        doc_add(&d->findings,
                "The simulated rollout did NOT CLEAR in %d of %d replications: its clear time is "
                "at least %s, so there is no simulated mean, CI or prediction interval (a bound "
                "is not an estimate), and the observed clear time (%s%s) cannot be placed "
                "inside one.",
                b->censored, b->reps, m, obs_is, o);
        return;
    }
    dur(m, sizeof m, b->mean);
    dur(lo, sizeof lo, fmax(b->ci_lo, 0));
    dur(hi, sizeof hi, b->ci_hi);
    double dv = b->mean - b->obs_clear_s;
    dur(diff, sizeof diff, fabs(dv));
    doc_add(&d->findings,
            "Observed clear time %s%s; simulated mean %s (95%% CI %s \xe2\x80\x93 %s), %s%s.",
            obs_is, o, m, lo, hi, fabs(dv) < 0.5 ? "the same to the second" : diff,
            fabs(dv) < 0.5 ? ""
            : dv > 0       ? " later than observed"
                           : " earlier than observed");
    dur(lo, sizeof lo, b->p2_5);
    dur(hi, sizeof hi, b->p97_5);
    if (b->observed_inside)
        doc_add(&d->findings,
                "The observed clear time is inside the simulated 95%% prediction interval "
                "(%s \xe2\x80\x93 %s, where 95%% of replications fall): on its clear time, the "
                "log is consistent with the scenario.",
                lo, hi);
    else
        doc_add(&d->findings,
                "The observed clear time is OUTSIDE the simulated 95%% prediction interval "
                "(%s \xe2\x80\x93 %s, where 95%% of replications fall): the scenario does not "
                "reproduce this rollout's clear time.",
                lo, hi);
}

static void curve_findings(struct doc *d, const struct btres *b)
{
    for (int k = 0; k < BTRES_NCURVES; k++) {
        const struct btres_curve *c = &b->c[k];
        char ot[48], mt[48];
        if (!c->obs) {
            fmt_mean(mt, sizeof mt, c->mean_total);
            doc_add(&d->findings,
                    "%s: not compared, the log cannot show it (simulated mean %s%s in all).",
                    curve_what[k], mt, curve_unit[k]);
            continue;
        }
        report_fmt_count(ot, sizeof ot, c->obs_total);
        fmt_mean(mt, sizeof mt, c->mean_total);
        doc_add(&d->findings,
                "%s: the observed value is inside the simulated 90%% band in %d of %d minutes "
                "(%.0f%%); observed %s%s in all, simulated mean %s%s.",
                curve_what[k], c->inside_minutes, b->minutes, 100 * c->inside, ot, curve_unit[k],
                mt, curve_unit[k]);
    }
}

static void bt_table(struct doc *d, const struct btres *b)
{
    snprintf(d->table_title, sizeof d->table_title, "Observed against simulated");
    snprintf(d->table_note, sizeof d->table_note,
             "Clear time: the 95%% CI is of the simulated mean over the replications; the 95%% "
             "prediction interval is their 2.5%% and 97.5%% points, where one more replication "
             "would fall with probability 95%%. Curves: totals over the %d minutes; the band "
             "is each minute's 5%% and 95%% points over replications. Were the log one more "
             "replication, each minute would be inside its band with probability about 90%% "
             "(more where counts are small and the band's ends tie). backtest.csv has the "
             "curves minute by minute.",
             b->minutes);
    d->table.textcols = 1;
    doc_add(&d->table.head, "quantity");
    doc_add(&d->table.head, "observed");
    doc_add(&d->table.head, "simulated mean");
    doc_add(&d->table.head, "simulated interval");
    doc_add(&d->table.head, "observed inside");
    char a[256], s1[48], s2[48];
    doc_cell(&d->table, "clear time", NULL);
    dur(s1, sizeof s1, b->obs_clear_s);
    snprintf(a, sizeof a, "%s%s", b->obs_cleared ? "" : "at least ", s1);
    doc_cell(&d->table, a, NULL);
    if (b->censored) {
        dur(s1, sizeof s1, b->at_least);
        snprintf(a, sizeof a, "at least %s", s1);
        snprintf(s2, sizeof s2, "NOT CLEARED in %d of %d", b->censored, b->reps);
        doc_cell(&d->table, a, s2);
        doc_cell(&d->table, "none (censored)", NULL);
        doc_cell(&d->table, "-", NULL);
    } else {
        dur(a, sizeof a, b->mean);
        dur(s1, sizeof s1, fmax(b->ci_lo, 0));
        dur(s2, sizeof s2, b->ci_hi);
        char ci[128];
        snprintf(ci, sizeof ci, "95%% CI %s \xe2\x80\x93 %s", s1, s2);
        doc_cell(&d->table, a, ci);
        dur(s1, sizeof s1, b->p2_5);
        dur(s2, sizeof s2, b->p97_5);
        snprintf(a, sizeof a, "%s \xe2\x80\x93 %s", s1, s2);
        doc_cell(&d->table, a, "95% prediction interval");
        doc_cell(&d->table, b->observed_inside ? "yes" : "NO", NULL);
    }
    for (int k = 0; k < BTRES_NCURVES; k++) {
        const struct btres_curve *c = &b->c[k];
        doc_cell(&d->table, curve_row[k], k == BTRES_FAILED ? "in job-minutes" : NULL);
        if (c->obs)
            report_fmt_count(a, sizeof a, c->obs_total);
        doc_cell(&d->table, c->obs ? a : "not in the log", NULL);
        fmt_mean(a, sizeof a, c->mean_total);
        doc_cell(&d->table, a, NULL);
        doc_cell(&d->table, "90% band per minute", NULL);
        if (c->obs)
            snprintf(a, sizeof a, "%d of %d minutes (%.0f%%)", c->inside_minutes, b->minutes,
                     100 * c->inside);
        doc_cell(&d->table, c->obs ? a : "-", NULL);
    }
}

int report_build_backtest(struct doc *d, const char *dir, char *err, size_t errlen)
{
    struct btres b;
    int rc = btres_read(&b, dir, err, errlen);
    if (rc)
        return rc == BTRES_BAD ? -2 : -1;
    bt_facts(d, &b);
    clear_findings(d, &b);
    curve_findings(d, &b);
    bt_table(d, &b);
    btres_fini(&b);
    return 0;
}

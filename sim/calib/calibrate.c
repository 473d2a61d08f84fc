/* calibrate.c -- provsim calibrate (see calibrate.h). */
#include "calib/calibrate.h"

#include "base/file.h"
#include "base/outfile.h"
#include "base/units.h"
#include "base/util.h"
#include "calib/calscn.h"
#include "calib/fit.h"
#include "logs/accesslog.h"
#include "logs/oktalog.h"
#include "models/endpoint.h"
#include "models/job.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The base scenario's tree, validated by the loader first. */
static cJSON *read_base(const char *path, char *err, size_t errlen)
{
    struct scenario s;
    if (scn_load(path, NULL, 0, &s, err, errlen))
        return NULL;
    scn_fini(&s);
    return calscn_read_tree(path, err, errlen);
}

/* The starting rate: what got through per second in the minutes with
 * 429s (a limiter that refuses is empty, so what it admits is its rate).
 * *throttled: 429s in all. */
static double start_rate(const struct meas *m, int steps, double *throttled)
{
    double got = 0, peak = 0;
    int k = 0;
    *throttled = 0;
    for (int i = 0; i < m->obs.nmin; i++) {
        double a = m->obs.accepted ? m->obs.accepted[i] : m->obs.done[i] * steps;
        peak = fmax(peak, a);
        *throttled += m->obs.throttled[i];
        if (m->obs.throttled[i] >= 1) {
            got += a;
            k++;
        }
    }
    return k ? got / k / 60.0 : fmax(1, peak / 60.0);
}

static void print_measured(FILE *out, const struct meas *m)
{
    char a[32], b[32], c[32];
    units_format_count((double)m->ro.users, a, sizeof a);
    calscn_when(m->ro.start_s, b, sizeof b);
    units_format_duration(m->ro.clear_s, c, sizeof c);
    fprintf(out, "rollout: %s %s jobs from %s, observed clear time %s%s%s\n", a,
            job_kind_name(m->ro.kind), b, m->ro.cleared ? "" : "at least ", c,
            m->ro.twice ? " (users assigned twice counted once)" : "");
    if (m->have_bg) {
        double peak = 0;
        int ph = 0, we = 0;
        for (int h = 0; h < 24; h++) {
            if (m->weekday[h] > peak)
                peak = m->weekday[h], ph = h, we = 0;
            if (m->weekend[h] > peak)
                peak = m->weekend[h], ph = h, we = 1;
        }
        fprintf(out, "background: %ld jobs outside the rollout; peak %.1f jobs/h (%s %02d:00)\n",
                m->bg_jobs, peak, we ? "weekend" : "weekday", ph);
    }
    if (!m->have_access)
        return;
    const struct meas_latency *l = &m->lat_all;
    fprintf(out, "latency: median %.1f ms, p95 %.1f ms over %ld accepted requests (lognormal; "
            "Kolmogorov-Smirnov distance %.3f)\n", l->median_s * 1e3, l->p95_s * 1e3, l->n, l->ks);
    for (int e = 0; e < EP_COUNT; e++) {
        if (!m->ep_requests[e])
            continue;
        const struct meas_latency *le = &m->lat_ep[e];
        fprintf(out, "  %-18s %8ld requests, %6ld 429s, peak %5.0f/min", ep_name(e),
                m->ep_requests[e], m->ep_throttled[e], m->ep_peak_per_min[e]);
        if (le->n)
            fprintf(out, ", median %.1f ms, p95 %.1f ms (KS %.3f)", le->median_s * 1e3,
                    le->p95_s * 1e3, le->ks);
        fputc('\n', out);
    }
    fprintf(out, "concurrency: %s %d in flight (median %g, p95 %g while any)\n",
            m->conc_exact ? "at most" : "about", m->conc_max, m->conc_p50, m->conc_p95);
    if (m->ra_n)
        fprintf(out, "Retry-After: %ld values, min %g s, median %g s, max %g s\n", m->ra_n,
                m->ra_min, m->ra_median, m->ra_max);
}

static const char *unit_of(int u)
{
    return u == CAL_RATE ? "/s" : u == CAL_JITTER ? " s" : u == CAL_WORKERS ? " workers" : " tokens";
}

/* The measured burst's note (calib/fit.h). */
static void note_burst(cJSON *doc, const struct meas *m, const struct fit_result *r)
{
    const struct meas_burst *b = &m->burst;
    calscn_note(doc, calscn_key(CAL_BURST), "measured: %.4g tokens (95%% interval %.4g-%.4g) from "
                "the access log: %ld requests admitted from the rollout's first request to its "
                "first 429 %.3f s later; a token bucket admits what it holds and then its rate, "
                "and refuses with under a token left: burst = %ld - %.4g/s x %.3f s + %.2f (what "
                "the client's %zu requests of the %.0f s before took, not yet refilled) + 0.5 (the "
                "token left, 0-1), with the fitted rate; interval: the rate's 95%% interval, the "
                "token left and the stamps' %s resolution; %s; the limiter's form (one token "
                "bucket on every request) is an assumption", r->value[CAL_BURST], r->lo[CAL_BURST],
                r->hi[CAL_BURST], b->admitted, b->span_s, b->admitted, r->value[CAL_RATE],
                b->span_s, r->deficit, b->nbefore, b->history_s, b->stamp_s >= 1 ? "1 s" : "1 ms",
                r->full ? "no 429 in those seconds: the bucket never ran empty"
                        : "NOT IDENTIFIED above: a 429 in those seconds emptied the bucket, so what "
                          "it held at the rollout's start is not known, the count is a lower bound "
                          "and the interval runs to the search's top");
}

static void note_fit(cJSON *doc, const struct meas *m, const struct fit_result *r,
                     const struct fit_opts *fo)
{
    for (int u = 0; u < CAL_NUNKNOWN; u++) {
        if (!r->fitted[u])
            continue;
        if (r->measured[u]) {
            note_burst(doc, m, r);
            continue;
        }
        if (u == CAL_BURST) {
            calscn_note(doc, calscn_key(u), "NOT IDENTIFIED: %.4g tokens is the search's best "
                        "against the per-minute completions%s (%d minutes, %d replications per "
                        "candidate), but per minute a burst is a few requests among hundreds "
                        "(with the System Log alone a bootstrap's 95%% interval held the true "
                        "burst in 14 of 20 test logs), so the interval given (%.4g-%.4g) is the "
                        "search's whole range; an access log showing the rollout's first 429 "
                        "lets calibrate count it; the limiter's form (one token bucket on every "
                        "request) is an assumption", r->value[u],
                        m->obs.accepted ? " and accepted requests" : "", r->nmin, fo->reps,
                        r->lo[u], r->hi[u]);
            continue;
        }
        char against[200], edge[200] = "";
        if (u == CAL_JITTER)
            snprintf(against, sizeof against, "the per-minute 429s");
        else
            snprintf(against, sizeof against, "the per-minute completions%s",
                     m->obs.accepted ? " and accepted requests" : "");
        if (r->edge[u])
            snprintf(edge, sizeof edge, "; NOT IDENTIFIED by the logs: the refits reach the end "
                     "of the widest grid (%.4g-%.4g), the interval runs to it, and the value is "
                     "the search's best, not a measurement", r->grid_lo[u], r->grid_hi[u]);
        calscn_note(doc, calscn_key(u), "fitted: %.4g%s (95%% interval %.4g-%.4g), by simulation "
                    "against %s (%d minutes, %d replications per candidate, common random "
                    "numbers); interval: parametric bootstrap, %d logs simulated from the fitted "
                    "scenario with fresh seeds, each refitted on a grid around the value%s, the "
                    "other unknowns and the measured values held at theirs (basic bootstrap)%s%s",
                    r->value[u], unit_of(u), r->lo[u], r->hi[u], against, r->nmin, fo->reps,
                    fo->boots, u != CAL_RATE && r->fitted[CAL_RATE] ? " and the rate" : "", edge,
                    u == CAL_RATE || u == CAL_BURST ? "; the limiter's form (one token bucket on "
                    "every request) is an assumption" : "");
    }
}

static int write_doc(const cJSON *doc, const char *path, char *err, size_t errlen)
{
    char *text = cJSON_Print(doc);
    if (!text)
        xoom("cJSON_Print");
    struct outfile of;
    int rc = outfile_open(&of, path, err, errlen);
    if (rc == 0) {
        fputs(text, of.f);
        fputc('\n', of.f);
        rc = outfile_commit(&of, err, errlen);
    }
    cJSON_free(text);
    return rc;
}

/* Everything after the logs are read. */
static int calibrate(const struct calib_opts *o, const struct meas *m, FILE *out, char *err,
                     size_t errlen)
{
    cJSON *base = NULL;
    if (o->base && !(base = read_base(o->base, err, errlen)))
        return 2;
    struct calscn_src src = {o->logs.okta_log ? file_shown_name(o->logs.okta_log) : NULL,
                             o->logs.access_log ? file_shown_name(o->logs.access_log) : NULL,
                             o->logs.app, o->base ? file_shown_name(o->base) : NULL};
    cJSON *doc = calscn_build(m, base, &src);
    cJSON_Delete(base);
    struct scenario s;
    int rc = 0;
    if (calscn_load(doc, &s, err, errlen)) {
        cJSON_Delete(doc);
        return 2;
    }
    int steps = s.client.recipe[m->ro.kind].n;
    scn_fini(&s);
    double thr, r0 = start_rate(m, steps, &thr);
    struct fit_opts fo = {o->reps, o->boots, {0}};
    int limited = thr >= 5;
    fo.fit[CAL_RATE] = fo.fit[CAL_BURST] = limited;
    fo.fit[CAL_WORKERS] = !m->have_access;
    const cJSON *pol = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "client"), "retry"),
        "policy");
    fo.fit[CAL_JITTER] = limited && cJSON_IsString(pol) && !strcmp(pol->valuestring, "retry_after");
    calscn_set(doc, CAL_RATE, limited ? r0 : 3 * r0);
    if (fo.fit[CAL_JITTER] && !(calscn_get(doc, CAL_JITTER) >= 0))
        calscn_set(doc, CAL_JITTER, 0);
    if (!limited)
        calscn_note(doc, "server.limits[0]", "no 429s in the log (%g): the limit was never "
                    "reached, so only a bound is known: rate set to 3x the most that got "
                    "through (%.3g/s), burst 10 (not fitted)", thr, r0);
    print_measured(out, m);
    struct fit_result fr;
    if (fit_run(doc, m, &fo, &fr, err, errlen)) {
        cJSON_Delete(doc);
        return 2;
    }
    note_fit(doc, m, &fr, &fo);
    if (fr.evals)
        fprintf(out, "fitted by simulation (%d candidates x %d replications, %d minutes; "
                "95%% intervals: parametric bootstrap, %d simulated logs refitted):\n", fr.evals,
                fo.reps, fr.nmin, fo.boots);
    for (int u = 0; u < CAL_NUNKNOWN; u++) {
        if (!fr.fitted[u])
            continue;
        fprintf(out, "  %-24s %.4g%s (%.4g-%.4g%s)", calscn_key(u), fr.value[u], unit_of(u),
                fr.lo[u], fr.hi[u], u == CAL_BURST && !fr.measured[u] ? ", NOT IDENTIFIED: no "
                "access log to count it in" : fr.edge[u] ? ", NOT IDENTIFIED: the interval runs "
                "to the grid's end" : "");
        if (fr.measured[u])
            fprintf(out, " counted: %ld requests admitted in the %.3f s to the first 429%s",
                    m->burst.admitted, m->burst.span_s, fr.full ? "" : ", a lower bound");
        fputc('\n', out);
    }
    if (calscn_load(doc, &s, err, errlen)) {
        rc = 2;
    } else {
        scn_fini(&s);
        if (write_doc(doc, o->out, err, errlen))
            rc = 1;
        else
            fprintf(out, "wrote %s\n", o->out);
    }
    cJSON_Delete(doc);
    return rc;
}

int calib_run(const struct calib_opts *o, FILE *out, char *err, size_t errlen)
{
    struct okta_log ok;
    struct access_log ac;
    struct meas m;
    int rc = 2;
    if (meas_read(&o->logs, &ok, &ac, &m, err, errlen) == 0)
        rc = calibrate(o, &m, out, err, errlen);
    meas_fini(&m);
    okta_log_fini(&ok);
    access_log_fini(&ac);
    return rc;
}

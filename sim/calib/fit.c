/* fit.c -- fitting the unknowns by simulation: the distance and the
 * search (see fit.h); the intervals are fit_interval.c's. */
#include "calib/fit_internal.h"

#include "base/util.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FIT_GRID 7   /* coarse grid points per bracket */
#define FIT_GOLDEN 8 /* golden-section steps inside the best cell */

struct fit_curves fit_observed(const struct meas *m)
{
    struct fit_curves c = {m->obs.done, m->obs.throttled, m->obs.accepted};
    return c;
}

struct fit_curves fit_replication(const struct meas *m, const struct simc *c, int b)
{
    size_t n = (size_t)c->nmin, k = (size_t)b;
    struct fit_curves o = {c->done + k * n, c->throttled + k * n,
                           m->obs.accepted ? c->accepted + k * n : NULL};
    return o;
}

int fit_simulate(struct fitter *f, double *mean)
{
    struct scenario s;
    if (f->failed)
        return -1;
    if (calscn_load(f->doc, &s, f->err, f->errlen)) {
        f->failed = 1;
        return -1;
    }
    int n = f->m->obs.nmin, R = f->o->reps;
    struct simc c;
    simc_run(&s, n, R, &c);
    memset(mean, 0, (size_t)(3 * n) * sizeof *mean);
    for (int r = 0; r < R; r++)
        for (int mi = 0; mi < n; mi++) {
            size_t k = (size_t)r * n + mi;
            mean[mi] += c.done[k] / R;
            mean[n + mi] += c.throttled[k] / R;
            mean[2 * n + mi] += c.accepted[k] / R;
        }
    simc_fini(&c);
    scn_fini(&s);
    f->r->evals++;
    return 0;
}

static double pearson(double sim, double obs)
{
    return (sim - obs) * (sim - obs) / (sim + 1);
}

/* Which curves measure an unknown: what gets through (completions, and
 * the accepted requests when the access log shows them) is the limiter's
 * and the workers'; how many 429s come is the retry delay's. Fitting the
 * limiter to the 429s instead lets a wrong retry delay pull it away (a
 * higher rate and a shorter delay give the same 429s). */
double fit_distance(const struct fitter *f, const double *mean, const struct fit_curves *obs,
                    int which)
{
    int n = f->m->obs.nmin;
    int thr = which < 0 || which == CAL_JITTER, through = which != CAL_JITTER;
    double d = 0;
    for (int mi = 0; mi < n; mi++) {
        if (through) {
            d += pearson(mean[mi], obs->done[mi]);
            if (obs->acc)
                d += pearson(mean[2 * n + mi], obs->acc[mi]);
        }
        if (thr)
            d += pearson(mean[n + mi], obs->thr[mi]);
    }
    return d;
}

/* What the client's requests of the history took from the bucket and
 * the rate r had not refilled at the first request (struct meas_burst):
 * oldest first, each takes a token and the rate refills between them;
 * full at the history's start. Right while the bucket never ran empty,
 * which no 429 in the history says. */
static double burst_deficit(const struct meas_burst *b, double r)
{
    double d = 0, prev = b->history_s;
    for (size_t k = b->nbefore; k-- > 0;) {
        d = fmax(0, d - r * (prev - b->before_s[k])) + 1;
        prev = b->before_s[k];
    }
    return fmax(0, d - r * prev);
}

/* The burst from the access log's count at rate r: admitted = burst -
 * deficit + r span - left, with left in [0, 1) the token left at the
 * first 429. At least 1 (the loader's least burst). */
static double burst_at(const struct meas_burst *b, double r, double span, double left)
{
    return fmax(1, (double)b->admitted - r * fmax(0, span) + burst_deficit(b, r) + left);
}

/* The measured burst's interval: the rate's interval, the token left
 * and the stamps' resolution. A 429 in the history means the bucket was
 * empty at some point before, so what it held at the first request is
 * not known: the count is then a lower bound and the interval runs to
 * the search's bracket top (not identified above). */
static void burst_interval(struct fitter *f)
{
    const struct meas_burst *b = &f->m->burst;
    struct fit_result *r = f->r;
    double rl = r->fitted[CAL_RATE] ? r->lo[CAL_RATE] : r->value[CAL_RATE];
    double rh = r->fitted[CAL_RATE] ? r->hi[CAL_RATE] : r->value[CAL_RATE];
    double v = r->value[CAL_BURST];
    r->lo[CAL_BURST] = fmin(v, burst_at(b, rh, b->span_s + b->stamp_s, 0));
    r->hi[CAL_BURST] = fmax(v, burst_at(b, rl, b->span_s - b->stamp_s, 1));
    r->deficit = burst_deficit(b, r->value[CAL_RATE]);
    r->full = !b->throttled_before;
    r->grid_lo[CAL_BURST] = 1;
    r->grid_hi[CAL_BURST] = fmax(200, 4 * v);
    if (!r->full) {
        r->hi[CAL_BURST] = r->grid_hi[CAL_BURST];
        r->edge[CAL_BURST] = 1;
    }
}

/* Without a count the burst is searched against the per-minute curves,
 * where it is a few requests among hundreds; a bootstrap there held the
 * true burst in 14 of 20 test logs (README), so the interval given is the
 * search's whole range and the value is not identified. */
static void burst_unidentified(struct fit_result *r)
{
    double v = r->value[CAL_BURST];
    r->grid_lo[CAL_BURST] = r->lo[CAL_BURST] = 1;
    r->grid_hi[CAL_BURST] = r->hi[CAL_BURST] = fmax(200, 4 * v);
    r->edge[CAL_BURST] = 1;
}

static int is_int(int u)
{
    return u == CAL_WORKERS;
}

/* the searched scale: log for rates, bursts and workers, linear for jitter */
static double to_x(int u, double v)
{
    return u == CAL_JITTER ? v : log(v);
}

static double from_x(int u, double x)
{
    double v = u == CAL_JITTER ? fmax(0, x) : exp(x);
    if (u == CAL_BURST)
        v = fmax(1, v); /* the loader's least burst: a whole token */
    return is_int(u) ? fmax(1, floor(v + 0.5)) : v;
}

static double eval_at(struct fitter *f, int u, double v, double *best_d, double *best_v)
{
    calscn_set(f->doc, u, v);
    if (fit_simulate(f, f->mean))
        return INFINITY;
    struct fit_curves obs = fit_observed(f->m);
    double d = fit_distance(f, f->mean, &obs, u);
    if (d < *best_d) {
        *best_d = d;
        *best_v = v;
    }
    return d;
}

/* One coordinate over [lo, hi] (values, not x); leaves the best in doc. */
static void search(struct fitter *f, int u, double lo, double hi)
{
    double best_d = INFINITY, best_v = calscn_get(f->doc, u);
    eval_at(f, u, best_v, &best_d, &best_v);
    double xl = to_x(u, lo), xh = to_x(u, hi), step = (xh - xl) / (FIT_GRID - 1);
    int bi = -1;
    for (int i = 0; i < FIT_GRID; i++) {
        double before = best_d;
        eval_at(f, u, from_x(u, xl + i * step), &best_d, &best_v);
        if (best_d < before)
            bi = i;
    }
    double a = bi >= 0 ? xl + (bi - 1) * step : to_x(u, best_v) - step;
    double b = bi >= 0 ? xl + (bi + 1) * step : to_x(u, best_v) + step;
    if (is_int(u)) {
        for (double v = from_x(u, a); v <= from_x(u, b); v++)
            eval_at(f, u, v, &best_d, &best_v);
    } else {
        const double g = 0.6180339887498949;
        double c = b - g * (b - a), d = a + g * (b - a);
        double fc = eval_at(f, u, from_x(u, c), &best_d, &best_v);
        double fd = eval_at(f, u, from_x(u, d), &best_d, &best_v);
        for (int k = 0; k < FIT_GOLDEN && !f->failed; k++) {
            if (fc <= fd) {
                b = d, d = c, fd = fc;
                c = b - g * (b - a);
                fc = eval_at(f, u, from_x(u, c), &best_d, &best_v);
            } else {
                a = c, c = d, fc = fd;
                d = a + g * (b - a);
                fd = eval_at(f, u, from_x(u, d), &best_d, &best_v);
            }
        }
    }
    calscn_set(f->doc, u, best_v);
}

static void bracket(int u, double v, int pass, double *lo, double *hi)
{
    double k = pass == 0 ? 2.0 : 1.25;
    switch (u) {
    case CAL_RATE:
        *lo = v / k, *hi = v * k;
        break;
    case CAL_BURST:
        *lo = 1, *hi = pass == 0 ? fmax(200, v * 4) : v * 4;
        break;
    case CAL_WORKERS:
        *lo = pass == 0 ? 1 : fmax(1, v - 3), *hi = pass == 0 ? 64 : v + 3;
        break;
    default:
        *lo = 0, *hi = pass == 0 ? 120 : fmax(10, 2 * v);
    }
}

/* The logs the bootstrap refits: boots replications of the fitted
 * scenario from FIT_BOOT_FIRST, seeds no fit candidate uses. */
static int simulate_logs(struct fitter *f, struct simc *boot)
{
    struct scenario s;
    if (calscn_load(f->doc, &s, f->err, f->errlen)) {
        f->failed = 1;
        return -1;
    }
    simc_run_at(&s, f->m->obs.nmin, FIT_BOOT_FIRST, f->o->boots, boot);
    scn_fini(&s);
    return 0;
}

int fit_run(cJSON *doc, const struct meas *m, const struct fit_opts *o, struct fit_result *r,
            char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    r->nmin = m->obs.nmin;
    XASSERT(o->reps >= 1 && o->boots >= 1);
    struct fitter f = {doc, m, o, r, xcalloc((size_t)(3 * m->obs.nmin), sizeof(double)), err,
                       errlen, 0};
    /* the burst counted where the access log shows it, else searched */
    int count = o->fit[CAL_BURST] && m->burst.found;
    r->measured[CAL_BURST] = count;
    for (int u = 0; u < CAL_NUNKNOWN; u++)
        r->start[u] = calscn_get(doc, u);
    static const int order[] = {CAL_RATE, CAL_WORKERS, CAL_BURST, CAL_JITTER};
    for (int pass = 0; pass < 2 && !f.failed; pass++)
        for (int i = 0; i < CAL_NUNKNOWN && !f.failed; i++) {
            int u = order[i];
            if (!o->fit[u] || (pass == 1 && (u == CAL_BURST || u == CAL_JITTER)))
                continue;
            if (u == CAL_BURST && count) {
                calscn_set(doc, u, burst_at(&m->burst, calscn_get(doc, CAL_RATE), m->burst.span_s, 0.5));
                continue;
            }
            double lo, hi;
            bracket(u, calscn_get(doc, u), pass, &lo, &hi);
            search(&f, u, lo, hi);
            if (u == CAL_RATE && count) /* the count's burst follows the rate */
                calscn_set(doc, CAL_BURST, burst_at(&m->burst, calscn_get(doc, u), m->burst.span_s, 0.5));
        }
    int any = 0;
    for (int u = 0; u < CAL_NUNKNOWN; u++) {
        r->value[u] = calscn_get(doc, u);
        r->fitted[u] = o->fit[u];
        any |= o->fit[u];
    }
    struct simc boot;
    if (any && !f.failed && simulate_logs(&f, &boot) == 0) {
        for (int u = 0; u < CAL_NUNKNOWN && !f.failed; u++) /* the rate's first: the count's
                                                               * burst needs it */
            if (u == CAL_BURST && count)
                burst_interval(&f);
            else if (u == CAL_BURST && o->fit[u])
                burst_unidentified(r);
            else if (o->fit[u])
                fit_interval(&f, u, &boot);
        simc_fini(&boot);
    }
    if (!f.failed && fit_simulate(&f, f.mean) == 0) {
        struct fit_curves obs = fit_observed(m);
        r->distance = fit_distance(&f, f.mean, &obs, -1);
    }
    free(f.mean);
    return f.failed ? -1 : 0;
}

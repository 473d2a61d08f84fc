/* fit_interval.c -- the parametric-bootstrap interval of a searched value
 * (see fit.h for the method and why).
 *
 * Grids are uniform in y: log of the value for the rate and the burst,
 * the value itself for the jitter (seconds) and the workers (integers,
 * an integer step). A grid never goes below the value's own bound (burst
 * 1, jitter 0, workers 1); a refit at that bound is an answer, not a
 * sign that the grid is too narrow. The rate rows (fit.h) are spaced
 * FIT_RATE_STEP apart in log rate: FIT_RATE_ROWS of them span about the
 * rate's own 95% interval (+-0.8% in the round trip) at a step finer
 * than its half-width. */
#include "calib/fit_internal.h"

#include "base/util.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FIT_WIDEN 2          /* at most this many threefold widenings */
#define FIT_EDGE_SHARE 0.025 /* refits on a grid end that make it widen */
#define FIT_RATE_STEP 0.005  /* between rate rows, in log rate (0.5%) */

static double to_y(int u, double v)
{
    return u == CAL_RATE || u == CAL_BURST ? log(v) : v;
}

static double from_y(int u, double y)
{
    return u == CAL_RATE || u == CAL_BURST ? exp(y) : y;
}

/* the value's own lower bound in y (-inf: none) */
static double floor_y(int u)
{
    return u == CAL_RATE ? -INFINITY : u == CAL_WORKERS ? 1 : 0;
}

/* the first grid's half-width in y: a few times a typical refit's spread */
static double first_span(int u, double v0)
{
    switch (u) {
    case CAL_RATE:
        return log(1.04);
    case CAL_BURST:
        return log(1.5);
    case CAL_WORKERS:
        return (FIT_FINAL - 1) / 2; /* step 1 */
    default:
        return 0.3 * fmax(v0, 10);
    }
}

struct grid {
    int u, rows;           /* rows: rate rows (1: the rate held at its value) */
    double y[FIT_FINAL];
    double *mean;          /* rows x FIT_FINAL x width */
    size_t width;
    int lo_bound;          /* y[0] is the value's own bound */
    int mid;               /* the point nearest the fitted value */
};

static const double *mean_at(const struct grid *g, int row, int i)
{
    return g->mean + ((size_t)row * FIT_FINAL + (size_t)i) * g->width;
}

/* A refit: the rate row whose throughput fits best at the fitted value,
 * then in it the grid point of least distance, refined by a parabola
 * through it and its neighbours (integers: not refined). *end: -1 on
 * the lower end (not a bound), +1 on the upper end, else 0. */
static double refit(const struct fitter *f, const struct grid *g, const struct fit_curves *obs,
                    int *end)
{
    int row = 0;
    double dr = INFINITY;
    for (int k = 0; g->rows > 1 && k < g->rows; k++) {
        double d = fit_distance(f, mean_at(g, k, g->mid), obs, CAL_RATE);
        if (d < dr)
            dr = d, row = k;
    }
    double d[FIT_FINAL];
    int best = 0;
    for (int i = 0; i < FIT_FINAL; i++) {
        d[i] = fit_distance(f, mean_at(g, row, i), obs, g->u);
        if (d[i] < d[best])
            best = i;
    }
    *end = best == FIT_FINAL - 1 ? 1 : best == 0 && !g->lo_bound ? -1 : 0;
    if (best == 0 || best == FIT_FINAL - 1 || g->u == CAL_WORKERS)
        return g->y[best];
    double h = g->y[1] - g->y[0], den = d[best - 1] - 2 * d[best] + d[best + 1];
    double off = den > 0 ? 0.5 * h * (d[best - 1] - d[best + 1]) / den : 0;
    return g->y[best] + fmax(-h, fmin(h, off));
}

/* Simulates the grid of half-width span around y0. Returns 0, or -1. */
static int build(struct fitter *f, struct grid *g, double y0, double span)
{
    int u = g->u;
    double lo = fmax(floor_y(u), y0 - span), step = (y0 + span - lo) / (FIT_FINAL - 1);
    if (u == CAL_WORKERS) {
        step = fmax(1, floor(step + 0.5));
        lo = fmax(1, y0 - step * (FIT_FINAL - 1) / 2);
    }
    g->lo_bound = lo <= floor_y(u);
    g->mid = 0;
    for (int i = 0; i < FIT_FINAL; i++) {
        g->y[i] = lo + i * step;
        if (fabs(g->y[i] - y0) < fabs(g->y[g->mid] - y0))
            g->mid = i;
    }
    double r0 = calscn_get(f->doc, CAL_RATE);
    for (int k = 0; k < g->rows && !f->failed; k++) {
        if (g->rows > 1)
            calscn_set(f->doc, CAL_RATE, r0 * exp((k - g->rows / 2) * FIT_RATE_STEP));
        for (int i = 0; i < FIT_FINAL && !f->failed; i++) {
            calscn_set(f->doc, u, from_y(u, g->y[i]));
            fit_simulate(f, (double *)mean_at(g, k, i));
        }
    }
    calscn_set(f->doc, CAL_RATE, r0);
    return f->failed ? -1 : 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void fit_interval(struct fitter *f, int u, const struct simc *boot)
{
    const struct meas *m = f->m;
    struct fit_result *r = f->r;
    int B = boot->reps;
    double v0 = calscn_get(f->doc, u), y0 = to_y(u, v0), span = first_span(u, v0);
    int rows = u != CAL_RATE && f->o->fit[CAL_RATE] ? FIT_RATE_ROWS : 1;
    struct grid g = {u, rows, {0}, NULL, (size_t)(3 * m->obs.nmin), 0, 0};
    g.mean = xmalloc((size_t)rows * FIT_FINAL * g.width * sizeof *g.mean);
    double *ys = xmalloc((size_t)B * sizeof *ys);
    int below = 0, above = 0, end_real = 0;
    double w = y0, lo = y0, hi = y0;
    struct fit_curves real;
    for (int wide = 0; wide <= FIT_WIDEN; wide++, span *= 3) {
        if (build(f, &g, y0, span))
            break;
        below = above = 0;
        for (int b = 0; b < B; b++) {
            struct fit_curves obs = fit_replication(m, boot, b);
            int end;
            ys[b] = refit(f, &g, &obs, &end);
            below += end < 0;
            above += end > 0;
        }
        real = fit_observed(m);
        w = refit(f, &g, &real, &end_real);
        qsort(ys, (size_t)B, sizeof *ys, cmp_double);
        double q_lo = ys[(int)floor(0.025 * (B - 1))], q_hi = ys[(int)ceil(0.975 * (B - 1))];
        lo = w - (q_hi - y0), hi = w - (q_lo - y0);
        /* done when neither the refits nor the interval reach past an end */
        if (below <= FIT_EDGE_SHARE * B && above <= FIT_EDGE_SHARE * B && !end_real &&
            (lo > g.y[0] || g.lo_bound) && hi < g.y[FIT_FINAL - 1])
            break;
    }
    calscn_set(f->doc, u, v0);
    if (f->failed) {
        free(ys);
        free(g.mean);
        return;
    }
    double g_lo = g.y[0], g_hi = g.y[FIT_FINAL - 1];
    /* refits beyond an end: the truth may lie as far beyond the other one */
    int open_lo = above > FIT_EDGE_SHARE * B || end_real > 0;
    int open_hi = below > FIT_EDGE_SHARE * B || end_real < 0;
    lo = open_lo ? g_lo : fmax(lo, g_lo);
    hi = open_hi ? g_hi : fmin(hi, g_hi);
    r->edge[u] = open_lo || open_hi || (lo <= g_lo && !g.lo_bound) || hi >= g_hi;
    r->grid_lo[u] = from_y(u, g_lo);
    r->grid_hi[u] = from_y(u, g_hi);
    r->lo[u] = fmin(v0, from_y(u, lo));
    r->hi[u] = fmax(v0, from_y(u, hi));
    if (u == CAL_WORKERS) {
        r->lo[u] = floor(r->lo[u] + 1e-9);
        r->hi[u] = ceil(r->hi[u] - 1e-9);
    }
    free(ys);
    free(g.mean);
}


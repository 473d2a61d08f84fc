/* fit.c -- fitting the unknowns by simulation (see fit.h). */
#include "calib/fit.h"

#include "base/util.h"
#include "calib/simcurve.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FIT_GRID 7       /* coarse grid points per bracket */
#define FIT_GOLDEN 8     /* golden-section steps inside the best cell */
#define FIT_FINAL 11     /* points of the final (bootstrap) grid */

struct fitter {
    cJSON *doc;
    const struct meas *m;
    const struct fit_opts *o;
    struct fit_result *r;
    double *contrib; /* nmin: the last candidate's per-minute distance */
    char *err;
    size_t errlen;
    int failed;
    int which; /* the unknown being searched; -1 = all curves */
};

/* Which curves measure an unknown: what gets through (completions, and the
 * accepted requests when the access log shows them) is the limiter's and
 * the workers'; how many 429s come for it is the retry delay's. Fitting
 * the limiter to the 429s instead lets a wrong retry delay pull it away
 * (a higher rate and a shorter delay give the same 429s). */
static int uses_429s(int which)
{
    return which < 0 || which == CAL_JITTER;
}

static int uses_throughput(int which)
{
    return which != CAL_JITTER;
}

/* The distance of the document as it stands; contrib gets its minutes. */
static double distance(struct fitter *f)
{
    struct scenario s;
    if (f->failed)
        return INFINITY;
    if (calscn_load(f->doc, &s, f->err, f->errlen)) {
        f->failed = 1;
        return INFINITY;
    }
    struct simc c;
    int n = f->m->obs.nmin, R = f->o->reps;
    simc_run(&s, n, R, &c);
    double d = 0;
    for (int mi = 0; mi < n; mi++) {
        double sd = 0, st = 0, sa = 0;
        for (int r = 0; r < R; r++) {
            sd += c.done[(size_t)r * n + mi];
            st += c.throttled[(size_t)r * n + mi];
            sa += c.accepted[(size_t)r * n + mi];
        }
        sd /= R;
        st /= R;
        sa /= R;
        double od = f->m->obs.done[mi], ot = f->m->obs.throttled[mi];
        f->contrib[mi] = 0;
        if (uses_throughput(f->which)) {
            f->contrib[mi] += (sd - od) * (sd - od) / (sd + 1);
            if (f->m->obs.accepted) {
                double oa = f->m->obs.accepted[mi];
                f->contrib[mi] += (sa - oa) * (sa - oa) / (sa + 1);
            }
        }
        if (uses_429s(f->which))
            f->contrib[mi] += (st - ot) * (st - ot) / (st + 1);
        d += f->contrib[mi];
    }
    simc_fini(&c);
    scn_fini(&s);
    f->r->evals++;
    return d;
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
    return is_int(u) ? fmax(1, floor(v + 0.5)) : v;
}

static double eval_at(struct fitter *f, int u, double v, double *best_d, double *best_v)
{
    calscn_set(f->doc, u, v);
    double d = distance(f);
    if (d < *best_d) {
        *best_d = d;
        *best_v = v;
    }
    return d;
}

/* One coordinate over [lo, hi] (values, not x); leaves the best in doc. */
static void search(struct fitter *f, int u, double lo, double hi)
{
    f->which = u;
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

/* splitmix64: the bootstrap's own deterministic stream */
static uint64_t mix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The bootstrap interval of unknown u on a grid around its value. */
static void interval(struct fitter *f, int u)
{
    f->which = u;
    int n = f->m->obs.nmin, G = FIT_FINAL;
    double v0 = calscn_get(f->doc, u), grid[FIT_FINAL];
    double *c = xmalloc((size_t)G * n * sizeof *c);
    for (int g = 0; g < G; g++) {
        double t = (double)g / (G - 1) * 2 - 1; /* -1..1 */
        grid[g] = u == CAL_RATE      ? v0 * (1 + 0.15 * t)
                  : u == CAL_BURST   ? fmax(1, v0 * pow(4, t))
                  : u == CAL_WORKERS ? fmax(1, v0 + (g - G / 2))
                                     : fmax(0, v0 + t * fmax(v0, 10));
        calscn_set(f->doc, u, grid[g]);
        distance(f);
        memcpy(c + (size_t)g * n, f->contrib, (size_t)n * sizeof *c);
    }
    calscn_set(f->doc, u, v0);
    int B = f->o->boots;
    double *pick = xmalloc((size_t)B * sizeof *pick);
    int *w = xmalloc((size_t)n * sizeof *w);
    uint64_t seed = 12345u + (uint64_t)u;
    for (int b = 0; b < B; b++) {
        memset(w, 0, (size_t)n * sizeof *w);
        for (int k = 0; k < n; k++)
            w[mix(&seed) % (uint64_t)n]++;
        double best = INFINITY;
        for (int g = 0; g < G; g++) {
            double d = 0;
            for (int k = 0; k < n; k++)
                d += w[k] * c[(size_t)g * n + k];
            if (d < best) {
                best = d;
                pick[b] = grid[g];
            }
        }
    }
    qsort(pick, (size_t)B, sizeof *pick, cmp_double);
    f->r->lo[u] = fmin(v0, pick[(int)floor(0.025 * (B - 1))]);
    f->r->hi[u] = fmax(v0, pick[(int)ceil(0.975 * (B - 1))]);
    double gmin = grid[0], gmax = grid[0];
    for (int g = 1; g < G; g++) {
        gmin = fmin(gmin, grid[g]);
        gmax = fmax(gmax, grid[g]);
    }
    f->r->edge[u] = f->r->lo[u] <= gmin || f->r->hi[u] >= gmax;
    free(pick);
    free(w);
    free(c);
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

int fit_run(cJSON *doc, const struct meas *m, const struct fit_opts *o, struct fit_result *r,
            char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    r->nmin = m->obs.nmin;
    struct fitter f = {doc, m, o, r, xcalloc((size_t)m->obs.nmin, sizeof(double)), err, errlen, 0, -1};
    for (int u = 0; u < CAL_NUNKNOWN; u++)
        r->start[u] = calscn_get(doc, u);
    static const int order[] = {CAL_RATE, CAL_WORKERS, CAL_BURST, CAL_JITTER};
    for (int pass = 0; pass < 2 && !f.failed; pass++)
        for (int i = 0; i < CAL_NUNKNOWN && !f.failed; i++) {
            int u = order[i];
            if (!o->fit[u] || (pass == 1 && (u == CAL_BURST || u == CAL_JITTER)))
                continue;
            double lo, hi;
            bracket(u, calscn_get(doc, u), pass, &lo, &hi);
            search(&f, u, lo, hi);
        }
    for (int u = 0; u < CAL_NUNKNOWN && !f.failed; u++) {
        r->value[u] = calscn_get(doc, u);
        if (o->fit[u]) {
            r->fitted[u] = 1;
            interval(&f, u);
        }
    }
    f.which = -1;
    r->distance = distance(&f);
    free(f.contrib);
    return f.failed ? -1 : 0;
}

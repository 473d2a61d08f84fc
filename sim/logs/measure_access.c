/* measure_access.c -- what the access log shows (see measure.h): latency,
 * Retry-After values, per-endpoint rates, the recipe, the concurrency,
 * and, without a System Log, the rollout and the background.
 *
 * Concurrency: each request is in flight over [time, time + duration).
 * With millisecond time stamps (JSON lines) the most intervals open at
 * once is exact up to the stamps' rounding, which MEAS_STAMP_TOL_S
 * absorbs: a worker's next request starts when its previous one ends, and
 * two stamps rounded to the millisecond may overlap by under 1 ms. NCSA
 * stamps have whole seconds, so there the concurrency is estimated from
 * the busy time per second (the sum of the durations of the requests
 * received in it, over 1 s), its 90th percentile rounded. */
#include "logs/measure_internal.h"

#include "base/util.h"
#include "engine/stats.h"
#include "models/client.h"
#include "models/job.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MEAS_STAMP_TOL_S 0.001
/* A level in the concurrency histogram beyond this is folded into it. */
#define MEAS_MAX_LEVEL 100000

int meas_final_endpoint(int recipe, int kind)
{
    switch (kind) {
    case JOB_KIND_CREATE:
        return EP_POST_USERS;
    case JOB_KIND_UPDATE:
        return recipe == CLIENT_REQUESTS_ENTRA ? EP_PATCH_USER : EP_PUT_USER;
    default:
        return EP_PATCH_USER;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double norm_cdf(double z)
{
    return 0.5 * erfc(-z / sqrt(2.0));
}

/* median, p95 and the KS distance of the lognormal they define */
static void fit_latency(double *x, size_t n, struct meas_latency *l)
{
    l->n = (long)n;
    if (n == 0)
        return;
    l->median_s = stats_quantile(x, n, 0.5);
    l->p95_s = stats_quantile(x, n, 0.95);
    /* the KS distance wants them sorted (stats_quantile reorders) */
    qsort(x, n, sizeof *x, cmp_double);
    double mu = log(fmax(l->median_s, 1e-9));
    double sig = l->p95_s > l->median_s ? meas_lognormal_sigma(l->median_s, l->p95_s) : 0;
    double d = 0;
    for (size_t i = 0; i < n; i++) {
        double f = sig > 0 ? (x[i] > 0 ? norm_cdf((log(x[i]) - mu) / sig) : 0)
                           : (x[i] >= l->median_s ? 1 : 0);
        d = fmax(d, fmax((double)(i + 1) / n - f, f - (double)i / n));
    }
    l->ks = d;
}

static void latencies(const struct access_log *a, struct meas *m)
{
    double *all = xmalloc((a->n + 1) * sizeof *all), *one = xmalloc((a->n + 1) * sizeof *one);
    size_t nall = 0;
    for (int e = 0; e < EP_COUNT; e++) {
        size_t n = 0;
        for (size_t i = 0; i < a->n; i++)
            if (a->rq[i].endpoint == e && a->rq[i].status >= 200 && a->rq[i].status < 300)
                one[n++] = all[nall++] = a->rq[i].dur_s;
        fit_latency(one, n, &m->lat_ep[e]);
    }
    fit_latency(all, nall, &m->lat_all);
    free(all);
    free(one);
}

static void retry_afters(const struct access_log *a, struct meas *m)
{
    double *v = xmalloc((a->n + 1) * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < a->n; i++)
        if (a->rq[i].status == 429 && a->rq[i].retry_after_s >= 0)
            v[n++] = a->rq[i].retry_after_s;
    m->ra_n = (long)n;
    n = 0;
    for (size_t i = 0; i < a->n; i++) {
        int st = a->rq[i].status;
        m->n_2xx += st >= 200 && st < 300;
        m->n_5xx += st >= 500;
        if (st == 429)
            v[n++] = a->rq[i].dur_s;
    }
    m->n_429 = (long)n;
    m->reject_median_s = n ? stats_quantile(v, n, 0.5) : 0;
    n = (size_t)m->ra_n;
    for (size_t i = 0, k = 0; i < a->n; i++)
        if (a->rq[i].status == 429 && a->rq[i].retry_after_s >= 0)
            v[k++] = a->rq[i].retry_after_s;
    if (n) {
        qsort(v, n, sizeof *v, cmp_double);
        m->ra_min = v[0];
        m->ra_max = v[n - 1];
        m->ra_median = stats_quantile(v, n, 0.5);
        qsort(v, n, sizeof *v, cmp_double);
        size_t best = 0, run = 0;
        for (size_t i = 0; i < n; i++) {
            run = i && v[i] == v[i - 1] ? run + 1 : 1;
            if (run > best) {
                best = run;
                m->ra_mode = v[i];
            }
        }
        m->ra_mode_share = (double)best / n;
    }
    free(v);
}

static void rates(const struct access_log *a, struct meas *m)
{
    long cur[EP_COUNT] = {0};
    double minute = -1;
    for (size_t i = 0; i <= a->n; i++) {
        double mi = i < a->n ? floor(a->rq[i].t_s / 60) : -2;
        if (mi != minute) {
            for (int e = 0; e < EP_COUNT; e++) {
                m->ep_peak_per_min[e] = fmax(m->ep_peak_per_min[e], (double)cur[e]);
                cur[e] = 0;
            }
            minute = mi;
        }
        if (i < a->n) {
            cur[a->rq[i].endpoint]++;
            m->ep_requests[a->rq[i].endpoint]++;
            m->ep_throttled[a->rq[i].endpoint] += a->rq[i].status == 429;
        }
    }
    long get_users = m->ep_requests[EP_GET_USERS], get_user = m->ep_requests[EP_GET_USER];
    long post = m->ep_requests[EP_POST_USERS], put = m->ep_requests[EP_PUT_USER],
         patch = m->ep_requests[EP_PATCH_USER];
    m->recipe_reads = get_users + get_user;
    m->recipe_writes = post + put + patch;
    if (m->recipe_writes == 0)
        m->recipe = -1;
    else if (2 * m->recipe_reads < m->recipe_writes)
        m->recipe = CLIENT_REQUESTS_SINGLE; /* most writes without a read first */
    else
        m->recipe = put >= patch ? CLIENT_REQUESTS_OKTA : CLIENT_REQUESTS_ENTRA;
}

struct edge {
    double t;
    int d; /* +1 start, -1 end */
};

static int cmp_edge(const void *a, const void *b)
{
    const struct edge *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->d - y->d; /* ends first */
}

/* Time-weighted quantile p of the levels 1..max (hist[k]: seconds at k). */
static double level_quantile(const double *hist, int max, double p)
{
    double tot = 0, acc = 0;
    for (int k = 1; k <= max; k++)
        tot += hist[k];
    for (int k = 1; k <= max; k++) {
        acc += hist[k];
        if (acc >= p * tot)
            return k;
    }
    return max;
}

static void concurrency_exact(const struct access_log *a, struct meas *m)
{
    struct edge *e = xmalloc((2 * a->n + 1) * sizeof *e);
    size_t n = 0;
    for (size_t i = 0; i < a->n; i++)
        if (a->rq[i].dur_s > MEAS_STAMP_TOL_S) {
            e[n++] = (struct edge){a->rq[i].t_s, +1};
            e[n++] = (struct edge){a->rq[i].t_s + a->rq[i].dur_s - MEAS_STAMP_TOL_S, -1};
        }
    qsort(e, n, sizeof *e, cmp_edge);
    int level = 0, max = 0;
    for (size_t i = 0; i < n; i++) {
        level += e[i].d;
        if (level > max)
            max = level;
    }
    if (max > MEAS_MAX_LEVEL)
        max = MEAS_MAX_LEVEL;
    double *hist = xcalloc((size_t)max + 1, sizeof *hist);
    level = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        level += e[i].d;
        hist[level > max ? max : level] += e[i + 1].t - e[i].t;
    }
    m->conc_max = max;
    m->conc_exact = 1;
    double busy = 0;
    for (int k = 1; k <= max; k++)
        busy += hist[k];
    m->conc_p50 = level_quantile(hist, max, 0.5);
    m->conc_p95 = level_quantile(hist, max, 0.95);
    m->conc_share_max = busy > 0 && max > 0 ? hist[max] / busy : 0;
    free(hist);
    free(e);
}

static void concurrency_estimate(const struct access_log *a, struct meas *m)
{
    double *busy = xmalloc((a->n + 1) * sizeof *busy);
    size_t nb = 0;
    for (size_t i = 0; i < a->n;) {
        double s = floor(a->rq[i].t_s), sum = 0;
        while (i < a->n && floor(a->rq[i].t_s) == s)
            sum += a->rq[i++].dur_s;
        busy[nb++] = sum;
    }
    m->conc_exact = 0;
    m->conc_p50 = nb ? stats_quantile(busy, nb, 0.5) : 0;
    m->conc_p95 = nb ? stats_quantile(busy, nb, 0.95) : 0;
    double q90 = nb ? stats_quantile(busy, nb, 0.9) : 0;
    m->conc_max = (int)fmax(1, fmin(MEAS_MAX_LEVEL, floor(q90 + 0.5)));
    m->conc_share_max = 0;
    free(busy);
}

void meas_access(const struct access_log *a, struct meas *m)
{
    m->have_access = 1;
    m->access_requests = a->n;
    m->access_first_s = a->rq[0].t_s + m->utc_offset_s;
    m->access_last_s = a->rq[a->n - 1].t_s + m->utc_offset_s;
    latencies(a, m);
    retry_afters(a, m);
    rates(a, m);
    if (a->json)
        concurrency_exact(a, m);
    else
        concurrency_estimate(a, m);
}

/* Completions of kind k per minute, from the first request's minute. */
static double *per_minute(const struct access_log *a, const struct meas *m, int k, double t0,
                          int nmin, double *ra429)
{
    double *c = xcalloc((size_t)nmin, sizeof *c);
    int fin = meas_final_endpoint(m->recipe, k);
    for (size_t i = 0; i < a->n; i++) {
        int mi = (int)((a->rq[i].t_s - t0) / 60);
        if (mi < 0 || mi >= nmin)
            continue;
        if (a->rq[i].status >= 200 && a->rq[i].status < 300 && a->rq[i].endpoint == fin)
            c[mi] += 1;
        if (ra429 && a->rq[i].status == 429)
            ra429[mi] += 1;
    }
    return c;
}

/* The rollout as the access log's burst: around the busiest minute of
 * completions, the minutes with at least max(3, 10% of the peak)
 * completions or with 429s, bridging quiet gaps of up to 2 minutes. Its
 * size is the completions in the burst less the background's rate
 * outside it; its clear time ends with the burst's last completion. */
int meas_access_rollout(const struct access_log *a, struct meas *m, char *err, size_t errlen)
{
    double t0 = floor(a->rq[0].t_s / 60) * 60;
    int nmin = (int)((a->rq[a->n - 1].t_s - t0) / 60) + 1;
    if (nmin > 60 * 24 * 400)
        return xerr(err, errlen, "the access log spans more than 400 days");
    double *thr = xcalloc((size_t)nmin, sizeof *thr), *best = NULL;
    int kind = JOB_KIND_CREATE, peak = 0;
    for (int k = 0; k < 3; k++) {
        double *c = per_minute(a, m, k, t0, nmin, k == 0 ? thr : NULL);
        int p = 0;
        for (int i = 1; i < nmin; i++)
            if (c[i] > c[p])
                p = i;
        if (!best || c[p] > best[peak]) {
            free(best);
            best = c, kind = k, peak = p;
        } else {
            free(c);
        }
    }
    double lim = fmax(3, 0.1 * best[peak]);
    int lo = peak, hi = peak;
    for (int gap = 0, i = peak - 1; i >= 0 && gap <= 2; i--) {
        gap = best[i] >= lim || thr[i] > 0 ? 0 : gap + 1;
        if (!gap)
            lo = i;
    }
    for (int gap = 0, i = peak + 1; i < nmin && gap <= 2; i++) {
        gap = best[i] >= lim || thr[i] > 0 ? 0 : gap + 1;
        if (!gap)
            hi = i;
    }
    double in = 0, out = 0;
    for (int i = 0; i < nmin; i++)
        *(i >= lo && i <= hi ? &in : &out) += best[i];
    double bg_per_min = nmin > hi - lo + 1 ? out / (nmin - (hi - lo + 1)) : 0;
    struct meas_rollout *r = &m->ro;
    double first = INFINITY, last = -INFINITY;
    int fin = meas_final_endpoint(m->recipe, kind);
    for (size_t i = 0; i < a->n; i++) {
        const struct access_req *q = &a->rq[i];
        int mi = (int)((q->t_s - t0) / 60);
        if (mi < lo || mi > hi)
            continue;
        first = fmin(first, q->t_s);
        if (q->status >= 200 && q->status < 300 && q->endpoint == fin)
            last = fmax(last, q->t_s + q->dur_s);
    }
    if (best[peak] < 3 || !isfinite(last)) {
        free(best);
        free(thr);
        return xerr(err, errlen, "no rollout in the access log: no minute with 3 or more "
                    "completed jobs");
    }
    r->found = 1;
    r->from_access = 1;
    r->kind = kind;
    r->start_s = first + m->utc_offset_s;
    r->users = (long)fmax(1, floor(in - bg_per_min * (hi - lo + 1) + 0.5));
    r->clear_s = last - first;
    r->cleared = hi < nmin - 1;
    /* background: completions outside the burst */
    for (size_t i = 0; i < a->n; i++) {
        const struct access_req *q = &a->rq[i];
        int mi = (int)((q->t_s - t0) / 60);
        if (mi >= lo && mi <= hi)
            continue;
        if (!(q->status >= 200 && q->status < 300))
            continue;
        for (int k = 0; k < 3; k++)
            if (q->endpoint == meas_final_endpoint(m->recipe, k) &&
                !(k == JOB_KIND_DEACTIVATE && m->recipe == CLIENT_REQUESTS_ENTRA))
                meas_bg_add(m, q->t_s + m->utc_offset_s, k);
    }
    meas_bg_cover(m, m->access_first_s, m->access_last_s);
    free(best);
    free(thr);
    return 0;
}

/* bound.c -- see bound.h. */
#include "models/bound.h"

#include "models/client.h"
#include "models/limiter.h"
#include "models/workload.h"

#include <math.h>

/* Time for a limiter with initial capacity `burst` and sustained rate R,
 * minus the other clients' expected use of it, to admit n requests from
 * time t0: B + integral of max(0, R - o(t)) dt >= n. The other clients'
 * rate is constant within each clock hour, so integrate hour by hour. */
static double fluid_time(const struct scenario *s, double burst, double rate, double other_frac,
                         double n, double t0)
{
    double need = n - burst;
    if (need <= 0.0)
        return 0.0;
    /* give up ten years on (ten times the longest horizon a scenario may
     * have): the bound is then "never" */
    double t = t0, limit = t0 + 10.0 * (366.0 * 86400.0);
    while (t < limit) {
        double o = s->other.enabled
                       ? other_frac * wl_profile_rate(&s->other.profile, s->start_epoch_s, t)
                       : 0.0;
        double avail = rate - o;
        /* end of this clock hour */
        double abs = (double)s->start_epoch_s + t;
        double next = (floor(abs / 3600.0) + 1.0) * 3600.0 - (double)s->start_epoch_s;
        if (next <= t)
            next = t + 3600.0;
        if (avail > 0.0) {
            if (avail * (next - t) >= need)
                return t + need / avail - t0;
            need -= avail * (next - t);
        }
        t = next;
    }
    return INFINITY;
}

/* Requests of rollout r that limiter c counts, per the client's recipes;
 * with c == NULL, all of its requests. */
static double rollout_requests(const struct scenario *s, const struct wl_rollout *ro,
                               const struct lim_cfg *c)
{
    unsigned km = c ? c->kind_mask : JOB_KIND_MASK_ALL, em = c ? c->ep_mask : EP_MASK_ALL;
    double n = (double)ro->users * client_requests_through(&s->client, ro->kind, km, em);
    for (int k = JOB_KIND_GROUP_CREATE; k <= JOB_KIND_GROUP_MEMBERS; k++) {
        double g = wl_rollout_group_jobs(ro, k);
        if (g > 0.0)
            n += g * client_requests_through(&s->client, k, km, em);
    }
    return n;
}

double bound_fair_share_s(const struct scenario *s)
{
    if (s->nrollouts == 0)
        return 0.0;
    double first = INFINITY, last_created = 0.0, n_all = 0.0;
    for (int r = 0; r < s->nrollouts; r++) {
        const struct wl_rollout *ro = &s->rollouts[r];
        first = fmin(first, ro->at_s);
        last_created = fmax(last_created, wl_batch_time(ro, wl_batches(ro) - 1));
        n_all += rollout_requests(s, ro, NULL);
    }
    double lb = last_created - first;
    double mean_lat = s->server.latency.mean_s;
    if (mean_lat > 0.0)
        lb = fmax(lb, n_all * mean_lat / s->client.workers);
    if (s->client.max_rate_per_s > 0.0)
        lb = fmax(lb, (n_all - 1.0) / s->client.max_rate_per_s);
    for (int i = 0; i < s->server.nlimits; i++) {
        const struct lim_cfg *c = &s->server.limits[i];
        double n = 0.0;
        for (int r = 0; r < s->nrollouts; r++)
            n += rollout_requests(s, &s->rollouts[r], c);
        if (n == 0.0)
            continue;
        struct limiter l;
        lim_init(&l, c);
        double rate = lim_sustained_rate(&l, mean_lat), burst = lim_burst(&l);
        lim_fini(&l);
        double frac = 0.0;
        for (int k = 0; k < JOB_KIND_USER_COUNT; k++)
            if (lim_cfg_applies(c, k, client_single_endpoint(k)))
                frac += s->other.mix[k];
        if (isfinite(rate))
            lb = fmax(lb, fluid_time(s, burst, rate, frac, n, first));
    }
    return lb;
}

/* ---- the true lower bound ------------------------------------------------ */

/* The requests one job of this kind sends through limiter i if its user
 * is new (*c0) and if it exists (*c1): they differ only for a create's
 * POST /Users, which an existing user's job sends as PUT /Users/{id}. */
static void requests_through_ends(const struct scenario *s, int kind, int i, double *c0,
                                  double *c1)
{
    const struct lim_cfg *c = &s->server.limits[i];
    struct client_cfg cc = s->client;
    cc.existing_fraction = 0.0;
    *c0 = client_requests_through(&cc, kind, c->kind_mask, c->ep_mask);
    cc.existing_fraction = 1.0;
    *c1 = client_requests_through(&cc, kind, c->kind_mask, c->ep_mask);
}

double bound_requests_through(const struct scenario *s, int kind, int i, int strict)
{
    const struct lim_cfg *c = &s->server.limits[i];
    double f = s->client.existing_fraction;
    if (!strict || f <= 0.0 || f >= 1.0) /* no draw: the count is exact */
        return client_requests_through(&s->client, kind, c->kind_mask, c->ep_mask);
    /* which creates find their user existing is drawn per job: the fewest
     * the limiter could count, whichever way every draw went (the count is
     * linear in the fraction, so an end point) */
    double c0, c1;
    requests_through_ends(s, kind, i, &c0, &c1);
    return fmin(c0, c1);
}

/* How much the requests one job of this kind sends through limiter i can
 * differ with the existing-user draw: |c1 - c0| (requests_through_ends);
 * 0 for other kinds or without existing_fraction. */
static double requests_through_range(const struct scenario *s, int kind, int i)
{
    double f = s->client.existing_fraction;
    if (kind != JOB_KIND_CREATE || f <= 0.0 || f >= 1.0)
        return 0.0;
    double c0, c1;
    requests_through_ends(s, kind, i, &c0, &c1);
    return fabs(c1 - c0);
}

double bound_requests_per_job(const struct scenario *s, int kind)
{
    return (double)s->client.recipe[kind].n;
}

/* The boundaries' tolerance of the limiters (models/limiter.c), so the
 * bound never exceeds what a boundary case allows. */
#define EPS_S 1e-6

/* Least time from t0 for limiter c alone to admit n requests, seconds; 0
 * if n fits at once. mean_lat for concurrency (a mean term: *mean_term
 * is set). */
static double quota_time(const struct lim_cfg *c, double n, double t0, double mean_lat,
                         int *mean_term)
{
    if (n <= 0.0)
        return 0.0;
    switch (c->type) {
    case LIM_TOKEN_BUCKET:
        return n <= c->burst ? 0.0 : (n - c->burst) / c->rate_per_s;
    case LIM_FIXED_WINDOW: {
        /* windows [k w - phase, (k+1) w - phase): the n-th admission is in
         * window floor((t0 + phase) / w) + ceil(n / L) - 1 at the earliest */
        double k0 = floor((t0 + c->phase_s + EPS_S) / c->window_s);
        double t = (k0 + ceil(n / c->limit - 1e-12) - 1.0) * c->window_s - c->phase_s - t0 -
                   EPS_S;
        return t > 0.0 ? t : 0.0;
    }
    case LIM_SLIDING_WINDOW: {
        double t = (ceil(n / c->limit - 1e-12) - 1.0) * c->window_s - EPS_S;
        return t > 0.0 ? t : 0.0;
    }
    case LIM_CONCURRENCY:
        *mean_term = 1;
        return n * mean_lat / c->concurrency;
    }
    return 0.0;
}

/* Jobs of rollout ro created at or after time t, by kind (users of its
 * kind, group creations with the first batch, membership patches with
 * every batch), into n[JOB_KIND_COUNT]. */
static void jobs_from(const struct wl_rollout *ro, double t, double *n)
{
    long nb = wl_batches(ro);
    long k0 = 0; /* the first batch at or after t */
    if (t > ro->at_s)
        k0 = nb <= 1 ? nb : (long)ceil((t - ro->at_s) / ro->batch_interval_s - 1e-12);
    if (k0 >= nb)
        return;
    n[ro->kind] += (double)ro->users - (nb > 1 ? (double)k0 * (double)ro->batch_size : 0.0);
    if (k0 == 0)
        n[JOB_KIND_GROUP_CREATE] += (double)wl_batch_group_creates(ro, 0);
    /* patches: every batch but the last is full */
    double full = nb > 1 ? (double)(nb - 1 - k0) : 0.0;
    n[JOB_KIND_GROUP_MEMBERS] +=
        full * (double)wl_batch_group_patches(ro, 0) + (double)wl_batch_group_patches(ro, nb - 1);
}

/* The bound of the jobs created at or after time t (a batch time). */
static void bound_from(const struct scenario *s, double t, double first, struct bound_parts *b)
{
    double mean_lat = s->server.latency.mean_s;
    int constant = s->server.latency.type == DIST_CONSTANT;
    double nk[JOB_KIND_COUNT] = {0}, n = 0.0, work = 0.0;
    for (int r = 0; r < s->nrollouts; r++)
        jobs_from(&s->rollouts[r], t, nk);
    for (int k = 0; k < JOB_KIND_COUNT; k++) {
        n += nk[k];
        work += nk[k] * bound_requests_per_job(s, k);
    }
    if (n <= 0.0)
        return;
    double strict = 0.0, mean = 0.0, conc_strict = 0.0;
    if (s->client.max_rate_per_s > 0.0)
        strict = fmax(strict, (work - 1.0) / s->client.max_rate_per_s);
    for (int i = 0; i < s->server.nlimits; i++) {
        double ni = 0.0, ni_mean = 0.0, spread = 0.0;
        for (int k = 0; k < JOB_KIND_COUNT; k++)
            if (nk[k] > 0.0) {
                double d = requests_through_range(s, k, i);
                ni += nk[k] * bound_requests_through(s, k, i, 1);
                ni_mean += nk[k] * bound_requests_through(s, k, i, 0);
                spread += nk[k] * d * d;
            }
        /* The existing-user draws are independent, so by Hoeffding's
         * inequality the count falls more than sqrt(spread ln(1e11) / 2)
         * below its mean with probability below 1e-11, far below any
         * replication count: that much below the mean is taken as holding
         * in every replication (never below the fewest possible). */
        ni = fmax(ni, ni_mean - sqrt(spread * log(1e11) / 2.0));
        int is_mean = 0;
        double q = quota_time(&s->server.limits[i], ni, t, mean_lat, &is_mean);
        if (is_mean)
            mean = fmax(mean, q);
        else
            strict = fmax(strict, q);
        /* with the expected count of the existing-user draws: the mean */
        is_mean = 0;
        mean = fmax(mean, quota_time(&s->server.limits[i], ni_mean, t, mean_lat, &is_mean));
    }
    if (constant) /* then the mean terms hold in every replication */
        conc_strict = mean;
    /* the last admitted request still needs its response: a constant
     * latency is a floor under every response (the workers and
     * concurrency terms already hold the latencies) */
    if (constant)
        strict += mean_lat;
    double w = work * mean_lat / s->client.workers;
    mean = fmax(mean, w);
    if (constant)
        strict = fmax(strict, fmax(w, conc_strict));
    double off = t - first;
    b->strict_s = fmax(b->strict_s, off + strict);
    b->lower_bound_s = fmax(b->lower_bound_s, off + fmax(strict, mean));
}

void bound_compute(const struct scenario *s, struct bound_parts *out)
{
    out->lower_bound_s = out->strict_s = 0.0;
    if (s->nrollouts == 0)
        return;
    double first = INFINITY;
    long batches = 0;
    for (int r = 0; r < s->nrollouts; r++) {
        first = fmin(first, s->rollouts[r].at_s);
        batches += wl_batches(&s->rollouts[r]);
    }
    /* every batch time of every rollout is a suffix to bound; with very
     * many batches a sample of them (a max over fewer suffixes is still
     * a bound), always with each rollout's first and last */
    long step = batches > 2048 ? batches / 2048 : 1;
    for (int r = 0; r < s->nrollouts; r++) {
        const struct wl_rollout *ro = &s->rollouts[r];
        long nb = wl_batches(ro);
        for (long k = 0; k < nb; k += step)
            bound_from(s, wl_batch_time(ro, k), first, out);
        bound_from(s, wl_batch_time(ro, nb - 1), first, out);
    }
    out->lower_bound_s = fmax(out->lower_bound_s, out->strict_s);
}

double bound_clear_time_s(const struct scenario *s)
{
    struct bound_parts b;
    bound_compute(s, &b);
    return b.lower_bound_s;
}

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

double bound_clear_time_s(const struct scenario *s)
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

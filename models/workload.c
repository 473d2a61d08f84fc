/* workload.c -- see workload.h. */
#include "models/workload.h"

#include <math.h>

#include "base/units.h"
#include "engine/rng.h"


long wl_batches(const struct wl_rollout *r)
{
    if (r->batch_size <= 0 || r->batch_size >= r->users)
        return 1;
    return (r->users + r->batch_size - 1) / r->batch_size;
}

long wl_batch_group_creates(const struct wl_rollout *r, long k)
{
    return k == 0 && r->group.create_groups ? r->group.groups : 0;
}

long wl_batch_group_patches(const struct wl_rollout *r, long k)
{
    if (r->group.groups <= 0)
        return 0;
    long n = wl_batch_jobs(r, k), m = r->group.members_per_patch;
    return n > 0 ? r->group.groups * ((n + m - 1) / m) : 0;
}

double wl_rollout_group_jobs(const struct wl_rollout *r, int kind)
{
    double n = 0.0;
    for (long k = 0, nb = wl_batches(r); k < nb; k++)
        n += (double)(kind == JOB_KIND_GROUP_CREATE ? wl_batch_group_creates(r, k)
                                                    : wl_batch_group_patches(r, k));
    return n;
}

double wl_rollout_jobs(const struct wl_rollout *r)
{
    return (double)r->users + wl_rollout_group_jobs(r, JOB_KIND_GROUP_CREATE) +
           wl_rollout_group_jobs(r, JOB_KIND_GROUP_MEMBERS);
}

long wl_batch_jobs(const struct wl_rollout *r, long k)
{
    if (r->batch_size <= 0 || r->batch_size >= r->users)
        return k == 0 ? r->users : 0;
    long left = r->users - k * r->batch_size;
    if (left <= 0)
        return 0;
    return left < r->batch_size ? left : r->batch_size;
}

double wl_batch_time(const struct wl_rollout *r, long k)
{
    return r->at_s + (double)k * r->batch_interval_s;
}

void wl_stream_init(struct wl_stream *w, const struct wl_traffic *cfg, int64_t start_epoch_s)
{
    w->cfg = cfg;
    w->start_epoch_s = start_epoch_s;
    w->peak_per_s = cfg->enabled ? wl_profile_max_rate(&cfg->profile) : 0.0;
    w->hour_from_s = w->hour_to_s = 0.0; /* empty: the first lookup fills it */
    w->hour_rate_per_s = 0.0;
    double c = 0.0;
    for (int k = 0; k < JOB_KIND_COUNT; k++) {
        c += cfg->mix[k];
        w->cum_mix[k] = c;
    }
}

static double rate_at(struct wl_stream *w, double t)
{
    if (!(t >= w->hour_from_s && t < w->hour_to_s)) {
        double abs_s = (double)w->start_epoch_s + t;
        double hour_start = floor(abs_s / 3600.0) * 3600.0;
        w->hour_from_s = hour_start - (double)w->start_epoch_s;
        w->hour_to_s = w->hour_from_s + 3600.0;
        w->hour_rate_per_s = wl_profile_rate(&w->cfg->profile, w->start_epoch_s, t);
    }
    return w->hour_rate_per_s;
}

double wl_stream_next(struct wl_stream *w, double t, double horizon_s, gsl_rng *r)
{
    if (w->peak_per_s <= 0.0)
        return INFINITY;
    /* Inversion of the integrated rate: the next arrival is where the
     * expected number of arrivals since t reaches an Exp(1) draw e. The
     * rate is constant within a clock hour, so e is spent hour by hour at
     * each hour's rate: exact for the piecewise-constant profile, one
     * uniform per arrival (thinning at the peak rate spent two per
     * candidate, and rejected most candidates off-peak). */
    double e = rng_exp1(r);
    for (;;) {
        double rate = rate_at(w, t);
        double room = (w->hour_to_s - t) * rate; /* expected arrivals left in the hour */
        if (e < room) {
            t += e / rate;
            return t > horizon_s ? INFINITY : t;
        }
        e -= room;
        t = w->hour_to_s;
        if (t > horizon_s)
            return INFINITY;
    }
}

int wl_stream_kind(const struct wl_stream *w, gsl_rng *r)
{
    double u = rng_uniform(r) * w->cum_mix[JOB_KIND_COUNT - 1];
    for (int k = 0; k < JOB_KIND_COUNT - 1; k++)
        if (u < w->cum_mix[k])
            return k;
    return JOB_KIND_COUNT - 1;
}

/* ---- profiles -------------------------------------------------------- */

double wl_profile_rate(const struct wl_profile *p, int64_t start_epoch_s, double t)
{
    int64_t hour = (int64_t)floor(((double)start_epoch_s + t) / 3600.0);
    int hod = (int)(hour - units_floor_div(hour, 24) * 24);
    const double *day = units_weekday(hour * 3600) >= 5 ? p->weekend : p->weekday;
    return day[hod] / 3600.0;
}

double wl_profile_max_rate(const struct wl_profile *p)
{
    double mx = 0;
    for (int h = 0; h < 24; h++) {
        if (p->weekday[h] > mx)
            mx = p->weekday[h];
        if (p->weekend[h] > mx)
            mx = p->weekend[h];
    }
    return mx / 3600.0;
}

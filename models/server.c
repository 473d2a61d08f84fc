/* server.c -- see server.h. */
#include "models/server.h"

#include "engine/rng.h"

#include <math.h>
#include <string.h>

void srv_init(struct server *s, const struct srv_cfg *cfg)
{
    s->cfg = cfg;
    s->nlims = cfg->nlimits;
    memset(s->sel, 0, sizeof s->sel);
    memset(s->holds, 0, sizeof s->holds);
    for (int i = 0; i < s->nlims; i++) {
        const struct lim_cfg *c = &cfg->limits[i];
        lim_init(&s->lims[i], c);
        for (int k = 0; k < JOB_KIND_COUNT; k++)
            for (int e = 0; e < EP_COUNT; e++)
                if (lim_cfg_applies(c, k, e)) {
                    s->sel[k][e] |= (uint16_t)(1u << i);
                    if (c->type == LIM_CONCURRENCY)
                        s->holds[k][e] |= (uint16_t)(1u << i);
                }
    }
    memset(s->refusals, 0, sizeof s->refusals);
    s->buckets_only = cfg->ra_mode == SRV_RA_LIMITER && !(cfg->ra_jitter_s > 0.0);
    for (int i = 0; i < s->nlims; i++)
        s->buckets_only &= lim_is_plain_bucket(&cfg->limits[i]);
}

void srv_fini(struct server *s)
{
    for (int i = 0; i < s->nlims; i++)
        lim_fini(&s->lims[i]);
    s->nlims = 0;
}

void srv_reset(struct server *s)
{
    for (int i = 0; i < s->nlims; i++)
        lim_reset(&s->lims[i]);
    memset(s->refusals, 0, sizeof s->refusals);
}

int srv_admit_general(struct server *s, double t, int kind, int ep, double *retry_after_s,
                      int *refused_by, gsl_rng *jitter_rng)
{
    double ra = 0.0;
    int refused = 0, by = -1;
    unsigned sel = s->sel[kind][ep];
    for (unsigned m = sel; m; m &= m - 1) {
        int i = __builtin_ctz(m);
        double r;
        if (!lim_admit_fast(&s->lims[i], t, &r)) {
            refused = 1;
            if (r > ra || by < 0) {
                ra = r;
                by = i;
            }
        }
    }
    if (!refused) {
        /* every limiter's rule ran at t and admitted: only the counts change */
        for (unsigned m = sel; m; m &= m - 1)
            lim_take_admitted_fast(&s->lims[__builtin_ctz(m)], t);
        return 1;
    }
    if (s->cfg->count_rejected) {
        /* a refused request holds no place in service; a locked-out
         * limiter's rule did not run, so bring each up to t */
        for (unsigned m = sel & ~(unsigned)s->holds[kind][ep]; m; m &= m - 1)
            lim_take(&s->lims[__builtin_ctz(m)], t);
    }
    s->refusals[by]++;
    *refused_by = by;
    if (s->cfg->ra_mode == SRV_RA_NONE) {
        *retry_after_s = 0.0; /* no header; no jitter drawn (the parser refuses one) */
        return 0;
    }
    if (s->cfg->ra_mode == SRV_RA_LIMITER && s->cfg->ra_jitter_s == 0.0) {
        *retry_after_s = ra; /* the limiter's: whole seconds >= 1 already */
        return 0;
    }
    if (s->cfg->ra_mode == SRV_RA_FIXED)
        ra = s->cfg->ra_fixed_s;
    if (s->cfg->ra_jitter_s > 0.0)
        ra += s->cfg->ra_jitter_s * rng_uniform(jitter_rng);
    /* HTTP sends whole seconds; a client never sees Retry-After: 0 here */
    ra = ceil(ra - 1e-9);
    *retry_after_s = ra < 1.0 ? 1.0 : ra;
    return 0;
}

void srv_release(struct server *s, int kind, int ep)
{
    for (unsigned m = s->holds[kind][ep]; m; m &= m - 1)
        lim_release(&s->lims[__builtin_ctz(m)]);
}

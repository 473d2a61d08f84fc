/* server.c -- see server.h. */
#include "models/server.h"

#include "engine/rng.h"

#include <math.h>

void srv_init(struct server *s, const struct srv_cfg *cfg)
{
    s->cfg = cfg;
    s->nlims = cfg->nlimits;
    s->concurrency_mask = 0;
    for (int i = 0; i < s->nlims; i++) {
        lim_init(&s->lims[i], &cfg->limits[i]);
        if (cfg->limits[i].type == LIM_CONCURRENCY)
            s->concurrency_mask |= cfg->limits[i].applies_mask;
    }
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
}

int srv_admit(struct server *s, double t, int kind, double *retry_after_s, gsl_rng *jitter_rng)
{
    double ra = 0.0;
    int refused = 0;
    for (int i = 0; i < s->nlims; i++) {
        struct limiter *l = &s->lims[i];
        double r;
        if (lim_applies(l, kind) && !lim_admit(l, t, &r)) {
            refused = 1;
            if (r > ra)
                ra = r;
        }
    }
    if (!refused || s->cfg->count_rejected) {
        for (int i = 0; i < s->nlims; i++) {
            struct limiter *l = &s->lims[i];
            /* a refused request holds no place in service */
            if (lim_applies(l, kind) && !(refused && l->cfg.type == LIM_CONCURRENCY))
                lim_take(l, t);
        }
    }
    if (!refused)
        return 1;
    if (s->cfg->ra_mode == SRV_RA_NONE) {
        *retry_after_s = 0.0; /* no header; no jitter drawn (the parser refuses one) */
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

void srv_release(struct server *s, int kind)
{
    for (int i = 0; i < s->nlims; i++) {
        struct limiter *l = &s->lims[i];
        if (l->cfg.type == LIM_CONCURRENCY && lim_applies(l, kind))
            lim_release(l);
    }
}

/* test_server.c -- the server's two ways of deciding a request: the inline
 * one of a server of plain token buckets (srv_admit, buckets_only) against
 * the general one (srv_admit_general) on the same random requests; every
 * decision, Retry-After, refusing limiter and bucket state must agree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include <gsl/gsl_rng.h>

#include "models/endpoint.h"
#include "models/job.h"
#include "models/server.h"

#define SEED 20261202UL

/* A random server of 1-3 buckets, each on a random set of endpoints or
 * kinds, with or without a debt cap; count_rejected as given. */
static void random_cfg(struct srv_cfg *c, gsl_rng *r, int count_rejected)
{
    memset(c, 0, sizeof *c);
    c->nlimits = 1 + (int)gsl_rng_uniform_int(r, 3);
    c->ra_mode = SRV_RA_LIMITER;
    c->count_rejected = count_rejected;
    for (int i = 0; i < c->nlimits; i++) {
        struct lim_cfg *l = &c->limits[i];
        l->type = LIM_TOKEN_BUCKET;
        l->rate_per_s = 0.5 + gsl_rng_uniform(r) * 20.0;
        l->burst = 1.0 + (double)gsl_rng_uniform_int(r, 10);
        l->max_debt = gsl_rng_uniform(r) < 0.5 ? 0.0 : 1.0 + (double)gsl_rng_uniform_int(r, 5);
        if (i == 0)
            l->ep_mask = EP_MASK_ALL;
        else if (gsl_rng_uniform(r) < 0.5)
            l->ep_mask = (unsigned)gsl_rng_uniform_int(r, EP_MASK_ALL + 1u);
        else
            l->kind_mask = (unsigned)gsl_rng_uniform_int(r, JOB_KIND_MASK_ALL + 1u);
    }
}

static void test_buckets_inline_match_general(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, SEED);
    long refused = 0, decided = 0, ties = 0;
    for (int trial = 0; trial < 400; trial++) {
        struct srv_cfg cfg;
        random_cfg(&cfg, r, trial % 2);
        struct server a, b;
        srv_init(&a, &cfg);
        srv_init(&b, &cfg);
        assert_int_equal(a.buckets_only, 1);
        b.buckets_only = 0; /* the general rules */
        double t = 0.0;
        for (int k = 0; k < 300; k++) {
            /* bursts of requests at one instant, then gaps */
            if (gsl_rng_uniform(r) < 0.6)
                t += gsl_rng_uniform(r) < 0.3 ? 0.0 : gsl_rng_uniform(r) * 0.5;
            int kind = (int)gsl_rng_uniform_int(r, JOB_KIND_COUNT);
            int ep = (int)gsl_rng_uniform_int(r, EP_COUNT);
            double ra_a = -1, ra_b = -1;
            int by_a = -2, by_b = -2;
            int ok_a = srv_admit(&a, t, kind, ep, &ra_a, &by_a, NULL);
            int ok_b = srv_admit(&b, t, kind, ep, &ra_b, &by_b, NULL);
            assert_int_equal(ok_a, ok_b);
            assert_true(ra_a == ra_b);
            assert_int_equal(by_a, by_b);
            decided++;
            refused += !ok_a;
            ties += !ok_a && a.nlims > 1;
            for (int i = 0; i < a.nlims; i++) {
                assert_true(a.lims[i].tokens == b.lims[i].tokens);
                assert_true(a.lims[i].last_s == b.lims[i].last_s);
                assert_null(lim_check(&a.lims[i]));
            }
            for (int i = 0; i < a.nlims; i++)
                assert_true(a.refusals[i] == b.refusals[i]);
        }
        srv_fini(&a);
        srv_fini(&b);
    }
    /* the sequences exercised both answers, and refusals with several buckets */
    assert_true(refused > decided / 10 && refused < decided - decided / 10);
    assert_true(ties > 1000);
    gsl_rng_free(r);
}

/* What takes a server off the inline path. */
static void test_buckets_only_flag(void **state)
{
    (void)state;
    struct srv_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.nlimits = 1;
    cfg.limits[0] = (struct lim_cfg){.type = LIM_TOKEN_BUCKET, .rate_per_s = 1, .burst = 1,
                                     .ep_mask = EP_MASK_ALL};
    struct server s;
    srv_init(&s, &cfg);
    assert_int_equal(s.buckets_only, 1);
    srv_fini(&s);
    cfg.limits[0].lockout_s = 60;
    srv_init(&s, &cfg);
    assert_int_equal(s.buckets_only, 0);
    srv_fini(&s);
    cfg.limits[0].lockout_s = 0;
    cfg.ra_jitter_s = 2;
    srv_init(&s, &cfg);
    assert_int_equal(s.buckets_only, 0);
    srv_fini(&s);
    cfg.ra_jitter_s = 0;
    cfg.ra_mode = SRV_RA_FIXED;
    srv_init(&s, &cfg);
    assert_int_equal(s.buckets_only, 0);
    srv_fini(&s);
    cfg.ra_mode = SRV_RA_LIMITER;
    cfg.nlimits = 2;
    cfg.limits[1] = (struct lim_cfg){.type = LIM_FIXED_WINDOW, .limit = 5, .window_s = 60,
                                     .ep_mask = EP_MASK_ALL};
    srv_init(&s, &cfg);
    assert_int_equal(s.buckets_only, 0);
    srv_fini(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buckets_inline_match_general),
        cmocka_unit_test(test_buckets_only_flag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

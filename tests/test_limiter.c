/* test_limiter.c -- every limiter rule on hand-made request sequences (exact
 * admit/reject patterns and Retry-After values), then a long random
 * sequence per type checked against the guarantee the rule promises. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>

#include "models/job.h"
#include "models/endpoint.h"
#include "models/limiter.h"

#define SEED 20240611UL

static struct lim_cfg cfg_fixed(double limit, double window_s)
{
    struct lim_cfg c = {.type = LIM_FIXED_WINDOW, .limit = limit, .window_s = window_s,
                        .ep_mask = EP_MASK_ALL};
    return c;
}

static struct lim_cfg cfg_sliding(double limit, double window_s)
{
    struct lim_cfg c = {.type = LIM_SLIDING_WINDOW, .limit = limit, .window_s = window_s,
                        .ep_mask = EP_MASK_ALL};
    return c;
}

static struct lim_cfg cfg_bucket(double rate_per_s, double burst)
{
    struct lim_cfg c = {.type = LIM_TOKEN_BUCKET, .rate_per_s = rate_per_s, .burst = burst,
                        .ep_mask = EP_MASK_ALL};
    return c;
}

static struct lim_cfg cfg_conc(double concurrency, double retry_after_s)
{
    struct lim_cfg c = {.type = LIM_CONCURRENCY, .concurrency = concurrency,
                        .retry_after_s = retry_after_s, .ep_mask = EP_MASK_ALL};
    return c;
}

/* Checks a request at t; if admitted, takes it. Returns 1 if admitted, else
 * 0 with *ra set. Asserts the invariants after every step. */
static int request(struct limiter *l, double t, double *ra)
{
    *ra = -1;
    int ok = lim_admit(l, t, ra);
    if (ok) {
        assert_true(*ra == -1); /* untouched on admission */
        lim_take(l, t);
    } else {
        assert_true(*ra >= 1 && *ra == floor(*ra));
    }
    assert_null(lim_check(l));
    return ok;
}

static void expect_admit(struct limiter *l, double t)
{
    double ra;
    if (!request(l, t, &ra))
        fail_msg("t=%g: expected admission, got rejection with Retry-After %g", t, ra);
}

static void expect_reject(struct limiter *l, double t, double want_ra)
{
    double ra;
    if (request(l, t, &ra))
        fail_msg("t=%g: expected rejection with Retry-After %g, got admission", t, want_ra);
    if (ra != want_ra)
        fail_msg("t=%g: Retry-After %g, want %g", t, ra, want_ra);
}

/* ---- exact patterns --------------------------------------------------- */

static void fixed_window_pattern(void **state)
{
    (void)state;
    struct lim_cfg c = cfg_fixed(3, 10);
    struct limiter l;
    lim_init(&l, &c);
    expect_admit(&l, 0);
    expect_admit(&l, 1);
    expect_admit(&l, 2);
    expect_reject(&l, 3, 7);
    expect_reject(&l, 9.5, 1); /* ceil(0.5) */
    expect_reject(&l, 9.999, 1);
    expect_admit(&l, 10); /* new window [10, 20) */
    expect_admit(&l, 15);
    expect_admit(&l, 19);
    expect_reject(&l, 19, 1);
    expect_reject(&l, 12.0 + 7.5, 1); /* 19.5 */
    expect_admit(&l, 35);             /* skipped a window entirely */
    expect_admit(&l, 35);
    expect_admit(&l, 35);
    expect_reject(&l, 35, 5);
    expect_reject(&l, 35.3, 5); /* ceil(4.7) */
    /* A client that waits exactly Retry-After is admitted even when the
     * floating-point sum lands a few ulps before the window boundary. */
    double sum = 0;
    for (int i = 0; i < 60; i++)
        sum += 0.1; /* 5.999999999999995 */
    double t = 30 + sum; /* 35.99999999999999 */
    expect_reject(&l, t, 4);
    assert_true(t + 4 < 40);
    expect_admit(&l, t + 4);
    lim_fini(&l);
}

static void token_bucket_pattern(void **state)
{
    (void)state;
    struct lim_cfg c = cfg_bucket(2, 3);
    struct limiter l;
    lim_init(&l, &c);
    expect_admit(&l, 0); /* starts full */
    expect_admit(&l, 0);
    expect_admit(&l, 0);
    expect_reject(&l, 0, 1); /* (1 - 0) / 2 = 0.5 -> 1 */
    expect_reject(&l, 0.25, 1);
    expect_admit(&l, 0.5); /* one token refilled */
    expect_reject(&l, 0.5, 1);
    expect_admit(&l, 100); /* refills to burst 3, not more */
    expect_admit(&l, 100);
    expect_admit(&l, 100);
    expect_reject(&l, 100, 1);
    lim_fini(&l);

    c = cfg_bucket(0.1, 1);
    lim_init(&l, &c);
    expect_admit(&l, 0);
    expect_reject(&l, 0, 10); /* 1 / 0.1 */
    expect_reject(&l, 2.5, 8); /* (1 - 0.25) / 0.1 = 7.5 -> 8 */
    expect_reject(&l, 9.99, 1);
    expect_admit(&l, 10);
    lim_fini(&l);

    /* Fractional burst above 1: 2.5 tokens admit two, then the half token
     * shortens the wait: (1 - 0.5) / 0.25 = 2 s. */
    c = cfg_bucket(0.25, 2.5);
    lim_init(&l, &c);
    expect_admit(&l, 0);
    expect_admit(&l, 0);
    expect_reject(&l, 0, 2);
    expect_admit(&l, 2);
    lim_fini(&l);
}

static void sliding_window_pattern(void **state)
{
    (void)state;
    struct lim_cfg c = cfg_sliding(2, 10);
    struct limiter l;
    lim_init(&l, &c);
    expect_admit(&l, 0);
    expect_admit(&l, 4);
    expect_reject(&l, 5, 5);  /* 0 leaves at 10 */
    expect_admit(&l, 10);     /* 0 has left: window (0, 10] */
    expect_reject(&l, 11, 3); /* 4 leaves at 14 */
    expect_reject(&l, 13.5, 1);
    expect_admit(&l, 14);
    expect_reject(&l, 14, 6); /* 10 leaves at 20 */
    lim_fini(&l);

    /* L = 3: the wait is until the (len - L)-th oldest leaves. */
    c = cfg_sliding(3, 60);
    lim_init(&l, &c);
    expect_admit(&l, 1);
    expect_admit(&l, 2);
    expect_admit(&l, 30);
    expect_reject(&l, 40, 21); /* 1 leaves at 61 */
    expect_admit(&l, 61);
    expect_reject(&l, 61, 1); /* 2 leaves at 62 */
    expect_admit(&l, 62.5);
    expect_reject(&l, 62.5, 28); /* 30 leaves at 90: 27.5 -> 28 */
    lim_fini(&l);
}

static void concurrency_pattern(void **state)
{
    (void)state;
    struct lim_cfg c = cfg_conc(2, 30);
    struct limiter l;
    lim_init(&l, &c);
    expect_admit(&l, 0);
    expect_admit(&l, 0.1);
    expect_reject(&l, 0.2, 30);
    expect_reject(&l, 500, 30); /* time alone frees nothing */
    lim_release(&l);
    expect_admit(&l, 500);
    expect_reject(&l, 500, 30);
    lim_release(&l);
    lim_release(&l);
    assert_true(l.in_service == 0);
    assert_null(lim_check(&l));
    lim_fini(&l);

    /* The configured value is rounded up to whole seconds, at least 1. */
    double cases[][2] = {{29.5, 30}, {0, 1}, {0.2, 1}, {1, 1}, {2.0000000001, 2}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        c = cfg_conc(1, cases[i][0]);
        lim_init(&l, &c);
        expect_admit(&l, 0);
        expect_reject(&l, 0, cases[i][1]);
        lim_fini(&l);
    }
}

static void release_is_noop_for_rate_limiters(void **state)
{
    (void)state;
    struct lim_cfg c = cfg_fixed(1, 10);
    struct limiter l;
    lim_init(&l, &c);
    expect_admit(&l, 0);
    lim_release(&l);
    expect_reject(&l, 1, 9);
    lim_fini(&l);
}

static void applies_masks(void **state)
{
    (void)state;
    struct lim_cfg c = cfg_bucket(1, 1);

    /* an older kind selector: every request of that kind's jobs */
    c.ep_mask = 0;
    c.kind_mask = JOB_KIND_MASK(JOB_KIND_CREATE);
    for (int e = 0; e < EP_COUNT; e++) {
        assert_true(lim_cfg_applies(&c, JOB_KIND_CREATE, e));
        assert_false(lim_cfg_applies(&c, JOB_KIND_UPDATE, e));
    }
    /* an endpoint: whatever the job's kind */
    c.kind_mask = 0;
    c.ep_mask = EP_MASK(EP_POST_USERS);
    for (int k = 0; k < JOB_KIND_COUNT; k++) {
        assert_true(lim_cfg_applies(&c, k, EP_POST_USERS));
        assert_false(lim_cfg_applies(&c, k, EP_GET_USERS));
        assert_false(lim_cfg_applies(&c, k, EP_PUT_USER));
    }
    c.ep_mask = EP_MASK_ALL;
    for (int k = 0; k < JOB_KIND_COUNT; k++)
        for (int e = 0; e < EP_COUNT; e++)
            assert_true(lim_cfg_applies(&c, k, e));
    c.ep_mask = 0;
    for (int k = 0; k < JOB_KIND_COUNT; k++)
        for (int e = 0; e < EP_COUNT; e++)
            assert_false(lim_cfg_applies(&c, k, e));
}

/* The selector forms of endpoint.h, each against its whole meaning. */
static void endpoint_selectors(void **state)
{
    (void)state;
    assert_int_equal(ep_selector_mask("POST /Users"), EP_MASK(EP_POST_USERS));
    assert_int_equal(ep_selector_mask("PATCH /Groups/{id}"), EP_MASK(EP_PATCH_GROUP));
    assert_int_equal(ep_selector_mask("GET"),
                     EP_MASK(EP_GET_USERS) | EP_MASK(EP_GET_USER) | EP_MASK(EP_GET_GROUPS) |
                         EP_MASK(EP_GET_GROUP));
    assert_int_equal(ep_selector_mask("reads"), ep_selector_mask("GET"));
    assert_int_equal(ep_selector_mask("writes"), EP_MASK_ALL & ~ep_selector_mask("GET"));
    assert_int_equal(ep_selector_mask("PATCH"), EP_MASK(EP_PATCH_USER) | EP_MASK(EP_PATCH_GROUP));
    assert_int_equal(ep_selector_mask("/Users"),
                     EP_MASK(EP_GET_USERS) | EP_MASK(EP_GET_USER) | EP_MASK(EP_POST_USERS) |
                         EP_MASK(EP_PUT_USER) | EP_MASK(EP_PATCH_USER) | EP_MASK(EP_DELETE_USER));
    assert_int_equal(ep_selector_mask("/Users/{id}"),
                     EP_MASK(EP_GET_USER) | EP_MASK(EP_PUT_USER) | EP_MASK(EP_PATCH_USER) |
                         EP_MASK(EP_DELETE_USER));
    assert_int_equal(ep_selector_mask("/Groups") | ep_selector_mask("/Users"), EP_MASK_ALL);
    assert_int_equal(ep_selector_mask("/Use"), 0);
    assert_int_equal(ep_selector_mask("POST /users"), 0);
    assert_int_equal(ep_selector_mask("create"), 0);
    for (int e = 0; e < EP_COUNT; e++)
        assert_int_equal(ep_parse(ep_name((enum endpoint)e)), e);
}

/* After reset each limiter behaves exactly as a fresh one, and the sliding
 * window keeps its ring memory. */
static void reset_restores_start(void **state)
{
    (void)state;
    struct lim_cfg cfgs[] = {cfg_fixed(3, 10), cfg_bucket(2, 3), cfg_sliding(2, 10),
                             cfg_conc(2, 30)};
    for (size_t i = 0; i < sizeof cfgs / sizeof cfgs[0]; i++) {
        struct limiter l;
        lim_init(&l, &cfgs[i]);
        double ra;
        for (int j = 0; j < 40; j++)
            (void)request(&l, 100 + j * 0.01, &ra);
        double *ring = l.ring;
        size_t cap = l.ring_cap;
        lim_reset(&l);
        assert_null(lim_check(&l));
        assert_ptr_equal(l.ring, ring);
        assert_int_equal(l.ring_cap, cap);
        assert_int_equal(l.ring_len, 0);
        assert_true(l.in_service == 0);
        assert_true(l.count == 0 && l.window_index == 0 && l.last_s == 0);

        struct limiter fresh;
        lim_init(&fresh, &cfgs[i]);
        for (int j = 0; j < 8; j++) {
            double t = j * 0.7, ra1 = 0, ra2 = 0;
            int a1 = request(&l, t, &ra1);
            int a2 = request(&fresh, t, &ra2);
            assert_int_equal(a1, a2);
            if (!a1 && ra1 != ra2)
                fail_msg("%s: after reset Retry-After %g, fresh %g at t=%g",
                         lim_type_name(cfgs[i].type), ra1, ra2, t);
        }
        lim_fini(&fresh);
        lim_fini(&l);
    }
    /* Token bucket specifically: full again, last = 0. */
    struct lim_cfg c = cfg_bucket(1, 5);
    struct limiter l;
    lim_init(&l, &c);
    for (int j = 0; j < 5; j++)
        lim_take(&l, 50);
    lim_reset(&l);
    assert_true(l.tokens == 5);
    assert_true(l.last_s == 0);
    lim_fini(&l);
}

/* count_rejected: the server takes quota for a rejected request too. */
static void count_rejected_semantics(void **state)
{
    (void)state;
    double ra;
    struct limiter l;

    /* Token bucket: the debt makes tokens negative and lengthens the wait. */
    struct lim_cfg c = cfg_bucket(1, 1);
    lim_init(&l, &c);
    expect_admit(&l, 0);
    assert_false(lim_admit(&l, 0, &ra));
    assert_true(ra == 1);
    lim_take(&l, 0); /* rejected but counted */
    assert_true(l.tokens == -1);
    assert_null(lim_check(&l));
    expect_reject(&l, 0, 2);
    lim_take(&l, 0.5); /* -1 + 0.5 - 1 = -1.5 */
    assert_true(l.tokens == -1.5);
    expect_reject(&l, 0.5, 3); /* 2.5 / 1 -> 3 */
    expect_reject(&l, 2.5, 1); /* tokens 0.5 */
    expect_admit(&l, 3);
    lim_fini(&l);

    /* Fixed window: counted beyond the limit; the window end still frees it. */
    c = cfg_fixed(1, 10);
    lim_init(&l, &c);
    expect_admit(&l, 0);
    assert_false(lim_admit(&l, 1, &ra));
    lim_take(&l, 1);
    assert_true(l.count == 2);
    expect_reject(&l, 2, 8);
    expect_admit(&l, 10);
    lim_fini(&l);

    /* Sliding window: a counted rejection stays in the window for w. */
    c = cfg_sliding(1, 10);
    lim_init(&l, &c);
    expect_admit(&l, 0);
    expect_reject(&l, 5, 5);
    lim_take(&l, 5);
    expect_reject(&l, 10, 5); /* 0 left, but 5 is there until 15 */
    expect_admit(&l, 15);
    lim_fini(&l);

    /* Sliding window L = 2: three counted, so two must leave. */
    c = cfg_sliding(2, 10);
    lim_init(&l, &c);
    expect_admit(&l, 0);
    expect_admit(&l, 1);
    lim_take(&l, 2); /* rejected, counted */
    expect_reject(&l, 3, 8); /* 0 and 1 must leave: 1 + 10 - 3 */
    lim_fini(&l);
}

static void invariants_detect_corruption(void **state)
{
    (void)state;
    struct limiter l;
    struct lim_cfg c = cfg_bucket(1, 2);
    lim_init(&l, &c);
    assert_null(lim_check(&l));
    l.tokens = 2.5;
    assert_non_null(lim_check(&l));
    lim_fini(&l);

    c = cfg_conc(2, 1);
    lim_init(&l, &c);
    l.in_service = -1;
    assert_non_null(lim_check(&l));
    lim_fini(&l);

    c = cfg_sliding(2, 10);
    lim_init(&l, &c);
    lim_take(&l, 1);
    lim_take(&l, 2);
    assert_null(lim_check(&l));
    l.ring_len = l.ring_cap + 1;
    assert_non_null(lim_check(&l));
    l.ring_len = 2;
    l.ring[l.ring_head] = 3; /* out of time order */
    assert_non_null(lim_check(&l));
    lim_fini(&l);

    c = cfg_fixed(2, 10);
    lim_init(&l, &c);
    l.count = -1;
    assert_non_null(lim_check(&l));
    lim_fini(&l);
}

static void rates_and_bursts(void **state)
{
    (void)state;
    struct limiter l;
    struct lim_cfg c = cfg_fixed(600, 60);
    lim_init(&l, &c);
    assert_true(lim_sustained_rate(&l, 1) == 10);
    assert_true(lim_burst(&l) == 600);
    lim_fini(&l);

    c = cfg_sliding(20, 5);
    lim_init(&l, &c);
    assert_true(lim_sustained_rate(&l, 1) == 4);
    assert_true(lim_burst(&l) == 20);
    lim_fini(&l);

    c = cfg_bucket(3, 20);
    lim_init(&l, &c);
    assert_true(lim_sustained_rate(&l, 123) == 3);
    assert_true(lim_burst(&l) == 20);
    lim_fini(&l);

    c = cfg_conc(75, 1);
    lim_init(&l, &c);
    assert_true(lim_sustained_rate(&l, 0.5) == 150);
    assert_true(isinf(lim_sustained_rate(&l, 0)));
    assert_true(lim_burst(&l) == 75);
    lim_fini(&l);
}

static void names_round_trip(void **state)
{
    (void)state;
    const char *want[] = {"fixed_window", "token_bucket", "sliding_window", "concurrency"};
    for (int t = 0; t < 4; t++) {
        assert_string_equal(lim_type_name(t), want[t]);
        assert_int_equal(lim_type_parse(want[t]), t);
    }
    assert_int_equal(lim_type_parse("leaky_bucket"), -1);
    assert_int_equal(lim_type_parse(""), -1);
    assert_string_equal(lim_type_name((enum lim_type)99), "?");
}

/* The sliding-window ring wraps and then grows while wrapped: contents must
 * stay in time order and Retry-After must still name the right entry. */
static void sliding_ring_grows_while_wrapped(void **state)
{
    (void)state;
    struct lim_cfg c = cfg_sliding(1000, 10);
    struct limiter l;
    lim_init(&l, &c);
    /* Fill to 12 entries, let 10 expire (head moves), then add many at one
     * time so the ring is full with a wrapped tail and must grow. */
    for (int i = 0; i < 12; i++)
        lim_take(&l, i * 0.5); /* 0 .. 5.5 */
    assert_true(lim_admit(&l, 15.2, NULL)); /* drops 0 .. 5.0 */
    assert_int_equal(l.ring_len, 1);
    for (int i = 0; i < 100; i++) {
        lim_take(&l, 15.2 + i * 0.001);
        assert_null(lim_check(&l));
    }
    assert_int_equal(l.ring_len, 101);
    assert_true(l.ring[l.ring_head] == 5.5); /* oldest, leaves at 15.5 */
    assert_true(lim_admit(&l, 15.49, NULL));
    assert_int_equal(l.ring_len, 101);
    assert_true(lim_admit(&l, 15.51, NULL));
    assert_int_equal(l.ring_len, 100);
    lim_fini(&l);

    /* L = 5 after growth: with 7 counted, Retry-After is set by entry 2. */
    c = cfg_sliding(5, 10);
    lim_init(&l, &c);
    for (int i = 0; i < 20; i++)
        lim_take(&l, i); /* expiring as it goes: the ring wraps */
    /* window at t = 20.5: (10.5, 20.5] holds 11 .. 19 (9 entries) */
    double ra = 0;
    assert_false(lim_admit(&l, 20.5, &ra));
    /* need 9 - 5 + 1 = 5 to leave: 11..15, 15 leaves at 25 */
    assert_true(ra == 5); /* ceil(4.5) */
    assert_null(lim_check(&l));
    lim_fini(&l);
}

/* ---- long random sequences against each rule's guarantee ------------- */

#define NREQ 200000

struct trace {
    double *t; /* admitted times */
    size_t n;
};

/* Reference Retry-After for a sliding window, straight from the list of
 * counted times; *first is the oldest one still in the window (times never
 * go backwards, so it only moves forward). */
static double sliding_ra_reference(const double *counted, size_t n, size_t *first,
                                   double limit, double w, double t)
{
    while (*first < n && counted[*first] <= t - w)
        (*first)++;
    size_t len = n - *first;
    if ((double)len < limit)
        return 0;
    double x = counted[*first + len - (size_t)limit] + w - t;
    double ra = ceil(x - 1e-9);
    return ra < 1 ? 1 : ra;
}

static void random_property(enum lim_type type, int count_rejected, gsl_rng *r)
{
    struct lim_cfg c;
    double L = 7, w = 10, rate = 0.5, burst = 6, C = 4;
    switch (type) {
    case LIM_FIXED_WINDOW:
        c = cfg_fixed(L, w);
        break;
    case LIM_SLIDING_WINDOW:
        c = cfg_sliding(L, w);
        break;
    case LIM_TOKEN_BUCKET:
        c = cfg_bucket(rate, burst);
        break;
    default:
        c = cfg_conc(C, 7);
        break;
    }
    struct limiter l;
    lim_init(&l, &c);

    double *admitted = malloc(NREQ * sizeof *admitted);
    double *counted = malloc(2 * NREQ * sizeof *counted);
    double *departs = malloc(NREQ * sizeof *departs); /* concurrency */
    assert_non_null(admitted);
    assert_non_null(counted);
    assert_non_null(departs);
    size_t na = 0, nc = 0, nd = 0, cfirst = 0;
    double t = 0;

    /* Offered load relative to the sustained rate: 3x overload, or, when
     * rejections are counted (under overload a counting token bucket sinks
     * into debt and never admits again, which is the retry storm that
     * option models), 0.9x, whose clumps still get refused. */
    double load = count_rejected ? 0.9 : 3;
    double mean_gap = 1 / (0.8 * load * lim_sustained_rate(&l, 2));
    for (int i = 0; i < NREQ; i++) {
        /* clumps of simultaneous arrivals, otherwise Poisson */
        if (gsl_rng_uniform(r) >= 0.2)
            t += gsl_ran_exponential(r, mean_gap);

        if (type == LIM_CONCURRENCY) {
            /* release requests that finished by t (each exactly once) */
            size_t k = 0;
            for (size_t j = 0; j < nd; j++) {
                if (departs[j] <= t)
                    lim_release(&l);
                else
                    departs[k++] = departs[j];
            }
            nd = k;
        }

        double ra = 0;
        int ok = lim_admit(&l, t, &ra);
        if (ok) {
            admitted[na++] = t;
            counted[nc++] = t;
            lim_take(&l, t);
            if (type == LIM_CONCURRENCY) {
                departs[nd++] = t + gsl_ran_exponential(r, 2);
                if ((double)nd > C)
                    fail_msg("concurrency: %zu in service at t=%.9g, limit %g", nd, t, C);
            }
        } else {
            if (!(ra >= 1 && ra == floor(ra)))
                fail_msg("%s: bad Retry-After %g at t=%.9g", lim_type_name(type), ra, t);
            if (type == LIM_FIXED_WINDOW) {
                double want = ceil((floor(t / w) + 1) * w - t - 1e-9);
                want = want < 1 ? 1 : want;
                if (ra != want)
                    fail_msg("fixed: Retry-After %g, want %g at t=%.9g", ra, want, t);
            } else if (type == LIM_SLIDING_WINDOW) {
                double want = sliding_ra_reference(counted, nc, &cfirst, L, w, t);
                if (ra != want)
                    fail_msg("sliding: Retry-After %g, want %g at t=%.9g", ra, want, t);
            } else if (type == LIM_TOKEN_BUCKET) {
                /* Sufficient and minimal, on a copy (no ring to share). */
                struct limiter a = l, b = l;
                if (!lim_admit(&a, t + ra, NULL))
                    fail_msg("bucket: still refused after Retry-After %g at t=%.9g", ra, t);
                if (ra > 1 && lim_admit(&b, t + ra - 1, NULL))
                    fail_msg("bucket: Retry-After %g not minimal at t=%.9g", ra, t);
            } else if (ra != 7) {
                fail_msg("concurrency: Retry-After %g, want 7", ra);
            }
            if (count_rejected && type != LIM_CONCURRENCY) {
                counted[nc++] = t;
                lim_take(&l, t);
            }
        }
        if (i % 1000 == 0)
            assert_null(lim_check(&l));
    }
    assert_null(lim_check(&l));

    /* The guarantees, on the admitted times. */
    switch (type) {
    case LIM_FIXED_WINDOW: {
        size_t i = 0;
        while (i < na) {
            double k = floor(admitted[i] / w);
            size_t j = i;
            while (j < na && floor(admitted[j] / w) == k)
                j++;
            if ((double)(j - i) > L)
                fail_msg("fixed: %zu admitted in window %g, limit %g", j - i, k, L);
            i = j;
        }
        break;
    }
    case LIM_SLIDING_WINDOW: {
        /* every interval (s - w, s] ending at an admitted time: the
         * worst intervals end at admitted times */
        size_t lo = 0;
        for (size_t i = 0; i < na; i++) {
            while (admitted[lo] <= admitted[i] - w)
                lo++;
            if ((double)(i - lo + 1) > L)
                fail_msg("sliding: %zu admitted in (%.9g, %.9g], limit %g", i - lo + 1,
                         admitted[i] - w, admitted[i], L);
        }
        break;
    }
    case LIM_TOKEN_BUCKET:
        for (size_t i = 0; i < na; i++)
            if ((double)(i + 1) > burst + rate * admitted[i] + 1e-6)
                fail_msg("bucket: %zu admitted in [0, %.9g], bound %.9g", i + 1, admitted[i],
                         burst + rate * admitted[i]);
        break;
    default:
        break;
    }
    /* Not vacuous: the limiter both admitted and refused plenty. */
    assert_true(na > 1000);
    assert_true(NREQ - na > 1000);
    print_message("%s count_rejected=%d: %zu of %d admitted over %.0f s\n",
                  lim_type_name(type), count_rejected, na, NREQ, t);

    free(admitted);
    free(counted);
    free(departs);
    lim_fini(&l);
}

static void random_sequences_respect_limits(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(r);
    print_message("random_sequences_respect_limits: seed %lu\n", SEED);
    for (int cr = 0; cr <= 1; cr++)
        for (int type = 0; type < 4; type++) {
            gsl_rng_set(r, SEED + (unsigned long)(10 * cr + type));
            random_property((enum lim_type)type, cr, r);
        }
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fixed_window_pattern),
        cmocka_unit_test(token_bucket_pattern),
        cmocka_unit_test(sliding_window_pattern),
        cmocka_unit_test(concurrency_pattern),
        cmocka_unit_test(release_is_noop_for_rate_limiters),
        cmocka_unit_test(applies_masks),
        cmocka_unit_test(endpoint_selectors),
        cmocka_unit_test(reset_restores_start),
        cmocka_unit_test(count_rejected_semantics),
        cmocka_unit_test(invariants_detect_corruption),
        cmocka_unit_test(rates_and_bursts),
        cmocka_unit_test(names_round_trip),
        cmocka_unit_test(sliding_ring_grows_while_wrapped),
        cmocka_unit_test(random_sequences_respect_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_retry.c -- each retry policy's delays (schedule: counted from the
 * first failure; retry_after without a header: the fallback), their
 * ranges under jitter, the random-stream discipline (no draw without
 * jitter), max_attempts, and
 * the mean of full jitter against its confidence interval. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>

#include "models/retry.h"

#define SEED 4242UL
#define NDRAWS 10000

static gsl_rng *new_rng(unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(r);
    gsl_rng_set(r, seed);
    return r;
}

static struct retry_cfg cfg_exp(double base_s, double cap_s, enum retry_jitter j)
{
    struct retry_cfg c = {.policy = RETRY_POLICY_EXPONENTIAL, .base_s = base_s, .cap_s = cap_s,
                          .jitter = j};
    return c;
}

static void expect_delay(double got, double want, unsigned n)
{
    if (got != want)
        fail_msg("failure %u: delay %.17g, want %.17g", n, got, want);
}

static void expect_in(double got, double lo, double hi, unsigned n)
{
    if (!(got >= lo && got <= hi))
        fail_msg("failure %u: delay %.17g outside [%.17g, %.17g]", n, got, lo, hi);
}

/* Asserts that r is at the same point of its stream as a fresh generator
 * with the given seed, i.e. that nothing drew from it. */
static void expect_untouched(gsl_rng *r, unsigned long seed)
{
    gsl_rng *ref = new_rng(seed);
    unsigned long a = gsl_rng_get(r), b = gsl_rng_get(ref);
    if (a != b)
        fail_msg("the stream was drawn from (next %lu, fresh %lu)", a, b);
    gsl_rng_free(ref);
}

static void exponential_no_jitter(void **state)
{
    (void)state;
    gsl_rng *r = new_rng(SEED);
    struct retry_cfg c = cfg_exp(1, 10, JITTER_NONE);
    double want[] = {1, 2, 4, 8, 10, 10, 10};
    double prev = 0;
    for (unsigned n = 1; n <= 7; n++)
        expect_delay(retry_delay(&c, n, 0, 0, &prev, r), want[n - 1], n);
    /* a Retry-After is ignored unless respected */
    expect_delay(retry_delay(&c, 1, 30, 0, &prev, r), 1, 1);
    c = cfg_exp(0.25, 1000, JITTER_NONE);
    expect_delay(retry_delay(&c, 3, 0, 0, &prev, r), 1, 3);
    expect_delay(retry_delay(&c, 12, 0, 0, &prev, r), 512, 12);
    expect_delay(retry_delay(&c, 13, 0, 0, &prev, r), 1000, 13);
    expect_untouched(r, SEED);
    gsl_rng_free(r);
}

static void exponential_large_n(void **state)
{
    (void)state;
    gsl_rng *r = new_rng(SEED);
    struct retry_cfg c = cfg_exp(1, 3600, JITTER_NONE);
    unsigned ns[] = {32, 33, 64, 1023, 1024, 1025, 2199, 2200, 5000, UINT_MAX};
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++)
        expect_delay(retry_delay(&c, ns[i], 0, 0, NULL, r), 3600, ns[i]);
    /* a tiny base and a huge cap: the exact power is still reached */
    c = cfg_exp(ldexp(1, -1074), 1e300, JITTER_NONE);
    expect_delay(retry_delay(&c, 1075, 0, 0, NULL, r), 1, 1075);
    expect_delay(retry_delay(&c, UINT_MAX, 0, 0, NULL, r), 1e300, UINT_MAX);
    /* the largest base: 2^1 * DBL_MAX overflows to inf inside, capped */
    c = cfg_exp(1.7e308, 1.7e308, JITTER_NONE);
    expect_delay(retry_delay(&c, 2, 0, 0, NULL, r), 1.7e308, 2);
    /* jittered variants stay finite too */
    c = cfg_exp(1, 3600, JITTER_FULL);
    double d = retry_delay(&c, UINT_MAX, 0, 0, NULL, r);
    expect_in(d, 0, 3600, UINT_MAX);
    c = cfg_exp(1, 3600, JITTER_EQUAL);
    d = retry_delay(&c, UINT_MAX, 0, 0, NULL, r);
    expect_in(d, 1800, 3600, UINT_MAX);
    gsl_rng_free(r);
}

static void exponential_full_jitter_range(void **state)
{
    (void)state;
    gsl_rng *r = new_rng(SEED);
    struct retry_cfg c = cfg_exp(2, 60, JITTER_FULL);
    for (unsigned n = 1; n <= 8; n++) {
        double dmax = fmin(60, 2 * pow(2, n - 1));
        double lo = INFINITY, hi = -INFINITY;
        for (int i = 0; i < NDRAWS; i++) {
            double d = retry_delay(&c, n, 0, 0, NULL, r);
            expect_in(d, 0, dmax, n);
            lo = fmin(lo, d);
            hi = fmax(hi, d);
        }
        /* it really spreads over [0, d], not a point */
        assert_true(lo < 0.01 * dmax);
        assert_true(hi > 0.99 * dmax);
    }
    gsl_rng_free(r);
}

static void exponential_equal_jitter_range(void **state)
{
    (void)state;
    gsl_rng *r = new_rng(SEED);
    struct retry_cfg c = cfg_exp(2, 60, JITTER_EQUAL);
    for (unsigned n = 1; n <= 8; n++) {
        double dmax = fmin(60, 2 * pow(2, n - 1));
        double lo = INFINITY, hi = -INFINITY;
        for (int i = 0; i < NDRAWS; i++) {
            double d = retry_delay(&c, n, 0, 0, NULL, r);
            expect_in(d, dmax / 2, dmax, n);
            lo = fmin(lo, d);
            hi = fmax(hi, d);
        }
        assert_true(lo < 0.51 * dmax);
        assert_true(hi > 0.99 * dmax);
    }
    gsl_rng_free(r);
}

static void exponential_decorrelated(void **state)
{
    (void)state;
    gsl_rng *r = new_rng(SEED);
    double base = 1, cap = 100;
    struct retry_cfg c = cfg_exp(base, cap, JITTER_DECORRELATED);
    int reached_cap = 0;
    for (int job = 0; job < 2000; job++) {
        double prev = 0; /* a new job */
        double expect_prev = base;
        for (unsigned n = 1; n <= 12; n++) {
            double d = retry_delay(&c, n, 0, 0, &prev, r);
            expect_in(d, base, fmin(cap, 3 * expect_prev), n);
            if (prev != d)
                fail_msg("failure %u: *prev_s %g, delay %g", n, prev, d);
            expect_prev = d;
            reached_cap |= d == cap;
        }
    }
    assert_true(reached_cap);
    /* the first delay of a job is U(base, 3 base), whatever n says */
    double prev = 0;
    double d = retry_delay(&c, 40, 0, 0, &prev, r);
    expect_in(d, base, 3 * base, 40);
    gsl_rng_free(r);
}

static void exponential_respects_retry_after(void **state)
{
    (void)state;
    gsl_rng *r = new_rng(SEED);
    struct retry_cfg c = cfg_exp(1, 60, JITTER_NONE);
    c.respect_retry_after = 1;
    expect_delay(retry_delay(&c, 1, 30, 0, NULL, r), 30, 1); /* max(1, 30) */
    expect_delay(retry_delay(&c, 6, 30, 0, NULL, r), 32, 6); /* max(32, 30) */
    expect_delay(retry_delay(&c, 9, 30, 0, NULL, r), 60, 9); /* capped, then max */
    expect_delay(retry_delay(&c, 9, 90, 0, NULL, r), 90, 9); /* above the cap */
    expect_delay(retry_delay(&c, 2, 0, 0, NULL, r), 2, 2);   /* a 5xx: no RA */
    expect_untouched(r, SEED);

    c.jitter = JITTER_FULL;
    for (int i = 0; i < NDRAWS; i++)
        expect_in(retry_delay(&c, 3, 3, 0, NULL, r), 3, 4, 3);
    c.jitter = JITTER_DECORRELATED;
    double prev = 0;
    for (int i = 0; i < 100; i++)
        expect_in(retry_delay(&c, 1, 50, 0, &prev, r), 50, 60, 1);
    gsl_rng_free(r);
}

static void fixed_policy(void **state)
{
    (void)state;
    gsl_rng *r = new_rng(SEED);
    struct retry_cfg c = {.policy = RETRY_POLICY_FIXED, .delay_s = 300};
    for (unsigned n = 1; n <= 5; n++)
        expect_delay(retry_delay(&c, n, 17, 0, NULL, r), 300, n); /* RA ignored */
    expect_untouched(r, SEED);

    c.jitter_s = 60;
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < NDRAWS; i++) {
        double d = retry_delay(&c, 1, 0, 0, NULL, r);
        expect_in(d, 300, 360, 1);
        lo = fmin(lo, d);
        hi = fmax(hi, d);
    }
    assert_true(lo < 301 && hi > 359);
    gsl_rng_free(r);
}

static void retry_after_policy(void **state)
{
    (void)state;
    gsl_rng *r = new_rng(SEED);
    struct retry_cfg c = {.policy = RETRY_POLICY_RETRY_AFTER};
    expect_delay(retry_delay(&c, 1, 7, 0, NULL, r), 7, 1);
    expect_delay(retry_delay(&c, 50, 1, 0, NULL, r), 1, 50);
    expect_delay(retry_delay(&c, 2, 0, 0, NULL, r), 0, 2);
    expect_untouched(r, SEED);

    c.jitter_s = 5;
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < NDRAWS; i++) {
        double d = retry_delay(&c, 1, 7, 0, NULL, r);
        expect_in(d, 7, 12, 1);
        lo = fmin(lo, d);
        hi = fmax(hi, d);
    }
    assert_true(lo < 7.01 && hi > 11.99);
    gsl_rng_free(r);
}

/* A 429 without Retry-After (0, server mode none): retry_after waits its
 * fallback (+ jitter); a Retry-After, when there is one, still wins. */
static void retry_after_fallback(void **state)
{
    (void)state;
    gsl_rng *r = new_rng(SEED);
    struct retry_cfg c = {.policy = RETRY_POLICY_RETRY_AFTER, .fallback_s = 45};
    expect_delay(retry_delay(&c, 1, 0, 0, NULL, r), 45, 1);
    expect_delay(retry_delay(&c, 9, 0, 500, NULL, r), 45, 9);
    expect_delay(retry_delay(&c, 1, 7, 0, NULL, r), 7, 1);
    expect_untouched(r, SEED);
    assert_true(retry_is_deterministic(&c));
    c.jitter_s = 5;
    for (int i = 0; i < 1000; i++)
        expect_in(retry_delay(&c, 1, 0, 0, NULL, r), 45, 50, 1);
    gsl_rng_free(r);
}

#define H 3600.0

/* Entra's schedule: retries 6 h, 12 h, 24 h after the first failure, then
 * every 24 h. Each failure here comes late (the retried request is
 * answered, or queued, some time after its due time), yet every retry is
 * due on the schedule counted from the first failure: 6, 12, 24, 48, 72,
 * 96 h. A policy counting from each failure would drift by the lateness. */
static void schedule_from_first_failure(void **state)
{
    (void)state;
    gsl_rng *r = new_rng(SEED);
    struct retry_cfg c = {.policy = RETRY_POLICY_SCHEDULE,
                          .schedule_s = {6 * H, 12 * H, 24 * H},
                          .nschedule = 3,
                          .then_every_s = 24 * H};
    const double want[] = {6 * H, 12 * H, 24 * H, 48 * H, 72 * H, 96 * H};
    const double late[] = {30, 5000, 0.5, 7 * H, 90, 1};
    const double first = 1000; /* absolute time of the first failure */
    double fail_at = first;
    for (unsigned n = 1; n <= 6; n++) {
        double d = retry_delay(&c, n, 0, fail_at - first, NULL, r);
        assert_true(d >= 0);
        double due = fail_at + d - first;
        if (fabs(due - want[n - 1]) > 1e-6)
            fail_msg("retry %u due %.6f h after the first failure, want %.0f h", n, due / H,
                     want[n - 1] / H);
        fail_at += d + late[n - 1];
    }
    expect_untouched(r, SEED);
    assert_false(retry_is_deterministic(&c));
    gsl_rng_free(r);
}

/* A failure that comes after its next retry was due retries at once
 * (delay 0), and the retry after that is still on the schedule. */
static void schedule_overdue_retries_at_once(void **state)
{
    (void)state;
    struct retry_cfg c = {
        .policy = RETRY_POLICY_SCHEDULE, .schedule_s = {6 * H, 12 * H, 24 * H}, .nschedule = 3};
    expect_delay(retry_delay(&c, 2, 0, 13 * H, NULL, NULL), 0, 2); /* 12 h slot passed */
    expect_delay(retry_delay(&c, 2, 0, 12 * H, NULL, NULL), 0, 2); /* exactly due */
    expect_delay(retry_delay(&c, 3, 0, 13 * H, NULL, NULL), 11 * H, 3);
    /* Retry-After is ignored, as by fixed */
    expect_delay(retry_delay(&c, 1, 600, 0, NULL, NULL), 6 * H, 1);
}

/* Without then_every the job gets one retry per listed delay (attempts =
 * list length + 1); max_attempts still applies when it is smaller. */
static void schedule_without_then_every_ends(void **state)
{
    (void)state;
    struct retry_cfg c = {
        .policy = RETRY_POLICY_SCHEDULE, .schedule_s = {6 * H, 12 * H, 24 * H}, .nschedule = 3};
    for (unsigned a = 1; a <= 3; a++)
        assert_true(retry_may_retry(&c, a));
    assert_false(retry_may_retry(&c, 4));
    c.max_attempts = 2;
    assert_true(retry_may_retry(&c, 1));
    assert_false(retry_may_retry(&c, 2));
    c.max_attempts = 0;
    c.then_every_s = 24 * H;
    assert_true(retry_may_retry(&c, 4));
    assert_true(retry_may_retry(&c, 1000));
    expect_delay(retry_delay(&c, 1000, 0, 0, NULL, NULL), 24 * H + 997 * 24 * H, 1000);
}

/* A jittered policy takes exactly one uniform per delay: the same seed
 * gives the same delays, and the stream then continues in step. */
static void one_draw_per_jittered_delay(void **state)
{
    (void)state;
    struct retry_cfg cs[] = {
        cfg_exp(1, 60, JITTER_FULL), cfg_exp(1, 60, JITTER_EQUAL),
        cfg_exp(1, 60, JITTER_DECORRELATED),
        {.policy = RETRY_POLICY_FIXED, .delay_s = 3, .jitter_s = 2},
        {.policy = RETRY_POLICY_RETRY_AFTER, .jitter_s = 2},
    };
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++) {
        gsl_rng *r = new_rng(SEED);
        gsl_rng *ref = new_rng(SEED);
        double prev = 0;
        for (unsigned n = 1; n <= 10; n++) {
            (void)retry_delay(&cs[i], n, 1, 0, &prev, r);
            (void)gsl_rng_get(ref);
        }
        if (gsl_rng_get(r) != gsl_rng_get(ref))
            fail_msg("config %zu: not exactly one draw per delay", i);
        gsl_rng_free(r);
        gsl_rng_free(ref);
    }
}

static void max_attempts(void **state)
{
    (void)state;
    struct retry_cfg c = {.policy = RETRY_POLICY_RETRY_AFTER, .max_attempts = 0};
    assert_true(retry_may_retry(&c, 0));
    assert_true(retry_may_retry(&c, 1));
    assert_true(retry_may_retry(&c, UINT_MAX));
    c.max_attempts = 3;
    assert_true(retry_may_retry(&c, 1));
    assert_true(retry_may_retry(&c, 2));
    assert_false(retry_may_retry(&c, 3));
    assert_false(retry_may_retry(&c, 4));
    c.max_attempts = 1;
    assert_false(retry_may_retry(&c, 1));
}

/* Full jitter draws U(0, d): the sample mean must lie within the 95%
 * confidence interval around d/2 built from the sample's own sd. */
static void full_jitter_mean(void **state)
{
    (void)state;
    const size_t n = 100000;
    gsl_rng *r = new_rng(SEED);
    struct retry_cfg c = cfg_exp(1, 100, JITTER_FULL);
    double *x = malloc(n * sizeof *x);
    assert_non_null(x);
    for (size_t i = 0; i < n; i++)
        x[i] = retry_delay(&c, 4, 0, 0, NULL, r); /* d = 8 */
    double mean = gsl_stats_mean(x, 1, n);
    double sd = gsl_stats_sd_m(x, 1, n, mean);
    double half = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sd / sqrt((double)n);
    print_message("full_jitter_mean: seed %lu, n %zu, mean %.5f, want 4 +- %.5f (sd %.4f)\n",
                  SEED, n, mean, half, sd);
    if (fabs(mean - 4) > half)
        fail_msg("sample mean %.6f outside 4 +- %.6f (95%% CI, seed %lu)", mean, half, SEED);
    free(x);
    gsl_rng_free(r);
}

static void names_round_trip(void **state)
{
    (void)state;
    const char *pol[] = {"retry_after", "exponential", "fixed", "schedule"};
    for (int i = 0; i < 4; i++) {
        assert_string_equal(retry_policy_name(i), pol[i]);
        assert_int_equal(retry_policy_parse(pol[i]), i);
    }
    const char *jit[] = {"none", "full", "equal", "decorrelated"};
    for (int i = 0; i < 4; i++) {
        assert_string_equal(retry_jitter_name(i), jit[i]);
        assert_int_equal(retry_jitter_parse(jit[i]), i);
    }
    assert_int_equal(retry_policy_parse("linear"), -1);
    assert_int_equal(retry_jitter_parse("Full"), -1);
    assert_string_equal(retry_policy_name((enum retry_policy)9), "?");
    assert_string_equal(retry_jitter_name((enum retry_jitter)9), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exponential_no_jitter),
        cmocka_unit_test(exponential_large_n),
        cmocka_unit_test(exponential_full_jitter_range),
        cmocka_unit_test(exponential_equal_jitter_range),
        cmocka_unit_test(exponential_decorrelated),
        cmocka_unit_test(exponential_respects_retry_after),
        cmocka_unit_test(fixed_policy),
        cmocka_unit_test(retry_after_policy),
        cmocka_unit_test(retry_after_fallback),
        cmocka_unit_test(schedule_from_first_failure),
        cmocka_unit_test(schedule_overdue_retries_at_once),
        cmocka_unit_test(schedule_without_then_every_ends),
        cmocka_unit_test(one_draw_per_jittered_delay),
        cmocka_unit_test(max_attempts),
        cmocka_unit_test(full_jitter_mean),
        cmocka_unit_test(names_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

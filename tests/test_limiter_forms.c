/* test_limiter_forms.c -- the forms real APIs give their limits, on top of
 * the four rules of test_limiter.c: a lockout after a refusal (SAP's 429
 * for 60 s), a cap on a token bucket's debt under count_rejected, and fixed
 * windows aligned to the wall clock (align "clock", phase from the loader).
 * Exact admit/reject patterns and Retry-After values. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "models/endpoint.h"
#include "models/job.h"
#include "models/limiter.h"
#include "scenario_helpers.h"

#define SEED 20261202UL

static struct lim_cfg cfg_of(enum lim_type type, double a, double b)
{
    struct lim_cfg c = {.type = type, .ep_mask = EP_MASK_ALL};
    switch (type) {
    case LIM_FIXED_WINDOW:
    case LIM_SLIDING_WINDOW:
        c.limit = a;
        c.window_s = b;
        break;
    case LIM_TOKEN_BUCKET:
        c.rate_per_s = a;
        c.burst = b;
        break;
    case LIM_CONCURRENCY:
        c.concurrency = a;
        c.retry_after_s = b;
        break;
    }
    return c;
}

/* Checks a request at t and takes it if admitted (or always, with
 * count_rejected); 1 if admitted, else 0 with *ra set. */
static int request(struct limiter *l, double t, int count_rejected, double *ra)
{
    *ra = -1;
    int ok = lim_admit(l, t, ra);
    if (!ok)
        assert_true(*ra >= 1 && *ra == floor(*ra));
    if (ok || count_rejected) {
        if (!(l->cfg.type == LIM_CONCURRENCY && !ok))
            lim_take(l, t);
    }
    const char *bad = lim_check(l);
    if (bad)
        fail_msg("t=%g: %s", t, bad);
    return ok;
}

static void expect_admit(struct limiter *l, double t)
{
    double ra;
    if (!request(l, t, 0, &ra))
        fail_msg("%s t=%g: expected admission, got Retry-After %g", lim_type_name(l->cfg.type), t,
                 ra);
}

static void expect_reject(struct limiter *l, double t, double want_ra)
{
    double ra;
    if (request(l, t, 0, &ra))
        fail_msg("%s t=%g: expected rejection (Retry-After %g), got admission",
                 lim_type_name(l->cfg.type), t, want_ra);
    if (ra != want_ra)
        fail_msg("%s t=%g: Retry-After %g, want %g", lim_type_name(l->cfg.type), t, ra, want_ra);
}

/* ---- lockout ---------------------------------------------------------- */

/* Fixed window 2 per 10 s, lockout 30 s: the refusal at 2 locks until 32,
 * though the window alone would admit again at 10. Refusals inside the
 * lockout do not move its end; at 32 the rule judges again. */
static void lockout_fixed_window(void **state)
{
    (void)state;
    struct lim_cfg c = cfg_of(LIM_FIXED_WINDOW, 2, 10);
    c.lockout_s = 30;
    struct limiter l;
    lim_init(&l, &c);
    expect_admit(&l, 0);
    expect_admit(&l, 1);
    expect_reject(&l, 2, 30);   /* starts the lockout: ends at 32 */
    expect_reject(&l, 10, 22);  /* new window, still locked */
    expect_reject(&l, 25.5, 7); /* ceil(6.5); does not extend */
    expect_reject(&l, 31.9, 1); /* ceil(0.1) */
    expect_admit(&l, 32);       /* exactly the end: admitted */
    expect_admit(&l, 32.5);     /* window [30, 40) has room for 2 */
    expect_reject(&l, 33, 30);  /* a new refusal: a new lockout to 63 */
    expect_reject(&l, 62, 1);
    expect_admit(&l, 63);
    assert_true(l.locked_until_s == 63);
    lim_reset(&l);
    assert_true(l.locked_until_s == 0);
    expect_admit(&l, 0);
    lim_fini(&l);
}

/* Every type: drive the rule to a refusal at t0, then every request in
 * [t0, t0 + lockout) is refused with Retry-After ceil(end - t), even where
 * the rule alone would admit, and the first request at the end is admitted
 * (each rule has room again by then). */
static void lockout_every_type(void **state)
{
    (void)state;
    const double lockout = 60;
    /* capacities of 1 and quota back within a few seconds */
    struct lim_cfg cfgs[] = {cfg_of(LIM_FIXED_WINDOW, 1, 5), cfg_of(LIM_TOKEN_BUCKET, 1, 1),
                             cfg_of(LIM_SLIDING_WINDOW, 1, 5), cfg_of(LIM_CONCURRENCY, 1, 3)};
    for (size_t i = 0; i < sizeof cfgs / sizeof cfgs[0]; i++) {
        cfgs[i].lockout_s = lockout;
        struct limiter l;
        lim_init(&l, &cfgs[i]);
        expect_admit(&l, 0);
        double t0 = 0.5;
        expect_reject(&l, t0, lockout);
        if (cfgs[i].type == LIM_CONCURRENCY)
            lim_release(&l); /* the request in service is done: the rule would admit */
        for (double t = 6; t < t0 + lockout; t += 6.25)
            expect_reject(&l, t, ceil(t0 + lockout - t));
        assert_true(l.locked_until_s == t0 + lockout);
        expect_admit(&l, t0 + lockout);
        lim_fini(&l);
    }
}

/* Without lockout (0) nothing changes: the plain rule's Retry-After. */
static void lockout_zero_is_none(void **state)
{
    (void)state;
    struct lim_cfg c = cfg_of(LIM_TOKEN_BUCKET, 1, 1);
    struct limiter l;
    lim_init(&l, &c);
    expect_admit(&l, 0);
    expect_reject(&l, 0.5, 1);
    expect_admit(&l, 1);
    assert_true(l.locked_until_s == 0);
    lim_fini(&l);
}

/* count_rejected during a lockout: the refused requests still take quota
 * (the two are independent), so a bucket can come out of a lockout in
 * debt and be refused again by its rule, which starts a new lockout. */
static void lockout_with_count_rejected(void **state)
{
    (void)state;
    struct lim_cfg c = cfg_of(LIM_TOKEN_BUCKET, 1, 2);
    c.lockout_s = 10;
    struct limiter l;
    lim_init(&l, &c);
    double ra;
    assert_int_equal(request(&l, 0, 1, &ra), 1);
    assert_int_equal(request(&l, 0, 1, &ra), 1);
    assert_int_equal(request(&l, 0, 1, &ra), 0); /* tokens -1, locked to 10 */
    assert_true(ra == 10);
    /* 20 refused requests 0.25 s apart: each refills 0.25 and takes 1 */
    for (int k = 1; k <= 20; k++) {
        assert_int_equal(request(&l, k * 0.25, 1, &ra), 0);
        assert_true(ra == ceil(10 - k * 0.25));
    }
    assert_true(l.tokens == -1 - 20 * 0.75);
    /* at 10: -16 + 5 = -11 tokens, so the rule refuses: a new lockout */
    assert_int_equal(request(&l, 10, 1, &ra), 0);
    assert_true(ra == 10 && l.locked_until_s == 20);
    assert_true(l.tokens == -12);
    lim_fini(&l);
}

/* Differential check on random traffic, every type: a limiter with lockout
 * against a twin without, fed only the requests that arrive outside a
 * lockout. Inside a lockout every request is refused with Retry-After
 * ceil(end - t); outside, the two agree on every decision and Retry-After
 * (except that a refusal there starts a lockout and says so). Requests in
 * service leave after a random time (concurrency). */
static void lockout_random_matches_rule(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, SEED);
    print_message("lockout_random_matches_rule: seed %lu\n", SEED);
    struct lim_cfg cfgs[] = {cfg_of(LIM_FIXED_WINDOW, 5, 2), cfg_of(LIM_TOKEN_BUCKET, 2, 4),
                             cfg_of(LIM_SLIDING_WINDOW, 5, 2), cfg_of(LIM_CONCURRENCY, 3, 1)};
    for (size_t i = 0; i < sizeof cfgs / sizeof cfgs[0]; i++) {
        struct lim_cfg twin_cfg = cfgs[i];
        cfgs[i].lockout_s = 3.5;
        struct limiter l, twin;
        lim_init(&l, &cfgs[i]);
        lim_init(&twin, &twin_cfg);
        double t = 0, until = 0, done[64];
        size_t ndone = 0, refusals = 0, locked = 0;
        for (int k = 0; k < 20000; k++) {
            t += gsl_ran_exponential(r, 0.2); /* mean 5 per second: often over */
            /* concurrency: requests whose service ended leave both */
            for (size_t j = 0; j < ndone;) {
                if (done[j] <= t) {
                    lim_release(&l);
                    lim_release(&twin);
                    done[j] = done[--ndone];
                } else {
                    j++;
                }
            }
            double ra = 0, ra_twin = 0;
            int ok = lim_admit(&l, t, &ra);
            if (t + 1e-9 < until) {
                locked++;
                if (ok || ra != fmax(1, ceil(until - t - 1e-9)))
                    fail_msg("%s t=%.9g: in the lockout to %.9g, got %s (Retry-After %g)",
                             lim_type_name(cfgs[i].type), t, until, ok ? "admission" : "refusal",
                             ra);
                continue;
            }
            int ok_twin = lim_admit(&twin, t, &ra_twin);
            if (ok != ok_twin)
                fail_msg("%s t=%.9g: lockout limiter %d, plain rule %d",
                         lim_type_name(cfgs[i].type), t, ok, ok_twin);
            if (ok) {
                lim_take(&l, t);
                lim_take(&twin, t);
                if (cfgs[i].type == LIM_CONCURRENCY) {
                    assert_true(ndone < 64);
                    done[ndone++] = t + gsl_ran_exponential(r, 1.0);
                }
            } else {
                refusals++;
                until = t + cfgs[i].lockout_s;
                if (ra != 4) /* ceil(3.5) */
                    fail_msg("%s t=%.9g: a refusal outside a lockout sent Retry-After %g, want 4",
                             lim_type_name(cfgs[i].type), t, ra);
                assert_true(l.locked_until_s == until);
            }
            assert_null(lim_check(&l));
        }
        /* the traffic must have exercised both paths */
        assert_true(refusals > 100 && locked > 1000);
        lim_fini(&l);
        lim_fini(&twin);
    }
    gsl_rng_free(r);
}

/* ---- debt cap --------------------------------------------------------- */

/* Rate 1/s, burst 2, count_rejected, 100 refused requests at t = 0 after
 * two admitted: the uncapped bucket ends 100 tokens in debt and its last
 * Retry-After is 100 s; with max_debt 5 the tokens stop at -5 and
 * Retry-After at ceil((1 + 5) / 1) = 6 s, after which it admits again. */
static void debt_is_capped(void **state)
{
    (void)state;
    for (int capped = 0; capped <= 1; capped++) {
        struct lim_cfg c = cfg_of(LIM_TOKEN_BUCKET, 1, 2);
        if (capped)
            c.max_debt = 5;
        struct limiter l;
        lim_init(&l, &c);
        double ra = 0, worst = 0;
        assert_int_equal(request(&l, 0, 1, &ra), 1);
        assert_int_equal(request(&l, 0, 1, &ra), 1);
        for (int k = 0; k < 100; k++) {
            assert_int_equal(request(&l, 0, 1, &ra), 0);
            worst = fmax(worst, ra);
            if (capped && l.tokens < -5)
                fail_msg("request %d: tokens %g below -max_debt", k, l.tokens);
        }
        if (capped) {
            assert_true(l.tokens == -5);
            assert_true(worst == 6);
            double t = 0;
            expect_reject(&l, t, 6);
            expect_reject(&l, t + 5.9, 1);
            expect_admit(&l, t + 6);
        } else {
            assert_true(l.tokens == -100);
            assert_true(worst == 100);
        }
        lim_fini(&l);
    }
}

/* A corrupted bucket below its cap is caught by lim_check. */
static void debt_cap_checked(void **state)
{
    (void)state;
    struct lim_cfg c = cfg_of(LIM_TOKEN_BUCKET, 1, 2);
    c.max_debt = 3;
    struct limiter l;
    lim_init(&l, &c);
    l.tokens = -3;
    assert_null(lim_check(&l));
    l.tokens = -3.5;
    assert_non_null(lim_check(&l));
    lim_fini(&l);

    /* a lockout end without a lockout */
    c = cfg_of(LIM_TOKEN_BUCKET, 1, 2);
    lim_init(&l, &c);
    l.locked_until_s = 5;
    assert_non_null(lim_check(&l));
    lim_fini(&l);
}

/* ---- window phase ----------------------------------------------------- */

/* 1 h windows with 17 min of the wall-clock hour past at t = 0 (a 09:17
 * start): the first window ends at 43 min (10:00), not at 60 min. */
static void phase_moves_boundaries(void **state)
{
    (void)state;
    struct lim_cfg c = cfg_of(LIM_FIXED_WINDOW, 2, 3600);
    c.phase_s = 17 * 60;
    struct limiter l;
    lim_init(&l, &c);
    expect_admit(&l, 0);
    expect_admit(&l, 10);
    expect_reject(&l, 20, 43 * 60 - 20);
    expect_reject(&l, 2579.5, 1);
    expect_admit(&l, 2580); /* 10:00 */
    expect_admit(&l, 2581);
    expect_reject(&l, 2582, 3600 - 2);
    expect_admit(&l, 2580 + 3600); /* 11:00 */
    lim_fini(&l);
}

/* The loader's phase: align "clock" against the start's time of day
 * (windows count from the epoch in naive local time, so from midnight for
 * a window that divides a day); "start" and no align keep phase 0. */
static void loader_computes_phase(void **state)
{
    (void)state;
    static const struct {
        const char *start, *window, *align;
        double phase;
    } cases[] = {
        {"2026-12-01T09:17", "1h", "clock", 17 * 60},
        {"2026-12-01T09:17", "1h", "start", 0},
        {"2026-12-01T09:17", "1h", NULL, 0},
        {"2026-12-01T09:17", "1m", "clock", 0},
        {"2026-12-01T09:17", "15m", "clock", 2 * 60},
        {"2026-12-01T09:17", "1d", "clock", 9 * 3600 + 17 * 60},
        {"2026-12-01T10:00", "1h", "clock", 0},
        {"1969-12-31T23:00", "7h", "clock", 6 * 3600}, /* -1 h: 6 h past the
                                                        * boundary at -7 h */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char json[1024], align[64] = "";
        if (cases[i].align)
            snprintf(align, sizeof align, ", \"align\": \"%s\"", cases[i].align);
        snprintf(json, sizeof json,
                 "{\"name\": \"phase\", \"start\": \"%s\", \"horizon\": \"1d\","
                 " \"server\": {\"limits\": [{\"type\": \"fixed_window\", \"limit\": 5,"
                 " \"window\": \"%s\"%s}], \"latency\": {\"dist\": \"constant\", \"value\": 0.1}},"
                 " \"client\": {\"workers\": 1}, \"workload\": {\"rollouts\": []}}",
                 cases[i].start, cases[i].window, align);
        struct scenario s;
        load_json(json, &s);
        if (s.server.limits[0].phase_s != cases[i].phase)
            fail_msg("start %s, window %s, align %s: phase %g s, want %g s", cases[i].start,
                     cases[i].window, cases[i].align ? cases[i].align : "(none)",
                     s.server.limits[0].phase_s, cases[i].phase);
        scn_fini(&s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lockout_fixed_window),
        cmocka_unit_test(lockout_every_type),
        cmocka_unit_test(lockout_zero_is_none),
        cmocka_unit_test(lockout_with_count_rejected),
        cmocka_unit_test(lockout_random_matches_rule),
        cmocka_unit_test(debt_is_capped),
        cmocka_unit_test(debt_cap_checked),
        cmocka_unit_test(phase_moves_boundaries),
        cmocka_unit_test(loader_computes_phase),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

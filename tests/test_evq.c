/* test_evq.c -- the pending-event set: total order (time, then schedule
 * order), heap property under random load, clock monotonicity. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_rng.h>

#include "engine/evq.h"

static void pops_in_time_order(void **state)
{
    (void)state;
    struct evq q;
    evq_init(&q);
    double ts[] = {5.0, 1.0, 3.0, 2.0, 4.0, 0.5};
    for (unsigned i = 0; i < 6; i++)
        evq_push(&q, ts[i], 0, i);
    double prev = -1.0;
    struct ev e;
    int n = 0;
    while (evq_pop(&q, &e)) {
        assert_true(e.t >= prev);
        assert_true(q.now == e.t);
        prev = e.t;
        n++;
    }
    assert_int_equal(n, 6);
    assert_int_equal(q.popped, 6);
    assert_true(isinf(evq_peek_time(&q)));
    evq_fini(&q);
}

static void ties_are_fifo(void **state)
{
    (void)state;
    struct evq q;
    evq_init(&q);
    /* 1000 events at three distinct times, pushed interleaved */
    for (unsigned i = 0; i < 1000; i++)
        evq_push(&q, (double)(i % 3), 0, i);
    struct ev e;
    unsigned last_arg[3] = {0, 0, 0};
    int seen[3] = {0, 0, 0};
    while (evq_pop(&q, &e)) {
        int t = (int)e.t;
        if (seen[t])
            assert_true(e.arg > last_arg[t]); /* same time: scheduled order */
        seen[t] = 1;
        last_arg[t] = e.arg;
    }
    evq_fini(&q);
}

static void random_load_keeps_heap(void **state)
{
    (void)state;
    const unsigned long seed = 12345;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    struct evq q;
    evq_init(&q);
    struct ev e;
    double prev = -1.0;
    uint64_t prev_seq = 0;
    for (int round = 0; round < 200000; round++) {
        if (evq_len(&q) == 0 || gsl_rng_uniform(r) < 0.55) {
            /* coarse times make many ties */
            double t = q.now + floor(gsl_rng_uniform(r) * 8.0);
            evq_push(&q, t, 1, (uint32_t)round);
        } else {
            assert_true(evq_pop(&q, &e));
            assert_true(e.t > prev || (e.t == prev && ev_seq(&e) > prev_seq) );
            prev = e.t;
            prev_seq = ev_seq(&e);
        }
        if (round % 9973 == 0)
            assert_null(evq_check(&q));
    }
    assert_null(evq_check(&q));
    evq_clear(&q);
    assert_int_equal(evq_len(&q), 0);
    assert_true(q.now == 0.0);
    evq_fini(&q);
    gsl_rng_free(r);
}

/* A pop compares the main heap's top with the lanes' front: on a tie in
 * time the sequence decides, whichever of the two holds the earlier one,
 * and an event at +infinity in a lane alone is still popped. */
static void lane_and_heap_ties(void **state)
{
    (void)state;
    struct evq q;
    evq_init(&q);
    evq_push(&q, 1.0, 1, 0);
    evq_push_after(&q, 1.0, 2, 1, 0.0f);
    evq_push(&q, 1.0, 1, 2);
    evq_push_after(&q, 1.0, 2, 3, 0.0f);
    evq_push_after(&q, INFINITY, 2, 4, 0.0f);
    assert_null(evq_check(&q));
    struct ev e;
    for (uint32_t i = 0; i < 4; i++) {
        assert_true(evq_pop_until(&q, 1.0, &e));
        assert_int_equal(e.arg, i);
        assert_int_equal(ev_type(&e), i % 2 ? 2 : 1);
        assert_null(evq_check(&q));
    }
    assert_false(evq_pop_until(&q, 1e300, &e)); /* +inf is after any bound */
    assert_true(isinf(evq_peek_time(&q)));
    assert_true(evq_pop(&q, &e));
    assert_int_equal(e.arg, 4);
    assert_false(evq_pop(&q, &e));
    assert_null(evq_check(&q));
    evq_fini(&q);
}

/* Lanes change the cost, not the order: a queue fed through
 * evq_push_after pops exactly what a plain heap pops. */
static void lanes_keep_the_order(void **state)
{
    (void)state;
    const unsigned long seed = 777;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    struct evq a, b;
    evq_init(&a);
    evq_init(&b);
    /* 80 recurring delays: more than EVQ_MAX_LANES, so the fallback to
     * the heap is exercised too */
    for (int round = 0; round < 300000; round++) {
        if (evq_len(&a) == 0 || gsl_rng_uniform(r) < 0.5) {
            double d = (double)gsl_rng_uniform_int(r, 80) * 0.25;
            if (gsl_rng_uniform(r) < 0.2)
                d = gsl_rng_uniform(r) * 10.0; /* a one-off delay */
            uint32_t type = (uint32_t)gsl_rng_uniform_int(r, 7);
            evq_push(&a, a.now + d, type, (uint32_t)round);
            if (d == floor(d * 4.0) / 4.0)
                evq_push_after(&b, d, type, (uint32_t)round, 0.0f);
            else
                evq_push(&b, b.now + d, type, (uint32_t)round);
        } else {
            struct ev ea, eb;
            assert_true(evq_pop(&a, &ea));
            assert_true(evq_pop(&b, &eb));
            assert_true(ea.t == eb.t);
            assert_int_equal(ev_type(&ea), ev_type(&eb));
            assert_int_equal(ea.arg, eb.arg);
        }
        assert_int_equal(evq_len(&a), evq_len(&b));
        if (round % 10007 == 0)
            assert_null(evq_check(&b));
    }
    assert_int_equal(b.lanes.n, EVQ_MAX_LANES);
    assert_null(evq_check(&b));
    evq_clear(&b);
    assert_int_equal(evq_len(&b), 0);
    assert_null(evq_check(&b));
    evq_fini(&a);
    evq_fini(&b);
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pops_in_time_order),
        cmocka_unit_test(ties_are_fifo),
        cmocka_unit_test(random_load_keeps_heap),
        cmocka_unit_test(lanes_keep_the_order),
        cmocka_unit_test(lane_and_heap_ties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

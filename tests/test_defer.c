/* test_defer.c -- deferred retries (provision.c, "Deferred retries";
 * evq_defer in sim/engine/evq.h) change how many events a run takes and
 * nothing else.
 *  - The engine: deferred events come back in (time, sequence) order
 *    across lanes, take the sequence numbers scheduled events would have
 *    taken, and a keyed push sorts by the number it carries.
 *  - The model: each scenario below runs its replications three times:
 *    with retries deferred and other clients' arrivals without events
 *    (provision.c, "other clients' arrivals without events"), with retries
 *    deferred only, and with every retry and arrival an event; every metric
 *    but `events`, every per-endpoint and per-limiter figure and the trace
 *    of replication 0 are the same bit for bit, the deferred runs take
 *    fewer events where retries wait in a backlog, and the inline arrivals
 *    fewer still unless a concurrency limiter holds them in service. The scenarios cover every limiter type (fixed windows
 *    give many Retry-After lanes), idle workers (the wake-ups), a horizon
 *    that cuts the run short (the catch-up at its end), horizon "auto", and
 *    a preset with pause-all (never deferred: the counts must be equal). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine/evq.h"
#include "models/bound.h"
#include "models/metrics.h"
#include "models/provision.h"
#include "scenario_helpers.h"

static void deferred_events_keep_the_order(void **state)
{
    (void)state;
    struct evq q;
    evq_init(&q);
    /* at t = 0: deferred after 2 s and 1 s, a heap event at 1.5 s, then
     * another deferral of 1 s; the sequence numbers are 0, 1, 2, 3 */
    assert_int_equal(evq_defer(&q, 2.0, 5, 100), 0);
    assert_int_equal(evq_defer(&q, 1.0, 5, 101), 0);
    evq_push(&q, 1.5, 6, 102);
    assert_int_equal(evq_defer(&q, 1.0, 5, 103), 0);
    assert_int_equal(q.next_seq, 4);
    assert_int_equal(evq_len(&q), 1); /* deferred events are not pending */
    struct ev e;
    const struct ev *f = evq_deferred_front(&q);
    assert_non_null(f);
    assert_int_equal(f->arg, 101);
    assert_true(evq_take_deferred(&q, &e));
    assert_int_equal(e.arg, 101);
    assert_int_equal(ev_seq(&e), 1);
    assert_true(evq_take_deferred(&q, &e));
    assert_int_equal(e.arg, 103);
    assert_int_equal(ev_seq(&e), 3);
    /* a keyed push at 1.5 s with sequence 0 runs before the heap event at
     * 1.5 s (sequence 2): it keeps the place of what it stands for */
    evq_push_keyed(&q, 1.5, 0, 7, 100);
    assert_null(evq_check(&q));
    assert_true(evq_pop(&q, &e));
    assert_int_equal(ev_type(&e), 7);
    assert_int_equal(ev_seq(&e), 0);
    assert_true(evq_pop(&q, &e));
    assert_int_equal(e.arg, 102);
    assert_true(evq_take_deferred(&q, &e));
    assert_int_equal(e.arg, 100);
    assert_false(evq_take_deferred(&q, &e));
    assert_null(evq_deferred_front(&q));
    assert_null(evq_check(&q));
    evq_fini(&q);
}

#define HEAD(horizon, workers)                                                           \
    "{\"name\": \"defer\", \"start\": \"2026-12-01T00:00\", \"horizon\": \"" horizon    \
    "\", \"seed\": 11, \"replications\": 3, \"client\": {\"workers\": " workers         \
    ", \"retry\": {\"policy\": \"retry_after\"}}, "
#define LAT "\"latency\": {\"dist\": \"lognormal\", \"median\": \"120ms\", \"p95\": \"400ms\"}}, "
#define WORK(users)                                                                      \
    "\"workload\": {\"rollouts\": [{\"kind\": \"create\", \"users\": " users             \
    ", \"at\": \"+10m\", \"batch_size\": 150, \"batch_interval\": \"3m\"}], "            \
    "\"background\": {\"shape\": \"flat\", \"peak_per_hour\": 600}, "                    \
    "\"other_clients\": {\"shape\": \"flat\", \"peak_per_hour\": 1800}}}"

static const char *const scenarios[] = {
    HEAD("1d", "8") "\"server\": {\"limits\": [{\"type\": \"token_bucket\", \"rate\": 2, "
                    "\"burst\": 5}], " LAT WORK("900"),
    HEAD("1d", "6") "\"server\": {\"limits\": [{\"type\": \"fixed_window\", \"limit\": 40, "
                    "\"window\": \"1m\"}], " LAT WORK("900"),
    HEAD("1d", "6") "\"server\": {\"limits\": [{\"type\": \"sliding_window\", \"limit\": 30, "
                    "\"window\": \"30s\"}], " LAT WORK("600"),
    HEAD("1d", "4") "\"server\": {\"limits\": [{\"type\": \"concurrency\", \"limit\": 2, "
                    "\"retry_after\": \"2s\"}], " LAT WORK("600"),
    /* many idle workers: most retries fall due while one is free */
    HEAD("1d", "60") "\"server\": {\"limits\": [{\"type\": \"token_bucket\", \"rate\": 3, "
                     "\"burst\": 10}], " LAT WORK("400"),
    /* cut short while the backlog is deep: the catch-up at the horizon */
    HEAD("40m", "8") "\"server\": {\"limits\": [{\"type\": \"token_bucket\", \"rate\": 1, "
                     "\"burst\": 5}], " LAT WORK("900"),
    HEAD("auto", "8") "\"server\": {\"limits\": [{\"type\": \"fixed_window\", \"limit\": 20, "
                      "\"window\": \"10s\"}, {\"type\": \"token_bucket\", \"rate\": 1.5, "
                      "\"burst\": 4}], " LAT WORK("500"),
};

/* The run's modes: retries deferred, other clients' arrivals without
 * events (provision.c); MODE_EVENTS has one event for each of both. */
enum { MODE_ALL, MODE_DEFER_ONLY, MODE_EVENTS, MODE_COUNT };

/* A running hash of the trace's rows, field by field (the struct has
 * padding), and their count. */
struct trace_sum {
    uint64_t h, rows;
};

static void mix(struct trace_sum *t, const void *v, size_t n)
{
    const unsigned char *b = v;
    for (size_t i = 0; i < n; i++)
        t->h = (t->h ^ b[i]) * 0x100000001b3ULL;
}

static void on_row(void *ctx, const struct prov_request *rq)
{
    struct trace_sum *t = ctx;
    long f[7] = {rq->job_id, rq->origin, rq->kind, rq->endpoint, rq->outcome, rq->refused_by,
                 (long)rq->attempt * 16 + (long)rq->step};
    mix(t, &rq->t, sizeof rq->t);
    mix(t, f, sizeof f);
    mix(t, &rq->retry_after_s, sizeof rq->retry_after_s);
    t->rows++;
}

/* Runs s's replications in the given mode; fills the metrics and details
 * of each and the trace of replication 0, returns the events of all. */
static double run_all(const struct scenario *s, int mode, double *m, double *d,
                      struct trace_sum *tr)
{
    struct prov p;
    struct bound_parts b;
    bound_compute(s, &b);
    double fair = bound_fair_share_s(s), events = 0;
    prov_init(&p, s);
    if (mode == MODE_EVENTS)
        p.defer_retries = 0;
    if (mode != MODE_ALL)
        p.other_inline = 0;
    tr->h = 0xcbf29ce484222325ULL;
    tr->rows = 0;
    for (int r = 0; r < s->replications; r++) {
        p.trace = r == 0 ? on_row : NULL;
        p.trace_ctx = tr;
        prov_start(&p, (uint64_t)r);
        assert_int_equal(prov_run(&p, NULL, NULL, NULL), 0);
        metric_detail(&p, d + (size_t)r * METRIC_DETAIL_COUNT);
        metric_compute(&p, &b, fair, m + (size_t)r * METRIC_COUNT);
        events += m[(size_t)r * METRIC_COUNT + METRIC_EVENTS];
    }
    prov_fini(&p);
    return events;
}

/* Same metrics and trace bit for bit in every mode but events; fills the
 * events of each mode. */
static void compare(const struct scenario *s, const char *what, double ev[MODE_COUNT])
{
    int n = s->replications;
    double m[MODE_COUNT][8 * METRIC_COUNT], d[MODE_COUNT][8 * METRIC_DETAIL_COUNT];
    struct trace_sum tr[MODE_COUNT];
    assert_true(n >= 1 && n <= 8);
    for (int mode = 0; mode < MODE_COUNT; mode++)
        ev[mode] = run_all(s, mode, m[mode], d[mode], &tr[mode]);
    for (int mode = 0; mode < MODE_EVENTS; mode++) {
        const double *m1 = m[mode], *m0 = m[MODE_EVENTS];
        if (tr[mode].rows != tr[MODE_EVENTS].rows || tr[mode].h != tr[MODE_EVENTS].h)
            fail_msg("%s: mode %d: the trace differs (%llu rows, %llu as events)", what, mode,
                     (unsigned long long)tr[mode].rows,
                     (unsigned long long)tr[MODE_EVENTS].rows);
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < METRIC_COUNT; k++) {
                double a = m1[r * METRIC_COUNT + k], b = m0[r * METRIC_COUNT + k];
                if (k == METRIC_EVENTS || (isnan(a) && isnan(b)))
                    continue;
                if (memcmp(&a, &b, sizeof a) != 0)
                    fail_msg("%s: mode %d, replication %d, %s: %.17g, %.17g as events", what,
                             mode, r, metric_table[k].name, a, b);
            }
            assert_memory_equal(d[mode] + r * METRIC_DETAIL_COUNT,
                                d[MODE_EVENTS] + r * METRIC_DETAIL_COUNT,
                                sizeof(double) * METRIC_DETAIL_COUNT);
        }
    }
    assert_true(ev[MODE_ALL] <= ev[MODE_DEFER_ONLY] && ev[MODE_DEFER_ONLY] <= ev[MODE_EVENTS]);
}

/* The scenario whose concurrency limiter holds other clients' requests
 * in service: their arrivals stay events. */
#define HOLDS_OTHERS 3

static void deferring_changes_only_the_events(void **state)
{
    (void)state;
    int fewer = 0;
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
        struct scenario s;
        load_json(scenarios[i], &s);
        double ev[MODE_COUNT];
        char what[32];
        snprintf(what, sizeof what, "scenario %zu", i);
        compare(&s, what, ev);
        fewer += ev[MODE_DEFER_ONLY] < ev[MODE_EVENTS];
        /* every scenario has other clients: without events of their own
         * unless a concurrency limiter holds them */
        if (i == HOLDS_OTHERS)
            assert_true(ev[MODE_ALL] == ev[MODE_DEFER_ONLY]);
        else
            assert_true(ev[MODE_ALL] < ev[MODE_DEFER_ONLY]);
        scn_fini(&s);
    }
    /* the backlogs wait for their retries: they must have taken fewer */
    assert_true(fewer >= 5);
}

static void presets_change_only_the_events(void **state)
{
    (void)state;
    static const char *const presets[] = {"default.json", "retry-storm.json",
                                          "okta-sap-cloud-identity.json", "github-emu.json",
                                          "entra-id-github-emu-pause.json"};
    for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++) {
        char path[512], err[SCN_ERRLEN];
        snprintf(path, sizeof path, "%s/configs/%s", PROVSIM_SOURCE_DIR, presets[i]);
        const char *set = "replications=2";
        struct scenario s;
        if (scn_load(path, &set, 1, &s, err, sizeof err) != 0)
            fail_msg("%s: %s", presets[i], err);
        double ev[MODE_COUNT];
        compare(&s, presets[i], ev);
        if (strstr(presets[i], "pause"))
            assert_true(ev[MODE_DEFER_ONLY] == ev[MODE_EVENTS]); /* pause-all: not deferred */
        else
            assert_true(ev[MODE_DEFER_ONLY] < ev[MODE_EVENTS]);
        if (s.other.enabled)
            assert_true(ev[MODE_ALL] < ev[MODE_DEFER_ONLY]);
        scn_fini(&s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(deferred_events_keep_the_order),
        cmocka_unit_test(deferring_changes_only_the_events),
        cmocka_unit_test(presets_change_only_the_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

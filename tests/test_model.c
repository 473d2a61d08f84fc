/* test_model.c -- the model rules of provision.h, each pinned on a small
 * scenario: batches, retry after Retry-After, pause_all, max_rate, 5xx
 * retries, exhaustion, conservation, determinism, common random numbers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include <gsl/gsl_cdf.h>

#include "models/metrics.h"
#include "out/summary.h"
#include "out/trace.h"
#include "run/runner.h"
#include "scenario_helpers.h"

#define BASE_START "\"start\": \"2026-12-01T00:00\", \"seed\": 7"

static void run_with(const char *json, struct scenario *s, struct run_result *r, FILE *trace)
{
    load_json(json, s);
    struct run_trace to;
    struct trace_csv tw;
    trace_csv_out(&to, &tw, trace, s);
    struct run_opts o = {.reps = s->replications, .seed = s->seed, .trace = trace ? &to : NULL};
    assert_int_equal(run_scenario(s, &o, r), 0);
}

/* One request of a trace. */
struct req {
    double t;
    long job;
    char origin[16], outcome[16];
    unsigned attempt;
    double ra;
};

static size_t read_trace(FILE *f, struct req *out, size_t max)
{
    char line[256];
    size_t n = 0;
    rewind(f);
    assert_non_null(fgets(line, sizeof line, f)); /* header */
    while (n < max && fgets(line, sizeof line, f)) {
        struct req *q = &out[n];
        char kind[16], jobs[32] = "";
        q->ra = 0.0;
        /* t,job,origin,kind,attempt,outcome,ra */
        char *p = line;
        q->t = strtod(p, &p);
        p++;
        size_t k = strcspn(p, ",");
        memcpy(jobs, p, k);
        jobs[k] = 0;
        q->job = k ? atol(jobs) : -1;
        p += k + 1;
        assert_int_equal(sscanf(p, "%15[^,],%15[^,],%u,%15[^,\n],%lf", q->origin, kind,
                                &q->attempt, q->outcome, &q->ra) >= 4,
                         1);
        n++;
    }
    return n;
}

static void batches_follow_schedule(void **state)
{
    (void)state;
    struct scenario s;
    struct run_result r;
    run_with("{\"name\": \"b\", " BASE_START ", \"horizon\": \"1h\", \"replications\": 2,"
             " \"server\": {\"limits\": [], \"latency\": {\"dist\": \"constant\", \"value\": 0.1}},"
             " \"client\": {\"workers\": 1000},"
             " \"workload\": {\"rollouts\": [{\"kind\": \"update\", \"users\": 1000, \"at\": \"+10s\","
             " \"batch_size\": 300, \"batch_interval\": \"1m\"}]}}",
             &s, &r, NULL);
    /* batches of 300, 300, 300, 100 at 10, 70, 130, 190 s: the last job is
     * done 0.1 s after the last batch, 180.1 s after the first */
    assert_float_equal(r.sum[METRIC_CLEAR_TIME].mean, 180.1, 1e-9);
    assert_float_equal(r.sum[METRIC_JOBS].mean, 1000, 0);
    assert_float_equal(r.sum[METRIC_AMPLIFICATION].mean, 1.0, 0);
    assert_float_equal(r.sum[METRIC_FAILED_TASKS_ZERO].mean, 0.0, 0);
    assert_float_equal(r.sum[METRIC_PEAK_BACKLOG].max, 300, 0);
    assert_float_equal(r.sum[METRIC_ROLLOUT_MAX].mean, 0.1, 1e-9);
    /* the lower bound is the batch schedule here, and it is attained */
    assert_float_equal(r.lower_bound_s, 180.0, 1e-9);
    run_result_fini(&r);
    scn_fini(&s);
}

static void retry_waits_for_retry_after(void **state)
{
    (void)state;
    FILE *tf = tmpfile();
    struct scenario s;
    struct run_result r;
    run_with("{\"name\": \"ra\", " BASE_START ", \"horizon\": \"2h\", \"replications\": 1,"
             " \"server\": {\"limits\": [{\"type\": \"fixed_window\", \"limit\": 20, \"window\": \"1m\"}],"
             " \"latency\": {\"dist\": \"exponential\", \"mean\": \"200ms\"}, \"reject_latency\": \"50ms\"},"
             " \"client\": {\"workers\": 5, \"retry\": {\"policy\": \"retry_after\", \"jitter\": \"3s\"}},"
             " \"workload\": {\"rollouts\": [{\"kind\": \"create\", \"users\": 200, \"at\": \"+5s\"}]}}",
             &s, &r, tf);
    static struct req q[20000];
    size_t n = read_trace(tf, q, 20000);
    assert_true(n > 200);
    /* for each job, an attempt after a 429 comes no sooner than the 429's
     * response (dispatch + 50 ms) plus its Retry-After */
    static double ready[200];
    size_t throttled = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(q[i].job >= 0 && q[i].job < 200);
        if (q[i].attempt > 1)
            assert_true(q[i].t >= ready[q[i].job] - 1e-9);
        if (!strcmp(q[i].outcome, "throttled")) {
            throttled++;
            assert_true(q[i].ra >= 1.0 && q[i].ra == floor(q[i].ra));
            ready[q[i].job] = q[i].t + 0.05 + q[i].ra;
        }
    }
    assert_float_equal(r.sum[METRIC_THROTTLED].mean, (double)throttled, 0);
    assert_true(throttled > 0);
    assert_float_equal(r.sum[METRIC_SUCCEEDED].mean, 200, 0);
    run_result_fini(&r);
    scn_fini(&s);
    fclose(tf);
}

static void pause_all_stops_every_dispatch(void **state)
{
    (void)state;
    FILE *tf = tmpfile();
    struct scenario s;
    struct run_result r;
    run_with("{\"name\": \"pause\", " BASE_START ", \"horizon\": \"2h\", \"replications\": 1,"
             " \"server\": {\"limits\": [{\"type\": \"token_bucket\", \"rate\": 1, \"burst\": 5}],"
             " \"retry_after\": {\"mode\": \"fixed\", \"value\": \"10s\"},"
             " \"latency\": {\"dist\": \"constant\", \"value\": \"100ms\"}, \"reject_latency\": \"50ms\"},"
             " \"client\": {\"workers\": 4, \"on_429\": \"pause_all\"},"
             " \"workload\": {\"rollouts\": [{\"kind\": \"create\", \"users\": 100, \"at\": \"+0s\"}]}}",
             &s, &r, tf);
    static struct req q[10000];
    size_t n = read_trace(tf, q, 10000);
    size_t checked = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(q[i].outcome, "throttled"))
            continue;
        double from = q[i].t + 0.05, to = from + q[i].ra;
        for (size_t k = 0; k < n; k++)
            assert_false(q[k].t > from + 1e-9 && q[k].t < to - 1e-9);
        checked++;
    }
    assert_true(checked > 0);
    assert_float_equal(r.sum[METRIC_SUCCEEDED].mean, 100, 0);
    run_result_fini(&r);
    scn_fini(&s);
    fclose(tf);
}

static void max_rate_paces_dispatches(void **state)
{
    (void)state;
    FILE *tf = tmpfile();
    struct scenario s;
    struct run_result r;
    run_with("{\"name\": \"pace\", " BASE_START ", \"horizon\": \"1h\", \"replications\": 1,"
             " \"server\": {\"limits\": [], \"latency\": {\"dist\": \"constant\", \"value\": \"10ms\"}},"
             " \"client\": {\"workers\": 50, \"max_rate\": \"120/min\"},"
             " \"workload\": {\"rollouts\": [{\"kind\": \"update\", \"users\": 300, \"at\": \"+0s\"}]}}",
             &s, &r, tf);
    static struct req q[400];
    size_t n = read_trace(tf, q, 400);
    assert_int_equal(n, 300);
    for (size_t i = 1; i < n; i++)
        assert_true(q[i].t - q[i - 1].t >= 0.5 - 1e-9);
    /* 300 dispatches at 2 per second: the last leaves at 149.5 s */
    assert_float_equal(r.sum[METRIC_CLEAR_TIME].mean, 149.5 + 0.01, 1e-6);
    run_result_fini(&r);
    scn_fini(&s);
    fclose(tf);
}

static void server_errors_are_retried(void **state)
{
    (void)state;
    struct scenario s;
    struct run_result r;
    run_with("{\"name\": \"5xx\", " BASE_START ", \"horizon\": \"1d\", \"replications\": 4,"
             " \"server\": {\"limits\": [], \"latency\": {\"dist\": \"constant\", \"value\": \"100ms\"},"
             " \"error_rate\": 0.2},"
             " \"client\": {\"workers\": 10, \"error_retry\": {\"base\": \"1s\", \"cap\": \"1m\"}},"
             " \"workload\": {\"rollouts\": [{\"kind\": \"update\", \"users\": 5000, \"at\": \"+0s\"}]}}",
             &s, &r, NULL);
    assert_float_equal(r.sum[METRIC_SUCCEEDED].min, 5000, 0);
    assert_float_equal(r.sum[METRIC_THROTTLED].max, 0, 0);
    assert_true(r.sum[METRIC_SERVER_ERRORS].min > 0);
    /* every attempt is a success or a 5xx */
    for (int i = 0; i < r.reps; i++) {
        const double *v = r.values + (size_t)i * METRIC_COUNT;
        assert_float_equal(v[METRIC_ATTEMPTS], v[METRIC_SUCCEEDED] + v[METRIC_SERVER_ERRORS], 0);
    }
    /* attempts per job is geometric: mean 1/(1 - p) = 1.25 with variance
     * p/(1-p)^2 per job; tolerance: the 99% normal interval over all jobs */
    double p = 0.2, jobs = 5000.0 * r.reps;
    double tol = gsl_cdf_ugaussian_Pinv(0.995) * sqrt(p / ((1 - p) * (1 - p)) / jobs);
    printf("5xx amplification: seed 7, %.5f vs 1.25 +- %.5f\n", r.sum[METRIC_AMPLIFICATION].mean, tol);
    assert_true(fabs(r.sum[METRIC_AMPLIFICATION].mean - 1.25) <= tol);
    run_result_fini(&r);
    scn_fini(&s);
}

static const char conservation_json[] =
    "{\"name\": \"cons\", " BASE_START ", \"horizon\": \"10m\", \"replications\": 8,"
    " \"server\": {\"limits\": [{\"type\": \"sliding_window\", \"limit\": 30, \"window\": \"1m\"}],"
    " \"latency\": {\"dist\": \"gamma\", \"mean\": \"400ms\", \"cv\": 0.5}, \"reject_latency\": \"50ms\","
    " \"count_rejected\": true},"
    " \"client\": {\"workers\": 8, \"retry\": {\"policy\": \"exponential\", \"base\": \"2s\","
    " \"cap\": \"2m\", \"jitter\": \"decorrelated\", \"max_attempts\": 4}},"
    " \"workload\": {\"rollouts\": [{\"kind\": \"create\", \"users\": 2000, \"at\": \"+8m\"}],"
    " \"background\": {\"shape\": \"flat\", \"peak_per_hour\": 600},"
    " \"other_clients\": {\"shape\": \"flat\", \"peak_per_hour\": 600}}}";

static void conservation_in_every_replication(void **state)
{
    (void)state;
    struct scenario s;
    struct run_result r;
    run_with(conservation_json, &s, &r, NULL);
    for (int i = 0; i < r.reps; i++) {
        const double *v = r.values + (size_t)i * METRIC_COUNT;
        assert_float_equal(v[METRIC_JOBS], v[METRIC_SUCCEEDED] + v[METRIC_EXHAUSTED] + v[METRIC_PENDING], 0);
        assert_true(v[METRIC_EXHAUSTED] > 0); /* the scenario is built to exhaust */
        assert_true(v[METRIC_PENDING] > 0);   /* and to leave work at the horizon */
        /* an uncleared rollout is censored at the horizon (10m - 8m) */
        if (v[METRIC_CLEARED] == 0)
            assert_float_equal(v[METRIC_CLEAR_TIME], 120.0, 1e-9);
        else
            assert_true(v[METRIC_CLEAR_TIME] <= 120.0);
        assert_true(v[METRIC_ATTEMPTS] <= 4 * v[METRIC_JOBS]);
    }
    run_result_fini(&r);
    scn_fini(&s);
}

static void audit_passes_on_busy_scenario(void **state)
{
    (void)state;
    struct scenario s;
    struct run_result r;
    load_json(conservation_json, &s);
    struct run_opts o = {.reps = 2, .seed = s.seed, .audit = 1};
    assert_int_equal(run_scenario(&s, &o, &r), 0);
    run_result_fini(&r);
    scn_fini(&s);
}

static void same_seed_same_bytes(void **state)
{
    (void)state;
    struct scenario s;
    struct run_result a, b, c;
    load_json(conservation_json, &s);
    struct run_opts o = {.reps = 3, .seed = 99};
    assert_int_equal(run_scenario(&s, &o, &a), 0);
    assert_int_equal(run_scenario(&s, &o, &b), 0);
    /* threads change nothing but the wall time */
    struct run_result t;
    struct run_opts ot = o;
    ot.threads = 2;
    assert_int_equal(run_scenario(&s, &ot, &t), 0);
    assert_memory_equal(a.values, t.values, sizeof(double) * METRIC_COUNT * (size_t)a.reps);
    run_result_fini(&t);
    o.seed = 100;
    assert_int_equal(run_scenario(&s, &o, &c), 0);
    s.seed = 99;
    char *ja = summary_json(&s, &a, NULL), *jb = summary_json(&s, &b, NULL);
    char *jc = summary_json(&s, &c, NULL);
    assert_string_equal(ja, jb);
    assert_string_not_equal(ja, jc);
    free(ja);
    free(jb);
    free(jc);
    run_result_fini(&a);
    run_result_fini(&b);
    run_result_fini(&c);
    scn_fini(&s);
}

/* Two scenarios that differ only in their server see the same background
 * and other-client arrivals, replication by replication. */
static void common_random_numbers(void **state)
{
    (void)state;
    struct scenario s1, s2;
    struct run_result a, b;
    load_json(conservation_json, &s1);
    load_json(conservation_json, &s2);
    s2.server.limits[0].limit = 60;
    s2.server.count_rejected = 0;
    struct run_opts o = {.reps = 4, .seed = 5};
    assert_int_equal(run_scenario(&s1, &o, &a), 0);
    assert_int_equal(run_scenario(&s2, &o, &b), 0);
    for (int i = 0; i < 4; i++) {
        const double *va = a.values + (size_t)i * METRIC_COUNT, *vb = b.values + (size_t)i * METRIC_COUNT;
        assert_float_equal(va[METRIC_BACKGROUND_JOBS], vb[METRIC_BACKGROUND_JOBS], 0);
        assert_float_equal(va[METRIC_OTHER_REQUESTS], vb[METRIC_OTHER_REQUESTS], 0);
        assert_true(va[METRIC_THROTTLED] != vb[METRIC_THROTTLED]);
    }
    run_result_fini(&a);
    run_result_fini(&b);
    scn_fini(&s1);
    scn_fini(&s2);
}

/* count_rejected: rejected requests also spend quota, so the same load
 * draws more 429s (the retry storm). */
static void count_rejected_is_punitive(void **state)
{
    (void)state;
    struct scenario s;
    struct run_result a, b;
    load_json(conservation_json, &s);
    struct run_opts o = {.reps = 4, .seed = 3};
    assert_int_equal(run_scenario(&s, &o, &a), 0);
    s.server.count_rejected = 0;
    assert_int_equal(run_scenario(&s, &o, &b), 0);
    assert_true(a.sum[METRIC_SUCCEEDED].mean < b.sum[METRIC_SUCCEEDED].mean);
    assert_true(a.sum[METRIC_OTHER_THROTTLED].mean > b.sum[METRIC_OTHER_THROTTLED].mean);
    run_result_fini(&a);
    run_result_fini(&b);
    scn_fini(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(batches_follow_schedule),
        cmocka_unit_test(retry_waits_for_retry_after),
        cmocka_unit_test(pause_all_stops_every_dispatch),
        cmocka_unit_test(max_rate_paces_dispatches),
        cmocka_unit_test(server_errors_are_retried),
        cmocka_unit_test(conservation_in_every_replication),
        cmocka_unit_test(audit_passes_on_busy_scenario),
        cmocka_unit_test(same_seed_same_bytes),
        cmocka_unit_test(common_random_numbers),
        cmocka_unit_test(count_rejected_is_punitive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

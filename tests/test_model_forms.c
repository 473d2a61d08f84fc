/* test_model_forms.c -- the limit and retry forms of real APIs, end to end
 * on small scenarios read back from their traces: fixed windows aligned to
 * the wall clock, a retry schedule counted from the first failure (Entra),
 * and 429s without Retry-After (server mode none: the retry_after policy's
 * fallback, pause_all). The trace is read by its header's column names, so
 * columns added later do not break these tests. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include "models/metrics.h"
#include "out/trace.h"
#include "run/runner.h"
#include "scenario_helpers.h"

/* One request of a trace. */
struct req {
    double t;
    long job; /* -1: another client's request */
    unsigned attempt;
    int throttled;
    int has_ra; /* the retry_after_s field is not empty */
    double ra;
};

static void run_traced(const char *json, struct req *q, size_t max, size_t *n, struct run_result *r)
{
    struct scenario s;
    load_json(json, &s);
    FILE *f = tmpfile();
    assert_non_null(f);
    struct run_trace to;
    struct trace_csv tw;
    trace_csv_out(&to, &tw, f, &s);
    struct run_opts o = {.reps = s.replications, .seed = s.seed, .trace = &to};
    assert_int_equal(run_scenario(&s, &o, r), 0);
    scn_fini(&s);

    /* the columns we need, by name */
    static const char *const names[] = {"t_s", "job_id", "attempt", "outcome", "retry_after_s"};
    int col[5] = {-1, -1, -1, -1, -1};
    char line[1024];
    rewind(f);
    assert_non_null(fgets(line, sizeof line, f));
    line[strcspn(line, "\r\n")] = 0;
    int c = 0;
    for (char *p = line, *e; p; p = e ? e + 1 : NULL, c++) {
        e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        for (int k = 0; k < 5; k++)
            if (strlen(names[k]) == len && !strncmp(p, names[k], len))
                col[k] = c;
    }
    for (int k = 0; k < 5; k++)
        if (col[k] < 0)
            fail_msg("trace header lacks %s: %s", names[k], line);
    *n = 0;
    while (fgets(line, sizeof line, f)) {
        assert_true(*n < max);
        struct req *x = &q[(*n)++];
        line[strcspn(line, "\r\n")] = 0;
        const char *field[32] = {0};
        int nf = 0;
        for (char *p = line, *e; p && nf < 32; p = e ? e + 1 : NULL) {
            e = strchr(p, ',');
            if (e)
                *e = 0;
            field[nf++] = p;
        }
        for (int k = 0; k < 5; k++)
            assert_true(col[k] < nf);
        x->t = strtod(field[col[0]], NULL);
        x->job = *field[col[1]] ? atol(field[col[1]]) : -1;
        x->attempt = (unsigned)atol(field[col[2]]);
        x->throttled = !strcmp(field[col[3]], "throttled");
        x->has_ra = *field[col[4]] != 0;
        x->ra = x->has_ra ? strtod(field[col[4]], NULL) : 0;
    }
    fclose(f);
}

/* A 09:17 start, 10 requests per hour in fixed windows, 30 jobs at once:
 * with align "clock" the windows reset at 10:00 and 11:00 (t = 43 min,
 * 103 min), with "start" at 10:17 and 11:17 (60, 120 min). */
static void clock_aligned_windows(void **state)
{
    (void)state;
    for (int clock = 0; clock <= 1; clock++) {
        char json[1024];
        snprintf(json, sizeof json,
                 "{\"name\": \"align\", \"start\": \"2026-12-01T09:17\", \"horizon\": \"4h\","
                 " \"replications\": 1, \"server\": {\"limits\": [{\"type\": \"fixed_window\","
                 " \"limit\": 10, \"window\": \"1h\", \"align\": \"%s\"}],"
                 " \"latency\": {\"dist\": \"constant\", \"value\": 0.1}},"
                 " \"client\": {\"workers\": 1},"
                 " \"workload\": {\"rollouts\": [{\"kind\": \"create\", \"users\": 30, \"at\": "
                 "\"+0s\"}]}}",
                 clock ? "clock" : "start");
        static struct req q[1000];
        size_t n;
        struct run_result r;
        run_traced(json, q, 1000, &n, &r);
        double b1 = clock ? 43 * 60 : 3600, b2 = b1 + 3600;
        size_t in[3] = {0, 0, 0};
        double first[3] = {INFINITY, INFINITY, INFINITY};
        for (size_t i = 0; i < n; i++) {
            if (q[i].throttled)
                continue;
            int w = q[i].t < b1 - 1e-9 ? 0 : q[i].t < b2 - 1e-9 ? 1 : 2;
            in[w]++;
            first[w] = fmin(first[w], q[i].t);
        }
        if (in[0] != 10 || in[1] != 10 || in[2] != 10)
            fail_msg("align %s: accepted %zu, %zu, %zu in the windows, want 10 each",
                     clock ? "clock" : "start", in[0], in[1], in[2]);
        /* the refused jobs were told to come back exactly at the boundary */
        if (fabs(first[1] - b1) > 1e-6 || fabs(first[2] - b2) > 1e-6)
            fail_msg("align %s: windows reopened at %.6f s and %.6f s, want %.0f and %.0f",
                     clock ? "clock" : "start", first[1], first[2], b1, b2);
        assert_float_equal(r.sum[METRIC_SUCCEEDED].mean, 30, 0);
        run_result_fini(&r);
    }
}

#define H 3600.0

/* Entra's schedule against a server that refuses every retry: 429s are
 * answered 30 s after the request, so each failure comes 30 s after its
 * retry was due; the retries stay at first failure + 6, 12, 24, 48 and
 * 72 h all the same (from each failure they would drift 30 s a time). */
static void schedule_counts_from_first_failure(void **state)
{
    (void)state;
    static struct req q[100];
    size_t n;
    struct run_result r;
    run_traced(
        "{\"name\": \"entra\", \"start\": \"2026-12-01T00:00\", \"horizon\": \"4d\","
        " \"replications\": 1, \"server\": {\"limits\": [{\"type\": \"token_bucket\","
        " \"rate\": 1e-7, \"burst\": 1}], \"reject_latency\": \"30s\","
        " \"latency\": {\"dist\": \"constant\", \"value\": 0.1}},"
        " \"client\": {\"workers\": 1, \"retry\": {\"policy\": \"schedule\","
        " \"delays\": [\"6h\", \"12h\", \"24h\"], \"then_every\": \"24h\"}},"
        " \"workload\": {\"rollouts\": [{\"kind\": \"create\", \"users\": 2, \"at\": \"+0s\"}]}}",
        q, 100, &n, &r);
    const double want[] = {6 * H, 12 * H, 24 * H, 48 * H, 72 * H};
    double first_fail = -1;
    unsigned retries = 0;
    for (size_t i = 0; i < n; i++) {
        if (q[i].job != 1)
            continue;
        assert_true(q[i].throttled);
        if (q[i].attempt == 1) {
            first_fail = q[i].t + 30; /* the 429's response */
            continue;
        }
        assert_true(first_fail > 0 && q[i].attempt - 2 < 5);
        double due = q[i].t - first_fail;
        if (fabs(due - want[q[i].attempt - 2]) > 1e-6)
            fail_msg("attempt %u sent %.6f h after the first failure, want %.0f h", q[i].attempt,
                     due / H, want[q[i].attempt - 2] / H);
        retries++;
    }
    assert_int_equal(retries, 5); /* the 96 h retry is past the horizon */
    run_result_fini(&r);
}

/* Server mode none: the 429 has no Retry-After (an empty trace field), and
 * the retry_after policy waits its fallback, 20 s after the 429 arrives
 * (a worker per job, so no retry waits in the queue). */
static void no_retry_after_uses_fallback(void **state)
{
    (void)state;
    static struct req q[1000];
    size_t n;
    struct run_result r;
    run_traced(
        "{\"name\": \"none\", \"start\": \"2026-12-01T00:00\", \"horizon\": \"1h\","
        " \"replications\": 1, \"server\": {\"limits\": [{\"type\": \"fixed_window\","
        " \"limit\": 5, \"window\": \"1m\"}], \"retry_after\": {\"mode\": \"none\"},"
        " \"reject_latency\": \"50ms\", \"latency\": {\"dist\": \"constant\", \"value\": 0.1}},"
        " \"client\": {\"workers\": 8, \"retry\": {\"policy\": \"retry_after\","
        " \"fallback\": \"20s\"}},"
        " \"workload\": {\"rollouts\": [{\"kind\": \"create\", \"users\": 8, \"at\": \"+0s\"}]}}",
        q, 1000, &n, &r);
    size_t throttled = 0;
    for (size_t i = 0; i < n; i++) {
        if (!q[i].throttled) {
            assert_false(q[i].has_ra);
            continue;
        }
        throttled++;
        if (q[i].has_ra)
            fail_msg("t=%g: a 429 in mode none carries Retry-After %g", q[i].t, q[i].ra);
        /* the same job's next attempt: 50 ms to the 429, then 20 s */
        size_t k = i + 1;
        while (k < n && q[k].job != q[i].job)
            k++;
        assert_true(k < n);
        if (fabs(q[k].t - (q[i].t + 0.05 + 20)) > 1e-6)
            fail_msg("job %ld: retried %.6f s after its 429 was sent, want 20.05 s", q[i].job,
                     q[k].t - q[i].t);
    }
    assert_true(throttled >= 3);
    assert_float_equal(r.sum[METRIC_THROTTLED].mean, (double)throttled, 0);
    assert_float_equal(r.sum[METRIC_SUCCEEDED].mean, 8, 0);
    run_result_fini(&r);

    /* the default fallback is one minute */
    struct scenario s;
    load_json("{\"name\": \"d\", \"start\": \"2026-12-01T00:00\", \"horizon\": \"1h\","
              " \"server\": {\"limits\": [], \"retry_after\": {\"mode\": \"none\"},"
              " \"latency\": {\"dist\": \"constant\", \"value\": 0.1}},"
              " \"client\": {\"workers\": 1}, \"workload\": {\"rollouts\": []}}",
              &s);
    assert_true(s.server.ra_mode == SRV_RA_NONE);
    assert_true(s.client.retry.policy == RETRY_POLICY_RETRY_AFTER);
    assert_true(s.client.retry.fallback_s == 60);
    scn_fini(&s);
}

/* pause_all without Retry-After pauses for the job's own retry delay (the
 * fallback here): nothing is dispatched from a 429's response until then. */
static void pause_all_without_retry_after(void **state)
{
    (void)state;
    static struct req q[10000];
    size_t n;
    struct run_result r;
    run_traced(
        "{\"name\": \"pause\", \"start\": \"2026-12-01T00:00\", \"horizon\": \"2h\","
        " \"replications\": 1, \"server\": {\"limits\": [{\"type\": \"token_bucket\","
        " \"rate\": 1, \"burst\": 5}], \"retry_after\": {\"mode\": \"none\"},"
        " \"latency\": {\"dist\": \"constant\", \"value\": \"100ms\"}, \"reject_latency\": "
        "\"50ms\"},"
        " \"client\": {\"workers\": 4, \"on_429\": \"pause_all\","
        " \"retry\": {\"policy\": \"retry_after\", \"fallback\": \"10s\"}},"
        " \"workload\": {\"rollouts\": [{\"kind\": \"create\", \"users\": 100, \"at\": \"+0s\"}]}}",
        q, 10000, &n, &r);
    size_t checked = 0;
    for (size_t i = 0; i < n; i++) {
        if (!q[i].throttled)
            continue;
        double from = q[i].t + 0.05, to = from + 10;
        for (size_t k = 0; k < n; k++)
            if (q[k].t > from + 1e-9 && q[k].t < to - 1e-9)
                fail_msg("request at %.6f s inside the pause (%.6f, %.6f) after a 429", q[k].t,
                         from, to);
        checked++;
    }
    assert_true(checked > 0);
    assert_float_equal(r.sum[METRIC_SUCCEEDED].mean, 100, 0);
    run_result_fini(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clock_aligned_windows),
        cmocka_unit_test(schedule_counts_from_first_failure),
        cmocka_unit_test(no_retry_after_uses_fallback),
        cmocka_unit_test(pause_all_without_retry_after),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

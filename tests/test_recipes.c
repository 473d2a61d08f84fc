/* test_recipes.c -- request recipes, endpoints and the per-limiter count
 * (README, "Requests per job"), on small hand-made scenarios:
 *  - each recipe sends exactly its documented requests, in order, with
 *    one worker (trace level); an existing user's POST is a PUT;
 *  - a deterministic drain: N Okta creates against one token bucket of
 *    rate r on every request clear in about 2N/r, on writes only in N/r;
 *  - every 429 is counted against exactly one limiter, and the binding one
 *    is the one named on a two-bucket case;
 *  - retry_from "start" resends the recipe's first request, "failed_request"
 *    only the one that failed;
 *  - on_error "park" leaves a 5xx'd job on the failed-task list, untried;
 *  - group push makes the documented number of membership jobs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/metrics.h"
#include "out/trace.h"
#include "run/runner.h"
#include "scenario_helpers.h"

#define HEAD "\"name\": \"r\", \"start\": \"2026-12-01T00:00\", \"seed\": 3, \"horizon\": \"1d\""
#define CONST_LAT "\"latency\": {\"dist\": \"constant\", \"value\": 0.1}"

/* One request of the trace: its job, kind, outcome, endpoint and step. */
struct req {
    long job;
    char kind[16], outcome[16], endpoint[32], limiter[64];
    unsigned attempt, step;
};

static size_t run_traced(const char *json, struct req *out, size_t max, struct run_result *r)
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
    rewind(f);
    char line[512];
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line,
                        "t_s,job_id,origin,kind,attempt,outcome,retry_after_s,endpoint,step,limiter\n");
    size_t n = 0;
    while (n < max && fgets(line, sizeof line, f)) {
        /* t,job,origin,kind,attempt,outcome,ra,endpoint,step,limiter */
        char *fld[10] = {0}; /* assert_int_equal below ends the test if k < 10; gcc -O3 cannot see that */
        int k = 0;
        line[strcspn(line, "\n")] = '\0';
        for (char *p = line; k < 10;) {
            fld[k++] = p;
            p += strcspn(p, ",");
            if (*p == '\0')
                break;
            *p++ = '\0';
        }
        assert_int_equal(k, 10);
        struct req *q = &out[n++];
        q->job = *fld[1] ? atol(fld[1]) : -1;
        snprintf(q->kind, sizeof q->kind, "%s", fld[3]);
        q->attempt = (unsigned)atoi(fld[4]);
        snprintf(q->outcome, sizeof q->outcome, "%s", fld[5]);
        snprintf(q->endpoint, sizeof q->endpoint, "%s", fld[7]);
        q->step = (unsigned)atoi(fld[8]);
        snprintf(q->limiter, sizeof q->limiter, "%s", fld[9]);
    }
    fclose(f);
    scn_fini(&s);
    return n;
}

static double metric(const struct run_result *r, enum metric m)
{
    return r->sum[m].mean;
}

/* One worker, no limits: job j's requests are trace lines in a row. */
static void check_recipe(const char *requests, const char *kind, const char *extra,
                         const char *const *want, int nwant)
{
    char json[2048];
    snprintf(json, sizeof json,
             "{" HEAD ", \"replications\": 1, \"server\": {\"limits\": [], " CONST_LAT "},"
             " \"client\": {\"workers\": 1, \"requests\": %s %s},"
             " \"workload\": {\"rollouts\": [{\"kind\": \"%s\", \"users\": 3, \"at\": \"01:00\"}]}}",
             requests, extra, kind);
    struct req q[64];
    struct run_result r;
    size_t n = run_traced(json, q, 64, &r);
    assert_int_equal(n, 3 * (size_t)nwant);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(q[i].job, (long)(i / (size_t)nwant));
        assert_string_equal(q[i].kind, kind);
        assert_string_equal(q[i].outcome, "accepted");
        assert_string_equal(q[i].endpoint, want[i % (size_t)nwant]);
        assert_int_equal(q[i].step, i % (size_t)nwant);
        assert_int_equal(q[i].attempt, 1);
    }
    assert_true(metric(&r, METRIC_ATTEMPTS) == (double)n);
    assert_true(metric(&r, METRIC_ROLLOUT_JOB_ATTEMPTS) == 1.0);
    run_result_fini(&r);
}

static void recipes_send_their_requests(void **state)
{
    (void)state;
    const char *okta_create[] = {"GET /Users", "POST /Users"};
    const char *okta_update[] = {"GET /Users/{id}", "PUT /Users/{id}"};
    const char *okta_deact[] = {"PATCH /Users/{id}"};
    const char *existing[] = {"GET /Users", "PUT /Users/{id}"};
    const char *entra_update[] = {"GET /Users/{id}", "PATCH /Users/{id}"};
    const char *single_create[] = {"POST /Users"};
    const char *single_update[] = {"PUT /Users/{id}"};
    const char *custom[] = {"GET /Users", "GET /Users/{id}", "DELETE /Users/{id}"};
    check_recipe("\"okta\"", "create", "", okta_create, 2);
    check_recipe("\"okta\"", "update", "", okta_update, 2);
    check_recipe("\"okta\"", "deactivate", "", okta_deact, 1);
    check_recipe("\"okta\"", "create", ", \"existing_fraction\": 1", existing, 2);
    check_recipe("\"entra\"", "create", "", okta_create, 2);
    check_recipe("\"entra\"", "update", "", entra_update, 2);
    check_recipe("\"single\"", "create", "", single_create, 1);
    check_recipe("\"single\"", "update", "", single_update, 1);
    check_recipe("{\"deactivate\": [\"GET /Users\", \"GET /Users/{id}\", \"DELETE /Users/{id}\"]}",
                 "deactivate", "", custom, 3);
    /* kinds an explicit object leaves out send the single recipe */
    check_recipe("{\"deactivate\": [\"GET /Users\"]}", "create", "", single_create, 1);
}

/* 600 creates at once, 8 workers, 10 ms latency: the bucket sets the pace.
 * A retry resends only the refused request, so every accepted request is
 * one token of progress (with retry_from "start" a refused POST throws
 * away its GET's token, and 8 workers contending for one bucket can keep
 * most jobs from ever getting two tokens in a row: README, Model rules). */
static double drain_s(const char *applies)
{
    char json[2048];
    snprintf(json, sizeof json,
             "{" HEAD ", \"replications\": 1, \"server\": {\"limits\": [{\"type\": \"token_bucket\","
             " \"rate\": 10, \"burst\": 1 %s}], \"latency\": {\"dist\": \"constant\", \"value\": 0.01},"
             " \"reject_latency\": 0.01},"
             " \"client\": {\"workers\": 8, \"requests\": \"okta\", \"retry_from\": \"failed_request\","
             " \"retry\": {\"policy\": \"fixed\", \"delay\": 0.05}},"
             " \"workload\": {\"rollouts\": [{\"kind\": \"create\", \"users\": 600, \"at\": \"01:00\"}]}}",
             applies);
    struct scenario s;
    struct run_result r;
    load_json(json, &s);
    struct run_opts o = {.reps = 1, .seed = s.seed};
    assert_int_equal(run_scenario(&s, &o, &r), 0);
    double ct = metric(&r, METRIC_CLEAR_TIME), lb = metric(&r, METRIC_LOWER_BOUND);
    print_message("  bucket of 10/s %-28s clear %.2f s, lower bound %.2f s\n",
                  *applies ? applies : "(every request)", ct, lb);
    assert_true(ct >= lb - 1e-9);
    run_result_fini(&r);
    scn_fini(&s);
    return ct;
}

static void drain_counts_every_request(void **state)
{
    (void)state;
    /* 2N/r = 120 s with the GET counted, N/r = 60 s on writes only (minus
     * the burst of 1, plus a last response: within 1 s either way) */
    double all = drain_s(""), writes = drain_s(", \"applies_to\": [\"writes\"]");
    assert_true(fabs(all - 120.0) < 1.0);
    assert_true(fabs(writes - 60.0) < 1.0);
}

static void limiter_refusals_add_up(void **state)
{
    (void)state;
    /* creates hit the tight POST bucket; the loose writes bucket never
     * refuses first, so it must be charged nothing */
    const char *json =
        "{" HEAD ", \"replications\": 3,"
        " \"server\": {\"limits\": [{\"name\": \"writes\", \"type\": \"token_bucket\", \"rate\": 50,"
        " \"burst\": 50, \"applies_to\": [\"writes\"]},"
        " {\"name\": \"creates\", \"type\": \"token_bucket\", \"rate\": 2, \"burst\": 5,"
        " \"applies_to\": [\"POST /Users\"]}], " CONST_LAT ", \"reject_latency\": 0.02},"
        " \"client\": {\"workers\": 4, \"requests\": \"okta\"},"
        " \"workload\": {\"rollouts\": [{\"kind\": \"create\", \"users\": 200, \"at\": \"01:00\"}],"
        " \"other_clients\": {\"shape\": \"flat\", \"peak_per_hour\": 3600,"
        " \"mix\": {\"create\": 0.5, \"update\": 0.5}}}}";
    static struct req q[200000];
    struct run_result r;
    size_t n = run_traced(json, q, sizeof q / sizeof q[0], &r);
    size_t thr = 0, by_creates = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(q[i].outcome, "throttled") == 0) {
            thr++;
            by_creates += strcmp(q[i].limiter, "creates") == 0;
            assert_string_equal(q[i].endpoint, "POST /Users");
        } else {
            assert_string_equal(q[i].limiter, "");
        }
    }
    assert_true(thr > 100);
    assert_int_equal(by_creates, thr);
    for (int k = 0; k < r.reps; k++) {
        double total = r.values[(size_t)k * METRIC_COUNT + METRIC_THROTTLED] +
                       r.values[(size_t)k * METRIC_COUNT + METRIC_OTHER_THROTTLED];
        const double *d = r.detail + (size_t)k * METRIC_DETAIL_COUNT;
        assert_true(d[metric_detail_lim(0, 0)] + d[metric_detail_lim(1, 0)] == total);
        assert_true(d[metric_detail_lim(0, 0)] == 0.0);
        assert_true(d[metric_detail_lim(1, 1)] == 1.0);
        /* the endpoint table's 429s are the same 429s */
        double ep429 = 0;
        for (int e = 0; e < EP_COUNT; e++)
            ep429 += d[metric_detail_ep(e, 1)];
        assert_true(ep429 == total);
    }
    run_result_fini(&r);
}

/* One create against a POST bucket that is empty at first: its try is
 * GET (accepted), POST (429), and then the retry. */
static void retry_from(void **state)
{
    (void)state;
    const char *fmt =
        "{" HEAD ", \"replications\": 1,"
        " \"server\": {\"limits\": [{\"type\": \"fixed_window\", \"limit\": 1, \"window\": \"10s\","
        " \"applies_to\": [\"POST /Users\"]}], " CONST_LAT "},"
        " \"client\": {\"workers\": 1, \"requests\": \"okta\", \"retry_from\": \"%s\"},"
        " \"workload\": {\"rollouts\": [{\"kind\": \"create\", \"users\": 2, \"at\": \"01:00\"}]}}";
    char json[2048];
    struct req q[32];
    struct run_result r;
    /* job 0 takes the window's one POST; job 1's POST is refused, and its
     * retry (after Retry-After) starts again at GET ... */
    snprintf(json, sizeof json, fmt, "start");
    size_t n = run_traced(json, q, 32, &r);
    const char *start[] = {"GET /Users", "POST /Users", "GET /Users", "POST /Users",
                           "GET /Users", "POST /Users"};
    assert_int_equal(n, 6);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(q[i].endpoint, start[i]);
    assert_string_equal(q[3].outcome, "throttled");
    assert_int_equal(q[4].attempt, 2);
    assert_int_equal(q[4].step, 0);
    run_result_fini(&r);
    /* ... or resends only the POST */
    snprintf(json, sizeof json, fmt, "failed_request");
    n = run_traced(json, q, 32, &r);
    const char *failed[] = {"GET /Users", "POST /Users", "GET /Users", "POST /Users",
                            "POST /Users"};
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(q[i].endpoint, failed[i]);
    assert_int_equal(q[4].attempt, 2);
    assert_int_equal(q[4].step, 1);
    assert_true(metric(&r, METRIC_ROLLOUT_JOB_ATTEMPTS) == 1.5);
    run_result_fini(&r);
}

static void park_leaves_jobs_for_an_admin(void **state)
{
    (void)state;
    const char *json =
        "{" HEAD ", \"replications\": 2, \"server\": {\"limits\": [], " CONST_LAT
        ", \"error_rate\": 0.2},"
        " \"client\": {\"workers\": 4, \"requests\": \"okta\", \"on_error\": \"park\"},"
        " \"workload\": {\"rollouts\": [{\"kind\": \"create\", \"users\": 1000, \"at\": \"01:00\"}]}}";
    struct scenario s;
    struct run_result r;
    load_json(json, &s);
    struct run_opts o = {.reps = 2, .seed = s.seed};
    assert_int_equal(run_scenario(&s, &o, &r), 0);
    for (int k = 0; k < 2; k++) {
        const double *v = r.values + (size_t)k * METRIC_COUNT;
        /* every 5xx parks its job: no retries at all */
        assert_true(v[METRIC_PARKED] == v[METRIC_SERVER_ERRORS]);
        assert_true(v[METRIC_PARKED] > 300 && v[METRIC_PARKED] < 450); /* 1-0.8^2 = 36% */
        assert_true(v[METRIC_ROLLOUT_JOB_ATTEMPTS] == 1.0);
        assert_true(v[METRIC_SUCCEEDED] + v[METRIC_PARKED] == 1000);
        assert_true(v[METRIC_PEAK_FAILED_TASKS] == v[METRIC_PARKED]);
    }
    run_result_fini(&r);
    scn_fini(&s);
}

static void group_push_jobs(void **state)
{
    (void)state;
    /* 250 users in batches of 100: memberships 2 groups x (1+1+1) PATCHes
     * of at most 40 ... per batch ceil(100/40)=3, ceil(50/40)=2: 2x(3+3+2)
     * = 16, plus 2 group creations; okta sends each membership job as two
     * PATCHes (members, then the group name) */
    const char *json =
        "{" HEAD ", \"replications\": 1, \"server\": {\"limits\": [], " CONST_LAT "},"
        " \"client\": {\"workers\": 1, \"requests\": \"okta\"},"
        " \"workload\": {\"rollouts\": [{\"kind\": \"create\", \"users\": 250, \"at\": \"01:00\","
        " \"batch_size\": 100, \"batch_interval\": \"1h\", \"group_push\": {\"groups\": 2,"
        " \"members_per_patch\": 40}}]}}";
    static struct req q[4096];
    struct run_result r;
    size_t n = run_traced(json, q, 4096, &r);
    size_t creates = 0, members = 0, patches = 0;
    for (size_t i = 0; i < n; i++) {
        creates += strcmp(q[i].kind, "group_create") == 0;
        members += strcmp(q[i].kind, "group_members") == 0 && q[i].step == 0;
        patches += strcmp(q[i].endpoint, "PATCH /Groups/{id}") == 0;
    }
    assert_int_equal(creates, 2);
    assert_int_equal(members, 16);
    assert_int_equal(patches, 32);
    /* the groups are created first, the memberships after each batch's users */
    assert_string_equal(q[0].endpoint, "POST /Groups");
    assert_string_equal(q[2].endpoint, "GET /Users");
    assert_true(metric(&r, METRIC_GROUP_JOBS) == 18);
    assert_true(metric(&r, METRIC_JOBS) == 250 + 18);
    assert_true(metric(&r, METRIC_CLEARED) == 1.0);
    assert_true(metric(&r, METRIC_GROUP_CLEAR_TIME) > 2 * 3600);
    run_result_fini(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(recipes_send_their_requests),
        cmocka_unit_test(drain_counts_every_request),
        cmocka_unit_test(limiter_refusals_add_up),
        cmocka_unit_test(retry_from),
        cmocka_unit_test(park_leaves_jobs_for_an_admin),
        cmocka_unit_test(group_push_jobs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

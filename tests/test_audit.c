/* test_audit.c -- the --audit checks catch a corrupted model: prov_check on
 * tampered state (job counts, job states, the ready queue's lazy states,
 * workers, failed tasks, limiter state), and audit.c's shadow on limiters
 * whose bookkeeping is broken mid-run so that they admit past their
 * quota while their own state still looks consistent, on time going
 * backwards and on the job balance. The same runs untampered pass, so
 * each violation is the tampering's. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/audit.h"
#include "models/provision.h"
#include "scenario_helpers.h"

#define HEAD                                                                             \
    "{\"name\": \"audit\", \"start\": \"2026-12-01T00:00\", \"horizon\": \"2h\", "      \
    "\"seed\": 3, \"replications\": 1, "
#define TAIL                                                                             \
    "\"latency\": {\"dist\": \"constant\", \"value\": \"100ms\"}}, "                   \
    "\"client\": {\"workers\": 8, \"retry\": {\"policy\": \"retry_after\"}}, "           \
    "\"workload\": {\"rollouts\": [{\"kind\": \"create\", \"users\": 300, \"at\": \"+0s\"}], " \
    "\"other_clients\": {\"shape\": \"flat\", \"peak_per_hour\": 3600}}}"

static const char *const limits[] = {
    HEAD "\"server\": {\"limits\": [{\"name\": \"b\", \"type\": \"token_bucket\", "
         "\"rate\": 2, \"burst\": 5}], " TAIL,
    HEAD "\"server\": {\"limits\": [{\"name\": \"fw\", \"type\": \"fixed_window\", "
         "\"limit\": 10, \"window\": \"10s\"}], " TAIL,
    HEAD "\"server\": {\"limits\": [{\"name\": \"sw\", \"type\": \"sliding_window\", "
         "\"limit\": 10, \"window\": \"10s\"}], " TAIL,
    HEAD "\"server\": {\"limits\": [{\"name\": \"c\", \"type\": \"concurrency\", "
         "\"limit\": 3, \"retry_after\": \"1s\"}], " TAIL,
};

/* Breaks limiter 0's bookkeeping after an event: the bug each type's
 * quota check must catch. */
static void tamper_limiter(struct prov *p)
{
    struct limiter *l = &p->srv.lims[0];
    switch (l->cfg.type) {
    case LIM_TOKEN_BUCKET:
        l->tokens = l->cfg.burst; /* a refill that never runs dry */
        break;
    case LIM_FIXED_WINDOW:
        l->count = 0; /* a window that forgets */
        break;
    case LIM_SLIDING_WINDOW:
        l->ring_len = 0; /* a window that drops its history */
        break;
    case LIM_CONCURRENCY:
        l->in_service = 0; /* releases that never happened */
        break;
    }
}

/* Runs p's replication as run_audited does (audit before and after every
 * event), calling tamper (if any) after each event. Returns the first
 * violation or NULL; *job its job. */
static const char *audited_run(struct prov *p, void (*tamper)(struct prov *), long *job,
                               char *copy, size_t len)
{
    struct audit *au = audit_create(p);
    struct ev ev;
    const char *bad = NULL;
    *job = -1;
    while (!bad && evq_peek_time(&p->q) <= p->scn->horizon_s) {
        evq_pop(&p->q, &ev);
        bad = audit_before(au, &ev, job);
        if (bad)
            break;
        prov_handle(p, &ev);
        if (tamper)
            tamper(p);
        bad = prov_check(p, 0, job);
        if (!bad)
            bad = audit_after(au, job);
    }
    if (!bad)
        bad = prov_check(p, 1, job);
    if (bad) {
        snprintf(copy, len, "%s", bad); /* audit's message dies with it */
        bad = copy;
    }
    audit_destroy(au);
    return bad;
}

static void test_quota_violations(void **state)
{
    (void)state;
    static const char *const names[] = {"\"b\" (token_bucket) admitted",
                                        "\"fw\" (fixed_window) admitted",
                                        "\"sw\" (sliding_window) admitted",
                                        "\"c\" (concurrency) has"};
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        struct scenario s;
        load_json(limits[i], &s);
        struct prov p;
        prov_init(&p, &s);
        char msg[256];
        long job;

        prov_start(&p, 0);
        const char *bad = audited_run(&p, NULL, &job, msg, sizeof msg);
        if (bad)
            fail_msg("limiter %zu, untampered run: %s", i, bad);
        assert_true(p.count[JOB_SUCCEEDED] > 0);

        prov_start(&p, 0);
        bad = audited_run(&p, tamper_limiter, &job, msg, sizeof msg);
        if (!bad || !strstr(bad, names[i]))
            fail_msg("limiter %zu: expected a violation naming %s, got %s", i, names[i],
                     bad ? bad : "none");
        printf("limiter %zu tampered: %s (job %ld)\n", i, bad, job);
        /* lim_check alone does not see these bugs */
        assert_null(lim_check(&p.srv.lims[0]));
        prov_fini(&p);
        scn_fini(&s);
    }
}

/* Runs part of the default scenario, so that jobs are in every state. */
static void start_default(struct prov *p, struct scenario *s, size_t events)
{
    char err[SCN_ERRLEN];
    scn_doc *d = scn_doc_default();
    assert_int_equal(scn_from_doc(d, s, err, sizeof err), 0);
    scn_doc_free(d);
    prov_init(p, s);
    prov_start(p, 0);
    struct ev ev;
    for (size_t i = 0; i < events && evq_pop(&p->q, &ev); i++)
        prov_handle(p, &ev);
    long job;
    const char *bad = prov_check(p, 1, &job);
    if (bad)
        fail_msg("untampered state: %s", bad);
}

static void expect_violation(const struct prov *p, const char *want, long want_job)
{
    long job;
    const char *bad = prov_check(p, 1, &job);
    if (!bad || !strstr(bad, want))
        fail_msg("expected \"%s\", got \"%s\"", want, bad ? bad : "no violation");
    if (want_job >= 0)
        assert_int_equal(job, want_job);
}

static void test_prov_check_tampered(void **state)
{
    (void)state;
    struct scenario s;
    struct prov p;
    start_default(&p, &s, 20000);
    assert_true(p.njobs > 100);

    p.count[JOB_QUEUED]++;
    expect_violation(&p, "do not add up", -1);
    p.count[JOB_QUEUED]--;

    uint8_t st = p.jobs[42].state;
    p.jobs[42].state = 7; /* past JOB_NSTATES, within its 3 bits */
    expect_violation(&p, "unknown state", 42);
    p.jobs[42].state = st;

    p.free_workers--;
    expect_violation(&p, "free workers", -1);
    p.free_workers++;

    size_t i = 0;
    while (i < p.njobs && p.jobs[i].state != JOB_SUCCEEDED)
        i++;
    assert_true(i < p.njobs);
    uint8_t f = p.jobs[i].failed;
    p.jobs[i].state = JOB_EXHAUSTED; /* moved without its count */
    p.jobs[i].failed = 1;
    expect_violation(&p, "count", -1);
    p.jobs[i].state = JOB_SUCCEEDED;
    p.jobs[i].failed = f;

    double tokens = p.srv.lims[0].tokens;
    p.srv.lims[0].tokens = p.srv.lims[0].cfg.burst + 5;
    expect_violation(&p, "limiter state inconsistent", -1);
    p.srv.lims[0].tokens = tokens;

    long job;
    assert_null(prov_check(&p, 1, &job));
    prov_fini(&p);
    scn_fini(&s);
}

/* A job in the ready queue must count as queued. A deferred retry that
 * take_due queued still reads JOB_WAITING until dispatch writes its state
 * (provision.c): legal only with deferred retries; any other state, or
 * counts that do not follow, is a bug. */
static void test_lazy_queue_state(void **state)
{
    (void)state;
    struct scenario s;
    load_json(limits[0], &s); /* 300 jobs, 8 workers, 2 tokens/s: a backlog */
    struct prov p;
    prov_init(&p, &s);
    prov_start(&p, 0);
    assert_true(p.defer_retries);
    long job;
    uint32_t lazy = UINT32_MAX;
    struct ev ev;
    while (lazy == UINT32_MAX && evq_pop(&p.q, &ev)) {
        prov_handle(&p, &ev);
        for (size_t i = 0; i < p.fifo_len && lazy == UINT32_MAX; i++) {
            uint32_t id = p.fifo[(p.fifo_head + i) & (p.fifo_cap - 1)];
            if (p.jobs[id].state == JOB_WAITING)
                lazy = id;
        }
    }
    assert_true(lazy != UINT32_MAX); /* the lazy state happens */
    assert_null(prov_check(&p, 1, &job));

    p.defer_retries = 0;
    expect_violation(&p, "ready queue is not queued", lazy);
    p.defer_retries = 1;

    p.count[JOB_QUEUED]--; /* as if take_due had not moved the counts */
    p.count[JOB_WAITING]++;
    expect_violation(&p, "count", -1);
    p.count[JOB_QUEUED]++;
    p.count[JOB_WAITING]--;

    p.jobs[lazy].state = JOB_SUCCEEDED;
    expect_violation(&p, "ready queue is not queued", lazy);
    p.jobs[lazy].state = JOB_WAITING;

    assert_null(prov_check(&p, 1, &job));
    prov_fini(&p);
    scn_fini(&s);
}

static void test_time_and_balance(void **state)
{
    (void)state;
    struct scenario s;
    struct prov p;
    start_default(&p, &s, 5000);
    struct audit *au = audit_create(&p);
    long job;
    struct ev ev = {.t = 100.0, .key = PROV_EV_RESUME};
    assert_null(audit_before(au, &ev, &job));
    ev.t = 99.0;
    const char *bad = audit_before(au, &ev, &job);
    assert_non_null(bad);
    assert_non_null(strstr(bad, "time went backwards: an event at t=99 s after one at t=100 s"));
    ev.t = NAN;
    assert_non_null(audit_before(au, &ev, &job));

    assert_null(audit_after(au, &job));
    p.bg_jobs++;
    bad = audit_after(au, &job);
    assert_non_null(bad);
    assert_non_null(strstr(bad, "!= rollout jobs"));
    p.bg_jobs--;
    p.count[JOB_SUCCEEDED]++;
    bad = audit_after(au, &job);
    assert_non_null(bad);
    assert_non_null(strstr(bad, "!= succeeded"));
    p.count[JOB_SUCCEEDED]--;
    assert_null(audit_after(au, &job));

    /* the trace hook is restored */
    audit_destroy(au);
    assert_null(p.trace);
    prov_fini(&p);
    scn_fini(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quota_violations),
        cmocka_unit_test(test_prov_check_tampered),
        cmocka_unit_test(test_lazy_queue_state),
        cmocka_unit_test(test_time_and_balance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

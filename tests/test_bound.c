/* test_bound.c -- lower_bound_s is a true lower bound: across every
 * preset and 300 random valid scenarios (fixed seed), no replication's
 * clear time is below the terms that bound every replication
 * (bound_parts.strict_s), and, where a mean-latency term binds (workers,
 * concurrency), the mean of 30 replications is not more than 4 standard
 * errors below the whole bound. efficiency (the per-replication terms
 * over the clear time) is at most 100% in every replication. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <time.h>

#include "scenario_helpers.h"
#include "models/bound.h"
#include "run/runner.h"

#define SRC PROVSIM_SOURCE_DIR

/* Replication values of metric m. */
static double val(const struct run_result *r, int k, enum metric m)
{
    return r->values[(size_t)k * METRIC_COUNT + m];
}

/* Checks one scenario; returns the number of violations (printed). */
static int check(const struct scenario *s, int reps, const char *what)
{
    struct bound_parts b;
    bound_compute(s, &b);
    struct run_opts o = {.reps = reps, .seed = s->seed};
    struct run_result r;
    assert_int_equal(run_scenario(s, &o, &r), 0);
    int bad = 0;
    assert_true(b.strict_s <= b.lower_bound_s);
    assert_true(r.lower_bound_s == b.lower_bound_s);
    for (int k = 0; k < r.reps; k++) {
        if (val(&r, k, METRIC_CLEARED) < 1.0)
            continue; /* censored: the clear time is not known */
        double ct = val(&r, k, METRIC_CLEAR_TIME);
        if (ct < b.strict_s - 1e-6) {
            print_error("%s: replication %d cleared in %.6f s, below the strict bound %.6f s\n",
                        what, k, ct, b.strict_s);
            bad++;
        }
        if (val(&r, k, METRIC_EFFICIENCY) > 1.0 + 1e-9) {
            print_error("%s: replication %d efficiency %.6f > 1\n", what, k,
                        val(&r, k, METRIC_EFFICIENCY));
            bad++;
        }
    }
    /* the mean terms, on the mean: a mean more than 4 standard errors
     * below the bound would refute it (with one replication, the value) */
    run_result_fini(&r);
    if (b.lower_bound_s > b.strict_s) {
        /* a mean term binds: 30 replications, so that the standard error
         * itself is well estimated (3 replications' sd is not) */
        struct run_opts o30 = {.reps = 30, .seed = s->seed};
        assert_int_equal(run_scenario(s, &o30, &r), 0);
        const struct stats_summary *ct = &r.sum[METRIC_CLEAR_TIME];
        double se = ct->sd / sqrt((double)r.reps);
        if (r.censored == 0 && ct->mean + 4.0 * se < b.lower_bound_s - 1e-6) {
            print_error("%s: mean clear time %.6f s (se %.3g, 30 replications) below the "
                        "bound %.6f s\n",
                        what, ct->mean, se, b.lower_bound_s);
            bad++;
        }
        run_result_fini(&r);
    }
    return bad;
}

static void presets_never_beat_the_bound(void **state)
{
    (void)state;
    DIR *d = opendir(SRC "/configs");
    assert_non_null(d);
    struct dirent *e;
    int bad = 0, n = 0;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".json") || !strncmp(e->d_name, "bench-", 6) ||
            strstr(e->d_name, ".schema.")) /* the JSON Schema, not a scenario */
            continue;
        char path[1024], err[SCN_ERRLEN];
        snprintf(path, sizeof path, SRC "/configs/%s", e->d_name);
        struct scenario s;
        assert_int_equal(scn_load(path, NULL, 0, &s, err, sizeof err), 0);
        bad += check(&s, 4, e->d_name);
        n++;
        scn_fini(&s);
    }
    closedir(d);
    print_message("  %d presets checked\n", n);
    assert_true(n >= 7);
    assert_int_equal(bad, 0);
}

/* A tiny deterministic generator (the test's own: independent of the
 * model's streams). */
static uint64_t rs = 20261201;
static double u01(void)
{
    rs = rs * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(rs >> 11) / 9007199254740992.0;
}
static int pick(int n)
{
    return (int)(u01() * n);
}

/* One random valid scenario as JSON text. */
static void random_scenario(char *buf, size_t len, int i)
{
    static const char *kinds[] = {"create", "update", "deactivate"};
    char lim[1024] = "", *p = lim;
    int nl = pick(3);
    for (int k = 0; k < nl; k++) {
        const char *sep = k ? "," : "";
        const char *ap = pick(2) ? "" : ", \"applies_to\": [\"create\"]";
        switch (pick(4)) {
        case 0:
            p += sprintf(p, "%s{\"type\": \"token_bucket\", \"rate\": %.2f, \"burst\": %d%s}", sep,
                         0.5 + 20 * u01(), 1 + pick(100), ap);
            break;
        case 1:
            p += sprintf(p, "%s{\"type\": \"fixed_window\", \"limit\": %d, \"window\": %d%s}",
                         sep, 5 + pick(300), 1 + pick(120), ap);
            break;
        case 2:
            p += sprintf(p, "%s{\"type\": \"sliding_window\", \"limit\": %d, \"window\": %d%s}",
                         sep, 5 + pick(300), 1 + pick(120), ap);
            break;
        default:
            p += sprintf(p, "%s{\"type\": \"concurrency\", \"limit\": %d, \"retry_after\": %d%s}",
                         sep, 1 + pick(10), 1 + pick(5), ap);
        }
    }
    static const char *lat[] = {
        "{\"dist\": \"constant\", \"value\": 0.2}",
        "{\"dist\": \"exponential\", \"mean\": 0.3}",
        "{\"dist\": \"lognormal\", \"median\": 0.2, \"p95\": 0.9}",
        "{\"dist\": \"uniform\", \"min\": 0.05, \"max\": 0.6}",
        "{\"dist\": \"gamma\", \"mean\": 0.25, \"cv\": 0.5}",
    };
    int users = 1 + pick(1000), bs = 1 + pick(users), iv = 5 + pick(300);
    char rate[64] = "";
    if (pick(3) == 0)
        snprintf(rate, sizeof rate, ", \"max_rate\": %.2f", 1 + 40 * u01());
    static const char *retry[] = {
        "{\"policy\": \"retry_after\"}",
        "{\"policy\": \"exponential\", \"base\": \"1s\", \"cap\": \"30s\"}",
        "{\"policy\": \"fixed\", \"delay\": \"2s\"}",
    };
    char other[128] = "";
    if (pick(2))
        snprintf(other, sizeof other, ", \"other_clients\": {\"shape\": \"flat\", \"peak_per_hour\": %d}",
                 10 + pick(2000));
    char bg[128] = "";
    if (pick(2))
        snprintf(bg, sizeof bg, ", \"background\": {\"shape\": \"flat\", \"peak_per_hour\": %d}",
                 1 + pick(500));
    snprintf(buf, len,
             "{\"name\": \"random %d\", \"start\": \"2026-12-01T09:00\", \"horizon\": \"auto\", \"horizon_cap\": \"1d\", \"settle\": 0,"
             " \"seed\": %d, \"replications\": 3,"
             " \"server\": {\"limits\": [%s], \"latency\": %s, \"reject_latency\": 0.05,"
             " \"count_rejected\": %s},"
             " \"client\": {\"workers\": %d%s, \"on_429\": \"%s\", \"retry\": %s},"
             " \"workload\": {\"rollouts\": [{\"kind\": \"%s\", \"users\": %d, \"at\": \"+%dm\","
             " \"batch_size\": %d, \"batch_interval\": %d}]%s%s}}",
             i, 1 + i, lim, lat[pick(5)], "false", 1 + pick(20), rate,
             pick(4) ? "job" : "pause_all", retry[pick(3)], kinds[pick(3)], users, pick(120), bs,
             iv, bg, other);
}

static void random_scenarios_never_beat_the_bound(void **state)
{
    (void)state;
    char json[4096];
    int bad = 0;
    print_message("  300 random scenarios, generator seed 20261201\n");
    for (int i = 0; i < 300; i++) {
        random_scenario(json, sizeof json, i);
        struct scenario s;
        load_json(json, &s);
        char what[32];
        snprintf(what, sizeof what, "random scenario %d", i);
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        int b = check(&s, 3, what);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double dt = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
        if (getenv("BOUND_TIMES") && dt > 0.2)
            print_message("  %s: %.2f s\n%s\n", what, dt, json);
        if (b)
            print_error("  %s\n", json);
        bad += b;
        scn_fini(&s);
    }
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(presets_never_beat_the_bound),
        cmocka_unit_test(random_scenarios_never_beat_the_bound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

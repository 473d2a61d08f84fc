/* test_theory.c -- the simulator against queueing theory.
 *
 * With "limits": [] the model is a plain multi-server queue: background
 * jobs arrive as a Poisson process (flat profile), W workers serve them,
 * the service time is the server latency. Each test runs fixed-seed
 * replications and checks that the theoretical mean time in system lies
 * within the replications' 99% confidence interval (Student's t); the
 * tolerance is that interval, printed with the seed. Replications start
 * empty, so the warm-up bias is included: it is small against the CI for
 * these horizons (about 10^4 jobs per replication). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include <gsl/gsl_cdf.h>

#include "models/metrics.h"
#include "run/runner.h"
#include "scenario_helpers.h"

#define SEED 20261128

static void run_json(const char *json, struct scenario *s, struct run_result *r)
{
    load_json(json, s);
    struct run_opts o = {.reps = s->replications, .seed = s->seed};
    assert_int_equal(run_scenario(s, &o, r), 0);
}

/* The theoretical value must lie in mean +- t(0.995, n-1) * sd / sqrt(n). */
static void assert_within_ci99(const char *what, const struct stats_summary *m, double theory)
{
    double h = gsl_cdf_tdist_Pinv(0.995, (double)(m->n - 1)) * m->sd / sqrt((double)m->n);
    printf("%s: seed %d, n=%zu, simulated %.5f +- %.5f (99%% CI), theory %.5f\n", what, SEED,
           m->n, m->mean, h, theory);
    assert_true(h > 0.0);
    assert_true(fabs(m->mean - theory) <= h);
}

static char *queue_json(double lambda_per_s, int workers, const char *latency, int reps,
                        const char *horizon)
{
    static char buf[2048];
    snprintf(buf, sizeof buf,
             "{\"name\": \"queue\", \"start\": \"2026-12-01T00:00\", \"horizon\": \"%s\","
             " \"seed\": %d, \"replications\": %d,"
             " \"server\": {\"limits\": [], \"latency\": %s},"
             " \"client\": {\"workers\": %d},"
             " \"workload\": {\"background\": {\"shape\": \"flat\", \"peak_per_hour\": %.6f}}}",
             horizon, SEED, reps, latency, workers, lambda_per_s * 3600.0);
    return buf;
}

static void mm1(void **state)
{
    (void)state;
    double lambda = 0.5, mu = 1.0;
    struct scenario s;
    struct run_result r;
    run_json(queue_json(lambda, 1, "{\"dist\": \"exponential\", \"mean\": 1}", 30, "6h"), &s, &r);
    assert_within_ci99("M/M/1 W", &r.sum[METRIC_BACKGROUND_LAT_MEAN], 1.0 / (mu - lambda));
    /* nothing is throttled without limits, and every job is accounted for */
    assert_true(r.sum[METRIC_THROTTLED].max == 0.0);
    run_result_fini(&r);
    scn_fini(&s);
}

static void md1(void **state)
{
    (void)state;
    double lambda = 0.6, d = 1.0, rho = lambda * d;
    double theory = d + lambda * d * d / (2.0 * (1.0 - rho)); /* Pollaczek-Khinchine */
    struct scenario s;
    struct run_result r;
    run_json(queue_json(lambda, 1, "{\"dist\": \"constant\", \"value\": 1}", 30, "6h"), &s, &r);
    assert_within_ci99("M/D/1 W", &r.sum[METRIC_BACKGROUND_LAT_MEAN], theory);
    run_result_fini(&r);
    scn_fini(&s);
}

/* Erlang C: probability an arrival waits in M/M/c with offered load a. */
static double erlang_c(int c, double a)
{
    double term = 1.0, sum = 1.0; /* k = 0 */
    for (int k = 1; k < c; k++) {
        term *= a / k;
        sum += term;
    }
    double top = term * a / c / (1.0 - a / c); /* a^c / c! * c / (c - a) */
    return top / (sum + top);
}

static void mmc(void **state)
{
    (void)state;
    int c = 3;
    double lambda = 2.4, mu = 1.0, a = lambda / mu;
    double theory = erlang_c(c, a) / (c * mu - lambda) + 1.0 / mu;
    struct scenario s;
    struct run_result r;
    run_json(queue_json(lambda, c, "{\"dist\": \"exponential\", \"mean\": 1}", 30, "3h"), &s, &r);
    assert_within_ci99("M/M/3 W (Erlang C)", &r.sum[METRIC_BACKGROUND_LAT_MEAN], theory);
    run_result_fini(&r);
    scn_fini(&s);
}

/* N jobs at once against a fixed window of L per w, fast service: the
 * backlog clears in window ceil(N/L), i.e. within
 * [(ceil(N/L) - 1) * w, ceil(N/L) * w]. */
static void fixed_window_drain(void **state)
{
    (void)state;
    const int cases[][3] = {{1000, 100, 60}, {250, 100, 60}, {999, 37, 10}};
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int n = cases[i][0], L = cases[i][1], w = cases[i][2];
        char json[1024];
        snprintf(json, sizeof json,
                 "{\"name\": \"drain\", \"start\": \"2026-12-01T00:00\", \"horizon\": \"1d\","
                 " \"seed\": %d, \"replications\": 5,"
                 " \"server\": {\"limits\": [{\"type\": \"fixed_window\", \"limit\": %d,"
                 " \"window\": %d}], \"latency\": {\"dist\": \"exponential\", \"mean\": \"1ms\"},"
                 " \"reject_latency\": \"1ms\"},"
                 " \"client\": {\"workers\": 10, \"retry\": {\"policy\": \"retry_after\"}},"
                 " \"workload\": {\"rollouts\": [{\"kind\": \"create\", \"users\": %d,"
                 " \"at\": \"+0s\"}]}}",
                 SEED, L, w, n);
        struct scenario s;
        struct run_result r;
        run_json(json, &s, &r);
        double k = ceil((double)n / L);
        printf("drain N=%d L=%d w=%d: clear in [%.3f, %.3f], bounds [%g, %g]\n", n, L, w,
               r.sum[METRIC_CLEAR_TIME].min, r.sum[METRIC_CLEAR_TIME].max, (k - 1) * w, k * w);
        assert_true(r.sum[METRIC_CLEAR_TIME].min >= (k - 1) * w);
        assert_true(r.sum[METRIC_CLEAR_TIME].max <= k * w);
        assert_true(r.sum[METRIC_SUCCEEDED].min == n);
        run_result_fini(&r);
        scn_fini(&s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mm1),
        cmocka_unit_test(md1),
        cmocka_unit_test(mmc),
        cmocka_unit_test(fixed_window_drain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

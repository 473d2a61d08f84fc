/* test_dist.c -- distribution constructors (errors named by parameter) and
 * the samplers' moments and quantiles against their confidence intervals. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "models/dist.h"

#define SEED 987654321UL
#define NSAMPLES 200000

/* ---- constructors ----------------------------------------------------- */

/* The constructor must fail with a message starting with want. */
static void expect_error(int rc, const char *err, const char *want)
{
    if (rc != -1)
        fail_msg("expected an error \"%s...\", got rc %d", want, rc);
    if (strncmp(err, want, strlen(want)) != 0)
        fail_msg("message \"%s\", want it to start with \"%s\"", err, want);
}

static void constructor_errors(void **state)
{
    (void)state;
    struct dist d;
    char err[128];

    expect_error(dist_init_constant(&d, -1, err, sizeof err), err, "value: must be >= 0");
    expect_error(dist_init_constant(&d, NAN, err, sizeof err), err, "value:");
    expect_error(dist_init_constant(&d, INFINITY, err, sizeof err), err, "value:");

    expect_error(dist_init_exponential(&d, 0, err, sizeof err), err, "mean: must be > 0");
    expect_error(dist_init_exponential(&d, -2, err, sizeof err), err, "mean: must be > 0");
    expect_error(dist_init_exponential(&d, NAN, err, sizeof err), err, "mean:");
    expect_error(dist_init_exponential(&d, INFINITY, err, sizeof err), err, "mean:");

    expect_error(dist_init_lognormal(&d, 0, 1, err, sizeof err), err, "median: must be > 0");
    expect_error(dist_init_lognormal(&d, -1, 1, err, sizeof err), err, "median: must be > 0");
    expect_error(dist_init_lognormal(&d, 1, 1, err, sizeof err), err, "p95: must be > median");
    expect_error(dist_init_lognormal(&d, 1, 0.5, err, sizeof err), err, "p95: must be > median");
    expect_error(dist_init_lognormal(&d, NAN, 1, err, sizeof err), err, "median:");
    expect_error(dist_init_lognormal(&d, 1, NAN, err, sizeof err), err, "p95:");
    expect_error(dist_init_lognormal(&d, 1, INFINITY, err, sizeof err), err, "p95:");
    /* finite but the mean overflows */
    expect_error(dist_init_lognormal(&d, 1, 1e300, err, sizeof err), err, "p95:");

    expect_error(dist_init_gamma(&d, 0, 1, err, sizeof err), err, "mean: must be > 0");
    expect_error(dist_init_gamma(&d, 1, 0, err, sizeof err), err, "cv: must be > 0");
    expect_error(dist_init_gamma(&d, 1, -0.5, err, sizeof err), err, "cv: must be > 0");
    expect_error(dist_init_gamma(&d, NAN, 1, err, sizeof err), err, "mean:");
    expect_error(dist_init_gamma(&d, 1, INFINITY, err, sizeof err), err, "cv:");

    expect_error(dist_init_uniform(&d, -1, 1, err, sizeof err), err, "min: must be >= 0");
    expect_error(dist_init_uniform(&d, 2, 1, err, sizeof err), err, "max: must be >= min");
    expect_error(dist_init_uniform(&d, NAN, 1, err, sizeof err), err, "min:");
    expect_error(dist_init_uniform(&d, 0, INFINITY, err, sizeof err), err, "max:");

    /* a short or absent buffer is not overrun */
    char tiny[4] = "xyz";
    assert_int_equal(dist_init_gamma(&d, 1, 0, tiny, sizeof tiny), -1);
    assert_string_equal(tiny, "cv:");
    assert_int_equal(dist_init_gamma(&d, 1, 0, NULL, 0), -1);
}

static void expect_close(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.17g, want %.17g (tolerance %g)", got, want, tol);
}

static void constructor_parameters(void **state)
{
    (void)state;
    struct dist d;
    char err[128];

    assert_int_equal(dist_init_constant(&d, 0, err, sizeof err), 0); /* 0 is allowed */
    assert_true(d.type == DIST_CONSTANT && d.mean_s == 0);

    assert_int_equal(dist_init_exponential(&d, 2.5, err, sizeof err), 0);
    assert_true(d.type == DIST_EXPONENTIAL && d.a == 2.5 && d.mean_s == 2.5);

    assert_int_equal(dist_init_lognormal(&d, 0.3, 1, err, sizeof err), 0);
    double z95 = gsl_cdf_ugaussian_Pinv(0.95);
    assert_true(d.type == DIST_LOGNORMAL);
    expect_close(d.a, log(0.3), 1e-15);
    expect_close(d.b, (log(1) - log(0.3)) / z95, 1e-15);
    /* the parameters reproduce the inputs as quantiles */
    expect_close(gsl_cdf_lognormal_Pinv(0.5, d.a, d.b), 0.3, 1e-12);
    expect_close(gsl_cdf_lognormal_Pinv(0.95, d.a, d.b), 1.0, 1e-12);
    expect_close(d.mean_s, exp(d.a + d.b * d.b / 2), 1e-15);

    assert_int_equal(dist_init_gamma(&d, 1.5, 0.5, err, sizeof err), 0);
    assert_true(d.type == DIST_GAMMA);
    expect_close(d.a, 4, 1e-12);     /* shape 1/cv^2 */
    expect_close(d.b, 0.375, 1e-12); /* scale mean cv^2 */
    assert_true(d.mean_s == 1.5);

    assert_int_equal(dist_init_uniform(&d, 1, 3, err, sizeof err), 0);
    assert_true(d.type == DIST_UNIFORM && d.a == 1 && d.b == 3 && d.mean_s == 2);
    assert_int_equal(dist_init_uniform(&d, 0.7, 0.7, err, sizeof err), 0);
    assert_true(d.mean_s == 0.7);
}

static void names_round_trip(void **state)
{
    (void)state;
    const char *want[] = {"constant", "exponential", "lognormal", "gamma", "uniform"};
    for (int t = 0; t < 5; t++) {
        assert_string_equal(dist_type_name(t), want[t]);
        assert_int_equal(dist_type_parse(want[t]), t);
    }
    assert_int_equal(dist_type_parse("weibull"), -1);
    assert_int_equal(dist_type_parse("Gamma"), -1);
    assert_string_equal(dist_type_name((enum dist_type)42), "?");
}

/* ---- samplers --------------------------------------------------------- */

static gsl_rng *new_rng(void)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(r);
    gsl_rng_set(r, SEED);
    return r;
}

/* Draws NSAMPLES (all >= 0) into a new array. */
static double *sample(const struct dist *d, gsl_rng *r)
{
    double *x = malloc(NSAMPLES * sizeof *x);
    assert_non_null(x);
    for (size_t i = 0; i < NSAMPLES; i++) {
        x[i] = dist_draw(d, r);
        if (!(x[i] >= 0) || !isfinite(x[i]))
            fail_msg("%s draw %zu = %g", dist_type_name(d->type), i, x[i]);
    }
    return x;
}

/* The sample mean within the 99% CI of the theoretical mean, the CI from
 * the sample sd. */
static void expect_mean(const char *what, const double *x, double mean_s)
{
    double m = gsl_stats_mean(x, 1, NSAMPLES);
    double sd = gsl_stats_sd_m(x, 1, NSAMPLES, m);
    double half = gsl_cdf_ugaussian_Pinv(0.995) * sd / sqrt((double)NSAMPLES);
    print_message("%s: seed %lu, n %d, sample mean %.6f, theory %.6f +- %.6f (99%% CI)\n",
                  what, SEED, NSAMPLES, m, mean_s, half);
    if (fabs(m - mean_s) > half)
        fail_msg("%s: sample mean %.6f, theory %.6f, outside +- %.6f (seed %lu)", what, m,
                 mean_s, half, SEED);
}

static void sample_means(void **state)
{
    (void)state;
    char err[128];
    struct {
        const char *what;
        struct dist d;
        int rc;
    } cases[5];
    cases[0].what = "exponential mean 2";
    cases[0].rc = dist_init_exponential(&cases[0].d, 2, err, sizeof err);
    cases[1].what = "lognormal median 0.3 p95 1";
    cases[1].rc = dist_init_lognormal(&cases[1].d, 0.3, 1, err, sizeof err);
    cases[2].what = "gamma mean 1.5 cv 0.5";
    cases[2].rc = dist_init_gamma(&cases[2].d, 1.5, 0.5, err, sizeof err);
    cases[3].what = "gamma mean 0.4 cv 2";
    cases[3].rc = dist_init_gamma(&cases[3].d, 0.4, 2, err, sizeof err);
    cases[4].what = "uniform 1..3";
    cases[4].rc = dist_init_uniform(&cases[4].d, 1, 3, err, sizeof err);

    gsl_rng *r = new_rng();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(cases[i].rc, 0);
        double *x = sample(&cases[i].d, r);
        expect_mean(cases[i].what, x, cases[i].d.mean_s);
        free(x);
    }
    gsl_rng_free(r);
}

/* Gamma: the mean alone cannot tell shape from scale, so check the
 * variance (mean cv)^2 too. The sample variance has variance about
 * sigma^4 (2 + 6/k) / n (excess kurtosis 6/k); 99% CI. */
static void gamma_variance(void **state)
{
    (void)state;
    char err[128];
    double cvs[] = {0.5, 2};
    gsl_rng *r = new_rng();
    for (size_t j = 0; j < 2; j++) {
        struct dist d;
        assert_int_equal(dist_init_gamma(&d, 1.5, cvs[j], err, sizeof err), 0);
        double *x = sample(&d, r);
        double var = gsl_stats_variance(x, 1, NSAMPLES);
        double sigma2 = (1.5 * cvs[j]) * (1.5 * cvs[j]);
        double k = 1 / (cvs[j] * cvs[j]);
        double half =
            gsl_cdf_ugaussian_Pinv(0.995) * sigma2 * sqrt((2 + 6 / k) / (double)NSAMPLES);
        print_message("gamma cv %g: seed %lu, sample variance %.5f, theory %.5f +- %.5f\n",
                      cvs[j], SEED, var, sigma2, half);
        if (fabs(var - sigma2) > half)
            fail_msg("gamma cv %g: variance %.6f, theory %.6f, outside +- %.6f", cvs[j], var,
                     sigma2, half);
        free(x);
    }
    gsl_rng_free(r);
}

/* Lognormal from median and p95: the sample median lies in the
 * order-statistic 99% CI, and P(X <= p95) is 0.95 within its binomial
 * 99% CI. */
static void lognormal_quantiles(void **state)
{
    (void)state;
    char err[128];
    const double median = 0.3, p95 = 1.0;
    struct dist d;
    assert_int_equal(dist_init_lognormal(&d, median, p95, err, sizeof err), 0);
    gsl_rng *r = new_rng();
    double *x = sample(&d, r);
    double z = gsl_cdf_ugaussian_Pinv(0.995);

    size_t below = 0;
    for (size_t i = 0; i < NSAMPLES; i++)
        below += x[i] <= p95;
    double p = (double)below / NSAMPLES;
    double half_p = z * sqrt(0.95 * 0.05 / NSAMPLES);
    print_message("lognormal: seed %lu, P(X <= p95) %.5f, want 0.95 +- %.5f\n", SEED, p,
                  half_p);
    if (fabs(p - 0.95) > half_p)
        fail_msg("P(X <= p95) = %.6f, want 0.95 +- %.6f", p, half_p);

    /* The true median lies between the order statistics of ranks
     * n/2 -+ z sqrt(n)/2 (binomial(n, 1/2) count below it). */
    gsl_sort(x, 1, NSAMPLES);
    double smed = gsl_stats_median_from_sorted_data(x, 1, NSAMPLES);
    double dr = z * sqrt((double)NSAMPLES) / 2;
    size_t lo = (size_t)floor(NSAMPLES / 2.0 - dr), hi = (size_t)ceil(NSAMPLES / 2.0 + dr);
    print_message("lognormal: sample median %.5f, 99%% CI for the median [%.5f, %.5f], "
                  "want %.5f\n",
                  smed, x[lo], x[hi], median);
    if (!(x[lo] <= median && median <= x[hi]))
        fail_msg("median %.6f outside [%.6f, %.6f] (sample median %.6f)", median, x[lo], x[hi],
                 smed);
    free(x);
    gsl_rng_free(r);
}

static void uniform_and_constant(void **state)
{
    (void)state;
    char err[128];
    struct dist d;
    gsl_rng *r = new_rng();

    assert_int_equal(dist_init_uniform(&d, 1, 3, err, sizeof err), 0);
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < NSAMPLES; i++) {
        double v = dist_draw(&d, r);
        if (!(v >= 1 && v <= 3))
            fail_msg("uniform draw %g outside [1, 3]", v);
        lo = fmin(lo, v);
        hi = fmax(hi, v);
    }
    assert_true(lo < 1.001 && hi > 2.999);

    /* constant and degenerate uniform: exact, and no draws */
    struct dist cs[2];
    assert_int_equal(dist_init_constant(&cs[0], 0.7, err, sizeof err), 0);
    assert_int_equal(dist_init_uniform(&cs[1], 0.7, 0.7, err, sizeof err), 0);
    for (int j = 0; j < 2; j++) {
        gsl_rng_set(r, SEED);
        for (int i = 0; i < 1000; i++) {
            double v = dist_draw(&cs[j], r);
            if (v != 0.7)
                fail_msg("%s: draw %.17g, want exactly 0.7", dist_type_name(cs[j].type), v);
        }
        gsl_rng *ref = new_rng();
        assert_true(gsl_rng_get(r) == gsl_rng_get(ref));
        gsl_rng_free(ref);
    }
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(constructor_errors),
        cmocka_unit_test(constructor_parameters),
        cmocka_unit_test(names_round_trip),
        cmocka_unit_test(sample_means),
        cmocka_unit_test(gamma_variance),
        cmocka_unit_test(lognormal_quantiles),
        cmocka_unit_test(uniform_and_constant),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

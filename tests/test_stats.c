/* test_stats.c -- quantiles within a replication: stats_quantile and
 * stats_quantiles against GSL's definition on sorted data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "engine/stats.h"

/* n values with many ties (a few distinct values) or none */
static void fill(double *x, size_t n, gsl_rng *r, int ties)
{
    for (size_t i = 0; i < n; i++)
        x[i] = ties ? (double)gsl_rng_uniform_int(r, 7) : gsl_rng_uniform(r) * 100.0;
}

/* every quantile, alone and in one call, is GSL's on the sorted copy,
 * bit for bit */
static void test_quantiles_match_gsl(void **state)
{
    (void)state;
    static const double ps[] = {0.0, 0.25, 0.5, 0.5, 0.95, 0.99, 1.0};
    const size_t np = sizeof ps / sizeof ps[0];
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 7);
    /* from 4096 on, stats_quantiles counts by radix (stats.c) */
    static const size_t sizes[] = {1, 2, 3, 5, 10, 101, 1000, 4095, 4096, 4099, 60001};
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++)
        for (int ties = 0; ties < 2; ties++) {
            size_t n = sizes[si];
            double *x = malloc(n * sizeof *x), *sorted = malloc(n * sizeof *x),
                   *y = malloc(n * sizeof *x);
            fill(x, n, r, ties);
            memcpy(sorted, x, n * sizeof *x);
            gsl_sort(sorted, 1, n);
            double q[sizeof ps / sizeof ps[0]];
            memcpy(y, x, n * sizeof *x);
            stats_quantiles(y, n, ps, np, q);
            for (size_t i = 0; i < np; i++) {
                double want = gsl_stats_quantile_from_sorted_data(sorted, 1, n, ps[i]);
                memcpy(y, x, n * sizeof *x);
                assert_true(stats_quantile(y, n, ps[i]) == want);
                if (q[i] != want)
                    fail_msg("n %zu ties %d p %g: %.17g, want %.17g", n, ties, ps[i], q[i],
                             want);
            }
            free(x);
            free(sorted);
            free(y);
        }
    gsl_rng_free(r);
}

/* the radix path on samples it must get right: heavy tails over many
 * octaves (latencies of a backlog), values that straddle a bucket edge
 * (k and k + 1 in different buckets), zeros, and a negative value or a NaN,
 * which send it back to selection over all of x */
static void test_quantiles_radix_cases(void **state)
{
    (void)state;
    static const double ps[] = {0.5, 0.95, 0.99, 0.999, 1.0};
    const size_t np = sizeof ps / sizeof ps[0], n = 20011;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 11);
    double *x = malloc(n * sizeof *x), *sorted = malloc(n * sizeof *x);
    for (int c = 0; c < 5; c++) {
        for (size_t i = 0; i < n; i++) {
            double u = gsl_rng_uniform_pos(r);
            x[i] = c == 0   ? exp(12.0 * gsl_ran_gaussian(r, 1.0))     /* heavy tails */
                   : c == 1 ? (i % 2 ? 1.0 : nextafter(1.0, 0.0))      /* a bucket edge */
                   : c == 2 ? (i % 3 ? 0.0 : u)                         /* zeros */
                   : c == 3 ? (i == n / 2 ? -u : u)                     /* a negative */
                            : (i == 7 ? u * 1e300 * 1e300 : u);          /* +inf */
        }
        memcpy(sorted, x, n * sizeof *x);
        gsl_sort(sorted, 1, n);
        double q[sizeof ps / sizeof ps[0]];
        stats_quantiles(x, n, ps, np, q);
        for (size_t i = 0; i < np; i++) {
            double want = gsl_stats_quantile_from_sorted_data(sorted, 1, n, ps[i]);
            if (memcmp(&q[i], &want, sizeof want) != 0)
                fail_msg("case %d p %g: %.17g, want %.17g", c, ps[i], q[i], want);
        }
    }
    free(x);
    free(sorted);
    gsl_rng_free(r);
}

/* out of order: still each one exactly (a smaller p selects in all of x) */
static void test_quantiles_any_order(void **state)
{
    (void)state;
    static const double ps[] = {0.99, 0.5, 0.95, 0.1, 0.1, 1.0, 0.0};
    const size_t np = sizeof ps / sizeof ps[0], n = 1001;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 11);
    double x[1001], sorted[1001], q[sizeof ps / sizeof ps[0]];
    fill(x, n, r, 0);
    memcpy(sorted, x, sizeof x);
    gsl_sort(sorted, 1, n);
    stats_quantiles(x, n, ps, np, q);
    for (size_t i = 0; i < np; i++)
        assert_true(q[i] == gsl_stats_quantile_from_sorted_data(sorted, 1, n, ps[i]));
    gsl_rng_free(r);
}

static void test_quantiles_empty(void **state)
{
    (void)state;
    static const double ps[] = {0.5, 0.95};
    double q[2] = {-1, -1}, x[1] = {3};
    stats_quantiles(x, 0, ps, 2, q);
    assert_true(q[0] == 0.0 && q[1] == 0.0);
    assert_true(stats_quantile(x, 0, 0.5) == 0.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quantiles_match_gsl),
        cmocka_unit_test(test_quantiles_radix_cases),
        cmocka_unit_test(test_quantiles_any_order),
        cmocka_unit_test(test_quantiles_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

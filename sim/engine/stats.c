/* stats.c -- see stats.h. GSL does the arithmetic. */
#include "engine/stats.h"

#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

double stats_ci95_halfwidth(double sd, size_t n)
{
    if (n < 2)
        return NAN;
    return gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sd / sqrt((double)n);
}

void stats_summarize(const double *x, size_t n, struct stats_summary *out)
{
    out->n = n;
    out->mean = gsl_stats_mean(x, 1, n);
    out->sd = n > 1 ? gsl_stats_sd_m(x, 1, n, out->mean) : 0.0;
    double h = stats_ci95_halfwidth(out->sd, n);
    out->ci_lo = out->mean - h;
    out->ci_hi = out->mean + h;
    gsl_stats_minmax(&out->min, &out->max, x, 1, n);
}

/* GSL's definition: (n-1)p between order statistics k and k+1. x[0..from)
 * holds the from smallest values (an earlier selection's doing), so order
 * statistic k >= from is selected in x[from..n) alone; after selection,
 * x[k+1..n) holds the values >= x[k]. Returns the quantile, and in *k the
 * order statistic selected. */
static double quantile_from(double *x, size_t n, size_t from, double p, size_t *kout)
{
    double pos = (n - 1) * p;
    size_t k = (size_t)floor(pos);
    double delta = pos - (double)k;
    if (k < from) /* a smaller quantile than the one before: select in all of x */
        from = 0;
    double lo = gsl_stats_select(x + from, 1, n - from, k - from);
    *kout = k;
    if (delta <= 0.0 || k + 1 >= n)
        return lo;
    double hi = gsl_stats_min(x + k + 1, 1, n - k - 1);
    return (1.0 - delta) * lo + delta * hi; /* as GSL computes it */
}

double stats_quantile(double *x, size_t n, double p)
{
    if (n == 0)
        return 0.0;
    /* by selection in O(n) instead of an O(n log n) sort */
    size_t k;
    return quantile_from(x, n, 0, p, &k);
}

void stats_quantiles(double *x, size_t n, const double *p, size_t np, double *out)
{
    size_t from = 0;
    for (size_t i = 0; i < np; i++) {
        size_t k;
        if (n == 0) {
            out[i] = 0.0;
            continue;
        }
        out[i] = quantile_from(x, n, from, p[i], &k);
        /* x[0..k] now holds the k+1 smallest values in some order, x[k]
         * the largest of them: a later (larger) quantile selects above it */
        from = k;
    }
}

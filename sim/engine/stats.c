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

double stats_quantile(double *x, size_t n, double p)
{
    if (n == 0)
        return 0.0;
    /* GSL's definition, (n-1)p between order statistics k and k+1, found
     * by selection in O(n) instead of an O(n log n) sort */
    double pos = (n - 1) * p;
    size_t k = (size_t)floor(pos);
    double delta = pos - (double)k;
    double lo = gsl_stats_select(x, 1, n, k);
    if (delta <= 0.0 || k + 1 >= n)
        return lo;
    /* after selection, x[k+1..n) holds the values >= x[k] */
    double hi = gsl_stats_min(x + k + 1, 1, n - k - 1);
    return (1.0 - delta) * lo + delta * hi; /* as GSL computes it */
}

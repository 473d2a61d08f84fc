/* stats.c -- see stats.h. GSL does the arithmetic. */
#include "stats.h"

#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
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

double stats_quantile_sort(double *x, size_t n, double p)
{
    if (n == 0)
        return 0.0;
    gsl_sort(x, 1, n);
    return gsl_stats_quantile_from_sorted_data(x, 1, n, p);
}

/* stats.h -- summaries over replications: mean, standard deviation, a 95%
 * confidence interval for the mean (Student's t, n-1 degrees of freedom),
 * minimum and maximum; and quantiles within one replication. */
#ifndef PROVSIM_STATS_H
#define PROVSIM_STATS_H

#include <stddef.h>

struct stats_summary {
    size_t n;
    double mean, sd;       /* sd with n-1 in the denominator; 0 if n < 2 */
    double ci_lo, ci_hi;   /* 95% CI of the mean; NAN if n < 2 */
    double min, max;
};

/* Summarises x[0..n-1] (n >= 1). */
void stats_summarize(const double *x, size_t n, struct stats_summary *out);
/* Half-width of the 95% CI of the mean of n values with sample sd. */
double stats_ci95_halfwidth(double sd, size_t n);
/* Quantile p in [0,1] of x[0..n-1] by linear interpolation between order
 * statistics (GSL's definition, as gsl_stats_quantile_from_sorted_data).
 * Reorders x. O(n). Returns 0 if n == 0. */
double stats_quantile(double *x, size_t n, double p);
/* The quantiles p[0..np-1] of x[0..n-1] into out[], each exactly
 * stats_quantile(x, n, p[i]), for less when p ascends: each selection runs
 * in the part of x above the one before (the part a selection leaves
 * holding the larger values), so the 95th and 99th percentiles after the
 * median cost half and a twentieth of it; a p smaller than the one before
 * selects in all of x again. From 4096 values on, without negatives, -0
 * or NaN, two passes that count the values by the top bits of their bit
 * patterns find the buckets that hold the wanted order statistics, and
 * the selections run in those alone (stats.c). Reorders x. */
void stats_quantiles(double *x, size_t n, const double *p, size_t np, double *out);

#endif

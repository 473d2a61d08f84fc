/* stats.c -- see stats.h. GSL does the arithmetic. */
#include "engine/stats.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- quantiles of a large non-negative sample by radix ----------------
 * The order of non-negative doubles is the order of their bit patterns as
 * integers. One pass counts the values by their top RADIX_BITS bits (the
 * exponent and the mantissa's top bits); the counts say which bucket holds
 * each order statistic wanted, and at which rank in it; a second pass
 * copies those few buckets out, and the selections run in them alone.
 * Same values as the selections over all of x (order statistics are
 * unique values), for two passes without branches on the data instead of
 * quickselect's mispredicted ones over a sample larger than the caches. */
#define RADIX_BITS 16
#define RADIX_MIN 4096 /* below it, selection over all of x is as cheap */
#define RADIX_MAX_P 8  /* quantiles one call takes this way */
#define SLOT_MARK 0x80000000u

static inline unsigned radix_top(double v)
{
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    return (unsigned)(b >> (64 - RADIX_BITS));
}

/* Returns 0 (out[] filled), or -1: x holds a negative value, a -0 or a NaN
 * (their patterns are out of order), or too many quantiles. */
static int quantiles_radix(const double *x, size_t n, const double *p, size_t np, double *out)
{
    enum { NB = 1u << RADIX_BITS };
    if (np > RADIX_MAX_P || n >= SLOT_MARK)
        return -1;
    uint32_t *count = calloc(NB, sizeof *count);
    if (!count)
        return -1;
    for (size_t i = 0; i < n; i++)
        count[radix_top(x[i])]++;
    /* sign bit set (negatives, -0, negative NaNs) or a positive NaN */
    size_t bad = 0;
    for (unsigned b = NB / 2; b < NB; b++)
        bad += count[b];
    for (unsigned b = radix_top(INFINITY) + 1; b < NB / 2; b++)
        bad += count[b];
    /* a NaN whose mantissa's top bits are 0 shares +inf's bucket */
    if (bad == 0 && count[radix_top(INFINITY)] > 0)
        for (size_t i = 0; i < n && bad == 0; i++)
            bad = isnan(x[i]);
    if (bad > 0) {
        free(count);
        return -1;
    }
    /* the ranks wanted: k and k + 1 of each quantile */
    size_t want[2 * RADIX_MAX_P], nw = 0;
    double delta[RADIX_MAX_P];
    for (size_t i = 0; i < np; i++) {
        double pos = (n - 1) * p[i];
        size_t k = (size_t)floor(pos);
        delta[i] = pos - (double)k;
        want[nw++] = k;
        want[nw++] = k + 1 < n ? k + 1 : k;
    }
    /* each rank's bucket, and the values before that bucket: one scan of
     * the counts, the ranks in ascending order */
    unsigned wb[2 * RADIX_MAX_P];
    size_t before[2 * RADIX_MAX_P], order[2 * RADIX_MAX_P];
    for (size_t w = 0; w < nw; w++) {
        size_t j = w;
        for (; j > 0 && want[order[j - 1]] > want[w]; j--)
            order[j] = order[j - 1];
        order[j] = w;
    }
    size_t cum = 0, j = 0;
    for (unsigned b = 0; b < NB && j < nw; b++) {
        while (j < nw && want[order[j]] < cum + count[b]) {
            wb[order[j]] = b;
            before[order[j]] = cum;
            j++;
        }
        cum += count[b];
    }
    /* the distinct buckets wanted, each copied out in one pass */
    unsigned slot_of[2 * RADIX_MAX_P], bucket[2 * RADIX_MAX_P], nslot = 0;
    for (size_t w = 0; w < nw; w++) {
        unsigned s = 0;
        while (s < nslot && bucket[s] != wb[w])
            s++;
        if (s == nslot)
            bucket[nslot++] = wb[w];
        slot_of[w] = s;
    }
    size_t off[2 * RADIX_MAX_P + 1], total = 0;
    for (unsigned s = 0; s < nslot; s++) {
        off[s] = total;
        total += count[bucket[s]];
    }
    /* a wanted bucket's count becomes SLOT_MARK | its slot (counts are
     * below SLOT_MARK: n is) */
    for (unsigned s = 0; s < nslot; s++)
        count[bucket[s]] = SLOT_MARK | s;
    double *vals = malloc((total ? total : 1) * sizeof *vals);
    if (!vals) {
        free(count);
        return -1;
    }
    size_t fill[2 * RADIX_MAX_P] = {0};
    for (size_t i = 0; i < n; i++) {
        uint32_t c = count[radix_top(x[i])];
        if (c & SLOT_MARK) {
            c &= ~SLOT_MARK;
            vals[off[c] + fill[c]++] = x[i];
        }
    }
    free(count);
    double v[2 * RADIX_MAX_P];
    for (size_t w = 0; w < nw; w++) {
        unsigned s = slot_of[w];
        v[w] = gsl_stats_select(vals + off[s], 1, fill[s], want[w] - before[w]);
    }
    free(vals);
    for (size_t i = 0; i < np; i++) {
        double lo = v[2 * i], hi = v[2 * i + 1];
        out[i] = delta[i] <= 0.0 || want[2 * i] + 1 >= n ? lo
                                                         : (1.0 - delta[i]) * lo + delta[i] * hi;
    }
    return 0;
}

void stats_quantiles(double *x, size_t n, const double *p, size_t np, double *out)
{
    if (n >= RADIX_MIN && quantiles_radix(x, n, p, np, out) == 0)
        return;
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

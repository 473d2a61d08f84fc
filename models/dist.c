/* dist.c -- duration distributions: from the parameters people measure to
 * the parameters GSL's samplers take.
 *
 * What a and b hold, by type (all seconds unless said):
 *   constant     a = value
 *   exponential  a = mean (gsl_ran_exponential takes the mean, not a rate)
 *   lognormal    a = mu, b = sigma of the underlying normal: mu = ln median,
 *                sigma = (ln p95 - ln median) / z95, z95 the standard normal
 *                0.95 quantile, so the median and p95 come out as given
 *   gamma        a = shape k = 1/cv^2, b = scale theta = mean * cv^2, so
 *                k * theta = mean and sqrt(k) * theta / mean = cv
 *   uniform      a = min, b = max (min == max is a constant)
 *
 * Invariants of an initialised dist: a, b and mean_s are finite, every draw
 * is >= 0, and mean_s is the exact mean of the distribution drawn from.
 * Constructors write *d only on success. */
#include "models/dist.h"

#include "engine/rng.h"

#include "base/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

static const char *const type_names[] = {"constant", "exponential", "lognormal", "gamma",
                                         "uniform"};
#define NTYPES (sizeof type_names / sizeof type_names[0])

/* Scenario values reach here after unit parsing, but a NaN or infinity
 * would make every comparison below false and slip through, so it is
 * refused first. */
static int check_finite(double v, const char *param, char *err, size_t errlen)
{
    if (!isfinite(v))
        return xerr(err, errlen, "%s: must be a finite number", param);
    return 0;
}

int dist_init_constant(struct dist *d, double value_s, char *err, size_t errlen)
{
    if (check_finite(value_s, "value", err, errlen))
        return -1;
    if (value_s < 0)
        return xerr(err, errlen, "value: must be >= 0");
    d->type = DIST_CONSTANT;
    d->a = value_s;
    d->b = 0;
    d->mean_s = value_s;
    return 0;
}

int dist_init_exponential(struct dist *d, double mean_s, char *err, size_t errlen)
{
    if (check_finite(mean_s, "mean", err, errlen))
        return -1;
    if (mean_s <= 0)
        return xerr(err, errlen, "mean: must be > 0");
    d->type = DIST_EXPONENTIAL;
    d->a = mean_s;
    d->b = 0;
    d->mean_s = mean_s;
    return 0;
}

int dist_init_lognormal(struct dist *d, double median_s, double p95_s, char *err,
                        size_t errlen)
{
    if (check_finite(median_s, "median", err, errlen) ||
        check_finite(p95_s, "p95", err, errlen))
        return -1;
    if (median_s <= 0)
        return xerr(err, errlen, "median: must be > 0");
    if (p95_s <= median_s)
        return xerr(err, errlen, "p95: must be > median");
    /* The quantile is computed, not written as 1.6449, so the p95 really is
     * the 0.95 quantile to double precision. */
    double z95 = gsl_cdf_ugaussian_Pinv(0.95);
    double mu = log(median_s);
    double sigma = (log(p95_s) - mu) / z95;
    double mean = exp(mu + sigma * sigma / 2);
    /* A p95 hundreds of times the median gives a finite sample but an
     * infinite mean, which every summary downstream would choke on. */
    if (!isfinite(mean) || !(sigma > 0))
        return xerr(err, errlen, "p95: too large relative to median (the mean overflows)");
    d->type = DIST_LOGNORMAL;
    d->a = mu;
    d->b = sigma;
    d->mean_s = mean;
    return 0;
}

int dist_init_gamma(struct dist *d, double mean_s, double cv, char *err, size_t errlen)
{
    if (check_finite(mean_s, "mean", err, errlen) || check_finite(cv, "cv", err, errlen))
        return -1;
    if (mean_s <= 0)
        return xerr(err, errlen, "mean: must be > 0");
    if (cv <= 0)
        return xerr(err, errlen, "cv: must be > 0");
    double k = 1.0 / (cv * cv);
    double theta = mean_s * cv * cv;
    if (!isfinite(k) || !(k > 0) || !isfinite(theta) || !(theta > 0))
        return xerr(err, errlen, "cv: out of range (shape or scale not representable)");
    d->type = DIST_GAMMA;
    d->a = k;
    d->b = theta;
    d->mean_s = mean_s;
    return 0;
}

int dist_init_uniform(struct dist *d, double min_s, double max_s, char *err, size_t errlen)
{
    if (check_finite(min_s, "min", err, errlen) || check_finite(max_s, "max", err, errlen))
        return -1;
    if (min_s < 0)
        return xerr(err, errlen, "min: must be >= 0");
    if (max_s < min_s)
        return xerr(err, errlen, "max: must be >= min");
    d->type = DIST_UNIFORM;
    d->a = min_s;
    d->b = max_s;
    d->mean_s = min_s + (max_s - min_s) / 2;
    return 0;
}

double dist_draw(const struct dist *d, gsl_rng *r)
{
    switch (d->type) {
    case DIST_CONSTANT:
        return d->a;
    case DIST_EXPONENTIAL:
        return rng_exponential_mean(r, d->a);
    case DIST_LOGNORMAL:
        return rng_lognormal(r, d->a, d->b);
    case DIST_GAMMA:
        return rng_gamma(r, d->a, d->b);
    case DIST_UNIFORM:
        /* min == max: exactly min, and no draw, like a constant;
         * a*(1-u) + b*u need not round back to a. */
        if (d->a == d->b)
            return d->a;
        return rng_flat(r, d->a, d->b);
    }
    XASSERT(!"known distribution type");
    return 0.0;
}

const char *dist_type_name(enum dist_type t)
{
    return (unsigned)t < NTYPES ? type_names[t] : "?";
}

int dist_type_parse(const char *s)
{
    return xname_index(type_names, NTYPES, s);
}

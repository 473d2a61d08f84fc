/* dist.h -- duration distributions for server latency.
 *
 * A distribution is built from the parameters a scenario gives (which are
 * what people measure: a median and a p95, a mean and a coefficient of
 * variation) and stores the parameters GSL's samplers take. All values are
 * in seconds. */
#ifndef PROVSIM_DIST_H
#define PROVSIM_DIST_H

#include <gsl/gsl_rng.h>

enum dist_type {
    DIST_CONSTANT,    /* value */
    DIST_EXPONENTIAL, /* mean */
    DIST_LOGNORMAL,   /* median, p95 */
    DIST_GAMMA,       /* mean, cv */
    DIST_UNIFORM      /* min, max */
};

struct dist {
    enum dist_type type;
    double a, b;   /* sampler parameters: see dist.c for each type */
    double mean_s; /* the distribution's mean, seconds */
};

/* Constructors. Each returns 0, or -1 with a message in err (size errlen)
 * naming the offending parameter by its scenario name, for parameters that
 * are out of range (the scenario loader prefixes the key path). */
int dist_init_constant(struct dist *d, double value_s, char *err, size_t errlen);
int dist_init_exponential(struct dist *d, double mean_s, char *err, size_t errlen);
int dist_init_lognormal(struct dist *d, double median_s, double p95_s, char *err, size_t errlen);
int dist_init_gamma(struct dist *d, double mean_s, double cv, char *err, size_t errlen);
int dist_init_uniform(struct dist *d, double min_s, double max_s, char *err, size_t errlen);

/* One draw, seconds, >= 0. */
double dist_draw(const struct dist *d, gsl_rng *r);

/* Returns the name of a type ("lognormal"), or parses one (-1 if unknown). */
const char *dist_type_name(enum dist_type t);
int dist_type_parse(const char *s);

#endif

/* rng.h -- per-replication random streams over GSL generators.
 *
 * Every replication r of a run draws from its own generators, seeded from
 * (seed, r, stream) through a fixed mixing function (splitmix64), so a run
 * is a pure function of scenario and seed, and replication r is the same
 * whatever other replications exist (needed for parallel sweeps).
 *
 * Separate streams keep common random numbers across scenarios: two
 * scenarios with the same seed and the same background profile see exactly
 * the same background arrivals even if their servers differ, because server
 * latencies and retry jitter are drawn from other streams.
 *
 * Every draw the models make goes through the functions below, named by
 * their parameters (GSL's exponential takes the mean, not a rate): one
 * place to see, and to change, how provsim turns bits into numbers. They
 * are inline because they run several times per event. */
#ifndef PROVSIM_RNG_H
#define PROVSIM_RNG_H

#include <math.h>
#include <stdint.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

enum rng_stream {
    RNG_BACKGROUND = 0, /* background job arrivals and their kinds */
    RNG_OTHER,          /* other clients' request arrivals and kinds */
    RNG_LATENCY,        /* server latencies and 5xx draws */
    RNG_JITTER,         /* client retry jitter and server Retry-After jitter */
    RNG_EXISTING,       /* whether a create's user already exists */
    RNG_NSTREAMS
};

#ifndef RNG_GSL_TYPE
#define RNG_GSL_TYPE gsl_rng_taus2
#endif

struct rng_set {
    gsl_rng *s[RNG_NSTREAMS]; /* owned */
};

/* Allocates the generators (caller owns; free with rng_fini). */
void rng_init(struct rng_set *rs);
void rng_fini(struct rng_set *rs);
/* Seeds every stream for replication rep of a run with the given seed. */
void rng_seed(struct rng_set *rs, uint64_t seed, uint64_t rep);
/* The fixed mixing function (splitmix64 finaliser); exposed for tests. */
uint64_t rng_mix(uint64_t x);

/* U[0, 1). */
static inline double rng_uniform(gsl_rng *r)
{
    return gsl_rng_uniform(r);
}
/* lo + (hi - lo) U. */
static inline double rng_uniform_range(gsl_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * gsl_rng_uniform(r);
}
/* GSL's flat distribution, a (1 - U) + b U (not rounded the same way as
 * rng_uniform_range). */
static inline double rng_flat(gsl_rng *r, double a, double b)
{
    return gsl_ran_flat(r, a, b);
}
/* Exp(1) by inversion, -log U with U in (0, 1): one uniform and one log.
 * (gsl_ran_exponential computes -mean log1p(-U), and glibc's log1p costs
 * about four times log; the two have the same distribution.) */
static inline double rng_exp1(gsl_rng *r)
{
    return -log(gsl_rng_uniform_pos(r));
}
/* Exponential with the given mean (seconds, or whatever unit the mean has). */
static inline double rng_exponential_mean(gsl_rng *r, double mean)
{
    return mean * rng_exp1(r);
}
/* Lognormal: exp(zeta + sigma Z), Z standard normal by GSL's ziggurat
 * (Marsaglia and Tsang 2000), about three times faster than the polar
 * Box-Muller of gsl_ran_lognormal and exact in distribution. */
static inline double rng_lognormal(gsl_rng *r, double zeta, double sigma)
{
    return exp(zeta + sigma * gsl_ran_gaussian_ziggurat(r, 1.0));
}
/* Gamma with shape k and scale theta (mean k theta). */
static inline double rng_gamma(gsl_rng *r, double shape, double scale)
{
    return gsl_ran_gamma(r, shape, scale);
}

#endif

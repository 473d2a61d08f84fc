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
 * latencies and retry jitter are drawn from other streams. */
#ifndef PROVSIM_RNG_H
#define PROVSIM_RNG_H

#include <stdint.h>
#include <gsl/gsl_rng.h>

enum rng_stream {
    RNG_BACKGROUND = 0, /* background job arrivals and their kinds */
    RNG_OTHER,          /* other clients' request arrivals and kinds */
    RNG_LATENCY,        /* server latencies and 5xx draws */
    RNG_JITTER,         /* client retry jitter and server Retry-After jitter */
    RNG_NSTREAMS
};

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

/* Draws named by their parameters (GSL's exponential takes the mean). */
double rng_uniform(gsl_rng *r);                  /* [0, 1) */
double rng_uniform_range(gsl_rng *r, double lo, double hi);
double rng_exponential_mean(gsl_rng *r, double mean);

#endif

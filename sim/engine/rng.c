/* rng.c -- see rng.h. */
#include "engine/rng.h"

#include "base/util.h"

#include <gsl/gsl_randist.h>

uint64_t rng_mix(uint64_t x)
{
    /* splitmix64 (Steele, Lea, Flood 2014): a bijection with good
     * avalanche, so nearby (seed, rep, stream) give unrelated seeds. */
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

void rng_init(struct rng_set *rs)
{
    for (int i = 0; i < RNG_NSTREAMS; i++) {
        rs->s[i] = gsl_rng_alloc(RNG_GSL_TYPE);
        if (!rs->s[i])
            xoom("gsl_rng_alloc"); /* it only fails on out of memory */
    }
}

void rng_fini(struct rng_set *rs)
{
    for (int i = 0; i < RNG_NSTREAMS; i++) {
        gsl_rng_free(rs->s[i]);
        rs->s[i] = NULL;
    }
}

void rng_seed(struct rng_set *rs, uint64_t seed, uint64_t rep)
{
    for (int i = 0; i < RNG_NSTREAMS; i++) {
        uint64_t x = rng_mix(rng_mix(rng_mix(seed) ^ rep) ^ (uint64_t)(i + 1));
        /* GSL's generators take 32 bits of seed (taus2 runs it through
         * a 32-bit LCG); fold the high half in, and avoid 0, which GSL
         * maps to its default seed. */
        unsigned long s = (unsigned long)((x ^ (x >> 32)) & 0xffffffffUL);
        gsl_rng_set(rs->s[i], s ? s : 1);
    }
}

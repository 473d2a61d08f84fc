/* digest.h -- SHA-256 of a byte string, as lowercase hex: what every
 * output records of the scenario it simulated (its provenance). Nettle
 * computes it (a maintained library, not hand-written code). */
#ifndef PROVSIM_DIGEST_H
#define PROVSIM_DIGEST_H

#include <stddef.h>

#define DIGEST_SHA256_HEX_LEN 64

/* Writes the 64 hex digits of SHA-256(data[0..len)) and a NUL into out. */
void digest_sha256_hex(const void *data, size_t len, char out[DIGEST_SHA256_HEX_LEN + 1]);

#endif

/* memlimit.h -- refusing, before it starts, a run the machine cannot hold.
 *
 * A scenario with a hundred million users needs gigabytes; without a check
 * it would be killed (or swap the machine to a halt) hours into the run.
 * mem_estimate_bytes gives the peak memory of one replication from the
 * scenario alone (every job of the horizon alive at once, arrays rounded
 * up to their doubling capacity); mem_guard compares it with the allowed
 * memory: the --max-memory value, else PROVSIM_MAX_MEMORY, else the
 * machine's physical memory (or the cgroup's limit, if lower). */
#ifndef PROVSIM_MEMLIMIT_H
#define PROVSIM_MEMLIMIT_H

#include <stddef.h>
#include <stdint.h>

#include "scenario/scenario.h"

/* The environment variable that overrides the limit (same syntax as
 * --max-memory). */
#define MEM_ENV "PROVSIM_MAX_MEMORY"

/* Expected jobs over the horizon: rollout users plus the background
 * profile's expected arrivals (per replication; replications reuse memory). */
double mem_expected_jobs(const struct scenario *s);
/* Expected arrivals of a stream (background jobs or other clients'
 * requests) over the horizon: the hourly profile's integral. */
double mem_expected_arrivals(const struct scenario *s, const struct wl_traffic *t);

/* Peak bytes a run of s is expected to need (> 0) with `parallel`
 * replications in memory at once (run --jobs; at least 1). A double: the
 * estimate of an absurd scenario must not overflow. */
double mem_estimate_bytes(const struct scenario *s, int parallel);

/* Memory this process may use: physical memory, or the cgroup v2 limit
 * (memory.max) if lower; 0 if unknown. Bytes. */
uint64_t mem_available_bytes(void);

/* Parses a size: bytes ("1048576") or a number with K, M, G or T (powers of
 * 1024, an optional "B" or "iB" after: "64G", "1.5GiB", "512MB"), or
 * "unlimited" (*out = UINT64_MAX: no check). Returns 0, or -1 with a
 * message. */
int mem_parse_size(const char *s, uint64_t *out, char *err, size_t errlen);

/* Formats bytes for people: "9.7 GiB", "512 MiB", "900 B". */
void mem_format_bytes(double bytes, char *buf, size_t len);

/* Checks the estimate against the limit: max_memory (a --max-memory
 * value; NULL = none), else the environment variable, else
 * mem_available_bytes(). Returns 0 if the run fits (or the limit is
 * unknown or unlimited), else -1 with a message giving the estimate, the
 * limit and how to override it. A bad max_memory or environment value is
 * also -1 (a usage error). */
int mem_guard(const struct scenario *s, int parallel, const char *max_memory, char *err,
              size_t errlen);

#endif

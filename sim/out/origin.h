/* origin.h -- the provenance every output records: what was simulated
 * (the scenario's source, the SHA-256 of its bytes, every --set in order),
 * with which seed and replications, by which provsim version. One writer
 * for the JSON object and one for the text lines, so every output says it
 * the same way:
 *   "provenance": {"source": PATH or "built-in default", "sha256",
 *                  "overrides": ["PATH=VALUE", ...], "seed",
 *                  "replications", "version"} */
#ifndef PROVSIM_ORIGIN_H
#define PROVSIM_ORIGIN_H

#include <stdint.h>
#include <stdio.h>

#include "models/config.h"

struct cJSON;

#define ORIGIN_DEFAULT_SOURCE "built-in default"

/* The "provenance" object (caller owns: cJSON_Delete). */
struct cJSON *origin_json(const struct scenario_origin *o, uint64_t seed, int reps);
/* Adds it to obj as "provenance". */
void origin_add_json(struct cJSON *obj, const struct scenario_origin *o, uint64_t seed, int reps);
/* Writes s with its control characters as '?' (text from the command
 * line must not drive the terminal). */
void origin_put_text(FILE *f, const char *s);
/* The text lines: "  from FILE (SHA-256 ...), provsim V" and one
 * "  --set PATH=VALUE" per override, each line starting with indent. */
void origin_text(FILE *f, const char *indent, const struct scenario_origin *o);

#endif

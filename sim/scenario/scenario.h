/* scenario.h -- a scenario: everything one run needs, loaded from JSON.
 *
 * Loading is strict: unknown keys, wrong types, missing required keys,
 * non-positive rates or sizes, NaN, infinities and absurd sizes are errors,
 * reported with the key path (server.limits[0].rate: must be > 0) and, for
 * JSON syntax errors, line and column. Nothing is guessed. */
#ifndef PROVSIM_SCENARIO_H
#define PROVSIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "models/config.h"

#define SCN_ERRLEN 512
/* Absurd-size guards: beyond these a scenario is refused as a typo. */
#define SCN_MAX_USERS 100000000L   /* jobs in all rollouts together */
#define SCN_MAX_REPLICATIONS 100000
#define SCN_MAX_WORKERS 100000
#define SCN_MAX_HORIZON_S (366.0 * 86400.0)

/* A parsed but not yet converted scenario document (a cJSON tree), so that
 * command-line overrides can be applied before validation. */
typedef struct scn_doc scn_doc;

/* Parses JSON text (len bytes). Returns NULL and a message with line and
 * column on a syntax error. Caller owns the result (scn_doc_free). */
scn_doc *scn_doc_parse(const char *text, size_t len, char *err, size_t errlen);
/* Reads and parses a file; messages name the file. */
scn_doc *scn_doc_load(const char *path, char *err, size_t errlen);
/* The built-in default scenario (configs/default.json, compiled in). */
scn_doc *scn_doc_default(void);
void scn_doc_free(scn_doc *d);

/* Applies one override "PATH=VALUE" (--set), PATH like
 * workload.rollouts[0].batch_size. VALUE is taken as JSON if it parses as
 * JSON, else as a string. The parent of the last key must exist; the last
 * key may be new (validation then checks it). Returns 0 or -1 + message. */
int scn_doc_set(scn_doc *d, const char *assignment, char *err, size_t errlen);

/* Validates and converts. Returns 0 and fills *s (caller owns: scn_fini),
 * or -1 with a message naming the key path; *s is then left empty. */
int scn_from_doc(const scn_doc *d, struct scenario *s, char *err, size_t errlen);
void scn_fini(struct scenario *s);

/* Records where s came from: source (copied; NULL = the built-in
 * default), and the overrides applied to it, in order (copied). The
 * SHA-256 is the document's (scn_from_doc copies it). */
void scn_set_origin(struct scenario *s, const char *source, const char *const *sets, int nsets);
/* With overrides (and none of them "name=..."), replaces s->name by a
 * label derived from the effective scenario: its rollouts as people read
 * them ("12,000 create jobs from Tue 10:00, 6 batches of 2,000 every 10m")
 * and the overrides; origin.file_name keeps the file's name. */
void scn_label_effective(struct scenario *s);
/* One rollout as people read it: "5,000 create jobs from Tue 10:00, 10
 * batches of 500 every 10m". */
void scn_rollout_text(const struct scenario *s, int i, char *buf, size_t len);
/* The invariants of a scenario scn_from_doc filled (listed in scenario.c):
 * NULL if they hold, else a static string describing the first one that
 * does not ("rollouts[]: at_s is not in [0, horizon_s)"). For assertions
 * and tests. */
const char *scn_check(const struct scenario *s);

/* Convenience: load a file (or the default if path is NULL), apply the
 * overrides, convert. Records the origin (s->origin: the path, the
 * SHA-256 of its bytes, the overrides) and, when overrides change the
 * scenario, replaces the name with a label derived from the effective
 * scenario (scn_label_effective). */
int scn_load(const char *path, const char *const *sets, int nsets, struct scenario *s,
             char *err, size_t errlen);

/* Who hears, during a load, every key path the loader's own tables know
 * at each object the document enters: "server.limits[].rate" (indices
 * as "[]"; a path may repeat). The JSON Schema test compares these with
 * configs/scenario.schema.json (provsim validate --list-keys). */
struct scn_key_lister {
    void (*fn)(void *arg, const char *path);
    void *arg;
};
/* scn_load, telling kl (NULL: nobody) each key path it knows. */
int scn_load_listing(const char *path, const char *const *sets, int nsets, struct scenario *s,
                     char *err, size_t errlen, const struct scn_key_lister *kl);

#endif

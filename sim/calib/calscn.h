/* calscn.h -- the scenario calibrate writes: the base scenario (or the
 * loader's defaults) with every measured value put in, and a "notes"
 * line per value saying where it came from.
 *
 * The document is a cJSON tree in the ordinary scenario format; the fit
 * (calib/fit.h) changes its unknowns in place and every candidate, like
 * the final document, is validated by the scenario loader itself. */
#ifndef PROVSIM_CALSCN_H
#define PROVSIM_CALSCN_H

#include <stddef.h>

#include "logs/measure.h"
#include "scenario/scenario.h"

struct cJSON;

/* Where the logs came from, for the notes. */
struct calscn_src {
    const char *okta_name, *access_name; /* as messages show them; NULL = not given */
    const char *app;                      /* --app, or NULL */
    const char *base_name;                /* --base, or NULL (built-in assumptions) */
};

/* Builds the document from base (a parsed scenario object, or NULL) and
 * m. Returns the new tree (caller owns: cJSON_Delete). Notes go in
 * "notes" as "KEY: where it came from" lines, in key order;
 * calscn_note replaces or adds one. */
struct cJSON *calscn_build(const struct meas *m, const struct cJSON *base,
                           const struct calscn_src *src);
void calscn_note(struct cJSON *doc, const char *key, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Replays m's rollout in doc: "start" the minute of its first
 * assignment, "horizon" auto (with "horizon_cap" 2d unless doc has one,
 * "settle" 10m), and "workload.rollouts" that one rollout (kind, users,
 * at), with its note. */
void calscn_replay(struct cJSON *doc, const struct meas *m);

/* Converts doc through the loader (scn_doc_parse + scn_from_doc of its
 * printed text). Returns 0 with *s filled (caller owns: scn_fini), or -1
 * with the loader's message. */
int calscn_load(const struct cJSON *doc, struct scenario *s, char *err, size_t errlen);
/* The JSON tree of a scenario file the loader has accepted (caller owns:
 * cJSON_Delete), or NULL with a message naming the file. */
struct cJSON *calscn_read_tree(const char *path, char *err, size_t errlen);

/* The unknowns the fit searches, by name: a number at a fixed place. */
enum calscn_unknown { CAL_RATE, CAL_BURST, CAL_WORKERS, CAL_JITTER, CAL_NUNKNOWN };
void calscn_set(struct cJSON *doc, int unknown, double v);
double calscn_get(const struct cJSON *doc, int unknown);
/* "server.limits[0].rate", ... */
const char *calscn_key(int unknown);

/* "2026-11-03T09:00" for a local epoch time (buf >= 17). */
void calscn_when(double t, char *buf, size_t len);

#endif

/* keypath.h -- where in a scenario document an error is, and how its
 * message reads (internal to the scenario loader).
 *
 * Every input error names its key path ("server.limits[0].rate: must be
 * > 0"): the schema pushes each key and index it enters onto a context and
 * pops it on the way out, so a message written at any depth knows where it
 * is. The same module words what is wrong with keys: unknown and duplicate
 * keys, with a did-you-mean suggestion when the key is a likely typo.
 *
 * Invariant of a struct kp_ctx: path[0..len) is the path of the value
 * being checked, NUL-terminated at len, "" (len 0) at the top level; a push
 * returns a mark that the matching kp_pop restores. Messages are scrubbed
 * of control characters, so each prints as one line of text. */
#ifndef PROVSIM_KEYPATH_H
#define PROVSIM_KEYPATH_H

#include "base/util.h"
#include "scenario/scenario.h"

#include <cjson/cJSON.h>

#include <stddef.h>

struct kp_ctx {
    char *err; /* the caller's message buffer (may be NULL) */
    size_t errlen;
    char path[256]; /* key path of the value being checked, "" at the top */
    size_t len;
    const struct scn_key_lister *lister; /* told each known key (NULL: none) */
};

/* Writes "PATH: message" ("top level: ..." at the top) into c->err;
 * returns -1, so checks can `return kp_fail(c, ...)`. */
int kp_fail(struct kp_ctx *c, const char *fmt, ...) X_PRINTF(2, 3);
/* The same for errors about a whole document (its file, its syntax, a
 * --set): the message as given, no key path. Returns -1. */
int kp_fail_nopath(char *err, size_t errlen, const char *fmt, ...) X_PRINTF(3, 4);

/* Append ".key" or "[i]" to the path; each returns the mark to kp_pop to.
 * A path too long for the buffer is cut, never overrun. */
size_t kp_push_key(struct kp_ctx *c, const char *key);
size_t kp_push_index(struct kp_ctx *c, int i);
void kp_pop(struct kp_ctx *c, size_t mark);

/* "a string", "a number", ... for "expected X, got Y" messages. */
const char *kp_type_of(const cJSON *it);
/* Index of s in names (NULL-terminated), or -1. */
int kp_find_name(const char *const *names, const char *s);
/* Formats ` (did you mean "x"?)` into buf when s looks like a typo of one
 * of names (NULL-terminated), else "". Returns buf. */
const char *kp_did_you_mean(char *buf, size_t len, const char *s, const char *const *names);

/* Every key of obj must be one of known (NULL-terminated, at most 64
 * names), at most once. Returns 0 or -1 + message. */
int kp_known_keys(struct kp_ctx *c, const cJSON *obj, const char *const *known);
/* After kp_known_keys against the union of every variant's keys: the keys
 * that the chosen variant (named by what, "a token_bucket limit") does not
 * take. Returns 0 or -1 + message. */
int kp_variant_keys(struct kp_ctx *c, const cJSON *obj, const char *const *allowed,
                    const char *what);

#endif

/* values.h -- checking one JSON value of a scenario against what its key
 * takes (internal to the scenario loader): strings, numbers and integers
 * within bounds, durations ("90s"), rates ("600/min") and enum names; and
 * keyed access, which looks up obj[key] and checks it with the key on the
 * error path.
 *
 * A check writes its message through keypath.h, so every refusal names
 * its key path; on success the value is stored and nothing else changes.
 * Numbers that pass are finite: cJSON reads 1e999 as inf, and no check
 * lets one through. */
#ifndef PROVSIM_VALUES_H
#define PROVSIM_VALUES_H

#include "scenario/keypath.h"

#include <cjson/cJSON.h>

#include <math.h>
#include <stddef.h>

/* Allowed range of a number; hi = INFINITY for none. */
struct val_bounds {
    double lo, hi;
    int lo_open, hi_open;
};

static inline struct val_bounds val_any(void)
{
    return (struct val_bounds){-INFINITY, INFINITY, 0, 0};
}
static inline struct val_bounds val_gt(double lo)
{
    return (struct val_bounds){lo, INFINITY, 1, 0};
}
static inline struct val_bounds val_ge(double lo)
{
    return (struct val_bounds){lo, INFINITY, 0, 0};
}
static inline struct val_bounds val_in_cc(double lo, double hi)
{
    return (struct val_bounds){lo, hi, 0, 0};
}
static inline struct val_bounds val_in_co(double lo, double hi)
{
    return (struct val_bounds){lo, hi, 0, 1};
}
static inline struct val_bounds val_in_oc(double lo, double hi)
{
    return (struct val_bounds){lo, hi, 1, 0};
}

/* v for a message, into buf; with dur, in the largest unit that divides
 * it ("366d", "90s"), so a message quotes limits the way they are
 * written. Returns buf. */
const char *val_show(char *buf, size_t len, double v, int dur);

/* A copy of a label with control characters shown as spaces (caller owns,
 * free()). */
char *val_label_dup(const char *s);

/* Checks of one value it, which the caller has put on the path. Each
 * returns 0 with *out set, or -1 + message. nonempty refuses "". */
int val_string(struct kp_ctx *c, const cJSON *it, int nonempty, const char **out);
int val_number(struct kp_ctx *c, const cJSON *it, struct val_bounds b, double *out);
int val_integer(struct kp_ctx *c, const cJSON *it, struct val_bounds b, double *out);
/* seconds: a number, or a string like "90s" (units.h) */
int val_duration(struct kp_ctx *c, const cJSON *it, struct val_bounds b, double *out);
/* per second: a number, or a string like "600/min" */
int val_rate(struct kp_ctx *c, const cJSON *it, struct val_bounds b, double *out);
/* A string from names (NULL-terminated); *out is its index. */
int val_enum(struct kp_ctx *c, const cJSON *it, const char *const *names, int *out);

/* ---- keyed access: look up obj[key] and check it with the key on the path.
 * Each returns 1 (present, *out set), 0 (absent and optional: *out keeps
 * the caller's default) or -1 (error written). A missing required key is
 * "KEY: missing required key". */

/* Finds obj[key] and pushes key; on 1 the key stays on the path until the
 * caller pops *mark. */
int val_lookup(struct kp_ctx *c, const cJSON *obj, const char *key, int required,
               const cJSON **it, size_t *mark);
int val_get_string(struct kp_ctx *c, const cJSON *obj, const char *key, int required,
                   int nonempty, const char **out);
int val_get_bool(struct kp_ctx *c, const cJSON *obj, const char *key, int *out);

enum val_kind { VAL_NUMBER, VAL_INTEGER, VAL_DURATION, VAL_RATE };

int val_get_num(struct kp_ctx *c, const cJSON *obj, const char *key, int required,
                enum val_kind kind, struct val_bounds b, double *out);
int val_get_enum(struct kp_ctx *c, const cJSON *obj, const char *key, int required,
                 const char *const *names, int *out);
/* Enters obj[key], an object (or an array if want_array): on 1 the key
 * stays on the path until the caller pops *mark. */
int val_enter(struct kp_ctx *c, const cJSON *obj, const char *key, int required,
              int want_array, const cJSON **out, size_t *mark);

#endif

/* override.c -- --set overrides: "PATH=VALUE" applied to a scn_doc's tree
 * before validation, so an override is judged by exactly the same rules
 * as the file (see scn_doc_set in scenario.h).
 *
 * A path is keys and [N] indexes (workload.rollouts[0].batch_size). Every
 * step but the last must exist; the last may be a new key of an existing
 * object (the schema then checks it) or an index inside an existing
 * array. A failed override leaves the tree unchanged. */
#include "scenario/scenario.h"

#include "scenario/document.h"
#include "scenario/keypath.h"
#include "base/util.h"

#include <cjson/cJSON.h>

#include <stdlib.h>
#include <string.h>

/* One step of a --set path: a key or an array index, and where its text
 * ends in the path (for messages that quote the path so far). */
struct step {
    const char *key; /* NULL for an index; points into the copied path */
    long index;
    size_t end;
};

/* A --set path cut into steps. */
struct set_path {
    char *path; /* as written, to quote in messages */
    char *keys; /* a second copy, cut into NUL-terminated keys */
    struct step *steps;
    int nsteps;
};

static void set_path_fini(struct set_path *p)
{
    free(p->steps);
    free(p->keys);
    free(p->path);
}

/* Tokenises p->path (plen bytes): key ( '[' digits ']' )* ( '.' key ... )*.
 * Returns 0 with at least one step, or -1 + message. */
static int split_path(struct set_path *p, size_t plen, char *err, size_t errlen)
{
    const char *path = p->path;
    struct step *steps = p->steps;
    size_t i = 0;
    for (;;) {
        size_t k = i;
        while (i < plen && path[i] != '.' && path[i] != '[' && path[i] != ']')
            i++;
        if (i == k)
            return kp_fail_nopath(
                err, errlen, "--set %s: bad key path (empty key at character %zu)", path, k + 1);
        steps[p->nsteps++] = (struct step){p->keys + k, -1, i};
        while (i < plen && path[i] == '[') {
            size_t j = i + 1;
            long n = 0;
            while (j < plen && path[j] >= '0' && path[j] <= '9' && n < 100000000)
                n = n * 10 + (path[j++] - '0');
            if (j == i + 1 || j >= plen || path[j] != ']')
                return kp_fail_nopath(err, errlen,
                                      "--set %s: bad index at character %zu (expected [N])", path,
                                      i + 1);
            steps[p->nsteps++] = (struct step){NULL, n, j + 1};
            i = j + 1;
        }
        if (i == plen)
            break;
        if (path[i] != '.')
            return kp_fail_nopath(err, errlen, "--set %s: bad key path at character %zu", path,
                                  i + 1);
        p->keys[i++] = '\0';
        if (i == plen)
            return kp_fail_nopath(err, errlen, "--set %s: bad key path (ends with '.')", path);
    }
    for (int s = 0; s < p->nsteps; s++)
        if (steps[s].key)
            p->keys[steps[s].end] = '\0'; /* cut keys before '[' and '.' */
    return 0;
}

/* Checks that cur can take step s: an object for a key, an array holding
 * the index for an index. Returns 0 or -1 + message. */
static int step_error(const struct set_path *p, int s, const cJSON *cur, char *err, size_t errlen)
{
    const struct step *st = &p->steps[s];
    const char *path = p->path;
    size_t pend = s ? p->steps[s - 1].end : 0; /* the path so far: cur */
    if (st->key) {
        if (!cJSON_IsObject(cur))
            return kp_fail_nopath(err, errlen, "--set %s: \"%.*s\" is not an object", path,
                                  (int)pend, path);
        return 0;
    }
    if (!cJSON_IsArray(cur))
        return kp_fail_nopath(err, errlen, "--set %s: \"%.*s\" is not an array", path, (int)pend,
                              path);
    int n = cJSON_GetArraySize(cur);
    if (st->index >= n) {
        const char *noun = s && p->steps[s - 1].key ? p->steps[s - 1].key : "items";
        return kp_fail_nopath(err, errlen, "--set %s: index %ld out of range (%d %s)", path,
                              st->index, n, noun);
    }
    return 0;
}

/* The message for a missing key on the way: a near miss among the keys
 * that are there, or how to add a whole missing section. Returns -1. */
static int no_key(const struct set_path *p, const struct step *st, const cJSON *cur, char *err,
                  size_t errlen)
{
    const char *names[65];
    int nn = 0;
    for (const cJSON *k = cur->child; k && nn < 64; k = k->next)
        names[nn++] = k->string;
    names[nn] = NULL;
    char hint[96];
    kp_did_you_mean(hint, sizeof hint, st->key, names);
    return kp_fail_nopath(err, errlen, "--set %s: no key \"%.*s\"%s", p->path, (int)st->end,
                          p->path,
                          hint[0] ? hint : " (to add a section, set it whole: --set KEY={...})");
}

/* Walks root along every step but the last: returns the node the last step
 * applies to (already checked to take it), or NULL + message. */
static cJSON *walk_to_parent(const struct set_path *p, cJSON *root, char *err, size_t errlen)
{
    cJSON *cur = root;
    for (int s = 0;; s++) {
        const struct step *st = &p->steps[s];
        if (step_error(p, s, cur, err, errlen))
            return NULL;
        if (s == p->nsteps - 1)
            return cur;
        cJSON *next = st->key ? cJSON_GetObjectItemCaseSensitive(cur, st->key)
                              : cJSON_GetArrayItem(cur, (int)st->index);
        if (!next) {
            no_key(p, st, cur, err, errlen);
            return NULL;
        }
        cur = next;
    }
}

/* The value: JSON if all of it parses as JSON, else the text. Caller owns. */
static cJSON *parse_value(const char *value)
{
    const char *vend = NULL;
    cJSON *v = cJSON_ParseWithLengthOpts(value, strlen(value), &vend, 0);
    if (v) {
        while (*vend && strchr(" \t\r\n", *vend))
            vend++;
        if (*vend) {
            cJSON_Delete(v);
            v = NULL;
        }
    }
    if (!v)
        v = cJSON_CreateString(value);
    if (!v)
        xoom("cJSON_CreateString");
    return v;
}

/* Puts v (taking ownership) at step st of parent: replaces an index or an
 * existing key, adds a new key. */
static void assign(cJSON *parent, const struct step *st, cJSON *v)
{
    if (!st->key)
        cJSON_ReplaceItemInArray(parent, (int)st->index, v);
    else if (cJSON_GetObjectItemCaseSensitive(parent, st->key))
        cJSON_ReplaceItemInObjectCaseSensitive(parent, st->key, v);
    else if (!cJSON_AddItemToObject(parent, st->key, v))
        xoom("cJSON_AddItemToObject");
}

int scn_doc_set(scn_doc *d, const char *assignment, char *err, size_t errlen)
{
    const char *eq = strchr(assignment, '=');
    if (!eq)
        return kp_fail_nopath(err, errlen, "--set %s: expected PATH=VALUE", assignment);
    size_t plen = (size_t)(eq - assignment);
    if (plen == 0)
        return kp_fail_nopath(err, errlen, "--set %s: the key path before '=' is empty",
                              assignment);

    /* Copy the path twice: one to quote in messages, one to cut into keys. */
    struct set_path p = {xmalloc(plen + 1), xmalloc(plen + 1), NULL, 0};
    memcpy(p.path, assignment, plen);
    p.path[plen] = '\0';
    memcpy(p.keys, p.path, plen + 1);
    p.steps = xmalloc((plen + 1) * sizeof *p.steps);

    cJSON *parent = NULL;
    if (split_path(&p, plen, err, errlen) == 0)
        parent = walk_to_parent(&p, d->root, err, errlen);
    if (parent)
        assign(parent, &p.steps[p.nsteps - 1], parse_value(eq + 1));
    set_path_fini(&p);
    return parent ? 0 : -1;
}

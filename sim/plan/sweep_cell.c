/* sweep_cell.c -- the grid of a sweep: which values cell i has, and the
 * scenario they make.
 *
 * Invariants:
 * - Cell i's index on each axis is i written in the mixed radix of the
 *   axis sizes, the first axis the most significant (it varies slowest).
 * - A cell's scenario is the base text, then every --set in order, then
 *   each axis's "PATH=VALUE" in axis order (an axis's linked paths right
 *   after its own, with the same value index), all through scn_doc_set (so a
 *   value is JSON if it parses as JSON, else a string, as with --set).
 * - Every cJSON parse here holds parse_mu, so cells may be built on any
 *   thread. */
#include "plan/sweep_internal.h"

#include "base/util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sweep_cell_index(const struct sweep_axis *axes, int naxes, int cell, int *idx)
{
    for (int a = naxes - 1; a >= 0; a--) {
        idx[a] = cell % axes[a].nvalues;
        cell /= axes[a].nvalues;
    }
}

/* "PATH=VALUE, PATH=VALUE" of a cell, for messages and the summary. */
void sweep_cell_label(const struct sweep_opts *o, int cell, char *buf, size_t len)
{
    int idx[SWEEP_MAX_AXES];
    sweep_cell_index(o->axes, o->naxes, cell, idx);
    size_t used = 0;
    buf[0] = '\0';
    for (int a = 0; a < o->naxes && used < len; a++)
        for (int k = 0; k <= o->axes[a].nlinked && used < len; k++) {
            const struct sweep_axis *p = sweep_axis_part(&o->axes[a], k);
            int n = snprintf(buf + used, len - used, "%s%s=%s", used ? ", " : "", p->path,
                             p->values[idx[a]]);
            if (n < 0)
                return;
            used += (size_t)n;
        }
}

/* cJSON's parser writes a global (its last error position) on every call,
 * even when the caller reads the position another way: parses in the
 * workers take this lock. */
static pthread_mutex_t parse_mu = PTHREAD_MUTEX_INITIALIZER;

/* Builds cell i's scenario from the base text. Returns 0, or -1 with a
 * message (without the cell's name). Thread-safe. */
int sweep_cell_build(const struct sweep_ctx *c, int cell, struct scenario *s, char *err,
                     size_t errlen)
{
    return sweep_cell_scenario(c->o, c->text, c->len, cell, s, err, errlen);
}

int sweep_cell_scenario(const struct sweep_opts *o, const char *text, size_t len, int cell,
                        struct scenario *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    /* the whole build: scn_doc_set parses values too (microseconds, next
     * to the seconds a cell runs) */
    pthread_mutex_lock(&parse_mu);
    scn_doc *d = scn_doc_parse(text, len, err, errlen);
    if (!d) {
        pthread_mutex_unlock(&parse_mu);
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < o->nsets && rc == 0; i++)
        rc = scn_doc_set(d, o->sets[i], err, errlen);
    int idx[SWEEP_MAX_AXES];
    sweep_cell_index(o->axes, o->naxes, cell, idx);
    for (int a = 0; a < o->naxes && rc == 0; a++)
        for (int k = 0; k <= o->axes[a].nlinked && rc == 0; k++) {
            const struct sweep_axis *p = sweep_axis_part(&o->axes[a], k);
            const char *path = p->path, *val = p->values[idx[a]];
            size_t n = strlen(path) + strlen(val) + 2;
            char *assign = xmalloc(n);
            snprintf(assign, n, "%s=%s", path, val);
            rc = scn_doc_set(d, assign, err, errlen);
            free(assign);
        }
    if (rc == 0)
        rc = scn_from_doc(d, s, err, errlen);
    scn_doc_free(d);
    pthread_mutex_unlock(&parse_mu);
    return rc;
}

void sweep_cell_run_opts(const struct sweep_opts *o, const struct scenario *s, struct run_opts *ro)
{
    memset(ro, 0, sizeof *ro);
    ro->reps = o->reps > 0 ? o->reps : s->replications;
    ro->seed = o->seed >= 0 ? (uint64_t)o->seed : s->seed;
    ro->precision = o->precision;
}

/* A value string as JSON: what scn_doc_set would make of it. */
cJSON *sweep_value_json(const char *v)
{
    pthread_mutex_lock(&parse_mu);
    /* the whole value must be JSON: cJSON_Parse would read "06:00" as 6 */
    cJSON *j = cJSON_ParseWithOpts(v, NULL, 1);
    pthread_mutex_unlock(&parse_mu);
    return j ? j : cJSON_CreateString(v);
}

cJSON *sweep_cell_values_json(const struct sweep_opts *o, int cell)
{
    int idx[SWEEP_MAX_AXES];
    sweep_cell_index(o->axes, o->naxes, cell, idx);
    cJSON *vals = cJSON_CreateObject();
    for (int a = 0; a < o->naxes; a++)
        for (int k = 0; k <= o->axes[a].nlinked; k++) {
            const struct sweep_axis *p = sweep_axis_part(&o->axes[a], k);
            cJSON_AddItemToObject(vals, p->path, sweep_value_json(p->values[idx[a]]));
        }
    return vals;
}

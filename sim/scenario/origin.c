/* origin.c -- where a scenario came from (its provenance: the file, the
 * SHA-256 of its bytes, the --set overrides in order) and the label a
 * modified scenario is shown under, derived from what is simulated rather
 * than from a name written for the unmodified file. */
#include "scenario/scenario.h"

#include "base/units.h"
#include "base/util.h"
#include "models/workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void scn_set_origin(struct scenario *s, const char *source, const char *const *sets, int nsets)
{
    struct scenario_origin *o = &s->origin;
    free(o->source);
    o->source = source ? xstrdup(source) : NULL;
    for (int i = 0; i < o->noverrides; i++)
        free(o->overrides[i]);
    free(o->overrides);
    o->overrides = nsets > 0 ? xcalloc((size_t)nsets, sizeof *o->overrides) : NULL;
    o->noverrides = nsets;
    for (int i = 0; i < nsets; i++)
        o->overrides[i] = xstrdup(sets[i]);
}

void scn_rollout_text(const struct scenario *s, int i, char *buf, size_t len)
{
    const struct wl_rollout *ro = &s->rollouts[i];
    char users[64], when[32];
    units_format_count((double)ro->users, users, sizeof users);
    /* a rollout may be past the horizon in a bad file: clamp what is shown */
    double at = ro->at_s < 1e12 ? ro->at_s : 1e12;
    units_format_clock(s->start_epoch_s + (int64_t)at, when, sizeof when);
    int n = snprintf(buf, len, "%s %s jobs from %s", users, job_kind_name(ro->kind), when);
    long nb = wl_batches(ro);
    if (nb > 1 && n > 0 && (size_t)n < len) {
        char iv[32], bs[64], nbs[64];
        units_format_duration(ro->batch_interval_s, iv, sizeof iv);
        units_format_count((double)ro->batch_size, bs, sizeof bs);
        units_format_count((double)nb, nbs, sizeof nbs);
        snprintf(buf + n, len - (size_t)n, ", %s batches of %s every %s", nbs, bs, iv);
    }
}

void scn_label_effective(struct scenario *s)
{
    const struct scenario_origin *o = &s->origin;
    if (o->noverrides == 0)
        return;
    for (int i = 0; i < o->noverrides; i++)
        if (!strncmp(o->overrides[i], "name=", 5))
            return; /* the user named it */
    /* the rollouts as simulated, then what changed, so a title never
     * says "5,000 users" of a run with 12,000 */
    size_t cap = 256 + strlen(s->name) + 260 * (size_t)s->nrollouts;
    char *label = xmalloc(cap);
    size_t used = 0;
    label[0] = '\0';
    for (int i = 0; i < s->nrollouts; i++) {
        char ro[256];
        scn_rollout_text(s, i, ro, sizeof ro);
        used += (size_t)snprintf(label + used, cap - used, "%s%s", i ? "; " : "", ro);
    }
    if (s->nrollouts == 0)
        used += (size_t)snprintf(label + used, cap - used, "no rollout");
    /* the overrides themselves are listed in every output's provenance */
    snprintf(label + used, cap - used, " (\"%s\" changed by %d --set)", s->name, o->noverrides);
    s->origin.file_name = s->name;
    s->name = label;
}

/* sweep_merge.c -- provsim sweep --merge DIR: the task journals of DIR
 * into DIR/sweep.csv and DIR/sweep.json (sweep.h, "Tasks").
 *
 * Invariants:
 * - The sweep is rebuilt from the manifest the tasks wrote (the same
 *   scenario file, --set, --vary, --reps, --seed, --precision) and must
 *   give the tasks' fingerprint again: a scenario file edited since, or
 *   another provsim version, is refused, and the message says which.
 * - Nothing is written unless every unit of the plan is found exactly
 *   once, in the journal of the task the plan gives it to, with the one
 *   fingerprint; otherwise the missing, duplicated or foreign parts are
 *   named and the exit is SWEEP_BAD_INPUT.
 * - A cell's summary is stats_summarize over its replications 0..R-1 in
 *   order, as run_scenario computes it, from values that are bit-for-bit
 *   the ones the tasks computed; the results go through sweep_write_csv
 *   and sweep_write_json: the single process's bytes. */
#include "plan/sweep_internal.h"

#include "base/file.h"
#include "out/resultdir.h"
#include "base/util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Shown at most, of a list of missing units or tasks. */
#define SHOW_MAX 8

struct tfile {
    int k;
    char *path;
};

struct merge {
    struct sweep_ctx c;
    int ntasks;
    struct tfile *files; /* by task; path NULL if absent */
    const char *ref;     /* the path of the manifest the sweep is rebuilt from */
    char fingerprint[64];
    int *seen;           /* per unit: 1 + the task whose journal held it, 0 = not yet */
    double **rows;       /* per cell: cell_reps x METRIC_COUNT */
    int *reps;           /* per cell: replications found (with precision, where it stopped) */
    char *reached;       /* per cell: precision reached */
    int cur;             /* the task whose journal is being read */
};

/* ---- the task journals in DIR ------------------------------------------- */

/* Lists DIR/journal/task-*; every one of one split. */
static int list_tasks(struct merge *mg, char *err, size_t errlen)
{
    DIR *d = opendir(mg->c.journal);
    if (!d)
        return xerr(err, errlen, "%s: no journal directory: nothing to merge", mg->c.journal);
    struct dirent *e;
    int rc = 0, k, n;
    char first[256] = "";
    while (rc == 0 && (e = readdir(d))) {
        if (!resdir_task_parse(e->d_name, &k, &n))
            continue;
        if (mg->ntasks == 0) {
            mg->ntasks = n;
            mg->files = xcalloc((size_t)n, sizeof *mg->files);
            snprintf(first, sizeof first, "%s", e->d_name);
        } else if (n != mg->ntasks) {
            rc = xerr(err, errlen,
                      "%s holds the tasks of two splits (%s: %d tasks; %s: %d): merge one "
                      "split at a time, in its own --out",
                      mg->c.journal, first, mg->ntasks, e->d_name, n);
            break;
        }
        mg->files[k].k = k;
        mg->files[k].path = file_join(mg->c.journal, e->d_name);
    }
    closedir(d);
    if (rc == 0 && mg->ntasks == 0)
        rc = xerr(err, errlen,
                  "%s holds no task journal (task-KKKK-of-NNNN.jsonl): run the tasks "
                  "(--task K --tasks N) first",
                  mg->c.journal);
    return rc;
}

/* ---- the sweep, from a manifest -------------------------------------------- */

static const char *str_item(const cJSON *m, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(m, key);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

/* m->o from the manifest of a task journal. */
static int opts_from_manifest(struct sweep_merged *m, const cJSON *man, const char *path, char *err,
                              size_t errlen)
{
    struct sweep_opts *o = &m->o;
    const char *scen = str_item(man, "scenario_file");
    const cJSON *sets = cJSON_GetObjectItemCaseSensitive(man, "set");
    const cJSON *vary = cJSON_GetObjectItemCaseSensitive(man, "vary");
    const cJSON *reps = cJSON_GetObjectItemCaseSensitive(man, "reps");
    const cJSON *seed = cJSON_GetObjectItemCaseSensitive(man, "seed");
    double precision;
    if (!scen || !cJSON_IsArray(sets) || !cJSON_IsArray(vary) || cJSON_GetArraySize(vary) < 1 ||
        cJSON_GetArraySize(vary) > SWEEP_MAX_AXES || !cJSON_IsNumber(reps) ||
        reps->valuedouble < 0 || reps->valuedouble > SCN_MAX_REPLICATIONS ||
        !cJSON_IsNumber(seed) || seed->valuedouble < -1 || seed->valuedouble > 9007199254740992.0 ||
        sweep_journal_num_get(cJSON_GetObjectItemCaseSensitive(man, "precision"), &precision) ||
        !(precision >= 0 && precision <= 1))
        return xerr(err, errlen,
                    "%s: line 1: the manifest lacks scenario_file, set, vary, reps, seed or "
                    "precision",
                    path);
    m->scenario = xstrdup(scen);
    o->scenario = m->scenario;
    int ns = cJSON_GetArraySize(sets), na = cJSON_GetArraySize(vary);
    m->sets = xcalloc((size_t)ns + 1, sizeof *m->sets);
    m->axes = xcalloc((size_t)na, sizeof *m->axes);
    o->sets = (const char *const *)m->sets;
    o->axes = m->axes;
    const cJSON *it;
    cJSON_ArrayForEach(it, sets) {
        if (!cJSON_IsString(it))
            return xerr(err, errlen, "%s: line 1: set: not a list of strings", path);
        m->sets[o->nsets++] = xstrdup(it->valuestring);
    }
    cJSON_ArrayForEach(it, vary) {
        char msg[512];
        if (!cJSON_IsString(it))
            return xerr(err, errlen, "%s: line 1: vary: not a list of strings", path);
        if (sweep_axis_parse(it->valuestring, &m->axes[o->naxes], msg, sizeof msg))
            return xerr(err, errlen, "%s: line 1: vary: %s", path, msg);
        o->naxes++;
    }
    o->reps = (int)reps->valuedouble;
    o->seed = (int64_t)seed->valuedouble;
    o->precision = precision;
    o->jobs = 1; /* the merge runs nothing */
    o->out_dir = m->dir;
    return 0;
}

/* ---- reading the units ----------------------------------------------------- */

static int merge_line(void *arg, const cJSON *manifest, const struct sweep_task_rec *rec,
                      const char *fp, const cJSON *values, char *err, size_t errlen)
{
    struct merge *mg = arg;
    const char *path = mg->files[mg->cur].path;
    if (!rec) {
        const char *f = str_item(manifest, "fingerprint");
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(manifest, "task");
        if (strcmp(f, mg->fingerprint) != 0) {
            char why[512];
            char msg[SCN_ERRLEN];
            cJSON *ref = sweep_tjournal_manifest(mg->ref, msg, sizeof msg);
            sweep_journal_manifest_diff(ref, manifest, why, sizeof why);
            cJSON_Delete(ref);
            return xerr(err, errlen,
                        "%s is not the sweep of %s (changed: %s); every task must be given "
                        "the same sweep",
                        path, mg->ref, why);
        }
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(manifest, "tasks");
        if (k->valuedouble != mg->cur || n->valuedouble != mg->ntasks)
            return xerr(err, errlen,
                        "%s holds the journal of task %d of %d, not %d of %d: a duplicated task "
                        "(a copy of another task's journal?)",
                        path, (int)k->valuedouble, (int)n->valuedouble, mg->cur, mg->ntasks);
        return 0;
    }
    const struct sweep_plan *p = mg->c.plan;
    int u = sweep_plan_find(p, rec->cell, rec->first);
    char label[96];
    if (strcmp(fp, mg->fingerprint) != 0)
        return xerr(err, errlen, "%s: a unit of another sweep (fingerprint %.16s, the tasks' %s)",
                    path, fp, mg->fingerprint);
    if (u < 0 || rec->reps > p->units[u].reps ||
        (mg->c.o->precision <= 0 && rec->reps != p->units[u].reps))
        return xerr(err, errlen, "%s: cell %d, replications from %d: not a unit of this sweep",
                    path, rec->cell + 1, rec->first);
    sweep_unit_label(&p->units[u], label, sizeof label);
    if (p->units[u].task != mg->cur)
        return xerr(err, errlen, "%s holds %s, which is task %d's: a duplicated or misplaced task",
                    path, label, p->units[u].task);
    if (mg->seen[u])
        return xerr(err, errlen, "%s holds %s twice: a duplicated unit", path, label);
    cJSON *want = sweep_cell_values_json(mg->c.o, rec->cell);
    int same = cJSON_Compare(want, values, 1);
    cJSON_Delete(want);
    if (!same)
        return xerr(err, errlen, "%s: %s: its values are not this sweep's", path, label);
    mg->seen[u] = 1 + mg->cur;
    memcpy(mg->rows[rec->cell] + (size_t)rec->first * METRIC_COUNT, rec->rows,
           (size_t)rec->reps * METRIC_COUNT * sizeof *rec->rows);
    mg->reps[rec->cell] += rec->reps;
    mg->reached[rec->cell] = (char)rec->precision_reached;
    return 0;
}

/* Appends "; " (unless buf is empty) and text to buf. */
static void add(char *buf, size_t len, const char *text)
{
    size_t used = strlen(buf);
    if (used + 1 < len)
        snprintf(buf + used, len - used, "%s%s", used ? "; " : "", text);
}

/* Every task journal present and every unit in one: else names what is
 * missing. */
static int check_complete(const struct merge *mg, char *err, size_t errlen)
{
    char msg[2048] = "";
    int missing_tasks = 0;
    for (int k = 0; k < mg->ntasks; k++) {
        if (mg->files[k].path)
            continue;
        if (missing_tasks++ < SHOW_MAX) {
            char name[64], text[128];
            resdir_task_name(name, sizeof name, k, mg->ntasks);
            snprintf(text, sizeof text, "task %d (no %s)", k, name);
            add(msg, sizeof msg, text);
        }
    }
    const struct sweep_plan *p = mg->c.plan;
    int missing_units = 0;
    for (int u = 0; u < p->nunits; u++) {
        if (mg->seen[u] || !mg->files[p->units[u].task].path)
            continue;
        if (missing_units++ < SHOW_MAX) {
            char label[96], text[160];
            sweep_unit_label(&p->units[u], label, sizeof label);
            snprintf(text, sizeof text, "%s of task %d", label, p->units[u].task);
            add(msg, sizeof msg, text);
        }
    }
    if (!missing_tasks && !missing_units)
        return 0;
    return xerr(err, errlen,
                "%s: not every task is done: %d of %d tasks without a journal, %d unit%s "
                "missing from the others (%s%s); run those tasks (a task resumes its journal) "
                "and merge again",
                mg->c.journal, missing_tasks, mg->ntasks, missing_units,
                missing_units == 1 ? "" : "s", msg,
                missing_tasks > SHOW_MAX || missing_units > SHOW_MAX ? "; ..." : "");
}

/* ---- the merge ---------------------------------------------------------------- */

static int read_units(struct merge *mg, char *err, size_t errlen)
{
    for (int k = 0; k < mg->ntasks; k++) {
        if (!mg->files[k].path)
            continue;
        mg->cur = k;
        long end;
        int bad = 0;
        int rc = sweep_tjournal_read(mg->files[k].path, merge_line, mg, &end, &bad, err, errlen);
        if (rc || bad)
            return -1;
        if (end == 0) /* not even a manifest yet: as good as absent */
            mg->files[k].path = (free(mg->files[k].path), NULL);
    }
    return check_complete(mg, err, errlen);
}

/* Each cell's summary from its replications, in order. */
static void summarise(struct merge *mg)
{
    struct sweep *sw = mg->c.sw;
    double *col = NULL;
    size_t cap = 0;
    for (int i = 0; i < sw->ncells; i++) {
        struct sweep_cell *sc = &sw->cells[i];
        int reps = mg->reps[i];
        if ((size_t)reps > cap) {
            cap = (size_t)reps;
            col = xrealloc(col, cap * sizeof *col);
        }
        for (int m = 0; m < METRIC_COUNT; m++) {
            for (int r = 0; r < reps; r++)
                col[r] = mg->rows[i][(size_t)r * METRIC_COUNT + m];
            stats_summarize(col, (size_t)reps, &sc->sum[m]);
        }
        sc->reps = reps;
        sc->precision_reached = mg->reached[i];
        sc->done = 1;
    }
    free(col);
    sw->loaded = sw->ncells;
}

/* Rebuilds the sweep from the manifest of the lowest task present and
 * checks it gives the tasks' fingerprint. */
static int rebuild(struct merge *mg, struct sweep_merged *m, char *err, size_t errlen)
{
    for (int k = 0; k < mg->ntasks && !mg->ref; k++)
        if (mg->files[k].path)
            mg->ref = mg->files[k].path;
    char msg[SCN_ERRLEN] = "";
    cJSON *ref = mg->ref ? sweep_tjournal_manifest(mg->ref, msg, sizeof msg) : NULL;
    if (!ref && msg[0])
        return xerr(err, errlen, "%s", msg);
    if (!ref)
        return xerr(err, errlen, "%s: %s has no complete first line yet (its task has not "
                                 "started?)",
                    mg->c.journal, mg->ref);
    snprintf(mg->fingerprint, sizeof mg->fingerprint, "%s", str_item(ref, "fingerprint"));
    int rc = opts_from_manifest(m, ref, mg->ref, err, errlen);
    cJSON *now = NULL;
    if (rc == 0) {
        char why_not[1024];
        now = sweep_setup(&mg->c, why_not, sizeof why_not);
        if (!now)
            rc = xerr(err, errlen, "%s: the sweep of the tasks: %s", mg->ref, why_not);
    }
    if (rc == 0 && strcmp(mg->c.sw->fingerprint, mg->fingerprint) != 0) {
        char why[512];
        sweep_journal_manifest_diff(ref, now, why, sizeof why);
        rc = xerr(err, errlen,
                  "%s: the tasks ran another sweep than this provsim makes of their manifest "
                  "(changed: %s): was %s edited since?",
                  mg->ref, why, m->o.scenario);
    }
    cJSON_Delete(now);
    cJSON_Delete(ref);
    return rc;
}

int sweep_merge(const char *dir, struct sweep_merged *m, struct sweep *sw, char *err,
                size_t errlen)
{
    memset(m, 0, sizeof *m);
    memset(sw, 0, sizeof *sw);
    m->dir = xstrdup(dir);
    struct merge mg = {.c = {.o = &m->o, .sw = sw}};
    mg.c.dir = xstrdup(dir);
    mg.c.journal = file_join(dir, RESDIR_JOURNAL);
    int rc = SWEEP_BAD_INPUT;
    if (list_tasks(&mg, err, errlen) || rebuild(&mg, m, err, errlen))
        goto out;
    m->ntasks = mg.ntasks;
    mg.c.plan = xcalloc(1, sizeof *mg.c.plan);
    sweep_plan_build(&mg.c, mg.ntasks, mg.c.plan);
    sw->nunits = mg.c.plan->nunits;
    mg.seen = xcalloc((size_t)sw->nunits, sizeof *mg.seen);
    mg.rows = xcalloc((size_t)sw->ncells, sizeof *mg.rows);
    mg.reps = xcalloc((size_t)sw->ncells, sizeof *mg.reps);
    mg.reached = xcalloc((size_t)sw->ncells, 1);
    for (int i = 0; i < sw->ncells; i++)
        mg.rows[i] = xmalloc((size_t)mg.c.cell_reps[i] * METRIC_COUNT * sizeof **mg.rows);
    if (read_units(&mg, err, errlen))
        goto out;
    summarise(&mg);
    rc = SWEEP_FAILED;
    if (sweep_write_csv(&mg.c, err, errlen) == 0 && sweep_write_json(&mg.c, err, errlen) == 0)
        rc = SWEEP_OK;
out:
    for (int k = 0; k < mg.ntasks; k++)
        free(mg.files[k].path);
    free(mg.files);
    for (int i = 0; mg.rows && i < sw->ncells; i++)
        free(mg.rows[i]);
    free(mg.rows);
    free(mg.seen);
    free(mg.reps);
    free(mg.reached);
    sweep_ctx_fini(&mg.c);
    return rc;
}

void sweep_merged_fini(struct sweep_merged *m)
{
    free(m->scenario);
    for (int i = 0; i < m->o.nsets; i++)
        free(m->sets[i]);
    free(m->sets);
    for (int i = 0; i < m->o.naxes; i++)
        sweep_axis_fini(&m->axes[i]);
    free(m->axes);
    free(m->dir);
    memset(m, 0, sizeof *m);
}

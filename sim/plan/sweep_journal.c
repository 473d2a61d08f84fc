/* sweep_journal.c -- the sweep's journal, DIR/journal/: one file per
 * finished cell, the manifest, the lock, and --resume.
 *
 * Invariants:
 * - A cell file is written atomically by the worker that ran the cell,
 *   as soon as it is done, with the sweep's fingerprint; non-finite
 *   numbers are spelled "nan", "inf", "-inf", so a loaded cell is
 *   bit-for-bit the cell that was run.
 * - The fingerprint covers everything that changes a cell's result: the
 *   provsim version, the scenario text, --set, --vary, --reps, --seed,
 *   --precision (not --jobs, --out or --progress). The manifest spells
 *   out the same parts, so a refused --resume can say which changed.
 * - --resume trusts only cells whose fingerprint and values match; a
 *   cell of another sweep refuses the resume, an unreadable cell runs
 *   again. Without --resume the journal is emptied first.
 * - Only names the journal writes (cell-*, manifest.json, the tasks'
 *   task-* and their temporary files) are ever removed from it, and one sweep at a time
 *   holds the lock on a journal. */
#include "plan/sweep_internal.h"

#include "out/csvfmt.h"
#include "base/file.h"
#include "base/outfile.h"
#include "out/resultdir.h"
#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- JSON numbers that may be NaN ----------------------------------------
 * JSON has no NaN: the journal spells non-finite values as strings so that
 * a loaded cell is bit-for-bit the cell that was run. */

static cJSON *num_item(double v)
{
    if (isnan(v))
        return cJSON_CreateString("nan");
    if (isinf(v))
        return cJSON_CreateString(v > 0 ? "inf" : "-inf");
    return csvfmt_json_number(v); /* exact: a loaded cell is the cell run */
}

static int num_value(const cJSON *it, double *v)
{
    if (cJSON_IsNumber(it)) {
        *v = it->valuedouble;
        return 0;
    }
    if (cJSON_IsString(it)) {
        if (!strcmp(it->valuestring, "nan"))
            *v = NAN;
        else if (!strcmp(it->valuestring, "inf"))
            *v = INFINITY;
        else if (!strcmp(it->valuestring, "-inf"))
            *v = -INFINITY;
        else
            return -1;
        return 0;
    }
    return -1;
}

static int num_get(const cJSON *o, const char *key, double *v)
{
    return num_value(cJSON_GetObjectItemCaseSensitive(o, key), v);
}

/* ---- cell files ---------------------------------------------------------- */

/* Whether name begins as a journal cell file does: the cells and the
 * temporary files of their interrupted writes. */
static int cell_prefixed(const char *name)
{
    return strncmp(name, RESDIR_CELL_PREFIX, strlen(RESDIR_CELL_PREFIX)) == 0;
}

static char *cell_path(const struct sweep_ctx *c, int cell)
{
    char name[32];
    resdir_cell_name(name, sizeof name, cell);
    return file_join(c->journal, name);
}

int sweep_journal_write(const struct sweep_ctx *c, int cell, const struct sweep_cell *sc, char *err,
                        size_t errlen)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "fingerprint", c->sw->fingerprint);
    cJSON_AddNumberToObject(root, "cell", cell);
    cJSON_AddItemToObject(root, "values", sweep_cell_values_json(c->o, cell));
    cJSON_AddNumberToObject(root, "replications", sc->reps);
    if (c->o->precision > 0)
        cJSON_AddBoolToObject(root, "precision_reached", sc->precision_reached);
    cJSON *ms = cJSON_AddObjectToObject(root, "metrics");
    for (int m = 0; m < METRIC_COUNT; m++) {
        const struct stats_summary *st = &sc->sum[m];
        cJSON *o = cJSON_AddObjectToObject(ms, metric_table[m].name);
        cJSON_AddItemToObject(o, "mean", num_item(st->mean));
        cJSON_AddItemToObject(o, "sd", num_item(st->sd));
        cJSON_AddItemToObject(o, "ci95_lo", num_item(st->ci_lo));
        cJSON_AddItemToObject(o, "ci95_hi", num_item(st->ci_hi));
        cJSON_AddItemToObject(o, "min", num_item(st->min));
        cJSON_AddItemToObject(o, "max", num_item(st->max));
        cJSON_AddNumberToObject(o, "reps", (double)st->n);
    }
    char *path = cell_path(c, cell);
    int rc = sweep_json_save(path, root, err, errlen);
    free(path);
    cJSON_Delete(root);
    return rc;
}

/* Reads a journal cell. Returns 0 (loaded into *sc), -1 if the file is not
 * a readable cell (the caller runs the cell again), or -2 if it belongs
 * to another sweep (msg says why). */
static int journal_read_cell(const struct sweep_ctx *c, const char *path, int cell,
                             struct sweep_cell *sc, char *msg, size_t msglen)
{
    size_t len;
    char *text = sweep_read_file(path, &len, msg, msglen);
    if (!text)
        return -1;
    cJSON *root = cJSON_ParseWithLength(text, len);
    free(text);
    int rc = -1;
    if (!root) {
        xerr(msg, msglen, "%s: not valid JSON", path);
        return -1;
    }
    const cJSON *fp = cJSON_GetObjectItemCaseSensitive(root, "fingerprint");
    const cJSON *ci = cJSON_GetObjectItemCaseSensitive(root, "cell");
    const cJSON *reps = cJSON_GetObjectItemCaseSensitive(root, "replications");
    const cJSON *ms = cJSON_GetObjectItemCaseSensitive(root, "metrics");
    if (!cJSON_IsString(fp)) {
        xerr(msg, msglen, "%s: no fingerprint", path);
        goto out;
    }
    if (strcmp(fp->valuestring, c->sw->fingerprint) != 0) {
        xerr(msg, msglen,
             "%s was written by a different sweep (fingerprint %.16s, this sweep "
             "%s)",
             path, fp->valuestring, c->sw->fingerprint);
        rc = -2;
        goto out;
    }
    if (!cJSON_IsNumber(ci) || ci->valuedouble != cell || !cJSON_IsNumber(reps) ||
        reps->valuedouble < 1 || reps->valuedouble > SCN_MAX_REPLICATIONS || !cJSON_IsObject(ms)) {
        xerr(msg, msglen, "%s: not a complete journal cell", path);
        goto out;
    }
    /* the same fingerprint means the same grid; check the values anyway */
    cJSON *want = sweep_cell_values_json(c->o, cell);
    int same = cJSON_Compare(want, cJSON_GetObjectItemCaseSensitive(root, "values"), 1);
    cJSON_Delete(want);
    if (!same) {
        xerr(msg, msglen, "%s: its values are not those of cell %d", path, cell);
        rc = -2;
        goto out;
    }
    memset(sc, 0, sizeof *sc);
    sc->reps = (int)reps->valuedouble;
    sc->precision_reached =
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "precision_reached"));
    for (int m = 0; m < METRIC_COUNT; m++) {
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(ms, metric_table[m].name);
        struct stats_summary *st = &sc->sum[m];
        double n;
        if (!cJSON_IsObject(o) || num_get(o, "mean", &st->mean) || num_get(o, "sd", &st->sd) ||
            num_get(o, "ci95_lo", &st->ci_lo) || num_get(o, "ci95_hi", &st->ci_hi) ||
            num_get(o, "min", &st->min) || num_get(o, "max", &st->max) || num_get(o, "reps", &n) ||
            n < 1 || n > SCN_MAX_REPLICATIONS) {
            xerr(msg, msglen, "%s: metric %s missing or malformed", path, metric_table[m].name);
            goto out;
        }
        st->n = (size_t)n;
    }
    sc->done = 1;
    rc = 0;
out:
    cJSON_Delete(root);
    return rc;
}

/* ---- fingerprint and manifest ------------------------------------------- */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* Length-prefixed, so ("ab","c") and ("a","bc") differ. */
static uint64_t fnv_str(uint64_t h, const char *s, size_t n)
{
    uint64_t len = n;
    h = fnv(h, &len, sizeof len);
    return fnv(h, s, n);
}

static uint64_t text_hash(const char *s, size_t n)
{
    return fnv_str(14695981039346656037ULL, s, n);
}

/* The manifest names what the fingerprint covers, so --resume can say
 * which part changed. */
static cJSON *manifest_json(const struct sweep_ctx *c, uint64_t text_h)
{
    const struct sweep_opts *o = c->o;
    char hex[17];
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "fingerprint", c->sw->fingerprint);
    cJSON_AddStringToObject(root, "version", PROVSIM_VERSION);
    cJSON_AddStringToObject(root, "scenario_file", o->scenario);
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)text_h);
    cJSON_AddStringToObject(root, "scenario_text_hash", hex);
    cJSON *sets = cJSON_AddArrayToObject(root, "set");
    for (int i = 0; i < o->nsets; i++)
        cJSON_AddItemToArray(sets, cJSON_CreateString(o->sets[i]));
    cJSON *vary = cJSON_AddArrayToObject(root, "vary");
    for (int a = 0; a < o->naxes; a++) {
        size_t n = 1, used = 0;
        for (int k = 0; k <= o->axes[a].nlinked; k++) {
            const struct sweep_axis *p = sweep_axis_part(&o->axes[a], k);
            n += strlen(p->path) + strlen(p->spec) + 2;
        }
        char *s = xmalloc(n);
        for (int k = 0; k <= o->axes[a].nlinked; k++) {
            const struct sweep_axis *p = sweep_axis_part(&o->axes[a], k);
            used += (size_t)snprintf(s + used, n - used, "%s%s=%s", k ? "+" : "", p->path, p->spec);
        }
        cJSON_AddItemToArray(vary, cJSON_CreateString(s));
        free(s);
    }
    cJSON_AddNumberToObject(root, "reps", o->reps);
    cJSON_AddNumberToObject(root, "seed", (double)o->seed);
    cJSON_AddItemToObject(root, "precision", num_item(o->precision));
    cJSON_AddNumberToObject(root, "cells", c->sw->ncells);
    return root;
}

static void fingerprint(const struct sweep_ctx *c, uint64_t text_h)
{
    const struct sweep_opts *o = c->o;
    char buf[64];
    uint64_t h = 14695981039346656037ULL;
    h = fnv_str(h, PROVSIM_VERSION, strlen(PROVSIM_VERSION));
    h = fnv(h, &text_h, sizeof text_h);
    snprintf(buf, sizeof buf, "sets %d", o->nsets);
    h = fnv_str(h, buf, strlen(buf));
    for (int i = 0; i < o->nsets; i++)
        h = fnv_str(h, o->sets[i], strlen(o->sets[i]));
    snprintf(buf, sizeof buf, "vary %d", o->naxes);
    h = fnv_str(h, buf, strlen(buf));
    for (int a = 0; a < o->naxes; a++) {
        h = fnv_str(h, o->axes[a].path, strlen(o->axes[a].path));
        h = fnv_str(h, o->axes[a].spec, strlen(o->axes[a].spec));
        /* linked paths only when there are some, so the fingerprint of an
         * axis without them is what it always was */
        if (o->axes[a].nlinked) {
            snprintf(buf, sizeof buf, "linked %d", o->axes[a].nlinked);
            h = fnv_str(h, buf, strlen(buf));
        }
        for (int k = 0; k < o->axes[a].nlinked; k++) {
            const struct sweep_axis *p = &o->axes[a].linked[k];
            h = fnv_str(h, p->path, strlen(p->path));
            h = fnv_str(h, p->spec, strlen(p->spec));
        }
    }
    snprintf(buf, sizeof buf, "reps %d seed %lld precision %.17g", o->reps, (long long)o->seed,
             o->precision);
    h = fnv_str(h, buf, strlen(buf));
    snprintf(c->sw->fingerprint, sizeof c->sw->fingerprint, "%016llx", (unsigned long long)h);
}

cJSON *sweep_journal_num(double v)
{
    return num_item(v);
}

int sweep_journal_num_get(const cJSON *it, double *v)
{
    return num_value(it, v);
}

/* Why an old manifest is not this sweep's, in words. */
static void manifest_diff(const cJSON *old, const cJSON *now, char *buf, size_t len)
{
    static const struct {
        const char *key, *what;
    } parts[] = {
        {"version", "the provsim version"},
        {"scenario_text_hash", "the scenario file's contents"},
        {"set", "the --set overrides"},
        {"vary", "the --vary axes"},
        {"reps", "--reps"},
        {"seed", "--seed"},
        {"precision", "--precision"},
    };
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(old, parts[i].key);
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(now, parts[i].key);
        if (a && b && cJSON_Compare(a, b, 1))
            continue;
        int n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", parts[i].what);
        if (n < 0 || (size_t)n >= len - used)
            break;
        used += (size_t)n;
    }
    if (!used)
        snprintf(buf, len, "unknown");
}

void sweep_journal_manifest_diff(const cJSON *old, const cJSON *now, char *buf, size_t len)
{
    /* compared as read back: the manifest in memory holds raw numbers
     * (csvfmt_json_number), the file's parse holds numbers, and
     * cJSON_Compare calls those types different */
    char *now_text = cJSON_PrintUnformatted(now);
    cJSON *back = cJSON_Parse(now_text);
    manifest_diff(old, back, buf, len);
    cJSON_Delete(back);
    free(now_text);
}

/* A task's journal (sweep_tjournal.c): the single-process journal's
 * --fresh removes them too, and their presence is an earlier sweep's. */
static int task_prefixed(const char *name)
{
    return strncmp(name, RESDIR_TASK_PREFIX, strlen(RESDIR_TASK_PREFIX)) == 0;
}

int sweep_journal_exists(const char *journal)
{
    DIR *d = opendir(journal);
    if (!d)
        return 0;
    struct dirent *e;
    int found = 0;
    while (!found && (e = readdir(d)))
        found = cell_prefixed(e->d_name) || task_prefixed(e->d_name) ||
                !strcmp(e->d_name, RESDIR_MANIFEST_JSON);
    closedir(d);
    return found;
}

cJSON *sweep_journal_fingerprint(const struct sweep_ctx *c)
{
    uint64_t text_h = text_hash(c->text, c->len);
    fingerprint(c, text_h);
    return manifest_json(c, text_h);
}

/* ---- the directory: clearing, --resume, the lock ------------------------- */

/* Removes the journal's cells, leftovers of interrupted writes and the
 * manifest (only names this module writes). */
int sweep_journal_clear(const char *journal, char *err, size_t errlen)
{
    DIR *d = opendir(journal);
    if (!d)
        return errno == ENOENT ? 0 : xerr(err, errlen, "%s: %s", journal, strerror(errno));
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d))) {
        if (!cell_prefixed(e->d_name) && !task_prefixed(e->d_name) &&
            strncmp(e->d_name, RESDIR_MANIFEST_JSON, strlen(RESDIR_MANIFEST_JSON)) != 0)
            continue;
        char *p = file_join(journal, e->d_name);
        if (unlink(p) != 0 && errno != ENOENT)
            rc = xerr(err, errlen, "%s: cannot remove: %s", p, strerror(errno));
        free(p);
    }
    closedir(d);
    return rc;
}

/* --resume, first: the manifest, if there is one, must be this sweep's. */
static int check_manifest(const struct sweep_ctx *c, const cJSON *manifest, char *err,
                          size_t errlen)
{
    char *mpath = file_join(c->journal, RESDIR_MANIFEST_JSON);
    size_t len;
    char msg[SCN_ERRLEN];
    char *text = sweep_read_file(mpath, &len, msg, sizeof msg);
    if (text) {
        cJSON *old = cJSON_ParseWithLength(text, len);
        free(text);
        const cJSON *fp = cJSON_GetObjectItemCaseSensitive(old, "fingerprint");
        if (!cJSON_IsString(fp)) {
            cJSON_Delete(old);
            xerr(err, errlen, "--resume: %s is unreadable; run with --fresh to start over",
                 mpath);
            free(mpath);
            return -1;
        }
        if (strcmp(fp->valuestring, c->sw->fingerprint) != 0) {
            char why[512];
            sweep_journal_manifest_diff(old, manifest, why, sizeof why);
            cJSON_Delete(old);
            xerr(err, errlen,
                 "--resume: the journal in %s is from a different sweep (changed: %s); run "
                 "with --fresh instead to start over, or use another --out",
                 c->journal, why);
            free(mpath);
            return -1;
        }
        cJSON_Delete(old);
    }
    free(mpath);
    return 0;
}

/* --resume, then each file of the journal directory: a cell of this sweep
 * is loaded, a broken one runs again, one of another sweep refuses the
 * resume (-1, err says why), anything else is left alone. */
static int load_entry(struct sweep_ctx *c, const char *name, char *err, size_t errlen)
{
    int cell, rc = 0;
    if (!cell_prefixed(name))
        return 0;
    char *p = file_join(c->journal, name);
    if (strstr(name, OUTFILE_TMP_SUFFIX)) {
        unlink(p); /* a write a kill interrupted: never renamed, never valid */
    } else if (!resdir_cell_parse(name, &cell)) {
        /* not ours */
    } else if (cell < 0 || cell >= c->sw->ncells) {
        rc = xerr(err, errlen,
                  "--resume: %s is from a different sweep (this one has %d cells); run "
                  "with --fresh instead to start over",
                  p, c->sw->ncells);
    } else {
        struct sweep_cell sc;
        char msg[SCN_ERRLEN];
        int r = journal_read_cell(c, p, cell, &sc, msg, sizeof msg);
        if (r == 0) {
            c->sw->cells[cell] = sc;
        } else if (r == -2) {
            rc = xerr(err, errlen, "--resume: %s; run with --fresh to start over", msg);
        } else {
            fprintf(stderr, "provsim: sweep: ignoring %s; the cell runs again\n", msg);
        }
    }
    free(p);
    return rc;
}

int sweep_journal_load(struct sweep_ctx *c, const cJSON *manifest, char *err, size_t errlen)
{
    if (check_manifest(c, manifest, err, errlen))
        return -1;
    DIR *d = opendir(c->journal);
    if (!d)
        return 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) && rc == 0)
        rc = load_entry(c, e->d_name, err, errlen);
    closedir(d);
    return rc;
}

int sweep_journal_save_manifest(const struct sweep_ctx *c, const cJSON *manifest, char *err,
                                size_t errlen)
{
    char *p = file_join(c->journal, RESDIR_MANIFEST_JSON);
    int rc = sweep_json_save(p, manifest, err, errlen);
    free(p);
    return rc;
}

/* One sweep per directory at a time: two writers would mix journals. */
int sweep_journal_lock(const char *journal, int *fd, char *err, size_t errlen)
{
    char *p = file_join(journal, RESDIR_LOCK);
    *fd = open(p, O_RDWR | O_CREAT, 0644);
    if (*fd < 0) {
        xerr(err, errlen, "%s: cannot create: %s", p, strerror(errno));
        free(p);
        return -1;
    }
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    if (fcntl(*fd, F_SETLK, &fl) != 0) {
        xerr(err, errlen, "%s is in use by another provsim sweep", journal);
        close(*fd);
        *fd = -1;
        free(p);
        return -1;
    }
    free(p);
    return 0;
}

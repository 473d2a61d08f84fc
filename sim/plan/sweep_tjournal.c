/* sweep_tjournal.c -- a task's journal, DIR/journal/task-KKKK-of-NNNN.jsonl,
 * and the task mode of sweep_run (sweep.h, "Tasks").
 *
 * The file is JSON Lines: line 1 the manifest of sweep_journal.c (the
 * fingerprint and its parts) with "task" and "tasks"; then one line per
 * finished unit: {"fingerprint", "cell", "first", "replications",
 * "values", ["precision_reached",] "rows"}, rows holding every
 * replication's METRIC_COUNT values in metric_table order, spelled as the
 * cell files spell them (exact, non-finite as "nan", "inf", "-inf").
 *
 * Invariants:
 * - One writer per file: the task holds an fcntl lock on it while it
 *   runs (where the filesystem has POSIX locks), and no other task opens
 *   it for writing.
 * - A unit's line is appended with one write and then synced, after the
 *   unit ran: a line ends in a newline only if it is whole. A last line
 *   without one (a write a kill interrupted) is cut off when the task
 *   resumes, and that unit runs again.
 * - A task resumes only a journal of its own sweep (same fingerprint,
 *   same task and number of tasks) and refuses to start in a directory
 *   whose other task journals are of another sweep or another split. */
#include "plan/sweep_internal.h"

#include "base/file.h"
#include "out/resultdir.h"
#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A line longer than this is not one a task wrote (a unit of 10,000
 * replications is about 12 MB). */
#define LINE_MAX_BYTES (256L * 1024 * 1024)

struct sweep_tjournal {
    int fd;
    char *path;
    pthread_mutex_t mu; /* one append at a time */
    char *done;         /* per unit: loaded from the file */
};

void sweep_task_rec_fini(struct sweep_task_rec *r)
{
    free(r->rows);
    r->rows = NULL;
}

/* ---- reading ------------------------------------------------------------ */

static int int_field(const cJSON *root, const char *key, int lo, int hi, int *out)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(root, key);
    if (!cJSON_IsNumber(it) || it->valuedouble < lo || it->valuedouble > hi ||
        it->valuedouble != (double)(int)it->valuedouble)
        return -1;
    *out = (int)it->valuedouble;
    return 0;
}

int sweep_task_rec_parse(const char *line, size_t len, struct sweep_task_rec *r,
                         char *fingerprint, size_t fplen, cJSON **values, char *msg,
                         size_t msglen)
{
    memset(r, 0, sizeof *r);
    *values = NULL;
    cJSON *root = cJSON_ParseWithLength(line, len);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return xerr(msg, msglen, "%s", "not a JSON object");
    }
    int rc = -1;
    const cJSON *fp = cJSON_GetObjectItemCaseSensitive(root, "fingerprint");
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(root, "rows");
    if (!cJSON_IsString(fp)) {
        xerr(msg, msglen, "%s", "no fingerprint");
        goto out;
    }
    if (int_field(root, "cell", 0, SWEEP_MAX_CELLS - 1, &r->cell) ||
        int_field(root, "first", 0, SCN_MAX_REPLICATIONS - 1, &r->first) ||
        int_field(root, "replications", 1, SCN_MAX_REPLICATIONS, &r->reps)) {
        xerr(msg, msglen, "%s", "cell, first or replications missing or out of range");
        goto out;
    }
    if (!cJSON_IsArray(rows) || cJSON_GetArraySize(rows) != r->reps) {
        xerr(msg, msglen, "rows: not an array of %d replications", r->reps);
        goto out;
    }
    r->rows = xmalloc((size_t)r->reps * METRIC_COUNT * sizeof *r->rows);
    int i = 0;
    const cJSON *row;
    cJSON_ArrayForEach(row, rows) {
        if (!cJSON_IsArray(row) || cJSON_GetArraySize(row) != METRIC_COUNT) {
            xerr(msg, msglen, "rows[%d]: not an array of %d metric values", i, METRIC_COUNT);
            goto out;
        }
        int m = 0;
        const cJSON *v;
        cJSON_ArrayForEach(v, row) {
            if (sweep_journal_num_get(v, &r->rows[(size_t)i * METRIC_COUNT + (size_t)m])) {
                xerr(msg, msglen, "rows[%d][%d] (%s): not a number", i, m,
                     metric_table[m].name);
                goto out;
            }
            m++;
        }
        i++;
    }
    r->precision_reached =
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "precision_reached"));
    snprintf(fingerprint, fplen, "%s", fp->valuestring);
    *values = cJSON_DetachItemFromObjectCaseSensitive(root, "values");
    if (!cJSON_IsObject(*values)) {
        xerr(msg, msglen, "%s", "values: not an object");
        cJSON_Delete(*values);
        *values = NULL;
        goto out;
    }
    rc = 0;
out:
    if (rc)
        sweep_task_rec_fini(r);
    cJSON_Delete(root);
    return rc;
}

/* Line 1: the manifest, with a fingerprint and the task it belongs to. */
static cJSON *manifest_parse(const char *line, size_t len, char *msg, size_t msglen)
{
    cJSON *m = cJSON_ParseWithLength(line, len);
    int k, n;
    if (!cJSON_IsObject(m) ||
        !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(m, "fingerprint")) ||
        int_field(m, "tasks", 1, 1 << 30, &n) || int_field(m, "task", 0, n - 1, &k)) {
        cJSON_Delete(m);
        xerr(msg, msglen, "%s", "not a task journal's manifest (fingerprint, task, tasks)");
        return NULL;
    }
    return m;
}

int sweep_tjournal_read(const char *path, sweep_task_line_fn fn, void *arg, long *good_end,
                        int *bad, char *err, size_t errlen)
{
    *good_end = 0;
    if (bad)
        *bad = 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return xerr(err, errlen, "%s: cannot read: %s", path, strerror(errno));
    char *line = NULL, msg[SCN_ERRLEN];
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    int rc = 0;
    cJSON *manifest = NULL;
    while (rc == 0 && (n = getline(&line, &cap, f)) > 0) {
        lineno++;
        if (line[n - 1] != '\n')
            break; /* torn: an append a kill interrupted */
        if (n > LINE_MAX_BYTES) {
            xerr(msg, sizeof msg, "longer than %ld bytes", LINE_MAX_BYTES);
        } else if (lineno == 1) {
            manifest = manifest_parse(line, (size_t)n - 1, msg, sizeof msg);
            if (manifest) {
                rc = fn(arg, manifest, NULL, NULL, NULL, err, errlen);
                *good_end += n;
                continue;
            }
        } else {
            struct sweep_task_rec rec;
            char fp[64];
            cJSON *values;
            if (sweep_task_rec_parse(line, (size_t)n - 1, &rec, fp, sizeof fp, &values, msg,
                                     sizeof msg) == 0) {
                rc = fn(arg, manifest, &rec, fp, values, err, errlen);
                sweep_task_rec_fini(&rec);
                cJSON_Delete(values);
                *good_end += n;
                continue;
            }
        }
        /* a whole line that does not parse: not written by a task */
        if (bad)
            *bad = 1;
        xerr(err, errlen, "%s: line %ld: %s", path, lineno, msg);
        break;
    }
    if (ferror(f) && rc == 0)
        rc = xerr(err, errlen, "%s: read error", path);
    free(line);
    cJSON_Delete(manifest);
    fclose(f);
    return rc;
}

/* ---- the task's own journal ----------------------------------------------- */

struct resume {
    struct sweep_ctx *c;
    const cJSON *want; /* this task's manifest */
    int have_manifest;
    int loaded;
};

/* Each line of this task's own journal, on resume. */
static int resume_line(void *arg, const cJSON *manifest, const struct sweep_task_rec *rec,
                       const char *fp, const cJSON *values, char *err, size_t errlen)
{
    struct resume *rs = arg;
    struct sweep_ctx *c = rs->c;
    const char *path = c->tj->path;
    if (!rec) {
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(manifest, "fingerprint");
        int k = -1, n = -1;
        int_field(manifest, "task", 0, 1 << 30, &k);
        int_field(manifest, "tasks", 1, 1 << 30, &n);
        if (k != c->o->task || n != c->o->ntasks)
            return xerr(err, errlen,
                        "%s: its manifest is task %d of %d's, not this one's (a copy of "
                        "another task's journal?); use --fresh to discard it",
                        path, k, n);
        if (strcmp(f->valuestring, c->sw->fingerprint) != 0) {
            char why[512];
            sweep_journal_manifest_diff(manifest, rs->want, why, sizeof why);
            return xerr(err, errlen,
                        "%s is the journal of a different sweep (changed: %s); use another "
                        "--out, or --fresh to discard this task's journal",
                        path, why);
        }
        rs->have_manifest = 1;
        return 0;
    }
    int u = sweep_plan_find(c->plan, rec->cell, rec->first);
    if (strcmp(fp, c->sw->fingerprint) != 0 || u < 0 || c->plan->units[u].reps < rec->reps ||
        (c->o->precision <= 0 && c->plan->units[u].reps != rec->reps) ||
        c->plan->units[u].task != c->o->task)
        return xerr(err, errlen,
                    "%s holds cell %d (replications from %d), not a unit of this task; use "
                    "another --out, or --fresh to discard this task's journal",
                    path, rec->cell + 1, rec->first);
    cJSON *want = sweep_cell_values_json(c->o, rec->cell);
    int same = cJSON_Compare(want, values, 1);
    cJSON_Delete(want);
    if (!same)
        return xerr(err, errlen, "%s: cell %d's values are not this sweep's", path,
                    rec->cell + 1);
    if (!c->tj->done[u])
        rs->loaded++;
    c->tj->done[u] = 1;
    return 0;
}

/* This task's manifest: the sweep's, and which task of how many. */
static cJSON *task_manifest(const struct sweep_ctx *c, const cJSON *manifest)
{
    cJSON *m = cJSON_Duplicate(manifest, 1);
    cJSON_AddNumberToObject(m, "task", c->o->task);
    cJSON_AddNumberToObject(m, "tasks", c->o->ntasks);
    cJSON_AddNumberToObject(m, "units", c->plan->nunits);
    return m;
}

static int write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

/* cJSON unformatted, a newline, one write, synced. */
static int append_line(struct sweep_tjournal *tj, const cJSON *root, char *err, size_t errlen)
{
    char *text = cJSON_PrintUnformatted(root);
    if (!text)
        xoom("cJSON_PrintUnformatted");
    size_t n = strlen(text);
    char *buf = xmalloc(n + 1);
    memcpy(buf, text, n);
    buf[n] = '\n';
    free(text);
    pthread_mutex_lock(&tj->mu);
    int rc = write_all(tj->fd, buf, n + 1) || fdatasync(tj->fd);
    pthread_mutex_unlock(&tj->mu);
    free(buf);
    return rc ? xerr(err, errlen, "%s: cannot write: %s", tj->path, strerror(errno)) : 0;
}

int sweep_tjournal_append(const struct sweep_ctx *c, int unit, const struct run_result *res,
                          char *err, size_t errlen)
{
    const struct sweep_unit *u = &c->plan->units[unit];
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "fingerprint", c->sw->fingerprint);
    cJSON_AddNumberToObject(root, "cell", u->cell);
    cJSON_AddNumberToObject(root, "first", u->first);
    cJSON_AddNumberToObject(root, "replications", res->reps);
    cJSON_AddItemToObject(root, "values", sweep_cell_values_json(c->o, u->cell));
    if (c->o->precision > 0)
        cJSON_AddBoolToObject(root, "precision_reached", res->precision_reached);
    cJSON *rows = cJSON_AddArrayToObject(root, "rows");
    for (int r = 0; r < res->reps; r++) {
        cJSON *row = cJSON_CreateArray();
        for (int m = 0; m < METRIC_COUNT; m++)
            cJSON_AddItemToArray(row,
                                 sweep_journal_num(res->values[(size_t)r * METRIC_COUNT + m]));
        cJSON_AddItemToArray(rows, row);
    }
    int rc = append_line(c->tj, root, err, errlen);
    cJSON_Delete(root);
    return rc;
}

void sweep_tjournal_close(struct sweep_tjournal *tj)
{
    if (tj->fd >= 0)
        close(tj->fd); /* releases the lock */
    pthread_mutex_destroy(&tj->mu);
    free(tj->path);
    free(tj->done);
    free(tj);
}

/* ---- the other tasks' journals ---------------------------------------------- */

static int header_only(void *arg, const cJSON *manifest, const struct sweep_task_rec *rec,
                       const char *fp, const cJSON *values, char *err, size_t errlen)
{
    (void)rec, (void)fp, (void)values, (void)err, (void)errlen;
    *(cJSON **)arg = cJSON_Duplicate(manifest, 1);
    return 1; /* the manifest is all we need */
}

cJSON *sweep_tjournal_manifest(const char *path, char *err, size_t errlen)
{
    cJSON *m = NULL;
    long end;
    int bad = 0;
    err[0] = '\0';
    int rc = sweep_tjournal_read(path, header_only, &m, &end, &bad, err, errlen);
    if (rc == 0 && !bad)
        err[0] = '\0'; /* no complete line yet: not an error */
    return m;
}

/* The other task journals in DIR must be of this split (their names) and
 * of this sweep: the first other one with a manifest is read (one file,
 * not N: with a thousand tasks starting at once on a shared filesystem,
 * each reading every other's would be a million opens; the merge checks
 * them all). */
static int check_others(const struct sweep_ctx *c, const cJSON *manifest, char *err,
                        size_t errlen)
{
    DIR *d = opendir(c->journal);
    if (!d)
        return 0;
    struct dirent *e;
    int rc = 0, k, n, compared = 0;
    while (rc == 0 && (e = readdir(d))) {
        if (!resdir_task_parse(e->d_name, &k, &n) || (k == c->o->task && n == c->o->ntasks))
            continue;
        char *p = file_join(c->journal, e->d_name);
        if (n != c->o->ntasks) {
            rc = xerr(err, errlen,
                      "%s is a task of a sweep split into %d tasks, not %d; use another "
                      "--out, or the same --tasks",
                      p, n, c->o->ntasks);
        } else if (!compared) {
            char msg[SCN_ERRLEN];
            cJSON *m = sweep_tjournal_manifest(p, msg, sizeof msg);
            compared = m != NULL;
            const cJSON *f = cJSON_GetObjectItemCaseSensitive(m, "fingerprint");
            if (m && strcmp(f->valuestring, c->sw->fingerprint) != 0) {
                char why[512];
                sweep_journal_manifest_diff(m, manifest, why, sizeof why);
                rc = xerr(err, errlen,
                          "task %d of %d is not the sweep of %s (changed: %s); every task "
                          "must be given the same sweep",
                          c->o->task, c->o->ntasks, p, why);
            }
            cJSON_Delete(m);
        }
        free(p);
    }
    closedir(d);
    return rc;
}

/* Opens and locks this task's journal (c->tj), and loads or discards
 * what it holds. Returns a SWEEP_* code. */
static int open_own(struct sweep_ctx *c, const cJSON *tm, int *fresh_start, char *err,
                    size_t errlen)
{
    char name[64];
    resdir_task_name(name, sizeof name, c->o->task, c->o->ntasks);
    struct sweep_tjournal *tj = xcalloc(1, sizeof *tj);
    tj->path = file_join(c->journal, name);
    tj->done = xcalloc((size_t)c->plan->nunits, 1);
    pthread_mutex_init(&tj->mu, NULL);
    c->tj = tj;
    tj->fd = open(tj->path, O_RDWR | O_CREAT | O_APPEND, 0644);
    if (tj->fd < 0)
        return xerr(err, errlen, "%s: cannot create: %s", tj->path, strerror(errno)),
               SWEEP_BAD_INPUT;
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    if (fcntl(tj->fd, F_SETLK, &fl) != 0) {
        if (errno == EACCES || errno == EAGAIN)
            return xerr(err, errlen,
                        "%s is in use by another provsim sweep (the same task twice?)",
                        tj->path),
                   SWEEP_BAD_INPUT;
        /* a shared filesystem without POSIX locks (Lustre without
         * -o flock, some FUSE mounts): the batch system's one instance
         * per task index is then the only guard */
        fprintf(stderr, "provsim: sweep: %s: cannot lock (%s); going on without the lock\n",
                tj->path, strerror(errno));
    }
    struct resume rs = {.c = c, .want = tm};
    long end = 0;
    int bad = 0;
    if (!c->o->fresh &&
        sweep_tjournal_read(tj->path, resume_line, &rs, &end, &bad, err, errlen) && !bad)
        return SWEEP_BAD_INPUT;
    if (bad) /* a line the task never wrote whole: run its unit (and the later ones) again */
        fprintf(stderr, "provsim: sweep: %s; the units from there on run again\n", err);
    if (!rs.have_manifest)
        end = 0;
    struct stat st;
    if (fstat(tj->fd, &st) == 0 && st.st_size != end && ftruncate(tj->fd, end) != 0)
        return xerr(err, errlen, "%s: cannot truncate: %s", tj->path, strerror(errno)),
               SWEEP_FAILED;
    if (end == 0) {
        memset(tj->done, 0, (size_t)c->plan->nunits);
        rs.loaded = 0;
        *fresh_start = 1;
        if (append_line(tj, tm, err, errlen))
            return SWEEP_FAILED;
    }
    c->sw->loaded = rs.loaded;
    return SWEEP_OK;
}

int sweep_task_run(struct sweep_ctx *c, const cJSON *manifest, char *err, size_t errlen)
{
    const struct sweep_opts *o = c->o;
    struct sweep *sw = c->sw;
    c->plan = xcalloc(1, sizeof *c->plan);
    sweep_plan_build(c, o->ntasks, c->plan);
    sw->nunits = c->plan->nunits;
    c->dir = xstrdup(o->out_dir);
    c->journal = file_join(c->dir, RESDIR_JOURNAL);
    if (file_mkdirs(c->journal, err, errlen))
        return SWEEP_BAD_INPUT;
    if (check_others(c, manifest, err, errlen))
        return SWEEP_BAD_INPUT;
    cJSON *tm = task_manifest(c, manifest);
    int fresh_start = 0;
    int rc = open_own(c, tm, &fresh_start, err, errlen);
    cJSON_Delete(tm);
    if (rc != SWEEP_OK)
        return rc;
    if (fresh_start) {
        /* results of an earlier sweep would not be this one's */
        const char *old[] = {RESDIR_SWEEP_CSV, RESDIR_SWEEP_JSON};
        for (size_t i = 0; i < 2; i++) {
            char *p = file_join(c->dir, old[i]);
            unlink(p);
            free(p);
        }
    }
    int *todo = xmalloc(((size_t)c->plan->nunits + 1) * sizeof *todo);
    int ntodo = 0;
    for (int i = 0; i < c->plan->nunits; i++) {
        int u = c->plan->order[i]; /* largest first: the threads end together */
        if (c->plan->units[u].task != o->task)
            continue;
        sw->task_units++;
        if (!c->tj->done[u])
            todo[ntodo++] = u;
    }
    if (sw->loaded)
        fprintf(stderr, "provsim: sweep: task %d of %d resuming: %d of %d units from %s, %d to run\n",
                o->task, o->ntasks, sw->loaded, sw->task_units, c->tj->path, ntodo);
    rc = sweep_pool_run(c, todo, ntodo, err, errlen);
    free(todo);
    if (rc)
        return SWEEP_FAILED;
    if (sw->loaded + sw->ran < sw->task_units) {
        xerr(err, errlen, "interrupted: %d of %d units of task %d saved in %s; rerun the task",
             sw->loaded + sw->ran, sw->task_units, o->task, c->tj->path);
        return SWEEP_INTERRUPTED;
    }
    return SWEEP_OK;
}

/* sweep.c -- see sweep.h.
 *
 * Threads: the main thread validates every cell, prepares the journal,
 * starts the workers and then only waits (drawing the progress bar). A
 * worker takes the next cell index under the mutex, builds the cell's own
 * scenario, runs it with no lock held, writes the cell's journal file and
 * then marks the cell done under the mutex. Cells share nothing but the
 * read-only base text and options, so results cannot depend on --jobs. */
#include "plan/sweep_internal.h"

#include "out/csvfmt.h"
#include "base/file.h"
#include "base/outfile.h"
#include "out/report.h"
#include "run/runner.h"
#include "scenario/scenario.h"
#include "base/units.h"
#include "run/memlimit.h"
#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#define MAX_SCENARIO_BYTES (16u << 20)

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

static int num_get(const cJSON *o, const char *key, double *v)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
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

static char *cell_path(const struct sweep_ctx *c, int cell)
{
    char name[32];
    snprintf(name, sizeof name, "cell-%05d.json", cell);
    return file_join(c->journal, name);
}

static int journal_write(const struct sweep_ctx *c, int cell, const struct sweep_cell *sc,
                         char *err, size_t errlen)
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
                             struct sweep_cell *sc, char *msg, size_t msglen);

static char *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        xerr(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        xgrow((void **)&buf, &cap, n + 65536, 1);
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (n > MAX_SCENARIO_BYTES) {
            fclose(f);
            free(buf);
            xerr(err, errlen, "%s: larger than 16 MiB", path);
            return NULL;
        }
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        xerr(err, errlen, "%s: read error", path);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int journal_read_cell(const struct sweep_ctx *c, const char *path, int cell,
                             struct sweep_cell *sc, char *msg, size_t msglen)
{
    size_t len;
    char *text = read_file(path, &len, msg, msglen);
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
        size_t n = strlen(o->axes[a].path) + strlen(o->axes[a].spec) + 2;
        char *s = xmalloc(n);
        snprintf(s, n, "%s=%s", o->axes[a].path, o->axes[a].spec);
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
    }
    snprintf(buf, sizeof buf, "reps %d seed %lld precision %.17g", o->reps, (long long)o->seed,
             o->precision);
    h = fnv_str(h, buf, strlen(buf));
    snprintf(c->sw->fingerprint, sizeof c->sw->fingerprint, "%016llx", (unsigned long long)h);
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

/* Removes the journal's cells, leftovers of interrupted writes and the
 * manifest (only names this module writes). */
static int journal_clear(const char *journal, char *err, size_t errlen)
{
    DIR *d = opendir(journal);
    if (!d)
        return errno == ENOENT ? 0 : xerr(err, errlen, "%s: %s", journal, strerror(errno));
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, "cell-", 5) != 0 && strncmp(e->d_name, "manifest.json", 13) != 0)
            continue;
        char *p = file_join(journal, e->d_name);
        if (unlink(p) != 0 && errno != ENOENT)
            rc = xerr(err, errlen, "%s: cannot remove: %s", p, strerror(errno));
        free(p);
    }
    closedir(d);
    return rc;
}

/* --resume: checks the manifest and every cell file, loads matching cells.
 * Returns 0, or -1 (refused: err says why). */
static int journal_load(struct sweep_ctx *c, const cJSON *manifest, char *err, size_t errlen)
{
    char *mpath = file_join(c->journal, "manifest.json");
    size_t len;
    char msg[SCN_ERRLEN];
    char *text = read_file(mpath, &len, msg, sizeof msg);
    if (text) {
        cJSON *old = cJSON_ParseWithLength(text, len);
        free(text);
        const cJSON *fp = cJSON_GetObjectItemCaseSensitive(old, "fingerprint");
        if (!cJSON_IsString(fp)) {
            cJSON_Delete(old);
            xerr(err, errlen, "--resume: %s is unreadable; run without --resume to start over",
                 mpath);
            free(mpath);
            return -1;
        }
        if (strcmp(fp->valuestring, c->sw->fingerprint) != 0) {
            char why[512];
            manifest_diff(old, manifest, why, sizeof why);
            cJSON_Delete(old);
            xerr(err, errlen,
                 "--resume: the journal in %s is from a different sweep (changed: %s); run "
                 "without --resume to start over, or use another --out",
                 c->journal, why);
            free(mpath);
            return -1;
        }
        cJSON_Delete(old);
    }
    free(mpath);

    DIR *d = opendir(c->journal);
    if (!d)
        return 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) && rc == 0) {
        int cell;
        char tail;
        if (strncmp(e->d_name, "cell-", 5) != 0)
            continue;
        char *p = file_join(c->journal, e->d_name);
        if (strstr(e->d_name, ".tmp")) {
            unlink(p); /* a write a kill interrupted: never renamed, never valid */
        } else if (sscanf(e->d_name, "cell-%d.jso%c", &cell, &tail) != 2 || tail != 'n' ||
                   strlen(e->d_name) != 15) {
            /* not ours */
        } else if (cell < 0 || cell >= c->sw->ncells) {
            rc = xerr(err, errlen,
                      "--resume: %s is from a different sweep (this one has %d cells); run "
                      "without --resume to start over",
                      p, c->sw->ncells);
        } else {
            struct sweep_cell sc;
            int r = journal_read_cell(c, p, cell, &sc, msg, sizeof msg);
            if (r == 0) {
                c->sw->cells[cell] = sc;
            } else if (r == -2) {
                rc = xerr(err, errlen, "--resume: %s; run without --resume to start over", msg);
            } else {
                fprintf(stderr, "provsim: sweep: ignoring %s; the cell runs again\n", msg);
            }
        }
        free(p);
    }
    closedir(d);
    return rc;
}

/* One sweep per directory at a time: two writers would mix journals. */
static int lock_dir(const char *journal, int *fd, char *err, size_t errlen)
{
    char *p = file_join(journal, "lock");
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

/* ---- workers and progress ---------------------------------------------- */

struct pool {
    struct sweep_ctx *c;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int *todo, ntodo, next; /* cells to run; next = index of the next to start */
    int started, finished;  /* this call */
    int running;            /* workers still in their loop */
    int stop;               /* copied from o->stop by the main thread: the
                             * signal handler runs there only (workers
                             * block the signals), so no other thread
                             * touches the sig_atomic_t */
    int inline_run;         /* no thread could start: the main thread works */
    int failed;
    char err[SCN_ERRLEN];
};

static int stopping(const struct pool *p)
{
    const struct sweep_opts *o = p->c->o;
    if (p->inline_run && o->stop && *o->stop)
        return 1;
    return p->failed || p->stop || (o->stop_after > 0 && p->started >= o->stop_after);
}

static void *worker(void *arg)
{
    struct pool *p = arg;
    struct sweep_ctx *c = p->c;
    pthread_mutex_lock(&p->mu);
    while (!stopping(p) && p->next < p->ntodo) {
        int cell = p->todo[p->next++];
        p->started++;
        pthread_mutex_unlock(&p->mu);

        char err[SCN_ERRLEN];
        struct scenario s;
        struct run_opts ro;
        struct run_result res;
        struct sweep_cell sc;
        int rc = sweep_cell_build(c, cell, &s, err, sizeof err); /* validated: cannot fail */
        if (rc == 0) {
            sweep_cell_run_opts(c->o, &s, &ro);
            run_scenario(&s, &ro, &res);
            memset(&sc, 0, sizeof sc);
            sc.reps = res.reps;
            sc.precision_reached = res.precision_reached;
            memcpy(sc.sum, res.sum, sizeof sc.sum);
            run_result_fini(&res);
            scn_fini(&s);
            rc = journal_write(c, cell, &sc, err, sizeof err);
        }

        pthread_mutex_lock(&p->mu);
        if (rc != 0) {
            if (!p->failed)
                snprintf(p->err, sizeof p->err, "%s", err);
            p->failed = 1;
        } else {
            sc.done = 1;
            c->sw->cells[cell] = sc;
            p->finished++;
        }
        pthread_cond_broadcast(&p->cv);
    }
    p->running--;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void fmt_clock(char *buf, size_t len, double s)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, len, "%ld:%02ld", t / 60, t % 60);
}

/* "[=====>    ] 12/240 cells, 0:07 elapsed, ETA 2:10" */
static void draw_progress(int done, int total, int ran, int todo, double elapsed)
{
    enum { WIDTH = 30 };
    char bar[WIDTH + 1], el[32], eta[32];
    int fill = total > 0 ? (int)((long long)done * WIDTH / total) : WIDTH;
    for (int i = 0; i < WIDTH; i++)
        bar[i] = i < fill ? '=' : (i == fill ? '>' : ' ');
    bar[WIDTH] = '\0';
    fmt_clock(el, sizeof el, elapsed);
    if (ran > 0)
        fmt_clock(eta, sizeof eta, elapsed / ran * (todo - ran));
    else
        snprintf(eta, sizeof eta, "-:--");
    fprintf(stderr, "\r[%s] %d/%d cells, %s elapsed, ETA %s ", bar, done, total, el, eta);
    fflush(stderr);
}

static int run_cells(struct sweep_ctx *c, int *todo, int ntodo, char *err, size_t errlen)
{
    const struct sweep_opts *o = c->o;
    struct pool p = {.c = c, .todo = todo, .ntodo = ntodo, .stop = o->stop && *o->stop};
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv, NULL);
    int jobs = o->jobs < 1 ? 1 : o->jobs;
    if (jobs > ntodo)
        jobs = ntodo > 0 ? ntodo : 1;
    pthread_t *th = xcalloc((size_t)jobs, sizeof *th);
    int nth = 0;
    double t0 = mono_s(), last = -1.0;
    /* workers start with SIGINT and SIGTERM blocked, so the handler runs
     * on this thread, which passes the request on under the mutex */
    sigset_t sigs, old_mask;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, &old_mask);
    pthread_mutex_lock(&p.mu);
    for (int i = 0; i < jobs; i++) {
        p.running++;
        if (pthread_create(&th[nth], NULL, worker, &p) != 0) {
            p.running--;
            break;
        }
        nth++;
    }
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    if (nth == 0) {
        /* no thread at all: run on this one */
        p.inline_run = 1;
        p.running = 1;
        pthread_mutex_unlock(&p.mu);
        worker(&p);
        pthread_mutex_lock(&p.mu);
    }
    while (p.running > 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 100 * 1000 * 1000;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&p.cv, &p.mu, &ts);
        if (o->stop && *o->stop)
            p.stop = 1;
        double now = mono_s();
        if (o->progress && now - last >= 0.1) {
            draw_progress(c->sw->loaded + p.finished, c->sw->ncells, p.finished, ntodo, now - t0);
            last = now;
        }
    }
    pthread_mutex_unlock(&p.mu);
    for (int i = 0; i < nth; i++)
        pthread_join(th[i], NULL);
    free(th);
    if (o->progress) {
        draw_progress(c->sw->loaded + p.finished, c->sw->ncells, p.finished, ntodo, mono_s() - t0);
        fputc('\n', stderr);
    }
    c->sw->ran = p.finished;
    pthread_cond_destroy(&p.cv);
    pthread_mutex_destroy(&p.mu);
    if (p.failed) {
        snprintf(err, errlen, "%s", p.err);
        return -1;
    }
    return 0;
}

/* ---- the sweep ----------------------------------------------------------- */

int sweep_run(const struct sweep_opts *o, struct sweep *sw, char *err, size_t errlen)
{
    memset(sw, 0, sizeof *sw);
    if (o->naxes < 1 || o->naxes > SWEEP_MAX_AXES)
        return xerr(err, errlen, "sweep: give 1 to %d --vary axes", SWEEP_MAX_AXES),
               SWEEP_BAD_INPUT;
    long long ncells = 1;
    for (int a = 0; a < o->naxes; a++) {
        for (int b = 0; b < a; b++)
            if (!strcmp(o->axes[a].path, o->axes[b].path))
                return xerr(err, errlen, "--vary %s is given twice", o->axes[a].path),
                       SWEEP_BAD_INPUT;
        ncells *= o->axes[a].nvalues;
        if (ncells > SWEEP_MAX_CELLS)
            return xerr(err, errlen, "sweep: more than %d cells in the grid", SWEEP_MAX_CELLS),
                   SWEEP_BAD_INPUT;
    }
    sw->ncells = (int)ncells;
    sw->cells = xcalloc((size_t)ncells, sizeof *sw->cells);

    struct sweep_ctx c = {.o = o, .sw = sw};
    char msg[SCN_ERRLEN];
    int rc = SWEEP_BAD_INPUT, lockfd = -1;
    int *todo = NULL;
    cJSON *manifest = NULL;
    c.text = read_file(o->scenario, &c.len, err, errlen);
    if (!c.text)
        return SWEEP_BAD_INPUT;

    /* the base and --set first, so a bad --set is reported once */
    scn_doc *d = scn_doc_parse(c.text, c.len, msg, sizeof msg);
    if (!d) {
        xerr(err, errlen, "%s: %s", o->scenario, msg);
        goto out;
    }
    for (int i = 0; i < o->nsets; i++)
        if (scn_doc_set(d, o->sets[i], msg, sizeof msg)) {
            scn_doc_free(d);
            xerr(err, errlen, "%s", msg);
            goto out;
        }
    scn_doc_free(d);

    /* every cell, before anything runs or any file is touched */
    for (int i = 0; i < sw->ncells; i++) {
        struct scenario s;
        if (sweep_cell_build(&c, i, &s, msg, sizeof msg)) {
            char label[512];
            sweep_cell_label(o, i, label, sizeof label);
            xerr(err, errlen, "%s: cell %d of %d (%s): %s", o->scenario, i + 1, sw->ncells, label,
                 msg);
            goto out;
        }
        /* o->jobs cells may be in memory at once, one replication each */
        if (mem_check(&s, o->jobs, NULL, msg, sizeof msg)) {
            char label[512];
            sweep_cell_label(o, i, label, sizeof label);
            xerr(err, errlen, "%s: cell %d of %d (%s): %s", o->scenario, i + 1, sw->ncells, label,
                 msg);
            scn_fini(&s);
            goto out;
        }
        if (i == 0) {
            sw->name = xstrdup(s.name);
            sw->base_reps = s.replications;
            sw->seed = o->seed >= 0 ? (uint64_t)o->seed : s.seed;
        }
        scn_fini(&s);
    }

    uint64_t text_h = text_hash(c.text, c.len);
    fingerprint(&c, text_h);
    manifest = manifest_json(&c, text_h);

    /* the directory and its journal */
    rc = SWEEP_FAILED;
    c.dir = xstrdup(o->out_dir);
    c.journal = file_join(c.dir, "journal");
    if (file_mkdirs(c.journal, err, errlen)) {
        rc = SWEEP_BAD_INPUT; /* a bad --out, found before anything runs */
        goto out;
    }
    if (lock_dir(c.journal, &lockfd, err, errlen)) {
        rc = SWEEP_BAD_INPUT;
        goto out;
    }
    if (o->resume) {
        if (journal_load(&c, manifest, err, errlen)) {
            rc = SWEEP_BAD_INPUT;
            goto out;
        }
    } else {
        if (journal_clear(c.journal, err, errlen))
            goto out;
        /* results of an earlier sweep would no longer match the journal */
        const char *old[] = {"sweep.csv", "sweep.json"};
        for (size_t i = 0; i < 2; i++) {
            char *p = file_join(c.dir, old[i]);
            unlink(p);
            free(p);
        }
    }
    {
        char *p = file_join(c.journal, "manifest.json");
        int w = sweep_json_save(p, manifest, err, errlen);
        free(p);
        if (w)
            goto out;
    }

    todo = xmalloc((size_t)sw->ncells * sizeof *todo);
    int ntodo = 0;
    for (int i = 0; i < sw->ncells; i++) {
        if (sw->cells[i].done)
            sw->loaded++;
        else
            todo[ntodo++] = i;
    }
    if (o->resume)
        fprintf(stderr, "provsim: sweep: resuming: %d of %d cells from the journal, %d to run\n",
                sw->loaded, sw->ncells, ntodo);

    if (run_cells(&c, todo, ntodo, err, errlen))
        goto out;
    if (sw->loaded + sw->ran < sw->ncells) {
        rc = SWEEP_INTERRUPTED;
        xerr(err, errlen, "interrupted: %d of %d cells saved in %s; rerun with --resume",
             sw->loaded + sw->ran, sw->ncells, c.journal);
        goto out;
    }
    if (sweep_write_csv(&c, err, errlen) || sweep_write_json(&c, err, errlen))
        goto out;
    rc = SWEEP_OK;
out:
    if (lockfd >= 0)
        close(lockfd);
    cJSON_Delete(manifest);
    free(todo);
    free(c.text);
    free(c.dir);
    free(c.journal);
    return rc;
}

void sweep_fini(struct sweep *sw)
{
    free(sw->cells);
    free(sw->name);
    memset(sw, 0, sizeof *sw);
}

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

/* ---- reading files ------------------------------------------------------ */

char *sweep_read_file(const char *path, size_t *len, char *err, size_t errlen)
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
    c.text = sweep_read_file(o->scenario, &c.len, err, errlen);
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

    manifest = sweep_journal_fingerprint(&c);

    /* the directory and its journal */
    rc = SWEEP_FAILED;
    c.dir = xstrdup(o->out_dir);
    c.journal = file_join(c.dir, "journal");
    if (file_mkdirs(c.journal, err, errlen)) {
        rc = SWEEP_BAD_INPUT; /* a bad --out, found before anything runs */
        goto out;
    }
    if (sweep_journal_lock(c.journal, &lockfd, err, errlen)) {
        rc = SWEEP_BAD_INPUT;
        goto out;
    }
    if (o->resume) {
        if (sweep_journal_load(&c, manifest, err, errlen)) {
            rc = SWEEP_BAD_INPUT;
            goto out;
        }
    } else {
        if (sweep_journal_clear(c.journal, err, errlen))
            goto out;
        /* results of an earlier sweep would no longer match the journal */
        const char *old[] = {"sweep.csv", "sweep.json"};
        for (size_t i = 0; i < 2; i++) {
            char *p = file_join(c.dir, old[i]);
            unlink(p);
            free(p);
        }
    }
    if (sweep_journal_save_manifest(&c, manifest, err, errlen))
        goto out;

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

    if (sweep_pool_run(&c, todo, ntodo, err, errlen))
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

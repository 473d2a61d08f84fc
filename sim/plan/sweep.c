/* sweep.c -- sweep_run, step by step (see sweep.h), and sweep_fini.
 *
 * The order is the contract: check the grid and every cell before any
 * file is touched (a bad input changes nothing on disk), then take DIR
 * and its journal, then run the missing cells, then write the results
 * only if every cell is done. The other steps live in the files that
 * sweep_internal.h lists. */
#include "plan/sweep_internal.h"

#include "base/digest.h"

#include "base/file.h"
#include "out/resultdir.h"
#include "run/memlimit.h"
#include "run/twins.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

/* ---- reading files ------------------------------------------------------ */

char *sweep_read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    char *text;
    int sys_errno;
    const char *shown = file_shown_name(path);
    switch (file_read(path, FILE_MAX_SCENARIO, &text, len, &sys_errno)) {
    case FILE_OK:
        return text;
    case FILE_CANNOT_OPEN:
        xerr(err, errlen, "%s: cannot read: %s", shown, strerror(sys_errno));
        return NULL;
    case FILE_TOO_LARGE:
        xerr(err, errlen, "%s: larger than 16 MiB", shown); /* FILE_MAX_SCENARIO */
        return NULL;
    case FILE_IS_DIRECTORY: /* fopen opens a directory; reading it fails */
    case FILE_READ_ERROR:
        break;
    }
    xerr(err, errlen, "%s: read error", shown);
    return NULL;
}

/* ---- the steps of sweep_run ---------------------------------------------- */

/* The axes: 1..SWEEP_MAX_AXES, no path twice, at most SWEEP_MAX_CELLS
 * cells; allocates sw->cells. Returns 0, or -1 with a message. */
static int check_grid(const struct sweep_opts *o, struct sweep *sw, char *err, size_t errlen)
{
    if (o->naxes < 1 || o->naxes > SWEEP_MAX_AXES)
        return xerr(err, errlen, "sweep: give 1 to %d --vary axes", SWEEP_MAX_AXES);
    long long ncells = 1;
    for (int a = 0; a < o->naxes; a++) {
        /* every path of every axis, linked ones included, once */
        for (int k = 0; k <= o->axes[a].nlinked; k++) {
            const char *p = sweep_axis_part(&o->axes[a], k)->path;
            for (int b = 0; b <= a; b++)
                for (int l = 0; l <= o->axes[b].nlinked && (b < a || l < k); l++)
                    if (!strcmp(p, sweep_axis_part(&o->axes[b], l)->path))
                        return xerr(err, errlen, "--vary %s is given twice", p);
        }
        ncells *= o->axes[a].nvalues;
        if (ncells > SWEEP_MAX_CELLS)
            return xerr(err, errlen, "sweep: more than %d cells in the grid", SWEEP_MAX_CELLS);
    }
    sw->ncells = (int)ncells;
    sw->cells = xcalloc((size_t)ncells, sizeof *sw->cells);
    return 0;
}

/* The base and --set first, so a bad --set is reported once (not once per
 * cell). Returns 0, or -1 with a message. */
static int check_base(const struct sweep_ctx *c, char *err, size_t errlen)
{
    const struct sweep_opts *o = c->o;
    char msg[SCN_ERRLEN];
    scn_doc *d = scn_doc_parse(c->text, c->len, msg, sizeof msg);
    if (!d)
        return xerr(err, errlen, "%s: %s", o->scenario, msg);
    for (int i = 0; i < o->nsets; i++)
        if (scn_doc_set(d, o->sets[i], msg, sizeof msg)) {
            scn_doc_free(d);
            return xerr(err, errlen, "%s", msg);
        }
    scn_doc_free(d);
    return 0;
}

/* "FILE: cell I of N (PATH=VALUE, ...): MSG" */
static int cell_error(const struct sweep_ctx *c, int cell, const char *msg, char *err,
                      size_t errlen)
{
    char label[512];
    sweep_cell_label(c->o, cell, label, sizeof label);
    return xerr(err, errlen, "%s: cell %d of %d (%s): %s", c->o->scenario, cell + 1, c->sw->ncells,
                label, msg);
}

/* Every cell, before anything runs or any file is touched: it must build
 * and fit in memory. Records the first cell's name, replications and
 * seed. Returns 0, or -1 with a message naming the cell. */
static int check_cells(const struct sweep_ctx *c, char *err, size_t errlen)
{
    const struct sweep_opts *o = c->o;
    struct sweep *sw = c->sw;
    char msg[SCN_ERRLEN];
    for (int i = 0; i < sw->ncells; i++) {
        struct scenario s;
        if (sweep_cell_build(c, i, &s, msg, sizeof msg))
            return cell_error(c, i, msg, err, errlen);
        /* o->jobs cells may be in memory at once, one replication each */
        if (mem_guard(&s, o->jobs, NULL, msg, sizeof msg)) {
            scn_fini(&s);
            return cell_error(c, i, msg, err, errlen);
        }
        if (i == 0) {
            /* the --set changed the base: the name alone would describe
             * the unmodified file */
            size_t n = strlen(s.name) + 32;
            for (int k = 0; k < o->nsets; k++)
                n += strlen(o->sets[k]) + 2;
            sw->name = xmalloc(n);
            size_t u = (size_t)snprintf(sw->name, n, "%s", s.name);
            for (int k = 0; k < o->nsets; k++)
                u += (size_t)snprintf(sw->name + u, n - u, "%s%s", k ? ", " : " (with --set ",
                                      o->sets[k]);
            if (o->nsets)
                snprintf(sw->name + u, n - u, ")");
            sw->base_reps = s.replications;
            sw->seed = o->seed >= 0 ? (uint64_t)o->seed : s.seed;
        }
        scn_fini(&s);
    }
    return 0;
}

/* DIR and its journal: created, locked (*lockfd, caller closes), then
 * loaded (--resume) or emptied, and the manifest saved. Returns SWEEP_OK,
 * SWEEP_BAD_INPUT (a bad --out, a held lock or a refused --resume, found
 * before anything runs) or SWEEP_FAILED, with a message. */
static int prepare_dir(struct sweep_ctx *c, const cJSON *manifest, int *lockfd, char *err,
                       size_t errlen)
{
    c->dir = xstrdup(c->o->out_dir);
    c->journal = file_join(c->dir, RESDIR_JOURNAL);
    /* before anything is created: a refusal leaves DIR as it was. An
     * earlier sweep's journal may be hours of work; it is never deleted
     * unless asked. */
    if (c->o->resume && c->o->fresh)
        return xerr(err, errlen, "--resume and --fresh: give one of them"), SWEEP_BAD_INPUT;
    if (!c->o->resume && !c->o->fresh && sweep_journal_exists(c->journal))
        return xerr(err, errlen,
                    "%s holds the journal of an earlier sweep; rerun with --resume to "
                    "continue it, or with --fresh to discard it and start over",
                    c->journal),
               SWEEP_BAD_INPUT;
    if (file_mkdirs(c->journal, err, errlen))
        return SWEEP_BAD_INPUT;
    if (sweep_journal_lock(c->journal, lockfd, err, errlen))
        return SWEEP_BAD_INPUT;
    if (c->o->resume) {
        if (sweep_journal_load(c, manifest, err, errlen))
            return SWEEP_BAD_INPUT;
    } else {
        if (sweep_journal_clear(c->journal, err, errlen))
            return SWEEP_FAILED;
        /* results of an earlier sweep would no longer match the journal */
        const char *old[] = {RESDIR_SWEEP_CSV, RESDIR_SWEEP_JSON};
        for (size_t i = 0; i < 2; i++) {
            char *p = file_join(c->dir, old[i]);
            unlink(p);
            free(p);
        }
    }
    if (sweep_journal_save_manifest(c, manifest, err, errlen))
        return SWEEP_FAILED;
    return SWEEP_OK;
}

/* The cells still to run, in grid order, into todo (ncells entries);
 * counts the loaded ones. Returns how many are to run. */
static int list_todo(const struct sweep_ctx *c, int *todo)
{
    struct sweep *sw = c->sw;
    int ntodo = 0;
    for (int i = 0; i < sw->ncells; i++) {
        if (sw->cells[i].done)
            sw->loaded++;
        else
            todo[ntodo++] = i;
    }
    if (c->o->resume)
        fprintf(stderr, "provsim: sweep: resuming: %d of %d cells from the journal, %d to run\n",
                sw->loaded, sw->ncells, ntodo);
    return ntodo;
}

/* Runs the missing cells and, if every cell is then done, writes the
 * results. Returns SWEEP_OK, SWEEP_INTERRUPTED or SWEEP_FAILED, with a
 * message. */
static int run_and_write(struct sweep_ctx *c, char *err, size_t errlen)
{
    struct sweep *sw = c->sw;
    int *todo = xmalloc((size_t)sw->ncells * sizeof *todo);
    int ntodo = list_todo(c, todo);
    int rc = sweep_pool_run(c, todo, ntodo, err, errlen);
    free(todo);
    if (rc)
        return SWEEP_FAILED;
    if (sw->loaded + sw->ran < sw->ncells) {
        xerr(err, errlen, "interrupted: %d of %d cells saved in %s; rerun with --resume",
             sw->loaded + sw->ran, sw->ncells, c->journal);
        return SWEEP_INTERRUPTED;
    }
    if (sweep_write_csv(c, err, errlen) || sweep_write_json(c, err, errlen))
        return SWEEP_FAILED;
    return SWEEP_OK;
}

/* ---- the sweep ----------------------------------------------------------- */

static int in_rollouts(const char *path)
{
    static const char pre[] = "workload.rollouts";
    size_t n = sizeof pre - 1;
    return strncmp(path, pre, n) == 0 && (path[n] == '\0' || path[n] == '[' || path[n] == '.');
}

/* When every axis lies inside workload.rollouts, the cells differ only in
 * their rollouts, so with a fixed horizon they share each rollout-free
 * replication of the harm metrics (run/twins.h): run once per replication
 * instead of once per cell and replication. NULL otherwise. */
static struct run_twins *make_twins(const struct sweep_ctx *c)
{
    const struct sweep_opts *o = c->o;
    for (int a = 0; a < o->naxes; a++)
        for (int k = 0; k <= o->axes[a].nlinked; k++)
            if (!in_rollouts(sweep_axis_part(&o->axes[a], k)->path))
                return NULL;
    struct scenario s;
    struct run_opts ro;
    char err[SCN_ERRLEN];
    if (sweep_cell_build(c, 0, &s, err, sizeof err) != 0)
        return NULL; /* check_cells has reported it */
    sweep_cell_run_opts(o, &s, &ro);
    struct run_twins *t = run_twins_apply(&s) ? run_twins_create(&s, ro.seed, ro.reps) : NULL;
    scn_fini(&s);
    return t;
}

int sweep_run(const struct sweep_opts *o, struct sweep *sw, char *err, size_t errlen)
{
    memset(sw, 0, sizeof *sw);
    if (check_grid(o, sw, err, errlen))
        return SWEEP_BAD_INPUT;
    struct sweep_ctx c = {.o = o, .sw = sw};
    c.text = sweep_read_file(o->scenario, &c.len, err, errlen);
    if (!c.text)
        return SWEEP_BAD_INPUT;
    digest_sha256_hex(c.text, c.len, sw->sha256);
    int rc = SWEEP_BAD_INPUT, lockfd = -1;
    cJSON *manifest = NULL;
    if (check_base(&c, err, errlen) || check_cells(&c, err, errlen))
        goto out;
    manifest = sweep_journal_fingerprint(&c);
    c.twins = make_twins(&c);
    rc = prepare_dir(&c, manifest, &lockfd, err, errlen);
    if (rc == SWEEP_OK)
        rc = run_and_write(&c, err, errlen);
out:
    if (lockfd >= 0)
        close(lockfd);
    cJSON_Delete(manifest);
    run_twins_free(c.twins);
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

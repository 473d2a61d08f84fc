/* sweep_internal.h -- what the sweep's own files share; not for callers
 * of the sweep (they include plan/sweep.h).
 *
 * The sweep is one module in several files, one per part:
 *   sweep.c          sweep_run: checks, prepares DIR, runs, writes (in that order)
 *   sweep_values.c   the VALUES grammar of --vary
 *   sweep_cell.c     the grid: a cell's values, its scenario, its label
 *   sweep_journal.c  DIR/journal/: cell files, manifest, fingerprint, lock, --resume
 *   sweep_pool.c     the worker threads, SIGINT/SIGTERM, the progress bar
 *   sweep_write.c    DIR/sweep.csv, DIR/sweep.json, the best-cells summary
 *
 * Threads: the main thread validates every cell, prepares the journal,
 * starts the workers and then only waits (drawing the progress bar). A
 * worker takes the next cell index under the mutex, builds the cell's own
 * scenario, runs it with no lock held, writes the cell's journal file and
 * then marks the cell done under the mutex. Cells share nothing but the
 * read-only base text and options, so results cannot depend on --jobs. */
#ifndef PROVSIM_SWEEP_INTERNAL_H
#define PROVSIM_SWEEP_INTERNAL_H

#include "plan/sweep.h"

#include "run/runner.h"
#include "scenario/scenario.h"

#include <stddef.h>

#include <cjson/cJSON.h>

/* --vary axes at most; arrays of axis indices have this many entries. */
#define SWEEP_MAX_AXES 64

/* What every thread reads: set up before the workers start, then constant
 * (but for sw->cells[i], which the worker that ran cell i writes under
 * the pool's mutex). */
struct sweep_ctx {
    const struct sweep_opts *o; /* borrowed */
    struct sweep *sw;           /* borrowed */
    char *text;                 /* owned: the base scenario file */
    size_t len;                 /* bytes */
    char *dir, *journal;        /* owned: DIR and DIR/journal */
    struct run_twins *twins;    /* owned, may be NULL: the cells' shared
                                 * rollout-free replications (sweep.c) */
};

/* ---- cells (sweep_cell.c) ---- */

/* "PATH=VALUE, PATH=VALUE" of a cell, for messages and the summary. */
void sweep_cell_label(const struct sweep_opts *o, int cell, char *buf, size_t len);
/* Builds cell i's scenario from the base text, the --set overrides and
 * the cell's values (caller owns *s: scn_fini). Returns 0, or -1 with a
 * message (without the cell's name). Thread-safe. */
int sweep_cell_build(const struct sweep_ctx *c, int cell, struct scenario *s, char *err,
                     size_t errlen);
/* The run options of a cell: the sweep's --reps, --seed, --precision,
 * else its scenario's. */
void sweep_cell_run_opts(const struct sweep_opts *o, const struct scenario *s, struct run_opts *ro);
/* A value string as JSON: what scn_doc_set would make of it (caller owns).
 * Thread-safe. */
cJSON *sweep_value_json(const char *v);
/* {"PATH": value, ...} of cell i (caller owns). Thread-safe. */
cJSON *sweep_cell_values_json(const struct sweep_opts *o, int cell);

/* ---- the journal (sweep_journal.c) ---- */

/* Sets c->sw->fingerprint from the options and the base text, and returns
 * the manifest naming what it covers (caller owns: cJSON_Delete). */
cJSON *sweep_journal_fingerprint(const struct sweep_ctx *c);
/* Takes the lock on the journal directory for as long as *fd stays open
 * (caller owns *fd: close). Returns 0, or -1 with a message if it cannot be
 * created or another sweep holds it. */
int sweep_journal_lock(const char *journal, int *fd, char *err, size_t errlen);
/* --resume: checks the manifest and every cell file, loads matching cells
 * into c->sw->cells. Returns 0, or -1 (refused: err says why). */
int sweep_journal_load(struct sweep_ctx *c, const cJSON *manifest, char *err, size_t errlen);
/* 1 if the journal directory holds a manifest or a cell file (the journal
 * of an earlier sweep), else 0. */
int sweep_journal_exists(const char *journal);
/* Removes the journal's cells, leftovers of interrupted writes and the
 * manifest. Returns 0, or -1 with a message. */
int sweep_journal_clear(const char *journal, char *err, size_t errlen);
/* Saves the manifest into the journal. Returns 0, or -1 with a message. */
int sweep_journal_save_manifest(const struct sweep_ctx *c, const cJSON *manifest, char *err,
                                size_t errlen);
/* Saves cell i's results into the journal. Returns 0, or -1 with a
 * message. Thread-safe (each cell has its own file). */
int sweep_journal_write(const struct sweep_ctx *c, int cell, const struct sweep_cell *sc, char *err,
                        size_t errlen);

/* ---- the workers (sweep_pool.c) ---- */

/* Runs the ntodo cells todo[] on c->o->jobs threads (each saved to the
 * journal and stored in c->sw->cells as it finishes; c->sw->ran counts
 * them) until all are done or a stop or failure. Returns 0 (done or
 * stopped: compare c->sw->ran with ntodo), or -1 with the first
 * failure's message. */
int sweep_pool_run(struct sweep_ctx *c, int *todo, int ntodo, char *err, size_t errlen);

/* ---- files (sweep.c) ---- */

/* The whole of a file the sweep reads (the base scenario, the journal's
 * files), at most FILE_MAX_SCENARIO (16 MiB) bytes, with a NUL after it
 * (caller owns, free()), or NULL with a message naming the path. */
char *sweep_read_file(const char *path, size_t *len, char *err, size_t errlen);

/* ---- results (sweep_write.c) ---- */

/* Saves root as indented JSON and a newline at path, atomically (the file
 * is complete or absent). Returns 0, or -1 with a message. Thread-safe. */
int sweep_json_save(const char *path, const cJSON *root, char *err, size_t errlen);
/* DIR/sweep.csv and DIR/sweep.json from the done cells, in grid order.
 * Return 0, or -1 with a message. */
int sweep_write_csv(const struct sweep_ctx *c, char *err, size_t errlen);
int sweep_write_json(const struct sweep_ctx *c, char *err, size_t errlen);

#endif

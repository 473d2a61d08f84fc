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
 *   sweep_task.c     units, their cost and their deal to tasks (sweep.h "Tasks")
 *   sweep_tjournal.c a task's journal DIR/journal/task-K-of-N.jsonl
 *   sweep_merge.c    sweep_merge: the task journals into sweep.csv/json
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
    int *cell_reps;             /* owned: each cell's replications (the cap
                                 * with precision), from check_cells */
    uint64_t *cell_cost;        /* owned: each cell's sweep_cell_cost */
    /* a task only (o->ntasks > 0), else NULL: */
    struct sweep_plan *plan;    /* owned: the units and their tasks */
    struct sweep_tjournal *tj;  /* owned: this task's journal */
    struct run_twins *twins;    /* owned, may be NULL: the cells' shared
                                 * rollout-free replications (sweep.c) */
};

/* Steps shared by sweep_run and sweep_merge (sweep.c): checks the grid,
 * reads the base text, checks the base and every cell (filling sw->name,
 * base_reps, seed, sha256, c->cell_reps and c->cell_cost) and sets the
 * fingerprint. Returns 0 and the manifest (caller owns), or NULL with a
 * message (a bad input). */
cJSON *sweep_setup(struct sweep_ctx *c, char *err, size_t errlen);
void sweep_ctx_fini(struct sweep_ctx *c);

/* ---- cells (sweep_cell.c) ---- */

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

/* Why manifest old is not now's, in words ("--seed, the --vary axes");
 * now as sweep_journal_fingerprint returned it. */
void sweep_journal_manifest_diff(const cJSON *old, const cJSON *now, char *buf, size_t len);
/* Spells a double as the journal does (a number, exact; or "nan", "inf",
 * "-inf"), and reads it back. */
cJSON *sweep_journal_num(double v);
int sweep_journal_num_get(const cJSON *it, double *v);

/* ---- tasks (sweep_task.c) ---- */

struct sweep_unit {
    int cell;      /* grid index */
    int first;     /* its first replication */
    int reps;      /* replications (the cap with precision) */
    uint64_t cost; /* reps x the cell's cost per replication */
    int task;      /* the task that runs it */
};

struct sweep_plan {
    int ntasks;
    int nunits;
    struct sweep_unit *units; /* owned; in (cell, first) order */
    int *order;               /* owned: unit indices, largest cost first */
};

/* Expected requests of one replication of s: each rollout user's recipe,
 * the background jobs' and other clients' expected arrivals (twice with
 * the rollout-free replication of the harm metrics). Retries are left
 * out: they depend on the run. At least 1. */
uint64_t sweep_cell_cost(const struct scenario *s);
/* The units of the sweep in c (cells, c->cell_reps, c->cell_cost) for
 * ntasks tasks, and their deal (see sweep.h). */
void sweep_plan_build(const struct sweep_ctx *c, int ntasks, struct sweep_plan *p);
void sweep_plan_fini(struct sweep_plan *p);
/* The unit of (cell, first), or -1. */
int sweep_plan_find(const struct sweep_plan *p, int cell, int first);
/* "cell 3 (replications 0-9)" for messages. */
void sweep_unit_label(const struct sweep_unit *u, char *buf, size_t len);

/* ---- a task's journal (sweep_tjournal.c) ---- */

/* One finished unit, as its journal line holds it. */
struct sweep_task_rec {
    int unit, cell, first, reps;
    int precision_reached;
    double *rows; /* owned: reps x METRIC_COUNT, row i = replication first + i */
};
void sweep_task_rec_fini(struct sweep_task_rec *r);

/* Parses one journal line (len bytes, no newline) of a unit. Returns 0,
 * or -1 with a message (without the file's name). Does not check it
 * against a plan or a fingerprint. */
int sweep_task_rec_parse(const char *line, size_t len, struct sweep_task_rec *r,
                         char *fingerprint, size_t fplen, cJSON **values, char *msg,
                         size_t msglen);

/* Calls fn for each line of the task journal at path: line 1 (the
 * manifest, parsed) with rec == NULL, then each unit line. Stops at a
 * torn last line (no newline: an interrupted append) or a line that does
 * not parse, setting *good_end to the byte just after the last good line
 * and *bad (if not NULL) to 1 when a line did not parse. fn returns 0 to
 * go on, else stops the read with that value. Returns 0, fn's value, or
 * -1 with a message if the file cannot be read or line 1 is not a
 * manifest. */
typedef int (*sweep_task_line_fn)(void *arg, const cJSON *manifest, const struct sweep_task_rec *rec,
                                  const char *fingerprint, const cJSON *values, char *err,
                                  size_t errlen);
int sweep_tjournal_read(const char *path, sweep_task_line_fn fn, void *arg, long *good_end,
                        int *bad, char *err, size_t errlen);

/* Line 1 of the task journal at path (caller owns), or NULL: with a
 * message if it cannot be read or line 1 is not a manifest, with err ""
 * if it has no complete line yet. */
cJSON *sweep_tjournal_manifest(const char *path, char *err, size_t errlen);

/* Task mode of sweep_run: checks the other task journals in DIR, opens,
 * locks and resumes this task's, runs its missing units and appends each.
 * Returns a SWEEP_* code with a message. */
int sweep_task_run(struct sweep_ctx *c, const cJSON *manifest, char *err, size_t errlen);
/* Appends a finished unit (its rows: res->values) to the task journal.
 * Returns 0, or -1 with a message. Thread-safe. */
int sweep_tjournal_append(const struct sweep_ctx *c, int unit, const struct run_result *res,
                          char *err, size_t errlen);
void sweep_tjournal_close(struct sweep_tjournal *tj);

/* ---- the workers (sweep_pool.c) ---- */

/* Runs the ntodo cells todo[] on c->o->jobs threads (each saved to the
 * journal and stored in c->sw->cells as it finishes; c->sw->ran counts
 * them) until all are done or a stop or failure. A task (c->plan set):
 * todo[] are units, each appended to the task journal (sw->cells stays
 * as it is). Returns 0 (done or
 * stopped: compare c->sw->ran with ntodo), or -1 with the first
 * failure's message. */
int sweep_pool_run(struct sweep_ctx *c, int *todo, int ntodo, char *err, size_t errlen);

/* ---- files (sweep.c) ---- */

/* sweep_read_file (sweep.h) reads the base scenario and the journal's
 * files too. */

/* ---- results (sweep_write.c) ---- */

/* Saves root as indented JSON and a newline at path, atomically (the file
 * is complete or absent). Returns 0, or -1 with a message. Thread-safe. */
int sweep_json_save(const char *path, const cJSON *root, char *err, size_t errlen);
/* DIR/sweep.csv and DIR/sweep.json from the done cells, in grid order.
 * Return 0, or -1 with a message. */
int sweep_write_csv(const struct sweep_ctx *c, char *err, size_t errlen);
int sweep_write_json(const struct sweep_ctx *c, char *err, size_t errlen);

#endif

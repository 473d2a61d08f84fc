/* sweep.h -- a grid of scenario variants (provsim sweep).
 *
 * A sweep is a base scenario, --set overrides and one or more axes
 * (--vary PATH=VALUES). Each cell of the grid is the base document with
 * the overrides and then the cell's value of every axis applied through
 * scn_doc_set. The first axis varies slowest; cell i's index on each axis
 * is i written in the mixed radix of the axis sizes.
 *
 * Invariants:
 * - Every cell runs with the same seed (the base's, or --seed), and
 *   replication r is seeded from (seed, r) only, so replication r of every
 *   cell draws the same random streams (common random numbers), and a
 *   cell's results do not depend on the thread that ran it or on --jobs.
 * - A finished cell is saved at once to DIR/journal/cell-NNNNN.json
 *   (atomically, through outfile) with the sweep's fingerprint; --resume
 *   trusts only cells whose fingerprint matches and runs the others.
 * - DIR/sweep.csv and DIR/sweep.json are written only when every cell is
 *   done, in grid order, from the values alone: the same sweep gives the
 *   same bytes whatever --jobs is and however often it was resumed. */
#ifndef PROVSIM_SWEEP_H
#define PROVSIM_SWEEP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "models/metrics.h"
#include "engine/stats.h"

#define SWEEP_MAX_VALUES 10000  /* values on one axis */
#define SWEEP_MAX_CELLS 100000  /* cells in the grid */
#define SWEEP_MAX_JOBS 1024

/* One --vary. An axis may carry linked paths ("P1=V1+P2=V2"): paths whose
 * values vary together with its own, value k of each in the same cell, so
 * they add no cells. Every linked path has the axis's nvalues values. */
struct sweep_axis {
    char *path;    /* owned: the key path, as given */
    char *spec;    /* owned: the VALUES text, as given */
    char **values; /* owned: nvalues strings, each applied as "PATH=VALUE" */
    int nvalues;
    struct sweep_axis *linked; /* owned: nlinked paths linked to this one
                                * (each with nlinked = 0), or NULL */
    int nlinked;
};

/* Does every path of the axes (linked ones too) lie inside
 * workload.rollouts? Then the cells differ only in their rollouts and
 * may share their rollout-free replications (run/twins.h). */
int sweep_axes_in_rollouts(const struct sweep_axis *axes, int naxes);

/* The paths of an axis, its own first then the linked ones: path k
 * (0 <= k < 1 + nlinked) as an axis of its own (borrowed from ax). */
const struct sweep_axis *sweep_axis_part(const struct sweep_axis *ax, int k);

/* Expands VALUES: a list "100,250,500" (each element kept as written), a
 * numeric range "100..1000/100" (inclusive; decimals allowed, computed in
 * exact integer steps: "0.1..0.3/0.1" is 0.1, 0.2, 0.3), a clock range
 * "00:00..23:00/1h" (values "HH:MM"; the step a whole number of minutes)
 * or a duration range "5m..60m/5m" (values like "5m", "90s", "1h"). A
 * range's step must be > 0 and LO <= HI. Returns 0 and *values (caller
 * owns: n strings and the array, free each), or -1 with a message. */
int sweep_values_parse(const char *spec, char ***values, int *n, char *err, size_t errlen);

/* Parses "PATH=VALUES", or linked paths "PATH=VALUES+PATH=VALUES..." (a
 * '+' followed by a key path and '=' starts the next path; each VALUES
 * expands to the same number of values), into *ax (caller owns:
 * sweep_axis_fini). Returns 0 or -1 with a message quoting the argument. */
int sweep_axis_parse(const char *arg, struct sweep_axis *ax, char *err, size_t errlen);
void sweep_axis_fini(struct sweep_axis *ax);

struct sweep_opts {
    const char *scenario;      /* borrowed: the base scenario file */
    const char *const *sets;   /* borrowed: nsets "PATH=VALUE" overrides */
    int nsets;
    const struct sweep_axis *axes; /* borrowed: naxes >= 1 axes */
    int naxes;
    int reps;                  /* replications per cell (the cap with
                                * precision); 0 = each cell's scenario's */
    int64_t seed;              /* -1 = the scenario's */
    double precision;          /* 0 = off; see run_opts.precision */
    int jobs;                  /* threads, 1..SWEEP_MAX_JOBS */
    const char *out_dir;       /* borrowed: DIR */
    int resume;                /* keep the journal's matching cells */
    int fresh;                 /* discard an existing journal; without
                                * resume or fresh an existing journal is
                                * refused (SWEEP_BAD_INPUT) */
    int progress;              /* draw a progress bar on stderr */
    volatile sig_atomic_t *stop; /* borrowed, may be NULL: when it becomes
                                * non-zero no new cell starts. Read only by
                                * the calling thread (workers run with
                                * SIGINT and SIGTERM blocked, so a handler
                                * setting it runs on the calling thread) */
    int stop_after;            /* test hook: start no more than this many
                                * cells (units) in this call, then act as
                                * if stopped; 0 = off */
    int ntasks;                /* > 0: run only task `task` of ntasks (see
                                * "Tasks" below); 0 = the whole sweep */
    int task;                  /* 0 <= task < ntasks */
};

struct sweep_cell {
    int done;                  /* run in this call or loaded from the journal */
    int reps;                  /* replications it took */
    int precision_reached;
    struct stats_summary sum[METRIC_COUNT];
};

struct sweep {
    int ncells;
    struct sweep_cell *cells;  /* owned; grid order */
    char *name;                /* owned: the first cell's scenario name */
    int base_reps;             /* the base scenario's replications */
    uint64_t seed;             /* the seed every cell ran with (unless a
                                * cell's values change the seed) */
    int loaded;                /* cells (a task: units) taken from the journal */
    int ran;                   /* cells (a task: units) run in this call */
    int task_units;            /* a task: the units assigned to it */
    int nunits;                /* a task or a merge: units of the whole sweep */
    char fingerprint[17];      /* hex */
    char sha256[65];           /* hex SHA-256 of the base scenario file's bytes */
};

/* Exit codes of sweep_run (also the command's). */
enum { SWEEP_OK = 0, SWEEP_FAILED = 1, SWEEP_BAD_INPUT = 2, SWEEP_INTERRUPTED = 130 };

/* Validates every cell (nothing is touched on disk if one is invalid),
 * prepares DIR and its journal, runs the missing cells on o->jobs threads
 * and writes DIR/sweep.csv and DIR/sweep.json. Returns SWEEP_OK; or
 * SWEEP_BAD_INPUT or SWEEP_FAILED with a message; or SWEEP_INTERRUPTED
 * (the journal holds every finished cell). Caller owns *sw in every case
 * (sweep_fini). */
int sweep_run(const struct sweep_opts *o, struct sweep *sw, char *err, size_t errlen);
void sweep_fini(struct sweep *sw);

/* The checks of sweep_run before it touches DIR (the grid, the base, every
 * cell): SWEEP_OK, or SWEEP_BAD_INPUT with a message. */
int sweep_check(const struct sweep_opts *o, char *err, size_t errlen);

/* ---- Tasks: one sweep split over processes or machines ----------------
 *
 * The work is a list of units, each a cell and a block of its
 * replications (replication r of a cell depends on (seed, r) alone, so a
 * block runs anywhere). With N tasks each cell is cut into
 * ceil(4N / cells) blocks (at most one per replication; a whole cell with
 * --precision, whose stopping rule is sequential), so there are at least
 * about 4N units. A unit's cost is its replications times the cell's
 * expected requests per replication (sweep_cell_cost); units are dealt
 * largest first to the task with the least cost so far (ties: the lower
 * unit, the lower task), a deterministic function of the sweep and N.
 *
 * Task k (o->ntasks = N, o->task = k) runs its units and appends each to
 * its own journal DIR/journal/task-KKKK-of-NNNN.jsonl (the only file it
 * writes; DIR may be on a shared filesystem): line 1 the manifest (the
 * --resume fingerprint and its parts, k, N), then one line per finished
 * unit with every replication's metric values, exactly. A rerun of the
 * same task resumes its own journal; a task whose fingerprint or N is not
 * that of the journals already in DIR is refused (SWEEP_BAD_INPUT).
 *
 * sweep_merge reads every task journal of DIR, checks that each unit is
 * there exactly once and that all share one fingerprint, summarises each
 * cell from its replications in order r -- what run_scenario does -- and
 * writes sweep.csv and sweep.json with the writer of sweep_run: the same
 * bytes as the single process. */

/* The sweep a merge found in DIR: options rebuilt from the task
 * journals' manifest (everything owned here). */
struct sweep_merged {
    struct sweep_opts o;   /* o.scenario, o.sets, o.axes point below */
    char *scenario;
    char **sets;
    struct sweep_axis *axes;
    char *dir;
    int ntasks;
};

/* Merges the task journals of dir into dir/sweep.csv and dir/sweep.json.
 * Returns SWEEP_OK (*m and *sw describe the sweep, all cells done), or
 * SWEEP_BAD_INPUT (missing or duplicated tasks and units, different
 * fingerprints, unreadable journals: err names them; nothing written) or
 * SWEEP_FAILED. Caller owns *m (sweep_merged_fini) and *sw (sweep_fini)
 * in every case. */
int sweep_merge(const char *dir, struct sweep_merged *m, struct sweep *sw, char *err,
                size_t errlen);
void sweep_merged_fini(struct sweep_merged *m);

/* The axis indices of cell i (idx has naxes entries). */
void sweep_cell_index(const struct sweep_axis *axes, int naxes, int cell, int *idx);

/* ---- the grid for other commands (provsim plan chooses among cells) ---- */

/* Checks the axes as sweep_run does (1..64 axes, no path twice, at most
 * SWEEP_MAX_CELLS cells) and sets *ncells. Returns 0, or -1 with a message. */
int sweep_grid_check(const struct sweep_axis *axes, int naxes, int *ncells, char *err,
                     size_t errlen);
/* Cell i's scenario from the base text (len bytes), o's --sets and the
 * cell's values, exactly as sweep_run builds it (caller owns *s:
 * scn_fini). Only o->axes, o->naxes, o->sets and o->nsets are read.
 * Returns 0, or -1 with a message (without the cell's name). Thread-safe. */
struct scenario;
int sweep_cell_scenario(const struct sweep_opts *o, const char *text, size_t len, int cell,
                        struct scenario *s, char *err, size_t errlen);
/* {"PATH": value, ...} of cell i, each value as scn_doc_set reads it
 * (caller owns). Thread-safe. */
struct cJSON;
struct cJSON *sweep_cell_values_json(const struct sweep_opts *o, int cell);
/* "PATH=VALUE, PATH=VALUE" of a cell, for messages and summaries. */
void sweep_cell_label(const struct sweep_opts *o, int cell, char *buf, size_t len);
/* The whole of a scenario file (at most 16 MiB, "-" standard input as
 * file_read reads it), with a NUL after it (caller owns, free()), or
 * NULL with a message naming the path. */
char *sweep_read_file(const char *path, size_t *len, char *err, size_t errlen);

/* Prints the best cells for the usual goals: lowest mean clear_time_s,
 * other_clients_throttled and background_latency_p95_s, each with its
 * values, the 95% CI, and how many other cells' means fall inside that
 * CI (ties within noise). All cells must be done. */
void sweep_print_best(FILE *f, const struct sweep_opts *o, const struct sweep *sw);

#endif

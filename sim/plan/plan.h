/* plan.h -- provsim plan: the best candidate plan (a cell of a grid of
 * --choose values) for an objective under constraints on metric means,
 * chosen by the ranking-and-selection procedure of plan/rs.h with common
 * random numbers.
 *
 * Invariants:
 * - Candidate i is cell i of the grid the --choose axes make, built and
 *   validated exactly as a sweep's cell (sweep_cell_scenario) before
 *   anything runs; a bad one is refused (PLAN_BAD_INPUT) with nothing
 *   written.
 * - Replication j of every candidate is replication j of the runner with
 *   the one seed (common random numbers); the stages run in a fixed order
 *   and the procedure sees the values only, so the result, and every byte
 *   written, is the same for any --jobs.
 * - DIR/plan.json and DIR/plan.csv are written (atomically) only when the
 *   procedure is done. */
#ifndef PROVSIM_PLAN_H
#define PROVSIM_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "models/metrics.h"
#include "plan/rs.h"
#include "plan/sweep.h"

#define PLAN_DEFAULT_N0 10
#define PLAN_DEFAULT_MAX_REPS 1000
#define PLAN_DEFAULT_ALPHA 0.05
#define PLAN_DEFAULT_DELTA_FRACTION 0.01 /* of the best first-stage mean */
#define PLAN_DEFAULT_TOL_FRACTION 0.05   /* of a constraint's bound */
#define PLAN_DEFAULT_DONE_BY_TOL_S 300.0

/* One --subject-to 'METRIC<=VALUE[+-TOL]' (or >=), or --done-by. */
struct plan_constraint {
    int metric;       /* enum metric */
    int ge;           /* 1 for >=: the procedure sees -metric <= -value */
    double value;     /* the bound, the metric's unit (seconds, count, ratio) */
    double tol;       /* tolerance (the metric's unit), > 0 */
    int tol_given;
    int done_by;      /* --done-by: metric is clear_time_s and the bound
                       * is per candidate: the clock below, on the first
                       * rollout's day or the next occurrence after it */
    double done_by_sod; /* seconds after midnight */
    char text[160];   /* as given, for messages and outputs */
};

/* Parses 'METRIC<=VALUE', 'METRIC>=VALUE', each optionally followed by
 * '+-TOL'. VALUE and TOL are durations for a metric in seconds ("4h",
 * "90m", 3600), numbers for counts, numbers or percentages for ratios.
 * Returns 0, or -1 with a message quoting the argument. */
int plan_constraint_parse(const char *arg, struct plan_constraint *c, char *err, size_t errlen);
/* Parses --done-by 'HH:MM[+-TOL]' into a done-by constraint. */
int plan_done_by_parse(const char *arg, struct plan_constraint *c, char *err, size_t errlen);
/* Rewrites "--vary" as "--choose" in a message of the sweep's grid
 * parser (in place; msg has room for len bytes). */
void plan_say_choose(char *msg, size_t len);
/* A metric's index by name, or -1. */
int plan_metric_index(const char *name);

struct plan_opts {
    const char *scenario;      /* borrowed */
    const char *const *sets;   /* borrowed: nsets "PATH=VALUE" */
    int nsets;
    const struct sweep_axis *axes; /* borrowed: the --choose axes */
    int naxes;
    int objective;             /* enum metric, minimised */
    const struct plan_constraint *cons; /* borrowed: ncons */
    int ncons;
    double delta;              /* 0 = PLAN_DEFAULT_DELTA_FRACTION of the
                                * lowest first-stage mean (|mean|) */
    double alpha;
    int n0, max_reps;
    int64_t seed;              /* -1 = the scenario's */
    int jobs;
    const char *out_dir;       /* borrowed */
};

struct plan_cand {
    struct scenario *s;        /* owned (scn_fini + free) */
    double *values;            /* owned: cap x METRIC_COUNT, row j = replication j */
    int n, cap;                /* replications run; rows allocated */
    int censored;              /* replications whose rollout did not clear */
    double first_at_epoch_s;   /* first rollout job's creation, epoch s */
    double q[RS_MAX_CONSTRAINTS]; /* its bounds, oriented (rs_params.q) */
};

struct plan {
    int k;
    struct plan_cand *c;       /* owned: k */
    struct rs rs;              /* owned */
    double delta;              /* used (given or default) */
    int delta_default;
    double eps[RS_MAX_CONSTRAINTS];
    uint64_t seed;
    long full_total;           /* rs_full_design_total */
    int full_per_candidate;
    char *name;                /* owned: the base scenario's name */
    char sha256[65];
    struct run_twins *twins;   /* owned, may be NULL: the candidates' shared
                                * rollout-free replications (run/twins.h) */
};

enum { PLAN_OK = 0, PLAN_FAILED = 1, PLAN_BAD_INPUT = 2 };

/* Validates every candidate, runs the procedure, writes DIR/plan.json and
 * DIR/plan.csv. Returns PLAN_OK, or PLAN_BAD_INPUT / PLAN_FAILED with a
 * message. Caller owns *pl in every case (plan_fini). */
int plan_run(const struct plan_opts *o, struct plan *pl, char *err, size_t errlen);
void plan_fini(struct plan *pl);

/* Summary of candidate i's replications of metric m (all of them). */
void plan_summary(const struct plan *pl, int i, int m, struct stats_summary *st);
/* The one-sentence answer, the finalists and every candidate's fate, on f. */
void plan_print(FILE *f, const struct plan_opts *o, const struct plan *pl);

/* ---- plan_write.c, plan_text.c ---- */
/* Candidate i's fate and its evidence in words (buf). */
void plan_fate_text(const struct plan_opts *o, const struct plan *pl, int i, char *buf, size_t len);
int plan_write_json(const struct plan_opts *o, const struct plan *pl, char *err, size_t errlen);
int plan_write_csv(const struct plan_opts *o, const struct plan *pl, char *err, size_t errlen);
/* The one sentence (buf), e.g. "Choose workload.rollouts[0].batch_size=500:
 * done by Tue 11:32 (95% CI ...), ...". */
void plan_sentence(const struct plan_opts *o, const struct plan *pl, char *buf, size_t len);
/* 1 if candidate i is on the Pareto front of the objective against
 * constraint l's metric (no candidate with a lower or equal mean on both
 * and lower on one; among those not excluded). */
int plan_pareto(const struct plan_opts *o, const struct plan *pl, int l, int i);

#endif

/* rs.h -- ranking and selection with stochastic constraints: the
 * statistics of provsim plan, on arrays of outputs and nothing else (no
 * scenario, no file), so that tests can feed it any numbers.
 *
 * The procedure (README, "provsim plan", where the formulas are cited):
 * k candidates, each with an objective to minimise and s constraints
 * E[Y_l] <= q_il (each with a tolerance eps_l > 0). Every candidate gets
 * n0 observations; then, after each stage r (every candidate still in
 * play has r observations, observation j of every candidate from the
 * same random numbers),
 *   1. feasibility (Andradottir & Kim 2010, with Batur & Kim 2010's
 *      continuation region): constraint l of candidate i is declared met
 *      once sum_j (Y_ilj - q_il) <= -R_il(r) and violated once it is
 *      >= R_il(r), R_il(r) = max(0, hf2 S2_il / (2 eps_l) - eps_l r / 2),
 *      S2_il the first-stage variance, hf2 = 2 etaf (n0 - 1),
 *      etaf = ((2 bf)^(-2/(n0-1)) - 1) / 2, bf = (alpha/2) / (k s);
 *      a violated constraint removes i (infeasible);
 *   2. selection (Kim & Nelson 2001, KN): i is eliminated by a candidate
 *      l declared feasible on every constraint once
 *      sum_j (X_ij - X_lj) > max(0, h2 S2_il / (2 delta) - delta r / 2),
 *      S2_il the first-stage variance of the paired differences,
 *      h2 = 2 eta (n0 - 1), eta = ((2 (alpha/2) / (k - 1))^(-2/(n0-1)) - 1) / 2;
 *   3. it stops when one candidate is left and it is feasible (chosen),
 *      when none is left (no feasible plan), when every remaining pair is
 *      past its triangle (then the lowest mean wins, ties to the lower
 *      index), or at max_reps (capped: no guarantee).
 *
 * Invariants (rs_check_state): a candidate in play has exactly r
 * observations counted in its sums; a candidate out of play keeps the
 * sums of the stage it left at; a candidate eliminated by l names an l
 * that was declared feasible when it eliminated it; once done, at most
 * one candidate is RS_CHOSEN. */
#ifndef PROVSIM_RS_H
#define PROVSIM_RS_H

#include <stddef.h>

#define RS_MAX_CONSTRAINTS 16

enum rs_fate {
    RS_IN_PLAY,    /* still running */
    RS_CHOSEN,     /* the selected candidate */
    RS_ELIMINATED, /* worse than `by` by KN's continuation region */
    RS_INFEASIBLE, /* violates constraint `constraint` */
    RS_EXCLUDED,   /* taken out by the caller (rs_exclude: censored runs) */
    RS_UNDECIDED   /* still in play when max_reps stopped the procedure */
};

struct rs_params {
    int k;            /* candidates, >= 1 */
    int s;            /* constraints, 0..RS_MAX_CONSTRAINTS */
    int n0;           /* first-stage observations, >= 2 */
    int max_reps;     /* observations per candidate at most, >= n0 */
    double alpha;     /* total error probability, in (0, 1) */
    double delta;     /* indifference zone of the objective (its unit), > 0 */
    const double *eps; /* borrowed: s tolerances (each > 0, the constraint's unit) */
    const double *q;   /* borrowed: k*s bounds, q[i*s + l] for candidate i */
};

/* Observation j (0-based) of candidate i: m = 0 the objective, m = 1..s
 * constraint m-1 (already oriented so that "<= q" is the constraint). */
typedef double (*rs_obs_fn)(void *ctx, int i, int j, int m);

struct rs_cand {
    enum rs_fate fate;
    int n;            /* observations when it left play (or now) */
    int by;           /* RS_ELIMINATED: the candidate that eliminated it */
    int constraint;   /* RS_INFEASIBLE: which one */
    double stat, bound; /* the evidence: the sum that crossed and the
                         * region's half-width at that stage */
    unsigned met;     /* bit l: constraint l declared met */
    double sum_x;     /* sum of its objective observations */
    double sum_y[RS_MAX_CONSTRAINTS];
};

struct rs {
    struct rs_params p;
    double eta, h2;   /* selection */
    double etaf, hf2; /* feasibility */
    double *s2;       /* k*k first-stage variances of paired differences */
    double *s2c;      /* k*s first-stage variances of the constraints */
    struct rs_cand *c; /* k */
    int r;            /* observations of every candidate in play */
    int stages;       /* checks done (the first stage is 1) */
    int done, capped, tie_break;
    int chosen;       /* index, or -1 */
    long total;       /* observations taken, over all candidates */
};

/* Checks the parameters (a message if bad) and starts the procedure.
 * Returns 0, or -1 with a message. Caller owns rs (rs_fini). */
int rs_init(struct rs *rs, const struct rs_params *p, char *err, size_t errlen);
void rs_fini(struct rs *rs);

/* Takes the caller's word that candidate i, in play, is out
 * (RS_EXCLUDED): before any rs_step, or between two. Eliminations it made
 * stand. */
void rs_exclude(struct rs *rs, int i);

/* One stage: every candidate in play must have rs->r + (rs->r ? 1 : n0)
 * observations available through obs (n0 at the first call, one more at
 * each later call). Adds them, then checks feasibility and elimination in
 * candidate order. Returns 1 when done, else 0 (the candidates still in
 * play need one more observation each). */
int rs_step(struct rs *rs, rs_obs_fn obs, void *ctx);

/* Observations the next rs_step needs of each candidate in play. */
int rs_next_n(const struct rs *rs);

/* A non-sequential design with the same guarantee: every candidate run
 * to the farthest truncation point of any pair's triangle and any
 * constraint's, max(n0, floor(h2 S2 / delta^2) + 1, floor(hf2 S2 /
 * eps^2) + 1) over the candidates not excluded; the total is that times
 * their number. Valid after the first rs_step. */
long rs_full_design_total(const struct rs *rs, int *per_candidate);

/* NULL, or the first broken invariant (see the file header). */
const char *rs_check_state(const struct rs *rs);

#endif

/* rs.c -- see rs.h: KN selection with a feasibility check, on arrays.
 *
 * Everything is decided from the sums of observations 0..r-1 in
 * candidate order, so the outcome is a pure function of the observations
 * (nothing depends on timing or on the threads that produced them). */
#include "plan/rs.h"

#include "base/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The error split: half of alpha for the feasibility decisions, half for
 * the selection (Andradottir & Kim 2010 bound P(wrong) by the sum of the
 * two); without constraints the selection has all of it. */
static double alpha_feas(const struct rs_params *p)
{
    return p->s > 0 ? p->alpha / 2.0 : 0.0;
}

static double alpha_sel(const struct rs_params *p)
{
    return p->alpha - alpha_feas(p);
}

/* eta of Kim & Nelson (2001): ((2 beta)^(-2/(n0-1)) - 1) / 2, for a
 * per-comparison error beta (KN's beta is alpha/(k-1)). */
static double kn_eta(double beta, int n0)
{
    return 0.5 * (pow(2.0 * beta, -2.0 / (double)(n0 - 1)) - 1.0);
}

int rs_init(struct rs *rs, const struct rs_params *p, char *err, size_t errlen)
{
    memset(rs, 0, sizeof *rs);
    if (p->k < 1)
        return xerr(err, errlen, "no candidate plans");
    if (p->s < 0 || p->s > RS_MAX_CONSTRAINTS)
        return xerr(err, errlen, "at most %d constraints", RS_MAX_CONSTRAINTS);
    if (p->n0 < 2)
        return xerr(err, errlen, "the first stage needs at least 2 replications");
    if (p->max_reps < p->n0)
        return xerr(err, errlen, "--max-reps must be at least the first stage (%d)", p->n0);
    if (!(p->alpha > 0.0 && p->alpha < 1.0))
        return xerr(err, errlen, "alpha must be between 0 and 1 (exclusive)");
    if (!(p->delta > 0.0) || !isfinite(p->delta))
        return xerr(err, errlen, "delta must be a number > 0");
    for (int l = 0; l < p->s; l++)
        if (!(p->eps[l] > 0.0) || !isfinite(p->eps[l]))
            return xerr(err, errlen, "a constraint's tolerance must be > 0");
    rs->p = *p;
    if (p->k > 1) {
        rs->eta = kn_eta(alpha_sel(p) / (double)(p->k - 1), p->n0);
        rs->h2 = 2.0 * rs->eta * (double)(p->n0 - 1);
    }
    if (p->s > 0) {
        /* Bonferroni over every (candidate, constraint): common random
         * numbers make the candidates dependent */
        rs->etaf = kn_eta(alpha_feas(p) / ((double)p->k * p->s), p->n0);
        rs->hf2 = 2.0 * rs->etaf * (double)(p->n0 - 1);
    }
    rs->s2 = xcalloc((size_t)p->k * (size_t)p->k, sizeof *rs->s2);
    rs->s2c = xcalloc((size_t)p->k * (size_t)(p->s ? p->s : 1), sizeof *rs->s2c);
    rs->c = xcalloc((size_t)p->k, sizeof *rs->c);
    for (int i = 0; i < p->k; i++)
        rs->c[i].by = rs->c[i].constraint = -1;
    rs->chosen = -1;
    return 0;
}

void rs_fini(struct rs *rs)
{
    free(rs->s2);
    free(rs->s2c);
    free(rs->c);
    memset(rs, 0, sizeof *rs);
}

void rs_exclude(struct rs *rs, int i)
{
    XASSERT(i >= 0 && i < rs->p.k && rs->c[i].fate == RS_IN_PLAY);
    rs->c[i].fate = RS_EXCLUDED;
}

int rs_next_n(const struct rs *rs)
{
    return rs->r == 0 ? rs->p.n0 : rs->r + 1;
}

static int in_play(const struct rs *rs, int i)
{
    return rs->c[i].fate == RS_IN_PLAY;
}

static int all_met(const struct rs *rs, int i)
{
    unsigned want = (1u << rs->p.s) - 1u; /* s <= RS_MAX_CONSTRAINTS < 32 */
    return (rs->c[i].met & want) == want;
}

/* Sample variance (n - 1) of the first n0 values v[j]. */
static double var_n0(const double *v, int n0)
{
    double mean = 0.0, ss = 0.0;
    for (int j = 0; j < n0; j++)
        mean += v[j];
    mean /= n0;
    for (int j = 0; j < n0; j++)
        ss += (v[j] - mean) * (v[j] - mean);
    return ss / (double)(n0 - 1);
}

/* The first-stage variances: of every pair's differences, of every
 * constraint. */
static void first_stage(struct rs *rs, rs_obs_fn obs, void *ctx)
{
    const struct rs_params *p = &rs->p;
    int n0 = p->n0, k = p->k, s = p->s;
    double *x = xmalloc((size_t)k * (size_t)n0 * sizeof *x);
    double *d = xmalloc((size_t)n0 * sizeof *d);
    for (int i = 0; i < k; i++)
        if (in_play(rs, i))
            for (int j = 0; j < n0; j++)
                x[(size_t)i * n0 + j] = obs(ctx, i, j, 0);
    for (int i = 0; i < k; i++)
        for (int l = i + 1; l < k; l++) {
            if (!in_play(rs, i) || !in_play(rs, l))
                continue;
            for (int j = 0; j < n0; j++)
                d[j] = x[(size_t)i * n0 + j] - x[(size_t)l * n0 + j];
            rs->s2[(size_t)i * k + l] = rs->s2[(size_t)l * k + i] = var_n0(d, n0);
        }
    for (int i = 0; i < k; i++)
        for (int c = 0; c < s && in_play(rs, i); c++) {
            for (int j = 0; j < n0; j++)
                d[j] = obs(ctx, i, j, 1 + c);
            rs->s2c[(size_t)i * s + c] = var_n0(d, n0);
        }
    free(x);
    free(d);
}

/* Adds observations rs->r .. n-1 of every candidate in play. */
static void add_obs(struct rs *rs, int n, rs_obs_fn obs, void *ctx)
{
    for (int i = 0; i < rs->p.k; i++) {
        if (!in_play(rs, i))
            continue;
        struct rs_cand *c = &rs->c[i];
        for (int j = rs->r; j < n; j++) {
            c->sum_x += obs(ctx, i, j, 0);
            for (int l = 0; l < rs->p.s; l++)
                c->sum_y[l] += obs(ctx, i, j, 1 + l);
            rs->total++;
        }
        c->n = n;
    }
    rs->r = n;
}

/* The triangle's half-width at stage r for variance s2 and zone z:
 * max(0, h2 s2 / (2 z) - z r / 2). */
static double region(double h2, double s2, double z, int r)
{
    double w = h2 * s2 / (2.0 * z) - z * (double)r / 2.0;
    return w > 0.0 ? w : 0.0;
}

/* Step 1: each open constraint of each candidate in play. */
static void check_feasibility(struct rs *rs)
{
    const struct rs_params *p = &rs->p;
    for (int i = 0; i < p->k; i++)
        for (int l = 0; l < p->s && in_play(rs, i); l++) {
            struct rs_cand *c = &rs->c[i];
            if (c->met & (1u << l))
                continue;
            double z = c->sum_y[l] - (double)rs->r * p->q[(size_t)i * p->s + l];
            double R = region(rs->hf2, rs->s2c[(size_t)i * p->s + l], p->eps[l], rs->r);
            if (z <= -R) {
                c->met |= 1u << l;
            } else if (z >= R) {
                c->fate = RS_INFEASIBLE;
                c->constraint = l;
                c->stat = z;
                c->bound = R;
            }
        }
}

/* Step 2: KN's elimination, each candidate in play against every
 * feasible one (checked against the sums before this step's
 * eliminations, so the order of candidates does not matter). */
static void check_elimination(struct rs *rs)
{
    const struct rs_params *p = &rs->p;
    int k = p->k;
    int *out = xcalloc((size_t)k, sizeof *out);
    for (int i = 0; i < k; i++) {
        if (!in_play(rs, i))
            continue;
        for (int l = 0; l < k && !out[i]; l++) {
            if (l == i || !in_play(rs, l) || !all_met(rs, l))
                continue;
            double diff = rs->c[i].sum_x - rs->c[l].sum_x;
            double W = region(rs->h2, rs->s2[(size_t)i * k + l], p->delta, rs->r);
            if (diff > W) {
                out[i] = 1;
                rs->c[i].by = l;
                rs->c[i].stat = diff;
                rs->c[i].bound = W;
            }
        }
    }
    for (int i = 0; i < k; i++)
        if (out[i])
            rs->c[i].fate = RS_ELIMINATED;
    free(out);
}

/* 1 if every pair of candidates in play is past its triangle (and every
 * one is feasible): the sums alone decide, so the lowest mean wins. */
static int past_all_triangles(const struct rs *rs)
{
    int k = rs->p.k;
    for (int i = 0; i < k; i++) {
        if (!in_play(rs, i))
            continue;
        if (!all_met(rs, i))
            return 0;
        for (int l = i + 1; l < k; l++)
            if (in_play(rs, l) && region(rs->h2, rs->s2[(size_t)i * k + l], rs->p.delta, rs->r) > 0)
                return 0;
    }
    return 1;
}

/* The lowest sum among those in play (all with r observations), ties to
 * the lower index; only feasible ones if feasible_only. -1 if none. */
static int lowest_in_play(const struct rs *rs, int feasible_only)
{
    int best = -1;
    for (int i = 0; i < rs->p.k; i++)
        if (in_play(rs, i) && (!feasible_only || all_met(rs, i)) &&
            (best < 0 || rs->c[i].sum_x < rs->c[best].sum_x))
            best = i;
    return best;
}

/* Ends the procedure with `best` chosen (or none: -1); the others in play
 * are eliminated by it (a tie past the triangles) or undecided (capped). */
static void finish(struct rs *rs, int best)
{
    rs->done = 1;
    rs->chosen = best;
    for (int i = 0; i < rs->p.k; i++) {
        if (!in_play(rs, i) || i == best)
            continue;
        if (!rs->capped && best >= 0) {
            rs->c[i].fate = RS_ELIMINATED;
            rs->c[i].by = best;
            rs->c[i].stat = rs->c[i].sum_x - rs->c[best].sum_x;
            rs->c[i].bound = 0.0;
        } else {
            rs->c[i].fate = RS_UNDECIDED;
        }
    }
    if (best >= 0)
        rs->c[best].fate = RS_CHOSEN;
}

int rs_step(struct rs *rs, rs_obs_fn obs, void *ctx)
{
    XASSERT(!rs->done);
    int n = rs_next_n(rs);
    if (rs->stages == 0)
        first_stage(rs, obs, ctx);
    add_obs(rs, n, obs, ctx);
    rs->stages++;
    check_feasibility(rs);
    check_elimination(rs);
    int left = 0, last = -1;
    for (int i = 0; i < rs->p.k; i++)
        if (in_play(rs, i)) {
            left++;
            last = i;
        }
    if (left == 0) {
        finish(rs, -1);
    } else if (left == 1 && all_met(rs, last)) {
        finish(rs, last);
    } else if (left > 1 && past_all_triangles(rs)) {
        rs->tie_break = 1;
        finish(rs, lowest_in_play(rs, 1));
    } else if (rs->r >= rs->p.max_reps) {
        /* no guarantee: the lowest mean among those declared feasible, if
         * any (the caller says the cap was reached) */
        rs->capped = 1;
        finish(rs, lowest_in_play(rs, 1));
    }
    return rs->done;
}

/* floor(h2 s2 / z^2) + 1: the stage at which the triangle closes. */
static long close_stage(double h2, double s2, double z)
{
    double v = h2 * s2 / (z * z);
    if (!(v < 1e9)) /* a variance this large never closes in practice */
        return 1000000000L;
    return (long)floor(v) + 1;
}

long rs_full_design_total(const struct rs *rs, int *per_candidate)
{
    const struct rs_params *p = &rs->p;
    long n = p->n0;
    int m = 0;
    for (int i = 0; i < p->k; i++) {
        if (rs->c[i].fate == RS_EXCLUDED)
            continue;
        m++;
        for (int l = i + 1; l < p->k; l++)
            if (rs->c[l].fate != RS_EXCLUDED) {
                long c = close_stage(rs->h2, rs->s2[(size_t)i * p->k + l], p->delta);
                n = c > n ? c : n;
            }
        for (int l = 0; l < p->s; l++) {
            long c = close_stage(rs->hf2, rs->s2c[(size_t)i * p->s + l], p->eps[l]);
            n = c > n ? c : n;
        }
    }
    if (per_candidate)
        *per_candidate = n > 1000000000L ? 1000000000 : (int)n;
    return n * m;
}

const char *rs_check_state(const struct rs *rs)
{
    int chosen = 0;
    for (int i = 0; i < rs->p.k; i++) {
        const struct rs_cand *c = &rs->c[i];
        if (c->fate == RS_IN_PLAY && c->n != rs->r && rs->stages > 0)
            return "a candidate in play does not have r observations";
        if (c->fate == RS_ELIMINATED && (c->by < 0 || c->by >= rs->p.k || !all_met(rs, c->by)))
            return "an eliminated candidate names no feasible eliminator";
        if (c->fate == RS_INFEASIBLE && (c->constraint < 0 || c->constraint >= rs->p.s))
            return "an infeasible candidate names no constraint";
        chosen += c->fate == RS_CHOSEN;
    }
    if (chosen > 1 || (chosen == 1) != (rs->chosen >= 0))
        return "more than one candidate chosen, or chosen disagrees";
    if (rs->done && chosen == 0 && rs->chosen >= 0)
        return "done without the chosen candidate marked";
    return NULL;
}

/* plan.c -- plan_run: the candidates, the stages, the procedure (see
 * plan.h and rs.h).
 *
 * The order is the contract, as in sweep.c: read the base, build and
 * check every candidate (nothing on disk is touched if one is bad), run
 * the first stage, then one replication per candidate in play per stage
 * until the procedure is done, then write the results.
 *
 * Threads: a stage is a list of candidates, each to run replications
 * [n, need) through run_scenario; the workers take candidates in list
 * order and write only their own candidate's rows. The procedure reads
 * the rows after the stage, in candidate order, so no result depends on
 * --jobs. (This is not the sweep's pool: that one runs whole cells into
 * the journal; a stage is a barrier over a few replications.) */
#include "plan/plan.h"

#include "run/memlimit.h"
#include "run/runner.h"
#include "run/twins.h"
#include "scenario/scenario.h"
#include "base/util.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- candidates ---------------------------------------------------------- */

/* The first rollout job's creation, epoch seconds (start if none). */
static double first_at_epoch(const struct scenario *s)
{
    double first = s->nrollouts ? INFINITY : 0.0;
    for (int i = 0; i < s->nrollouts; i++)
        first = fmin(first, s->rollouts[i].at_s);
    return (double)s->start_epoch_s + first;
}

/* --done-by's bound on clear_time_s for a rollout whose first job is
 * created at epoch t: the clock time on t's day, or the next day when
 * that is not after t. */
static double done_by_bound(double t, double sod)
{
    double midnight = 86400.0 * floor(t / 86400.0);
    double deadline = midnight + sod;
    if (deadline <= t)
        deadline += 86400.0;
    return deadline - t;
}

static void sweep_view(const struct plan_opts *o, struct sweep_opts *so)
{
    memset(so, 0, sizeof *so);
    so->scenario = o->scenario;
    so->sets = o->sets;
    so->nsets = o->nsets;
    so->axes = o->axes;
    so->naxes = o->naxes;
}

/* Builds and checks every candidate. Returns 0, or -1 with a message
 * naming the candidate. */
static int build_candidates(const struct plan_opts *o, struct plan *pl, const char *text,
                            size_t len, char *err, size_t errlen)
{
    struct sweep_opts so;
    sweep_view(o, &so);
    char msg[SCN_ERRLEN], label[512];
    pl->c = xcalloc((size_t)pl->k, sizeof *pl->c);
    for (int i = 0; i < pl->k; i++) {
        struct plan_cand *c = &pl->c[i];
        c->s = xcalloc(1, sizeof *c->s);
        int rc = sweep_cell_scenario(&so, text, len, i, c->s, msg, sizeof msg);
        if (rc == 0)
            rc = mem_guard(c->s, o->jobs, NULL, msg, sizeof msg);
        if (rc) {
            sweep_cell_label(&so, i, label, sizeof label);
            return xerr(err, errlen, "%s: candidate %d of %d (%s): %s", o->scenario, i + 1, pl->k,
                        label, msg);
        }
        if (i == 0) {
            pl->name = xstrdup(c->s->name);
            pl->seed = o->seed >= 0 ? (uint64_t)o->seed : c->s->seed;
            snprintf(pl->sha256, sizeof pl->sha256, "%s", c->s->origin.sha256);
        }
        c->first_at_epoch_s = first_at_epoch(c->s);
        for (int l = 0; l < o->ncons; l++) {
            const struct plan_constraint *pc = &o->cons[l];
            if (pc->done_by && c->s->nrollouts == 0)
                return xerr(err, errlen, "--done-by: the scenario has no rollout");
            double q = pc->done_by ? done_by_bound(c->first_at_epoch_s, pc->done_by_sod)
                                   : pc->value;
            c->q[l] = pc->ge ? -q : q;
        }
    }
    return 0;
}

/* ---- running replications -------------------------------------------------- */

struct stage {
    const struct plan_opts *o;
    struct plan *pl;
    int *todo, ntodo, need, threads_each;
    pthread_mutex_t mu;
    int next;
    int failed;
    char msg[256];
};

/* Runs candidate i's replications c->n .. need-1 into its rows. */
static int run_cand(struct stage *st, int i)
{
    struct plan_cand *c = &st->pl->c[i];
    if (st->need > c->cap) {
        int cap = c->cap ? c->cap : st->need;
        while (cap < st->need)
            cap *= 2;
        double *v = xcalloc((size_t)cap * METRIC_COUNT, sizeof *v);
        if (c->n)
            memcpy(v, c->values, (size_t)c->n * METRIC_COUNT * sizeof *v);
        free(c->values);
        c->values = v;
        c->cap = cap;
    }
    struct run_opts ro = {.reps = st->need - c->n,
                          .first = c->n,
                          .seed = st->pl->seed,
                          .threads = st->threads_each,
                          .twins = st->pl->twins};
    struct run_result res;
    int rc = run_scenario(c->s, &ro, &res);
    if (rc == 0) {
        memcpy(c->values + (size_t)c->n * METRIC_COUNT, res.values,
               (size_t)res.reps * METRIC_COUNT * sizeof(double));
        c->censored += res.censored;
    } else {
        pthread_mutex_lock(&st->mu);
        snprintf(st->msg, sizeof st->msg, "%s", res.audit_msg);
        pthread_mutex_unlock(&st->mu);
    }
    run_result_fini(&res);
    return rc;
}

static void *stage_worker(void *arg)
{
    struct stage *st = arg;
    for (;;) {
        pthread_mutex_lock(&st->mu);
        int t = st->failed ? st->ntodo : st->next++;
        pthread_mutex_unlock(&st->mu);
        if (t >= st->ntodo)
            return NULL;
        if (run_cand(st, st->todo[t])) {
            pthread_mutex_lock(&st->mu);
            st->failed = 1;
            pthread_mutex_unlock(&st->mu);
        }
    }
}

/* Brings every candidate in todo to `need` replications on o->jobs
 * threads. Returns 0, or -1 with a message. */
static int run_stage(const struct plan_opts *o, struct plan *pl, int *todo, int ntodo, int need,
                     char *err, size_t errlen)
{
    struct stage st = {.o = o, .pl = pl, .todo = todo, .ntodo = ntodo, .need = need};
    pthread_mutex_init(&st.mu, NULL);
    int jobs = o->jobs < 1 ? 1 : o->jobs;
    int nth = jobs < ntodo ? jobs : ntodo;
    /* fewer candidates than threads: the runner splits their replications */
    st.threads_each = nth > 0 ? jobs / nth : 1;
    pthread_t *th = xcalloc((size_t)(nth > 0 ? nth : 1), sizeof *th);
    int started = 0;
    for (int t = 1; t < nth; t++)
        started += pthread_create(&th[started], NULL, stage_worker, &st) == 0;
    stage_worker(&st); /* the calling thread works too */
    for (int t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    free(th);
    pthread_mutex_destroy(&st.mu);
    for (int t = 0; t < ntodo; t++)
        pl->c[todo[t]].n = need;
    if (st.failed)
        return xerr(err, errlen, "%s", st.msg);
    return 0;
}

/* ---- the procedure ----------------------------------------------------------- */

struct obs_ctx {
    const struct plan_opts *o;
    const struct plan *pl;
};

/* rs_obs_fn: the objective (m = 0) or constraint m-1, oriented. */
static double obs(void *ctx, int i, int j, int m)
{
    const struct obs_ctx *x = ctx;
    const double *row = x->pl->c[i].values + (size_t)j * METRIC_COUNT;
    if (m == 0)
        return row[x->o->objective];
    const struct plan_constraint *pc = &x->o->cons[m - 1];
    return pc->ge ? -row[pc->metric] : row[pc->metric];
}

void plan_summary(const struct plan *pl, int i, int m, struct stats_summary *st)
{
    const struct plan_cand *c = &pl->c[i];
    if (c->n == 0) {
        memset(st, 0, sizeof *st);
        st->mean = st->sd = st->ci_lo = st->ci_hi = st->min = st->max = NAN;
        return;
    }
    double *col = xmalloc((size_t)c->n * sizeof *col);
    for (int j = 0; j < c->n; j++)
        col[j] = c->values[(size_t)j * METRIC_COUNT + m];
    stats_summarize(col, (size_t)c->n, st);
    free(col);
}

/* The default delta: a fraction of the lowest |first-stage mean| of the
 * objective among the candidates not excluded (1 unit if that is 0). */
static double default_delta(const struct plan_opts *o, const struct plan *pl)
{
    double best = INFINITY;
    for (int i = 0; i < pl->k; i++) {
        if (pl->c[i].censored)
            continue;
        struct stats_summary st;
        plan_summary(pl, i, o->objective, &st);
        best = fmin(best, fabs(st.mean));
    }
    double d = PLAN_DEFAULT_DELTA_FRACTION * best;
    if (!(d > 0.0) || !isfinite(d))
        d = metric_table[o->objective].unit == METRIC_UNIT_RATIO ? 0.01 : 1.0;
    return d;
}

/* The first stage for everyone, then the procedure's own parameters
 * (delta may come from the first stage), then its stages. */
static int select_plan(const struct plan_opts *o, struct plan *pl, char *err, size_t errlen)
{
    int *todo = xmalloc((size_t)pl->k * sizeof *todo);
    for (int i = 0; i < pl->k; i++)
        todo[i] = i;
    int rc = run_stage(o, pl, todo, pl->k, o->n0, err, errlen);
    if (rc == 0) {
        pl->delta_default = !(o->delta > 0);
        pl->delta = pl->delta_default ? default_delta(o, pl) : o->delta;
        for (int l = 0; l < o->ncons; l++)
            pl->eps[l] = o->cons[l].tol;
        double *q = xmalloc((size_t)pl->k * (size_t)(o->ncons ? o->ncons : 1) * sizeof *q);
        for (int i = 0; i < pl->k; i++)
            for (int l = 0; l < o->ncons; l++)
                q[(size_t)i * o->ncons + l] = pl->c[i].q[l];
        struct rs_params p = {.k = pl->k, .s = o->ncons, .n0 = o->n0, .max_reps = o->max_reps,
                              .alpha = o->alpha, .delta = pl->delta, .eps = pl->eps, .q = q};
        rc = rs_init(&pl->rs, &p, err, errlen);
        for (int i = 0; i < pl->k && rc == 0; i++)
            if (pl->c[i].censored) /* its objective would be a lower bound */
                rs_exclude(&pl->rs, i);
        struct obs_ctx x = {o, pl};
        while (rc == 0 && !rs_step(&pl->rs, obs, &x)) {
            int n = 0, need = rs_next_n(&pl->rs);
            for (int i = 0; i < pl->k; i++)
                if (pl->rs.c[i].fate == RS_IN_PLAY)
                    todo[n++] = i;
            rc = run_stage(o, pl, todo, n, need, err, errlen);
            for (int t = 0; t < n && rc == 0; t++)
                if (pl->c[todo[t]].censored)
                    rs_exclude(&pl->rs, todo[t]);
        }
        if (rc == 0) {
            const char *bad = rs_check_state(&pl->rs);
            XASSERT(bad == NULL);
            pl->full_total = rs_full_design_total(&pl->rs, &pl->full_per_candidate);
        }
        free(q);
    }
    free(todo);
    return rc ? -1 : 0;
}

int plan_run(const struct plan_opts *o, struct plan *pl, char *err, size_t errlen)
{
    memset(pl, 0, sizeof *pl);
    if (sweep_grid_check(o->axes, o->naxes, &pl->k, err, errlen)) {
        plan_say_choose(err, errlen);
        return PLAN_BAD_INPUT;
    }
    size_t len;
    char *text = sweep_read_file(o->scenario, &len, err, errlen);
    if (!text)
        return PLAN_BAD_INPUT;
    int rc = build_candidates(o, pl, text, len, err, errlen) ? PLAN_BAD_INPUT : PLAN_OK;
    free(text);
    /* candidates that differ only in their rollouts share replication r
     * of the day without them (as a sweep's cells do) */
    if (rc == PLAN_OK && sweep_axes_in_rollouts(o->axes, o->naxes) &&
        run_twins_apply(pl->c[0].s))
        pl->twins = run_twins_create(pl->c[0].s, pl->seed,
                                     o->max_reps > o->n0 ? o->max_reps : o->n0);
    if (rc == PLAN_OK && select_plan(o, pl, err, errlen))
        rc = PLAN_FAILED;
    if (rc == PLAN_OK && (plan_write_json(o, pl, err, errlen) || plan_write_csv(o, pl, err, errlen)))
        rc = PLAN_FAILED;
    return rc;
}

void plan_fini(struct plan *pl)
{
    for (int i = 0; pl->c && i < pl->k; i++) {
        if (pl->c[i].s) {
            scn_fini(pl->c[i].s);
            free(pl->c[i].s);
        }
        free(pl->c[i].values);
    }
    free(pl->c);
    run_twins_free(pl->twins);
    free(pl->name);
    if (pl->rs.c)
        rs_fini(&pl->rs);
    memset(pl, 0, sizeof *pl);
}

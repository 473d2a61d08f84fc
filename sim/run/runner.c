/* runner.c -- see runner.h. Replications on worker threads, the
 * --precision rule, and the hooks the audit and the series sampler put
 * into the engine's one event loop (evq_run, sim/engine/evq.h). */
#include "run/runner.h"
#include "run/twins.h"

#include "models/audit.h"
#include "models/bound.h"
#include "models/provision.h"
#include "base/units.h"
#include "base/util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

size_t run_peak_rss_bytes(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    return (size_t)ru.ru_maxrss * 1024; /* Linux reports kilobytes */
}

/* ---- series: state sampled every series_step ------------------------ */

struct sampler {
    const struct run_series *out;
    double step_s, next_s;
    uint64_t attempts0, throttled0, other0; /* totals at the previous sample */
};

/* Emits every sample at or before t (the state includes all events up to
 * the sample time, since the caller samples before handling later ones). */
static void sample_until(struct sampler *sm, struct prov *p, double t)
{
    while (sm->next_s <= t) {
        double per_min = 60.0 / sm->step_s;
        prov_catch_up(p, sm->next_s); /* the deferred retries due by then */
        struct run_sample row = {
            .t_s = sm->next_s,
            .epoch_s = p->scn->start_epoch_s + (int64_t)floor(sm->next_s),
            .queued = prov_queued(p),
            .waiting_retry = prov_waiting(p),
            .in_flight = prov_in_flight(p),
            .failed_tasks = p->failed_tasks,
            .succeeded_total = p->count[JOB_SUCCEEDED],
            .attempts_per_min = (double)(p->attempts - sm->attempts0) * per_min,
            .throttled_per_min = (double)(p->throttled - sm->throttled0) * per_min,
            .other_throttled_per_min = (double)(p->other_throttled - sm->other0) * per_min,
        };
        sm->out->row(sm->out->ctx, &row);
        sm->attempts0 = p->attempts;
        sm->throttled0 = p->throttled;
        sm->other0 = p->other_throttled;
        sm->next_s += sm->step_s;
    }
}

/* ---- replications ---------------------------------------------------- */

/* Writes an audit violation into msg; returns 1. */
static int audit_fail(const struct prov *p, const char *bad, long job, char *msg, size_t len)
{
    int n = snprintf(msg, len, "audit: %s at t=%.6f s (event %llu)", bad, p->q.now,
                     (unsigned long long)p->q.popped);
    if (job >= 0 && n > 0 && (size_t)n < len)
        snprintf(msg + n, len - (size_t)n, ", job %ld", job);
    return 1;
}

/* Runs prov_check and the history checks of audit.c (au may be NULL); on a
 * violation writes the message and returns 1. */
static int audit(struct prov *p, struct audit *au, char *msg, size_t len, int full)
{
    long job;
    const char *bad = prov_check(p, full, &job);
    if (!bad && au)
        bad = audit_after(au, &job);
    return bad ? audit_fail(p, bad, job, msg, len) : 0;
}

/* What the event loop's hooks see: the model, the audit (or NULL) and its
 * message buffer, the series sampler (or NULL). */
struct hooks {
    struct prov *p;
    struct audit *au;
    char *msg;
    size_t len;
    struct sampler *sm;
};

/* Before each event: the samples due before its time (the state then is
 * all events before it), then the audit's time-order and release checks. */
static int before_event(void *ctx, const struct ev *ev)
{
    struct hooks *h = ctx;
    if (h->sm)
        sample_until(h->sm, h->p, nextafter(ev->t, -INFINITY));
    long job;
    const char *bad = h->au ? audit_before(h->au, ev, &job) : NULL;
    return bad ? audit_fail(h->p, bad, job, h->msg, h->len) : 0;
}

/* After each event: the model's invariants and the audit's quotas. */
static int after_event(void *ctx, const struct ev *ev)
{
    (void)ev;
    struct hooks *h = ctx;
    return audit(h->p, h->au, h->msg, h->len, 0);
}

/* Replication p through the one loop with audits (msg != NULL) and/or
 * series samples (sm != NULL). */
static int run_hooked(struct prov *p, char *msg, size_t len, struct sampler *sm)
{
    struct hooks h = {p, msg ? audit_create(p) : NULL, msg, len, sm};
    int rc = prov_run(p, before_event, msg ? after_event : NULL, &h);
    if (rc == 0 && msg)
        rc = audit(p, h.au, msg, len, 1);
    audit_destroy(h.au);
    if (rc == 0 && sm)
        sample_until(sm, p, p->end_s);
    return rc;
}

/* One replication on one worker's model. Replication 0 also writes the
 * series and the trace; only one worker ever runs it. */
struct rep_job {
    const struct run_opts *o;
    struct prov p;
    /* the same day without the rollouts (harm metrics), when it has
     * background jobs or other clients; cf's horizon is set per
     * replication to where p stopped */
    int has_cf;
    struct scenario cf;
    struct prov pc;
    struct harm_base base; /* pc's, for harm_compute */
    int r;
    int rc;
    double row[METRIC_COUNT];
    struct bound_parts bound;
    double fair_share_s;
    double detail[METRIC_DETAIL_COUNT];
    uint64_t rf_events, rf_requests; /* the rollout-free replication's work */
    double rf_s;                     /* and its time, seconds */
    char msg[256];
};

static void run_one(struct rep_job *j)
{
    const struct run_opts *o = j->o;
    struct prov *p = &j->p;
    struct sampler sm = {0}, *smp = NULL;
    prov_start(p, (uint64_t)j->r);
    p->trace = NULL;
    if (j->r == 0 && o->trace) {
        o->trace->begin(o->trace->ctx);
        p->trace = o->trace->row;
        p->trace_ctx = o->trace->ctx;
    }
    if (j->r == 0 && o->series) {
        sm.out = o->series;
        sm.step_s = p->scn->series_step_s;
        o->series->begin(o->series->ctx);
        smp = &sm;
    }
    j->rc = 0;
    if (o->audit || smp)
        j->rc = run_hooked(p, o->audit ? j->msg : NULL, sizeof j->msg, smp);
    else
        j->rc = prov_run(p, NULL, NULL, NULL);
    if (j->rc != 0)
        return;
    double harm[METRIC_COUNT] = {0};
    if (o->twins) {
        /* shared: the same for every run that differs only in rollouts */
        XASSERT_AT(harm_window_end_s(p) <= run_twins_horizon_s(o->twins), p->end_s);
        harm_compute(p, run_twins_get(o->twins, j->r), harm);
    } else if (j->has_cf) {
        /* common random numbers: replication r's arrival streams are the
         * same with and without the rollouts, up to the harm window's end */
        double t0 = now_s();
        j->cf.horizon_s = harm_window_end_s(p);
        prov_start(&j->pc, (uint64_t)j->r);
        harm_base_record(&j->pc, &j->base);
        prov_run(&j->pc, NULL, NULL, NULL);
        harm_base_take(&j->pc, &j->base);
        harm_compute(p, &j->base, harm);
        j->rf_events = j->pc.q.popped;
        j->rf_requests = j->pc.attempts + j->pc.other_requests;
        j->rf_s = now_s() - t0;
    }
    /* last: it consumes p's jobs array (metric_compute) */
    metric_compute(p, &j->bound, j->fair_share_s, j->row);
    for (int m = METRIC_HARM_FIRST; m <= METRIC_HARM_LAST; m++)
        j->row[m] = harm[m];
    metric_detail(p, j->detail);
}

static void *run_one_thread(void *arg)
{
    run_one(arg);
    return NULL;
}

/* The --precision stopping rule on the first n replications (see
 * run_opts.precision). col is scratch space for n values. */
static int precision_met(const struct run_result *res, int n, double precision, double *col)
{
    if (n < 3)
        return 0;
    for (int r = 0; r < n; r++)
        col[r] = res->values[(size_t)r * METRIC_COUNT + METRIC_CLEAR_TIME];
    struct stats_summary st;
    stats_summarize(col, (size_t)n, &st);
    if (st.mean == 0.0)
        return 1;
    return stats_ci95_halfwidth(st.sd, (size_t)n) <= precision * fabs(st.mean);
}

int run_parse_precision(const char *s, double *out)
{
    if (!s || !*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
        return -1;
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (errno || end == s)
        return -1;
    if (*end == '%') {
        v /= 100.0;
        end++;
    }
    if (*end != '\0' || !isfinite(v) || v <= 0.0 || v > 1.0)
        return -1;
    *out = v;
    return 0;
}

/* nw workers' models for the scenario local (borrowed: it must outlive
 * them), each with its own rollout-free model when it needs one. */
static struct rep_job *workers_create(const struct scenario *local, const struct run_opts *o,
                                      const struct bound_parts *bound, double fair_share_s, int nw)
{
    struct rep_job *w = xcalloc((size_t)nw, sizeof *w);
    for (int i = 0; i < nw; i++) {
        w[i].o = o;
        w[i].bound = *bound;
        w[i].fair_share_s = fair_share_s;
        prov_init(&w[i].p, local);
        w[i].has_cf = !o->twins && local->nrollouts > 0 &&
                      (local->background.enabled || local->other.enabled);
        if (w[i].has_cf) {
            w[i].cf = *local; /* borrows local's strings; never finished */
            w[i].cf.nrollouts = 0;
            w[i].cf.horizon_auto = 0;
            prov_init(&w[i].pc, &w[i].cf);
        }
    }
    return w;
}

static void workers_free(struct rep_job *w, int nw)
{
    for (int i = 0; i < nw; i++) {
        prov_fini(&w[i].p);
        if (w[i].has_cf)
            prov_fini(&w[i].pc);
        harm_base_fini(&w[i].base);
    }
    free(w);
}

/* A finished replication's results into row r of res. */
static void take_row(struct run_result *res, int r, const struct rep_job *j)
{
    memcpy(res->values + (size_t)r * METRIC_COUNT, j->row, sizeof j->row);
    memcpy(res->detail + (size_t)r * METRIC_DETAIL_COUNT, j->detail, sizeof j->detail);
    res->events += (uint64_t)j->row[METRIC_EVENTS];
    res->requests += (uint64_t)(j->row[METRIC_ATTEMPTS] + j->row[METRIC_OTHER_REQUESTS]);
    res->rf_events += j->rf_events;
    res->rf_requests += j->rf_requests;
    res->rf_s += j->rf_s;
}

/* The summaries over res->reps rows, and the censored count. */
static void summarize(struct run_result *res)
{
    int reps = res->reps;
    double *col = xmalloc((size_t)reps * sizeof(double));
    for (int m = 0; m < METRIC_COUNT; m++) {
        for (int r = 0; r < reps; r++)
            col[r] = res->values[(size_t)r * METRIC_COUNT + m];
        stats_summarize(col, (size_t)reps, &res->sum[m]);
    }
    for (int r = 0; r < reps; r++)
        res->censored += res->values[(size_t)r * METRIC_COUNT + METRIC_CLEARED] < 1.0;
    for (int d = 0; d < METRIC_DETAIL_COUNT; d++) {
        for (int r = 0; r < reps; r++)
            col[r] = res->detail[(size_t)r * METRIC_DETAIL_COUNT + d];
        stats_summarize(col, (size_t)reps, &res->detail_sum[d]);
    }
    free(col);
}

int run_scenario(const struct scenario *s, const struct run_opts *o, struct run_result *res)
{
    memset(res, 0, sizeof *res);
    int reps = o->reps > 0 ? o->reps : s->replications;
    XASSERT(o->first >= 0 && (o->first == 0 || o->precision == 0));
    res->reps = reps;
    res->values = xcalloc((size_t)reps * METRIC_COUNT, sizeof(double));
    res->detail = xcalloc((size_t)reps * METRIC_DETAIL_COUNT, sizeof(double));
    struct bound_parts bound;
    bound_compute(s, &bound);
    res->lower_bound_s = bound.lower_bound_s;
    res->strict_bound_s = bound.strict_s;
    res->fair_share_s = bound_fair_share_s(s);

    /* the seed may be overridden without touching the borrowed scenario */
    struct scenario local = *s;
    local.seed = o->seed;
    int nw = o->threads > 1 ? o->threads : 1;
    if (nw > reps)
        nw = reps;
    struct rep_job *w = workers_create(&local, o, &bound, res->fair_share_s, nw);

    int rc = 0, done = 0;
    res->precision = o->precision > 0 ? o->precision : 0.0;
    double *scratch = res->precision > 0 ? xmalloc((size_t)reps * sizeof(double)) : NULL;
    double t0 = now_s();
    /* Replications run in blocks of nw, one per worker; each depends on
     * (seed, r) alone, and the block's results are taken in order r, so
     * the values, and where --precision stops, do not depend on nw. */
    for (int start = 0; start < reps && rc == 0 && !done; start += nw) {
        int k = reps - start < nw ? reps - start : nw;
        pthread_t tid[k > 0 ? k : 1];
        int spawned[k > 0 ? k : 1];
        for (int i = 0; i < k; i++) {
            w[i].r = o->first + start + i;
            spawned[i] = i > 0 && pthread_create(&tid[i], NULL, run_one_thread, &w[i]) == 0;
        }
        for (int i = k - 1; i >= 0; i--) /* unspawned ones run here */
            if (!spawned[i])
                run_one(&w[i]);
        for (int i = 1; i < k; i++)
            if (spawned[i])
                pthread_join(tid[i], NULL);
        for (int i = 0; i < k && !done; i++) {
            int r = start + i; /* the row; the replication is first + r */
            if (w[i].rc != 0) {
                rc = w[i].rc;
                memcpy(res->audit_msg, w[i].msg, sizeof res->audit_msg);
                break;
            }
            take_row(res, r, &w[i]);
            /* the rule sees replications 0..r only, in their fixed order,
             * so where it stops is as deterministic as the values */
            if (scratch && precision_met(res, r + 1, res->precision, scratch)) {
                res->reps = reps = r + 1;
                res->precision_reached = 1;
                done = 1;
            }
        }
        if (o->on_progress && rc == 0)
            o->on_progress(o->progress_arg, done ? reps : start + k, reps);
    }
    res->wall_s = now_s() - t0;
    free(scratch);
    workers_free(w, nw);
    if (rc != 0)
        return rc;
    summarize(res);
    return 0;
}

void run_result_fini(struct run_result *res)
{
    free(res->values);
    res->values = NULL;
    free(res->detail);
    res->detail = NULL;
}

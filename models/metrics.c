/* metrics.c -- see metrics.h. Order here is the order of every output. */
#include "models/metrics.h"

#include "models/bound.h"
#include "models/provision.h"
#include "engine/stats.h"
#include "base/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

const struct metric_info metric_table[METRIC_COUNT] = {
    [METRIC_CLEAR_TIME] = {"clear_time_s", METRIC_UNIT_SECONDS, "rollout clear time"},
    [METRIC_FAILED_TASKS_ZERO] = {"failed_tasks_zero_s", METRIC_UNIT_SECONDS, "failed tasks back to 0 after"},
    [METRIC_CLEARED] = {"cleared", METRIC_UNIT_RATIO, "rollout cleared within horizon"},
    [METRIC_FAILED_TASKS_CLEARED] = {"failed_tasks_cleared", METRIC_UNIT_RATIO, "failed-task list empty at the end"},
    [METRIC_JOBS] = {"jobs", METRIC_UNIT_COUNT, "jobs (rollout + background)"},
    [METRIC_SUCCEEDED] = {"succeeded", METRIC_UNIT_COUNT, "succeeded"},
    [METRIC_EXHAUSTED] = {"exhausted", METRIC_UNIT_COUNT, "exhausted (gave up)"},
    [METRIC_PARKED] = {"parked", METRIC_UNIT_COUNT, "parked (need a manual retry)"},
    [METRIC_PENDING] = {"pending", METRIC_UNIT_COUNT, "still pending at horizon"},
    [METRIC_ATTEMPTS] = {"attempts", METRIC_UNIT_COUNT, "requests sent"},
    [METRIC_THROTTLED] = {"throttled", METRIC_UNIT_COUNT, "429s received"},
    [METRIC_SERVER_ERRORS] = {"server_errors", METRIC_UNIT_COUNT, "5xx received"},
    [METRIC_AMPLIFICATION] = {"amplification", METRIC_UNIT_RATIO, "attempts per job"},
    [METRIC_ROLLOUT_JOB_ATTEMPTS] = {"rollout_job_attempts_mean", METRIC_UNIT_RATIO, "tries per rollout job"},
    [METRIC_JOBS_BEFORE_429] = {"rollout_jobs_before_first_429", METRIC_UNIT_COUNT, "rollout jobs started before its first 429"},
    [METRIC_PEAK_BACKLOG] = {"peak_backlog", METRIC_UNIT_COUNT, "peak backlog (jobs)"},
    [METRIC_PEAK_FAILED_TASKS] = {"peak_failed_tasks", METRIC_UNIT_COUNT, "peak failed tasks"},
    [METRIC_ROLLOUT_P50] = {"rollout_latency_p50_s", METRIC_UNIT_SECONDS, "rollout job latency p50"},
    [METRIC_ROLLOUT_P95] = {"rollout_latency_p95_s", METRIC_UNIT_SECONDS, "rollout job latency p95"},
    [METRIC_ROLLOUT_P99] = {"rollout_latency_p99_s", METRIC_UNIT_SECONDS, "rollout job latency p99"},
    [METRIC_ROLLOUT_MAX] = {"rollout_latency_max_s", METRIC_UNIT_SECONDS, "rollout job latency max"},
    [METRIC_GROUP_JOBS] = {"group_jobs", METRIC_UNIT_COUNT, "group push jobs"},
    [METRIC_GROUP_CLEAR_TIME] = {"group_clear_time_s", METRIC_UNIT_SECONDS, "group push clear time"},
    [METRIC_HARM_OTHER_THROTTLED] = {"harm_other_clients_throttled", METRIC_UNIT_COUNT, "extra 429s to other clients"},
    [METRIC_HARM_BG_THROTTLED] = {"harm_background_throttled", METRIC_UNIT_COUNT, "extra 429s on background jobs"},
    [METRIC_HARM_BG_DELAY_MEAN] = {"harm_background_delay_mean_s", METRIC_UNIT_SECONDS, "extra background delay, mean"},
    [METRIC_HARM_BG_DELAY_MAX] = {"harm_background_delay_max_s", METRIC_UNIT_SECONDS, "extra background delay, worst job"},
    [METRIC_HARM_BG_DELAYED_JOBS] = {"harm_background_delayed_jobs", METRIC_UNIT_COUNT, "background jobs delayed > threshold"},
    [METRIC_BACKGROUND_JOBS] = {"background_jobs", METRIC_UNIT_COUNT, "background jobs"},
    [METRIC_BACKGROUND_LAT_MEAN] = {"background_latency_mean_s", METRIC_UNIT_SECONDS, "background job latency mean"},
    [METRIC_BACKGROUND_LAT_P95] = {"background_latency_p95_s", METRIC_UNIT_SECONDS, "background job latency p95"},
    [METRIC_BACKGROUND_THROTTLED] = {"background_throttled", METRIC_UNIT_COUNT, "429s on background jobs"},
    [METRIC_OTHER_REQUESTS] = {"other_clients_requests", METRIC_UNIT_COUNT, "other clients' requests"},
    [METRIC_OTHER_THROTTLED] = {"other_clients_throttled", METRIC_UNIT_COUNT, "other clients' 429s (collateral)"},
    [METRIC_LOWER_BOUND] = {"lower_bound_s", METRIC_UNIT_SECONDS, "lower bound on clear time"},
    [METRIC_FAIR_SHARE] = {"fair_share_s", METRIC_UNIT_SECONDS, "fair-share clear time (reference)"},
    [METRIC_EFFICIENCY] = {"efficiency", METRIC_UNIT_RATIO, "efficiency (lower bound / clear time)"},
    [METRIC_EVENTS] = {"events", METRIC_UNIT_COUNT, "events simulated"},
};

/* The succeeded rollout jobs' latencies, gathered over the jobs array
 * itself: the i-th latency (8 bytes at offset 8i) is written only after
 * job i (16 bytes at offset 16i) has been read, so a million-job
 * replication needs no second array for its quantiles. The jobs are gone
 * afterwards (metric_compute's contract); the quantiles do not depend on
 * the order. */
static double *gather_rollout_latencies(struct prov *p, size_t *n)
{
    unsigned char *buf = (unsigned char *)p->jobs;
    size_t k = 0;
    for (size_t i = 0; i < p->njobs; i++) {
        const struct job *j = &p->jobs[i];
        if (j->origin != JOB_ORIGIN_ROLLOUT || j->state != JOB_SUCCEEDED)
            continue;
        double lat = job_latency_s(j);
        memcpy(buf + k * sizeof lat, &lat, sizeof lat);
        k++;
    }
    p->njobs = 0; /* the jobs array now holds the latencies */
    *n = k;
    return (double *)(void *)buf;
}

void metric_compute(struct prov *p, const struct bound_parts *b, double fair_share_s, double *m)
{
    const struct scenario *s = p->scn;
    double horizon = p->end_s; /* the horizon, or where horizon "auto" stopped */
    memset(m, 0, sizeof(double) * METRIC_COUNT);

    size_t total_rollout = 0;
    double total_group = 0.0;
    for (int r = 0; r < s->nrollouts; r++) {
        total_rollout += (size_t)wl_rollout_jobs(&s->rollouts[r]);
        total_group += wl_rollout_group_jobs(&s->rollouts[r], JOB_KIND_GROUP_CREATE) +
                       wl_rollout_group_jobs(&s->rollouts[r], JOB_KIND_GROUP_MEMBERS);
    }
    int cleared = p->rollout_done == total_rollout;
    double first = isfinite(p->rollout_first_s) ? p->rollout_first_s : 0.0;
    if (total_rollout == 0) {
        m[METRIC_CLEAR_TIME] = 0.0;
        m[METRIC_FAILED_TASKS_ZERO] = 0.0;
    } else {
        /* not cleared: censored at the horizon (a lower bound) */
        m[METRIC_CLEAR_TIME] = (cleared ? p->rollout_last_done_s : horizon) - first;
        if (p->rollout_failed > 0)
            m[METRIC_FAILED_TASKS_ZERO] = horizon - first;
        else if (p->rollout_ever_failed)
            m[METRIC_FAILED_TASKS_ZERO] = p->rollout_zero_s - first;
        else
            m[METRIC_FAILED_TASKS_ZERO] = 0.0;
    }
    m[METRIC_CLEARED] = cleared;
    m[METRIC_FAILED_TASKS_CLEARED] = p->rollout_failed == 0;
    m[METRIC_JOBS] = (double)p->njobs;
    m[METRIC_SUCCEEDED] = (double)p->count[JOB_SUCCEEDED];
    m[METRIC_EXHAUSTED] = (double)p->count[JOB_EXHAUSTED];
    m[METRIC_PARKED] = (double)p->count[JOB_PARKED];
    m[METRIC_PENDING] = (double)(p->count[JOB_QUEUED] + p->count[JOB_WAITING] + p->count[JOB_IN_FLIGHT]);
    m[METRIC_ATTEMPTS] = (double)p->attempts;
    m[METRIC_THROTTLED] = (double)p->throttled;
    m[METRIC_SERVER_ERRORS] = (double)p->server_errors;
    m[METRIC_AMPLIFICATION] = p->njobs ? (double)p->attempts / (double)p->njobs : 0.0;
    m[METRIC_ROLLOUT_JOB_ATTEMPTS] =
        p->rollout_jobs ? (double)p->rollout_tries / (double)p->rollout_jobs : 0.0;
    /* never throttled: every rollout job started first */
    m[METRIC_JOBS_BEFORE_429] =
        (double)(p->rollout_first_429_jobs ? p->rollout_first_429_jobs : p->rollout_started);
    m[METRIC_PEAK_BACKLOG] = (double)p->peak_backlog;
    m[METRIC_PEAK_FAILED_TASKS] = (double)p->peak_failed;
    size_t nlat = 0;
    double *lat = gather_rollout_latencies(p, &nlat);
    if (nlat) {
        static const double ps[3] = {0.50, 0.95, 0.99};
        double q[3];
        stats_quantiles(lat, nlat, ps, 3, q);
        m[METRIC_ROLLOUT_P50] = q[0];
        m[METRIC_ROLLOUT_P95] = q[1];
        m[METRIC_ROLLOUT_P99] = q[2];
        m[METRIC_ROLLOUT_MAX] = gsl_stats_max(lat, 1, nlat);
    }
    m[METRIC_GROUP_JOBS] = (double)p->group_jobs;
    if (total_group > 0.0) /* not all done: censored at the horizon, as the clear time */
        m[METRIC_GROUP_CLEAR_TIME] =
            ((double)p->group_done == total_group ? p->group_last_done_s : horizon) - first;
    m[METRIC_BACKGROUND_JOBS] = (double)p->bg_jobs;
    if (p->nbg_lat) {
        m[METRIC_BACKGROUND_LAT_MEAN] = p->bg_lat_sum / (double)p->nbg_lat;
        m[METRIC_BACKGROUND_LAT_P95] = stats_quantile(p->bg_lat, p->nbg_lat, 0.95);
    }
    m[METRIC_BACKGROUND_THROTTLED] = (double)p->bg_throttled;
    m[METRIC_OTHER_REQUESTS] = (double)p->other_requests;
    m[METRIC_OTHER_THROTTLED] = (double)p->other_throttled;
    m[METRIC_LOWER_BOUND] = b->lower_bound_s;
    m[METRIC_FAIR_SHARE] = fair_share_s;
    /* the per-replication terms: a mean-latency term can be beaten by one
     * lucky replication, and efficiency is <= 100% by definition */
    m[METRIC_EFFICIENCY] = m[METRIC_CLEAR_TIME] > 0.0 ? b->strict_s / m[METRIC_CLEAR_TIME] : 1.0;
    m[METRIC_EVENTS] = (double)p->q.popped;
}

/* ---- harm: the same day with and without the rollouts ---------------- */

static void push_time(double **a, size_t *n, size_t *cap, double t)
{
    if (*n == *cap)
        xgrow((void **)a, cap, *n + 1, sizeof(double));
    (*a)[(*n)++] = t;
}

static void record_request(void *ctx, const struct prov_request *rq)
{
    struct harm_base *b = ctx;
    if (rq->outcome != SRV_THROTTLED)
        return;
    /* as the model counts them: other clients' 429s at their arrival,
     * a job's when its response arrives, reject_latency_s later (the
     * same sum evq_push_after makes) */
    if (rq->origin == JOB_ORIGIN_OTHER)
        push_time(&b->t_other, &b->n_other, &b->cap_other, rq->t);
    else if (rq->origin == JOB_ORIGIN_BACKGROUND)
        push_time(&b->t_bg, &b->n_bg, &b->cap_bg, rq->t + b->reject_latency_s);
}

void harm_base_record(struct prov *without, struct harm_base *b)
{
    XASSERT(without->scn->nrollouts == 0 && !without->trace);
    b->reject_latency_s = without->scn->server.reject_latency_s;
    b->n_other = b->n_bg = b->nbg = 0;
    without->trace = record_request;
    without->trace_ctx = b;
}

void harm_base_take(struct prov *without, struct harm_base *b)
{
    without->trace = NULL;
    without->trace_ctx = NULL;
    if (b->cap < without->nbg_created) {
        size_t c = b->cap;
        xgrow((void **)&b->created, &c, without->nbg_created, sizeof(double));
        xgrow((void **)&b->latency, &b->cap, without->nbg_created, sizeof(double));
    }
    size_t k = 0;
    for (size_t i = 0; i < without->njobs; i++) {
        const struct job *j = &without->jobs[i];
        if (j->origin != JOB_ORIGIN_BACKGROUND)
            continue;
        XASSERT(k < without->nbg_created);
        b->created[k] = without->bg_created[k];
        b->latency[k] = j->state == JOB_SUCCEEDED ? job_latency_s(j) : NAN;
        k++;
    }
    b->nbg = k;
}

void harm_base_fini(struct harm_base *b)
{
    free(b->t_other);
    free(b->t_bg);
    free(b->created);
    free(b->latency);
    memset(b, 0, sizeof *b);
}

double harm_window_end_s(const struct prov *p)
{
    return isfinite(p->window_end_s) ? p->window_end_s : p->end_s;
}

/* How many of the n times in t (in order) are at or before w. */
static size_t count_until(const double *t, size_t n, double w)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t[mid] <= w)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void harm_compute(const struct prov *with, const struct harm_base *without, double *m)
{
    /* Up to the end of the window, w: settle_s after the rollout settled
     * (or the end). Before the first rollout job both runs are the same;
     * after w both see the same arrivals and an idle client, and only the
     * latency streams' different positions would differ: noise, not harm,
     * and the reason the rollout-free replication stops at w. */
    double w = harm_window_end_s(with);
    int win = isfinite(with->window_end_s);
    uint64_t other = win ? with->win_other_throttled : with->other_throttled;
    uint64_t bg = win ? with->win_bg_throttled : with->bg_throttled;
    m[METRIC_HARM_OTHER_THROTTLED] =
        (double)other - (double)count_until(without->t_other, without->n_other, w);
    m[METRIC_HARM_BG_THROTTLED] = (double)bg - (double)count_until(without->t_bg, without->n_bg, w);
    /* The delays: background jobs created from the first rollout job until
     * the rollout was done and the client's backlog gone (or the end),
     * each against the same job without the rollouts, if that one was done
     * by w. */
    double lo = with->rollout_first_s;
    double hi = isfinite(with->settled_s) ? with->settled_s : with->end_s;
    double end = with->end_s, thr = with->scn->harm_delay_threshold_s;
    double sum = 0.0, worst = 0.0;
    size_t n = 0, delayed = 0, nb = 0;
    for (size_t i = 0; i < with->njobs && nb < without->nbg; i++) {
        const struct job *j = &with->jobs[i];
        if (j->origin != JOB_ORIGIN_BACKGROUND)
            continue;
        /* the k-th background job of with is the k-th job of without:
         * common random numbers, the same arrival in both runs */
        double created = with->bg_created[nb], base_lat = without->latency[nb];
        XASSERT_AT(created == without->created[nb], created);
        nb++;
        if (created < lo || created > hi || isnan(base_lat) || created + base_lat > w)
            continue;
        /* unfinished with the rollout: it has waited at least until the end */
        double lat = j->state == JOB_SUCCEEDED ? job_latency_s(j) : end - created;
        double d = lat - base_lat;
        sum += d;
        n++;
        if (d > worst)
            worst = d;
        delayed += d > thr;
    }
    m[METRIC_HARM_BG_DELAY_MEAN] = n ? sum / (double)n : 0.0;
    m[METRIC_HARM_BG_DELAY_MAX] = worst;
    m[METRIC_HARM_BG_DELAYED_JOBS] = (double)delayed;
}

void metric_detail(const struct prov *p, double *out)
{
    memset(out, 0, sizeof(double) * METRIC_DETAIL_COUNT);
    for (int e = 0; e < EP_COUNT; e++) {
        out[metric_detail_ep(e, 0)] = (double)p->ep_requests[e];
        out[metric_detail_ep(e, 1)] = (double)p->ep_throttled[e];
    }
    uint64_t all = p->throttled + p->other_throttled;
    for (int i = 0; i < p->srv.nlims; i++) {
        out[metric_detail_lim(i, 0)] = (double)p->srv.refusals[i];
        out[metric_detail_lim(i, 1)] = all ? (double)p->srv.refusals[i] / (double)all : 0.0;
    }
}

/* metrics.c -- see metrics.h. Order here is the order of every output. */
#include "models/metrics.h"

#include "models/provision.h"
#include "engine/stats.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

const struct metric_info metric_table[METRIC_COUNT] = {
    [METRIC_CLEAR_TIME] = {"clear_time_s", METRIC_UNIT_SECONDS, "rollout clear time"},
    [METRIC_FAILED_TASKS_ZERO] = {"failed_tasks_zero_s", METRIC_UNIT_SECONDS, "failed tasks back to 0 after"},
    [METRIC_CLEARED] = {"cleared", METRIC_UNIT_RATIO, "rollout cleared within horizon"},
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
    [METRIC_BACKGROUND_JOBS] = {"background_jobs", METRIC_UNIT_COUNT, "background jobs"},
    [METRIC_BACKGROUND_LAT_MEAN] = {"background_latency_mean_s", METRIC_UNIT_SECONDS, "background job latency mean"},
    [METRIC_BACKGROUND_LAT_P95] = {"background_latency_p95_s", METRIC_UNIT_SECONDS, "background job latency p95"},
    [METRIC_BACKGROUND_THROTTLED] = {"background_throttled", METRIC_UNIT_COUNT, "429s on background jobs"},
    [METRIC_OTHER_REQUESTS] = {"other_clients_requests", METRIC_UNIT_COUNT, "other clients' requests"},
    [METRIC_OTHER_THROTTLED] = {"other_clients_throttled", METRIC_UNIT_COUNT, "other clients' 429s (collateral)"},
    [METRIC_LOWER_BOUND] = {"lower_bound_s", METRIC_UNIT_SECONDS, "lower bound on clear time"},
    [METRIC_EFFICIENCY] = {"efficiency", METRIC_UNIT_RATIO, "efficiency (lower bound / clear time)"},
    [METRIC_EVENTS] = {"events", METRIC_UNIT_COUNT, "events simulated"},
};

void metric_compute(struct prov *p, double lower_bound_s, double *m)
{
    const struct scenario *s = p->scn;
    double horizon = s->horizon_s;
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
    if (p->nrollout_lat) {
        m[METRIC_ROLLOUT_P50] = stats_quantile(p->rollout_lat, p->nrollout_lat, 0.50);
        m[METRIC_ROLLOUT_P95] = stats_quantile(p->rollout_lat, p->nrollout_lat, 0.95);
        m[METRIC_ROLLOUT_P99] = stats_quantile(p->rollout_lat, p->nrollout_lat, 0.99);
        m[METRIC_ROLLOUT_MAX] = gsl_stats_max(p->rollout_lat, 1, p->nrollout_lat);
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
    m[METRIC_LOWER_BOUND] = lower_bound_s;
    m[METRIC_EFFICIENCY] = m[METRIC_CLEAR_TIME] > 0.0 ? lower_bound_s / m[METRIC_CLEAR_TIME] : 1.0;
    m[METRIC_EVENTS] = (double)p->q.popped;
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

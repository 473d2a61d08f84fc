/* provision.h -- the provisioning pipeline of one replication: the
 * workload creates jobs, the identity provider's client sends them to the
 * SCIM server, failed jobs wait and retry. Other clients share the server.
 *
 * Client rules (see README, "Model rules"):
 *  - W workers; a free worker takes the oldest ready job from one FIFO
 *    queue and tries it: it sends the requests of the job's recipe
 *    (client.h) one after another, each as soon as the previous one's
 *    success arrives, and is busy until the job's try ends. With max_rate,
 *    requests (of any job) are sent at least 1/max_rate apart; a pause
 *    (pause_all) also holds a try's next request.
 *  - Success of the last request: the job has succeeded at response time.
 *  - 429 on any request: at response time the job joins the failed-task
 *    list (it stays there until it succeeds) and the retry policy sets
 *    when it is ready again; then it joins the back of the queue, and its
 *    next try starts at the recipe's first request (retry_from "start") or
 *    at the request that failed ("failed_request"). A job that has used
 *    its max_attempts tries is exhausted and stays on the failed-task list.
 *    on_429 = pause_all also stops all dispatching until the response time
 *    plus Retry-After.
 *  - 5xx: as a 429, but delayed by the error_retry (exponential) policy;
 *    or, with on_error = park, the job is parked: it stays on the
 *    failed-task list, needing a manual retry, and is not retried.
 * Every job is in exactly one state: queued, waiting (for a retry),
 * in flight, succeeded, exhausted or parked; prov_check verifies the
 * counts.
 *
 * Jobs live in one array indexed by job id that grows geometrically and is
 * reused across replications; the ready queue is a ring of job ids (its
 * size follows the longest queue, not the number of jobs); no allocation
 * per job or per event once the arrays have grown. */
#ifndef PROVSIM_PROVISION_H
#define PROVSIM_PROVISION_H

#include <stddef.h>
#include <stdint.h>

#include "engine/evq.h"
#include "engine/rng.h"
#include "models/config.h"
#include "models/endpoint.h"
#include "models/job.h"
#include "models/server.h"
#include "models/workload.h"

enum prov_event {
    PROV_EV_BATCH,      /* arg: rollout index; creates its next batch */
    PROV_EV_BACKGROUND, /* a background job arrives */
    PROV_EV_OTHER,      /* another client's request arrives at the server */
    PROV_EV_OTHER_DONE, /* arg: kind; another client's request left service */
    PROV_EV_RESPONSE,   /* arg: job id; the response reaches the client */
    PROV_EV_RETRY,      /* arg: job id; the job is ready again */
    PROV_EV_RESUME,     /* the client may dispatch again (pause or pacing over) */
    PROV_EV_STEP,       /* arg: job id; its try's next request may be sent */
    PROV_EV_STOP,       /* the settle time is over: the harm window ends, and
                         * with horizon "auto" the replication */
    PROV_EV_WAKE        /* arg: job id; its deferred retry is due while a
                         * worker is free (provision.c, "Deferred retries") */
};

/* One request as the server saw it at its arrival (replication 0 with
 * --trace). job_id is -1 for another client's request; attempt is the
 * job's try (1 = first) and step the request's index in its recipe;
 * refused_by is the limiter a 429 is counted against, else -1. */
struct prov_request {
    double t;
    long job_id;
    int origin, kind, endpoint, outcome, refused_by;
    unsigned attempt, step;
    double retry_after_s;
};
typedef void (*prov_trace_fn)(void *ctx, const struct prov_request *rq);

struct prov {
    const struct scenario *scn; /* borrowed (must outlive) */
    struct evq q;
    struct server srv;
    struct rng_set rng;
    struct wl_stream background, other;

    struct job *jobs;
    size_t njobs, jobs_cap;
    /* beside the jobs, indexed by job id, allocated only when a retry
     * policy needs them: decorrelated jitter's previous delay, and the
     * schedule policy's time of the first failure */
    double *retry_prev, *first_failed;
    uint32_t *fifo;            /* the ready queue: a ring of job ids */
    size_t fifo_head, fifo_len, fifo_cap; /* fifo_cap a power of two */
    size_t count[JOB_NSTATES];  /* jobs in each state */
    size_t failed_tasks;       /* jobs on the failed-task list (all origins) */
    size_t rollout_failed;     /* rollout jobs on it */
    int latency_constant;      /* responses after a recurring delay */
    int defer_retries;         /* retries may wait deferred (provision.c) */
    int other_inline;          /* other clients' arrivals are not events (provision.c) */
    double other_t;            /* with other_inline, the next arrival's time (INFINITY: none) */
    uint64_t other_seq;        /* and the sequence number it took */
    int free_workers;
    double paused_until_s;     /* pause_all: no dispatch before this */
    double next_dispatch_s;    /* max_rate: no dispatch before this */
    double resume_at_s;        /* a PROV_EV_RESUME is pending at this time */
    long batch_next[WL_MAX_ROLLOUTS];

    /* per-replication tallies */
    size_t rollout_jobs, rollout_done, rollout_total;
    double settled_s;          /* first time every rollout job was done and the
                                * client had no backlog; INFINITY: not yet */
    double end_s;              /* where the replication stopped: the horizon, or
                                * horizon "auto"'s settle time after settled_s */
    double window_end_s;       /* settle_s after settled_s, once reached: the end
                                * of the harm metrics' window; INFINITY: not */
    uint64_t win_other_throttled, win_bg_throttled; /* 429 counts at window_end_s */
    double rollout_first_s, rollout_last_done_s, rollout_zero_s;
    int rollout_ever_failed;
    uint64_t attempts, throttled, server_errors, bg_jobs, bg_throttled;
    uint64_t other_requests, other_throttled;
    uint64_t rollout_tries;    /* tries of rollout jobs (first + retries) */
    size_t rollout_started;    /* rollout jobs that have begun their first try */
    size_t rollout_first_429_jobs; /* rollout_started at the rollout's first 429; 0 = none yet */
    size_t group_jobs, group_done;
    double group_last_done_s;
    uint64_t ep_requests[EP_COUNT], ep_throttled[EP_COUNT]; /* all origins */
    size_t peak_backlog, peak_failed;
    double *bg_lat;            /* succeeded background jobs' latencies, in order of success */
    size_t nbg_lat, bg_lat_cap;
    double bg_lat_sum;
    double *bg_created;        /* background jobs' creation times, in arrival order */
    size_t nbg_created, bg_created_cap;

    prov_trace_fn trace;
    void *trace_ctx;
};

/* Jobs one replication can hold (job ids are 32-bit; UINT32_MAX means
 * none). mem_guard refuses a scenario that expects more than half of it. */
#define PROV_MAX_JOBS ((double)UINT32_MAX - 1.0)

/* Memory per job of scenario s, bytes: its struct, its place in the ready
 * queue when all are queued at once, and the side arrays s's retry
 * policies need (the estimate of sim/run/memlimit.h). */
size_t prov_bytes_per_job(const struct scenario *s);

/* init/fini own the contents; scn is borrowed. */
void prov_init(struct prov *p, const struct scenario *scn);
void prov_fini(struct prov *p);
/* Starts replication rep: empties every state, seeds the streams, and
 * schedules the first batch of each rollout and the first arrivals. */
void prov_start(struct prov *p, uint64_t rep);
/* Handles one popped event. */
void prov_handle(struct prov *p, const struct ev *ev);
/* Runs the replication through the engine's one loop (evq_run) until the
 * next event is past the horizon (or, with horizon "auto", until settle_s
 * after settled_s; p->end_s says where it stopped). before/after are evq_loop's optional
 * hooks (NULL: none; the --audit checks and the series sampler use them).
 * Returns 0, or the stop code a hook returned. */
int prov_run(struct prov *p, int (*before)(void *hook, const struct ev *ev),
             int (*after)(void *hook, const struct ev *ev), void *hook);

/* Brings the state up to time t, which is before the next event's: the
 * deferred retries due by then join the ready queue, and other clients'
 * arrivals due by then are decided, as their events would have done
 * (provision.c, "Deferred retries", "other clients' arrivals without
 * events"). Whoever reads the state between events (the series sampler)
 * calls it first; prov_handle and prov_run do it themselves. */
void prov_catch_up(struct prov *p, double t);

/* Jobs waiting in the FIFO / for a retry / in flight. */
static inline size_t prov_queued(const struct prov *p) { return p->count[JOB_QUEUED]; }
static inline size_t prov_waiting(const struct prov *p) { return p->count[JOB_WAITING]; }
static inline size_t prov_in_flight(const struct prov *p) { return p->count[JOB_IN_FLIGHT]; }

/* Checks the model's invariants. Returns NULL if they hold, else a static
 * description of the first that fails (and *job_id the job, or -1). The
 * O(1) checks run on every call; the walks over all jobs, the queue, the
 * heap and the limiters run when full is set or on every 1024th event. */
const char *prov_check(const struct prov *p, int full, long *job_id);

#endif

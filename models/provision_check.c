/* provision_check.c -- prov_check (provision.h): the pipeline's invariants.
 *  - count[s] is the number of jobs in state s; they add up to njobs.
 *  - The FIFO holds exactly the queued jobs, oldest first.
 *  - free_workers + count[JOB_IN_FLIGHT] == workers.
 *  - failed_tasks counts jobs with failed set and state != succeeded;
 *    rollout_failed counts those that are rollout jobs.
 *  - exhausted and parked jobs are on the failed-task list; no job's
 *    recipe step is past its recipe. */
#include "models/provision.h"

const char *prov_check(const struct prov *p, int full, long *job_id)
{
    *job_id = -1;
    size_t sum = 0;
    for (int st = 0; st < JOB_NSTATES; st++)
        sum += p->count[st];
    if (sum != p->njobs)
        return "job state counts do not add up to the number of jobs";
    if ((size_t)p->free_workers + p->count[JOB_IN_FLIGHT] != (size_t)p->scn->client.workers)
        return "free workers + in-flight requests != workers";
    if (p->failed_tasks > p->njobs || p->rollout_failed > p->failed_tasks)
        return "failed-task counts out of range";
    /* The walks below are O(jobs + events): doing them after every event
     * would make an audited run quadratic, so they run every 1024th event
     * and whenever the caller asks for a full check (end of a run). */
    if (!full && (p->q.popped & 1023u) != 0)
        return NULL;
    size_t n[JOB_NSTATES] = {0}, failed = 0, rfailed = 0;
    for (size_t i = 0; i < p->njobs; i++) {
        const struct job *j = &p->jobs[i];
        if (j->state >= JOB_NSTATES) {
            *job_id = (long)i;
            return "job in an unknown state";
        }
        n[j->state]++;
        if (j->failed && j->state != JOB_SUCCEEDED) {
            failed++;
            rfailed += j->origin == JOB_ORIGIN_ROLLOUT;
        }
        if ((j->state == JOB_EXHAUSTED || j->state == JOB_PARKED) && !j->failed) {
            *job_id = (long)i;
            return "exhausted or parked job not on the failed-task list";
        }
        if (j->step >= p->scn->client.recipe[j->kind].n) {
            *job_id = (long)i;
            return "job's recipe step past its recipe";
        }
    }
    /* a deferred retry that take_due queued reads JOB_WAITING until
     * dispatch writes its state (provision.c): in the ready queue it
     * counts as queued; nowhere else may a job wait */
    size_t inq = 0, lazy = 0;
    for (size_t i = 0; i < p->fifo_len; i++) {
        uint32_t id = p->fifo[(p->fifo_head + i) & (p->fifo_cap - 1)];
        int st = id < p->njobs ? (int)p->jobs[id].state : -1;
        if (st != JOB_QUEUED && !(st == JOB_WAITING && p->defer_retries)) {
            *job_id = (long)id;
            return "job in the ready queue is not queued";
        }
        lazy += st == JOB_WAITING;
        inq++;
    }
    n[JOB_WAITING] -= lazy;
    n[JOB_QUEUED] += lazy;
    for (int st = 0; st < JOB_NSTATES; st++)
        if (n[st] != p->count[st])
            return "job state count differs from the jobs' states";
    if (failed != p->failed_tasks || rfailed != p->rollout_failed)
        return "failed-task count differs from the jobs on the list";
    if (inq != p->count[JOB_QUEUED])
        return "ready queue length differs from the queued count";
    const char *bad = evq_check(&p->q);
    for (int i = 0; !bad && i < p->srv.nlims; i++)
        bad = lim_check(&p->srv.lims[i]);
    if (bad)
        return bad;
    return NULL;
}

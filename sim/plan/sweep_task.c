/* sweep_task.c -- a sweep split into tasks: its units (a cell and a
 * block of replications), what each is expected to cost, and which task
 * runs it (sweep.h, "Tasks").
 *
 * Invariants:
 * - The plan is a function of the cells' replications, their costs and
 *   the number of tasks only: every task and the merge compute the same
 *   plan from the same sweep, on any machine (integer costs, no floating
 *   point in the deal).
 * - The blocks of a cell cover its replications 0..R-1 once, in order.
 * - With --precision a cell is one unit: its stopping rule looks at
 *   replications 0, 1, ... in order. */
#include "plan/sweep_internal.h"

#include "models/bound.h"
#include "run/memlimit.h"
#include "base/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Units per task the split aims at, at least: dealing about four units
 * to each task, largest first, leaves the tasks within about a unit's
 * cost of each other (Graham's bound for the largest-first rule is
 * 4/3 of the best deal). */
#define UNITS_PER_TASK 4

uint64_t sweep_cell_cost(const struct scenario *s)
{
    double n = 0;
    for (int r = 0; r < s->nrollouts; r++)
        n += (double)s->rollouts[r].users * bound_requests_per_job(s, s->rollouts[r].kind);
    /* every background job and other client's request, at the mean
     * length of a background job's recipe */
    double bg_len = 0;
    for (int k = 0; k < JOB_KIND_COUNT; k++)
        bg_len += s->background.mix[k] * bound_requests_per_job(s, k);
    double streams = mem_expected_arrivals(s, &s->background) * bg_len +
                     mem_expected_arrivals(s, &s->other);
    /* the rollout-free replication beside it (harm metrics) runs them again */
    if (s->nrollouts > 0 && (s->background.enabled || s->other.enabled))
        streams *= 2;
    n += streams;
    if (!(n >= 1)) /* NaN, or nothing at all: a replication still costs */
        return 1;
    return n > 1e18 ? (uint64_t)1e18 : (uint64_t)llround(n);
}

static int by_cost_desc(const void *pa, const void *pb, const struct sweep_unit *u)
{
    int a = *(const int *)pa, b = *(const int *)pb;
    if (u[a].cost != u[b].cost)
        return u[a].cost > u[b].cost ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* qsort has no context argument: a small merge sort instead,
 * stable and deterministic. */
static void sort_order(int *idx, int n, const struct sweep_unit *u)
{
    if (n < 2)
        return;
    int h = n / 2;
    sort_order(idx, h, u);
    sort_order(idx + h, n - h, u);
    int *tmp = xmalloc((size_t)n * sizeof *tmp);
    int i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = by_cost_desc(&idx[j], &idx[i], u) < 0 ? idx[j++] : idx[i++];
    while (i < h)
        tmp[k++] = idx[i++];
    while (j < n)
        tmp[k++] = idx[j++];
    memcpy(idx, tmp, (size_t)n * sizeof *idx);
    free(tmp);
}

void sweep_plan_build(const struct sweep_ctx *c, int ntasks, struct sweep_plan *p)
{
    const struct sweep *sw = c->sw;
    XASSERT(ntasks >= 1);
    memset(p, 0, sizeof *p);
    p->ntasks = ntasks;
    long long want = (long long)UNITS_PER_TASK * ntasks;
    int blocks = (int)((want + sw->ncells - 1) / sw->ncells);
    if (c->o->precision > 0 || blocks < 1)
        blocks = 1;
    long long n = 0;
    for (int i = 0; i < sw->ncells; i++)
        n += blocks < c->cell_reps[i] ? blocks : c->cell_reps[i];
    p->units = xcalloc((size_t)n, sizeof *p->units);
    for (int i = 0; i < sw->ncells; i++) {
        int r = c->cell_reps[i], k = blocks < r ? blocks : r;
        for (int b = 0; b < k; b++) {
            /* block b: replications [b R / k, (b + 1) R / k) */
            struct sweep_unit *u = &p->units[p->nunits++];
            u->cell = i;
            u->first = (int)((long long)b * r / k);
            u->reps = (int)((long long)(b + 1) * r / k) - u->first;
            u->cost = (uint64_t)u->reps * c->cell_cost[i];
        }
    }
    /* largest first, each to the task with the least cost so far */
    p->order = xmalloc((size_t)p->nunits * sizeof *p->order);
    for (int i = 0; i < p->nunits; i++)
        p->order[i] = i;
    sort_order(p->order, p->nunits, p->units);
    uint64_t *load = xcalloc((size_t)ntasks, sizeof *load);
    for (int i = 0; i < p->nunits; i++) {
        int best = 0;
        for (int t = 1; t < ntasks; t++)
            if (load[t] < load[best])
                best = t;
        p->units[p->order[i]].task = best;
        load[best] += p->units[p->order[i]].cost;
    }
    free(load);
}

void sweep_plan_fini(struct sweep_plan *p)
{
    free(p->units);
    free(p->order);
    memset(p, 0, sizeof *p);
}

int sweep_plan_find(const struct sweep_plan *p, int cell, int first)
{
    /* units are in (cell, first) order */
    int lo = 0, hi = p->nunits - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        const struct sweep_unit *u = &p->units[mid];
        if (u->cell == cell && u->first == first)
            return mid;
        if (u->cell < cell || (u->cell == cell && u->first < first))
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

void sweep_unit_label(const struct sweep_unit *u, char *buf, size_t len)
{
    if (u->reps == 1)
        snprintf(buf, len, "cell %d (replication %d)", u->cell + 1, u->first);
    else
        snprintf(buf, len, "cell %d (replications %d-%d)", u->cell + 1, u->first,
                 u->first + u->reps - 1);
}

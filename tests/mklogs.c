/* mklogs.c -- the logs of one replication (see mklogs.h). */
#include "mklogs.h"

#include "base/util.h"
#include "logs/logtime.h"
#include "models/provision.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rec {
    double t, dur;
    long job;
    int origin, kind, endpoint, outcome;
    unsigned step;
    double retry_after;
};

struct ctx {
    struct rec *r;
    size_t n, cap;
    size_t *pending; /* job id -> record of its request in flight */
    size_t npending;
    const struct scenario *s;
    const struct prov *p;
    double *created; /* job id -> creation time (the event that created it) */
    size_t ncreated, created_cap;
};

static void on_request(void *arg, const struct prov_request *rq)
{
    struct ctx *c = arg;
    xgrow((void **)&c->r, &c->cap, c->n + 1, sizeof *c->r);
    c->r[c->n] = (struct rec){rq->t,     -1,          rq->job_id,  rq->origin, rq->kind,
                              rq->endpoint, rq->outcome, rq->step, rq->retry_after_s};
    if (rq->job_id >= 0) {
        if ((size_t)rq->job_id >= c->npending) {
            size_t n = 2 * (size_t)rq->job_id + 16;
            c->pending = xrealloc(c->pending, n * sizeof *c->pending);
            c->npending = n;
        }
        c->pending[rq->job_id] = c->n;
    } else {
        c->r[c->n].dur = 0.05; /* another client's: not this client's to measure */
    }
    c->n++;
}

static int before(void *arg, const struct ev *ev)
{
    struct ctx *c = arg;
    if (ev_type(ev) == PROV_EV_RESPONSE && ev->arg < c->npending) {
        struct rec *r = &c->r[c->pending[ev->arg]];
        if (r->dur < 0)
            r->dur = ev->t - r->t;
    }
    return 0;
}

/* Jobs appear in the array while an event is handled: they were created
 * at its time. */
static int after(void *arg, const struct ev *ev)
{
    struct ctx *c = arg;
    if (c->p->njobs > c->ncreated) {
        xgrow((void **)&c->created, &c->created_cap, c->p->njobs, sizeof *c->created);
        for (size_t j = c->ncreated; j < c->p->njobs; j++)
            c->created[j] = ev->t;
        c->ncreated = c->p->njobs;
    }
    return 0;
}

struct oev {
    double t;
    const char *type, *app, *result;
    char user[48];
};

static int cmp_oev(const void *a, const void *b)
{
    const struct oev *x = a, *y = b;
    return (x->t > y->t) - (x->t < y->t);
}

static const char *push_type(int kind)
{
    return kind == 0 ? "application.provision.user.push"
                     : kind == 1 ? "application.provision.user.push_profile"
                                 : "application.provision.user.deactivate";
}

static void add(struct oev **v, size_t *n, size_t *cap, double t, const char *type,
                const char *app, const char *user)
{
    xgrow((void **)v, cap, *n + 1, sizeof **v);
    struct oev *e = &(*v)[(*n)++];
    e->t = t;
    e->type = type;
    e->app = app;
    e->result = "SUCCESS";
    snprintf(e->user, sizeof e->user, "%s", user);
}

static void user_name(char *buf, size_t len, int origin, long job)
{
    snprintf(buf, len, "%s%ld@example.com", origin == JOB_ORIGIN_ROLLOUT ? "u" : "b", job);
}

static int write_okta(const struct ctx *c, const struct prov *p, const struct mklogs_opts *o)
{
    struct oev *v = NULL;
    size_t n = 0, cap = 0;
    char u[48];
    double t0 = (double)c->s->start_epoch_s;
    for (size_t j = 0; j < p->njobs; j++)
        if (p->jobs[j].origin == JOB_ORIGIN_ROLLOUT && p->jobs[j].kind < JOB_KIND_USER_COUNT) {
            user_name(u, sizeof u, JOB_ORIGIN_ROLLOUT, (long)j);
            double created = j < c->ncreated ? c->created[j] : 0;
            add(&v, &n, &cap, t0 + created, "application.user_membership.add", "Slack", u);
            if (o->noise && j % 5 == 0) /* assigned twice */
                add(&v, &n, &cap, t0 + created + 2, "application.user_membership.add", "Slack", u);
        }
    for (size_t i = 0; i < c->n; i++) {
        const struct rec *r = &c->r[i];
        if (r->job < 0 || r->kind >= JOB_KIND_USER_COUNT)
            continue;
        user_name(u, sizeof u, r->origin, r->job);
        double done = t0 + r->t + fmax(r->dur, 0);
        if (r->outcome == 1)
            add(&v, &n, &cap, done, "application.integration.rate_limit_exceeded", "Slack", u);
        else if (r->outcome == 0 && r->step + 1u == c->s->client.recipe[r->kind].n)
            add(&v, &n, &cap, done, push_type(r->kind), "Slack", u);
        if (o->noise && i % 23 == 0) {
            add(&v, &n, &cap, done - 1, "user.session.start", "Slack", u);
            add(&v, &n, &cap, done - 0.5, "application.provision.user.push", "Zoom", u);
        }
    }
    qsort(v, n, sizeof *v, cmp_oev);
    if (o->noise) /* out-of-order lines */
        for (size_t i = 0; i + 1 < n; i += 11) {
            struct oev tmp = v[i];
            v[i] = v[i + 1];
            v[i + 1] = tmp;
        }
    FILE *f = fopen(o->okta_path, "w");
    if (!f) {
        perror(o->okta_path);
        free(v);
        return -1;
    }
    if (o->okta_format == MKLOGS_OKTA_CSV)
        fputs("uuid,published,eventType,outcome.result,target.AppInstance.displayName,"
              "target.User.alternateId,displayMessage\n", f);
    if (o->okta_format == MKLOGS_OKTA_ARRAY)
        fputs("[\n", f);
    for (size_t i = 0; i < n; i++) {
        char ts[32];
        logtime_format_iso(v[i].t, ts, sizeof ts);
        if (o->okta_format == MKLOGS_OKTA_CSV) {
            fprintf(f, "e%zu,%s,%s,%s,%s,%s,\"Push, \"\"user\"\"\"\n", i, ts, v[i].type,
                    v[i].result, v[i].app, v[i].user);
            continue;
        }
        fprintf(f, "%s{\"uuid\": \"e%zu\", \"published\": \"%s\", \"eventType\": \"%s\", "
                "\"outcome\": {\"result\": \"%s\"}, \"target\": [{\"type\": \"AppInstance\", "
                "\"displayName\": \"%s\", \"alternateId\": \"%s\"}, {\"type\": \"User\", "
                "\"alternateId\": \"%s\"}], \"transaction\": {\"type\": \"JOB\", \"id\": \"t%zu\"}}%s\n",
                o->okta_format == MKLOGS_OKTA_ARRAY ? "  " : "", i, ts, v[i].type, v[i].result,
                v[i].app, v[i].app, v[i].user, i,
                o->okta_format == MKLOGS_OKTA_ARRAY && i + 1 < n ? "," : "");
    }
    if (o->okta_format == MKLOGS_OKTA_ARRAY)
        fputs("]\n", f);
    free(v);
    return fclose(f) ? (perror(o->okta_path), -1) : 0;
}

static const char *const methods[EP_COUNT] = {"GET", "GET",    "POST", "PUT",   "PATCH", "DELETE",
                                              "GET", "GET",    "POST", "PUT",   "PATCH", "DELETE"};

static void path_of(char *buf, size_t len, const struct rec *r)
{
    int group = r->endpoint >= EP_GET_GROUPS, ep = r->endpoint % 6;
    const char *res = group ? "Groups" : "Users";
    if (ep == 0)
        snprintf(buf, len, "/scim/v2/%s?filter=userName%%20eq%%20%%22u%ld%%22", res, r->job);
    else if (ep == 2)
        snprintf(buf, len, "/scim/v2/%s", res);
    else
        snprintf(buf, len, "/scim/v2/%s/%ld", res, r->job < 0 ? 0 : r->job);
}

static int write_access(const struct ctx *c, const struct mklogs_opts *o)
{
    FILE *f = fopen(o->access_path, "w");
    if (!f) {
        perror(o->access_path);
        return -1;
    }
    double t0 = (double)c->s->start_epoch_s;
    for (size_t i = 0; i < c->n; i++) {
        const struct rec *r = &c->r[i];
        char path[128], ts[32];
        path_of(path, sizeof path, r);
        int status = r->outcome == 1 ? 429 : r->outcome == 2 ? 503 : ep_is_read(r->endpoint) ? 200
                     : r->endpoint == EP_POST_USERS || r->endpoint == EP_POST_GROUPS ? 201 : 200;
        const char *ua = r->job < 0 ? "OtherApp/2.1" : "Okta SCIM Client 1.0.0";
        double dur = fmax(r->dur, 0);
        if (o->access_format == MKLOGS_ACCESS_NCSA) {
            logtime_format_ncsa(t0 + r->t, ts, sizeof ts);
            fprintf(f, "203.0.113.7 - - [%s] \"%s %s HTTP/1.1\" %d %d \"-\" \"%s\" %.0f\n", ts,
                    methods[r->endpoint], path, status, status == 429 ? 0 : 512, ua, dur * 1e6);
        } else {
            logtime_format_iso(t0 + r->t, ts, sizeof ts);
            fprintf(f, "{\"time\": \"%s\", \"method\": \"%s\", \"path\": \"%s\", \"status\": %d, "
                    "\"duration_ms\": %.3f, \"user_agent\": \"%s\"", ts, methods[r->endpoint],
                    path, status, dur * 1e3, ua);
            if (status == 429 && r->retry_after >= 0)
                fprintf(f, ", \"retry_after\": %g", r->retry_after);
            fputs("}\n", f);
        }
        if (o->noise && i % 97 == 0) {
            logtime_format_iso(t0 + r->t, ts, sizeof ts);
            if (o->access_format == MKLOGS_ACCESS_NCSA) {
                logtime_format_ncsa(t0 + r->t, ts, sizeof ts);
                fprintf(f, "198.51.100.2 - - [%s] \"GET /health HTTP/1.1\" 200 2 \"-\" "
                        "\"kube-probe/1.29\" 150\n", ts);
            } else {
                fprintf(f, "{\"time\": \"%s\", \"method\": \"GET\", \"path\": \"/health\", "
                        "\"status\": 200, \"duration_ms\": 0.2, \"user_agent\": \"kube-probe/1.29\"}\n",
                        ts);
            }
        }
    }
    return fclose(f) ? (perror(o->access_path), -1) : 0;
}

int mklogs_write(const struct scenario *s, const struct mklogs_opts *o)
{
    struct prov p;
    struct ctx c = {0};
    c.s = s;
    c.p = &p;
    prov_init(&p, s);
    p.trace = on_request;
    p.trace_ctx = &c;
    prov_start(&p, o->rep);
    prov_run(&p, before, after, &c);
    int rc = 0;
    if (o->okta_path)
        rc |= write_okta(&c, &p, o);
    if (o->access_path)
        rc |= write_access(&c, o);
    prov_fini(&p);
    free(c.r);
    free(c.pending);
    free(c.created);
    return rc;
}

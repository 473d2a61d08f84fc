/* trace.c -- see trace.h. */
#include "out/trace.h"

#include "out/csvfmt.h"

static void csv_begin(void *ctx)
{
    struct trace_csv *w = ctx;
    fputs("t_s,job_id,origin,kind,attempt,outcome,retry_after_s,endpoint,step,limiter\n", w->f);
}

static void csv_line(void *ctx, const struct prov_request *rq)
{
    static const char *const outcomes[] = {"accepted", "throttled", "error"};
    struct trace_csv *w = ctx;
    FILE *f = w->f;
    if (rq->job_id >= 0)
        fprintf(f, "%.6f,%ld,", rq->t, rq->job_id);
    else
        fprintf(f, "%.6f,,", rq->t);
    fprintf(f, "%s,%s,%u,%s,", job_origin_name(rq->origin), job_kind_name(rq->kind), rq->attempt,
            outcomes[rq->outcome]);
    if (rq->outcome == SRV_THROTTLED && rq->retry_after_s > 0) /* 0: no Retry-After */
        fprintf(f, "%.0f", rq->retry_after_s);
    fprintf(f, ",%s,%u,", ep_name(rq->endpoint), rq->step);
    if (rq->refused_by >= 0) {
        char name[96];
        lim_label(&w->s->server.limits[rq->refused_by], rq->refused_by, name, sizeof name);
        csvfmt_field(f, name);
    }
    fputc('\n', f);
}

void trace_csv_out(struct run_trace *out, struct trace_csv *w, FILE *f,
                   const struct scenario *s)
{
    w->f = f;
    w->s = s;
    out->begin = csv_begin;
    out->row = csv_line;
    out->ctx = w;
}

/* trace.c -- see trace.h. */
#include "out/trace.h"

static void csv_begin(void *ctx)
{
    fputs("t_s,job_id,origin,kind,attempt,outcome,retry_after_s\n", (FILE *)ctx);
}

static void csv_line(void *ctx, double t, long job_id, int origin, int kind, unsigned attempt,
                     int outcome, double retry_after_s)
{
    static const char *const outcomes[] = {"accepted", "throttled", "error"};
    FILE *f = ctx;
    if (job_id >= 0)
        fprintf(f, "%.6f,%ld,", t, job_id);
    else
        fprintf(f, "%.6f,,", t);
    fprintf(f, "%s,%s,%u,%s,", job_origin_name(origin), job_kind_name(kind), attempt,
            outcomes[outcome]);
    if (outcome == SRV_THROTTLED && retry_after_s > 0) /* 0: the 429 had no Retry-After */
        fprintf(f, "%.0f\n", retry_after_s);
    else
        fputs("\n", f);
}

void trace_csv_out(struct run_trace *out, FILE *f)
{
    out->begin = csv_begin;
    out->row = csv_line;
    out->ctx = f;
}

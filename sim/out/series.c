/* series.c -- see series.h. */
#include "out/series.h"

#include "base/units.h"

const char *const series_columns[SERIES_NCOLS] = {
    [SERIES_T_S] = "t_s",
    [SERIES_CLOCK] = "clock",
    [SERIES_QUEUED] = "queued",
    [SERIES_WAITING_RETRY] = "waiting_retry",
    [SERIES_IN_FLIGHT] = "in_flight",
    [SERIES_FAILED_TASKS] = "failed_tasks",
    [SERIES_SUCCEEDED_TOTAL] = "succeeded_total",
    [SERIES_ATTEMPTS_PER_MIN] = "attempts_per_min",
    [SERIES_THROTTLED_PER_MIN] = "throttled_per_min",
    [SERIES_OTHER_THROTTLED_PER_MIN] = "other_clients_throttled_per_min",
};

static void csv_begin(void *ctx)
{
    FILE *f = ctx;
    for (int c = 0; c < SERIES_NCOLS; c++)
        fprintf(f, "%s%s", c ? "," : "", series_columns[c]);
    fputc('\n', f);
}

static void csv_row(void *ctx, const struct run_sample *s)
{
    FILE *f = ctx;
    char clock[32];
    units_format_datetime(s->epoch_s, clock, sizeof clock);
    fprintf(f, "%.3f,%s,%zu,%zu,%zu,%zu,%zu,%.3f,%.3f,%.3f\n", s->t_s, clock, s->queued,
            s->waiting_retry, s->in_flight, s->failed_tasks, s->succeeded_total,
            s->attempts_per_min, s->throttled_per_min, s->other_throttled_per_min);
}

void series_csv_out(struct run_series *out, FILE *f)
{
    out->begin = csv_begin;
    out->row = csv_row;
    out->ctx = f;
}

/* series.c -- see series.h. */
#include "out/series.h"

#include "base/units.h"
#include "base/util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- reading ------------------------------------------------------------- */

/* Maps the header's fields to columns; 0, or -1 unless it names them all. */
static int read_header(struct series_reader *r)
{
    char *h = r->line;
    h[strcspn(h, "\r\n")] = '\0';
    int found[SERIES_NCOLS] = {0}, nfound = 0;
    size_t cap = 0;
    for (char *p = h;;) {
        size_t m = strcspn(p, ",");
        char sep = p[m];
        p[m] = '\0';
        xgrow((void **)&r->col, &cap, (size_t)r->nfields + 1, sizeof *r->col);
        int c = xname_index(series_columns, SERIES_NCOLS, p);
        if (c >= 0 && !found[c]) {
            found[c] = 1;
            nfound++;
        } else {
            c = -1;
        }
        r->col[r->nfields++] = c;
        if (sep != ',')
            break;
        p += m + 1;
    }
    return nfound == SERIES_NCOLS ? 0 : -1;
}

int series_open(struct series_reader *r, const char *path, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->f = fopen(path, "r");
    if (!r->f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    r->lineno = 1;
    if (getline(&r->line, &r->cap, r->f) < 0 || read_header(r) != 0) {
        snprintf(err, errlen, "%s: not a provsim series file (no %s,%s,... header)", path,
                 series_columns[SERIES_T_S], series_columns[SERIES_CLOCK]);
        series_close(r);
        return -1;
    }
    return 0;
}

/* Parses field p of column c (-1: skipped), the last of its row or not,
 * into row. Returns the text after its separator, or NULL if it is not
 * one: a field ends at ',' or, the last, at the end of the line. */
static char *parse_field(char *p, int c, int last, struct series_row *row, char *clock,
                         size_t clocklen)
{
    if (c == SERIES_CLOCK || c < 0) {
        size_t m = strcspn(p, last ? "\r\n" : ",");
        if (last ? (p[m] != '\0' && p[m] != '\r' && p[m] != '\n') : p[m] != ',')
            return NULL;
        if (c == SERIES_CLOCK) {
            if (m == 0 || m >= clocklen)
                return NULL;
            memcpy(clock, p, m);
            clock[m] = '\0';
        }
        return p + m + 1;
    }
    char *end;
    errno = 0;
    double v = strtod(p, &end);
    if (end == p || errno || !isfinite(v))
        return NULL;
    if (last ? (*end != '\n' && *end != '\r' && *end != '\0') : *end != ',')
        return NULL;
    row->v[c] = v;
    return end + 1;
}

int series_next(struct series_reader *r, struct series_row *row, char *err, size_t errlen)
{
    for (;;) {
        if (getline(&r->line, &r->cap, r->f) < 0)
            return 0;
        r->lineno++;
        if (r->line[0] != '\n' && r->line[0] != '\0')
            break;
    }
    char clock[32] = "", e2[64];
    char *p = r->line;
    for (int k = 0; k < r->nfields && p; k++)
        p = parse_field(p, r->col[k], k == r->nfields - 1, row, clock, sizeof clock);
    row->v[SERIES_CLOCK] = NAN;
    if (!p || units_parse_datetime(clock, &row->clock_epoch_s, e2, sizeof e2) != 0) {
        snprintf(err, errlen, "%s: line %zu: not a series row", r->path, r->lineno);
        return -1;
    }
    return 1;
}

void series_close(struct series_reader *r)
{
    if (r->f)
        fclose(r->f);
    free(r->line);
    free(r->col);
    memset(r, 0, sizeof *r);
}

/* report.c -- see report.h.
 *
 * A report is first built as plain text (struct doc, doc.h: facts,
 * findings, a table, charts) by its kind's builder, then written twice,
 * as Markdown and as HTML (report_parts.h); only the writers know a
 * format, so only they escape, and they escape every string they did not
 * write themselves. This file draws missing or stale charts first and
 * commits both files. */
#include "out/report.h"

#include "base/file.h"
#include "base/outfile.h"
#include "out/plot.h"
#include "out/report_parts.h"
#include "out/resultdir.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int mtime_of(const char *dir, const char *name, struct timespec *t)
{
    char *p = file_join(dir, name);
    struct stat st;
    int rc = stat(p, &st);
    free(p);
    if (rc == 0)
        *t = st.st_mtim;
    return rc;
}

static int older(struct timespec a, struct timespec b)
{
    return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

/* Draws the charts when the first is missing or any is older than the
 * data. Returns a report_status, with d->chart_note set when not OK. */
static int ensure_charts(struct doc *d, const char *dir, enum resdir_kind kind)
{
    const char *const *charts = plot_chart_names(kind);
    struct timespec data, t;
    int need = 0;
    if (mtime_of(dir, resdir_data_file(kind), &data) != 0)
        return REPORT_OK; /* no data to draw from (a run without series) */
    for (int i = 0; charts[i]; i++) {
        char png[128];
        resdir_chart_name(png, sizeof png, charts[i], RESDIR_PNG);
        if (mtime_of(dir, png, &t) != 0)
            need |= i == 0;
        else if (older(t, data))
            need = 1;
    }
    if (!need)
        return REPORT_OK;
    char err[1024];
    int rc = plot_dir(dir, err, sizeof err);
    switch (rc) {
    case PLOT_OK:
    case PLOT_NO_DATA:
        return REPORT_OK;
    case PLOT_NO_GNUPLOT:
        snprintf(d->chart_note, sizeof d->chart_note, "No charts: %s", err);
        return REPORT_NO_CHARTS;
    default:
        snprintf(d->chart_note, sizeof d->chart_note, "The charts could not be drawn: %s", err);
        return REPORT_CHARTS_FAILED;
    }
}

static void collect_charts(struct doc *d, const char *dir, enum resdir_kind kind)
{
    const char *const *charts = plot_chart_names(kind);
    struct timespec data, t;
    int have_data = mtime_of(dir, resdir_data_file(kind), &data) == 0;
    for (int i = 0; charts[i]; i++) {
        char png[128];
        resdir_chart_name(png, sizeof png, charts[i], RESDIR_PNG);
        /* a chart older than its data would tell another story: leave it out */
        if (mtime_of(dir, png, &t) != 0 || (have_data && older(t, data)))
            continue;
        doc_add(&d->charts, "%s", charts[i]);
        doc_add(&d->captions, "%s", plot_chart_caption(kind, charts[i]));
    }
}

static int write_file(const char *dir, const char *name, const struct doc *d, int html,
                      char *err, size_t errlen)
{
    struct outfile o;
    int rc = outfile_open_in(&o, dir, name, err, errlen);
    if (rc != 0)
        return -1;
    if (html)
        report_write_html(o.f, d, dir);
    else
        report_write_md(o.f, d);
    return outfile_commit(&o, err, errlen);
}

int report_write(const char *dir, char *err, size_t errlen)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: %s", dir,
                 stat(dir, &st) != 0 ? strerror(errno) : "not a directory");
        return REPORT_FAILED;
    }
    enum resdir_kind kind = resdir_kind(dir);
    struct doc d;
    memset(&d, 0, sizeof d);
    int rc;
    switch (kind) {
    case RESDIR_KIND_RUN:
        d.kind = "run";
        rc = report_build_run(&d, dir, err, errlen);
        break;
    case RESDIR_KIND_COMPARE:
        d.kind = "compare";
        rc = report_build_compare(&d, dir, err, errlen);
        break;
    case RESDIR_KIND_SWEEP:
        d.kind = "sweep";
        rc = report_build_sweep(&d, dir, err, errlen);
        break;
    case RESDIR_KIND_PLAN:
        d.kind = "plan";
        rc = report_build_plan(&d, dir, err, errlen);
        break;
    case RESDIR_KIND_BACKTEST:
        d.kind = "backtest";
        rc = report_build_backtest(&d, dir, err, errlen);
        break;
    default:
        snprintf(err, errlen,
                 "%s: nothing to report (no " RESDIR_RUN_JSON ", " RESDIR_COMPARE_JSON
                 ", " RESDIR_SWEEP_JSON ", " RESDIR_PLAN_JSON " or " RESDIR_BACKTEST_JSON
                 ": write one with run --out, compare --out, sweep --out, plan --out or "
                 "backtest --out)",
                 dir);
        rc = -1;
    }
    if (rc != 0) {
        doc_fini(&d);
        return rc == -2 ? REPORT_BAD_DATA : REPORT_FAILED;
    }
    int status = ensure_charts(&d, dir, kind);
    collect_charts(&d, dir, kind);
    if (write_file(dir, RESDIR_REPORT_MD, &d, 0, err, errlen) != 0 ||
        write_file(dir, RESDIR_REPORT_HTML, &d, 1, err, errlen) != 0) {
        doc_fini(&d);
        return REPORT_FAILED;
    }
    if (status != REPORT_OK)
        snprintf(err, errlen, "%s", d.chart_note);
    doc_fini(&d);
    return status;
}

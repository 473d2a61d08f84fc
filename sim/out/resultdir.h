/* resultdir.h -- the result-directory contract: every file a run, a
 * compare, a sweep, a plan or a backtest writes into DIR (--out DIR) and
 * `provsim plot` and `provsim report` read back. The names live here and
 * nowhere else, and so does the rule that tells from them what a
 * directory holds.
 *
 *   run      run.json, meta.json, series.csv           (out/rundir.h)
 *   compare  compare.json, compare.csv, series-N.csv   (plan/compare.h)
 *   sweep    sweep.csv, sweep.json, journal/           (plan/sweep.h)
 *   plan     plan.json, plan.csv                       (plan/plan.h)
 *   backtest backtest.json, backtest.csv               (calib/backtest.h;
 *            read back by out/btresult.h)
 *            journal/manifest.json, journal/cell-NNNNN.json, journal/lock
 *            journal/task-KKKK-of-NNNN.jsonl (a task's journal, --task)
 *   any      report.md, report.html                    (out/report.h)
 *            charts NAME.png and NAME.svg               (out/plot.h)
 *
 * The README's "Output files" section defines every column and key. */
#ifndef PROVSIM_RESULTDIR_H
#define PROVSIM_RESULTDIR_H

#include <stddef.h>

#define RESDIR_RUN_JSON "run.json"
#define RESDIR_META_JSON "meta.json"
#define RESDIR_SERIES_CSV "series.csv"
#define RESDIR_COMPARE_JSON "compare.json"
#define RESDIR_COMPARE_CSV "compare.csv"
#define RESDIR_SWEEP_CSV "sweep.csv"
#define RESDIR_SWEEP_JSON "sweep.json"
#define RESDIR_PLAN_JSON "plan.json"
#define RESDIR_PLAN_CSV "plan.csv"
#define RESDIR_BACKTEST_JSON "backtest.json"
#define RESDIR_BACKTEST_CSV "backtest.csv"
#define RESDIR_JOURNAL "journal"
#define RESDIR_MANIFEST_JSON "manifest.json" /* in journal/ */
#define RESDIR_LOCK "lock"                   /* in journal/ */
#define RESDIR_REPORT_MD "report.md"
#define RESDIR_REPORT_HTML "report.html"
/* the two formats of every chart: NAME.png, NAME.svg */
#define RESDIR_PNG "png"
#define RESDIR_SVG "svg"

/* What a result directory holds, from the files present: backtest.json
 * makes it a backtest's (first: backtest --out may be given any
 * directory, and its --plot must then draw its own charts), else
 * plan.json a plan's, else compare.json a compare's, else sweep.csv a
 * sweep's, else series.csv or run.json a run's. */
enum resdir_kind {
    RESDIR_KIND_NONE,
    RESDIR_KIND_RUN,
    RESDIR_KIND_COMPARE,
    RESDIR_KIND_SWEEP,
    RESDIR_KIND_PLAN,
    RESDIR_KIND_BACKTEST
};

enum resdir_kind resdir_kind(const char *dir);

/* The file whose data the charts of a kind are drawn from (series.csv,
 * compare.json, sweep.csv, plan.json, backtest.json), or NULL. */
const char *resdir_data_file(enum resdir_kind kind);

/* 1 if DIR/name is a regular file, else 0. */
int resdir_has(const char *dir, const char *name);

/* "NAME.EXT": the file of chart NAME in format ext (RESDIR_PNG, RESDIR_SVG). */
void resdir_chart_name(char *buf, size_t len, const char *chart, const char *ext);

/* "series-N.csv": the series of compare's scenario i (0-based; N = i + 1). */
void resdir_compare_series_name(char *buf, size_t len, int i);

/* "cell-NNNNN.json": the journal file of sweep cell `cell`. Every cell
 * file, and the temporary file of an interrupted write of one, starts with
 * RESDIR_CELL_PREFIX. */
#define RESDIR_CELL_PREFIX "cell-"
void resdir_cell_name(char *buf, size_t len, int cell);
/* 1 and *cell if name is a journal cell file name, else 0 (*cell may
 * still be out of the sweep's range: the caller checks). */
int resdir_cell_parse(const char *name, int *cell);

/* "task-KKKK-of-NNNN.jsonl": the journal of task k of n (0 <= k < n, at
 * least four digits each) of a sweep split with --task/--tasks. Every
 * task journal name starts with RESDIR_TASK_PREFIX. */
#define RESDIR_TASK_PREFIX "task-"
void resdir_task_name(char *buf, size_t len, int k, int n);
/* 1 and *k, *n if name is exactly a task journal name (as resdir_task_name
 * writes it, 0 <= k < n), else 0. */
int resdir_task_parse(const char *name, int *k, int *n);

#endif

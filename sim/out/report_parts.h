/* report_parts.h -- the parts of the report (report.h), internal to it:
 * one builder per kind of directory, which reads the saved files and
 * fills a struct doc (doc.h) with plain text; the numbers as the report
 * shows them, shared by the builders; and the two writers, the only
 * parts that know a format. */
#ifndef PROVSIM_REPORT_PARTS_H
#define PROVSIM_REPORT_PARTS_H

#include <stddef.h>
#include <stdio.h>

#include "models/metrics.h"
#include "out/doc.h"

struct cJSON;

/* Fill d from DIR's run.json and meta.json (optional), compare.json, or
 * sweep.json (with sweep.csv for the varied values as written). Each
 * returns 0, or -1 with err naming the file. */
int report_build_run(struct doc *d, const char *dir, char *err, size_t errlen);
int report_build_compare(struct doc *d, const char *dir, char *err, size_t errlen);
int report_build_sweep(struct doc *d, const char *dir, char *err, size_t errlen);
/* ... or plan.json (report_plan.c) */
int report_build_plan(struct doc *d, const char *dir, char *err, size_t errlen);
/* ... or backtest.json (report_backtest.c); -2 (not -1) when the file was
 * read but is not what backtest writes */
int report_build_backtest(struct doc *d, const char *dir, char *err, size_t errlen);

/* A mean with its 95% CI, from {"mean", "ci95_lo", "ci95_hi"}: NAN where
 * absent or not finite. */
struct report_stat {
    double mean, lo, hi;
};

struct report_stat report_stat_of(const struct cJSON *o);
/* metrics[name of m] of a run.json or a sweep cell */
struct report_stat report_metric_stat(const struct cJSON *metrics, enum metric m);

/* A value as the text summary writes it, with thousands separators on
 * counts. */
void report_fmt_value(char *buf, size_t len, enum metric m, double v);
/* 5000 -> "5,000" */
void report_fmt_count(char *buf, size_t len, double v);
/* "lo – hi", or "" when there is no interval. Every metric here is >= 0:
 * a t interval reaching below 0 (few replications of a skewed count) is
 * shown from 0. */
void report_fmt_ci(char *buf, size_t len, enum metric m, struct report_stat s);
/* " (95% CI lo – hi)", or "" when there is no interval or it rounds to
 * the mean at the precision shown */
void report_fmt_ci_paren(char *buf, size_t len, enum metric m, struct report_stat s);
/* A difference: "+v", "−v" (U+2212) or "0"-like; "-" if not finite. */
void report_fmt_signed(char *buf, size_t len, enum metric m, double v);
/* The last segment of a key path ("workload.rollouts[0].at" -> "at"). */
const char *report_path_tail(const char *path);
/* "batch_size = 500, at = 19:00" from a cell's or candidate's "values"
 * object: each key (only its last segment with tails) and its value. */
void report_values_label(const struct cJSON *vals, int tails, char *buf, size_t len);

/* The provenance object of a result file (origin.h) as facts: the
 * scenario source and its SHA-256 (label "Scenario" or e.g. "Scenario
 * A"), each --set, the provsim version. Returns the number of overrides
 * (0 also when prov is missing). */
int report_provenance_facts(struct doc *d, const struct cJSON *prov, const char *label);

/* Write d as Markdown, and as self-contained HTML with DIR's charts
 * embedded as data: URIs. */
void report_write_md(FILE *f, const struct doc *d);
void report_write_html(FILE *f, const struct doc *d, const char *dir);

#endif

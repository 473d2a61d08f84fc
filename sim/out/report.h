/* report.h -- the report of a result directory (provsim report DIR):
 * DIR/report.md and a self-contained DIR/report.html (charts embedded as
 * data: URIs), for a change request or a capacity report.
 *
 * A report holds the scenario(s), the plain-language findings, a table of
 * key metrics (mean and 95% CI) and the charts, drawn first when they are
 * missing or older than the data. It is built from the saved files only
 * (run.json + meta.json, compare.json, sweep.json, plan.json,
 * backtest.json), never by running the
 * model again. Every string from the data is escaped for its format: HTML
 * (& < > " ') and Markdown (its punctuation, with a backslash). */
#ifndef PROVSIM_REPORT_H
#define PROVSIM_REPORT_H

#include <stddef.h>

enum report_status {
    REPORT_OK = 0,
    REPORT_FAILED = 1,     /* nothing to report, unreadable data, a failed write */
    REPORT_NO_CHARTS = 2,  /* written, without charts: gnuplot is missing */
    REPORT_CHARTS_FAILED = 3, /* written, without (some) charts: gnuplot failed */
    REPORT_BAD_DATA = 4,   /* nothing written: the data file is not what provsim
                            * writes (backtest.json); err names the file and key */
};

/* Writes DIR/report.md and DIR/report.html. Returns a report_status;
 * for anything but REPORT_OK, err holds a line for the user. */
int report_write(const char *dir, char *err, size_t errlen);

/* Base64 (RFC 4648, with padding) of n bytes into out, which must hold
 * 4 * ((n + 2) / 3) + 1 bytes; returns the length written. */
size_t report_base64(const unsigned char *in, size_t n, char *out);

#endif

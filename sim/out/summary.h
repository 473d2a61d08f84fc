/* summary.h -- a run's results for people (text) and for programs (JSON).
 *
 * The JSON is byte-identical for the same scenario and seed: it holds no
 * wall time unless perf is asked for. */
#ifndef PROVSIM_SUMMARY_H
#define PROVSIM_SUMMARY_H

#include <stdio.h>

#include "run/runner.h"
#include "scenario/scenario.h"

/* Optional performance figures (--perf). */
struct summary_perf {
    double wall_s;
    double events, requests;       /* the replications' */
    double rf_events, rf_requests; /* the rollout-free replications' (harm) */
    double rf_s;                   /* their time, summed over threads */
    size_t peak_rss_bytes;
};

void summary_text(FILE *f, const struct scenario *s, const struct run_result *r,
                  const struct summary_perf *perf);
/* Formats one value of metric m as the text summary does ("1h 32m", "378",
 * "97%"); "-" if not finite. */
void summary_format_value(char *buf, size_t len, enum metric m, double v);
/* Formats a mean count as the text summary does: thousands separators,
 * one decimal below 100 when it is not whole. */
void summary_format_count(char *buf, size_t len, double v);
/* Adds parent[key] = {mean, sd, ci95_lo, ci95_hi, min, max}: the one
 * encoding of a summarised value in provsim's JSON. */
struct cJSON;
void summary_add_stats(struct cJSON *parent, const char *key, const struct stats_summary *st);
/* Returns a JSON string (caller owns, free()). */
char *summary_json(const struct scenario *s, const struct run_result *r,
                   const struct summary_perf *perf);

#endif

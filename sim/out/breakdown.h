/* breakdown.h -- which limit binds: a run's requests and 429s by endpoint
 * and its 429s by the limiter they are counted against (server.h), for
 * the text summary, the JSON ("endpoints" and "limiters", beside
 * "metrics") and the report. */
#ifndef PROVSIM_BREAKDOWN_H
#define PROVSIM_BREAKDOWN_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "run/runner.h"
#include "scenario/scenario.h"

/* The limiter with the most 429s on average, or -1 if there were none;
 * *share its mean share of all 429s. */
int breakdown_top_limiter(const struct scenario *s, const struct run_result *r, double *share);
/* The headline: `92% of 429s came from "POST /Users" (token bucket
 * 180/min, burst 20)`, or "" if there were no 429s. */
void breakdown_headline(const struct scenario *s, const struct run_result *r, char *buf,
                        size_t len);
/* The two tables in text. */
void breakdown_text(FILE *f, const struct scenario *s, const struct run_result *r);
/* Adds "endpoints" (the endpoints that got requests) and "limiters" (all,
 * in the scenario's order) to root. */
void breakdown_json(cJSON *root, const struct scenario *s, const struct run_result *r);

#endif

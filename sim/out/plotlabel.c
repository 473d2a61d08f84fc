/* plotlabel.c -- the table of words for key paths (see plotlabel.h).
 *
 * The table is keyed by the path with its indices taken out
 * ("workload.rollouts[].at"), so one entry covers every rollout; the
 * index, when it is not the first, is said after the words. Units are the
 * ones a varied value is written in. */
#include "out/plotlabel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *path, *words;
} table[] = {
    {"workload.rollouts[].at", "rollout start time"},
    {"workload.rollouts[].batch_size", "batch size (users)"},
    {"workload.rollouts[].batch_interval", "batch interval"},
    {"workload.rollouts[].users", "rollout size (users)"},
    {"workload.rollouts[].kind", "rollout kind"},
    {"workload.background.peak_per_hour", "background jobs at the daily peak (per hour)"},
    {"workload.other_clients.peak_per_hour",
     "other clients' requests at the daily peak (per hour)"},
    {"client.workers", "client workers (requests at once)"},
    {"client.retry.policy", "retry policy"},
    {"client.retry.max_attempts", "attempts per job at most"},
    {"client.retry.base", "retry base delay"},
    {"client.retry.cap", "retry delay cap"},
    {"client.max_rate", "client rate cap (requests per second)"},
    {"server.limits[].rate", "rate limit (requests per second)"},
    {"server.limits[].burst", "burst allowance (requests)"},
    {"server.limits[].limit", "requests per window"},
    {"server.limits[].window", "limit window"},
    {"server.limits[].type", "limiter type"},
    {"server.retry_after.mode", "Retry-After mode"},
    {"server.concurrency", "server concurrency (requests at once)"},
    {"server.error_rate", "server error rate (5xx share)"},
    {"server.reject_latency", "429 response time"},
    {"start", "scenario start"},
    {"horizon", "horizon"},
    {"seed", "seed"},
    {"replications", "replications"},
};

const char *plotlabel_path(const char *path, char *buf, size_t len)
{
    if (len == 0)
        return buf;
    /* the path without its indices, and the first non-zero index */
    char key[256];
    size_t k = 0;
    long index = 0;
    const char *what = NULL;
    for (const char *p = path; *p && k + 3 < sizeof key; p++) {
        if (*p == '[') {
            char *end;
            long v = strtol(p + 1, &end, 10);
            if (*end == ']') {
                if (v != 0 && index == 0) {
                    index = v;
                    what = strncmp(path, "server.limits", 13) ? "rollout" : "limit";
                }
                key[k++] = '[';
                key[k++] = ']';
                p = end;
                continue;
            }
        }
        key[k++] = *p;
    }
    key[k] = '\0';
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (!strcmp(key, table[i].path)) {
            if (index)
                snprintf(buf, len, "%s (%s %ld)", table[i].words, what, index + 1);
            else
                snprintf(buf, len, "%s", table[i].words);
            return buf;
        }
    snprintf(buf, len, "%s", path);
    return buf;
}

/* compare.h -- paired comparison of scenarios (provsim compare).
 *
 * Every scenario runs with the same seed and the same number of
 * replications, so replication r of each draws the same random streams
 * (common random numbers). For each metric the difference to the first
 * scenario is taken replication by replication, d_r = x_r(B) - x_r(A),
 * and summarised with a Student-t 95% CI on the sd of d: the noise both
 * scenarios share cancels, and a scenario compared with itself differs by
 * exactly 0 with a CI of width 0.
 *
 * With --precision each scenario replicates until its own clear_time_s CI
 * is tight enough; then every scenario is run (again) to the largest count
 * any needed, so the pairs stay complete. */
#ifndef PROVSIM_COMPARE_H
#define PROVSIM_COMPARE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "models/metrics.h"
#include "engine/stats.h"

struct cJSON;

#define CMP_MAX_SCENARIOS 26 /* labelled A..Z */
#define CMP_SHORT_NAME 32    /* longer names appear in the legend only */

/* A side of a compare of one file with itself: the file under its own
 * overrides (the same rollout at 10:00 and at 19:00), with a label. */
struct cmp_side {
    const char *label;        /* borrowed: what the side is called, in place
                               * of the scenario's name */
    const char *const *sets;  /* borrowed: nsets "PATH=VALUE", applied after
                               * the common sets */
    int nsets;
};

struct cmp_opts {
    const char *const *files;  /* borrowed: nfiles >= 2 scenario files */
    int nfiles;
    const char *const *sets;   /* borrowed: "PATH=VALUE" applied to every scenario */
    int nsets;
    int reps;                  /* 0 = the largest of the scenarios'; the cap with precision */
    int64_t seed;              /* -1 = the first scenario's */
    double precision;          /* 0 = off; see run_opts.precision */
    int threads;               /* replications of each scenario on this many
                                * threads (<= 1: one); results do not change */
    const char *out_dir;       /* borrowed: DIR for compare.csv, compare.json, series-N.csv */
    const struct cmp_side *sides; /* borrowed, may be NULL: nfiles sides, the
                                * label and own --sets of scenario i */
    int progress;              /* draw a progress bar on stderr (replications
                                * of all scenarios) */
    double progress_delay_s;   /* seconds before the bar first shows */
};

struct cmp_scenario {
    const char *file;                  /* borrowed from the options */
    char *name;                        /* owned: the side's label, else the
                                        * scenario's name */
    const struct cmp_side *side;       /* borrowed from the options, or NULL */
    struct stats_summary sum[METRIC_COUNT]; /* over the replications */
    struct stats_summary diff[METRIC_COUNT];/* paired difference to the first (the
                                        * first's is all 0) */
    int precision_reached;             /* its own clear_time_s target, within the cap */
    struct cJSON *provenance;          /* owned: origin.h's object for this scenario */
    char sha256[65];                   /* of its file's bytes */
    int censored;                      /* replications that did not clear the rollout */
};

struct cmp_result {
    int n;
    struct cmp_scenario *sc; /* owned, argument order */
    int reps;                /* replications every scenario ran */
    uint64_t seed;
    double precision;        /* the target; 0 = off */
    char **findings;         /* owned: nfindings plain-language lines */
    int nfindings;
};

/* Exit codes of cmp_run (also the command's). */
enum { CMP_OK = 0, CMP_FAILED = 1, CMP_BAD_INPUT = 2 };

/* Loads and validates every scenario (CMP_BAD_INPUT, nothing written, if
 * one is invalid), creates DIR, runs them and writes DIR/compare.csv,
 * DIR/compare.json and DIR/series-N.csv (N = 1.. in argument order;
 * replication 0). Caller owns *r in every case (cmp_result_fini). */
int cmp_run(const struct cmp_opts *o, struct cmp_result *r, char *err, size_t errlen);
void cmp_result_fini(struct cmp_result *r);

/* The key-metric table and the findings, for people. */
void cmp_print_text(FILE *f, const struct cmp_result *r);
/* compare.json's text (caller owns, free()). */
char *cmp_json(const struct cmp_result *r);

#endif

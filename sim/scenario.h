/* scenario.h -- a scenario: everything one run needs, loaded from JSON.
 *
 * Loading is strict: unknown keys, wrong types, missing required keys,
 * non-positive rates or sizes, NaN, infinities and absurd sizes are errors,
 * reported with the key path (server.limits[0].rate: must be > 0) and, for
 * JSON syntax errors, line and column. Nothing is guessed. */
#ifndef PROVSIM_SCENARIO_H
#define PROVSIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "../models/dist.h"
#include "../models/job.h"
#include "../models/limiter.h"
#include "../models/retry.h"

#define SCN_ERRLEN 512
#define SCN_MAX_LIMITS 16
#define SCN_MAX_ROLLOUTS 64
/* Absurd-size guards: beyond these a scenario is refused as a typo. */
#define SCN_MAX_USERS 100000000L   /* jobs in all rollouts together */
#define SCN_MAX_REPLICATIONS 100000
#define SCN_MAX_WORKERS 100000
#define SCN_MAX_HORIZON_S (366.0 * 86400.0)

/* A 24-hour rate profile for weekdays and weekends, jobs per hour. */
struct scn_profile {
    double weekday[24];
    double weekend[24];
};

struct scn_rollout {
    enum job_kind kind;
    long users;              /* N jobs */
    double at_s;             /* first batch, seconds after start */
    long batch_size;         /* B; 0 = all at once */
    double batch_interval_s; /* I; seconds between batches */
};

struct scn_traffic {         /* background jobs or other clients */
    int enabled;
    struct scn_profile profile;
    double mix[KIND_COUNT];  /* probabilities, sum 1 */
};

enum scn_ra_mode { RA_MODE_LIMITER, RA_MODE_FIXED };
enum scn_on_429 { ON_429_JOB, ON_429_PAUSE_ALL };

struct scn_server {
    struct lim_cfg limits[SCN_MAX_LIMITS];
    int nlimits;                 /* 0 = unlimited server */
    enum scn_ra_mode ra_mode;
    double ra_fixed_s;           /* RA_MODE_FIXED: the Retry-After, seconds */
    double ra_jitter_s;          /* extra U(0, jitter) before rounding up */
    struct dist latency;         /* accepted requests' service time */
    double reject_latency_s;     /* time to a 429 */
    double error_rate;           /* P(5xx) for an accepted request */
    int count_rejected;          /* rejected requests consume quota */
};

struct scn_client {
    int workers;                 /* W concurrent requests */
    double max_rate_per_s;       /* dispatch pacing; 0 = none */
    struct retry_cfg retry;      /* after a 429 */
    struct retry_cfg error_retry;/* after a 5xx (exponential) */
    enum scn_on_429 on_429;
};

struct scenario {
    char *name;                  /* owned */
    char *notes;                 /* owned; may be NULL */
    int64_t start_epoch_s;       /* naive local time of t = 0 */
    double horizon_s;            /* simulate until this time */
    uint64_t seed;
    int replications;
    struct scn_server server;
    struct scn_client client;
    struct scn_rollout rollouts[SCN_MAX_ROLLOUTS];
    int nrollouts;
    struct scn_traffic background;
    struct scn_traffic other;
    double series_step_s;        /* --series sampling step */
};

/* A parsed but not yet converted scenario document (a cJSON tree), so that
 * command-line overrides can be applied before validation. */
typedef struct scn_doc scn_doc;

/* Parses JSON text (len bytes). Returns NULL and a message with line and
 * column on a syntax error. Caller owns the result (scn_doc_free). */
scn_doc *scn_doc_parse(const char *text, size_t len, char *err, size_t errlen);
/* Reads and parses a file; messages name the file. */
scn_doc *scn_doc_load(const char *path, char *err, size_t errlen);
/* The built-in default scenario (configs/default.json, compiled in). */
scn_doc *scn_doc_default(void);
void scn_doc_free(scn_doc *d);

/* Applies one override "PATH=VALUE" (--set), PATH like
 * workload.rollouts[0].batch_size. VALUE is taken as JSON if it parses as
 * JSON, else as a string. The parent of the last key must exist; the last
 * key may be new (validation then checks it). Returns 0 or -1 + message. */
int scn_doc_set(scn_doc *d, const char *assignment, char *err, size_t errlen);

/* Validates and converts. Returns 0 and fills *s (caller owns: scn_fini),
 * or -1 with a message naming the key path; *s is then left empty. */
int scn_from_doc(const scn_doc *d, struct scenario *s, char *err, size_t errlen);
void scn_fini(struct scenario *s);
/* The invariants of a scenario scn_from_doc filled (listed in scenario.c):
 * 1 if they hold, else 0. For assertions and tests. */
int scn_check(const struct scenario *s);

/* Convenience: load a file (or the default if path is NULL), apply the
 * overrides, convert. */
int scn_load(const char *path, const char *const *sets, int nsets, struct scenario *s,
             char *err, size_t errlen);

/* Hourly profile rate (jobs per second) at simulation time t. */
double scn_profile_rate(const struct scn_profile *p, int64_t start_epoch_s, double t);
/* Largest rate in the profile, jobs per second. */
double scn_profile_max_rate(const struct scn_profile *p);

#endif

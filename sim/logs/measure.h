/* measure.h -- what the logs show directly: calibrate's measurements.
 *
 * From the Okta System Log: the rollout (the largest burst of assignment
 * events: its start, its distinct users, the kind its users' pushes are,
 * and its observed clear time), the background profile by hour (jobs per
 * hour of pushes outside the rollout, weekday and weekend), and per-minute
 * curves. From the access log: latency (per endpoint and overall, a
 * lognormal fitted to the median and p95, with the Kolmogorov-Smirnov
 * distance as its quality), Retry-After values, per-endpoint request
 * rates, the recipe (reads before writes), the client's concurrency (the
 * most requests in flight at once, and its distribution), and, without a
 * System Log, the rollout and background from the request stream.
 * Every time here is the scenario's naive local time: UTC + the offset. */
#ifndef PROVSIM_MEASURE_H
#define PROVSIM_MEASURE_H

#include <stddef.h>

#include "logs/accesslog.h"
#include "logs/oktalog.h"
#include "models/endpoint.h"

/* Per-minute observed curves from the rollout's start (minute 0). */
struct meas_curves {
    int nmin;          /* minutes */
    double *done;      /* completions of the rollout's kind by the client, all origins */
    double *throttled; /* 429s to the client */
    double *accepted;  /* requests the server accepted from the client (access log;
                        * NULL with only a System Log) */
    double *failed;    /* rollout jobs on the failed-task list at the minute's end;
                        * NULL when the log cannot say (no user on its 429s) */
};

struct meas_rollout {
    int found;
    int from_access;   /* 1: found in the access log (no System Log) */
    double start_s;    /* first assignment (local epoch seconds) */
    long users;        /* distinct users assigned in the burst */
    int kind;          /* enum job_kind of their pushes */
    double clear_s;    /* start -> the last of its users' pushes */
    int cleared;       /* every user pushed within the log; else clear_s is a lower bound */
    long twice;        /* users assigned more than once in the burst */
};

/* The limiter's burst as the access log shows it: a token bucket
 * admits what it holds at once and then its rate, and refuses when under
 * one token is left, so the requests it admitted from the rollout's
 * first request to its first 429 are what it held then + rate x that
 * time, less the part token left (calib/fit.h). What it held is the
 * burst less what the client's requests of the MEAS_BURST_HISTORY_S
 * before took and the rate has not yet refilled: their times are kept. */
#define MEAS_BURST_HISTORY_S 600.0
struct meas_burst {
    int found;         /* the access log has a 429 to the client after the first request */
    long admitted;     /* requests answered other than 429, first request .. first 429 */
    double span_s;     /* first request -> first 429, seconds */
    double *before_s;  /* admitted requests of the history, seconds before the first (> 0),
                        * latest first; owned */
    size_t nbefore;
    int throttled_before; /* a 429 to the client in the history: the bucket was empty then */
    double history_s;  /* how much history the log has (at most MEAS_BURST_HISTORY_S) */
    double stamp_s;    /* the stamps' resolution: 0.001 (JSON lines) or 1 s (NCSA) */
};

struct meas_latency {
    long n;             /* accepted (2xx) requests */
    double median_s, p95_s;
    double ks;          /* Kolmogorov-Smirnov distance, empirical vs the fitted lognormal */
};

struct meas {
    double utc_offset_s;
    /* what was read */
    size_t okta_events, access_requests;
    double okta_first_s, okta_last_s, access_first_s, access_last_s; /* local */
    struct meas_rollout ro;
    /* background: jobs per hour, by clock hour, outside the rollout */
    int have_bg;
    double weekday[24], weekend[24];
    double weekday_hours[24], weekend_hours[24]; /* hours of log covering each slot */
    int have_weekend, have_weekday;
    long bg_jobs, bg_kind[3];
    /* access log */
    int have_access;
    struct meas_latency lat_all, lat_ep[EP_COUNT];
    long ep_requests[EP_COUNT], ep_throttled[EP_COUNT];
    double ep_peak_per_min[EP_COUNT];
    long n_2xx, n_5xx, n_429;
    double reject_median_s; /* median response time of the 429s */
    long ra_n;
    double ra_min, ra_median, ra_max, ra_mode, ra_mode_share;
    int conc_max;          /* the most requests in flight at once */
    int conc_exact;        /* 1: from millisecond stamps; 0: an estimate (1 s stamps) */
    double conc_p50, conc_p95, conc_share_max; /* over time with a request in flight */
    int recipe;            /* enum client_requests, or -1 (no writes seen) */
    long recipe_reads, recipe_writes;
    struct meas_curves obs;
    struct meas_burst burst;
};

/* The logs calibrate and backtest read, as their options give them. */
struct meas_src {
    const char *okta_log;   /* System Log file ("-": standard input); NULL = not given */
    const char *access_log; /* access log file; NULL = not given (not both NULL) */
    const char *app;        /* the System Log's app; NULL = its only app */
    const char *agent;      /* access-log user-agent filter ("" keeps all) */
    double utc_offset_s;    /* the scenario's clock = UTC + this, seconds */
};
#define MEAS_SRC_INIT {NULL, NULL, NULL, ACCESS_DEFAULT_AGENT, 0}

/* Reads src's logs into *okta and *access and measures them (meas_run):
 * 0, or -1 with err saying which file, line and why, or why nothing was
 * measured. Either way caller owns all three (their _fini). */
int meas_read(const struct meas_src *src, struct okta_log *okta, struct access_log *access,
              struct meas *m, char *err, size_t errlen);

/* Measures what okta and access (either may be NULL, not both) show.
 * utc_offset_s shifts UTC to the scenario's clock. Returns 0, or -1 with
 * a reason (no rollout found, ...). Caller owns *m (meas_fini). */
int meas_run(const struct okta_log *okta, const struct access_log *access, double utc_offset_s,
             struct meas *m, char *err, size_t errlen);
void meas_fini(struct meas *m);

/* The lognormal quantile fit's sigma: (ln p95 - ln median) / z_0.95. */
double meas_lognormal_sigma(double median_s, double p95_s);

#endif

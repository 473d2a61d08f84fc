/* test_calibrate.c -- provsim calibrate and backtest (calib/, logs/):
 *  - the hand-written logs of tests/logs/ (noise: other apps, other event
 *    types, a user assigned twice, out-of-order lines, other user agents,
 *    non-SCIM paths) in every layout give the hand-counted measurements;
 *  - round trip: the logs one replication of a scenario with known
 *    parameters leaves (tests/mklogs.h) calibrate back to those
 *    parameters within the tolerances (latency median and p95
 *    10%, the limiter's rate 10%, the burst counted in the access log
 *    within 1.5 tokens, the concurrency exactly from the access log and
 *    within 1 from the System Log alone, the background peak 15%), every
 *    fitted value's 95% interval holds its known value, and backtesting
 *    the calibrated scenario against the log puts the observed clear time
 *    inside the simulated 95% interval;
 *  - from the System Log alone, the burst (which no log then counts) is
 *    not identified, its note says so and its interval is the search's
 *    whole range; the rate's and the workers' intervals hold theirs
 *    (test_backtest_report.c reports and plots backtest directories).
 * The known values are the scenario's, not a run's output. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/units.h"
#include "calib/backtest.h"
#include "calib/calibrate.h"
#include "cli_helpers.h"
#include "json_helpers.h"
#include "logs/accesslog.h"
#include "logs/measure.h"
#include "logs/oktalog.h"
#include "mklogs.h"
#include "models/job.h"
#include "scenario/scenario.h"

#include <cjson/cJSON.h>
#include <math.h>

#define SRC PROVSIM_SOURCE_DIR "/tests/"
/* The burst counted in the access log: in 40 independent logs
 * (tests/calib-coverage.sh) every count was within 0.6 token of the known
 * 20 (at most 0.54 off); the tolerance allows 2.5 times that. */
#define BURST_TOL_TOKENS 1.5
/* The logs' replication: not one of the fit's (0..reps-1), whose random
 * numbers the log would otherwise share. */
#define LOG_REP 1000

static double at(const char *iso)
{
    int64_t e;
    char err[64];
    assert_int_equal(units_parse_datetime(iso, &e, err, sizeof err), 0);
    return (double)e;
}

static void okta_layout(const char *file)
{
    struct okta_log log;
    struct meas m;
    char err[512];
    okta_log_init(&log);
    assert_int_equal(okta_log_read(&log, file, "Slack", err, sizeof err), 0);
    /* 15 records; kept: 5 assignments, 4 pushes, 1 rate limit, 2 profile pushes */
    assert_int_equal(log.records, 15);
    assert_int_equal(log.other_types, 1);
    assert_int_equal(log.other_apps, 2);
    assert_int_equal(log.n, 12);
    assert_int_equal(meas_run(&log, NULL, 0, &m, err, sizeof err), 0);
    assert_int_equal(m.ro.users, 4);   /* a, b, c, d; z is Zoom's */
    assert_int_equal(m.ro.twice, 1);   /* a */
    assert_int_equal(m.ro.kind, JOB_KIND_CREATE);
    assert_true(m.ro.cleared);
    assert_true(fabs(m.ro.start_s - at("2026-11-03T10:00")) < 1e-6);
    assert_true(fabs(m.ro.clear_s - 70.5) < 1e-6); /* b's push at 10:01:10.5 */
    assert_int_equal(m.bg_jobs, 1);    /* e's profile push; f's failed */
    assert_true(fabs(m.obs.throttled[0] - 1) < 1e-9);
    assert_non_null(m.obs.failed);     /* the 429 names its user */
    assert_true(fabs(m.obs.failed[0] - 1) < 1e-9 && fabs(m.obs.failed[1]) < 1e-9);
    assert_true(fabs(m.obs.done[0] - 3) < 1e-9 && fabs(m.obs.done[1] - 1) < 1e-9);
    meas_fini(&m);
    okta_log_fini(&log);
    /* without --app, two apps are an error that names them */
    okta_log_init(&log);
    assert_int_equal(okta_log_read(&log, file, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "\"Slack\", \"Zoom\""));
    okta_log_fini(&log);
}

static void okta_hand_written(void **state)
{
    (void)state;
    okta_layout(SRC "logs/okta-noise.jsonl");
    okta_layout(SRC "logs/okta-noise-array.json");
    okta_layout(SRC "logs/okta-noise.csv");
}

static void access_hand_written(void **state)
{
    (void)state;
    struct access_log log;
    struct meas m;
    char err[512];
    access_log_init(&log);
    assert_int_equal(access_log_read(&log, SRC "logs/access-noise.jsonl", ACCESS_DEFAULT_AGENT,
                                     err, sizeof err), 0);
    assert_int_equal(log.n, 4);
    assert_int_equal(log.other_agents, 2); /* kube-probe, OtherApp */
    assert_int_equal(log.other_paths, 1); /* ServiceProviderConfig */
    assert_int_equal(meas_run(NULL, &log, 0, &m, err, sizeof err), -1); /* no burst of 3 */
    meas_fini(&m);
    access_log_fini(&log);
    access_log_init(&log);
    assert_int_equal(access_log_read(&log, SRC "logs/access-noise.jsonl", "", err, sizeof err), 0);
    assert_int_equal(log.n, 5); /* every agent: the other client too (not /health) */
    access_log_fini(&log);
    access_log_init(&log);
    assert_int_equal(access_log_read(&log, SRC "logs/access-noise.log", ACCESS_DEFAULT_AGENT, err,
                                     sizeof err), 0);
    assert_int_equal(log.n, 4);
    assert_int_equal(log.other_agents, 2); /* kube-probe, OtherApp */
    assert_int_equal(log.other_paths, 1); /* ServiceProviderConfig */
    assert_true(fabs(log.rq[3].t_s - at("2026-11-03T10:00") - 1) < 1e-9); /* the PUT, last */
    access_log_fini(&log);
}

/* the measurements meas_access makes, on the hand-written JSON lines */
static void access_measured(void **state)
{
    (void)state;
    struct access_log log;
    char err[512];
    access_log_init(&log);
    assert_int_equal(access_log_read(&log, SRC "logs/access-noise.jsonl", ACCESS_DEFAULT_AGENT,
                                     err, sizeof err), 0);
    struct meas m;
    struct okta_log ok;
    okta_log_init(&ok);
    assert_int_equal(okta_log_read(&ok, SRC "logs/okta-noise.jsonl", "Slack", err, sizeof err), 0);
    assert_int_equal(meas_run(&ok, &log, 0, &m, err, sizeof err), 0);
    /* three in flight at 10:00:00.2-0.3; the fourth starts as the first ends */
    assert_int_equal(m.conc_max, 3);
    assert_true(m.conc_exact);
    assert_int_equal(m.lat_all.n, 3);
    assert_true(fabs(m.lat_all.median_s - 0.4) < 1e-6); /* 0.3, 0.4, 0.5 s */
    assert_int_equal(m.ra_n, 1);
    assert_true(fabs(m.ra_median - 2) < 1e-9);
    assert_int_equal(m.n_429, 1);
    assert_int_equal(m.recipe_reads, 2);
    assert_int_equal(m.recipe_writes, 2);
    /* the burst's count: from the first request (10:00:00.000, the first
     * assignment's time) two GETs admitted before the POST's 429 at .200;
     * no request before it */
    assert_true(m.burst.found);
    assert_int_equal(m.burst.admitted, 2);
    assert_true(fabs(m.burst.span_s - 0.2) < 1e-6);
    assert_int_equal(m.burst.nbefore, 0);
    assert_false(m.burst.throttled_before);
    assert_true(fabs(m.burst.stamp_s - 0.001) < 1e-12);
    meas_fini(&m);
    okta_log_fini(&ok);
    access_log_fini(&log);
}

static void within(const char *what, double got, double want, double rel)
{
    printf("  %s: recovered %.4g, known %.4g (tolerance %.0f%%)\n", what, got, want, 100 * rel);
    if (!(fabs(got - want) <= rel * want))
        fail_msg("%s: recovered %g, known %g: more than %.0f%% off", what, got, want, 100 * rel);
}

static const char *note_text(const cJSON *doc, const char *key)
{
    const cJSON *n;
    size_t k = strlen(key);
    cJSON_ArrayForEach(n, cJSON_GetObjectItemCaseSensitive(doc, "notes"))
        if (cJSON_IsString(n) && !strncmp(n->valuestring, key, k) && n->valuestring[k] == ':')
            return n->valuestring;
    return NULL;
}

static int note_for(const cJSON *doc, const char *key)
{
    return note_text(doc, key) != NULL;
}

/* A fitted value's 95% interval, from its note ("fitted: V UNIT (95%
 * interval LO-HI)"), must hold the known value; returns the note. */
static const char *covers(const cJSON *doc, const char *key, double known)
{
    const char *t = note_text(doc, key), *iv = t ? strstr(t, "(95% interval ") : NULL;
    double lo, hi;
    if (!iv || sscanf(iv, "(95%% interval %lf-%lf", &lo, &hi) != 2)
        fail_msg("%s: no fitted interval in its note", key);
    printf("  %s: 95%% interval %.4g-%.4g, known %g\n", key, lo, hi, known);
    if (!(lo <= known && known <= hi))
        fail_msg("%s: the 95%% interval %g-%g misses the known %g", key, lo, hi, known);
    return t;
}

static void roundtrip_limit(void **state)
{
    (void)state;
    const char *known = SRC "calib/known-limit.json";
    struct scenario s;
    char err[SCN_ERRLEN * 2];
    assert_int_equal(scn_load(known, NULL, 0, &s, err, sizeof err), 0);
    char *dir = th_tmpdir("calib");
    char *okta = th_path(dir, "okta.jsonl"), *acc = th_path(dir, "access.jsonl"),
         *out = th_path(dir, "cal.json"), *bt = th_path(dir, "bt");
    struct mklogs_opts mo = {okta, MKLOGS_OKTA_LINES, acc, MKLOGS_ACCESS_JSON, 1, LOG_REP};
    assert_int_equal(mklogs_write(&s, &mo), 0);
    scn_fini(&s);
    struct calib_opts co = {{okta, acc, "Slack", ACCESS_DEFAULT_AGENT, 0}, known, out, 10, 200};
    FILE *sink = fopen("/dev/null", "w");
    int rc = calib_run(&co, sink, err, sizeof err);
    if (rc)
        fail_msg("calibrate: %s", err);
    /* the written scenario loads, and what it holds is the known values */
    assert_int_equal(scn_load(out, NULL, 0, &s, err, sizeof err), 0);
    scn_fini(&s);
    cJSON *doc = th_read_json(out);
    within("latency median (s)", th_num_at(doc, "server", "latency", "median"), 0.25, 0.10);
    within("latency p95 (s)", th_num_at(doc, "server", "latency", "p95"), 0.6, 0.10);
    within("limiter rate (/s)", th_num_at(doc, "server", "limits", "rate"), 8, 0.10);
    /* the burst counted in the access log; the 95% intervals hold the
     * known values */
    within("limiter burst (tokens)", th_num_at(doc, "server", "limits", "burst"), 20,
           BURST_TOL_TOKENS / 20);
    covers(doc, "server.limits[0].rate", 8);
    const char *bn = covers(doc, "server.limits[0].burst", 20);
    assert_non_null(strstr(bn, "measured: "));
    assert_non_null(strstr(bn, "the bucket never ran empty"));
    assert_null(strstr(bn, "NOT IDENTIFIED"));
    covers(doc, "client.retry.jitter", 10);
    assert_int_equal((int)th_num_at(doc, "client", "workers", NULL), 4); /* exactly */
    double peak = 0;
    const cJSON *h;
    cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(
                              cJSON_GetObjectItemCaseSensitive(
                                  cJSON_GetObjectItemCaseSensitive(doc, "workload"), "background"),
                              "weekday"))
        peak = fmax(peak, h->valuedouble);
    within("background peak (jobs/h)", peak, 300, 0.15);
    assert_int_equal((int)th_num_at(doc, "workload", "rollouts", "users"), 1500);
    static const char *const keys[] = {"server.latency", "server.limits[0].rate",
                                       "server.limits[0].burst", "client.workers",
                                       "client.requests", "workload.rollouts[0]",
                                       "workload.background", "server.retry_after"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!note_for(doc, keys[i]))
            fail_msg("no notes line for %s", keys[i]);
    cJSON_Delete(doc);
    /* backtest: the observed clear time inside the simulated 95% interval */
    struct backtest_opts bo = {out, {okta, NULL, "Slack", ACCESS_DEFAULT_AGENT, 0}, 20, -1, bt, 0};
    rc = backtest_run(&bo, sink, err, sizeof err);
    if (rc)
        fail_msg("backtest: %s", err);
    char *bj = th_path(bt, BACKTEST_JSON);
    cJSON *b = th_read_json(bj);
    double obs = th_num_at(b, "observed", "clear_time_s", NULL);
    double lo = th_num_at(b, "simulated", "clear_time_s", "p2_5"),
           hi = th_num_at(b, "simulated", "clear_time_s", "p97_5");
    printf("  backtest: observed clear time %.1f s, simulated 95%% interval %.1f-%.1f s\n", obs,
           lo, hi);
    assert_true(lo <= obs && obs <= hi);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(b, "observed_inside_p95")));
    cJSON_Delete(b);
    fclose(sink);
    th_rmtree(dir);
    free(bj);
    free(okta);
    free(acc);
    free(out);
    free(bt);
    free(dir);
}

/* Writes the System Log (in layout fmt) one replication of the known
 * scenario leaves and calibrates from it alone, the latency (which it
 * cannot show) from the known scenario as the base; returns the
 * calibrated document. */
static cJSON *calibrate_okta_only(const char *known, int fmt, const char *name)
{
    struct scenario s;
    char err[SCN_ERRLEN * 2];
    assert_int_equal(scn_load(known, NULL, 0, &s, err, sizeof err), 0);
    char *dir = th_tmpdir("calib");
    char *okta = th_path(dir, name), *out = th_path(dir, "cal.json");
    struct mklogs_opts mo = {okta, fmt, NULL, 0, 1, LOG_REP};
    assert_int_equal(mklogs_write(&s, &mo), 0);
    scn_fini(&s);
    struct calib_opts co = {{okta, NULL, "Slack", ACCESS_DEFAULT_AGENT, 0}, known, out, 10, 200};
    FILE *sink = fopen("/dev/null", "w");
    if (calib_run(&co, sink, err, sizeof err))
        fail_msg("calibrate: %s", err);
    fclose(sink);
    cJSON *doc = th_read_json(out);
    th_rmtree(dir);
    free(okta);
    free(out);
    free(dir);
    return doc;
}

static void roundtrip_workers(void **state)
{
    (void)state;
    cJSON *doc = calibrate_okta_only(SRC "calib/known-workers.json", MKLOGS_OKTA_CSV, "okta.csv");
    double w = th_num_at(doc, "client", "workers", NULL);
    printf("  workers from the System Log alone: %g, known 3 (tolerance 1)\n", w);
    assert_true(fabs(w - 3) <= 1);
    covers(doc, "client.workers", 3);
    cJSON_Delete(doc);
}

/* The limit-bound rollout from the System Log alone: no access log to
 * count the burst in, so it is not identified, and its note says so; the
 * rate's and the workers' 95% intervals hold the known values. */
static void roundtrip_okta_only(void **state)
{
    (void)state;
    cJSON *doc = calibrate_okta_only(SRC "calib/known-limit.json", MKLOGS_OKTA_LINES, "okta.jsonl");
    within("limiter rate (/s), System Log alone", th_num_at(doc, "server", "limits", "rate"), 8, 0.10);
    covers(doc, "server.limits[0].rate", 8);
    const char *bn = note_text(doc, "server.limits[0].burst");
    assert_non_null(bn);
    printf("  %s\n", bn);
    assert_non_null(strstr(bn, "NOT IDENTIFIED: "));
    assert_non_null(strstr(bn, "the search's whole range"));
    covers(doc, "client.workers", 4);
    cJSON_Delete(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(okta_hand_written),
        cmocka_unit_test(access_hand_written),
        cmocka_unit_test(access_measured),
        cmocka_unit_test(roundtrip_limit),
        cmocka_unit_test(roundtrip_workers),
        cmocka_unit_test(roundtrip_okta_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_calibrate.c -- provsim calibrate and backtest (calib/, logs/):
 *  - the hand-written logs of tests/logs/ (noise: other apps, other event
 *    types, a user assigned twice, out-of-order lines, other user agents,
 *    non-SCIM paths) in every layout give the hand-counted measurements;
 *  - round trip: the logs one replication of a scenario with known
 *    parameters leaves (tests/mklogs.h) calibrate back to those
 *    parameters within the tolerances (latency median and p95
 *    10%, the limiter's rate 10%, the concurrency exactly from the access
 *    log and within 1 from the System Log alone, the background peak
 *    15%), and backtesting the calibrated scenario against the log puts
 *    the observed clear time inside the simulated 95% interval;
 *  - provsim report and provsim plot of that backtest directory, and of
 *    one against a scenario with half the rate (the observed clear time
 *    outside): every number the report states is checked against
 *    backtest.json, the HTML as the other kinds' (charts embedded as SVG
 *    with a PNG fallback, no markup from the data), and corrupt copies of
 *    backtest.json exit 2 naming the file and the key.
 * The known values are the scenario's, not a run's output. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/digest.h"
#include "base/units.h"
#include "calib/backtest.h"
#include "calib/calibrate.h"
#include "cli_helpers.h"
#include "logs/accesslog.h"
#include "logs/measure.h"
#include "logs/oktalog.h"
#include "mklogs.h"
#include "models/job.h"
#include "out/gnuplot.h"
#include "scenario/scenario.h"

#include <cjson/cJSON.h>
#include <math.h>

#define SRC PROVSIM_SOURCE_DIR "/tests/"

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
    meas_fini(&m);
    okta_log_fini(&ok);
    access_log_fini(&log);
}

static cJSON *read_json(const char *path)
{
    char *t = th_read(path);
    cJSON *j = cJSON_Parse(t);
    free(t);
    assert_non_null(j);
    return j;
}

static double num_at(const cJSON *j, const char *a, const char *b, const char *c)
{
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(j, a);
    if (b)
        o = cJSON_GetObjectItemCaseSensitive(o, b);
    if (c)
        o = cJSON_IsArray(o) ? cJSON_GetArrayItem(o, 0) : o, o = cJSON_GetObjectItemCaseSensitive(o, c);
    if (!cJSON_IsNumber(o))
        fail_msg("%s.%s.%s is not a number", a, b ? b : "", c ? c : "");
    return o->valuedouble;
}

static void within(const char *what, double got, double want, double rel)
{
    printf("  %s: recovered %.4g, known %.4g (tolerance %.0f%%)\n", what, got, want, 100 * rel);
    if (!(fabs(got - want) <= rel * want))
        fail_msg("%s: recovered %g, known %g: more than %.0f%% off", what, got, want, 100 * rel);
}

static int note_for(const cJSON *doc, const char *key)
{
    const cJSON *n;
    size_t k = strlen(key);
    cJSON_ArrayForEach(n, cJSON_GetObjectItemCaseSensitive(doc, "notes"))
        if (cJSON_IsString(n) && !strncmp(n->valuestring, key, k) && n->valuestring[k] == ':')
            return 1;
    return 0;
}

/* "…" has to be in the report */
static void holds(const char *what, const char *text, const char *want)
{
    if (!strstr(text, want))
        fail_msg("%s lacks \"%s\"", what, want);
}

static cJSON *at_path(const cJSON *j, const char *a, const char *b, const char *c)
{
    cJSON *o = cJSON_GetObjectItemCaseSensitive(j, a);
    if (b)
        o = cJSON_GetObjectItemCaseSensitive(o, b);
    if (c)
        o = cJSON_GetObjectItemCaseSensitive(o, c);
    return o;
}

static void dur(char *buf, size_t len, double s)
{
    units_format_duration(s, buf, len);
}

/* Runs the binary; returns its exit code, stdout and stderr (caller frees). */
static int prov(const char *tmp, char *const argv[], char **out, char **err)
{
    char *o = th_path(tmp, "stdout.txt"), *e = th_path(tmp, "stderr.txt");
    int rc = th_run(argv, o, e);
    *out = th_read(o);
    *err = th_read(e);
    free(o);
    free(e);
    return rc;
}

/* provsim report BT: every number its findings and table state is
 * backtest.json's, and its verdict on the clear time is want_inside. */
static void check_bt_report(const char *tmp, const char *bt, const char *okta, int want_inside)
{
    char *argv[] = {"provsim", "report", (char *)bt, NULL}, *out, *err;
    int rc = prov(tmp, argv, &out, &err);
    if (rc != 0)
        fail_msg("report %s: exit %d, stderr: %s", bt, rc, err);
    free(out);
    free(err);
    char *jp = th_path(bt, BACKTEST_JSON), *mp = th_path(bt, "report.md"),
         *hp = th_path(bt, "report.html");
    cJSON *j = read_json(jp);
    char *md = th_read(mp), *html = th_read(hp);
    assert_non_null(md);
    assert_non_null(html);
    char want[1024], a[64], b[64], c[64], e[64], f[64], g[64];
    /* provenance: the scenario's and the log's SHA-256, the seed */
    snprintf(want, sizeof want, "Backtest: %s", cJSON_GetObjectItem(j, "scenario")->valuestring);
    holds("report.md", md, want);
    holds("report.md", md, at_path(j, "provenance", "sha256", NULL)->valuestring);
    char *log = th_read(okta), sha[DIGEST_SHA256_HEX_LEN + 1];
    digest_sha256_hex(log, strlen(log), sha);
    free(log);
    assert_string_equal(at_path(j, "log", "okta_log_sha256", NULL)->valuestring, sha);
    snprintf(want, sizeof want, "okta.jsonl (SHA-256 %s), app Slack", sha);
    holds("report.md", md, want);
    snprintf(want, sizeof want, "%d (seed %.0f)", (int)num_at(j, "replications", NULL, NULL),
             num_at(j, "provenance", "seed", NULL));
    holds("report.md", md, want);
    /* the clear time: observed, mean, CI, prediction interval, verdict */
    const cJSON *ct = at_path(j, "simulated", "clear_time_s", NULL);
    double obs = num_at(j, "observed", "clear_time_s", NULL), lo = num_at(ct, "p2_5", NULL, NULL),
           hi = num_at(ct, "p97_5", NULL, NULL);
    int inside = cJSON_IsTrue(cJSON_GetObjectItem(j, "observed_inside_p95"));
    printf("  backtest report: observed %.1f s, 95%% prediction interval %.1f-%.1f s: %s\n", obs,
           lo, hi, inside ? "inside" : "OUTSIDE");
    assert_int_equal(inside, want_inside);
    assert_int_equal(inside, lo <= obs && obs <= hi);
    dur(a, sizeof a, obs);
    dur(b, sizeof b, num_at(ct, "mean", NULL, NULL));
    dur(c, sizeof c, fmax(num_at(ct, "ci95_lo", NULL, NULL), 0));
    dur(e, sizeof e, num_at(ct, "ci95_hi", NULL, NULL));
    snprintf(want, sizeof want,
             "Observed clear time %s; simulated mean %s (95%% CI %s \xe2\x80\x93 %s)", a, b, c, e);
    holds("report.md", md, want);
    char row[1024];
    dur(f, sizeof f, lo);
    dur(g, sizeof g, hi);
    snprintf(want, sizeof want, "The observed clear time is %s the simulated 95%% prediction "
             "interval (%s \xe2\x80\x93 %s", inside ? "inside" : "OUTSIDE", f, g);
    holds("report.md", md, want);
    holds("report.html", html, want);
    if (!inside)
        assert_null(strstr(md, "is inside the simulated 95%"));
    snprintf(row, sizeof row, "| clear time | %s | %s (95%% CI ", a, b);
    holds("report.md", md, row);
    snprintf(row, sizeof row, "| %s \xe2\x80\x93 %s (95%% prediction interval) | %s |", f, g,
             inside ? "yes" : "NO");
    holds("report.md", md, row);
    /* each curve: the minutes inside the band, counted here from the file */
    static const char *const keys[] = {"completions", "throttled", "failed_tasks"};
    static const char *const what[] = {"Completions per minute", "429s per minute to the client",
                                       "Rollout jobs on the failed-task list"};
    int n = (int)num_at(j, "minutes", NULL, NULL);
    for (int k = 0; k < 3; k++) {
        const cJSON *cv = at_path(j, "curves", keys[k], NULL);
        const cJSON *o = cJSON_GetObjectItem(cv, "observed");
        assert_true(cJSON_IsArray(o)); /* the System Log names the 429s' users */
        int in = 0;
        for (int m = 0; m < n; m++) {
            double x = cJSON_GetArrayItem(o, m)->valuedouble;
            in += x >= cJSON_GetArrayItem(cJSON_GetObjectItem(cv, "p5"), m)->valuedouble - 1e-9 &&
                  x <= cJSON_GetArrayItem(cJSON_GetObjectItem(cv, "p95"), m)->valuedouble + 1e-9;
        }
        double share = num_at(cv, "share_inside_band", NULL, NULL);
        assert_true(fabs(share - (double)in / n) < 1e-9);
        snprintf(want, sizeof want, "%s: the observed value is inside the simulated 90%% band in "
                 "%d of %d minutes (%.0f%%)", what[k], in, n, 100 * share);
        holds("report.md", md, want);
        holds("report.html", html, want);
        snprintf(want, sizeof want, "| %d of %d minutes (%.0f%%) |", in, n, 100 * share);
        holds("report.md", md, want);
    }
    /* the HTML as every kind's: charts embedded as SVG with a PNG
     * fallback (when gnuplot is here), a table, no markup from the data */
    char gp[4096];
    if (gp_find(gp, sizeof gp) == 0) {
        const char *q = html;
        int figs = 0, svgs = 0;
        while ((q = strstr(q, "<figcaption>")))
            figs++, q++;
        for (q = html; (q = strstr(q, "<source type=\"image/svg+xml\" srcset=\"data:image/svg+xml;"
                                      "base64,")); q++)
            svgs++;
        assert_int_equal(figs, 3);
        assert_int_equal(svgs, 3);
        holds("report.html", html, "\" src=\"data:image/png;base64,iVBORw0KGgo");
        holds("report.md", md, "![backtest-completions](backtest-completions.png)");
    } else {
        holds("report.md", md, "No charts: gnuplot not found");
    }
    holds("report.html", html, "<table>");
    holds("report.html", html, "provsim backtest report");
    assert_null(strstr(html, "<script"));
    cJSON_Delete(j);
    free(md);
    free(html);
    free(jp);
    free(mp);
    free(hp);
}

/* provsim plot BT draws the three charts (skipped without gnuplot) */
static void check_bt_plot(const char *tmp, const char *bt)
{
    char gp[4096];
    if (gp_find(gp, sizeof gp) != 0) {
        printf("  gnuplot not on PATH: provsim plot of a backtest not checked\n");
        return;
    }
    char *argv[] = {"provsim", "plot", (char *)bt, NULL}, *out, *err;
    int rc = prov(tmp, argv, &out, &err);
    if (rc != 0)
        fail_msg("plot %s: exit %d, stderr: %s", bt, rc, err);
    static const char *const charts[] = {"backtest-completions", "backtest-throttled",
                                         "backtest-failed_tasks"};
    for (int k = 0; k < 3; k++) {
        char want[512], name[64];
        snprintf(want, sizeof want, "%s/%s.png (and .svg)\n", bt, charts[k]);
        holds("plot's stdout", out, want);
        snprintf(name, sizeof name, "%s.png", charts[k]);
        char *p = th_path(bt, name), *png = th_read(p);
        assert_non_null(png);
        assert_memory_equal(png, "\x89PNG", 4);
        free(png);
        free(p);
    }
    free(out);
    free(err);
}

/* Corrupt copies of BT's backtest.json: report and plot exit 2, naming
 * the file and the key, and write nothing. */
static void check_bt_corrupt(const char *tmp, const char *bt)
{
    char *jp = th_path(bt, BACKTEST_JSON), *text = th_read(jp);
    static const char *const cases[][2] = {
        {"truncated", "backtest.json: not valid JSON"},
        {"no-verdict", "backtest.json: observed_inside_p95: expected true or false"},
        {"short-curve", "backtest.json: curves.throttled.p95: expected 17 numbers, one per minute"},
        {"flipped-verdict", "backtest.json: observed_inside_p95: false, but the observed clear "
                            "time"},
        {"wrong-share", "backtest.json: curves.completions.share_inside_band: 0.01, but the "
                        "observed values are inside the band in"},
        {"mean-text", "backtest.json: simulated.clear_time_s.mean: expected a number"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cJSON *j = cJSON_Parse(text);
        const char *c = cases[i][0];
        char *bad;
        cJSON *cv = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "curves"), "throttled");
        if (!strcmp(c, "no-verdict"))
            cJSON_DeleteItemFromObject(j, "observed_inside_p95");
        if (!strcmp(c, "short-curve"))
            cJSON_DeleteItemFromArray(cJSON_GetObjectItem(cv, "p95"), 0);
        if (!strcmp(c, "flipped-verdict"))
            cJSON_ReplaceItemInObject(j, "observed_inside_p95", cJSON_CreateFalse());
        if (!strcmp(c, "wrong-share"))
            cJSON_ReplaceItemInObject(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "curves"),
                                                          "completions"),
                                      "share_inside_band", cJSON_CreateNumber(0.01));
        if (!strcmp(c, "mean-text"))
            cJSON_ReplaceItemInObject(at_path(j, "simulated", "clear_time_s", NULL), "mean",
                                      cJSON_CreateString("6m"));
        bad = cJSON_Print(j);
        if (!strcmp(c, "truncated"))
            bad[strlen(bad) / 2] = '\0';
        cJSON_Delete(j);
        char *d = th_path(tmp, c);
        assert_int_equal(mkdir(d, 0755), 0);
        char *p = th_path(d, BACKTEST_JSON);
        th_write(p, bad);
        free(bad);
        for (int k = 0; k < 2; k++) {
            char *argv[] = {"provsim", k ? "plot" : "report", d, NULL}, *out, *err;
            int rc = prov(tmp, argv, &out, &err);
            char want[512];
            snprintf(want, sizeof want, "provsim: %s/%s", d, cases[i][1]);
            if (rc != 2 || !strstr(err, want))
                fail_msg("%s of %s: exit %d (want 2), stderr \"%s\" (want \"%s\")", argv[1], c,
                         rc, err, want);
            assert_string_equal(out, "");
            free(out);
            free(err);
        }
        /* nothing written beside it: no report, no chart */
        assert_int_equal(th_count(d, "report"), 0);
        assert_int_equal(th_count(d, "backtest-"), 0);
        th_rmtree(d);
        free(p);
        free(d);
    }
    free(text);
    free(jp);
}

/* BT's backtest.json made censored (3 replications not cleared, as
 * backtest writes it then): the report says NOT CLEARED, gives the bound
 * and no interval or verdict. */
static void check_bt_censored(const char *tmp, const char *bt)
{
    char *jp = th_path(bt, BACKTEST_JSON), *text = th_read(jp), *d = th_path(tmp, "censored");
    cJSON *j = cJSON_Parse(text);
    cJSON *ct = at_path(j, "simulated", "clear_time_s", NULL);
    static const char *const gone[] = {"mean", "ci95_lo", "ci95_hi", "p2_5", "p97_5"};
    for (int k = 0; k < 5; k++)
        cJSON_ReplaceItemInObject(ct, gone[k], cJSON_CreateNull());
    cJSON_ReplaceItemInObject(ct, "at_least", cJSON_CreateNumber(1234));
    cJSON_ReplaceItemInObject(cJSON_GetObjectItem(j, "simulated"), "censored_replications",
                              cJSON_CreateNumber(3));
    cJSON_ReplaceItemInObject(j, "observed_inside_p95", cJSON_CreateFalse());
    char *t = cJSON_Print(j), *p = th_path(d, BACKTEST_JSON), *argv[] = {"provsim", "report", d,
                                                                          NULL}, *out, *err;
    assert_int_equal(mkdir(d, 0755), 0);
    th_write(p, t);
    assert_int_equal(prov(tmp, argv, &out, &err), 0);
    char *mp = th_path(d, "report.md"), *md = th_read(mp), want[256], at[32];
    dur(at, sizeof at, 1234);
    snprintf(want, sizeof want, "did NOT CLEAR in 3 of %d replications: its clear time is at "
             "least %s, so there is no", (int)num_at(j, "replications", NULL, NULL), at);
    holds("report.md", md, want);
    holds("report.md", md, "| none (censored) | - |");
    assert_null(strstr(md, "the simulated 95% prediction interval (")); /* no verdict */
    th_rmtree(d);
    cJSON_Delete(j);
    free(md), free(mp), free(out), free(err), free(t), free(p), free(d), free(text), free(jp);
}

/* The known scenario with half its rate limit: the same log's clear time
 * is then far below what it simulates. */
static void write_slow(const char *known, const char *path)
{
    cJSON *doc = read_json(known);
    cJSON *lim = cJSON_GetArrayItem(at_path(doc, "server", "limits", NULL), 0);
    cJSON_ReplaceItemInObject(lim, "rate", cJSON_CreateNumber(4));
    char *t = cJSON_Print(doc);
    th_write(path, t);
    free(t);
    cJSON_Delete(doc);
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
    struct mklogs_opts mo = {okta, MKLOGS_OKTA_LINES, acc, MKLOGS_ACCESS_JSON, 1, 0};
    assert_int_equal(mklogs_write(&s, &mo), 0);
    scn_fini(&s);
    struct calib_opts co = {okta, acc, "Slack", ACCESS_DEFAULT_AGENT, known, out, 0, 10, 200};
    FILE *sink = fopen("/dev/null", "w");
    int rc = calib_run(&co, sink, err, sizeof err);
    if (rc)
        fail_msg("calibrate: %s", err);
    /* the written scenario loads, and what it holds is the known values */
    assert_int_equal(scn_load(out, NULL, 0, &s, err, sizeof err), 0);
    scn_fini(&s);
    cJSON *doc = read_json(out);
    within("latency median (s)", num_at(doc, "server", "latency", "median"), 0.25, 0.10);
    within("latency p95 (s)", num_at(doc, "server", "latency", "p95"), 0.6, 0.10);
    within("limiter rate (/s)", num_at(doc, "server", "limits", "rate"), 8, 0.10);
    assert_int_equal((int)num_at(doc, "client", "workers", NULL), 4); /* exactly */
    double peak = 0;
    const cJSON *h;
    cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(
                              cJSON_GetObjectItemCaseSensitive(
                                  cJSON_GetObjectItemCaseSensitive(doc, "workload"), "background"),
                              "weekday"))
        peak = fmax(peak, h->valuedouble);
    within("background peak (jobs/h)", peak, 300, 0.15);
    assert_int_equal((int)num_at(doc, "workload", "rollouts", "users"), 1500);
    static const char *const keys[] = {"server.latency", "server.limits[0].rate",
                                       "server.limits[0].burst", "client.workers",
                                       "client.requests", "workload.rollouts[0]",
                                       "workload.background", "server.retry_after"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!note_for(doc, keys[i]))
            fail_msg("no notes line for %s", keys[i]);
    cJSON_Delete(doc);
    /* backtest: the observed clear time inside the simulated 95% interval */
    struct backtest_opts bo = {out, okta, NULL, "Slack", ACCESS_DEFAULT_AGENT, 0, 20, -1, bt, 0};
    rc = backtest_run(&bo, sink, err, sizeof err);
    if (rc)
        fail_msg("backtest: %s", err);
    char *bj = th_path(bt, BACKTEST_JSON);
    cJSON *b = read_json(bj);
    double obs = num_at(b, "observed", "clear_time_s", NULL);
    double lo = num_at(b, "simulated", "clear_time_s", "p2_5"),
           hi = num_at(b, "simulated", "clear_time_s", "p97_5");
    printf("  backtest: observed clear time %.1f s, simulated 95%% interval %.1f-%.1f s\n", obs,
           lo, hi);
    assert_true(lo <= obs && obs <= hi);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(b, "observed_inside_p95")));
    cJSON_Delete(b);
    /* its report and charts, and the same log against half the rate */
    check_bt_report(dir, bt, okta, 1);
    check_bt_plot(dir, bt);
    check_bt_corrupt(dir, bt);
    check_bt_censored(dir, bt);
    char *slow = th_path(dir, "slow.json"), *bt2 = th_path(dir, "bt-slow");
    write_slow(known, slow);
    struct backtest_opts so = {slow, okta, NULL, "Slack", ACCESS_DEFAULT_AGENT, 0, 20, -1, bt2, 0};
    if (backtest_run(&so, sink, err, sizeof err))
        fail_msg("backtest at half the rate: %s", err);
    check_bt_report(dir, bt2, okta, 0);
    free(slow);
    free(bt2);
    fclose(sink);
    th_rmtree(dir);
    free(bj);
    free(okta);
    free(acc);
    free(out);
    free(bt);
    free(dir);
}

static void roundtrip_workers(void **state)
{
    (void)state;
    const char *known = SRC "calib/known-workers.json";
    struct scenario s;
    char err[SCN_ERRLEN * 2];
    assert_int_equal(scn_load(known, NULL, 0, &s, err, sizeof err), 0);
    char *dir = th_tmpdir("calib");
    char *okta = th_path(dir, "okta.csv"), *out = th_path(dir, "cal.json");
    struct mklogs_opts mo = {okta, MKLOGS_OKTA_CSV, NULL, 0, 1, 0};
    assert_int_equal(mklogs_write(&s, &mo), 0);
    scn_fini(&s);
    /* the System Log alone; the latency (which it cannot show) from the base */
    struct calib_opts co = {okta, NULL, "Slack", ACCESS_DEFAULT_AGENT, known, out, 0, 10, 200};
    FILE *sink = fopen("/dev/null", "w");
    if (calib_run(&co, sink, err, sizeof err))
        fail_msg("calibrate: %s", err);
    fclose(sink);
    cJSON *doc = read_json(out);
    double w = num_at(doc, "client", "workers", NULL);
    printf("  workers from the System Log alone: %g, known 3 (tolerance 1)\n", w);
    assert_true(fabs(w - 3) <= 1);
    assert_true(note_for(doc, "client.workers"));
    cJSON_Delete(doc);
    th_rmtree(dir);
    free(okta);
    free(out);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(okta_hand_written),
        cmocka_unit_test(access_hand_written),
        cmocka_unit_test(access_measured),
        cmocka_unit_test(roundtrip_limit),
        cmocka_unit_test(roundtrip_workers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

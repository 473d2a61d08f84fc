/* test_backtest_report.c -- provsim report and provsim plot of a backtest
 * directory (out/btresult.h, report_backtest.c, plot_backtest.c).
 *
 * The System Log one replication of tests/calib/known-limit.json leaves
 * (tests/mklogs.h) is backtested against that scenario (the observed
 * clear time inside the simulated 95% prediction interval) and against
 * the same scenario with half its rate (far outside). Then:
 *  - every number the report's findings and table state is checked
 *    against backtest.json (the clear time, its CI and prediction interval,
 *    the verdict, each curve's minutes inside the band counted here from
 *    the file's arrays, the scenario's and the log's SHA-256, the seed);
 *    the OUTSIDE verdict is said plainly and "inside" is absent;
 *  - the HTML as the other kinds' (test_plot.c, report_pdf.sh): the three
 *    charts embedded as SVG with a PNG fallback, a table, no markup from
 *    the data, a hostile scenario name escaped and never run by gnuplot;
 *  - provsim plot draws and lists the three charts (without gnuplot this
 *    part is skipped, and the report must say why it has none);
 *  - a censored backtest says NOT CLEARED, the bound, and no interval;
 *  - six corrupt copies of backtest.json make report and plot exit 2,
 *    naming the file and the key, and write nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/digest.h"
#include "base/units.h"
#include "calib/backtest.h"
#include "cli_helpers.h"
#include "json_helpers.h"
#include "logs/accesslog.h"
#include "mklogs.h"
#include "out/gnuplot.h"
#include "scenario/scenario.h"

#include <cjson/cJSON.h>
#include <math.h>

#define KNOWN PROVSIM_SOURCE_DIR "/tests/calib/known-limit.json"

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
    cJSON *j = th_read_json(jp);
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
    snprintf(want, sizeof want, "%d (seed %.0f)", (int)th_num_at(j, "replications", NULL, NULL),
             th_num_at(j, "provenance", "seed", NULL));
    holds("report.md", md, want);
    /* the clear time: observed, mean, CI, prediction interval, verdict */
    const cJSON *ct = at_path(j, "simulated", "clear_time_s", NULL);
    double obs = th_num_at(j, "observed", "clear_time_s", NULL), lo = th_num_at(ct, "p2_5", NULL, NULL),
           hi = th_num_at(ct, "p97_5", NULL, NULL);
    int inside = cJSON_IsTrue(cJSON_GetObjectItem(j, "observed_inside_p95"));
    printf("  backtest report: observed %.1f s, 95%% prediction interval %.1f-%.1f s: %s\n", obs,
           lo, hi, inside ? "inside" : "OUTSIDE");
    assert_int_equal(inside, want_inside);
    assert_int_equal(inside, lo <= obs && obs <= hi);
    dur(a, sizeof a, obs);
    dur(b, sizeof b, th_num_at(ct, "mean", NULL, NULL));
    dur(c, sizeof c, fmax(th_num_at(ct, "ci95_lo", NULL, NULL), 0));
    dur(e, sizeof e, th_num_at(ct, "ci95_hi", NULL, NULL));
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
    int n = (int)th_num_at(j, "minutes", NULL, NULL);
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
        double share = th_num_at(cv, "share_inside_band", NULL, NULL);
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
    /* and a name that tries to be markup and gnuplot code: text, never code */
    cJSON_ReplaceItemInObject(j, "scenario", cJSON_CreateString("x'; system(\"touch "
                                                                "provsim-pwned\") ; '<script>"));
    char *t = cJSON_Print(j), *p = th_path(d, BACKTEST_JSON), *argv[] = {"provsim", "report", d,
                                                                          NULL}, *out, *err;
    assert_int_equal(mkdir(d, 0755), 0);
    th_write(p, t);
    assert_int_equal(prov(tmp, argv, &out, &err), 0);
    char *mp = th_path(d, "report.md"), *md = th_read(mp), want[256], at[32];
    dur(at, sizeof at, 1234);
    snprintf(want, sizeof want, "did NOT CLEAR in 3 of %d replications: its clear time is at "
             "least %s, so there is no", (int)th_num_at(j, "replications", NULL, NULL), at);
    holds("report.md", md, want);
    holds("report.md", md, "| none (censored) | - |");
    char *hp = th_path(d, "report.html"), *html = th_read(hp);
    holds("report.html", html,
          "x&#39;; system(&quot;touch provsim-pwned&quot;) ; &#39;&lt;script&gt;");
    assert_null(strstr(html, "<script"));
    /* the report drew the charts (gnuplot runs in d) with that title */
    char *pw = th_path(d, "provsim-pwned");
    assert_false(th_exists(pw) || th_exists("provsim-pwned"));
    free(pw), free(html), free(hp);
    assert_null(strstr(md, "the simulated 95% prediction interval (")); /* no verdict */
    th_rmtree(d);
    cJSON_Delete(j);
    free(md), free(mp), free(out), free(err), free(t), free(p), free(d), free(text), free(jp);
}

/* The known scenario with half its rate limit: the same log's clear time
 * is then far below what it simulates. */
static void write_slow(const char *known, const char *path)
{
    cJSON *doc = th_read_json(known);
    cJSON *lim = cJSON_GetArrayItem(at_path(doc, "server", "limits", NULL), 0);
    cJSON_ReplaceItemInObject(lim, "rate", cJSON_CreateNumber(4));
    char *t = cJSON_Print(doc);
    th_write(path, t);
    free(t);
    cJSON_Delete(doc);
}

static void backtest(const char *scn, const char *okta, const char *dir)
{
    char err[SCN_ERRLEN * 2];
    FILE *sink = fopen("/dev/null", "w");
    struct backtest_opts bo = {scn, {okta, NULL, "Slack", ACCESS_DEFAULT_AGENT, 0}, 20, -1, dir, 0};
    if (backtest_run(&bo, sink, err, sizeof err))
        fail_msg("backtest %s: %s", scn, err);
    fclose(sink);
}

static void report_and_plot(void **state)
{
    (void)state;
    struct scenario s;
    char err[SCN_ERRLEN * 2];
    assert_int_equal(scn_load(KNOWN, NULL, 0, &s, err, sizeof err), 0);
    char *dir = th_tmpdir("btreport");
    char *okta = th_path(dir, "okta.jsonl"), *bt = th_path(dir, "bt"),
         *slow = th_path(dir, "slow.json"), *bt2 = th_path(dir, "bt-slow");
    struct mklogs_opts mo = {okta, MKLOGS_OKTA_LINES, NULL, 0, 1, 0};
    assert_int_equal(mklogs_write(&s, &mo), 0);
    scn_fini(&s);
    backtest(KNOWN, okta, bt);
    check_bt_report(dir, bt, okta, 1);
    check_bt_plot(dir, bt);
    check_bt_corrupt(dir, bt);
    check_bt_censored(dir, bt);
    /* the same log against half the rate: far outside, and said so */
    write_slow(KNOWN, slow);
    backtest(slow, okta, bt2);
    check_bt_report(dir, bt2, okta, 0);
    th_rmtree(dir);
    free(okta);
    free(bt);
    free(slow);
    free(bt2);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(report_and_plot)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

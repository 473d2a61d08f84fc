/* test_scenario.c -- loading, validation messages, --set overrides and
 * traffic profiles.
 *
 * Most bad cases start from the built-in default scenario and break one
 * value with scn_doc_set, the way a user would on the command line, so
 * each case tests exactly one rule; the rest use small JSON texts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scenario/scenario.h"
#include "base/units.h"

#define DEFAULT_JSON PROVSIM_SOURCE_DIR "/configs/default.json"

/* A minimal valid scenario, for cases the default cannot express (keys
 * that must be absent). */
#define MIN_HEAD "{\"name\": \"m\", \"start\": \"2026-12-01T00:00\", \"horizon\": \"1d\", "
#define MIN_SERVER \
    "\"server\": {\"limits\": [], \"latency\": {\"dist\": \"constant\", \"value\": 1}}, "
#define MIN_CLIENT "\"client\": {\"workers\": 1}, "
#define MIN_WORKLOAD "\"workload\": {}"

static int all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return 0;
    return 1;
}

/* Loads the default with the given overrides (NULL-terminated); returns
 * scn_from_doc's result. Each --set must itself succeed. */
static int load_sets(struct scenario *s, char *err, size_t errlen, const char *first,
                     va_list ap)
{
    scn_doc *d = scn_doc_default();
    for (const char *a = first; a; a = va_arg(ap, const char *)) {
        if (scn_doc_set(d, a, err, errlen) != 0) {
            print_error("--set %s failed: %s\n", a, err);
            scn_doc_free(d);
            fail();
        }
    }
    int rc = scn_from_doc(d, s, err, errlen);
    scn_doc_free(d);
    return rc;
}

/* The default with overrides must load; caller scn_fini's s. */
static void good(struct scenario *s, const char *first, ...)
{
    char err[SCN_ERRLEN] = "";
    va_list ap;
    va_start(ap, first);
    int rc = load_sets(s, err, sizeof err, first, ap);
    va_end(ap);
    if (rc != 0) {
        print_error("expected success, got: %s\n", err);
        fail();
    }
    assert_null(scn_check(s));
}

static void check_msg(const char *err, const char *want)
{
    if (!strstr(err, want)) {
        print_error("message \"%s\"\n does not contain \"%s\"\n", err, want);
        fail();
    }
}

/* The default with overrides must fail with a message containing want,
 * and leave the scenario empty. */
static void bad(const char *want, const char *first, ...)
{
    struct scenario s;
    memset(&s, 0xA5, sizeof s); /* garbage: failure must clear it */
    char err[SCN_ERRLEN] = "";
    va_list ap;
    va_start(ap, first);
    int rc = load_sets(&s, err, sizeof err, first, ap);
    va_end(ap);
    if (rc != -1) {
        print_error("expected an error containing \"%s\", but it loaded\n", want);
        scn_fini(&s);
        fail();
    }
    check_msg(err, want);
    assert_true(all_zero(&s, sizeof s));
}

/* JSON text must fail (parse or validation) with a message containing want. */
static void bad_text(const char *json, const char *want)
{
    char err[SCN_ERRLEN] = "";
    scn_doc *d = scn_doc_parse(json, strlen(json), err, sizeof err);
    if (d) {
        struct scenario s;
        int rc = scn_from_doc(d, &s, err, sizeof err);
        scn_doc_free(d);
        if (rc == 0) {
            print_error("expected an error containing \"%s\", but it loaded\n", want);
            scn_fini(&s);
            fail();
        }
    }
    check_msg(err, want);
}

static void good_text(const char *json, struct scenario *s)
{
    char err[SCN_ERRLEN] = "";
    scn_doc *d = scn_doc_parse(json, strlen(json), err, sizeof err);
    if (!d) {
        print_error("parse failed: %s\n", err);
        fail();
    }
    int rc = scn_from_doc(d, s, err, sizeof err);
    scn_doc_free(d);
    if (rc != 0) {
        print_error("expected success, got: %s\n", err);
        fail();
    }
    assert_null(scn_check(s));
}

/* ---- the default scenario --------------------------------------------- */

static void test_default_file_matches_builtin(void **state)
{
    (void)state;
    struct scenario f, b;
    char err[SCN_ERRLEN] = "";
    if (scn_load(DEFAULT_JSON, NULL, 0, &f, err, sizeof err) != 0) {
        print_error("%s\n", err);
        fail();
    }
    assert_int_equal(scn_load(NULL, NULL, 0, &b, err, sizeof err), 0);

    assert_string_equal(f.name, b.name);
    assert_string_equal(f.notes, b.notes);
    assert_true(f.start_epoch_s == b.start_epoch_s);
    assert_true(f.horizon_s == b.horizon_s);
    assert_true(f.seed == b.seed);
    assert_int_equal(f.replications, b.replications);
    assert_int_equal(f.server.nlimits, b.server.nlimits);
    for (int i = 0; i < f.server.nlimits; i++) {
        assert_int_equal(f.server.limits[i].type, b.server.limits[i].type);
        assert_true(f.server.limits[i].rate_per_s == b.server.limits[i].rate_per_s);
        assert_true(f.server.limits[i].burst == b.server.limits[i].burst);
        assert_int_equal(f.server.limits[i].ep_mask, b.server.limits[i].ep_mask);
        assert_int_equal(f.server.limits[i].kind_mask, b.server.limits[i].kind_mask);
        assert_string_equal(f.server.limits[i].name, b.server.limits[i].name);
    }
    assert_true(f.server.latency.mean_s == b.server.latency.mean_s);
    assert_int_equal(f.client.workers, b.client.workers);
    assert_int_equal(f.nrollouts, b.nrollouts);
    assert_true(f.rollouts[0].at_s == b.rollouts[0].at_s);
    assert_true(memcmp(&f.background, &b.background, sizeof f.background) == 0);
    assert_true(memcmp(&f.other, &b.other, sizeof f.other) == 0);
    assert_true(f.series_step_s == b.series_step_s);

    /* And the values themselves, as the file says. */
    assert_true(b.start_epoch_s == 1796083200); /* 2026-12-01T00:00 */
    assert_true(b.horizon_s == 2 * 86400);
    assert_true(b.seed == 1);
    assert_int_equal(b.replications, 20);
    assert_int_equal(b.server.nlimits, 8);
    assert_string_equal(b.server.limits[0].name, "writes (org-wide)");
    assert_int_equal(b.server.limits[0].type, LIM_TOKEN_BUCKET);
    assert_true(b.server.limits[0].rate_per_s == 10);
    assert_true(b.server.limits[0].burst == 180);
    assert_int_equal(b.server.limits[0].ep_mask, ep_selector_mask("writes"));
    assert_int_equal(b.server.limits[1].ep_mask, ep_selector_mask("reads"));
    assert_true(b.server.limits[2].rate_per_s == 3);
    assert_int_equal(b.server.limits[2].ep_mask, EP_MASK(EP_POST_USERS));
    assert_int_equal(b.server.limits[2].kind_mask, 0);
    assert_int_equal(b.server.limits[3].ep_mask, EP_MASK(EP_PUT_USER) | EP_MASK(EP_PATCH_USER));
    assert_true(b.server.limits[6].burst == 80);
    assert_int_equal(b.client.requests, CLIENT_REQUESTS_OKTA);
    assert_int_equal(b.client.recipe[JOB_KIND_CREATE].n, 2);
    assert_int_equal(b.client.recipe[JOB_KIND_CREATE].ep[0], EP_GET_USERS);
    assert_int_equal(b.client.recipe[JOB_KIND_CREATE].ep[1], EP_POST_USERS);
    assert_int_equal(b.client.on_error, CLIENT_ON_ERROR_PARK);
    assert_int_equal(b.client.retry_from, CLIENT_RETRY_FROM_START);
    assert_int_equal(b.server.ra_mode, SRV_RA_LIMITER);
    assert_int_equal(b.server.latency.type, DIST_LOGNORMAL);
    assert_true(b.server.reject_latency_s == 0.05);
    assert_true(b.server.error_rate == 0);
    assert_int_equal(b.server.count_rejected, 0);
    assert_int_equal(b.client.workers, 4);
    assert_true(b.client.max_rate_per_s == 0);
    assert_int_equal(b.client.retry.policy, RETRY_POLICY_RETRY_AFTER);
    assert_int_equal(b.client.error_retry.policy, RETRY_POLICY_EXPONENTIAL);
    assert_true(b.client.error_retry.base_s == 1);
    assert_true(b.client.error_retry.cap_s == 300);
    assert_int_equal(b.client.error_retry.jitter, JITTER_FULL);
    assert_int_equal(b.client.on_429, CLIENT_ON_429_JOB);
    assert_int_equal(b.nrollouts, 1);
    assert_int_equal(b.rollouts[0].kind, JOB_KIND_CREATE);
    assert_int_equal(b.rollouts[0].users, 5000);
    assert_true(b.rollouts[0].at_s == 36000);
    assert_int_equal(b.rollouts[0].batch_size, 500);
    assert_true(b.rollouts[0].batch_interval_s == 600);
    assert_int_equal(b.background.enabled, 1);
    assert_true(fabs(b.background.mix[JOB_KIND_UPDATE] - 0.6) < 1e-12);
    assert_int_equal(b.other.enabled, 1);
    assert_true(b.other.profile.weekday[10] == 3000);
    assert_true(b.series_step_s == 60);
    /* Notes: the array joined by newlines, no trailing newline. */
    assert_true(strncmp(b.notes, "Limits [C]:", 11) == 0);
    assert_non_null(strchr(b.notes, '\n'));
    assert_true(b.notes[strlen(b.notes) - 1] != '\n');

    /* scn_check notices broken invariants, and says which. */
    assert_null(scn_check(&b));
    struct scenario t = b;
    t.rollouts[0].at_s = t.horizon_s;
    assert_string_equal(scn_check(&t), "rollouts[]: at_s is not in [0, horizon_s)");
    t = b;
    t.background.mix[JOB_KIND_CREATE] += 0.1;
    assert_string_equal(scn_check(&t), "background: the mix does not sum to 1");
    t = b;
    t.rollouts[0].batch_size = t.rollouts[0].users;
    assert_string_equal(scn_check(&t),
                        "rollouts[]: batch_size is not 0 (one batch) or less than users");
    t = b;
    t.server.limits[1].ep_mask = t.server.limits[1].kind_mask = 0;
    assert_string_equal(scn_check(&t),
                        "server.limits[]: selects no request, or has bits of no endpoint or kind");
    t = b;
    t.series_step_s = t.horizon_s * 2;
    assert_string_equal(scn_check(&t), "series_step_s is not in (0, horizon_s]");
    t = b;
    t.server.limits[1].lockout_s = -1;
    assert_string_equal(scn_check(&t), "server.limits[]: lockout_s is not finite and >= 0");
    t = b;
    t.client.retry.policy = RETRY_POLICY_SCHEDULE; /* with no delays */
    assert_string_equal(scn_check(&t), "client.retry: nschedule is not in [1, RETRY_MAX_SCHEDULE]");
    t.client.retry.nschedule = 2;
    t.client.retry.schedule_s[0] = t.client.retry.schedule_s[1] = 60;
    assert_string_equal(scn_check(&t),
                        "client.retry: schedule_s is not finite, > 0 and strictly increasing");
    t.client.retry.schedule_s[1] = 120;
    assert_null(scn_check(&t));

    scn_fini(&f);
    scn_fini(&b);
    assert_null(b.name);
    assert_int_equal(b.server.nlimits, 0);
}

/* ---- syntax and files -------------------------------------------------- */

static void test_syntax_errors(void **state)
{
    (void)state;
    char err[SCN_ERRLEN];
    const char *j = "{\n  \"name\": \"x\",\n  \"seed\": 1 \"a\"\n}";
    assert_null(scn_doc_parse(j, strlen(j), err, sizeof err));
    assert_string_equal(err, "line 3, column 13: expected ',' or '}' after a value, got '\"' "
                             "(a missing comma?)");
    /* Columns count characters, not bytes: "é" is two bytes, one column. */
    j = "{\"n\u00e9\": tru}";
    assert_null(scn_doc_parse(j, strlen(j), err, sizeof err));
    assert_string_equal(err, "line 1, column 8: expected a value (a string, number, object, "
                             "array, true, false or null), got 't'");
    j = "{} x";
    assert_null(scn_doc_parse(j, strlen(j), err, sizeof err));
    check_msg(err, "line 1, column 4: text after the end");
    assert_null(scn_doc_parse("", 0, err, sizeof err));
    check_msg(err, "line 1, column 1: the text is empty");
    assert_null(scn_doc_parse("[1, 2]", 6, err, sizeof err));
    check_msg(err, "JSON object");
    const char nul[] = "{\"name\":\n \"a\0b\"}";
    assert_null(scn_doc_parse(nul, sizeof nul - 1, err, sizeof err));
    check_msg(err, "line 2, column 4: NUL");
    /* A UTF-8 byte order mark is skipped; trailing whitespace is fine. */
    j = "\xEF\xBB\xBF{}\n\n";
    scn_doc *d = scn_doc_parse(j, strlen(j), err, sizeof err);
    assert_non_null(d);
    scn_doc_free(d);
}

static char tmpdir[64];

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_files(void **state)
{
    (void)state;
    char err[SCN_ERRLEN], path[128];
    strcpy(tmpdir, "/tmp/test_scenario.XXXXXX");
    assert_non_null(mkdtemp(tmpdir));

    assert_null(scn_doc_load(tmpdir, err, sizeof err));
    check_msg(err, ": is a directory");
    check_msg(err, tmpdir);

    snprintf(path, sizeof path, "%s/missing.json", tmpdir);
    assert_null(scn_doc_load(path, err, sizeof err));
    check_msg(err, "missing.json: cannot read: No such file or directory");

    snprintf(path, sizeof path, "%s/syntax.json", tmpdir);
    write_file(path, "{\n\"name\": \"x\",,\n}\n");
    assert_null(scn_doc_load(path, err, sizeof err));
    check_msg(err, "syntax.json: line 2, column 13: expected a key in double quotes, got ','");

    /* Validation errors through scn_load name the file too. */
    snprintf(path, sizeof path, "%s/bad.json", tmpdir);
    write_file(path, MIN_HEAD MIN_SERVER "\"client\": {\"workers\": 0}, " MIN_WORKLOAD "}");
    struct scenario s;
    assert_int_equal(scn_load(path, NULL, 0, &s, err, sizeof err), -1);
    check_msg(err, "bad.json: client.workers: must be between 1 and 100000");

    /* Over 16 MiB: refused from its size alone (sparse, so cheap). */
    snprintf(path, sizeof path, "%s/huge.json", tmpdir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(ftruncate(fileno(f), 17 * 1024 * 1024), 0);
    fclose(f);
    assert_null(scn_doc_load(path, err, sizeof err));
    check_msg(err, "huge.json: is larger than 16 MiB");
    unlink(path);

    snprintf(path, sizeof path, "%s/syntax.json", tmpdir);
    unlink(path);
    snprintf(path, sizeof path, "%s/bad.json", tmpdir);
    unlink(path);
    rmdir(tmpdir);
}

/* ---- keys -------------------------------------------------------------- */

static void test_unknown_and_duplicate_keys(void **state)
{
    (void)state;
    char err[SCN_ERRLEN];
    struct scenario s;
    scn_doc *d = scn_doc_default();
    assert_int_equal(scn_doc_set(d, "workload.rollouts[0].batchsize=5", err, sizeof err), 0);
    assert_int_equal(scn_from_doc(d, &s, err, sizeof err), -1);
    assert_string_equal(err, "workload.rollouts[0]: unknown key \"batchsize\" "
                             "(did you mean \"batch_size\"?)");
    scn_doc_free(d);

    bad("server.limits[0]: unknown key \"brust\" (did you mean \"burst\"?)",
        "server.limits[0].brust=5", NULL);
    bad("server: unknown key \"rejectLatency\" (did you mean \"reject_latency\"?)",
        "server.rejectLatency=1", NULL);
    /* Nothing close: no suggestion. */
    d = scn_doc_default();
    assert_int_equal(scn_doc_set(d, "zzzz=1", err, sizeof err), 0);
    assert_int_equal(scn_from_doc(d, &s, err, sizeof err), -1);
    assert_string_equal(err, "top level: unknown key \"zzzz\"; allowed here: $schema, name, "
                             "notes, start, horizon, horizon_cap, settle, seed, replications, "
                             "server, client, workload, output");
    scn_doc_free(d);
    /* Far from any key, but a word people use for one: the key it means
     * (only where that key is allowed), then the list. */
    bad("workload.rollouts[0]: unknown key \"interval\" (did you mean \"batch_interval\"?); "
        "allowed here: kind, users, at, batch_size, batch_interval",
        "workload.rollouts[0].interval=1", NULL);
    bad("client.retry: unknown key \"max_retries\" (did you mean \"max_attempts\"?)",
        "client.retry.max_retries=3", NULL);
    bad("workload.rollouts[0]: unknown key \"max_retries\"; allowed here: kind,",
        "workload.rollouts[0].max_retries=3", NULL);
    /* A key of another limit type. */
    bad("server.limits[0]: unknown key \"burst\" for a fixed_window limit (it takes type, "
        "name, applies_to, limit, window",
        "server.limits[0]={\"type\":\"fixed_window\",\"limit\":5,\"window\":\"1m\",\"burst\":3}",
        NULL);
    /* cJSON keeps both copies of a repeated key. */
    bad_text("{\"name\": \"a\", \"name\": \"b\"}", "top level: duplicate key \"name\"");
    bad_text(MIN_HEAD MIN_SERVER "\"client\": {\"workers\": 1, \"workers\": 2}, " MIN_WORKLOAD "}",
             "client: duplicate key \"workers\"");
}

static void test_required_and_types(void **state)
{
    (void)state;
    bad("client.workers: missing required key", "client={}", NULL);
    bad("client.workers: expected an integer, got a string", "client.workers=\"8\"", NULL);
    bad("client.workers: expected an integer, got 1.5", "client.workers=1.5", NULL);
    bad("client.workers: must be between 1 and 100000 (got 0)", "client.workers=0", NULL);
    bad("client.workers: must be between 1 and 100000", "client.workers=1e300", NULL);
    bad("client.workers: must be a finite number", "client.workers=1e999", NULL);
    bad("name: must not be empty", "name=\"\"", NULL);
    bad("name: expected a string, got a number", "name=5", NULL);
    bad("notes[1]: expected a string, got a number", "notes=[\"a\", 2]", NULL);
    bad("start: \"2026-02-30T00:00\": day", "start=2026-02-30T00:00", NULL);
    bad("start: expected a date-time", "start=5", NULL);
    bad("server: expected an object, got an array", "server=[]", NULL);
    bad_text(MIN_HEAD MIN_CLIENT MIN_WORKLOAD "}", "server: missing required key");
    bad_text(MIN_HEAD "\"server\": {\"latency\": {\"dist\": \"constant\", \"value\": 1}}, "
             MIN_CLIENT MIN_WORKLOAD "}",
             "server.limits: missing required key");
    bad_text(MIN_HEAD "\"server\": {\"limits\": []}, " MIN_CLIENT MIN_WORKLOAD "}",
             "server.latency: missing required key");
    bad_text("{\"name\": \"m\", \"horizon\": \"1d\", " MIN_SERVER MIN_CLIENT MIN_WORKLOAD "}",
             "start: missing required key");
    bad("server.count_rejected: expected true or false, got a string",
        "server.count_rejected=yes", NULL);
}

static void test_top_level_values(void **state)
{
    (void)state;
    bad("horizon: must be > 0 and <= 366d (got 0)", "horizon=0", NULL);
    bad("horizon: must be > 0 and <= 366d (got 400d)", "horizon=400d", NULL);
    bad("horizon: \"-1h\": a duration must not be negative", "horizon=-1h", NULL);
    bad("horizon: \"2 hx\" is not a duration", "horizon=2 hx", NULL);
    bad("horizon: \"15m 1h\" is not a duration (each unit at most once, largest first",
        "horizon=15m 1h", NULL);
    struct scenario hs;
    good(&hs, "horizon=1d 12h", NULL); /* as people write it, and as provsim prints it */
    assert_true(hs.horizon_s == 1.5 * 86400);
    scn_fini(&hs);
    good(&hs, "horizon=2d 00h", "workload.rollouts[0].batch_interval=10 min", NULL);
    assert_true(hs.horizon_s == 2 * 86400 && hs.rollouts[0].batch_interval_s == 600);
    scn_fini(&hs);
    bad("seed: must be between 0 and 9007199254740992 (got -1)", "seed=-1", NULL);
    bad("seed: expected an integer, got 1.5", "seed=1.5", NULL);
    bad("seed: must be between 0 and 9007199254740992", "seed=9007199254740994", NULL);
    bad("replications: must be between 1 and 100000", "replications=0", NULL);
    bad("replications: must be between 1 and 100000", "replications=100001", NULL);
    bad("output.series_step: must be > 0", "output.series_step=0", NULL);
    bad("output.series_step: must be > 0 and <= 2d (got 3d)", "output.series_step=3d", NULL);

    struct scenario s;
    good(&s, "seed=9007199254740992", "notes=\"one line\"", NULL);
    assert_true(s.seed == 9007199254740992ULL);
    assert_string_equal(s.notes, "one line");
    scn_fini(&s);

    /* Defaults of optional keys. */
    good_text(MIN_HEAD MIN_SERVER MIN_CLIENT MIN_WORKLOAD "}", &s);
    assert_true(s.seed == 1);
    assert_int_equal(s.replications, 20);
    assert_null(s.notes);
    assert_true(s.series_step_s == 60);
    assert_int_equal(s.server.nlimits, 0);
    assert_int_equal(s.server.ra_mode, SRV_RA_LIMITER);
    assert_true(s.server.reject_latency_s == 0);
    assert_int_equal(s.client.retry.policy, RETRY_POLICY_RETRY_AFTER);
    assert_int_equal(s.client.retry.max_attempts, 0);
    assert_int_equal(s.nrollouts, 0);
    assert_int_equal(s.background.enabled, 0);
    assert_int_equal(s.other.enabled, 0);
    scn_fini(&s);
}

/* ---- server ------------------------------------------------------------ */

static void test_rates(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        double per_s;
    } ok[] = {{"600/min", 10},    {"3/s", 3},      {"1000/h", 1000.0 / 3600},
              {"5/sec", 5},       {"10/hour", 10.0 / 3600}, {"86400/day", 1},
              {"120/minute", 2},  {"7/second", 7}, {"1.5/s", 1.5},
              {"2.5", 2.5},       {"4", 4}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char set[64];
        struct scenario s;
        snprintf(set, sizeof set, "server.limits[0].rate=%s", ok[i].text);
        good(&s, set, NULL);
        if (fabs(s.server.limits[0].rate_per_s - ok[i].per_s) > 1e-12) {
            print_error("%s gave %g per second\n", ok[i].text, s.server.limits[0].rate_per_s);
            fail();
        }
        scn_fini(&s);
    }
    bad("server.limits[0].rate: must be > 0 (got 0)", "server.limits[0].rate=0", NULL);
    bad("server.limits[0].rate: must be > 0", "server.limits[0].rate=-1", NULL);
    bad("server.limits[0].rate: must be > 0", "server.limits[0].rate=0/min", NULL);
    bad("server.limits[0].rate: must be a finite number", "server.limits[0].rate=1e999", NULL);
    bad("server.limits[0].rate: \"600/fortnight\" is not a rate",
        "server.limits[0].rate=600/fortnight", NULL);
    bad("server.limits[0].rate: \"/min\" is not a rate", "server.limits[0].rate=/min", NULL);
    bad("server.limits[0].rate: \"1.2.3/s\" is not a rate", "server.limits[0].rate=1.2.3/s",
        NULL);
    bad("client.max_rate: must be > 0", "client.max_rate=0", NULL);
}

static void test_limits(void **state)
{
    (void)state;
    bad("server.limits[0].burst: must be >= 1 (got 0.5)", "server.limits[0].burst=0.5", NULL);
    bad("server.limits[2].type: must be one of \"fixed_window\", \"token_bucket\", "
        "\"sliding_window\", \"concurrency\" (got \"leaky_bucket\")",
        "server.limits[2].type=leaky_bucket", NULL);
    bad("server.limits[0].limit: expected an integer, got 2.5",
        "server.limits[0]={\"type\":\"sliding_window\",\"limit\":2.5,\"window\":\"1m\"}", NULL);
    bad("server.limits[0].window: must be > 0",
        "server.limits[0]={\"type\":\"fixed_window\",\"limit\":5,\"window\":0}", NULL);
    bad("server.limits[0].window: missing required key",
        "server.limits[0]={\"type\":\"fixed_window\",\"limit\":5}", NULL);
    bad("server.limits[0].retry_after: missing required key",
        "server.limits[0]={\"type\":\"concurrency\",\"limit\":5}", NULL);
    bad("server.limits[0].name: must not be empty", "server.limits[0].name=\"\"", NULL);
    bad("server.limits[1].applies_to: must list at least one endpoint or kind",
        "server.limits[1].applies_to=[]", NULL);
    bad("server.limits[1].applies_to[1]: \"create\" is listed twice",
        "server.limits[1].applies_to=[\"create\",\"create\"]", NULL);
    bad("server.limits[1].applies_to[1]: \"POST /Users\" is listed twice",
        "server.limits[1].applies_to=[\"POST /Users\",\"POST /Users\"]", NULL);
    bad("server.limits[1].applies_to[0]: \"delete\" is not an endpoint (\"POST /Users\"), a "
        "method (\"GET\"), a resource (\"/Users\"), \"reads\", \"writes\" or a job kind",
        "server.limits[1].applies_to=[\"delete\"]", NULL);
    bad("(did you mean \"POST /Users\"?)", "server.limits[1].applies_to=[\"POST /User\"]", NULL);
    bad("server.limits[1].applies_to[0]: expected a string, got a number",
        "server.limits[1].applies_to=[3]", NULL);
    bad("server.limits: 17 limits is more than the limit of 16",
        "server.limits=[{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}]", NULL);
    bad("server.limits[0]: expected an object, got a number", "server.limits=[1]", NULL);

    struct scenario s;
    good(&s,
         "server.limits[0]={\"type\":\"concurrency\",\"limit\":75,\"retry_after\":\"2s\"}",
         "server.limits[1]={\"type\":\"fixed_window\",\"limit\":20,\"window\":\"5s\"}",
         "server.limits[2]={\"type\":\"sliding_window\",\"limit\":100,\"window\":60,"
         "\"applies_to\":[\"deactivate\",\"update\"]}",
         NULL);
    assert_int_equal(s.server.limits[0].type, LIM_CONCURRENCY);
    assert_true(s.server.limits[0].concurrency == 75);
    assert_true(s.server.limits[0].retry_after_s == 2);
    assert_null(s.server.limits[0].name);
    assert_int_equal(s.server.limits[1].type, LIM_FIXED_WINDOW);
    assert_true(s.server.limits[1].limit == 20);
    assert_true(s.server.limits[1].window_s == 5);
    assert_int_equal(s.server.limits[2].type, LIM_SLIDING_WINDOW);
    assert_int_equal(s.server.limits[2].kind_mask,
                     JOB_KIND_MASK(JOB_KIND_UPDATE) | JOB_KIND_MASK(JOB_KIND_DEACTIVATE));
    assert_int_equal(s.server.limits[2].ep_mask, 0);
    scn_fini(&s);

    good(&s, "server.limits=[]", NULL);
    assert_int_equal(s.server.nlimits, 0);
    scn_fini(&s);
}

static void test_server_misc(void **state)
{
    (void)state;
    bad("server.retry_after.value: only allowed with mode \"fixed\"",
        "server.retry_after={\"mode\":\"limiter\",\"value\":5}", NULL);
    bad("server.retry_after.value: missing required key", "server.retry_after.mode=fixed",
        NULL);
    bad("server.retry_after.mode: must be one of", "server.retry_after.mode=static", NULL);
    bad("server.latency.p95: must be > median", "server.latency.p95=300ms", NULL);
    bad("server.latency.median: \"soon\" is not a duration", "server.latency.median=soon",
        NULL);
    bad("server.latency: unknown key \"mean\" for dist \"lognormal\"", "server.latency.mean=1",
        NULL);
    bad("server.latency.cv: expected a number, got a string",
        "server.latency={\"dist\":\"gamma\",\"mean\":\"1s\",\"cv\":\"0.5\"}", NULL);
    bad("server.latency.cv: must be > 0",
        "server.latency={\"dist\":\"gamma\",\"mean\":\"1s\",\"cv\":0}", NULL);
    bad("server.latency.max: must be >= min",
        "server.latency={\"dist\":\"uniform\",\"min\":2,\"max\":1}", NULL);
    bad("server.latency.dist: must be one of \"constant\", \"exponential\", \"lognormal\", "
        "\"gamma\", \"uniform\" (got \"lognormal2\") (did you mean \"lognormal\"?)",
        "server.latency.dist=lognormal2", NULL);
    bad("server.error_rate: must be >= 0 and < 1 (got 1)", "server.error_rate=1", NULL);
    bad("server.error_rate: must be >= 0 and < 1", "server.error_rate=-0.1", NULL);
    bad("server.reject_latency: a duration must not be negative", "server.reject_latency=-1",
        NULL);

    struct scenario s;
    good(&s, "server.retry_after={\"mode\":\"fixed\",\"value\":\"30s\",\"jitter\":\"5s\"}",
         "server.latency={\"dist\":\"uniform\",\"min\":\"1s\",\"max\":\"3s\"}",
         "server.error_rate=0.01", "server.count_rejected=true", NULL);
    assert_int_equal(s.server.ra_mode, SRV_RA_FIXED);
    assert_true(s.server.ra_fixed_s == 30);
    assert_true(s.server.ra_jitter_s == 5);
    assert_int_equal(s.server.latency.type, DIST_UNIFORM);
    assert_true(s.server.latency.mean_s == 2);
    assert_true(s.server.error_rate == 0.01);
    assert_int_equal(s.server.count_rejected, 1);
    scn_fini(&s);
}

/* ---- client ------------------------------------------------------------ */

static void test_client(void **state)
{
    (void)state;
    bad("client.on_429: must be one of \"job\", \"pause_all\" (got \"pauseall\") "
        "(did you mean \"pause_all\"?)",
        "client.on_429=pauseall", NULL);
    bad("client.retry.policy: missing required key", "client.retry={}", NULL);
    bad("client.retry: unknown key \"delay\" for policy \"exponential\"",
        "client.retry={\"policy\":\"exponential\",\"delay\":\"1s\"}", NULL);
    bad("client.retry: unknown key \"base\" for policy \"retry_after\"",
        "client.retry.base=1", NULL);
    bad("client.retry.delay: missing required key", "client.retry={\"policy\":\"fixed\"}",
        NULL);
    bad("client.retry.delay: must be > 0", "client.retry={\"policy\":\"fixed\",\"delay\":0}",
        NULL);
    bad("client.retry.cap: must be >= base (2h) (got 1h)",
        "client.retry={\"policy\":\"exponential\",\"base\":\"2h\",\"cap\":\"1h\"}", NULL);
    bad("client.retry.cap: the default 1h is less than base (2h)",
        "client.retry={\"policy\":\"exponential\",\"base\":\"2h\"}", NULL);
    bad("client.retry.jitter: must be one of \"none\", \"full\", \"equal\", \"decorrelated\"",
        "client.retry={\"policy\":\"exponential\",\"jitter\":\"half\"}", NULL);
    bad("client.retry.max_attempts: must be between 0 and 1000000", "client.retry.max_attempts=-1",
        NULL);
    bad("client.retry.max_attempts: must be between 0 and 1000000",
        "client.retry.max_attempts=2000000", NULL);
    bad("client.error_retry: unknown key \"policy\"", "client.error_retry={\"policy\":\"fixed\"}",
        NULL);

    struct scenario s;
    good(&s, "client.retry={\"policy\":\"exponential\",\"max_attempts\":5}", NULL);
    assert_int_equal(s.client.retry.policy, RETRY_POLICY_EXPONENTIAL);
    assert_true(s.client.retry.base_s == 1);
    assert_true(s.client.retry.cap_s == 3600);
    assert_int_equal(s.client.retry.jitter, JITTER_FULL);
    assert_int_equal(s.client.retry.respect_retry_after, 0);
    assert_int_equal(s.client.retry.max_attempts, 5);
    assert_int_equal(s.client.error_retry.max_attempts, 5); /* shared budget */
    scn_fini(&s);

    good(&s, "client.retry={\"policy\":\"fixed\",\"delay\":\"30s\",\"jitter\":\"10s\"}",
         "client.error_retry={\"base\":\"2s\",\"cap\":\"10m\",\"jitter\":\"none\"}",
         "client.on_429=pause_all", "client.max_rate=600/min", NULL);
    assert_int_equal(s.client.retry.policy, RETRY_POLICY_FIXED);
    assert_true(s.client.retry.delay_s == 30);
    assert_true(s.client.retry.jitter_s == 10);
    assert_int_equal(s.client.error_retry.policy, RETRY_POLICY_EXPONENTIAL);
    assert_true(s.client.error_retry.base_s == 2);
    assert_true(s.client.error_retry.cap_s == 600);
    assert_int_equal(s.client.error_retry.jitter, JITTER_NONE);
    assert_int_equal(s.client.on_429, CLIENT_ON_429_PAUSE_ALL);
    assert_true(s.client.max_rate_per_s == 10);
    scn_fini(&s);
}

/* ---- workload ---------------------------------------------------------- */

static void test_rollouts(void **state)
{
    (void)state;
    char err[SCN_ERRLEN];
    struct scenario s;
    scn_doc *d = scn_doc_default();
    assert_int_equal(scn_doc_set(d, "workload.rollouts[0].at=2026-12-03T10:00", err, sizeof err),
                     0);
    assert_int_equal(scn_from_doc(d, &s, err, sizeof err), -1);
    assert_string_equal(err, "workload.rollouts[0].at: 2026-12-03T10:00 is after the horizon "
                             "(2026-12-03T00:00)");
    scn_doc_free(d);

    bad("workload.rollouts[0].at: 2026-12-03T00:00 is at the horizon",
        "workload.rollouts[0].at=+2d", NULL);
    bad("workload.rollouts[0].at: 2026-11-30T10:00 is before the start (2026-12-01T00:00)",
        "workload.rollouts[0].at=2026-11-30T10:00", NULL);
    bad("workload.rollouts[0].at: \"25:00\": hour", "workload.rollouts[0].at=25:00", NULL);
    bad("workload.rollouts[0].at: expected", "workload.rollouts[0].at=3600", NULL);
    bad("workload.rollouts[0].at: \"10am\" is not a time", "workload.rollouts[0].at=10am", NULL);
    bad("workload.rollouts[0].at: \"2026-12-01T10\" is not a date-time",
        "workload.rollouts[0].at=2026-12-01T10", NULL);
    bad("workload.rollouts[0].users: must be between 1 and 100000000 (got 0)",
        "workload.rollouts[0].users=0", NULL);
    bad("workload.rollouts[0].kind: must be one of", "workload.rollouts[0].kind=delete", NULL);
    bad("workload.rollouts[0].batch_size: must be between 1", "workload.rollouts[0].batch_size=0",
        NULL);
    bad("workload.rollouts[0].batch_interval: missing required key",
        "workload.rollouts[0]={\"kind\":\"update\",\"users\":10,\"at\":\"10:00\","
        "\"batch_size\":5}",
        NULL);
    bad("workload.rollouts: 120000000 users in all is more than the limit of 100000000",
        "workload.rollouts=[{\"kind\":\"create\",\"users\":60000000,\"at\":\"+0s\"},"
        "{\"kind\":\"update\",\"users\":60000000,\"at\":\"+1h\"}]",
        NULL);
}

static void test_rollout_times(void **state)
{
    (void)state;
    struct scenario s;
    /* "HH:MM" is the first such time at or after the start: 10:00 after a
     * 12:00 start is tomorrow's, 22 hours in. */
    good(&s, "start=2026-12-01T12:00", NULL);
    assert_true(s.rollouts[0].at_s == 22 * 3600);
    scn_fini(&s);
    good(&s, "start=2026-12-01T10:00", NULL);
    assert_true(s.rollouts[0].at_s == 0);
    scn_fini(&s);
    good(&s, "workload.rollouts[0].at=+2.5h", NULL);
    assert_true(s.rollouts[0].at_s == 9000);
    scn_fini(&s);
    good(&s, "workload.rollouts[0].at=2026-12-02T09:30", NULL);
    assert_true(s.rollouts[0].at_s == 86400 + 9.5 * 3600);
    scn_fini(&s);
    /* batch_size >= users means all at once, stored as 0; batch_interval
     * is then optional. */
    good(&s, "workload.rollouts[0].batch_size=5000", NULL);
    assert_int_equal(s.rollouts[0].batch_size, 0);
    scn_fini(&s);
    good(&s,
         "workload.rollouts[0]={\"kind\":\"deactivate\",\"users\":7,\"at\":\"9:00\"}", NULL);
    assert_int_equal(s.rollouts[0].kind, JOB_KIND_DEACTIVATE);
    assert_int_equal(s.rollouts[0].users, 7);
    assert_int_equal(s.rollouts[0].batch_size, 0);
    assert_true(s.rollouts[0].at_s == 9 * 3600);
    scn_fini(&s);
}

static double rate_at(const struct scenario *s, const struct wl_traffic *t, const char *when)
{
    int64_t e;
    char err[128];
    assert_int_equal(units_parse_datetime(when, &e, err, sizeof err), 0);
    return wl_profile_rate(&t->profile, s->start_epoch_s, (double)(e - s->start_epoch_s));
}

static void test_profiles(void **state)
{
    (void)state;
    struct scenario s;
    good(&s, NULL);
    /* Default background: business_hours, peak 120/h. 2026-12-01 is a
     * Tuesday, 2026-12-05 a Saturday. */
    const struct wl_traffic *bg = &s.background;
    assert_true(fabs(rate_at(&s, bg, "2026-12-01T10:30") - 120.0 / 3600) < 1e-15);
    assert_true(fabs(rate_at(&s, bg, "2026-12-01T12:59:59") - 0.8 * 120 / 3600) < 1e-15);
    assert_true(fabs(rate_at(&s, bg, "2026-12-01T03:00") - 0.05 * 120 / 3600) < 1e-15);
    assert_true(fabs(rate_at(&s, bg, "2026-12-01T08:00") - 0.7 * 120 / 3600) < 1e-15);
    assert_true(fabs(rate_at(&s, bg, "2026-12-05T10:30") - 0.05 * 120 / 3600) < 1e-15);
    assert_true(fabs(rate_at(&s, bg, "2026-12-07T10:30") - 120.0 / 3600) < 1e-15); /* Mon */
    assert_true(fabs(wl_profile_max_rate(&bg->profile) - 120.0 / 3600) < 1e-15);
    scn_fini(&s);

    /* Explicit tables: hour h of the weekday table, weekend separately. */
    char wd[256] = "[", we[256] = "[";
    for (int h = 0; h < 24; h++) {
        char v[16];
        snprintf(v, sizeof v, "%s%d", h ? "," : "", h * 10);
        strcat(wd, v);
        snprintf(v, sizeof v, "%s%d", h ? "," : "", 1000);
        strcat(we, v);
    }
    strcat(wd, "]");
    strcat(we, "]");
    char set[700];
    snprintf(set, sizeof set,
             "workload.other_clients={\"weekday\":%s,\"weekend\":%s,"
             "\"mix\":{\"create\":1,\"update\":3}}",
             wd, we);
    good(&s, set, NULL);
    assert_true(fabs(rate_at(&s, &s.other, "2026-12-04T23:10") - 230.0 / 3600) < 1e-15);
    assert_true(fabs(rate_at(&s, &s.other, "2026-12-06T05:00") - 1000.0 / 3600) < 1e-15);
    assert_true(fabs(wl_profile_max_rate(&s.other.profile) - 1000.0 / 3600) < 1e-15);
    assert_true(s.other.mix[JOB_KIND_CREATE] == 0.25);
    assert_true(s.other.mix[JOB_KIND_UPDATE] == 0.75);
    assert_true(s.other.mix[JOB_KIND_DEACTIVATE] == 0);
    scn_fini(&s);

    good(&s, "workload.background={\"shape\":\"flat\",\"peak_per_hour\":36}", NULL);
    assert_true(fabs(rate_at(&s, &s.background, "2026-12-06T03:00") - 0.01) < 1e-15);
    assert_true(fabs(s.background.mix[JOB_KIND_CREATE] - 0.3) < 1e-15); /* default mix */
    scn_fini(&s);

    bad("workload.background.weekday: expected 24 hourly rates, got 23",
        "workload.background={\"weekday\":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1],"
        "\"weekend\":[]}",
        NULL);
    bad("workload.background.weekend: expected 24 hourly rates, got 0",
        "workload.background={\"weekday\":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1],"
        "\"weekend\":[]}",
        NULL);
    bad("workload.background.weekday[2]: must be between 0 and",
        "workload.background={\"weekday\":[0,0,-1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1],"
        "\"weekend\":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1]}",
        NULL);
    bad("workload.background: every hourly rate is 0",
        "workload.background={\"weekday\":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],"
        "\"weekend\":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}",
        NULL);
    bad("workload.background: give either shape and peak_per_hour, or weekday and weekend",
        "workload.background.weekday=[]", NULL);
    bad("workload.background.shape: missing required key", "workload.background={}", NULL);
    bad("workload.background.peak_per_hour: missing required key",
        "workload.background={\"shape\":\"flat\"}", NULL);
    bad("workload.other_clients.peak_per_hour: must be > 0 and <= 10000000",
        "workload.other_clients.peak_per_hour=0", NULL);
    bad("workload.other_clients.peak_per_hour: must be > 0 and <= 10000000",
        "workload.other_clients.peak_per_hour=2e7", NULL);
    bad("workload.other_clients.shape: must be one of \"business_hours\", \"flat\"",
        "workload.other_clients.shape=weekly", NULL);
    bad("workload.background.mix: weights must not all be 0",
        "workload.background.mix={\"create\":0}", NULL);
    bad("workload.background.mix.update: must be between 0", "workload.background.mix.update=-1",
        NULL);
    bad("workload.background.mix: unknown key \"creates\" (did you mean \"create\"?)",
        "workload.background.mix.creates=1", NULL);
}

/* ---- --set -------------------------------------------------------------- */

static void test_set(void **state)
{
    (void)state;
    char err[SCN_ERRLEN];
    scn_doc *d = scn_doc_default();
    assert_int_equal(scn_doc_set(d, "workload.rollouts[3].batch_size=5", err, sizeof err), -1);
    assert_string_equal(err, "--set workload.rollouts[3].batch_size: index 3 out of range "
                             "(1 rollouts)");
    assert_int_equal(scn_doc_set(d, "a.b=1", err, sizeof err), -1);
    check_msg(err, "--set a.b: no key \"a\" (to add a section, set it whole");
    assert_int_equal(scn_doc_set(d, "server.nothing.x=1", err, sizeof err), -1);
    check_msg(err, "--set server.nothing.x: no key \"server.nothing\"");
    /* a near miss among the keys that are there */
    assert_int_equal(scn_doc_set(d, "server.limit[0].rate=1", err, sizeof err), -1);
    assert_string_equal(err, "--set server.limit[0].rate: no key \"server.limit\" "
                             "(did you mean \"limits\"?)");
    assert_int_equal(scn_doc_set(d, "client.workers", err, sizeof err), -1);
    check_msg(err, "--set client.workers: expected PATH=VALUE");
    assert_int_equal(scn_doc_set(d, "=5", err, sizeof err), -1);
    check_msg(err, "--set =5");
    assert_int_equal(scn_doc_set(d, "client..workers=5", err, sizeof err), -1);
    check_msg(err, "bad key path");
    assert_int_equal(scn_doc_set(d, "client.workers[0]=5", err, sizeof err), -1);
    assert_string_equal(err, "--set client.workers[0]: \"client.workers\" is not an array");
    assert_int_equal(scn_doc_set(d, "name.x=5", err, sizeof err), -1);
    assert_string_equal(err, "--set name.x: \"name\" is not an object");
    assert_int_equal(scn_doc_set(d, "server.limits[x]=5", err, sizeof err), -1);
    check_msg(err, "bad index");
    assert_int_equal(scn_doc_set(d, "workload.rollouts[1]={}", err, sizeof err), -1);
    check_msg(err, "index 1 out of range (1 rollouts)");

    /* Replace values, create a new key, and take text that is not JSON as
     * a string (including one with '=' in it). */
    assert_int_equal(scn_doc_set(d, "client.workers= 16 ", err, sizeof err), 0);
    assert_int_equal(scn_doc_set(d, "client.max_rate=600/min", err, sizeof err), 0);
    assert_int_equal(scn_doc_set(d, "name=a=b", err, sizeof err), 0);
    assert_int_equal(scn_doc_set(d, "server.limits[2].burst=40", err, sizeof err), 0);
    assert_int_equal(scn_doc_set(d, "workload.rollouts[0]={\"kind\":\"update\",\"users\":3,"
                                    "\"at\":\"+1h\"}",
                                 err, sizeof err),
                     0);
    struct scenario s;
    if (scn_from_doc(d, &s, err, sizeof err) != 0) {
        print_error("%s\n", err);
        fail();
    }
    scn_doc_free(d);
    assert_int_equal(s.client.workers, 16);
    assert_true(s.client.max_rate_per_s == 10);
    assert_string_equal(s.name, "a=b");
    assert_true(s.server.limits[2].burst == 40);
    assert_int_equal(s.rollouts[0].kind, JOB_KIND_UPDATE);
    assert_true(s.rollouts[0].at_s == 3600);
    scn_fini(&s);

    /* A created key that is not in the schema is judged by validation. */
    bad("server.limits[0]: unknown key \"foo\"", "server.limits[0].foo=1", NULL);

    /* scn_load applies overrides in order; the last one wins. */
    const char *sets[] = {"client.workers=3", "client.workers=4"};
    assert_int_equal(scn_load(NULL, sets, 2, &s, err, sizeof err), 0);
    assert_int_equal(s.client.workers, 4);
    scn_fini(&s);
    const char *badset[] = {"nope.x=1"};
    memset(&s, 0xA5, sizeof s);
    assert_int_equal(scn_load(NULL, badset, 1, &s, err, sizeof err), -1);
    check_msg(err, "--set nope.x: no key \"nope\"");
    assert_true(all_zero(&s, sizeof s));
}

/* Labels reach terminals and charts: control characters become spaces. */
static void test_label_control_characters(void **state)
{
    (void)state;
    struct scenario s;
    good(&s, "name=\"a\\u001b[2Jb\\nc\"", "server.limits[0].name=\"x\\ty\"", NULL);
    assert_string_equal(s.name, "a [2Jb c");
    assert_string_equal(s.server.limits[0].name, "x y");
    scn_fini(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_label_control_characters),
        cmocka_unit_test(test_default_file_matches_builtin),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_unknown_and_duplicate_keys),
        cmocka_unit_test(test_required_and_types),
        cmocka_unit_test(test_top_level_values),
        cmocka_unit_test(test_rates),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_server_misc),
        cmocka_unit_test(test_client),
        cmocka_unit_test(test_rollouts),
        cmocka_unit_test(test_rollout_times),
        cmocka_unit_test(test_profiles),
        cmocka_unit_test(test_set),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

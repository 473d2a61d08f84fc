/* test_presets.c -- the presets in configs/ as seed-fixed scenario tests.
 *
 *  - Every preset except bench-*.json, run as `provsim run PRESET --format
 *    json` plus its extra arguments from tests/reference/args.txt, prints
 *    exactly tests/reference/<preset>.json. After an intended model change,
 *    refresh the references with tests/refresh-references.sh.
 *  - slack-business-hours.json is configs/default.json but for its name, and
 *    slack-after-hours.json differs from it only in name and rollout start.
 *  - The Slack story (README, Presets): with the same seed, 19:00 against
 *    10:00, the per-replication paired differences of clear_time_s and
 *    other_clients_throttled have 95% confidence intervals (Student's t)
 *    entirely below 0; in business hours the rollout draws more than 100
 *    429s and its failed-task list is back to 0 within 30 min to 6 h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cjson/cJSON.h>
#include <gsl/gsl_cdf.h>

#include "models/metrics.h"
#include "run/runner.h"
#include "scenario/scenario.h"

#define BIN PROVSIM_BINARY
#define SRC PROVSIM_SOURCE_DIR
#define STORY_REPS 10 /* replications of each Slack preset in the story test */

/* ---- helpers ---------------------------------------------------------- */

/* Reads a stream to its end; returns a NUL-terminated buffer (caller frees)
 * and its length in *len. */
static char *slurp_stream(FILE *f, size_t *len)
{
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap);
    assert_non_null(buf);
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n < 4096) {
            buf = realloc(buf, cap *= 2);
            assert_non_null(buf);
        }
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* The file's contents, or NULL if it cannot be opened. */
static char *slurp_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *s = slurp_stream(f, len);
    fclose(f);
    return s;
}

/* Runs a shell command; returns its exit status, its stdout in *out. */
static int run(const char *cmd, char **out, size_t *len)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    *out = slurp_stream(p, len);
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Extra arguments of a preset from tests/reference/args.txt ("" if none). */
static void extra_args(const char *preset, char *out, size_t outlen)
{
    FILE *f = fopen(SRC "/tests/reference/args.txt", "r");
    assert_non_null(f);
    char line[512];
    out[0] = '\0';
    size_t plen = strlen(preset);
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || strncmp(line, preset, plen) != 0 ||
            (line[plen] != ' ' && line[plen] != '\t'))
            continue;
        line[strcspn(line, "\r\n")] = '\0';
        snprintf(out, outlen, "%s", line + plen + strspn(line + plen, " \t"));
        break;
    }
    fclose(f);
}

/* Prints the first line where a and b differ (1-based); returns 1 if they
 * differ at all. */
static int report_first_difference(const char *what, const char *want, size_t wlen,
                                   const char *got, size_t glen)
{
    if (wlen == glen && memcmp(want, got, wlen) == 0)
        return 0;
    size_t i = 0, line = 1, bol = 0;
    while (i < wlen && i < glen && want[i] == got[i]) {
        if (want[i] == '\n') {
            line++;
            bol = i + 1;
        }
        i++;
    }
    int we = (int)(strcspn(want + bol, "\n")), ge = (int)(strcspn(got + bol, "\n"));
    print_error("%s: differs from its reference at line %zu\n"
                "  reference: %.*s\n"
                "  now:       %.*s\n",
                what, line, bol < wlen ? we : 0, bol < wlen ? want + bol : "",
                bol < glen ? ge : 0, bol < glen ? got + bol : "");
    return 1;
}

static int is_preset(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, ".json") == 0 && strncmp(name, "bench-", 6) != 0 &&
           !strstr(name, ".schema."); /* configs/scenario.schema.json is the JSON Schema */
}

/* ---- reference outputs ------------------------------------------------ */

static void every_preset_matches_its_reference(void **state)
{
    (void)state;
    DIR *d = opendir(SRC "/configs");
    assert_non_null(d);
    int checked = 0, failed = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!is_preset(e->d_name))
            continue;
        char args[256], cmd[1024], ref[512];
        extra_args(e->d_name, args, sizeof args);
        /* from the source tree, as tests/refresh-references.sh runs it: the
         * output records the scenario path as given (its provenance) */
        snprintf(cmd, sizeof cmd, "cd '" SRC "' && " BIN " run configs/%s --format json %s",
                 e->d_name, args);
        snprintf(ref, sizeof ref, SRC "/tests/reference/%s", e->d_name);
        size_t glen, wlen;
        char *got;
        int rc = run(cmd, &got, &glen);
        char *want = slurp_file(ref, &wlen);
        if (rc != 0) {
            print_error("%s: exit status %d\n", cmd, rc);
            failed++;
        } else if (!want) {
            print_error("%s: no reference %s (run tests/refresh-references.sh)\n", e->d_name,
                        ref);
            failed++;
        } else {
            failed += report_first_difference(e->d_name, want, wlen, got, glen);
        }
        print_message("  %-34s %s\n", e->d_name, args[0] ? args : "(scenario's own reps)");
        free(got);
        free(want);
        checked++;
    }
    closedir(d);
    print_message("%d presets checked, %d differ\n", checked, failed);
    assert_true(checked >= 3);
    if (failed)
        print_error("if the change is intended: tests/refresh-references.sh, then review "
                    "git diff tests/reference\n");
    assert_int_equal(failed, 0);
}

/* A reference whose preset is gone would go unchecked forever. */
static void no_stale_references(void **state)
{
    (void)state;
    DIR *d = opendir(SRC "/tests/reference");
    assert_non_null(d);
    struct dirent *e;
    int stale = 0;
    while ((e = readdir(d))) {
        if (!is_preset(e->d_name))
            continue;
        char path[512];
        snprintf(path, sizeof path, SRC "/configs/%s", e->d_name);
        FILE *f = fopen(path, "r");
        if (f) {
            fclose(f);
        } else {
            print_error("tests/reference/%s has no configs/%s\n", e->d_name, e->d_name);
            stale++;
        }
    }
    closedir(d);
    assert_int_equal(stale, 0);
}

/* ---- the Slack pair --------------------------------------------------- */

static cJSON *load_json(const char *path)
{
    size_t len;
    char *s = slurp_file(path, &len);
    if (!s)
        print_error("cannot read %s\n", path);
    assert_non_null(s);
    cJSON *j = cJSON_ParseWithLength(s, len);
    free(s);
    assert_non_null(j);
    return j;
}

/* Sets obj.key to the string value (replacing it). */
static void set_string(cJSON *obj, const char *key, const char *value)
{
    assert_non_null(cJSON_GetObjectItemCaseSensitive(obj, key));
    assert_true(cJSON_ReplaceItemInObjectCaseSensitive(obj, key, cJSON_CreateString(value)));
}

static cJSON *first_rollout(cJSON *scn)
{
    cJSON *w = cJSON_GetObjectItemCaseSensitive(scn, "workload");
    cJSON *r = cJSON_GetObjectItemCaseSensitive(w, "rollouts");
    assert_non_null(r);
    assert_int_equal(cJSON_GetArraySize(r), 1);
    return cJSON_GetArrayItem(r, 0);
}

static void slack_presets_differ_only_in_start(void **state)
{
    (void)state;
    cJSON *def = load_json(SRC "/configs/default.json");
    cJSON *bh = load_json(SRC "/configs/slack-business-hours.json");
    cJSON *ah = load_json(SRC "/configs/slack-after-hours.json");

    cJSON *bh_at = cJSON_GetObjectItemCaseSensitive(first_rollout(bh), "at");
    cJSON *ah_at = cJSON_GetObjectItemCaseSensitive(first_rollout(ah), "at");
    assert_string_equal(cJSON_GetStringValue(bh_at), "10:00");
    assert_string_equal(cJSON_GetStringValue(ah_at), "19:00");

    set_string(def, "name", "x");
    set_string(bh, "name", "x");
    set_string(ah, "name", "x");
    set_string(first_rollout(ah), "at", "10:00");
    assert_true(cJSON_Compare(def, bh, 1));
    assert_true(cJSON_Compare(bh, ah, 1));
    cJSON_Delete(def);
    cJSON_Delete(bh);
    cJSON_Delete(ah);
}

static void run_preset(const char *path, int reps, struct run_result *res)
{
    struct scenario s;
    char err[SCN_ERRLEN];
    if (scn_load(path, NULL, 0, &s, err, sizeof err) != 0)
        print_error("%s\n", err);
    struct run_opts o = {.reps = reps, .seed = s.seed};
    assert_int_equal(run_scenario(&s, &o, res), 0);
    assert_int_equal(res->reps, reps);
    scn_fini(&s);
}

static double value(const struct run_result *r, int rep, int m)
{
    return r->values[(size_t)rep * METRIC_COUNT + (size_t)m];
}

/* 95% CI of the mean of b - a, replication by replication. */
static void paired_ci(const struct run_result *a, const struct run_result *b, int m, double *mean,
                      double *lo, double *hi)
{
    int n = a->reps;
    double sum = 0, ss = 0;
    for (int r = 0; r < n; r++)
        sum += value(b, r, m) - value(a, r, m);
    *mean = sum / n;
    for (int r = 0; r < n; r++) {
        double d = value(b, r, m) - value(a, r, m) - *mean;
        ss += d * d;
    }
    double half = gsl_cdf_tdist_Pinv(0.975, n - 1) * sqrt(ss / (n - 1) / n);
    *lo = *mean - half;
    *hi = *mean + half;
}

static double mean_of(const struct run_result *r, int m)
{
    double s = 0;
    for (int i = 0; i < r->reps; i++)
        s += value(r, i, m);
    return s / r->reps;
}

static void slack_after_hours_does_less_harm(void **state)
{
    (void)state;
    struct run_result bh, ah;
    run_preset(SRC "/configs/slack-business-hours.json", STORY_REPS, &bh);
    run_preset(SRC "/configs/slack-after-hours.json", STORY_REPS, &ah);
    print_message("Slack story: seed from the presets, %d replications each, "
                  "after hours (19:00) minus business hours (10:00)\n",
                  STORY_REPS);

    static const int paired[] = {METRIC_CLEAR_TIME, METRIC_OTHER_THROTTLED};
    for (size_t i = 0; i < sizeof paired / sizeof paired[0]; i++) {
        int m = paired[i];
        double mean, lo, hi;
        paired_ci(&bh, &ah, m, &mean, &lo, &hi);
        print_message("  %-26s business %12.3f  after %12.3f  diff %10.3f  95%% CI [%.3f, %.3f]\n",
                      metric_table[m].name, mean_of(&bh, m), mean_of(&ah, m), mean, lo, hi);
        if (!(hi < 0))
            print_error("%s: the 95%% CI of after - business hours [%.3f, %.3f] is not below 0\n",
                        metric_table[m].name, lo, hi);
        assert_true(hi < 0);
    }

    /* the business-hours rollout as admins report it, in every replication */
    for (int r = 0; r < bh.reps; r++) {
        double thr = value(&bh, r, METRIC_THROTTLED), zero = value(&bh, r, METRIC_FAILED_TASKS_ZERO);
        if (!(thr > 100) || !(zero >= 1800 && zero <= 6 * 3600))
            print_error("replication %d: throttled %.0f (want > 100), failed_tasks_zero_s %.1f "
                        "(want 1800..21600)\n",
                        r, thr, zero);
        assert_true(thr > 100);
        assert_true(zero >= 1800 && zero <= 6 * 3600);
    }
    print_message("  business hours: throttled mean %.0f, failed_tasks_zero_s mean %.1f\n",
                  mean_of(&bh, METRIC_THROTTLED), mean_of(&bh, METRIC_FAILED_TASKS_ZERO));
    run_result_fini(&bh);
    run_result_fini(&ah);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_preset_matches_its_reference),
        cmocka_unit_test(no_stale_references),
        cmocka_unit_test(slack_presets_differ_only_in_start),
        cmocka_unit_test(slack_after_hours_does_less_harm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_cli.c -- the provsim program as a user runs it: exit codes, help,
 * version, usage-error texts, overrides, and byte-identical JSON across
 * processes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define BIN PROVSIM_BINARY
#define SRC PROVSIM_SOURCE_DIR

/* Runs a shell command; returns its exit status and its stdout (caller
 * frees) in *out. */
static int run(const char *cmd, char **out)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 4096)
            buf = realloc(buf, cap *= 2);
    }
    buf[len] = 0;
    int st = pclose(p);
    if (out)
        *out = buf;
    else
        free(buf);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void help_and_version(void **state)
{
    (void)state;
    char *o;
    assert_int_equal(run(BIN " --help", &o), 0);
    assert_non_null(strstr(o, "run [SCENARIO.json]"));
    free(o);
    assert_int_equal(run(BIN " run --help", &o), 0);
    assert_non_null(strstr(o, "--set PATH=VALUE"));
    free(o);
    assert_int_equal(run(BIN " --version", &o), 0);
    assert_non_null(strstr(o, "provsim "));
    free(o);
    assert_int_equal(run(BIN " 2>/dev/null", NULL), 2);
    assert_int_equal(run(BIN " frobnicate 2>/dev/null", NULL), 2);
    assert_int_equal(run(BIN " run --reps 0 2>/dev/null", NULL), 2);
    assert_int_equal(run(BIN " run --format xml 2>/dev/null", NULL), 2);
    assert_int_equal(run(BIN " run --bogus 2>/dev/null", NULL), 2);
}

static void default_scenario_runs(void **state)
{
    (void)state;
    char *o;
    assert_int_equal(run(BIN " run --reps 2", &o), 0);
    assert_non_null(strstr(o, "rollout clear time"));
    assert_non_null(strstr(o, "95% CI"));
    free(o);
    assert_int_equal(run(BIN " validate " SRC "/configs/default.json", &o), 0);
    free(o);
}

static void json_is_byte_identical(void **state)
{
    (void)state;
    char *a, *b, *c;
    assert_int_equal(run(BIN " run --reps 3 --seed 11 --format json", &a), 0);
    assert_int_equal(run(BIN " run --reps 3 --seed 11 --format json", &b), 0);
    assert_int_equal(run(BIN " run --reps 3 --seed 12 --format json", &c), 0);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    assert_null(strstr(a, "wall_s")); /* wall time only with --perf */
    assert_non_null(strstr(a, "\"clear_time_s\""));
    assert_non_null(strstr(a, "\"ci95_lo\""));
    free(a);
    free(b);
    free(c);
    assert_int_equal(run(BIN " run --reps 1 --format json --perf", &a), 0);
    assert_non_null(strstr(a, "\"events_per_s\""));
    free(a);
}

static void set_overrides_a_key(void **state)
{
    (void)state;
    char *a, *b;
    assert_int_equal(run(BIN " run --reps 2 --format json", &a), 0);
    assert_int_equal(
        run(BIN " run --reps 2 --format json --set workload.rollouts[0].batch_size=250", &b), 0);
    assert_string_not_equal(a, b);
    free(a);
    free(b);
    assert_int_equal(run(BIN " run --set workload.rollouts[5].users=3 2>&1", &a), 2);
    assert_non_null(strstr(a, "rollouts[5]"));
    free(a);
    assert_int_equal(run(BIN " run --set server.limits[0].rate=-1 2>&1", &a), 2);
    assert_non_null(strstr(a, "server.limits[0].rate"));
    free(a);
}

static void series_and_trace_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/provsim-cli-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char cmd[1024], *o;
    snprintf(cmd, sizeof cmd, BIN " run --reps 1 --series %s/s.csv --trace %s/t.csv >/dev/null",
             dir, dir);
    assert_int_equal(run(cmd, NULL), 0);
    snprintf(cmd, sizeof cmd, "head -1 %s/s.csv; wc -l < %s/s.csv; head -1 %s/t.csv", dir, dir,
             dir);
    assert_int_equal(run(cmd, &o), 0);
    assert_non_null(strstr(o, "t_s,clock,queued,waiting_retry,in_flight,failed_tasks,"));
    assert_non_null(strstr(o, "t_s,job_id,origin,kind,attempt,outcome,retry_after_s"));
    /* a 2-day horizon at 1-minute steps: 2881 samples + header */
    assert_non_null(strstr(o, "2882"));
    free(o);
    /* an unwritable output path is a usage error and leaves nothing */
    snprintf(cmd, sizeof cmd, BIN " run --reps 1 --series %s/nodir/s.csv 2>&1", dir);
    assert_int_equal(run(cmd, &o), 2);
    assert_non_null(strstr(o, "nodir/s.csv"));
    free(o);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(run(cmd, NULL), 0);
}

/* Every usage error is written by cli.c; these pin its forms word for
 * word: "CMD: message" with the command's --help, a message naming the
 * command with its --help or the top level's, and an input error without
 * a hint. Each exits 2 and prints nothing on stdout. */
static void usage_errors_word_for_word(void **state)
{
    (void)state;
    static const struct {
        const char *args, *err;
    } cases[] = {
        {"frobnicate", "provsim: unknown command \"frobnicate\"\n(see provsim --help)\n"},
        {"run --format xml",
         "provsim: run: --format: expected text or json, got \"xml\"\n(see provsim run --help)\n"},
        {"run --plot", "provsim: run: --plot needs --out DIR (the charts are drawn from its data)\n"
                       "(see provsim run --help)\n"},
        {"validate",
         "provsim: validate takes exactly one scenario file\n(see provsim validate --help)\n"},
        {"sweep x.json", "provsim: sweep: nothing to vary: give at least one --vary "
                         "PATH=VALUES\n(see provsim sweep --help)\n"},
        {"compare a.json",
         "provsim: compare: give at least two scenarios to compare\n(see provsim compare "
         "--help)\n"},
        {"plot", "provsim: plot takes exactly one directory\n(see provsim plot --help)\n"},
        {"report a b", "provsim: report takes exactly one directory\n(see provsim report "
                       "--help)\n"},
        {"report /nonexistent-provsim-dir", "provsim: /nonexistent-provsim-dir: no such directory\n"},
        {"plot /nonexistent-provsim-dir", "provsim: /nonexistent-provsim-dir: no such directory\n"},
        {"report /", "provsim: /: nothing to report (no run.json, compare.json, sweep.csv, "
                     "plan.json or backtest.json; make one with provsim "
                     "run/compare/sweep/plan/backtest --out DIR)\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char cmd[512], *o;
        snprintf(cmd, sizeof cmd, BIN " %s 2>&1 >/dev/null", cases[i].args);
        assert_int_equal(run(cmd, &o), 2);
        assert_string_equal(o, cases[i].err);
        free(o);
        snprintf(cmd, sizeof cmd, BIN " %s 2>/dev/null", cases[i].args);
        assert_int_equal(run(cmd, &o), 2);
        assert_string_equal(o, "");
        free(o);
    }
}

/* plot and report say in their help the exit codes they use, and use them:
 * 2 for a directory that is missing or holds no provsim data. */
static void plot_report_exit_codes(void **state)
{
    (void)state;
    const char *cmds[] = {"plot", "report"};
    for (int i = 0; i < 2; i++) {
        char cmd[256], *o;
        snprintf(cmd, sizeof cmd, BIN " %s --help", cmds[i]);
        assert_int_equal(run(cmd, &o), 0);
        assert_non_null(strstr(o, "2 on bad usage, when DIR does not\n") ||
                        strstr(o, "2 on bad usage, when DIR\ndoes not exist"));
        assert_non_null(strstr(o, "holds no run, compare, sweep, plan or backtest data"));
        free(o);
        snprintf(cmd, sizeof cmd, BIN " %s / 2>/dev/null", cmds[i]); /* no data there */
        assert_int_equal(run(cmd, NULL), 2);
        snprintf(cmd, sizeof cmd, BIN " %s /nonexistent-provsim-dir 2>/dev/null", cmds[i]);
        assert_int_equal(run(cmd, NULL), 2);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(help_and_version),       cmocka_unit_test(default_scenario_runs),
        cmocka_unit_test(json_is_byte_identical), cmocka_unit_test(set_overrides_a_key),
        cmocka_unit_test(series_and_trace_files), cmocka_unit_test(usage_errors_word_for_word),
        cmocka_unit_test(plot_report_exit_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_censoring.c -- a run that did not finish says so: a replication in
 * which a rollout job is unfinished at the horizon is censored, and the
 * text (its first line), the JSON, the report, compare's findings and
 * sweep's best cells never present its figures as results. horizon
 * "auto" clears the Entra preset that a fixed 12 h horizon censors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cli_helpers.h"

#define SRC PROVSIM_SOURCE_DIR
#define ENTRA SRC "/configs/entra-id-github-emu.json"

struct fx {
    char *dir, *so, *se;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    f->dir = th_tmpdir("censor");
    f->so = th_path(f->dir, "stdout");
    f->se = th_path(f->dir, "stderr");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    th_rmtree(f->dir);
    free(f->dir);
    free(f->so);
    free(f->se);
    free(f);
    return 0;
}

static void holds(const char *what, const char *text, const char *needle)
{
    if (!text || !strstr(text, needle))
        fail_msg("%s lacks \"%s\"", what, needle);
}

static void lacks(const char *what, const char *text, const char *needle)
{
    if (text && strstr(text, needle))
        fail_msg("%s has \"%s\"", what, needle);
}

static void censored_run_says_so(void **state)
{
    struct fx *f = *state;
    char *out = th_path(f->dir, "R");
    char *argv[] = {"provsim", "run", ENTRA, "--set", "horizon=12h", "--out", out, NULL};
    assert_int_equal(th_run(argv, f->so, f->se), 0);
    char *text = th_read(f->so);
    /* the first line, before anything can be read as a result */
    assert_true(!strncmp(text, "WARNING: NOT CLEARED within the horizon in 10 of 10 replications: "
                               "the clear time is at least 2h 00m",
                         strlen("WARNING: NOT CLEARED within the horizon in 10 of 10 replications: "
                                "the clear time is at least 2h 00m")));
    holds("text", text, "rollout clear time                     at least 2h 00m");
    holds("text", text, "failed tasks back to 0 after           at least 2h 00m");
    holds("text", text, "at most 100%");
    lacks("text", text, "(last job done at, mean)");
    free(text);
    char *rargv[] = {"provsim", "report", out, NULL};
    assert_int_equal(th_run(rargv, f->so, f->se), 0);
    char *rj = th_path(out, "run.json"), *md = th_path(out, "report.md");
    char *js = th_read(rj), *rep = th_read(md);
    holds("run.json", js, "\"censored_replications\":\t10");
    holds("run.json", js, "\"failed_tasks_open_replications\":\t10");
    holds("report.md", rep, "NOT CLEARED");
    holds("report.md", rep, "not back to zero within the horizon");
    lacks("report.md", rep, "was back to zero");
    lacks("report.md", rep, "The rollout cleared in");
    lacks("report.md", rep, "of the fastest possible pace");
    free(js);
    free(rep);
    free(rj);
    free(md);
    free(out);
}

static void auto_horizon_clears_what_12h_censors(void **state)
{
    struct fx *f = *state;
    char *argv[] = {"provsim", "run", ENTRA, "--set", "horizon=auto", "--format", "json", NULL};
    assert_int_equal(th_run(argv, f->so, f->se), 0);
    char *js = th_read(f->so);
    holds("json", js, "\"censored_replications\":\t0");
    holds("json", js, "\"cleared\":\t{\n\t\t\t\"mean\":\t1,");
    free(js);
    /* the cap is reported as censoring like any horizon */
    char *cargv[] = {"provsim", "run", ENTRA, "--set", "horizon=auto", "--set", "horizon_cap=12h",
                     NULL};
    assert_int_equal(th_run(cargv, f->so, f->se), 0);
    char *text = th_read(f->so);
    holds("text", text, "WARNING: NOT CLEARED within the horizon in 10 of 10");
    holds("text", text, "horizon auto (rollout done + 1h 00m settle, at most 12h 00m)");
    free(text);
}

static void a_never_empty_list_is_never(void **state)
{
    struct fx *f = *state;
    /* one attempt each: the 2,000 refused creates are exhausted and stay on
     * the failed-task list, though the rollout is done */
    char *argv[] = {"provsim", "run", ENTRA, "--set", "client.retry.max_attempts=1", NULL};
    assert_int_equal(th_run(argv, f->so, f->se), 0);
    char *text = th_read(f->so);
    lacks("text", text, "WARNING");
    holds("text", text, "failed tasks back to 0 after                  never");
    free(text);
}

static void compare_and_sweep_leave_censored_out(void **state)
{
    struct fx *f = *state;
    char *out = th_path(f->dir, "C");
    char *argv[] = {"provsim", "compare", ENTRA, SRC "/configs/entra-id-github-emu-pause.json",
                    "--set", "horizon=12h", "--reps", "2", "--out", out, NULL};
    assert_int_equal(th_run(argv, f->so, f->se), 0);
    char *text = th_read(f->so);
    holds("compare", text, "no comparison of rollout clear time");
    holds("compare", text, "(censored: not finished within the horizon)");
    lacks("compare", text, "clears the rollout");
    free(text);
    char *crargv[] = {"provsim", "report", out, NULL};
    assert_int_equal(th_run(crargv, f->so, f->se), 0);
    char *cmd = th_path(out, "report.md");
    text = th_read(cmd);
    holds("compare report", text, "| rollout clear time | at least 2h 00m");
    holds("compare report", text, "censored: no difference");
    free(text);
    free(cmd);
    char *sout = th_path(f->dir, "S");
    char *sargv[] = {"provsim", "sweep", ENTRA, "--vary", "horizon=12h,1d", "--reps", "2",
                     "--jobs", "1", "--out", sout, NULL};
    assert_int_equal(th_run(sargv, f->so, f->se), 0);
    text = th_read(f->so);
    holds("sweep", text, "(1 of 2 cells did not clear the rollout within the horizon in some "
                         "replication: left out)");
    lacks("sweep", text, "horizon=12h\n");
    free(text);
    char *rargv[] = {"provsim", "report", sout, NULL};
    assert_int_equal(th_run(rargv, f->so, f->se), 0);
    char *md = th_path(sout, "report.md");
    text = th_read(md);
    holds("sweep report", text, "1 of 2 cells did not clear the rollout");
    lacks("sweep report", text, "Fastest clear: horizon = 12h");
    free(text);
    free(md);
    free(sout);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(censored_run_says_so, setup, teardown),
        cmocka_unit_test_setup_teardown(auto_horizon_clears_what_12h_censors, setup, teardown),
        cmocka_unit_test_setup_teardown(a_never_empty_list_is_never, setup, teardown),
        cmocka_unit_test_setup_teardown(compare_and_sweep_leave_censored_out, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

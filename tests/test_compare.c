/* test_compare.c -- paired comparison: a scenario against itself differs
 * by exactly 0; after hours beats business hours on the Slack presets;
 * the files and the command line. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include "cli_helpers.h"
#include "scenario_helpers.h"
#include "plan/compare.h"

static const char tiny_json[] = TH_TINY_SCENARIO("tiny, \\\"quoted\\\"", "4");

struct fixture {
    char *dir, *scenario;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->dir = th_tmpdir("compare");
    f->scenario = th_path(f->dir, "tiny.json");
    th_write(f->scenario, tiny_json);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    th_rmtree(f->dir);
    free(f->dir);
    free(f->scenario);
    free(f);
    return 0;
}

static void itself_differs_by_exactly_zero(void **state)
{
    struct fixture *f = *state;
    char *out = th_path(f->dir, "self");
    const char *files[] = {f->scenario, f->scenario};
    struct cmp_opts o = {.files = files, .nfiles = 2, .seed = -1, .out_dir = out};
    struct cmp_result r;
    char err[512];
    assert_int_equal(cmp_run(&o, &r, err, sizeof err), CMP_OK);
    assert_int_equal(r.reps, 4);
    assert_int_equal((int)r.seed, 7);
    for (int m = 0; m < METRIC_COUNT; m++) {
        const struct stats_summary *d = &r.sc[1].diff[m];
        if (d->mean != 0.0 || d->ci_lo != 0.0 || d->ci_hi != 0.0 || d->sd != 0.0)
            fail_msg("%s: diff %g (CI %g..%g), expected exactly 0", metric_table[m].name,
                     d->mean, d->ci_lo, d->ci_hi);
        /* the reference's own difference is 0 too */
        assert_true(r.sc[0].diff[m].mean == 0.0);
        assert_true(r.sc[0].sum[m].mean == r.sc[1].sum[m].mean);
    }
    for (int i = 0; i < r.nfindings; i++) {
        printf("%s\n", r.findings[i]);
        assert_non_null(strstr(r.findings[i], "the same"));
    }
    cmp_print_text(stdout, &r);
    cmp_result_fini(&r);

    /* the files: both series identical, the CSV with a quoted name */
    char *s1 = th_path(out, "series-1.csv"), *s2 = th_path(out, "series-2.csv");
    char *a = th_read(s1), *b = th_read(s2);
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a, b);
    assert_true(!strncmp(a, "t_s,clock,queued,", 17));
    free(a);
    free(b);
    char *csvp = th_path(out, "compare.csv");
    a = th_read(csvp);
    assert_non_null(a);
    const char *head = "metric,scenario,name,mean,ci95_lo,ci95_hi,diff_mean,diff_ci95_lo,"
                       "diff_ci95_hi\nclear_time_s,1,\"tiny, \"\"quoted\"\"\",";
    assert_true(!strncmp(a, head, strlen(head)));
    free(a);
    char *jp = th_path(out, "compare.json");
    a = th_read(jp);
    assert_non_null(a);
    assert_non_null(strstr(a, "\"series\":\t\"series-2.csv\""));
    free(a);
    free(jp);
    free(csvp);
    free(s1);
    free(s2);
    free(out);
}

static void paired_difference_sees_a_real_change(void **state)
{
    struct fixture *f = *state;
    char *out = th_path(f->dir, "workers");
    /* B: a quarter of the workers on the same streams: slower */
    char *b = th_path(f->dir, "b.json");
    char *text = th_read(f->scenario);
    char *w = strstr(text, "\"workers\": 8");
    assert_non_null(w);
    w[11] = '2';
    th_write(b, text);
    free(text);
    const char *files[] = {f->scenario, b};
    struct cmp_opts o = {.files = files, .nfiles = 2, .reps = 5, .seed = 3, .out_dir = out};
    struct cmp_result r;
    char err[512];
    assert_int_equal(cmp_run(&o, &r, err, sizeof err), CMP_OK);
    cmp_print_text(stdout, &r);
    const struct stats_summary *d = &r.sc[1].diff[METRIC_CLEAR_TIME];
    assert_true(d->ci_lo > 0.0);
    /* mean of the differences is the difference of the means */
    double dm = r.sc[1].sum[METRIC_CLEAR_TIME].mean - r.sc[0].sum[METRIC_CLEAR_TIME].mean;
    if (fabs(d->mean - dm) > 1e-9 * fabs(dm) + 1e-9)
        fail_msg("mean of differences %.17g != difference of means %.17g", d->mean, dm);
    /* pairing: the CI of the difference is narrower than the CIs of the
     * two means would suggest if the runs were independent */
    double half_d = d->ci_hi - d->mean;
    double half_a = r.sc[0].sum[METRIC_CLEAR_TIME].ci_hi - r.sc[0].sum[METRIC_CLEAR_TIME].mean;
    double half_b = r.sc[1].sum[METRIC_CLEAR_TIME].ci_hi - r.sc[1].sum[METRIC_CLEAR_TIME].mean;
    printf("half-widths: paired diff %.3f s, A %.3f s, B %.3f s\n", half_d, half_a, half_b);
    int found = 0;
    for (int i = 0; i < r.nfindings; i++)
        found |= strstr(r.findings[i], "clears the rollout ") != NULL &&
                 strstr(r.findings[i], " later than A") != NULL;
    assert_true(found);
    cmp_result_fini(&r);
    free(b);
    free(out);
}

static void slack_after_hours_beats_business_hours(void **state)
{
    struct fixture *f = *state;
    const char *bh = PROVSIM_SOURCE_DIR "/configs/slack-business-hours.json";
    const char *ah = PROVSIM_SOURCE_DIR "/configs/slack-after-hours.json";
    if (!th_exists(bh) || !th_exists(ah)) {
        printf("configs/slack-business-hours.json or slack-after-hours.json is missing: "
               "skipped until the presets land\n");
        skip();
    }
    char *out = th_path(f->dir, "slack");
    const char *files[] = {bh, ah};
    struct cmp_opts o = {.files = files, .nfiles = 2, .reps = 10, .seed = 1, .threads = 2,
                         .out_dir = out};
    struct cmp_result r;
    char err[512];
    int rc = cmp_run(&o, &r, err, sizeof err);
    if (rc != CMP_OK)
        fail_msg("compare failed: %s", err);
    printf("seed 1, 10 replications\n");
    cmp_print_text(stdout, &r);
    const struct stats_summary *ct = &r.sc[1].diff[METRIC_CLEAR_TIME];
    const struct stats_summary *ot = &r.sc[1].diff[METRIC_OTHER_THROTTLED];
    if (!(ct->ci_hi < 0.0))
        fail_msg("clear_time_s diff %g, CI %g..%g: expected entirely < 0", ct->mean, ct->ci_lo,
                 ct->ci_hi);
    if (!(ot->ci_hi < 0.0))
        fail_msg("other_clients_throttled diff %g, CI %g..%g: expected entirely < 0", ot->mean,
                 ot->ci_lo, ot->ci_hi);
    cmp_result_fini(&r);
    free(out);
}

static void command_line(void **state)
{
    struct fixture *f = *state;
    char *d = th_path(f->dir, "cli"), *out = th_path(f->dir, "out.txt"),
         *errf = th_path(f->dir, "err.txt");
    char *argv[] = {"provsim", "compare", f->scenario, f->scenario, "--reps", "3",
                    "--set", "workload.rollouts[0].users=200", "--out", d, NULL};
    assert_int_equal(th_run(argv, out, errf), 0);
    char *t = th_read(out);
    assert_non_null(t);
    printf("%s", t ? t : "");
    assert_non_null(strstr(t, "clear_time_s"));
    assert_non_null(strstr(t, "3 replications each"));
    assert_non_null(strstr(t, "the same rollout clear time in every replication"));
    free(t);
    char *json_argv[] = {"provsim", "compare", f->scenario, f->scenario, "--reps", "3",
                         "--format", "json", "--out", d, NULL};
    assert_int_equal(th_run(json_argv, out, errf), 0);
    t = th_read(out);
    char *jp = th_path(d, "compare.json");
    char *j = th_read(jp);
    assert_non_null(j);
    assert_string_equal(t, j); /* --format json prints compare.json */
    free(t);
    free(j);
    free(jp);

    /* --jobs does not change a byte */
    char *j1[] = {"provsim", "compare", f->scenario, f->scenario, "--reps", "5", "--jobs", "1",
                  "--format", "json", "--out", d, NULL};
    char *j3[] = {"provsim", "compare", f->scenario, f->scenario, "--reps", "5", "--jobs", "3",
                  "--format", "json", "--out", d, NULL};
    assert_int_equal(th_run(j1, out, errf), 0);
    t = th_read(out);
    assert_int_equal(th_run(j3, out, errf), 0);
    j = th_read(out);
    assert_string_equal(t, j);
    free(t);
    free(j);

    /* --precision: the same count for both, said in the output */
    char *prec_argv[] = {"provsim", "compare", f->scenario, f->scenario, "--precision", "5%",
                         "--reps", "30", "--out", d, NULL};
    assert_int_equal(th_run(prec_argv, out, errf), 0);
    t = th_read(out);
    assert_non_null(strstr(t, "precision 5%: "));
    free(t);

    char *one[] = {"provsim", "compare", f->scenario, NULL};
    assert_int_equal(th_run(one, out, errf), 2);
    char *bad[] = {"provsim", "compare", f->scenario, "/nonexistent.json", NULL};
    assert_int_equal(th_run(bad, out, errf), 2);
    t = th_read(errf);
    assert_non_null(strstr(t, "/nonexistent.json"));
    free(t);
    free(d);
    free(out);
    free(errf);
}

/* One file, two sides: each side is the file under the common --sets and
 * its own, with its label as its name; the results are exactly those of
 * two files that hold the same overrides. */
static void sides_of_one_file(void **state)
{
    struct fixture *f = *state;
    char *later = th_path(f->dir, "later.json");
    char *text = th_read(f->scenario);
    char *at = strstr(text, "\"at\": \"10:00\"");
    assert_non_null(at);
    memcpy(at + 7, "13", 2); /* "at": "13:00" */
    th_write(later, text);
    const char *common[] = {"workload.rollouts[0].users=200"};
    const char *files[] = {f->scenario, later};
    char *d1 = th_path(f->dir, "files"), *d2 = th_path(f->dir, "sides");
    struct cmp_opts o = {.files = files, .nfiles = 2, .sets = common, .nsets = 1, .reps = 3,
                         .seed = -1, .out_dir = d1};
    struct cmp_result a, b;
    char err[512];
    assert_int_equal(cmp_run(&o, &a, err, sizeof err), CMP_OK);
    const char *pm[] = {"workload.rollouts[0].at=10:00"}, *pa[] = {"workload.rollouts[0].at=13:00"};
    struct cmp_side sides[2] = {{"morning", pm, 1}, {"after lunch", pa, 1}};
    const char *same[] = {f->scenario, f->scenario};
    struct cmp_opts s = o;
    s.files = same;
    s.sides = sides;
    s.out_dir = d2;
    assert_int_equal(cmp_run(&s, &b, err, sizeof err), CMP_OK);
    assert_string_equal(b.sc[0].name, "morning");
    assert_string_equal(b.sc[1].name, "after lunch");
    for (int i = 0; i < 2; i++)
        for (int m = 0; m < METRIC_COUNT; m++)
            if (memcmp(&a.sc[i].sum[m], &b.sc[i].sum[m], sizeof a.sc[i].sum[m]) ||
                memcmp(&a.sc[i].diff[m], &b.sc[i].diff[m], sizeof a.sc[i].diff[m]))
                fail_msg("scenario %d, %s: files mean %.17g, sides mean %.17g", i,
                         metric_table[m].name, a.sc[i].sum[m].mean, b.sc[i].sum[m].mean);
    /* a real difference, so the test above compares something */
    int differ = 0;
    for (int m = 0; m < METRIC_COUNT; m++)
        differ += b.sc[1].diff[m].mean != 0.0;
    printf("%d metrics differ between the sides\n", differ);
    assert_true(differ > 0);
    cmp_result_fini(&a);
    cmp_result_fini(&b);

    /* the command line: --sets before the first --side are every side's */
    char *out = th_path(f->dir, "out.txt"), *errf = th_path(f->dir, "err.txt");
    char *argv[] = {"provsim", "compare", f->scenario, "--reps", "3", "--set",
                    "workload.rollouts[0].users=200", "--side", "morning", "--side",
                    "after lunch", "--set", "workload.rollouts[0].at=13:00", "--out", d2, NULL};
    assert_int_equal(th_run(argv, out, errf), 0);
    char *t = th_read(out);
    assert_non_null(t);
    printf("%s", t ? t : "");
    assert_non_null(strstr(t, "  B  after lunch  ("));
    assert_non_null(strstr(t, " --set workload.rollouts[0].at=13:00)\n"));
    assert_non_null(strstr(t, "  - B (after lunch) "));
    free(t);
    char *jp = th_path(d2, "compare.json");
    t = th_read(jp);
    assert_non_null(strstr(t, "\"name\":\t\"after lunch\""));
    assert_non_null(strstr(t, "\"set\":\t[\"workload.rollouts[0].at=13:00\"]"));
    assert_non_null(strstr(t, "\"set\":\t[]"));
    free(t);
    free(jp);

    /* refusals: two files with --side, one side, a label twice */
    char *two[] = {"provsim", "compare", f->scenario, later, "--side", "x", "--side", "y", NULL};
    assert_int_equal(th_run(two, out, errf), 2);
    t = th_read(errf);
    assert_non_null(strstr(t, "give exactly one scenario file"));
    free(t);
    char *lone[] = {"provsim", "compare", f->scenario, "--side", "x", NULL};
    assert_int_equal(th_run(lone, out, errf), 2);
    char *twice[] = {"provsim", "compare", f->scenario, "--side", "x", "--side", "x", NULL};
    assert_int_equal(th_run(twice, out, errf), 2);
    t = th_read(errf);
    assert_non_null(strstr(t, "--side \"x\" is given twice"));
    free(t);
    free(out);
    free(errf);
    free(text);
    free(later);
    free(d1);
    free(d2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(itself_differs_by_exactly_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(paired_difference_sees_a_real_change, setup, teardown),
        cmocka_unit_test_setup_teardown(slack_after_hours_beats_business_hours, setup, teardown),
        cmocka_unit_test_setup_teardown(command_line, setup, teardown),
        cmocka_unit_test_setup_teardown(sides_of_one_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_sweep.c -- sweep VALUES parsing, --jobs independence, the journal
 * (interrupt, --resume, refusing another sweep's journal) and --precision. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include "cli_helpers.h"
#include "run/runner.h"
#include "scenario_helpers.h"
#include "plan/sweep.h"
#include "sweep_fixture.h"

/* Small and quick: a few hundred jobs against one token bucket. */
static const char tiny_json[] = TH_TINY_SCENARIO("tiny sweep", "3");

/* ---- VALUES ---------------------------------------------------------------- */

static void expect_values(const char *spec, int n, const char *const *want)
{
    char **v;
    int got;
    char err[256];
    if (sweep_values_parse(spec, &v, &got, err, sizeof err) != 0)
        fail_msg("\"%s\" refused: %s", spec, err);
    if (got != n)
        fail_msg("\"%s\": %d values, expected %d", spec, got, n);
    for (int i = 0; i < n; i++) {
        if (want[i] && strcmp(v[i], want[i]) != 0)
            fail_msg("\"%s\": value %d is \"%s\", expected \"%s\"", spec, i, v[i], want[i]);
        free(v[i]);
    }
    free(v);
}

static void expect_refused(const char *spec, const char *needle)
{
    char **v = NULL;
    int n = 0;
    char err[256] = "";
    if (sweep_values_parse(spec, &v, &n, err, sizeof err) == 0)
        fail_msg("\"%s\" accepted (%d values), expected a refusal", spec, n);
    printf("refused %-22s %s\n", spec, err);
    if (needle && !strstr(err, needle))
        fail_msg("\"%s\": message \"%s\" lacks \"%s\"", spec, err, needle);
}

static void values_lists(void **state)
{
    (void)state;
    expect_values("100,250,500", 3, (const char *[]){"100", "250", "500"});
    expect_values("42", 1, (const char *[]){"42"});
    expect_values("10:00,after hours,\"x\"", 3, (const char *[]){"10:00", "after hours", "\"x\""});
}

static void values_numeric_ranges(void **state)
{
    (void)state;
    expect_values("100..1000/100", 10,
                  (const char *[]){"100", "200", "300", "400", "500", "600", "700", "800", "900",
                                   "1000"});
    expect_values("1..10/4", 3, (const char *[]){"1", "5", "9"});
    /* decimals in exact integer steps: no 0.30000000000000004 */
    expect_values("0.1..0.3/0.1", 3, (const char *[]){"0.1", "0.2", "0.3"});
    expect_values("0..1/0.25", 5, (const char *[]){"0.00", "0.25", "0.50", "0.75", "1.00"});
    expect_values("-2..2/2", 3, (const char *[]){"-2", "0", "2"});
    expect_values("5..5/1", 1, (const char *[]){"5"});
    expect_values("1..10000/1", 10000, (const char *[10000]){NULL});
}

static void values_clock_ranges(void **state)
{
    (void)state;
    const char *hours[24];
    char buf[24][8];
    for (int h = 0; h < 24; h++) {
        snprintf(buf[h], sizeof buf[h], "%02d:00", h);
        hours[h] = buf[h];
    }
    expect_values("00:00..23:00/1h", 24, hours);
    expect_values("09:30..10:30/30m", 3, (const char *[]){"09:30", "10:00", "10:30"});
    expect_values("9:00..11:00/90m", 2, (const char *[]){"09:00", "10:30"});
}

static void values_duration_ranges(void **state)
{
    (void)state;
    expect_values("5m..60m/5m", 12,
                  (const char *[]){"5m", "10m", "15m", "20m", "25m", "30m", "35m", "40m", "45m",
                                   "50m", "55m", "1h"});
    expect_values("90s..3m/30s", 4, (const char *[]){"90s", "2m", "150s", "3m"});
    expect_values("250ms..1s/250ms", 4, (const char *[]){"250ms", "500ms", "750ms", "1s"});
    expect_values("300..600/5m", 2, (const char *[]){"5m", "10m"});
}

static void values_bad(void **state)
{
    (void)state;
    expect_refused("", "no values");
    expect_refused("1,,2", "empty");
    expect_refused("100..1000", "LO..HI/STEP");
    expect_refused("100..1000/0", "step must be > 0");
    expect_refused("100..1000/-100", NULL);
    expect_refused("1000..100/100", "after the last");
    expect_refused("0..20000/1", "more than 10000");
    expect_refused("10:00..09:00/1h", "wrap");
    expect_refused("00:00..01:00/90s", "whole minutes");
    expect_refused("5m..1m/1m", "after the last");
    expect_refused("a..b/c", "not a range");
    expect_refused("1..2/1x", NULL);
}

static void axis_parse(void **state)
{
    (void)state;
    struct sweep_axis ax;
    char err[256];
    assert_int_equal(sweep_axis_parse("workload.rollouts[0].batch_size=100..300/100", &ax, err,
                                      sizeof err),
                     0);
    assert_string_equal(ax.path, "workload.rollouts[0].batch_size");
    assert_int_equal(ax.nvalues, 3);
    sweep_axis_fini(&ax);
    assert_int_equal(sweep_axis_parse("=1,2", &ax, err, sizeof err), -1);
    assert_int_equal(sweep_axis_parse("x=", &ax, err, sizeof err), -1);
    assert_int_equal(sweep_axis_parse("x", &ax, err, sizeof err), -1);
    assert_int_equal(sweep_axis_parse("x=0..5/0", &ax, err, sizeof err), -1);
    assert_non_null(strstr(err, "--vary x=0..5/0"));
}

/* Linked paths: "P1=V1+P2=V2" is one axis whose paths move together. */
static void axis_parse_linked(void **state)
{
    (void)state;
    struct sweep_axis ax;
    char err[256];
    assert_int_equal(sweep_axis_parse("workload.rollouts[0].batch_size=250,500,1000"
                                      "+workload.rollouts[0].batch_interval=5m..15m/5m",
                                      &ax, err, sizeof err),
                     0);
    assert_string_equal(ax.path, "workload.rollouts[0].batch_size");
    assert_string_equal(ax.spec, "250,500,1000");
    assert_int_equal(ax.nvalues, 3);
    assert_int_equal(ax.nlinked, 1);
    const struct sweep_axis *l = sweep_axis_part(&ax, 1);
    assert_string_equal(l->path, "workload.rollouts[0].batch_interval");
    assert_string_equal(l->spec, "5m..15m/5m");
    assert_string_equal(l->values[2], "15m");
    assert_ptr_equal(sweep_axis_part(&ax, 0), &ax);
    sweep_axis_fini(&ax);
    /* a '+' not followed by PATH= stays in the value */
    assert_int_equal(sweep_axis_parse("name=a+b,c+1", &ax, err, sizeof err), 0);
    assert_int_equal(ax.nlinked, 0);
    assert_string_equal(ax.values[0], "a+b");
    assert_string_equal(ax.values[1], "c+1");
    sweep_axis_fini(&ax);
    /* counts must agree */
    assert_int_equal(sweep_axis_parse("a=1,2,3+b=1,2", &ax, err, sizeof err), -1);
    printf("%s\n", err);
    assert_non_null(strstr(err, "same number of values (a has 3, b has 2)"));
    assert_int_equal(sweep_axis_parse("a=1,2+b=", &ax, err, sizeof err), -1);
    assert_non_null(strstr(err, "expected PATH=VALUES"));
}

/* ---- sweeps in-process ------------------------------------------------------ */

static int setup(void **state)
{
    return fixture_setup(state, "sweep", tiny_json, "workload.rollouts[0].at=09:00..11:00/1h");
}

static int teardown(void **state)
{
    return fixture_teardown(state);
}

static struct sweep_opts opts_2x3(struct fixture *f, const char *out, int jobs)
{
    struct sweep_opts o = {.scenario = f->scenario, .axes = f->axes, .naxes = 2, .reps = 3,
                           .seed = -1, .jobs = jobs, .out_dir = out};
    return o;
}

static char *csv_of(const char *dir)
{
    char *p = th_path(dir, "sweep.csv");
    char *t = th_read(p);
    free(p);
    assert_non_null(t);
    return t;
}

static void jobs_do_not_change_bytes(void **state)
{
    struct fixture *f = *state;
    char *d1 = th_path(f->dir, "j1"), *d2 = th_path(f->dir, "j2/nested");
    struct sweep_opts o1 = opts_2x3(f, d1, 1), o2 = opts_2x3(f, d2, 2);
    struct sweep sw;
    free(run_sweep(&o1, SWEEP_OK, &sw));
    assert_int_equal(sw.ncells, 6);
    assert_int_equal(sw.ran, 6);
    /* grid order: the first --vary slowest */
    int idx[2];
    sweep_cell_index(f->axes, 2, 4, idx);
    assert_int_equal(idx[0], 1);
    assert_int_equal(idx[1], 1);
    /* common random numbers: every cell ran 3 replications from seed 7 */
    for (int i = 0; i < sw.ncells; i++)
        assert_int_equal(sw.cells[i].reps, 3);
    sweep_fini(&sw);
    free(run_sweep(&o2, SWEEP_OK, NULL));
    char *a = csv_of(d1), *b = csv_of(d2);
    printf("sweep.csv, %zu bytes; header starts: %.80s\n", strlen(a), a);
    assert_string_equal(a, b);
    const char *head = "workload.rollouts[0].batch_size,workload.rollouts[0].at,"
                       "clear_time_s_mean,clear_time_s_sd,clear_time_s_ci95_lo,"
                       "clear_time_s_ci95_hi,clear_time_s_min,clear_time_s_max,";
    assert_true(!strncmp(a, head, strlen(head)));
    /* 1 header + 6 rows */
    int lines = 0;
    for (const char *p = a; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 7);
    char *pa = th_path(d1, "sweep.json"), *pb = th_path(d2, "sweep.json");
    char *ja = th_read(pa), *jb = th_read(pb);
    assert_non_null(ja);
    assert_string_equal(ja, jb);
    assert_non_null(strstr(ja, "\"values\":\t{\n\t\t\t\t\"workload.rollouts[0].batch_size\":\t50,"));
    /* clock values stay strings ("09:00"), never a number read off their
     * first digits */
    assert_non_null(strstr(ja, "\"workload.rollouts[0].at\":\t\"09:00\""));
    free(a);
    free(b);
    free(ja);
    free(jb);
    free(pa);
    free(pb);
    free(d1);
    free(d2);
}

static void interrupted_then_resumed(void **state)
{
    struct fixture *f = *state;
    char *full = th_path(f->dir, "full"), *part = th_path(f->dir, "part");
    struct sweep_opts o = opts_2x3(f, full, 2);
    free(run_sweep(&o, SWEEP_OK, NULL));

    /* stop after 2 cells, as Ctrl-C would: exit 130, 2 cells saved */
    struct sweep_opts p = opts_2x3(f, part, 2);
    p.stop_after = 2;
    char *msg = run_sweep(&p, SWEEP_INTERRUPTED, NULL);
    printf("%s\n", msg);
    assert_non_null(strstr(msg, "interrupted: 2 of 6 cells saved"));
    assert_non_null(strstr(msg, "rerun with --resume"));
    free(msg);
    char *journal = th_path(part, "journal");
    assert_int_equal(th_count(journal, "cell-"), 2);
    char *csvp = th_path(part, "sweep.csv");
    assert_false(th_exists(csvp));

    /* resume: only the 4 missing cells run, and the CSV is the same */
    p.stop_after = 0;
    p.resume = 1;
    struct sweep sw;
    free(run_sweep(&p, SWEEP_OK, &sw));
    assert_int_equal(sw.loaded, 2);
    assert_int_equal(sw.ran, 4);
    sweep_fini(&sw);
    assert_int_equal(th_count(journal, "cell-"), 6);
    char *a = csv_of(full), *b = csv_of(part);
    assert_string_equal(a, b);

    /* resuming a complete journal runs nothing */
    free(run_sweep(&p, SWEEP_OK, &sw));
    assert_int_equal(sw.loaded, 6);
    assert_int_equal(sw.ran, 0);
    sweep_fini(&sw);
    free(b);
    b = csv_of(part);
    assert_string_equal(a, b);
    free(a);
    free(b);
    free(csvp);
    free(journal);
    free(full);
    free(part);
}

static void resume_refuses_another_sweep(void **state)
{
    struct fixture *f = *state;
    char *d = th_path(f->dir, "other");
    struct sweep_opts o = opts_2x3(f, d, 2);
    o.stop_after = 3;
    free(run_sweep(&o, SWEEP_INTERRUPTED, NULL));

    /* different --reps */
    struct sweep_opts p = opts_2x3(f, d, 2);
    p.resume = 1;
    p.reps = 4;
    char *msg = run_sweep(&p, SWEEP_BAD_INPUT, NULL);
    printf("%s\n", msg);
    assert_non_null(strstr(msg, "different sweep"));
    assert_non_null(strstr(msg, "--reps"));
    /* only what changed: --precision is the same (off) in both */
    assert_null(strstr(msg, "--precision"));
    assert_non_null(strstr(msg, "(changed: --reps)"));
    free(msg);

    /* different values on an axis */
    struct sweep_axis ax[2];
    char err[256];
    assert_int_equal(sweep_axis_parse("workload.rollouts[0].batch_size=50,300", &ax[0], err,
                                      sizeof err),
                     0);
    assert_int_equal(sweep_axis_parse("workload.rollouts[0].at=09:00..11:00/1h", &ax[1], err,
                                      sizeof err),
                     0);
    p = opts_2x3(f, d, 2);
    p.resume = 1;
    p.axes = ax;
    msg = run_sweep(&p, SWEEP_BAD_INPUT, NULL);
    printf("%s\n", msg);
    assert_non_null(strstr(msg, "--vary"));
    free(msg);

    /* a changed scenario file */
    char *text = th_read(f->scenario);
    FILE *fp = fopen(f->scenario, "a");
    fputs("\n", fp); /* any edit counts, even one that changes no value */
    fclose(fp);
    p = opts_2x3(f, d, 2);
    p.resume = 1;
    msg = run_sweep(&p, SWEEP_BAD_INPUT, NULL);
    printf("%s\n", msg);
    assert_non_null(strstr(msg, "scenario file"));
    free(msg);
    th_write(f->scenario, text);

    /* the journal is untouched by the refusals: resume still works */
    char *journal = th_path(d, "journal");
    assert_int_equal(th_count(journal, "cell-"), 3);
    p = opts_2x3(f, d, 2);
    p.resume = 1;
    struct sweep sw;
    free(run_sweep(&p, SWEEP_OK, &sw));
    assert_int_equal(sw.loaded, 3);
    assert_int_equal(sw.ran, 3);
    sweep_fini(&sw);

    /* without --resume or --fresh an existing journal is refused and kept */
    p = opts_2x3(f, d, 2);
    p.axes = ax;
    msg = run_sweep(&p, SWEEP_BAD_INPUT, NULL);
    printf("%s\n", msg);
    assert_non_null(strstr(msg, "holds the journal of an earlier sweep"));
    assert_non_null(strstr(msg, "--resume"));
    assert_non_null(strstr(msg, "--fresh"));
    free(msg);
    assert_int_equal(th_count(journal, "cell-"), 6);
    /* both at once is refused too */
    p.resume = p.fresh = 1;
    free(run_sweep(&p, SWEEP_BAD_INPUT, NULL));
    assert_int_equal(th_count(journal, "cell-"), 6);

    /* --fresh: a different sweep starts over */
    p = opts_2x3(f, d, 2);
    p.axes = ax;
    p.fresh = 1;
    p.stop_after = 1;
    free(run_sweep(&p, SWEEP_INTERRUPTED, NULL));
    assert_int_equal(th_count(journal, "cell-"), 1);
    char *csvp = th_path(d, "sweep.csv");
    assert_false(th_exists(csvp)); /* the old sweep's results are gone too */
    free(csvp);

    sweep_axis_fini(&ax[0]);
    sweep_axis_fini(&ax[1]);
    free(journal);
    free(text);
    free(d);
}

/* A linked axis's cell k is the scenario with value k of every linked
 * path: the same results as a one-cell sweep given those values. */
static void linked_axis_cells(void **state)
{
    struct fixture *f = *state;
    struct sweep_axis lk, one;
    char err[256];
    assert_int_equal(sweep_axis_parse("workload.rollouts[0].batch_size=100,200"
                                      "+workload.rollouts[0].batch_interval=1m,4m",
                                      &lk, err, sizeof err),
                     0);
    char *d = th_path(f->dir, "linked");
    struct sweep_opts o = {.scenario = f->scenario, .axes = &lk, .naxes = 1, .reps = 2,
                           .seed = -1, .jobs = 2, .out_dir = d};
    struct sweep sw;
    free(run_sweep(&o, SWEEP_OK, &sw));
    assert_int_equal(sw.ncells, 2); /* linked paths add no cells */
    char *csv = csv_of(d);
    const char *head = "workload.rollouts[0].batch_size,workload.rollouts[0].batch_interval,"
                       "clear_time_s_mean,";
    assert_true(!strncmp(csv, head, strlen(head)));
    assert_non_null(strstr(csv, "\n200,4m,"));
    char *jp = th_path(d, "sweep.json");
    char *js = th_read(jp);
    assert_non_null(strstr(js, "\"linked\":"));
    /* cell 1 against the same values given as --set on a one-value axis */
    const char *sets[] = {"workload.rollouts[0].batch_interval=4m"};
    assert_int_equal(sweep_axis_parse("workload.rollouts[0].batch_size=200", &one, err,
                                      sizeof err),
                     0);
    char *d1 = th_path(f->dir, "linked-ref");
    struct sweep_opts r = o;
    r.axes = &one;
    r.sets = sets;
    r.nsets = 1;
    r.out_dir = d1;
    struct sweep ref;
    free(run_sweep(&r, SWEEP_OK, &ref));
    printf("linked cell 1 clear time %.6g s, reference %.6g s; cell 0 %.6g s\n",
           sw.cells[1].sum[METRIC_CLEAR_TIME].mean, ref.cells[0].sum[METRIC_CLEAR_TIME].mean,
           sw.cells[0].sum[METRIC_CLEAR_TIME].mean);
    assert_true(sw.cells[1].sum[METRIC_CLEAR_TIME].mean ==
                ref.cells[0].sum[METRIC_CLEAR_TIME].mean);
    /* and the two cells differ (the interval moved with the size) */
    assert_true(sw.cells[0].sum[METRIC_CLEAR_TIME].mean !=
                sw.cells[1].sum[METRIC_CLEAR_TIME].mean);
    sweep_fini(&ref);
    sweep_fini(&sw);
    /* a path both linked and on its own axis is refused */
    struct sweep_axis two[2] = {lk, one};
    struct sweep_axis dup;
    assert_int_equal(sweep_axis_parse("workload.rollouts[0].batch_interval=1m", &dup, err,
                                      sizeof err),
                     0);
    two[1] = dup;
    o.axes = two;
    o.naxes = 2;
    char *msg = run_sweep(&o, SWEEP_BAD_INPUT, NULL);
    assert_non_null(strstr(msg, "--vary workload.rollouts[0].batch_interval is given twice"));
    free(msg);
    sweep_axis_fini(&dup);
    sweep_axis_fini(&one);
    sweep_axis_fini(&lk);
    free(js);
    free(jp);
    free(csv);
    free(d1);
    free(d);
}

static void invalid_cell_runs_nothing(void **state)
{
    struct fixture *f = *state;
    char *d = th_path(f->dir, "invalid");
    struct sweep_axis ax;
    char err[256];
    assert_int_equal(sweep_axis_parse("client.workers=4,0", &ax, err, sizeof err), 0);
    struct sweep_opts o = {.scenario = f->scenario, .axes = &ax, .naxes = 1, .seed = -1,
                           .jobs = 1, .out_dir = d};
    char *msg = run_sweep(&o, SWEEP_BAD_INPUT, NULL);
    printf("%s\n", msg);
    assert_non_null(strstr(msg, "cell 2 of 2 (client.workers=0)"));
    assert_non_null(strstr(msg, "client.workers"));
    assert_false(th_exists(d));
    free(msg);
    sweep_axis_fini(&ax);
    free(d);
}

/* ---- the binary: Ctrl-C and kill -9, then --resume --------------------------- */

static void binary_signals_then_resume(void **state)
{
    struct fixture *f = *state;
    char *ref = th_path(f->dir, "bin-ref"), *d = th_path(f->dir, "bin");
    char *out = th_path(f->dir, "out.txt"), *errf = th_path(f->dir, "err.txt");
    char *journal = th_path(d, "journal");
    /* 12 cells with more replications, so the signal lands mid-sweep */
    char *argv_ref[] = {"provsim", "sweep", f->scenario,
                        "--vary", "workload.rollouts[0].batch_size=50,100,200,400",
                        "--vary", "workload.rollouts[0].at=09:00..11:00/1h",
                        "--reps", "6", "--jobs", "1", "--out", ref, NULL};
    assert_int_equal(th_run(argv_ref, out, errf), 0);
    char *txt = th_read(out);
    assert_non_null(txt);
    printf("%s", txt ? txt : "");
    assert_non_null(strstr(txt, "fastest clear"));
    assert_non_null(strstr(txt, "within the CI of the best"));
    free(txt);

    for (int round = 0; round < 2; round++) {
        int sig = round == 0 ? SIGINT : SIGKILL;
        char *argv[] = {"provsim", "sweep", f->scenario,
                        "--vary", "workload.rollouts[0].batch_size=50,100,200,400",
                        "--vary", "workload.rollouts[0].at=09:00..11:00/1h",
                        "--reps", "6", "--jobs", "1", "--out", d, NULL};
        th_rmtree(d); /* each round starts from nothing */
        pid_t pid = th_spawn(argv, out, errf);
        /* wait for the first finished cells, then signal */
        for (int i = 0; i < 20000 && th_count(journal, "cell-") < 1 + round; i++)
            th_sleep_ms(1);
        kill(pid, sig);
        int rc = th_wait(pid);
        char *e = th_read(errf);
        int saved = th_count(journal, "cell-");
        printf("signal %d: exit %d, %d cells saved; stderr: %s", sig, rc, saved, e);
        if (saved == 12) {
            free(e);
            skip(); /* the whole sweep beat the signal: nothing to resume */
        }
        if (sig == SIGINT) {
            assert_int_equal(rc, 130);
            assert_non_null(strstr(e, "interrupted: "));
            assert_non_null(strstr(e, "rerun with --resume"));
        } else {
            assert_int_equal(rc, 128 + SIGKILL);
        }
        free(e);
        assert_true(saved >= 1 && saved < 12);

        char *argv_resume[] = {"provsim", "sweep", f->scenario,
                               "--vary", "workload.rollouts[0].batch_size=50,100,200,400",
                               "--vary", "workload.rollouts[0].at=09:00..11:00/1h",
                               "--reps", "6", "--jobs", "2", "--out", d, "--resume", NULL};
        assert_int_equal(th_run(argv_resume, out, errf), 0);
        e = th_read(errf);
        assert_non_null(e);
        char want[128];
        snprintf(want, sizeof want, "resuming: %d of 12 cells from the journal, %d to run", saved,
                 12 - saved);
        printf("%s", e ? e : "");
        assert_non_null(strstr(e, want));
        free(e);
        char *a = csv_of(ref), *b = csv_of(d);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
    free(journal);
    free(out);
    free(errf);
    free(ref);
    free(d);
}

static void binary_usage_errors(void **state)
{
    struct fixture *f = *state;
    char *out = th_path(f->dir, "out.txt"), *errf = th_path(f->dir, "err.txt");
    char *bad_range[] = {"provsim", "sweep", f->scenario, "--vary", "client.workers=1..8/0",
                         NULL};
    assert_int_equal(th_run(bad_range, out, errf), 2);
    char *no_vary[] = {"provsim", "sweep", f->scenario, NULL};
    assert_int_equal(th_run(no_vary, out, errf), 2);
    char *bad_jobs[] = {"provsim", "sweep", f->scenario, "--vary", "client.workers=1,2",
                        "--jobs", "0", NULL};
    assert_int_equal(th_run(bad_jobs, out, errf), 2);
    free(out);
    free(errf);
}

/* ---- --precision -------------------------------------------------------------- */

static void precision_stops_early_and_is_deterministic(void **state)
{
    (void)state;
    struct scenario s;
    load_json(tiny_json, &s);
    struct run_opts o = {.reps = 40, .seed = 7, .precision = 0.05};
    struct run_result a, b, full;
    assert_int_equal(run_scenario(&s, &o, &a), 0);
    printf("precision 5%%: %d of at most 40 replications; clear time %.1f s +- %.1f\n", a.reps,
           a.sum[METRIC_CLEAR_TIME].mean, a.sum[METRIC_CLEAR_TIME].ci_hi - a.sum[METRIC_CLEAR_TIME].mean);
    assert_true(a.precision_reached);
    assert_true(a.reps >= 3 && a.reps < 40);
    double half = a.sum[METRIC_CLEAR_TIME].ci_hi - a.sum[METRIC_CLEAR_TIME].mean;
    assert_true(half <= 0.05 * fabs(a.sum[METRIC_CLEAR_TIME].mean));
    assert_int_equal(run_scenario(&s, &o, &b), 0);
    assert_int_equal(a.reps, b.reps);
    assert_memory_equal(a.values, b.values, (size_t)a.reps * METRIC_COUNT * sizeof(double));
    /* the same replications as a fixed-count run of that many */
    struct run_opts fixed = {.reps = a.reps, .seed = 7};
    assert_int_equal(run_scenario(&s, &fixed, &full), 0);
    assert_memory_equal(a.values, full.values, (size_t)a.reps * METRIC_COUNT * sizeof(double));
    /* the rule stops at the first count that meets it */
    if (a.reps > 3) {
        double *col = malloc((size_t)a.reps * sizeof *col);
        for (int r = 0; r < a.reps - 1; r++)
            col[r] = a.values[(size_t)r * METRIC_COUNT + METRIC_CLEAR_TIME];
        struct stats_summary st;
        stats_summarize(col, (size_t)a.reps - 1, &st);
        assert_true(stats_ci95_halfwidth(st.sd, st.n) > 0.05 * fabs(st.mean));
        free(col);
    }
    run_result_fini(&a);
    run_result_fini(&b);
    run_result_fini(&full);

    /* an unreachable target stops at the cap and says so */
    o.precision = 1e-9;
    o.reps = 5;
    assert_int_equal(run_scenario(&s, &o, &a), 0);
    assert_int_equal(a.reps, 5);
    assert_false(a.precision_reached);
    run_result_fini(&a);
    scn_fini(&s);

    double p;
    assert_int_equal(run_parse_precision("2%", &p), 0);
    assert_true(fabs(p - 0.02) < 1e-15);
    assert_int_equal(run_parse_precision("0.02", &p), 0);
    assert_true(fabs(p - 0.02) < 1e-15);
    assert_int_equal(run_parse_precision("0", &p), -1);
    assert_int_equal(run_parse_precision("-2%", &p), -1);
    assert_int_equal(run_parse_precision("150%", &p), -1);
    assert_int_equal(run_parse_precision("2%%", &p), -1);
    assert_int_equal(run_parse_precision("abc", &p), -1);
}

static void precision_on_the_command_line(void **state)
{
    struct fixture *f = *state;
    char *out = th_path(f->dir, "out.txt"), *errf = th_path(f->dir, "err.txt");
    char *argv[] = {"provsim", "run", f->scenario, "--precision", "5%", "--reps", "40",
                    "--format", "json", NULL};
    assert_int_equal(th_run(argv, out, errf), 0);
    char *a = th_read(out);
    assert_non_null(strstr(a, "\"precision\":\t{\n\t\t\"target\":\t0.05,\n\t\t\"reached\":\ttrue"));
    assert_null(strstr(a, "\"replications\":\t40,"));
    assert_int_equal(th_run(argv, out, errf), 0);
    char *b = th_read(out);
    assert_string_equal(a, b);
    free(a);
    free(b);
    char *argv_text[] = {"provsim", "run", f->scenario, "--precision", "0.05", "--reps", "40",
                         NULL};
    assert_int_equal(th_run(argv_text, out, errf), 0);
    a = th_read(out);
    assert_non_null(a);
    printf("%.400s", a ? a : "");
    assert_non_null(strstr(a, "precision 5% reached after "));
    free(a);

    /* sweep --precision: per-cell counts in the CSV's last column */
    char *d = th_path(f->dir, "prec");
    char *argv_sweep[] = {"provsim", "sweep", f->scenario, "--vary", "client.workers=4,8",
                          "--precision", "5%", "--reps", "40", "--out", d, NULL};
    assert_int_equal(th_run(argv_sweep, out, errf), 0);
    a = th_read(out);
    assert_non_null(a);
    printf("%s", a ? a : "");
    assert_non_null(strstr(a, "precision 5% reached in every cell"));
    free(a);
    free(d);
    free(out);
    free(errf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(values_lists),
        cmocka_unit_test(values_numeric_ranges),
        cmocka_unit_test(values_clock_ranges),
        cmocka_unit_test(values_duration_ranges),
        cmocka_unit_test(values_bad),
        cmocka_unit_test(axis_parse),
        cmocka_unit_test(axis_parse_linked),
        cmocka_unit_test(precision_stops_early_and_is_deterministic),
        cmocka_unit_test_setup_teardown(jobs_do_not_change_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(interrupted_then_resumed, setup, teardown),
        cmocka_unit_test_setup_teardown(resume_refuses_another_sweep, setup, teardown),
        cmocka_unit_test_setup_teardown(invalid_cell_runs_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(linked_axis_cells, setup, teardown),
        cmocka_unit_test_setup_teardown(binary_signals_then_resume, setup, teardown),
        cmocka_unit_test_setup_teardown(binary_usage_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(precision_on_the_command_line, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

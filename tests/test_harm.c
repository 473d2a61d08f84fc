/* test_harm.c -- the harm metrics: each replication paired with the same
 * day without the rollouts (common random numbers). A one-user rollout
 * does no harm within noise; the harm does not change with the horizon
 * once it covers the rollout's window (1d against 2d on the Slack preset,
 * exactly); after
 * hours harms the other clients less than business hours. Seeds are the
 * presets' (1), 10 replications each. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include "scenario_helpers.h"
#include "run/runner.h"
#include "run/twins.h"

#define SRC PROVSIM_SOURCE_DIR
#define REPS 10

static const enum metric harm[] = {METRIC_HARM_OTHER_THROTTLED, METRIC_HARM_BG_THROTTLED,
                                   METRIC_HARM_BG_DELAY_MEAN, METRIC_HARM_BG_DELAY_MAX,
                                   METRIC_HARM_BG_DELAYED_JOBS};
#define NHARM (sizeof harm / sizeof *harm)

static void run_preset(const char *file, const char *const *sets, int nsets,
                       struct run_result *r)
{
    char path[1024], err[SCN_ERRLEN];
    snprintf(path, sizeof path, SRC "/configs/%s", file);
    struct scenario s;
    if (scn_load(path, sets, nsets, &s, err, sizeof err))
        fail_msg("%s", err);
    struct run_opts o = {.reps = REPS, .seed = s.seed, .threads = 2};
    assert_int_equal(run_scenario(&s, &o, r), 0);
    scn_fini(&s);
}

static void one_user_does_no_harm(void **state)
{
    (void)state;
    const char *sets[] = {"workload.rollouts[0].users=1"};
    struct run_result r;
    run_preset("slack-business-hours.json", sets, 1, &r);
    for (size_t i = 0; i < NHARM; i++) {
        const struct stats_summary *s = &r.sum[harm[i]];
        print_message("  %-32s mean %.4g  95%% CI [%.4g, %.4g]\n", metric_table[harm[i]].name,
                      s->mean, s->ci_lo, s->ci_hi);
        /* zero in expectation: 0 in every replication, or a CI around 0 */
        if (!(s->min == 0.0 && s->max == 0.0) && !(s->ci_lo <= 0.0 && s->ci_hi >= 0.0))
            fail_msg("%s: mean %g, CI [%g, %g] excludes 0", metric_table[harm[i]].name, s->mean,
                     s->ci_lo, s->ci_hi);
    }
    /* while the day's totals are far from 0 */
    assert_true(r.sum[METRIC_OTHER_REQUESTS].mean > 1000);
    run_result_fini(&r);
}

static void harm_does_not_depend_on_the_horizon(void **state)
{
    (void)state;
    const char *d1[] = {"horizon=1d"}, *d2[] = {"horizon=2d"};
    struct run_result a, b;
    run_preset("slack-business-hours.json", d1, 1, &a);
    run_preset("slack-business-hours.json", d2, 1, &b);
    for (size_t i = 0; i < NHARM; i++) {
        const struct stats_summary *x = &a.sum[harm[i]], *y = &b.sum[harm[i]];
        print_message("  %-32s 1d %.4g [%.4g, %.4g]   2d %.4g [%.4g, %.4g]\n",
                      metric_table[harm[i]].name, x->mean, x->ci_lo, x->ci_hi, y->mean,
                      y->ci_lo, y->ci_hi);
    }
    /* exactly: both windows end settle_s after the rollout settled, well
     * within 1 d, and the rollout-free replications stop there */
    for (int r = 0; r < REPS; r++)
        for (size_t i = 0; i < NHARM; i++)
            assert_true(a.values[(size_t)r * METRIC_COUNT + harm[i]] ==
                        b.values[(size_t)r * METRIC_COUNT + harm[i]]);
    run_result_fini(&a);
    run_result_fini(&b);
}

static void after_hours_harms_less(void **state)
{
    (void)state;
    struct run_result bh, ah;
    run_preset("slack-business-hours.json", NULL, 0, &bh);
    run_preset("slack-after-hours.json", NULL, 0, &ah);
    /* paired by replication: the same seed, so the same draws */
    double d[REPS];
    for (enum metric m = METRIC_HARM_OTHER_THROTTLED; m <= METRIC_HARM_BG_THROTTLED; m++) {
        for (int k = 0; k < REPS; k++)
            d[k] = ah.values[(size_t)k * METRIC_COUNT + m] -
                   bh.values[(size_t)k * METRIC_COUNT + m];
        struct stats_summary s;
        stats_summarize(d, REPS, &s);
        print_message("  %-32s business %.1f  after %.1f  after - business %.1f, 95%% CI "
                      "[%.1f, %.1f]\n",
                      metric_table[m].name, bh.sum[m].mean, ah.sum[m].mean, s.mean, s.ci_lo,
                      s.ci_hi);
        if (!(s.ci_hi < 0.0))
            fail_msg("%s: after hours not below business hours (CI [%g, %g])",
                     metric_table[m].name, s.ci_lo, s.ci_hi);
    }
    run_result_fini(&bh);
    run_result_fini(&ah);
}

static void no_counterfactual_without_others(void **state)
{
    (void)state;
    /* no background and no other clients: nothing to harm, no extra run */
    struct run_result r;
    char path[1024] = SRC "/configs/entra-id-github-emu.json", err[SCN_ERRLEN];
    struct scenario s;
    assert_int_equal(scn_load(path, NULL, 0, &s, err, sizeof err), 0);
    assert_false(s.background.enabled || s.other.enabled);
    struct run_opts o = {.reps = 2, .seed = 1};
    assert_int_equal(run_scenario(&s, &o, &r), 0);
    for (size_t i = 0; i < NHARM; i++)
        assert_true(r.sum[harm[i]].max == 0.0 && r.sum[harm[i]].min == 0.0);
    run_result_fini(&r);
    scn_fini(&s);
}

/* Runs that differ only in their rollouts share the rollout-free
 * replications (twins.h): the same values, bytes for bytes, as each run
 * with its own; and a horizon "auto" scenario is not eligible. */
static void shared_twins_give_the_same_values(void **state)
{
    (void)state;
    const char *cells[][2] = {{"workload.rollouts[0].batch_size=250", "workload.rollouts[0].at=10:00"},
                              {"workload.rollouts[0].batch_size=1000", "workload.rollouts[0].at=19:00"}};
    char path[1024], err[SCN_ERRLEN];
    snprintf(path, sizeof path, SRC "/configs/slack-business-hours.json");
    struct scenario s0;
    if (scn_load(path, cells[0], 2, &s0, err, sizeof err))
        fail_msg("%s", err);
    assert_true(run_twins_apply(&s0));
    struct run_twins *tw = run_twins_create(&s0, s0.seed, 4);
    for (int c = 0; c < 2; c++) {
        struct scenario s;
        if (scn_load(path, cells[c], 2, &s, err, sizeof err))
            fail_msg("%s", err);
        struct run_result own, shared;
        struct run_opts o = {.reps = 4, .seed = s.seed, .threads = 2};
        assert_int_equal(run_scenario(&s, &o, &own), 0);
        o.twins = tw;
        assert_int_equal(run_scenario(&s, &o, &shared), 0);
        assert_memory_equal(own.values, shared.values, 4 * METRIC_COUNT * sizeof(double));
        /* the shared run did no rollout-free work of its own */
        assert_true(own.rf_events > 0);
        assert_int_equal(shared.rf_events, 0);
        assert_true(own.sum[METRIC_HARM_OTHER_THROTTLED].mean > 0);
        run_result_fini(&own);
        run_result_fini(&shared);
        scn_fini(&s);
    }
    run_twins_free(tw);
    s0.horizon_auto = 1;
    assert_false(run_twins_apply(&s0));
    scn_fini(&s0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_user_does_no_harm),
        cmocka_unit_test(harm_does_not_depend_on_the_horizon),
        cmocka_unit_test(after_hours_harms_less),
        cmocka_unit_test(no_counterfactual_without_others),
        cmocka_unit_test(shared_twins_give_the_same_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

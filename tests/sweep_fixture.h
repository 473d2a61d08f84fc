/* sweep_fixture.h -- what the in-process sweep tests (test_sweep,
 * test_sweep_tasks) share: a temporary directory with the tiny scenario
 * and two axes over it, and a sweep_run that checks its return code
 * (include after cmocka.h, cli_helpers.h and scenario_helpers.h). */
#ifndef PROVSIM_TEST_SWEEP_FIXTURE_H
#define PROVSIM_TEST_SWEEP_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "plan/sweep.h"

struct fixture {
    char *dir;      /* temporary directory */
    char *scenario; /* dir/tiny.json */
    struct sweep_axis axes[2];
};

/* A fixture in a new temporary directory named after tmp: the scenario
 * text, batch sizes 50 and 200, and the second axis axis2. 0, or -1 if an
 * axis does not parse. */
static inline int fixture_setup(void **state, const char *tmp, const char *scenario_text,
                                const char *axis2)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->dir = th_tmpdir(tmp);
    f->scenario = th_path(f->dir, "tiny.json");
    th_write(f->scenario, scenario_text);
    char err[256];
    if (sweep_axis_parse("workload.rollouts[0].batch_size=50,200", &f->axes[0], err,
                         sizeof err) ||
        sweep_axis_parse(axis2, &f->axes[1], err, sizeof err))
        return -1;
    *state = f;
    return 0;
}

static inline int fixture_teardown(void **state)
{
    struct fixture *f = *state;
    th_rmtree(f->dir);
    free(f->dir);
    free(f->scenario);
    sweep_axis_fini(&f->axes[0]);
    sweep_axis_fini(&f->axes[1]);
    free(f);
    return 0;
}

/* sweep_run of o, which must return want_rc; its message (caller frees).
 * The sweep goes to *sw_out, or is freed when sw_out is NULL. */
static inline char *run_sweep(const struct sweep_opts *o, int want_rc, struct sweep *sw_out)
{
    struct sweep sw;
    char err[2048] = "";
    int rc = sweep_run(o, &sw, err, sizeof err);
    if (rc != want_rc)
        fail_msg("sweep_run returned %d (%s), expected %d", rc, err, want_rc);
    if (sw_out)
        *sw_out = sw;
    else
        sweep_fini(&sw);
    return strdup(err);
}

#endif

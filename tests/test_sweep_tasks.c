/* test_sweep_tasks.c -- a sweep split into tasks: the units and their
 * deal, task journals, --merge giving the single process's bytes, and
 * the refusals (missing, duplicated, foreign tasks); Slurm's array
 * variables and shell quoting for --emit-slurm. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cli/cluster.h"
#include "cli_helpers.h"
#include "scenario_helpers.h"
#include "plan/sweep.h"
#include "plan/sweep_internal.h"
#include "sweep_fixture.h"

/* Small and quick: a few hundred jobs against one token bucket. */
static const char tiny_json[] = TH_TINY_SCENARIO("tiny tasks", "3");

/* ---- the plan ---------------------------------------------------------------- */

/* A plan over hand-made cells: reps[i] replications costing cost[i] each. */
static void plan_of(int ncells, const int *reps, const uint64_t *cost, int precision, int ntasks,
                    struct sweep_plan *p)
{
    struct sweep_opts o = {.precision = precision ? 0.05 : 0};
    struct sweep sw = {.ncells = ncells};
    struct sweep_ctx c = {.o = &o, .sw = &sw, .cell_reps = (int *)reps,
                          .cell_cost = (uint64_t *)cost};
    sweep_plan_build(&c, ntasks, p);
}

static void plan_covers_and_balances(void **state)
{
    (void)state;
    const int reps[] = {10, 10, 3, 1, 7, 30};
    const uint64_t cost[] = {100, 1, 50, 1000, 7, 20};
    const int ncells = 6;
    for (int n = 1; n <= 40; n++) {
        struct sweep_plan p, q;
        plan_of(ncells, reps, cost, 0, n, &p);
        plan_of(ncells, reps, cost, 0, n, &q);
        /* the same sweep and N: the same plan, whoever computes it */
        assert_int_equal(p.nunits, q.nunits);
        assert_memory_equal(p.units, q.units, (size_t)p.nunits * sizeof *p.units);
        /* each cell: ceil(4N / cells) blocks (at most one per replication)
         * covering 0..R-1 once, in order */
        int want_blocks = (4 * n + ncells - 1) / ncells;
        int u = 0;
        for (int i = 0; i < ncells; i++) {
            int blocks = 0, next = 0;
            for (; u < p.nunits && p.units[u].cell == i; u++, blocks++) {
                assert_int_equal(p.units[u].first, next);
                assert_true(p.units[u].reps >= 1);
                assert_true(p.units[u].cost == (uint64_t)p.units[u].reps * cost[i]);
                assert_int_equal(sweep_plan_find(&p, i, next), u);
                next += p.units[u].reps;
            }
            assert_int_equal(next, reps[i]);
            assert_int_equal(blocks, want_blocks < reps[i] ? want_blocks : reps[i]);
        }
        assert_int_equal(u, p.nunits);
        /* largest first, each to the least loaded task: no task ends more
         * than one unit's cost above the mean (the task that got its last
         * unit was then at or below the mean) */
        uint64_t total = 0, biggest = 0, load[40] = {0};
        for (int k = 0; k < p.nunits; k++) {
            assert_true(p.units[k].task >= 0 && p.units[k].task < n);
            load[p.units[k].task] += p.units[k].cost;
            total += p.units[k].cost;
            biggest = p.units[k].cost > biggest ? p.units[k].cost : biggest;
            if (k > 0)
                assert_true(p.units[p.order[k - 1]].cost >= p.units[p.order[k]].cost);
        }
        for (int t = 0; t < n; t++)
            assert_true((double)load[t] <= (double)total / n + (double)biggest);
        sweep_plan_fini(&p);
        sweep_plan_fini(&q);
    }
    /* --precision: whole cells, its rule is sequential */
    struct sweep_plan p;
    plan_of(ncells, reps, cost, 1, 16, &p);
    assert_int_equal(p.nunits, ncells);
    for (int i = 0; i < ncells; i++)
        assert_int_equal(p.units[i].reps, reps[i]);
    sweep_plan_fini(&p);
}

/* The scenario text with --set assignments applied. */
static void build(const char *text, const char *set, struct scenario *s)
{
    char err[SCN_ERRLEN];
    scn_doc *d = scn_doc_parse(text, strlen(text), err, sizeof err);
    assert_non_null(d);
    if (set && scn_doc_set(d, set, err, sizeof err))
        fail_msg("%s: %s", set, err);
    if (scn_from_doc(d, s, err, sizeof err))
        fail_msg("%s", err);
    scn_doc_free(d);
}

/* sweep_cell_cost: a rollout alone costs its users times the recipe's
 * requests, so twice the users cost twice as much; background jobs and
 * other clients add to it. */
static void cell_cost_follows_the_scenario(void **state)
{
    (void)state;
    /* tiny_json without its background and other clients */
    char *alone = strdup(tiny_json);
    strcpy(strstr(alone, ",  \"background\""), "}}");
    struct scenario s;
    uint64_t c[3];
    build(alone, NULL, &s);
    c[0] = sweep_cell_cost(&s);
    assert_true(c[0] == 400 * (uint64_t)s.client.recipe[s.rollouts[0].kind].n);
    scn_fini(&s);
    build(alone, "workload.rollouts[0].users=800", &s);
    c[1] = sweep_cell_cost(&s);
    scn_fini(&s);
    build(tiny_json, NULL, &s);
    c[2] = sweep_cell_cost(&s);
    scn_fini(&s);
    printf("cost per replication: %llu, %llu, %llu\n", (unsigned long long)c[0],
           (unsigned long long)c[1], (unsigned long long)c[2]);
    assert_true(c[1] == 2 * c[0]);
    assert_true(c[2] > c[0]);
    free(alone);
}

/* ---- tasks and the merge ----------------------------------------------------- */

static int setup(void **state)
{
    return fixture_setup(state, "tasks", tiny_json,
                         "workload.rollouts[0].at=09:00..11:00/1h+seed=1..3/1");
}

static int teardown(void **state)
{
    return fixture_teardown(state);
}

static struct sweep_opts opts(struct fixture *f, const char *out)
{
    struct sweep_opts o = {.scenario = f->scenario, .axes = f->axes, .naxes = 2, .reps = 5,
                           .seed = -1, .jobs = 2, .out_dir = out};
    return o;
}

/* sweep_merge of dir: its rc and message. */
static char *merge(const char *dir, int want_rc)
{
    struct sweep_merged m;
    struct sweep sw;
    char err[2048] = "";
    int rc = sweep_merge(dir, &m, &sw, err, sizeof err);
    if (rc != want_rc)
        fail_msg("sweep_merge returned %d (%s), expected %d", rc, err, want_rc);
    printf("merge %s: %s\n", dir, rc ? err : "ok");
    sweep_fini(&sw);
    sweep_merged_fini(&m);
    return strdup(err);
}

/* Every task of an n-task split of o into dir. */
static void run_tasks(struct sweep_opts o, const char *dir, int n)
{
    o.out_dir = dir;
    o.ntasks = n;
    for (int k = 0; k < n; k++) {
        o.task = k;
        free(run_sweep(&o, SWEEP_OK, NULL));
    }
}

static void same_file(const char *a, const char *b, const char *name)
{
    char *pa = th_path(a, name), *pb = th_path(b, name);
    char *ta = th_read(pa), *tb = th_read(pb);
    assert_non_null(ta);
    assert_non_null(tb);
    if (strcmp(ta, tb) != 0)
        fail_msg("%s differs from %s", pb, pa);
    free(ta);
    free(tb);
    free(pa);
    free(pb);
}

static void merge_gives_single_process_bytes(void **state)
{
    struct fixture *f = *state;
    char *one = th_path(f->dir, "one");
    struct sweep_opts o = opts(f, one);
    free(run_sweep(&o, SWEEP_OK, NULL));
    /* 6 cells of 5 replications: 1 task (whole cells), 3 (2 blocks a
     * cell), 7 (5 blocks) and 40 (one replication a unit, more tasks
     * than units: some tasks have none) */
    const int splits[] = {1, 3, 7, 40};
    for (size_t i = 0; i < sizeof splits / sizeof splits[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "split%d", splits[i]);
        char *d = th_path(f->dir, name);
        run_tasks(o, d, splits[i]);
        char *j = th_path(d, "journal");
        assert_int_equal(th_count(j, "task-"), splits[i]);
        char *csvp = th_path(d, "sweep.csv");
        assert_false(th_exists(csvp)); /* tasks write only their journals */
        free(csvp);
        free(merge(d, SWEEP_OK));
        same_file(one, d, "sweep.csv");
        same_file(one, d, "sweep.json");
        free(j);
        free(d);
    }
    /* every axis inside workload.rollouts: the cells share their
     * rollout-free replications (run/twins.h), in one process and in
     * each task alike */
    struct sweep_opts r = opts(f, NULL);
    r.naxes = 1;
    char *t1 = th_path(f->dir, "twins1"), *t3 = th_path(f->dir, "twins3");
    r.out_dir = t1;
    free(run_sweep(&r, SWEEP_OK, NULL));
    run_tasks(r, t3, 3);
    free(merge(t3, SWEEP_OK));
    same_file(t1, t3, "sweep.csv");
    same_file(t1, t3, "sweep.json");
    free(t1);
    free(t3);
    /* --precision: whole cells, stopped where the single process stops */
    o.precision = 0.5;
    o.reps = 20;
    char *p1 = th_path(f->dir, "p1"), *p2 = th_path(f->dir, "p2");
    o.out_dir = p1;
    free(run_sweep(&o, SWEEP_OK, NULL));
    run_tasks(o, p2, 4);
    free(merge(p2, SWEEP_OK));
    same_file(p1, p2, "sweep.csv");
    same_file(p1, p2, "sweep.json");
    free(p1);
    free(p2);
    free(one);
}

static void task_resumes_its_own_journal(void **state)
{
    struct fixture *f = *state;
    char *one = th_path(f->dir, "one"), *d = th_path(f->dir, "resume");
    struct sweep_opts o = opts(f, one);
    free(run_sweep(&o, SWEEP_OK, NULL));
    o.out_dir = d;
    o.ntasks = 2;
    o.task = 1;
    o.stop_after = 2; /* as a kill would: 2 units saved */
    char *msg = run_sweep(&o, SWEEP_INTERRUPTED, NULL);
    printf("%s\n", msg);
    assert_non_null(strstr(msg, "of task 1 saved"));
    free(msg);
    /* a torn last line (an append cut short) is dropped on resume */
    char *path = th_path(d, "journal/task-0001-of-0002.jsonl");
    FILE *fp = fopen(path, "a");
    fputs("{\"fingerprint\": \"cut sh", fp);
    fclose(fp);
    o.stop_after = 0;
    struct sweep sw;
    free(run_sweep(&o, SWEEP_OK, &sw));
    assert_int_equal(sw.loaded, 2);
    assert_int_equal(sw.ran, sw.task_units - 2);
    sweep_fini(&sw);
    /* the merge names the task not yet run */
    msg = merge(d, SWEEP_BAD_INPUT);
    assert_non_null(strstr(msg, "task 0 (no task-0000-of-0002.jsonl)"));
    free(msg);
    o.task = 0;
    free(run_sweep(&o, SWEEP_OK, NULL));
    free(merge(d, SWEEP_OK));
    same_file(one, d, "sweep.csv");
    same_file(one, d, "sweep.json");
    free(path);
    free(one);
    free(d);
}

/* cp src dst */
static void copy(const char *src, const char *dst)
{
    char *t = th_read(src);
    assert_non_null(t);
    th_write(dst, t);
    free(t);
}

static void merge_refuses_missing_duplicated_foreign(void **state)
{
    struct fixture *f = *state;
    char *d = th_path(f->dir, "bad"), *j = th_path(d, "journal");
    struct sweep_opts o = opts(f, d);
    run_tasks(o, d, 3);
    char *t0 = th_path(j, "task-0000-of-0003.jsonl"), *t1 = th_path(j, "task-0001-of-0003.jsonl"),
         *t2 = th_path(j, "task-0002-of-0003.jsonl"), *keep = th_path(f->dir, "keep.jsonl"),
         *keep1 = th_path(f->dir, "keep1.jsonl");
    copy(t2, keep);
    copy(t1, keep1);

    /* missing: task 2's journal */
    unlink(t2);
    char *msg = merge(d, SWEEP_BAD_INPUT);
    assert_non_null(strstr(msg, "task 2 (no task-0002-of-0003.jsonl)"));
    free(msg);
    char *csv = th_path(d, "sweep.csv");
    assert_false(th_exists(csv));

    /* duplicated: task 1's journal again as task 2's */
    copy(t1, t2);
    msg = merge(d, SWEEP_BAD_INPUT);
    assert_non_null(strstr(msg, "duplicated task"));
    assert_non_null(strstr(msg, "task-0002-of-0003.jsonl"));
    free(msg);

    /* a unit twice in one journal */
    copy(keep, t2);
    char *text = th_read(t2);
    char *second = strchr(text, '\n') + 1;
    FILE *fp = fopen(t2, "a");
    fwrite(second, 1, (size_t)(strchr(second, '\n') + 1 - second), fp);
    fclose(fp);
    free(text);
    msg = merge(d, SWEEP_BAD_INPUT);
    assert_non_null(strstr(msg, "twice"));
    free(msg);

    /* a line no task wrote */
    copy(keep, t2);
    fp = fopen(t2, "a");
    fputs("not json\n", fp);
    fclose(fp);
    msg = merge(d, SWEEP_BAD_INPUT);
    assert_non_null(strstr(msg, "task-0002-of-0003.jsonl: line"));
    free(msg);

    /* another fingerprint: task 1 of the same grid with another --seed */
    copy(keep, t2);
    char *other = th_path(f->dir, "other");
    struct sweep_opts p = opts(f, other);
    p.seed = 99;
    p.ntasks = 3;
    p.task = 1;
    free(run_sweep(&p, SWEEP_OK, NULL));
    char *ot1 = th_path(other, "journal/task-0001-of-0003.jsonl");
    copy(ot1, t1);
    msg = merge(d, SWEEP_BAD_INPUT);
    assert_non_null(strstr(msg, "task-0001-of-0003.jsonl is not the sweep of"));
    assert_non_null(strstr(msg, "(changed: --seed)"));
    free(msg);
    /* ... and a task started with it into this directory is refused */
    p.out_dir = d;
    p.task = 2;
    msg = run_sweep(&p, SWEEP_BAD_INPUT, NULL);
    printf("%s\n", msg);
    assert_non_null(strstr(msg, "changed: --seed"));
    free(msg);
    /* a task of another split into the same directory too */
    p = opts(f, d);
    p.ntasks = 2;
    msg = run_sweep(&p, SWEEP_BAD_INPUT, NULL);
    printf("%s\n", msg);
    assert_non_null(strstr(msg, "split into 3 tasks, not 2"));
    free(msg);

    /* the scenario edited after the tasks ran */
    copy(keep1, t1);
    free(merge(d, SWEEP_OK));
    char *scen = th_read(f->scenario);
    fp = fopen(f->scenario, "a");
    fputs("\n", fp);
    fclose(fp);
    msg = merge(d, SWEEP_BAD_INPUT);
    assert_non_null(strstr(msg, "the scenario file's contents"));
    free(msg);
    th_write(f->scenario, scen);
    free(merge(d, SWEEP_OK));

    /* nothing to merge */
    char *empty = th_path(f->dir, "empty");
    msg = merge(empty, SWEEP_BAD_INPUT);
    assert_non_null(strstr(msg, "nothing to merge"));
    free(msg);
    free(empty);
    free(scen);
    free(ot1);
    free(other);
    free(csv);
    free(t0);
    free(t1);
    free(t2);
    free(keep);
    free(keep1);
    free(j);
    free(d);
}

/* ---- the command line's side --------------------------------------------------- */

static void slurm_variables(void **state)
{
    (void)state;
    int k = -1, n = -1;
    char err[512];
    assert_int_equal(cluster_slurm_task("0", "4", "0", NULL, &k, &n, err, sizeof err), 0);
    assert_int_equal(k, 0);
    assert_int_equal(n, 4);
    /* an array from 1 (--array=1-64) */
    assert_int_equal(cluster_slurm_task("64", "64", "1", "1", &k, &n, err, sizeof err), 0);
    assert_int_equal(k, 63);
    /* a stepped one (--array=0-14:2: 0, 2, ..., 14) */
    assert_int_equal(cluster_slurm_task("6", "8", "0", "2", &k, &n, err, sizeof err), 0);
    assert_int_equal(k, 3);
    assert_int_equal(n, 8);
    static const struct {
        const char *id, *count, *min, *step, *needle;
    } bad[] = {
        {NULL, "4", "0", NULL, "SLURM_ARRAY_TASK_ID is not set"},
        {"1", NULL, "0", NULL, "SLURM_ARRAY_TASK_COUNT is not set"},
        {"1", "4", NULL, NULL, "SLURM_ARRAY_TASK_MIN is not set"},
        {"x", "4", "0", NULL, "SLURM_ARRAY_TASK_ID=\"x\""},
        {"-1", "4", "0", NULL, "SLURM_ARRAY_TASK_ID=\"-1\""},
        {"1", "0", "0", NULL, "SLURM_ARRAY_TASK_COUNT=0"},
        {"4", "4", "0", NULL, "SLURM_ARRAY_TASK_ID=4 is not one of the 4 tasks"},
        {"0", "4", "1", NULL, "SLURM_ARRAY_TASK_ID=0"},
        {"3", "4", "0", "2", "SLURM_ARRAY_TASK_ID=3"},
        {"2", "4", "0", "0", "SLURM_ARRAY_TASK_STEP=\"0\""},
        {"1 ", "4", "0", NULL, "SLURM_ARRAY_TASK_ID=\"1 \""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        assert_int_equal(cluster_slurm_task(bad[i].id, bad[i].count, bad[i].min, bad[i].step, &k,
                                            &n, err, sizeof err),
                         -1);
        printf("%s\n", err);
        if (!strstr(err, bad[i].needle))
            fail_msg("\"%s\" lacks \"%s\"", err, bad[i].needle);
    }
}

/* Quoted words read back by a shell are the words. */
static void shell_quoting(void **state)
{
    (void)state;
    const char *words[] = {"plain", "with space", "it's", "$HOME", "a\"b", "`x`", "", "--x=1"};
    char *dir = th_tmpdir("quote");
    char *script = th_path(dir, "q.sh"), *out = th_path(dir, "out");
    FILE *f = fopen(script, "w");
    fputs("printf '%s\\n'", f);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        fputc(' ', f);
        cluster_shell_quote(f, words[i]);
    }
    fputc('\n', f);
    fclose(f);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "/bin/sh '%s' > '%s'", script, out);
    assert_int_equal(system(cmd), 0);
    char *got = th_read(out);
    char want[256] = "";
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        strcat(want, words[i]);
        strcat(want, "\n");
    }
    assert_string_equal(got, want);
    assert_int_equal(cluster_sbatch_value_ok("1-00:00:00"), 0);
    assert_int_equal(cluster_sbatch_value_ok("a b"), -1);
    assert_int_equal(cluster_sbatch_value_ok("x;rm"), -1);
    assert_int_equal(cluster_sbatch_value_ok(""), -1);
    free(got);
    th_rmtree(dir);
    free(dir);
    free(script);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plan_covers_and_balances),
        cmocka_unit_test(cell_cost_follows_the_scenario),
        cmocka_unit_test_setup_teardown(merge_gives_single_process_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(task_resumes_its_own_journal, setup, teardown),
        cmocka_unit_test_setup_teardown(merge_refuses_missing_duplicated_foreign, setup, teardown),
        cmocka_unit_test(slurm_variables),
        cmocka_unit_test(shell_quoting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_provenance.c -- every output records what was simulated: the
 * scenario file, the SHA-256 of its bytes (checked against Nettle through
 * a known vector), every --set in order, the seed, the replications and
 * the version; a scenario changed by --set is labelled by what it
 * simulates, and its file's notes are marked as written for the
 * unmodified file. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cli_helpers.h"
#include "base/digest.h"

#define SRC PROVSIM_SOURCE_DIR
#define BH SRC "/configs/slack-business-hours.json"
#define AH SRC "/configs/slack-after-hours.json"
#define USERS "workload.rollouts[0].users=12000"
#define BATCH "workload.rollouts[0].batch_size=2000"

static void sha256_of_known_vectors(void **state)
{
    (void)state;
    char hex[DIGEST_SHA256_HEX_LEN + 1];
    digest_sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    digest_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* The hex SHA-256 of a file's bytes. */
static void file_sha(const char *path, char hex[DIGEST_SHA256_HEX_LEN + 1])
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    digest_sha256_hex(buf, n, hex);
}

/* Asserts that text holds needle (and prints where it looked if not). */
static void holds(const char *what, const char *text, const char *needle)
{
    if (!text || !strstr(text, needle))
        fail_msg("%s lacks \"%s\"", what, needle);
}

static void compare_records_overrides_and_sha(void **state)
{
    (void)state;
    char *dir = th_tmpdir("prov-cmp");
    char *out = th_path(dir, "D"), *so = th_path(dir, "stdout"), *se = th_path(dir, "stderr");
    char *argv[] = {"provsim", "compare", BH, AH, "--set", USERS, "--set", BATCH,
                    "--reps", "2", "--out", out, NULL};
    assert_int_equal(th_run(argv, so, se), 0);
    char *rargv[] = {"provsim", "report", out, NULL};
    assert_int_equal(th_run(rargv, so, se), 0);
    char sha_bh[65], sha_ah[65];
    file_sha(BH, sha_bh);
    file_sha(AH, sha_ah);
    char *jp = th_path(out, "compare.json"), *mp = th_path(out, "report.md");
    char *js = th_read(jp), *md = th_read(mp);
    holds("compare.json", js, sha_bh);
    holds("compare.json", js, sha_ah);
    holds("compare.json", js, "\"" USERS "\"");
    holds("compare.json", js, "\"" BATCH "\"");
    holds("compare.json", js, "\"provenance\"");
    /* labels from the effective scenario, not the file's "5,000-user" */
    holds("compare.json", js, "12,000 create jobs from Tue 10:00, 6 batches of 2,000");
    holds("compare.json", js, "12,000 create jobs from Tue 19:00, 6 batches of 2,000");
    holds("report.md", md, sha_bh);
    holds("report.md", md, "users=12000");
    holds("report.md", md, "12,000 create jobs");
    /* the --set appear in order */
    assert_true(strstr(js, "users=12000") < strstr(js, "batch_size=2000"));
    free(js);
    free(md);
    free(jp);
    free(mp);
    th_rmtree(dir);
    free(dir);
    free(out);
    free(so);
    free(se);
}

static void sweep_records_overrides_and_sha(void **state)
{
    (void)state;
    char *dir = th_tmpdir("prov-sweep");
    char *out = th_path(dir, "S"), *so = th_path(dir, "stdout"), *se = th_path(dir, "stderr");
    char *argv[] = {"provsim", "sweep", BH, "--set", USERS, "--vary",
                    "workload.rollouts[0].batch_size=1000,2000", "--reps", "2", "--jobs", "1",
                    "--out", out, NULL};
    assert_int_equal(th_run(argv, so, se), 0);
    char *rargv[] = {"provsim", "report", out, NULL};
    assert_int_equal(th_run(rargv, so, se), 0);
    char sha[65];
    file_sha(BH, sha);
    char *jp = th_path(out, "sweep.json"), *mp = th_path(out, "report.md");
    char *js = th_read(jp), *md = th_read(mp);
    holds("sweep.json", js, sha);
    holds("sweep.json", js, "\"" USERS "\"");
    holds("sweep.json", js, "\"version\":\t\"" PROVSIM_VERSION "\"");
    holds("sweep.json", js, "with --set " USERS);
    holds("report.md", md, sha);
    holds("report.md", md, "users=12000");
    free(js);
    free(md);
    free(jp);
    free(mp);
    th_rmtree(dir);
    free(dir);
    free(out);
    free(so);
    free(se);
}

static void run_out_records_overrides_and_marks_the_notes(void **state)
{
    (void)state;
    char *dir = th_tmpdir("prov-run");
    char *out = th_path(dir, "R"), *so = th_path(dir, "stdout"), *se = th_path(dir, "stderr");
    char *argv[] = {"provsim", "run", BH, "--set", USERS, "--set", BATCH, "--reps", "2",
                    "--seed", "3", "--out", out, NULL};
    assert_int_equal(th_run(argv, so, se), 0);
    char *rargv[] = {"provsim", "report", out, NULL};
    assert_int_equal(th_run(rargv, so, se), 0);
    char sha[65];
    file_sha(BH, sha);
    char *text = th_read(so);
    char *mp = th_path(out, "meta.json"), *rp = th_path(out, "run.json"),
         *dp = th_path(out, "report.md");
    char *meta = th_read(mp), *run = th_read(rp), *md = th_read(dp);
    holds("meta.json", meta, sha);
    holds("meta.json", meta, "\"" USERS "\"");
    holds("meta.json", meta, "\"source\":\t\"" BH "\"");
    holds("run.json", run, "\"" BATCH "\"");
    holds("run.json", run, "\"seed\":\t3");
    holds("run.json", run, "\"replications\":\t2");
    holds("report.md", md, sha);
    holds("report.md", md, "written for the unmodified file");
    holds("report.md", md, "12,000 create jobs");
    free(text);
    free(meta);
    free(run);
    free(md);
    free(mp);
    free(rp);
    free(dp);
    /* the text summary, and the built-in default named as such */
    char *dargv[] = {"provsim", "run", "--reps", "2", "--set", USERS, NULL};
    assert_int_equal(th_run(dargv, so, se), 0);
    text = th_read(so);
    holds("text summary", text, "from built-in default (SHA-256 ");
    holds("text summary", text, "--set " USERS "\n");
    holds("text summary", text, "12,000 create jobs from Tue 10:00");
    free(text);
    /* a --set value is command-line text: its control characters never
     * reach the terminal */
    char *cargv[] = {"provsim", "run", "--reps", "1", "--set", "name=a\x1b[2Jb", NULL};
    assert_int_equal(th_run(cargv, so, se), 0);
    text = th_read(so);
    holds("text summary", text, "--set name=a?[2Jb\n");
    assert_null(strchr(text, '\x1b'));
    free(text);
    th_rmtree(dir);
    free(dir);
    free(out);
    free(so);
    free(se);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha256_of_known_vectors),
        cmocka_unit_test(compare_records_overrides_and_sha),
        cmocka_unit_test(sweep_records_overrides_and_sha),
        cmocka_unit_test(run_out_records_overrides_and_marks_the_notes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

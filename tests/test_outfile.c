/* test_outfile.c -- the atomic writer (base/outfile.h): a file is complete
 * or absent; init's commit never replaces a file; and the registry a
 * signal handler uses removes exactly the unfinished files and remembers
 * the committed ones. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/outfile.h"
#include "cli_helpers.h"

/* Entries of dir, temporary files included ("." and ".." not). */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static void commit_and_abort(void **state)
{
    (void)state;
    char *dir = th_tmpdir("outfile");
    char *a = th_path(dir, "a.csv"), *b = th_path(dir, "b.csv"), err[256];
    struct outfile oa, ob;
    assert_int_equal(outfile_open(&oa, a, err, sizeof err), 0);
    assert_int_equal(outfile_open(&ob, b, err, sizeof err), 0);
    fputs("x\n", oa.f);
    fputs("y\n", ob.f);
    assert_false(th_exists(a)); /* only the temporary name, until the commit */
    assert_int_equal(outfile_commit(&oa, err, sizeof err), 0);
    outfile_abort(&ob);
    assert_true(th_exists(a));
    assert_false(th_exists(b));
    assert_int_equal(entries(dir), 1); /* no .tmp left either */
    unlink(a);
    rmdir(dir);
    free(a);
    free(b);
    free(dir);
}

static void commit_new_never_replaces(void **state)
{
    (void)state;
    char *dir = th_tmpdir("outfile");
    char *a = th_path(dir, "a.json"), err[256];
    th_write(a, "old\n");
    struct outfile o;
    assert_int_equal(outfile_open(&o, a, err, sizeof err), 0);
    fputs("new\n", o.f);
    assert_int_equal(outfile_commit_new(&o, err, sizeof err), OUTFILE_EXISTS);
    assert_non_null(strstr(err, "already exists"));
    char *text = th_read(a);
    assert_string_equal(text, "old\n");
    free(text);
    unlink(a);
    assert_int_equal(outfile_open(&o, a, err, sizeof err), 0);
    fputs("new\n", o.f);
    assert_int_equal(outfile_commit_new(&o, err, sizeof err), 0);
    text = th_read(a);
    assert_string_equal(text, "new\n");
    free(text);
    assert_int_equal(entries(dir), 1); /* the temporary link is gone */
    unlink(a);
    rmdir(dir);
    free(a);
    free(dir);
}

/* What the SIGINT handler does, called directly: the open files' temporary
 * names go, the committed file stays and is named. */
static void registry_for_signals(void **state)
{
    (void)state;
    char *dir = th_tmpdir("outfile");
    char *a = th_path(dir, "kept.csv"), *b = th_path(dir, "open1.csv"),
         *c = th_path(dir, "open2.csv"), err[256];
    int kept_before = outfile_kept_count();
    struct outfile oa, ob, oc;
    assert_int_equal(outfile_open(&oa, a, err, sizeof err), 0);
    assert_int_equal(outfile_open(&ob, b, err, sizeof err), 0);
    assert_int_equal(outfile_open(&oc, c, err, sizeof err), 0);
    assert_int_equal(outfile_commit(&oa, err, sizeof err), 0);
    assert_int_equal(outfile_remove_unfinished(), 2);
    assert_int_equal(outfile_kept_count(), kept_before + 1);
    assert_string_equal(outfile_kept(kept_before), a);
    assert_null(outfile_kept(kept_before + 1));
    /* only kept.csv is left in the directory */
    assert_int_equal(entries(dir), 1);
    assert_true(th_exists(a));
    outfile_abort(&ob);
    outfile_abort(&oc);
    assert_int_equal(outfile_remove_unfinished(), 0); /* aborted: out of the registry */
    unlink(a);
    rmdir(dir);
    free(a);
    free(b);
    free(c);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(commit_and_abort),
        cmocka_unit_test(commit_new_never_replaces),
        cmocka_unit_test(registry_for_signals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

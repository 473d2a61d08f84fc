/* test_progress.c -- the progress bar: its line, its rate limit and delay,
 * and that run and compare draw it on a terminal (stderr on a pseudo-
 * terminal) and print nothing of it when stderr is a file. */
#define _XOPEN_SOURCE 700 /* posix_openpt and co. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>

#include "base/progress.h"
#include "cli_helpers.h"

static char *file_text(FILE *f)
{
    fflush(f);
    long n = ftell(f);
    char *b = calloc((size_t)n + 1, 1);
    rewind(f);
    if (n > 0 && fread(b, 1, (size_t)n, f) != (size_t)n)
        fail_msg("short read");
    fseek(f, 0, SEEK_END);
    return b;
}

static void bar_line(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    struct progress p;
    progress_init(&p, f, "cells", 0.0);
    progress_draw(&p, 3, 12, 3, 12, 0);
    char *t = file_text(f);
    printf("%s\n", t);
    assert_non_null(strstr(t, "\r[=======>"));
    assert_non_null(strstr(t, "] 3/12 cells, 0:00 elapsed, ETA 0:00 "));
    size_t n = strlen(t);
    free(t);
    /* within 0.1 s of the last drawing: nothing, unless forced */
    progress_draw(&p, 4, 12, 4, 12, 0);
    t = file_text(f);
    assert_int_equal(strlen(t), n);
    free(t);
    progress_draw(&p, 12, 12, 12, 12, 1);
    t = file_text(f);
    assert_non_null(strstr(t, "[==============================] 12/12 cells"));
    free(t);
    /* wiped at the end: the line ends in a carriage return */
    progress_end(&p, 0);
    t = file_text(f);
    assert_int_equal(t[strlen(t) - 1], '\r');
    free(t);
    fclose(f);

    /* before its delay a bar draws nothing, and ends with nothing */
    f = tmpfile();
    progress_init(&p, f, "replications", 60.0);
    progress_draw(&p, 1, 2, 1, 2, 1);
    progress_end(&p, 0);
    t = file_text(f);
    assert_string_equal(t, "");
    free(t);
    fclose(f);
}

/* Runs argv with stderr on a new pseudo-terminal (stdout to /dev/null);
 * returns what the terminal received (caller frees) and the exit code. */
static char *run_on_tty(char *const argv[], int *code)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(m >= 0);
    assert_int_equal(grantpt(m), 0);
    assert_int_equal(unlockpt(m), 0);
    char *name = ptsname(m);
    assert_non_null(name);
    pid_t pid = fork();
    if (pid == 0) {
        int s = open(name, O_RDWR | O_NOCTTY);
        int nul = open("/dev/null", O_WRONLY);
        if (s < 0 || nul < 0)
            _exit(126);
        dup2(nul, 1);
        dup2(s, 2);
        close(m);
        execv(PROVSIM_BINARY, argv);
        _exit(127);
    }
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    for (;;) {
        struct pollfd pf = {m, POLLIN, 0};
        int r = poll(&pf, 1, 200);
        if (r > 0) {
            ssize_t got = read(m, b + n, cap - n - 1);
            if (got > 0) {
                n += (size_t)got;
                if (cap - n < 2)
                    b = realloc(b, cap *= 2);
                continue;
            }
            break; /* EIO once the child's end is closed */
        }
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid) {
            *code = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
            pid = -1;
            break;
        }
    }
    if (pid > 0) {
        int st;
        waitpid(pid, &st, 0);
        *code = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
    }
    close(m);
    b[n] = '\0';
    return b;
}

static void run_and_compare_on_a_terminal(void **state)
{
    (void)state;
    /* the bar from the start (else after 0.5 s, which a fast machine
     * might never reach), so a short run shows it whatever the speed */
    setenv("PROVSIM_PROGRESS_DELAY", "0", 1);
    char *run_argv[] = {"provsim", "run", "--reps", "6", "--jobs", "1", NULL};
    int code = -1;
    char *t = run_on_tty(run_argv, &code);
    assert_int_equal(code, 0);
    char *last = strrchr(t, '[');
    printf("run, last bar: %.90s\n", last ? last : "(none)");
    assert_non_null(strstr(t, "/6 replications, "));
    assert_non_null(strstr(t, " elapsed, ETA "));
    /* wiped before the summary: the last thing drawn is a blank line */
    size_t n = strlen(t);
    assert_true(n > 2 && t[n - 1] == '\r' && t[n - 2] == ' ');
    free(t);

    char *dir = th_tmpdir("progress");
    char *cmp_argv[] = {"provsim", "compare", PROVSIM_SOURCE_DIR "/configs/default.json",
                        "--reps", "4", "--jobs", "1", "--side", "a", "--side", "b",
                        "--set", "workload.rollouts[0].at=19:00", "--out", dir, NULL};
    t = run_on_tty(cmp_argv, &code);
    assert_int_equal(code, 0);
    last = strrchr(t, '[');
    printf("compare, last bar: %.90s\n", last ? last : "(none)");
    assert_non_null(strstr(t, "/8 replications, ")); /* both scenarios' */
    free(t);

    /* within the delay no bar shows at all (the default 0.5 s keeps quick
     * runs quiet; an hour here keeps this check independent of speed) */
    setenv("PROVSIM_PROGRESS_DELAY", "3600", 1);
    char *quick[] = {"provsim", "run", "--reps", "2", "--jobs", "1", NULL};
    t = run_on_tty(quick, &code);
    assert_int_equal(code, 0);
    assert_null(strstr(t, "replications, "));
    free(t);
    setenv("PROVSIM_PROGRESS_DELAY", "0", 1);

    /* stderr a file: no bar, even with no delay */
    char *out = th_path(dir, "out.txt"), *errf = th_path(dir, "err.txt");
    assert_int_equal(th_run(run_argv, out, errf), 0);
    t = th_read(errf);
    assert_non_null(t);
    assert_string_equal(t, "");
    free(t);
    th_rmtree(dir);
    free(dir);
    free(out);
    free(errf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bar_line),
        cmocka_unit_test(run_and_compare_on_a_terminal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

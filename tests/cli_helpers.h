/* cli_helpers.h -- temporary directories, files and running the built
 * provsim binary, for the sweep and compare tests. */
#ifndef PROVSIM_TEST_CLI_HELPERS_H
#define PROVSIM_TEST_CLI_HELPERS_H

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A new empty directory under /tmp (caller frees the string). */
static inline char *th_tmpdir(const char *tag)
{
    char buf[256];
    snprintf(buf, sizeof buf, "/tmp/provsim-%s-XXXXXX", tag);
    if (!mkdtemp(buf)) {
        perror("mkdtemp");
        abort();
    }
    return strdup(buf);
}

/* dir/name in a static-free buffer the caller frees. */
static inline char *th_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static inline void th_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        perror(path);
        abort();
    }
}

/* The whole file (caller frees), or NULL if it cannot be read. */
static inline char *th_read(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *b = malloc(cap);
    size_t got;
    while ((got = fread(b + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n < 2) {
            cap *= 2;
            b = realloc(b, cap);
        }
    }
    fclose(f);
    b[n] = '\0';
    return b;
}

static inline int th_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Files in dir whose name starts with prefix and has no ".tmp" in it. */
static inline int th_count(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0 && !strstr(e->d_name, ".tmp");
    closedir(d);
    return n;
}

/* rm -r of a test directory (two levels are all the tests make). */
static inline void th_rmtree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *p = th_path(dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            th_rmtree(p);
        else
            unlink(p);
        free(p);
    }
    closedir(d);
    rmdir(dir);
}

/* Starts PROVSIM_BINARY with argv (argv[0] is ignored) and stdout/stderr
 * going to the given files. Returns the pid. */
static inline pid_t th_spawn(char *const argv[], const char *out, const char *errf)
{
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        abort();
    }
    if (pid == 0) {
        int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int fe = open(errf, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fo < 0 || fe < 0)
            _exit(127);
        dup2(fo, 1);
        dup2(fe, 2);
        execv(PROVSIM_BINARY, argv);
        _exit(127);
    }
    return pid;
}

/* Exit status of pid: the exit code, or 128 + signal. */
static inline int th_wait(pid_t pid)
{
    int st;
    while (waitpid(pid, &st, 0) < 0)
        ;
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    return 128 + WTERMSIG(st);
}

/* Runs the binary to completion; out and err receive its output. */
static inline int th_run(char *const argv[], const char *out, const char *errf)
{
    return th_wait(th_spawn(argv, out, errf));
}

static inline void th_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

#endif

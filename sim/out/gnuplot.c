/* gnuplot.c -- see gnuplot.h. */
#include "out/gnuplot.h"

#include "out/plot_scripts.h"
#include "out/resultdir.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHART_WIDTH 1200
#define CHART_HEIGHT 700

/* ---- the program text ---------------------------------------------------- */

static void reserve(struct gp_text *b, size_t more)
{
    xgrow((void **)&b->p, &b->cap, b->n + more + 1, 1);
}

void gp_add(struct gp_text *b, const char *s)
{
    size_t n = strlen(s);
    reserve(b, n);
    memcpy(b->p + b->n, s, n + 1);
    b->n += n;
}

void gp_printf(struct gp_text *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
}

size_t gp_quote(char *buf, size_t len, const char *s)
{
    size_t n = 0;
#define PUT(ch)                                                                                   \
    do {                                                                                          \
        if (n + 1 < len)                                                                          \
            buf[n] = (ch);                                                                        \
        n++;                                                                                      \
    } while (0)
    /* runs of other characters go in single quotes; each apostrophe is the
     * double-quoted "'" (gnuplot 5.4 misreads two doubled quotes back to
     * back inside single quotes, so no apostrophe is escaped by doubling) */
    int open = 0, any = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\'') {
            if (open)
                PUT('\'');
            if (any) {
                PUT(' ');
                PUT('.');
                PUT(' ');
            }
            PUT('"');
            PUT('\'');
            PUT('"');
            open = 0;
        } else {
            if (!open) {
                if (any) {
                    PUT(' ');
                    PUT('.');
                    PUT(' ');
                }
                PUT('\'');
                open = 1;
            }
            PUT(*p < 0x20 || *p == 0x7f ? ' ' : (char)*p); /* a newline would end the command */
        }
        any = 1;
    }
    if (!any) {
        PUT('\'');
        PUT('\'');
    } else if (open) {
        PUT('\'');
    }
#undef PUT
    if (len > 0)
        buf[n < len ? n : len - 1] = '\0';
    return n;
}

void gp_add_quoted(struct gp_text *b, const char *s)
{
    size_t n = gp_quote(NULL, 0, s);
    reserve(b, n);
    gp_quote(b->p + b->n, n + 1, s);
    b->n += n;
}

void gp_var_str(struct gp_text *b, const char *name, const char *value)
{
    gp_printf(b, "%s = ", name);
    gp_add_quoted(b, value);
    gp_add(b, "\n");
}

void gp_var_num(struct gp_text *b, const char *name, double v)
{
    gp_printf(b, "%s = %.17g\n", name, isfinite(v) ? v : 0.0);
}

void gp_var_strs(struct gp_text *b, const char *name, const char *const *v, size_t n)
{
    gp_printf(b, "array %s[%zu]\n", name, n > 0 ? n : 1);
    for (size_t i = 0; i < n; i++) {
        gp_printf(b, "%s[%zu] = ", name, i + 1);
        gp_add_quoted(b, v[i]);
        gp_add(b, "\n");
    }
}

char *gp_shorten(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return xstrdup(s);
    size_t k = max - 3;
    while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
        k--; /* not inside a multi-byte character */
    char *p = xmalloc(k + 4);
    memcpy(p, s, k);
    memcpy(p + k, "...", 4);
    return p;
}

void gp_var_title(struct gp_text *b, const char *name, const char *value, size_t max)
{
    gp_printf(b, "%s = ", name);
    const char *p = value;
    for (int line = 0;; line++) {
        while (line && *p == ' ')
            p++;
        if (line)
            gp_add(b, " . \"\\n\" . ");
        if (strlen(p) <= max || line == GP_TITLE_LINES - 1 || max < 4) {
            char *t = gp_shorten(p, max < 4 ? 4 : max);
            gp_add_quoted(b, t);
            free(t);
            break;
        }
        /* the last space that keeps the line within max; a word longer
         * than a line is cut at a character boundary */
        size_t k = max;
        while (k > 0 && p[k] != ' ')
            k--;
        if (k == 0) {
            k = max;
            while (k > 0 && ((unsigned char)p[k] & 0xc0) == 0x80)
                k--;
        }
        char *t = xmalloc(k + 1);
        memcpy(t, p, k);
        t[k] = '\0';
        gp_add_quoted(b, t);
        free(t);
        p += k;
    }
    gp_add(b, "\n");
}

char *gp_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = xmalloc(n);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static const struct plot_script *script(const char *name)
{
    for (size_t i = 0; i < plot_nscripts; i++)
        if (!strcmp(plot_scripts[i].name, name))
            return &plot_scripts[i];
    return NULL;
}

/* ---- running gnuplot ------------------------------------------------------ */

int gp_find(char *out, size_t len)
{
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/local/bin:/usr/bin:/bin";
    char cwd[PATH_MAX];
    int have_cwd = getcwd(cwd, sizeof cwd) != NULL;
    for (const char *p = path;;) {
        const char *end = strchr(p, ':');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char cand[PATH_MAX];
        int w;
        if (n == 0) /* an empty entry means the current directory */
            w = have_cwd ? snprintf(cand, sizeof cand, "%s/gnuplot", cwd) : -1;
        else if (p[0] == '/')
            w = snprintf(cand, sizeof cand, "%.*s/gnuplot", (int)n, p);
        else
            w = have_cwd ? snprintf(cand, sizeof cand, "%s/%.*s/gnuplot", cwd, (int)n, p) : -1;
        struct stat st;
        if (w > 0 && (size_t)w < sizeof cand && stat(cand, &st) == 0 && S_ISREG(st.st_mode) &&
            access(cand, X_OK) == 0 && strlen(cand) < len) {
            memcpy(out, cand, strlen(cand) + 1);
            return 0;
        }
        if (!end)
            return -1;
        p = end + 1;
    }
}

/* A new empty file DIR/<prefix>XXXXXX; returns its path (caller owns) or
 * NULL with errno set. */
static char *temp_in(const char *dir, const char *prefix)
{
    size_t n = strlen(dir) + strlen(prefix) + 8;
    char *p = xmalloc(n);
    snprintf(p, n, "%s/%sXXXXXX", dir, prefix);
    int fd = mkstemp(p);
    if (fd < 0) {
        int e = errno;
        free(p);
        errno = e;
        return NULL;
    }
    fchmod(fd, 0644);
    close(fd);
    return p;
}

const char *gp_base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* The last non-empty line of gnuplot's messages: its error. */
static void last_line(const char *log, char *out, size_t len)
{
    const char *end = log + strlen(log);
    while (end > log && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
        end--;
    const char *start = end;
    while (start > log && start[-1] != '\n')
        start--;
    snprintf(out, len, "%.*s", (int)(end - start), start);
}

/* Writes text to a new file DIR/<prefix>XXXXXX; returns its path (caller
 * owns) or NULL with err. */
static char *temp_file(const char *dir, const char *prefix, const struct gp_text *text,
                       char *err, size_t errlen)
{
    char *p = temp_in(dir, prefix);
    if (!p) {
        snprintf(err, errlen, "%s: cannot write: %s", dir, strerror(errno));
        return NULL;
    }
    FILE *f = fopen(p, "w");
    int bad = !f || (text->n && fwrite(text->p, 1, text->n, f) != text->n);
    if (f && fclose(f) != 0)
        bad = 1;
    if (bad) {
        snprintf(err, errlen, "%s: cannot write: %s", p, strerror(errno));
        unlink(p);
        free(p);
        return NULL;
    }
    return p;
}

char *gp_write_temp(const char *dir, const struct gp_text *text, char *err, size_t errlen)
{
    return temp_file(dir, ".provsim-data-", text, err, errlen);
}

/* Starts gnuplot on the program file pf inside dir, with its standard
 * error on a pipe. Returns the child's pid with *fd the pipe's read end,
 * or -1 with err. */
static pid_t spawn(const char *exe, const char *dir, const char *pf, int *fd, char *err,
                   size_t errlen)
{
    /* everything the child needs is ready before fork: after it, only
     * async-signal-safe calls (a sweep may still have threads) */
    char *argv[] = {"gnuplot", (char *)gp_base_name(pf), NULL};
    int pfd[2];
    if (pipe(pfd) != 0) {
        snprintf(err, errlen, "cannot start gnuplot: %s", strerror(errno));
        return -1;
    }
    fcntl(pfd[0], F_SETFD, FD_CLOEXEC);
    pid_t pid = fork();
    if (pid == 0) {
        int nul = open("/dev/null", O_RDWR);
        if (nul < 0 || chdir(dir) != 0)
            _exit(126);
        dup2(nul, 0);
        dup2(nul, 1);
        dup2(pfd[1], 2);
        if (nul > 2)
            close(nul);
        if (pfd[1] > 2)
            close(pfd[1]);
        execv(exe, argv);
        _exit(127);
    }
    close(pfd[1]);
    if (pid < 0) {
        snprintf(err, errlen, "cannot start gnuplot: %s", strerror(errno));
        close(pfd[0]);
        return -1;
    }
    *fd = pfd[0];
    return pid;
}

/* Reads fd to its end into log (NUL-terminated), keeping the last part of
 * what gnuplot says: its error comes last. */
static void read_tail(int fd, char *log, size_t size)
{
    size_t n = 0;
    for (;;) {
        char chunk[4096]; /* < size */
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        size_t k = (size_t)r; /* < size: chunk is smaller */
        if (n + k > size - 1) {
            size_t drop = n + k - (size - 1);
            memmove(log, log + drop, n - drop);
            n -= drop;
        }
        memcpy(log + n, chunk, k);
        n += k;
    }
    log[n] = '\0';
}

/* Says why a gnuplot that did not exit 0 failed. */
static void failure(int status, const char *exe, const char *dir, const char *chart,
                    const char *log, char *err, size_t errlen)
{
    char line[512];
    last_line(log, line, sizeof line);
    if (WIFSIGNALED(status))
        snprintf(err, errlen, "gnuplot was killed (signal %d) drawing %s", WTERMSIG(status),
                 chart);
    else if (WEXITSTATUS(status) == 126)
        snprintf(err, errlen, "cannot enter %s to run gnuplot", dir);
    else if (WEXITSTATUS(status) == 127)
        snprintf(err, errlen, "cannot run %s", exe);
    else
        snprintf(err, errlen, "gnuplot failed drawing %s: %s", chart,
                 *line ? line : "(no message)");
}

/* Runs gnuplot on the program prog inside dir. Returns 0, or -1 with err. */
static int run_gnuplot(const char *exe, const char *dir, const char *chart,
                       const struct gp_text *prog, char *err, size_t errlen)
{
    char *pf = temp_file(dir, ".provsim-plot-", prog, err, errlen);
    if (!pf)
        return -1;
    int fd;
    pid_t pid = spawn(exe, dir, pf, &fd, err, errlen);
    if (pid < 0) {
        unlink(pf);
        free(pf);
        return -1;
    }
    char log[8192];
    read_tail(fd, log, sizeof log);
    close(fd);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    unlink(pf);
    free(pf);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    failure(status, exe, dir, chart, log, err, errlen);
    return -1;
}

int gp_draw(const struct gp_ctx *c, const char *chart, const char *name,
            const struct gp_text *vars, char *err, size_t errlen)
{
    static const char *const ext[2] = {RESDIR_PNG, RESDIR_SVG};
    const struct plot_script *common = script("common"), *body = script(name);
    if (!common || !body) {
        snprintf(err, errlen, "internal error: no plots/%s.gp compiled in", body ? "common" : name);
        return -1;
    }
    char *tmp[2] = {NULL, NULL};
    struct gp_text prog = {0};
    gp_add(&prog, "# written by provsim: variables, then each format's terminal and script\n");
    gp_add(&prog, vars->p ? vars->p : "");
    int rc = 0;
    for (int k = 0; k < 2 && rc == 0; k++) {
        char prefix[96];
        snprintf(prefix, sizeof prefix, ".%s.%s.", chart, ext[k]);
        tmp[k] = temp_in(c->dir, prefix);
        if (!tmp[k]) {
            snprintf(err, errlen, "%s: cannot write: %s", c->dir, strerror(errno));
            rc = -1;
            break;
        }
        if (k == 0)
            gp_printf(&prog,
                      "set terminal pngcairo size %d,%d font 'DejaVu Sans,12' noenhanced\n",
                      CHART_WIDTH, CHART_HEIGHT);
        else
            gp_printf(&prog,
                      "set terminal svg size %d,%d font 'DejaVu Sans,12' noenhanced dynamic "
                      "background '#ffffff'\n",
                      CHART_WIDTH, CHART_HEIGHT);
        gp_add(&prog, "set output ");
        gp_add_quoted(&prog, gp_base_name(tmp[k]));
        gp_add(&prog, "\nreset\n");
        gp_add(&prog, (const char *)common->text);
        gp_add(&prog, "\n");
        gp_add(&prog, (const char *)body->text);
        gp_add(&prog, "\nunset output\n");
    }
    if (rc == 0)
        rc = run_gnuplot(c->exe, c->dir, chart, &prog, err, errlen);
    for (int k = 0; k < 2 && rc == 0; k++) {
        struct stat st;
        char fname[96];
        resdir_chart_name(fname, sizeof fname, chart, ext[k]);
        char *final = gp_path(c->dir, fname);
        if (stat(tmp[k], &st) != 0 || st.st_size == 0) {
            snprintf(err, errlen, "gnuplot wrote no %s", fname);
            rc = -1;
        } else if (rename(tmp[k], final) != 0) {
            snprintf(err, errlen, "%s: cannot write: %s", final, strerror(errno));
            rc = -1;
        } else {
            free(tmp[k]);
            tmp[k] = NULL;
        }
        free(final);
    }
    for (int k = 0; k < 2; k++)
        if (tmp[k]) {
            unlink(tmp[k]);
            free(tmp[k]);
        }
    free(prog.p);
    if (rc == 0 && c->drawn && c->drawn->n < GP_MAX_DRAWN)
        snprintf(c->drawn->names[c->drawn->n++], sizeof c->drawn->names[0], "%s", chart);
    return rc;
}

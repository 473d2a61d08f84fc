/* plot.c -- see plot.h.
 *
 * A chart is one gnuplot run. Its program is written by this file: the
 * chart's variables (every string through plot_quote), then for PNG and
 * for SVG the terminal, a temporary output name, `reset`, plots/common.gp
 * and the chart's script. gnuplot runs with the result directory as its
 * working directory, its standard error captured; the two outputs are
 * renamed into place only when gnuplot exited 0 and wrote both. Data that
 * gnuplot cannot read directly (a sweep's grid) is first written by this
 * file to a temporary CSV in the directory, under a name of its own. So
 * the only text from outside that gnuplot ever sees as code is inside
 * single quotes.
 *
 * Time series are zoomed to where something happens (a backlog, failed
 * tasks or 429s), with a margin: a two-day horizon with a 90-minute
 * rollout would otherwise be a spike. The series files keep everything. */
#include "out/plot.h"

#include "out/jsonfile.h"
#include "out/plot_scripts.h"
#include "out/table.h"
#include "base/units.h"
#include "base/util.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHART_WIDTH 1200
#define CHART_HEIGHT 700
#define MAX_LINES 8          /* lines in the sweep chart before thinning */
#define MAX_LABELLED_CELLS 400
#define TITLE_MAX 96         /* bytes of a scenario name in a title */
#define LEGEND_MAX 80        /* bytes of a scenario name in a legend */

static const char install_hint[] = "install it with: apt-get install gnuplot-nox";

/* ---- strings ------------------------------------------------------------ */

struct sbuf {
    char *p;
    size_t n, cap;
};

static void sb_reserve(struct sbuf *b, size_t more)
{
    xgrow((void **)&b->p, &b->cap, b->n + more + 1, 1);
}

static void sb_add(struct sbuf *b, const char *s)
{
    size_t n = strlen(s);
    sb_reserve(b, n);
    memcpy(b->p + b->n, s, n + 1);
    b->n += n;
}

static void sb_printf(struct sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    sb_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
}

size_t plot_quote(char *buf, size_t len, const char *s)
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

static void sb_quote(struct sbuf *b, const char *s)
{
    size_t n = plot_quote(NULL, 0, s);
    sb_reserve(b, n);
    plot_quote(b->p + b->n, n + 1, s);
    b->n += n;
}

/* name = 'value' */
static void var_str(struct sbuf *b, const char *name, const char *value)
{
    sb_printf(b, "%s = ", name);
    sb_quote(b, value);
    sb_add(b, "\n");
}

static void var_num(struct sbuf *b, const char *name, double v)
{
    sb_printf(b, "%s = %.17g\n", name, isfinite(v) ? v : 0.0);
}

/* array name[n] of strings (gnuplot arrays need n >= 1) */
static void var_strs(struct sbuf *b, const char *name, const char *const *v, size_t n)
{
    sb_printf(b, "array %s[%zu]\n", name, n > 0 ? n : 1);
    for (size_t i = 0; i < n; i++) {
        sb_printf(b, "%s[%zu] = ", name, i + 1);
        sb_quote(b, v[i]);
        sb_add(b, "\n");
    }
}

/* s cut to at most max bytes at a UTF-8 character boundary, with "..."
 * when cut: gnuplot does not wrap titles, and a long scenario name would
 * run off the chart. Returns a new string (caller frees). */
static char *shorten(const char *s, size_t max)
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

/* name = 'value', shortened for a title line */
static void var_title(struct sbuf *b, const char *name, const char *value, size_t max)
{
    char *t = shorten(value, max);
    var_str(b, name, t);
    free(t);
}

static char *path_join(const char *dir, const char *name)
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

/* ---- gnuplot ---------------------------------------------------------- */

/* Looks for an executable gnuplot on PATH; the result is absolute, since
 * gnuplot runs in another directory. Returns 0 or -1. */
static int find_gnuplot(char *out, size_t len)
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

static const char *base_name(const char *path)
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

/* Runs gnuplot on the program prog inside dir. Returns 0, or -1 with err. */
static int run_gnuplot(const char *gp, const char *dir, const char *chart, const struct sbuf *prog,
                       char *err, size_t errlen)
{
    char *pf = temp_in(dir, ".provsim-plot-");
    if (!pf) {
        snprintf(err, errlen, "%s: cannot write: %s", dir, strerror(errno));
        return -1;
    }
    FILE *f = fopen(pf, "w");
    int bad = !f || fwrite(prog->p, 1, prog->n, f) != prog->n;
    if (f && fclose(f) != 0)
        bad = 1;
    if (bad) {
        snprintf(err, errlen, "%s: cannot write: %s", pf, strerror(errno));
        unlink(pf);
        free(pf);
        return -1;
    }
    /* everything the child needs is ready before fork: after it, only
     * async-signal-safe calls (a sweep may still have threads) */
    char *argv[] = {"gnuplot", (char *)base_name(pf), NULL};
    int pfd[2];
    if (pipe(pfd) != 0) {
        snprintf(err, errlen, "cannot start gnuplot: %s", strerror(errno));
        unlink(pf);
        free(pf);
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
        execv(gp, argv);
        _exit(127);
    }
    close(pfd[1]);
    if (pid < 0) {
        snprintf(err, errlen, "cannot start gnuplot: %s", strerror(errno));
        close(pfd[0]);
        unlink(pf);
        free(pf);
        return -1;
    }
    /* keep the last part of what gnuplot says: its error comes last */
    char log[8192]; /* > sizeof chunk */
    size_t n = 0;
    for (;;) {
        char chunk[4096];
        ssize_t r = read(pfd[0], chunk, sizeof chunk);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        size_t k = (size_t)r; /* < sizeof log: chunk is smaller */
        if (n + k > sizeof log - 1) {
            size_t drop = n + k - (sizeof log - 1);
            memmove(log, log + drop, n - drop);
            n -= drop;
        }
        memcpy(log + n, chunk, k);
        n += k;
    }
    log[n] = '\0';
    close(pfd[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    unlink(pf);
    free(pf);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    char line[512];
    last_line(log, line, sizeof line);
    if (WIFSIGNALED(status))
        snprintf(err, errlen, "gnuplot was killed (signal %d) drawing %s", WTERMSIG(status),
                 chart);
    else if (WEXITSTATUS(status) == 126)
        snprintf(err, errlen, "cannot enter %s to run gnuplot", dir);
    else if (WEXITSTATUS(status) == 127)
        snprintf(err, errlen, "cannot run %s", gp);
    else
        snprintf(err, errlen, "gnuplot failed drawing %s: %s", chart,
                 *line ? line : "(no message)");
    return -1;
}

struct ctx {
    const char *dir;
    char gp[PATH_MAX];
};

/* Draws DIR/<chart>.png and .svg with script `name` and the variables in
 * vars. Returns 0, or -1 with err. */
static int draw(const struct ctx *c, const char *chart, const char *name, const struct sbuf *vars,
                char *err, size_t errlen)
{
    static const char *const ext[2] = {RESDIR_PNG, RESDIR_SVG};
    const struct plot_script *common = script("common"), *body = script(name);
    if (!common || !body) {
        snprintf(err, errlen, "internal error: no plots/%s.gp compiled in", body ? "common" : name);
        return -1;
    }
    char *tmp[2] = {NULL, NULL};
    struct sbuf prog = {0};
    sb_add(&prog, "# written by provsim: variables, then each format's terminal and script\n");
    sb_add(&prog, vars->p ? vars->p : "");
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
            sb_printf(&prog,
                      "set terminal pngcairo size %d,%d font 'DejaVu Sans,12' noenhanced\n",
                      CHART_WIDTH, CHART_HEIGHT);
        else
            sb_printf(&prog,
                      "set terminal svg size %d,%d font 'DejaVu Sans,12' noenhanced dynamic "
                      "background '#ffffff'\n",
                      CHART_WIDTH, CHART_HEIGHT);
        sb_add(&prog, "set output ");
        sb_quote(&prog, base_name(tmp[k]));
        sb_add(&prog, "\nreset\n");
        sb_add(&prog, (const char *)common->text);
        sb_add(&prog, "\n");
        sb_add(&prog, (const char *)body->text);
        sb_add(&prog, "\nunset output\n");
    }
    if (rc == 0)
        rc = run_gnuplot(c->gp, c->dir, chart, &prog, err, errlen);
    for (int k = 0; k < 2 && rc == 0; k++) {
        struct stat st;
        char fname[96];
        resdir_chart_name(fname, sizeof fname, chart, ext[k]);
        char *final = path_join(c->dir, fname);
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
    return rc;
}

/* ---- time series -------------------------------------------------------- */

struct series {
    int64_t start;          /* naive local seconds since 1970 at t_s = 0 */
    double t_first, t_last; /* t_s of the first and last sample */
    double act_lo, act_hi;  /* t_s of the first and last busy sample; lo > hi: none */
    int other;              /* other clients received 429s */
    size_t rows;
};

/* Reads a series CSV (see runner.c) and finds where the action is: samples
 * with a backlog, failed tasks or 429s above 2% of their peak. */
static int series_scan(const char *path, struct series *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0, lineno = 1;
    if (getline(&line, &cap, f) < 0 || strncmp(line, "t_s,clock,", 10) != 0) {
        snprintf(err, errlen, "%s: not a provsim series file (no t_s,clock,... header)", path);
        free(line);
        fclose(f);
        return -1;
    }
    double *t = NULL, *busy = NULL, *thr = NULL;
    size_t n = 0, tcap = 0, bcap = 0, rcap = 0;
    double peak_busy = 0, peak_thr = 0;
    int rc = 0;
    while (getline(&line, &cap, f) >= 0) {
        lineno++;
        if (line[0] == '\n' || line[0] == '\0')
            continue;
        double v[10];
        char clock[32] = "";
        char *p = line, *end;
        int ok = 1;
        for (int k = 0; k < 10 && ok; k++) {
            if (k == 1) {
                size_t m = strcspn(p, ",");
                if (m == 0 || m >= sizeof clock || p[m] != ',') {
                    ok = 0;
                    break;
                }
                memcpy(clock, p, m);
                clock[m] = '\0';
                p += m + 1;
                continue;
            }
            errno = 0;
            v[k] = strtod(p, &end);
            if (end == p || errno || !isfinite(v[k]))
                ok = 0;
            else if (k < 9 && *end != ',')
                ok = 0;
            else if (k == 9 && *end != '\n' && *end != '\r' && *end != '\0')
                ok = 0;
            p = end + 1;
        }
        int64_t epoch;
        char e2[64];
        if (ok && units_parse_datetime(clock, &epoch, e2, sizeof e2) != 0)
            ok = 0;
        if (!ok) {
            snprintf(err, errlen, "%s: line %zu: not a series row", path, lineno);
            rc = -1;
            break;
        }
        if (n == 0) {
            s->start = epoch - (int64_t)floor(v[0]);
            s->t_first = v[0];
        }
        s->t_last = v[0];
        xgrow((void **)&t, &tcap, n + 1, sizeof *t);
        xgrow((void **)&busy, &bcap, n + 1, sizeof *busy);
        xgrow((void **)&thr, &rcap, n + 1, sizeof *thr);
        t[n] = v[0];
        busy[n] = v[2] + v[3] + v[5]; /* queued, waiting for retry, failed tasks */
        thr[n] = v[8] + v[9];
        if (v[9] > 0)
            s->other = 1;
        peak_busy = fmax(peak_busy, busy[n]);
        peak_thr = fmax(peak_thr, thr[n]);
        n++;
    }
    free(line);
    fclose(f);
    s->rows = n;
    s->act_lo = INFINITY;
    s->act_hi = -INFINITY;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        int active = (peak_busy > 0 && busy[i] >= fmax(1.0, 0.02 * peak_busy)) ||
                     (peak_thr > 0 && thr[i] >= fmax(1.0, 0.02 * peak_thr));
        if (active) {
            s->act_lo = fmin(s->act_lo, t[i]);
            s->act_hi = fmax(s->act_hi, t[i]);
        }
    }
    free(t);
    free(busy);
    free(thr);
    if (rc == 0 && n == 0) {
        snprintf(err, errlen, "%s: no samples", path);
        rc = -1;
    }
    return rc;
}

/* The x range to show, in seconds on the series' own clock (t_s + off):
 * the busy part with a margin, rounded out to a readable step; the whole
 * series when that is most of it anyway. */
static void series_window(double act_lo, double act_hi, double first, double last, double off,
                          double *x0, double *x1)
{
    double a = first, b = last;
    if (act_lo <= act_hi) {
        double pad = fmax(0.08 * (act_hi - act_lo), 600.0);
        double lo = fmax(first, act_lo - pad), hi = fmin(last, act_hi + pad);
        if (hi - lo < 0.8 * (last - first)) {
            a = lo;
            b = hi;
        }
    }
    double span = b - a;
    double step = span <= 3 * 3600.0    ? 600.0
                  : span <= 12 * 3600.0 ? 1800.0
                  : span <= 2 * 86400.0 ? 3600.0
                                        : 21600.0;
    *x0 = floor((a + off) / step) * step;
    *x1 = ceil((b + off) / step) * step;
    if (*x1 <= *x0)
        *x1 = *x0 + step;
}

static const char *scenario_name(const char *dir)
{
    static char name[1024];
    name[0] = '\0';
    cJSON *j = jsonfile_read(dir, RESDIR_META_JSON, NULL, 0);
    if (!j || !jsonfile_str(j, "scenario")) {
        cJSON_Delete(j);
        j = jsonfile_read(dir, RESDIR_RUN_JSON, NULL, 0);
    }
    const char *s = j ? jsonfile_str(j, "scenario") : NULL;
    snprintf(name, sizeof name, "%s", s ? s : "");
    cJSON_Delete(j);
    return name;
}

static int plot_run(const struct ctx *c, char *err, size_t errlen)
{
    char *path = path_join(c->dir, RESDIR_SERIES_CSV);
    struct series s;
    int rc = series_scan(path, &s, err, errlen);
    free(path);
    if (rc != 0)
        return PLOT_FAILED;
    double x0, x1;
    series_window(s.act_lo, s.act_hi, s.t_first, s.t_last, (double)s.start, &x0, &x1);
    int other = s.other;
    cJSON *rj = jsonfile_read(c->dir, RESDIR_RUN_JSON, NULL, 0);
    if (rj) { /* other clients configured, even if none got a 429 */
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(rj, "metrics");
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(m, "other_clients_requests");
        const cJSON *mean = cJSON_GetObjectItemCaseSensitive(o, "mean");
        if (cJSON_IsNumber(mean) && mean->valuedouble > 0)
            other = 1;
        cJSON_Delete(rj);
    }
    struct sbuf v = {0};
    var_str(&v, "datafile", RESDIR_SERIES_CSV);
    var_title(&v, "name", scenario_name(c->dir), TITLE_MAX);
    var_num(&v, "xoff", (double)s.start);
    var_num(&v, "xmin", x0);
    var_num(&v, "xmax", x1);
    var_num(&v, "other", other);
    rc = draw(c, "backlog", "backlog", &v, err, errlen);
    if (rc == 0)
        rc = draw(c, "rates", "rates", &v, err, errlen);
    free(v.p);
    return rc == 0 ? PLOT_OK : PLOT_FAILED;
}

static int plot_compare(const struct ctx *c, char *err, size_t errlen)
{
    cJSON *cj = jsonfile_read(c->dir, RESDIR_COMPARE_JSON, NULL, 0);
    const cJSON *scns = cJSON_GetObjectItemCaseSensitive(cj, "scenarios");
    size_t n = 0;
    if (cJSON_IsArray(scns))
        n = (size_t)cJSON_GetArraySize(scns);
    else /* no usable compare.json: draw what series there are */
        for (char f[32]; resdir_compare_series_name(f, sizeof f, (int)n), resdir_has(c->dir, f);)
            n++;
    if (n == 0) {
        snprintf(err, errlen, "%s: " RESDIR_COMPARE_JSON " lists no scenarios", c->dir);
        cJSON_Delete(cj);
        return PLOT_NO_DATA;
    }
    char **files = xcalloc(n, sizeof *files), **names = xcalloc(n, sizeof *names);
    struct series *s = xcalloc(n, sizeof *s);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char f[32];
        resdir_compare_series_name(f, sizeof f, (int)i);
        files[i] = xstrdup(f);
        const char *nm = cJSON_IsArray(scns)
                             ? jsonfile_str(cJSON_GetArrayItem(scns, (int)i), "name")
                             : NULL;
        if (nm) {
            names[i] = shorten(nm, LEGEND_MAX);
        } else {
            char d[32];
            snprintf(d, sizeof d, "scenario %zu", i + 1);
            names[i] = xstrdup(d);
        }
        char *path = path_join(c->dir, f);
        if (rc == 0 && series_scan(path, &s[i], err, errlen) != 0)
            rc = -1;
        free(path);
    }
    cJSON_Delete(cj);
    if (rc == 0) {
        /* one clock when the scenarios share a timeline (the same start,
         * busy at overlapping times); otherwise each is shifted to the
         * minute its backlog began, so the curves lie over each other and
         * the legend says when that was */
        int clock = 1, other = 0;
        for (size_t i = 0; i < n; i++) {
            other |= s[i].other;
            if (s[i].start != s[0].start)
                clock = 0;
            for (size_t j = 0; j < i; j++)
                if (s[i].act_lo <= s[i].act_hi && s[j].act_lo <= s[j].act_hi &&
                    (s[i].act_lo > s[j].act_hi || s[j].act_lo > s[i].act_hi))
                    clock = 0;
        }
        double *off = xcalloc(n, sizeof *off); /* t_s + off: the x of t_s, in seconds */
        double lo = INFINITY, hi = -INFINITY, first = INFINITY, last = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            double align = s[i].act_lo <= s[i].act_hi ? s[i].act_lo : s[i].t_first;
            off[i] = clock ? (double)s[0].start : -align;
            double o = clock ? 0.0 : -align;
            if (s[i].act_lo <= s[i].act_hi) {
                lo = fmin(lo, s[i].act_lo + o);
                hi = fmax(hi, s[i].act_hi + o);
            }
            first = fmin(first, s[i].t_first + o);
            last = fmax(last, s[i].t_last + o);
        }
        double x0, x1, scale = 1.0;
        char xtitle[96] = "wall-clock time (scenario local time)";
        series_window(lo, hi, first, last, clock ? (double)s[0].start : 0.0, &x0, &x1);
        if (!clock) {
            scale = x1 - x0 > 3 * 3600.0 ? 3600.0 : 60.0;
            snprintf(xtitle, sizeof xtitle, "%s since each scenario's backlog began",
                     scale == 60.0 ? "minutes" : "hours");
            for (size_t i = 0; i < n; i++) {
                char when[32], *nm;
                double align = s[i].act_lo <= s[i].act_hi ? s[i].act_lo : s[i].t_first;
                units_format_clock(s[i].start + (int64_t)floor(align), when, sizeof when);
                size_t len = strlen(names[i]) + strlen(when) + 16;
                nm = xmalloc(len);
                snprintf(nm, len, "%s (from %s)", names[i], when);
                free(names[i]);
                names[i] = nm;
            }
            x0 /= scale;
            x1 /= scale;
        }
        struct sbuf v = {0};
        var_num(&v, "n", (double)n);
        var_strs(&v, "files", (const char *const *)files, n);
        var_strs(&v, "names", (const char *const *)names, n);
        sb_printf(&v, "array xoffs[%zu]\n", n);
        for (size_t i = 0; i < n; i++)
            sb_printf(&v, "xoffs[%zu] = %.17g\n", i + 1, off[i]);
        free(off);
        var_num(&v, "clock", clock);
        var_num(&v, "xscale", scale);
        var_num(&v, "xmin", x0);
        var_num(&v, "xmax", x1);
        var_str(&v, "xtitle", xtitle);
        var_num(&v, "other", other);
        rc = draw(c, "backlog", "compare-backlog", &v, err, errlen);
        if (rc == 0)
            rc = draw(c, "rates", "compare-rates", &v, err, errlen);
        free(v.p);
    }
    for (size_t i = 0; i < n; i++) {
        free(files[i]);
        free(names[i]);
    }
    free(files);
    free(names);
    free(s);
    return rc == 0 ? PLOT_OK : PLOT_FAILED;
}

/* ---- sweeps -------------------------------------------------------------- */

/* The distinct values of a column, in order of first appearance (the grid
 * order the user gave), or by number when every one is a number. */
struct axis {
    const char **v; /* borrowed from the table */
    size_t n;
    int numeric;
};

static size_t axis_index(const struct axis *a, const char *s)
{
    for (size_t i = 0; i < a->n; i++)
        if (!strcmp(a->v[i], s))
            return i;
    return SIZE_MAX;
}

static int cmp_num(const void *x, const void *y)
{
    double a = strtod(*(const char *const *)x, NULL), b = strtod(*(const char *const *)y, NULL);
    return (a > b) - (a < b);
}

static void axis_init(struct axis *a, const struct table *t, int col, const int *keep)
{
    a->v = xcalloc(t->nrows + 1, sizeof *a->v);
    a->n = 0;
    a->numeric = 1;
    for (size_t r = 0; r < t->nrows; r++) {
        if (!keep[r])
            continue;
        const char *s = tbl_get(t, r, col);
        if (axis_index(a, s) == SIZE_MAX) {
            a->v[a->n++] = s;
            if (isnan(tbl_num(t, r, col)))
                a->numeric = 0;
        }
    }
    if (a->numeric)
        qsort(a->v, a->n, sizeof *a->v, cmp_num);
}

static const char *last_segment(const char *path)
{
    const char *s = strrchr(path, '.');
    return s && s[1] ? s + 1 : path;
}

/* Seconds shown as hours, minutes or seconds, whichever reads best. */
static double duration_unit(double max_s, const char **unit)
{
    if (max_s >= 2 * 3600.0) {
        *unit = "hours";
        return 3600.0;
    }
    if (max_s >= 120.0) {
        *unit = "minutes";
        return 60.0;
    }
    *unit = "seconds";
    return 1.0;
}

/* Writes text to a new temporary file in dir; returns its path or NULL. */
static char *write_temp(const char *dir, const struct sbuf *text, char *err, size_t errlen)
{
    char *p = temp_in(dir, ".provsim-data-");
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

struct grid {
    struct table t;
    int nvary;
    int *keep;           /* rows in the shown slice (3rd+ varied paths at their first value) */
    struct axis a1, a2;  /* first and second varied path (a2.n = 1 with one path) */
    size_t *cell;        /* a1.n x a2.n -> row, or SIZE_MAX */
    char name[1024];
};

static int grid_load(struct grid *w, const char *dir, char *err, size_t errlen)
{
    memset(w, 0, sizeof *w);
    char *path = path_join(dir, RESDIR_SWEEP_CSV);
    int rc = tbl_load(&w->t, path, err, errlen);
    free(path);
    if (rc != 0)
        return -1;
    for (int c = 0; c < w->t.ncols && !w->nvary; c++) {
        size_t l = strlen(w->t.cells[c]);
        if (l > 5 && !strcmp(w->t.cells[c] + l - 5, "_mean"))
            w->nvary = c;
    }
    if (w->nvary < 1 || w->t.nrows == 0) {
        snprintf(err, errlen, "%s/" RESDIR_SWEEP_CSV ": %s", dir,
                 w->t.nrows ? "no varied path before the first *_mean column" : "no cells");
        return -1;
    }
    w->keep = xcalloc(w->t.nrows, sizeof *w->keep);
    for (size_t r = 0; r < w->t.nrows; r++) {
        w->keep[r] = 1;
        for (int c = 2; c < w->nvary; c++)
            if (strcmp(tbl_get(&w->t, r, c), tbl_get(&w->t, 0, c)))
                w->keep[r] = 0;
    }
    axis_init(&w->a1, &w->t, 0, w->keep);
    if (w->nvary >= 2) {
        axis_init(&w->a2, &w->t, 1, w->keep);
    } else {
        w->a2.v = xcalloc(1, sizeof *w->a2.v);
        w->a2.v[0] = "";
        w->a2.n = 1;
    }
    w->cell = xmalloc(w->a1.n * w->a2.n * sizeof *w->cell);
    for (size_t k = 0; k < w->a1.n * w->a2.n; k++)
        w->cell[k] = SIZE_MAX;
    for (size_t r = 0; r < w->t.nrows; r++) {
        if (!w->keep[r])
            continue;
        size_t i = axis_index(&w->a1, tbl_get(&w->t, r, 0));
        size_t j = w->nvary >= 2 ? axis_index(&w->a2, tbl_get(&w->t, r, 1)) : 0;
        w->cell[i * w->a2.n + j] = r;
    }
    cJSON *j = jsonfile_read(dir, RESDIR_SWEEP_JSON, NULL, 0);
    const char *s = j ? jsonfile_str(j, "scenario") : NULL;
    snprintf(w->name, sizeof w->name, "%s", s ? s : "");
    cJSON_Delete(j);
    return 0;
}

static void grid_fini(struct grid *w)
{
    tbl_fini(&w->t);
    free(w->keep);
    free(w->a1.v);
    free(w->a2.v);
    free(w->cell);
}

/* " (path = value, ...)" for the varied paths after the first two, which
 * the charts hold at their first value; "" with two or fewer */
static void fixed_note(const struct grid *w, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int c = 2; c < w->nvary && o < len; c++)
        o += (size_t)snprintf(buf + o, len - o, "%s%s = %s", c == 2 ? " (" : ", ",
                              last_segment(w->t.cells[c]), tbl_get(&w->t, 0, c));
    if (o && o < len)
        snprintf(buf + o, len - o, ")");
}

static double cellv(const struct grid *w, size_t i, size_t j, int col)
{
    size_t r = w->cell[i * w->a2.n + j];
    return r == SIZE_MAX ? NAN : tbl_num(&w->t, r, col);
}

static int grid_lines(const struct ctx *c, const struct grid *w, char *err, size_t errlen)
{
    int cm = tbl_col(&w->t, "clear_time_s_mean"), clo = tbl_col(&w->t, "clear_time_s_ci95_lo"),
        chi = tbl_col(&w->t, "clear_time_s_ci95_hi");
    if (cm < 0)
        return 0; /* nothing to draw */
    /* at most MAX_LINES lines, spread evenly over the second path's values */
    size_t nl = w->a2.n < MAX_LINES ? w->a2.n : MAX_LINES;
    size_t *pick = xmalloc(nl * sizeof *pick);
    for (size_t k = 0; k < nl; k++)
        pick[k] = nl == 1 ? 0 : (size_t)llround((double)k * (double)(w->a2.n - 1) / (double)(nl - 1));
    double maxv = 0;
    for (size_t k = 0; k < nl; k++)
        for (size_t i = 0; i < w->a1.n; i++) {
            double v = cellv(w, i, pick[k], chi >= 0 ? chi : cm);
            if (isfinite(v))
                maxv = fmax(maxv, v);
        }
    const char *unit;
    double div = duration_unit(maxv, &unit);
    struct sbuf d = {0};
    for (size_t k = 0; k < nl; k++) {
        if (k)
            sb_add(&d, "\n\n");
        for (size_t i = 0; i < w->a1.n; i++) {
            double x = w->a1.numeric ? strtod(w->a1.v[i], NULL) : (double)i;
            double m = cellv(w, i, pick[k], cm) / div;
            double lo = clo >= 0 ? cellv(w, i, pick[k], clo) / div : m;
            double hi = chi >= 0 ? cellv(w, i, pick[k], chi) / div : m;
            if (!isfinite(lo) || !isfinite(hi))
                lo = hi = m; /* one replication: no interval */
            if (isfinite(m))
                sb_printf(&d, "%.10g,%.10g,%.10g,%.10g\n", x, m, lo, hi);
            else
                sb_printf(&d, "%.10g,NaN,NaN,NaN\n", x);
        }
    }
    char *data = write_temp(c->dir, &d, err, errlen);
    free(d.p);
    if (!data) {
        free(pick);
        return -1;
    }
    const char *p1 = w->t.cells[0], *p2 = w->nvary >= 2 ? w->t.cells[1] : "";
    const char **lines = xcalloc(nl, sizeof *lines);
    for (size_t k = 0; k < nl; k++)
        lines[k] = w->nvary >= 2 ? w->a2.v[pick[k]] : "mean, with 95% CI";
    char title[1024], fixed[400];
    fixed_note(w, fixed, sizeof fixed);
    if (nl < w->a2.n)
        snprintf(title, sizeof title,
                 "Rollout clear time by %s (%zu of %zu %s values, evenly spaced)%s", p1, nl,
                 w->a2.n, last_segment(p2), fixed);
    else
        snprintf(title, sizeof title, "Rollout clear time by %s%s", p1, fixed);
    char ylab[64];
    snprintf(ylab, sizeof ylab, "clear time (%s; mean, 95%% CI)", unit);
    struct sbuf v = {0};
    var_str(&v, "datafile", base_name(data));
    var_num(&v, "nlines", (double)nl);
    var_strs(&v, "lines", lines, nl);
    var_str(&v, "keytitle", last_segment(p2));
    var_str(&v, "title1", title);
    var_title(&v, "name", w->name, TITLE_MAX);
    var_str(&v, "xlab", p1);
    var_str(&v, "ylab", ylab);
    var_num(&v, "xcat", !w->a1.numeric);
    var_num(&v, "nx", (double)w->a1.n);
    var_strs(&v, "xl", w->a1.v, w->a1.n);
    sb_printf(&v, "array xv[%zu]\n", w->a1.n);
    double xlo = INFINITY, xhi = -INFINITY;
    for (size_t i = 0; i < w->a1.n; i++) {
        double x = w->a1.numeric ? strtod(w->a1.v[i], NULL) : (double)i;
        xlo = fmin(xlo, x);
        xhi = fmax(xhi, x);
        sb_printf(&v, "xv[%zu] = %.17g\n", i + 1, x);
    }
    var_num(&v, "xlog", w->a1.numeric && w->a1.n >= 3 && xlo > 0 && xhi >= 10 * xlo);
    /* lines that all coincide say something: the second path hardly
     * matters (their means within 1% of each other at every x) */
    int coincide = nl > 1;
    for (size_t i = 0; i < w->a1.n && coincide; i++) {
        double lo_m = INFINITY, hi_m = -INFINITY;
        for (size_t k = 0; k < w->a2.n; k++) {
            double m = cellv(w, i, k, cm);
            if (!isfinite(m)) {
                coincide = 0;
                break;
            }
            lo_m = fmin(lo_m, m);
            hi_m = fmax(hi_m, m);
        }
        if (hi_m - lo_m > 0.01 * fabs(hi_m))
            coincide = 0;
    }
    int censored = 0, ccl = tbl_col(&w->t, "cleared_mean");
    for (size_t k = 0; k < nl; k++)
        for (size_t i = 0; i < w->a1.n; i++)
            censored |= cellv(w, i, pick[k], ccl) < 1.0;
    char note[256] = "";
    if (censored)
        snprintf(note, sizeof note, "some cells did not clear within the horizon in every "
                 "replication: their clear time is a lower bound");
    else if (coincide)
        snprintf(note, sizeof note, "all %zu lines coincide (within 1%%): %s hardly changes the "
                 "clear time", w->a2.n, last_segment(p2));
    var_str(&v, "note", note);
    int rc = draw(c, "clear-time", "sweep-lines", &v, err, errlen);
    unlink(data);
    free(data);
    free(v.p);
    free(lines);
    free(pick);
    return rc;
}

static void short_count(char *buf, size_t len, double v)
{
    if (v >= 9999.5)
        snprintf(buf, len, "%.0fk", v / 1000.0);
    else if (v >= 999.5)
        snprintf(buf, len, "%.1fk", v / 1000.0);
    else
        snprintf(buf, len, "%.0f", v);
}

static int grid_heatmap(const struct ctx *c, const struct grid *w, const char *metric,
                         const char *chart, char *err, size_t errlen)
{
    char col[128];
    snprintf(col, sizeof col, "%s_mean", metric);
    int cm = tbl_col(&w->t, col);
    if (cm < 0 || w->nvary < 2)
        return 0;
    int dur = !strcmp(metric, "clear_time_s");
    int ccl = tbl_col(&w->t, "cleared_mean");
    double maxv = 0;
    int any = 0;
    for (size_t i = 0; i < w->a1.n; i++)
        for (size_t j = 0; j < w->a2.n; j++) {
            double v = cellv(w, i, j, cm);
            if (isfinite(v)) {
                maxv = fmax(maxv, v);
                any = 1;
            }
        }
    if (!any)
        return 0;
    const char *unit = "";
    double div = dur ? duration_unit(maxv, &unit) : 1.0;
    struct sbuf d = {0};
    for (size_t i = 0; i < w->a1.n; i++) { /* y: first path */
        for (size_t j = 0; j < w->a2.n; j++) {
            double v = cellv(w, i, j, cm);
            char label[32];
            if (!isfinite(v))
                snprintf(label, sizeof label, "-");
            else if (dur)
                /* a rollout that did not clear in every replication has a
                 * clear time censored at the horizon: a lower bound */
                snprintf(label, sizeof label, div == 1.0 ? "%s%.0f" : "%s%.1f",
                         cellv(w, i, j, ccl) < 1.0 ? "\xe2\x89\xa5" : "", v / div);
            else
                short_count(label, sizeof label, v);
            int white = isfinite(v) && maxv > 0 && v > 0.55 * maxv;
            if (isfinite(v))
                sb_printf(&d, "%zu,%zu,%.10g,%s,%d\n", j, i, v / div, label, white);
            else
                sb_printf(&d, "%zu,%zu,NaN,%s,0\n", j, i, label);
        }
        sb_add(&d, "\n");
    }
    char *data = write_temp(c->dir, &d, err, errlen);
    free(d.p);
    if (!data)
        return -1;
    char title[1024], cblab[128], fixed[400];
    const char *p1 = w->t.cells[0], *p2 = w->t.cells[1];
    fixed_note(w, fixed, sizeof fixed);
    if (dur) {
        snprintf(title, sizeof title, "Rollout clear time (mean, %s) by %s and %s%s", unit,
                 last_segment(p2), last_segment(p1), fixed);
        snprintf(cblab, sizeof cblab, "clear time (%s)", unit);
    } else {
        snprintf(title, sizeof title,
                 "Other clients' 429s (collateral damage, mean per run) by %s and %s%s",
                 last_segment(p2), last_segment(p1), fixed);
        snprintf(cblab, sizeof cblab, "429s received by other clients");
    }
    struct sbuf v = {0};
    var_str(&v, "datafile", base_name(data));
    var_num(&v, "nx", (double)w->a2.n);
    var_num(&v, "ny", (double)w->a1.n);
    var_strs(&v, "xl", w->a2.v, w->a2.n);
    var_strs(&v, "yl", w->a1.v, w->a1.n);
    var_str(&v, "title1", title);
    var_title(&v, "name", w->name, TITLE_MAX);
    var_str(&v, "xlab", p2);
    var_str(&v, "ylab", p1);
    var_str(&v, "cblab", cblab);
    var_num(&v, "labels", w->a1.n * w->a2.n <= MAX_LABELLED_CELLS && w->a2.n <= 30);
    int rc = draw(c, chart, "sweep-heatmap", &v, err, errlen);
    unlink(data);
    free(data);
    free(v.p);
    return rc;
}

static int plot_sweep(const struct ctx *c, char *err, size_t errlen)
{
    struct grid w;
    if (grid_load(&w, c->dir, err, errlen) != 0) {
        grid_fini(&w);
        return PLOT_FAILED;
    }
    int rc = grid_lines(c, &w, err, errlen);
    if (rc == 0)
        rc = grid_heatmap(c, &w, "clear_time_s", "heatmap-clear-time", err, errlen);
    if (rc == 0)
        rc = grid_heatmap(c, &w, "other_clients_throttled", "heatmap-other-throttled", err,
                           errlen);
    grid_fini(&w);
    return rc == 0 ? PLOT_OK : PLOT_FAILED;
}

/* ---- public --------------------------------------------------------------- */

int plot_dir(const char *dir, char *err, size_t errlen)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return PLOT_NO_DATA;
    }
    if (!S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: not a directory", dir);
        return PLOT_NO_DATA;
    }
    enum resdir_kind kind = resdir_kind(dir);
    if (kind == RESDIR_KIND_NONE ||
        (kind == RESDIR_KIND_RUN && !resdir_has(dir, RESDIR_SERIES_CSV))) {
        snprintf(err, errlen,
                 "%s: nothing to plot (no " RESDIR_SERIES_CSV ", " RESDIR_COMPARE_JSON
                 " or " RESDIR_SWEEP_CSV ": write one with run --out, compare --out or "
                 "sweep --out)",
                 dir);
        return PLOT_NO_DATA;
    }
    struct ctx c = {.dir = dir};
    if (find_gnuplot(c.gp, sizeof c.gp) != 0) {
        snprintf(err, errlen, "gnuplot not found: the data is in %s; %s", dir, install_hint);
        return PLOT_NO_GNUPLOT;
    }
    switch (kind) {
    case RESDIR_KIND_RUN:
        return plot_run(&c, err, errlen);
    case RESDIR_KIND_COMPARE:
        return plot_compare(&c, err, errlen);
    case RESDIR_KIND_SWEEP:
        return plot_sweep(&c, err, errlen);
    case RESDIR_KIND_NONE:
        break;
    }
    return PLOT_NO_DATA;
}

int plot_after_run(const char *dir)
{
    char err[1024];
    int rc = plot_dir(dir, err, sizeof err);
    if (rc == PLOT_OK)
        return 0;
    fprintf(stderr, "provsim: %s\n", err);
    return rc == PLOT_NO_GNUPLOT ? 0 : 1;
}

const char *const *plot_chart_names(enum resdir_kind kind)
{
    static const char *const series[] = {"backlog", "rates", NULL};
    static const char *const sweep[] = {"clear-time", "heatmap-clear-time",
                                        "heatmap-other-throttled", NULL};
    static const char *const none[] = {NULL};
    switch (kind) {
    case RESDIR_KIND_RUN:
    case RESDIR_KIND_COMPARE:
        return series;
    case RESDIR_KIND_SWEEP:
        return sweep;
    case RESDIR_KIND_NONE:
        break;
    }
    return none;
}

const char *plot_chart_caption(enum resdir_kind kind, const char *chart)
{
    int cmp = kind == RESDIR_KIND_COMPARE;
    if (!strcmp(chart, "backlog"))
        return cmp ? "Backlog (queued + waiting for a retry + in flight) and failed tasks of "
                     "each scenario over time, one colour per scenario (replication 0)."
                   : "Backlog over wall-clock time: queued, waiting for a retry and in flight "
                     "(stacked, so the top edge is the whole backlog), and the failed tasks "
                     "shown in the provisioning console (replication 0).";
    if (!strcmp(chart, "rates"))
        return cmp ? "429s per minute received by each scenario's client and, where other "
                     "clients share the API, by those clients (replication 0)."
                   : "Requests and 429s per minute of this client and, where other clients "
                     "share the API, the 429s they receive: the collateral damage "
                     "(replication 0).";
    if (!strcmp(chart, "clear-time"))
        return "Mean rollout clear time against the first varied value, one line per value "
               "of the second, with 95% confidence intervals as error bars.";
    if (!strcmp(chart, "heatmap-clear-time"))
        return "Mean rollout clear time over the grid: darker is slower; \xe2\x89\xa5 marks "
               "cells where not every replication cleared within the horizon (the value is a "
               "lower bound).";
    if (!strcmp(chart, "heatmap-other-throttled"))
        return "Mean 429s received by other clients of the API over the grid: darker is "
               "more collateral damage.";
    return "";
}

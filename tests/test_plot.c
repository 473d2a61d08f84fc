/* test_plot.c -- charts and reports: run --out/--plot, provsim plot,
 * provsim report, gnuplot missing, and names that try to run commands.
 *
 * The chart tests need gnuplot on PATH (CI installs gnuplot-nox); where it
 * is missing they say so and skip. The quoting, base64 and table tests
 * run everywhere. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <dirent.h>

#include "out/report.h"
#include "out/gnuplot.h"
#include "out/plot.h"
#include "out/series.h"
#include "out/table.h"

#define DEFAULT_SCN PROVSIM_SOURCE_DIR "/configs/default.json"

/* ---- helpers -------------------------------------------------------------- */

static char *tmpdir(void)
{
    char buf[] = "/tmp/provsim-plot-XXXXXX";
    if (!mkdtemp(buf))
        fail_msg("mkdtemp: %s", strerror(errno));
    return strdup(buf);
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *b = malloc(cap);
    while ((got = fread(b + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n < 2)
            b = realloc(b, cap *= 2);
    }
    fclose(f);
    b[n] = '\0';
    if (len)
        *len = n;
    return b;
}

static void spit(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static int exists(const char *dir, const char *name)
{
    char *p = join(dir, name);
    struct stat st;
    int ok = stat(p, &st) == 0;
    free(p);
    return ok;
}

static void rm_rf(const char *dir)
{
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/rm", "rm", "-rf", "--", dir, (char *)NULL);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
}

struct out {
    int code;
    char *out, *err;
};

/* Runs provsim with argv (argv[0] ignored) and, if path_env is not NULL,
 * PATH set to it. */
static struct out run(const char *path_env, const char *const *argv)
{
    char *d = tmpdir();
    char *o = join(d, "stdout"), *e = join(d, "stderr");
    pid_t pid = fork();
    if (pid == 0) {
        int fo = open(o, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int fe = open(e, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fo, 1);
        dup2(fe, 2);
        if (path_env)
            setenv("PATH", path_env, 1);
        execv(PROVSIM_BINARY, (char *const *)argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    struct out r = {WIFEXITED(st) ? WEXITSTATUS(st) : 128, slurp(o, NULL), slurp(e, NULL)};
    free(o);
    free(e);
    rm_rf(d);
    free(d);
    return r;
}

static void out_free(struct out *r)
{
    free(r->out);
    free(r->err);
}

static int have_gnuplot(void)
{
    const char *path = getenv("PATH");
    if (!path)
        return 0;
    char *p = strdup(path);
    int found = 0;
    for (char *s = strtok(p, ":"); s && !found; s = strtok(NULL, ":")) {
        char *c = join(s, "gnuplot");
        found = access(c, X_OK) == 0;
        free(c);
    }
    free(p);
    return found;
}

#define NEED_GNUPLOT()                                                                            \
    do {                                                                                          \
        if (!have_gnuplot()) {                                                                    \
            print_message("gnuplot not on PATH: skipping (apt-get install gnuplot-nox)\n");     \
            skip();                                                                               \
        }                                                                                         \
    } while (0)

/* A real PNG: the 8-byte signature and more than 10 kB. */
static void assert_png(const char *dir, const char *name)
{
    char *p = join(dir, name);
    size_t len = 0;
    char *b = slurp(p, &len);
    if (!b)
        fail_msg("%s: missing", p);
    if (len <= 10000)
        fail_msg("%s: %zu bytes, expected > 10000", p, len);
    assert_memory_equal(b, "\x89PNG\r\n\x1a\n", 8);
    free(b);
    free(p);
}

static void assert_svg(const char *dir, const char *name)
{
    char *p = join(dir, name);
    size_t len = 0;
    char *b = slurp(p, &len);
    if (!b)
        fail_msg("%s: missing", p);
    if (!strstr(b, "<svg") || !strstr(b, "</svg>"))
        fail_msg("%s: not an SVG document", p);
    free(b);
    free(p);
}

/* No temporary file (all of ours start with '.') left in dir. */
static void assert_no_temps(const char *dir)
{
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    for (struct dirent *e; (e = readdir(dp));)
        if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            fail_msg("%s: temporary file %s left behind", dir, e->d_name);
    closedir(dp);
}

/* A scenario file: default.json with another name (cJSON does the JSON
 * escaping) and a small, fast rollout. */
static char *scenario_named(const char *dir, const char *file, const char *name)
{
    char *text = slurp(DEFAULT_SCN, NULL);
    assert_non_null(text);
    cJSON *j = cJSON_Parse(text);
    free(text);
    assert_non_null(j);
    cJSON_ReplaceItemInObjectCaseSensitive(j, "name", cJSON_CreateString(name));
    char *s = cJSON_Print(j);
    cJSON_Delete(j);
    char *p = join(dir, file);
    spit(p, s);
    free(s);
    return p;
}

static const char *const small[] = {"--reps", "2", "--set", "workload.rollouts[0].users=1000",
                                    "--set", "horizon=12h"};

/* provsim run SCN --out DIR [--plot] with the small settings */
static struct out run_out(const char *path_env, const char *scn, const char *dir, int plot)
{
    const char *argv[16] = {"provsim", "run", scn};
    int n = 3;
    for (size_t i = 0; i < sizeof small / sizeof *small; i++)
        argv[n++] = small[i];
    argv[n++] = "--out";
    argv[n++] = dir;
    if (plot)
        argv[n++] = "--plot";
    argv[n] = NULL;
    return run(path_env, argv);
}

/* ---- units ------------------------------------------------------------------ */

static void test_quote(void **state)
{
    (void)state;
    char buf[128];
    assert_int_equal(gp_quote(buf, sizeof buf, "plain"), 7);
    assert_string_equal(buf, "'plain'");
    gp_quote(buf, sizeof buf, "");
    assert_string_equal(buf, "''");
    gp_quote(buf, sizeof buf, "it's");
    assert_string_equal(buf, "'it' . \"'\" . 's'");
    /* gnuplot 5.4 misreads doubled quotes back to back inside single
     * quotes: no apostrophe is ever escaped by doubling */
    gp_quote(buf, sizeof buf, "''x'");
    assert_string_equal(buf, "\"'\" . \"'\" . 'x' . \"'\"");
    gp_quote(buf, sizeof buf, "a\nb\rc\td");
    assert_string_equal(buf, "'a b c d'");
    /* backquotes, macros and double quotes stay text: gnuplot expands
     * none of them inside single quotes */
    gp_quote(buf, sizeof buf, "`x` @m \"q\" \\n");
    assert_string_equal(buf, "'`x` @m \"q\" \\n'");
    gp_quote(buf, sizeof buf, "x'; system(\"touch /tmp/p\") ; '");
    assert_string_equal(buf, "'x' . \"'\" . '; system(\"touch /tmp/p\") ; ' . \"'\"");
    /* truncation: always terminated, the full length returned */
    char small_buf[5];
    assert_int_equal(gp_quote(small_buf, sizeof small_buf, "abcdef"), 8);
    assert_string_equal(small_buf, "'abc");
    assert_int_equal(gp_quote(NULL, 0, "it's"), 16);
}

static void test_base64(void **state)
{
    (void)state;
    static const char *const in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const want[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=",
                                       "Zm9vYmFy"};
    for (size_t i = 0; i < sizeof in / sizeof *in; i++) {
        char out[16];
        size_t n = report_base64((const unsigned char *)in[i], strlen(in[i]), out);
        assert_int_equal(n, strlen(want[i]));
        assert_string_equal(out, want[i]);
    }
    const unsigned char bin[] = {0xff, 0x00, 0xfe};
    char out[8];
    report_base64(bin, 3, out);
    assert_string_equal(out, "/wD+");
}

static void test_table(void **state)
{
    (void)state;
    char *d = tmpdir(), *p = join(d, "t.csv"), err[256];
    spit(p, "a,b,c\r\n1,\"x, \"\"y\"\"\",3\n\n4,,nan\n");
    struct table t;
    assert_int_equal(tbl_load(&t, p, err, sizeof err), 0);
    assert_int_equal(t.ncols, 3);
    assert_int_equal(t.nrows, 2);
    assert_int_equal(tbl_col(&t, "c"), 2);
    assert_int_equal(tbl_col(&t, "z"), -1);
    assert_string_equal(tbl_get(&t, 0, 1), "x, \"y\"");
    assert_true(tbl_num(&t, 0, 2) == 3.0);
    assert_string_equal(tbl_get(&t, 1, 1), "");
    assert_true(tbl_num(&t, 1, 2) != tbl_num(&t, 1, 2)); /* NaN */
    tbl_fini(&t);
    spit(p, "a,b\n1,2,3\n");
    assert_int_equal(tbl_load(&t, p, err, sizeof err), -1);
    assert_non_null(strstr(err, "row 2"));
    tbl_fini(&t);
    free(p);
    rm_rf(d);
    free(d);
}

/* The series reader finds the writer's columns by name. */
static void test_series_reader(void **state)
{
    (void)state;
    char *d = tmpdir(), *p = join(d, "s.csv"), err[256];
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    struct run_series out;
    series_csv_out(&out, f);
    struct run_sample smp = {.t_s = 60, .epoch_s = 86400 + 36000, .queued = 7, .waiting_retry = 2,
                             .in_flight = 3, .failed_tasks = 4, .succeeded_total = 5,
                             .attempts_per_min = 1.5, .throttled_per_min = 2.25,
                             .other_throttled_per_min = 0.5};
    out.begin(out.ctx);
    out.row(out.ctx, &smp);
    assert_int_equal(fclose(f), 0);
    struct series_reader r;
    struct series_row row;
    assert_int_equal(series_open(&r, p, err, sizeof err), 0);
    assert_int_equal(series_next(&r, &row, err, sizeof err), 1);
    assert_true(row.v[SERIES_T_S] == 60.0);
    assert_true(row.clock_epoch_s == 86400 + 36000);
    assert_true(row.v[SERIES_QUEUED] == 7.0);
    assert_true(row.v[SERIES_FAILED_TASKS] == 4.0);
    assert_true(row.v[SERIES_THROTTLED_PER_MIN] == 2.25);
    assert_true(row.v[SERIES_OTHER_THROTTLED_PER_MIN] == 0.5);
    assert_int_equal(series_next(&r, &row, err, sizeof err), 0);
    series_close(&r);

    /* another order, and a column the reader does not know */
    spit(p, "clock,extra,queued,t_s,waiting_retry,in_flight,failed_tasks,succeeded_total,"
            "attempts_per_min,throttled_per_min,other_clients_throttled_per_min\r\n"
            "1970-01-02T10:00,x,9,120,0,0,1,0,0,0,0\r\n\n");
    assert_int_equal(series_open(&r, p, err, sizeof err), 0);
    assert_int_equal(series_next(&r, &row, err, sizeof err), 1);
    assert_true(row.v[SERIES_T_S] == 120.0);
    assert_true(row.v[SERIES_QUEUED] == 9.0);
    assert_true(row.clock_epoch_s == 86400 + 36000);
    assert_int_equal(series_next(&r, &row, err, sizeof err), 0);
    series_close(&r);

    /* a header without every column, a row that is not one */
    spit(p, "t_s,clock,queued\n1,1970-01-01T00:00,0\n");
    assert_int_equal(series_open(&r, p, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a provsim series file (no t_s,clock,... header)"));
    f = fopen(p, "w");
    assert_non_null(f);
    series_csv_out(&out, f);
    out.begin(out.ctx);
    out.row(out.ctx, &smp);
    fputs("60,1970-01-02T10:00,1,2\n", f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(series_open(&r, p, err, sizeof err), 0);
    assert_int_equal(series_next(&r, &row, err, sizeof err), 1);
    assert_int_equal(series_next(&r, &row, err, sizeof err), -1);
    assert_non_null(strstr(err, "s.csv: line 3: not a series row"));
    series_close(&r);
    free(p);
    rm_rf(d);
    free(d);
}

/* ---- the command line ------------------------------------------------------ */

static void test_run_out_plot(void **state)
{
    (void)state;
    NEED_GNUPLOT();
    char *d = tmpdir(), *out = join(d, "run one/deeper");
    struct out r = run_out(NULL, DEFAULT_SCN, out, 1);
    if (r.code != 0)
        fail_msg("run --out --plot: exit %d, stderr: %s", r.code, r.err);
    assert_true(exists(out, "run.json"));
    assert_true(exists(out, "series.csv"));
    assert_true(exists(out, "meta.json"));
    assert_png(out, "backlog.png");
    assert_png(out, "rates.png");
    assert_svg(out, "backlog.svg");
    assert_svg(out, "rates.svg");
    assert_no_temps(out);
    /* run.json is --format json's document */
    char *p = join(out, "run.json");
    char *js = slurp(p, NULL);
    free(p);
    cJSON *j = cJSON_Parse(js);
    assert_non_null(j);
    assert_non_null(cJSON_GetObjectItemCaseSensitive(j, "metrics"));
    assert_null(cJSON_GetObjectItemCaseSensitive(j, "perf"));
    cJSON_Delete(j);
    free(js);
    out_free(&r);

    /* provsim plot redraws them */
    char *png = join(out, "backlog.png");
    unlink(png);
    const char *argv[] = {"provsim", "plot", out, NULL};
    r = run(NULL, argv);
    if (r.code != 0)
        fail_msg("plot: exit %d, stderr: %s", r.code, r.err);
    assert_png(out, "backlog.png");
    out_free(&r);
    free(png);
    free(out);
    rm_rf(d);
    free(d);
}

static void test_plot_needs_out(void **state)
{
    (void)state;
    const char *argv[] = {"provsim", "run", DEFAULT_SCN, "--plot", NULL};
    struct out r = run(NULL, argv);
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "--out"));
    out_free(&r);
    /* --out onto a file is a usage error, found before the run */
    char *d = tmpdir(), *f = join(d, "file");
    spit(f, "x");
    r = run_out(NULL, DEFAULT_SCN, f, 0);
    assert_int_equal(r.code, 2);
    out_free(&r);
    free(f);
    rm_rf(d);
    free(d);
}

static void test_plot_no_data(void **state)
{
    (void)state;
    char *d = tmpdir();
    const char *argv[] = {"provsim", "plot", d, NULL};
    struct out r = run(NULL, argv);
    assert_int_equal(r.code, 2); /* bad input: nothing provsim wrote */
    assert_non_null(strstr(r.err, "nothing to plot"));
    out_free(&r);
    char *missing = join(d, "missing");
    const char *argv2[] = {"provsim", "plot", missing, NULL};
    r = run(NULL, argv2);
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "missing"));
    out_free(&r);
    const char *argv3[] = {"provsim", "report", d, NULL};
    r = run(NULL, argv3);
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "nothing to report"));
    out_free(&r);
    const char *argv4[] = {"provsim", "plot", NULL};
    r = run(NULL, argv4);
    assert_int_equal(r.code, 2);
    out_free(&r);
    free(missing);
    rm_rf(d);
    free(d);
}

static void test_gnuplot_missing(void **state)
{
    (void)state;
    char *d = tmpdir(), *empty = join(d, "empty-bin"), *out = join(d, "out");
    assert_int_equal(mkdir(empty, 0755), 0);
    struct out r = run_out(empty, DEFAULT_SCN, out, 1);
    /* the data is written, the message says how to install gnuplot, and
     * run succeeds */
    if (r.code != 0)
        fail_msg("run --plot without gnuplot: exit %d, stderr: %s", r.code, r.err);
    assert_non_null(strstr(r.err, "gnuplot not found"));
    assert_non_null(strstr(r.err, "apt-get install gnuplot-nox"));
    assert_non_null(strstr(r.err, out));
    assert_true(exists(out, "run.json"));
    assert_true(exists(out, "series.csv"));
    assert_false(exists(out, "backlog.png"));
    out_free(&r);
    /* provsim plot cannot do its job: exit 1 */
    const char *argv[] = {"provsim", "plot", out, NULL};
    r = run(empty, argv);
    assert_int_equal(r.code, 1);
    assert_non_null(strstr(r.err, "apt-get install gnuplot-nox"));
    out_free(&r);
    /* the report is still written, and says why it has no charts */
    const char *argv2[] = {"provsim", "report", out, NULL};
    r = run(empty, argv2);
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.err, "gnuplot not found"));
    char *html = join(out, "report.html");
    char *text = slurp(html, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "gnuplot not found"));
    assert_null(strstr(text, "data:image/png"));
    free(text);
    free(html);
    out_free(&r);
    free(empty);
    free(out);
    rm_rf(d);
    free(d);
}

/* The name tries every way into a shell or gnuplot code we know of. */
static void test_hostile_names(void **state)
{
    (void)state;
    NEED_GNUPLOT();
    char tag[64];
    snprintf(tag, sizeof tag, "%ld_%ld", (long)getpid(), (long)time(NULL));
    char pw[4][128];
    for (int i = 0; i < 4; i++)
        snprintf(pw[i], sizeof pw[i], "/tmp/PWNED%d_%s", i + 1, tag);
    char name[1024];
    snprintf(name, sizeof name,
             "x'; system(\"touch %s\") ; '\n`touch %s` \"dq\" $(touch %s) @name "
             "<script>alert(1)</script> & 'it''s' '",
             pw[0], pw[1], pw[2]);
    char *d = tmpdir();
    /* the output directory's own name is hostile too */
    char dirname[256];
    snprintf(dirname, sizeof dirname, "out '`touch %s`' <b>\"", pw[3]);
    char *out = join(d, dirname);
    char *scn = scenario_named(d, "hostile.json", name);

    struct out r = run_out(NULL, scn, out, 1);
    if (r.code != 0)
        fail_msg("run --plot (hostile name): exit %d, stderr: %s", r.code, r.err);
    out_free(&r);
    assert_png(out, "backlog.png");
    assert_png(out, "rates.png");
    assert_svg(out, "backlog.svg");

    /* the name reached the chart as text */
    char *svgp = join(out, "backlog.svg");
    char *svg = slurp(svgp, NULL);
    assert_non_null(strstr(svg, "; system(\"touch"));
    free(svg);
    free(svgp);

    /* a compare and a sweep with the same names and values */
    char *cmp = join(d, "cmp");
    const char *cargv[] = {"provsim", "compare", scn, DEFAULT_SCN, "--reps", "2",
                           "--set", "workload.rollouts[0].users=1000", "--set", "horizon=12h",
                           "--out", cmp, "--plot", NULL};
    r = run(NULL, cargv);
    if (r.code != 0)
        fail_msg("compare --plot (hostile name): exit %d, stderr: %s", r.code, r.err);
    out_free(&r);
    assert_png(cmp, "backlog.png");
    assert_png(cmp, "rates.png");

    char *sw = join(d, "sweep");
    char vary[512];
    snprintf(vary, sizeof vary, "name=a'b`touch %s`,c\"d", pw[0]);
    const char *sargv[] = {"provsim", "sweep", scn, "--reps", "2", "--jobs", "2",
                           "--set", "workload.rollouts[0].users=1000", "--set", "horizon=12h",
                           "--vary", vary, "--vary", "workload.rollouts[0].batch_size=250,500",
                           "--out", sw, "--plot", NULL};
    r = run(NULL, sargv);
    if (r.code != 0)
        fail_msg("sweep --plot (hostile values): exit %d, stderr: %s", r.code, r.err);
    out_free(&r);
    assert_png(sw, "clear-time.png");
    assert_png(sw, "heatmap-clear-time.png");
    assert_png(sw, "heatmap-other-throttled.png");
    assert_no_temps(sw);

    /* reports: the name escaped, never raw markup */
    const char *dirs[] = {out, cmp, sw};
    for (int k = 0; k < 3; k++) {
        const char *argv[] = {"provsim", "report", dirs[k], NULL};
        r = run(NULL, argv);
        if (r.code != 0)
            fail_msg("report %s: exit %d, stderr: %s", dirs[k], r.code, r.err);
        out_free(&r);
        char *hp = join(dirs[k], "report.html"), *mp = join(dirs[k], "report.md");
        char *html = slurp(hp, NULL), *md = slurp(mp, NULL);
        assert_non_null(html);
        assert_non_null(md);
        assert_non_null(strstr(html, "data:image/png;base64,"));
        assert_null(strstr(html, "<script"));
        assert_null(strstr(html, "<b>"));
        /* Markdown escapes with a backslash: "\\<script\\>" renders as
         * text; what must not be there is the raw tag */
        assert_null(strstr(md, "<script>"));
        for (const char *q = strchr(md, '<'); q; q = strchr(q + 1, '<'))
            if (q == md || q[-1] != '\\')
                fail_msg("report.md: an unescaped '<' at: %.40s", q);
        if (k < 2)
            assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
        if (k == 0) {
            assert_non_null(strstr(html, "x&#39;; system(&quot;touch"));
            assert_non_null(strstr(md, "\\<script\\>"));
        }
        free(html);
        free(md);
        free(hp);
        free(mp);
    }

    for (int i = 0; i < 4; i++)
        if (access(pw[i], F_OK) == 0) {
            unlink(pw[i]);
            fail_msg("%s exists: a name ran a command", pw[i]);
        }
    free(sw);
    free(cmp);
    free(scn);
    free(out);
    rm_rf(d);
    free(d);
}

static void test_report_run(void **state)
{
    (void)state;
    NEED_GNUPLOT();
    char *d = tmpdir();
    struct out r = run_out(NULL, DEFAULT_SCN, d, 0);
    assert_int_equal(r.code, 0);
    out_free(&r);
    assert_false(exists(d, "backlog.png"));
    /* the report draws the missing charts first */
    const char *argv[] = {"provsim", "report", d, NULL};
    r = run(NULL, argv);
    if (r.code != 0)
        fail_msg("report: exit %d, stderr: %s", r.code, r.err);
    out_free(&r);
    assert_png(d, "backlog.png");
    char *mp = join(d, "report.md"), *hp = join(d, "report.html");
    char *md = slurp(mp, NULL), *html = slurp(hp, NULL);
    assert_non_null(strstr(md, "## Findings"));
    assert_non_null(strstr(md, "The rollout cleared in "));
    assert_non_null(strstr(md, "![backlog](backlog.png)"));
    assert_non_null(strstr(html, "<table>"));
    assert_non_null(strstr(html, "rollout clear time"));
    assert_non_null(strstr(html, "data:image/png;base64,iVBORw0KGgo"));
    /* self-contained: no file is referenced */
    assert_null(strstr(html, "src=\"backlog.png\""));
    free(md);
    free(html);
    /* new data makes the old charts and report stale: they go */
    r = run_out(NULL, DEFAULT_SCN, d, 0);
    assert_int_equal(r.code, 0);
    out_free(&r);
    assert_false(exists(d, "backlog.png"));
    assert_false(exists(d, "report.html"));
    free(mp);
    free(hp);
    rm_rf(d);
    free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quote),           cmocka_unit_test(test_base64),
        cmocka_unit_test(test_table),           cmocka_unit_test(test_run_out_plot),
        cmocka_unit_test(test_plot_needs_out),  cmocka_unit_test(test_plot_no_data),
        cmocka_unit_test(test_gnuplot_missing), cmocka_unit_test(test_hostile_names),
        cmocka_unit_test(test_report_run),      cmocka_unit_test(test_series_reader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_charts.c -- what a chart shows and where: the wall-clock ticks of
 * the time-series charts (placement, and every tick label inside the
 * image, checked on the rendered SVG for several time ranges), titles
 * wrapped rather than cut, counts drawn as steps (checked on the SVG
 * paths), words for key paths, and the files --plot says it wrote.
 *
 * The rendering tests need gnuplot on PATH (CI installs gnuplot-nox);
 * where it is missing they say so and skip. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include "cli_helpers.h"
#include "out/gnuplot.h"
#include "out/plot_charts.h"
#include "out/plotlabel.h"

#define SVG_WIDTH 1200.0 /* pngcairo and svg terminals: 1200 x 700 */
#define FONT_PX 12.0     /* DejaVu Sans 12 */
/* DejaVu Sans advance widths are at most 0.70 em for the digits, capitals
 * and lower-case letters of a tick label ("Wed 10:50" is 0.60 em on
 * average): bounding each character by 0.70 em overestimates a label. */
#define CHAR_EM_MAX 0.70

static int have_gnuplot(void)
{
    const char *path = getenv("PATH");
    char *p = strdup(path ? path : "");
    int found = 0;
    for (char *s = strtok(p, ":"); s && !found; s = strtok(NULL, ":")) {
        char *c = th_path(s, "gnuplot");
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

/* ---- tick placement ---------------------------------------------------------- */

static void time_ticks(void **state)
{
    (void)state;
    /* windows from 10 minutes to 10 days, at awkward offsets */
    const double day0 = 1796083200.0; /* 2026-12-01T00:00 as naive seconds */
    for (double span = 600; span <= 10 * 86400.0; span *= 1.37) {
        for (double off = 0; off < 86400.0; off += 3037.0) {
            double x0 = floor((day0 + off) / 600.0) * 600.0, x1 = x0 + ceil(span / 600.0) * 600.0;
            double first, step;
            plot_time_ticks(x0, x1, &first, &step);
            int n = (int)floor((x1 - first) / step + 1e-9) + 1;
            if (first < x0 || first >= x0 + step || fmod(first, step) != 0.0)
                fail_msg("[%.0f, %.0f]: first tick %.0f, step %.0f", x0, x1, first, step);
            if (n > PLOT_MAX_TICKS || (n < 2 && step > 300))
                fail_msg("[%.0f, %.0f] (span %.0f s): %d ticks every %.0f s", x0, x1, x1 - x0, n,
                         step);
        }
    }
}

/* ---- rendered: every tick label inside the image ------------------------------ */

/* A series file with a backlog between busy_lo and busy_hi (seconds since
 * start, a Tuesday at 00:00), one row a minute over horizon seconds. */
static void write_series(const char *dir, double busy_lo, double busy_hi, double horizon)
{
    char *p = th_path(dir, "series.csv");
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("t_s,clock,queued,waiting_retry,in_flight,failed_tasks,succeeded_total,"
          "attempts_per_min,throttled_per_min,other_clients_throttled_per_min\n",
          f);
    for (double t = 0; t <= horizon; t += 60) {
        long m = (long)(t / 60);
        int busy = t >= busy_lo && t <= busy_hi;
        fprintf(f, "%.0f,2026-12-%02ldT%02ld:%02ld,%d,%d,%d,%d,%ld,%d,%d,%d\n", t, 1 + m / 1440,
                (m / 60) % 24, m % 60, busy ? 120 : 0, busy ? 30 : 0, busy ? 4 : 0,
                busy ? 40 : 0, m, busy ? 600 : 10, busy ? 300 : 0, busy ? 20 : 0);
    }
    fclose(f);
    free(p);
}

/* The x positions and texts of an SVG's tick labels "Ddd HH:MM". */
static int svg_time_labels(const char *svg, double *x, int max)
{
    int n = 0;
    for (const char *s = svg; n < max && (s = strstr(s, "<g transform=\"translate("));) {
        double px, py;
        s += strlen("<g transform=\"translate(");
        if (sscanf(s, "%lf,%lf", &px, &py) != 2)
            continue;
        const char *t = strstr(s, "<text>"), *next = strstr(s, "<g transform");
        if (!t || (next && next < t))
            continue;
        t += 6;
        if (strlen(t) >= 9 && t[3] == ' ' && t[6] == ':' && t[9] == '<' &&
            strstr(s, "text-anchor=\"middle\"") < t)
            x[n++] = px;
    }
    return n;
}

static void assert_labels_inside(const char *dir, const char *chart, double want_min_step_px)
{
    char *p = th_path(dir, chart);
    char *svg = th_read(p);
    if (!svg)
        fail_msg("%s: missing", p);
    double x[64];
    int n = svg_time_labels(svg, x, 64);
    double half = 9 * FONT_PX * CHAR_EM_MAX / 2.0; /* "Tue 10:50": 9 characters */
    printf("  %s: %d tick labels, x %.1f .. %.1f px (half a label at most %.1f px)\n", chart, n,
           n ? x[0] : 0, n ? x[n - 1] : 0, half);
    if (n < 2)
        fail_msg("%s: %d wall-clock tick labels, expected 2 or more", p, n);
    for (int i = 0; i < n; i++) {
        if (x[i] - half < 0 || x[i] + half > SVG_WIDTH)
            fail_msg("%s: tick label %d at x = %.1f px runs past the image (0 .. %.0f)", p, i,
                     x[i], SVG_WIDTH);
        /* evenly spaced, readable apart (one panel's labels; rates has one
         * labelled panel) */
        if (i > 0 && (x[i] - x[i - 1] < want_min_step_px ||
                      fabs((x[i] - x[i - 1]) - (x[1] - x[0])) > 1.0))
            fail_msg("%s: tick labels %d and %d at %.1f and %.1f px: not evenly spaced at "
                     ">= %.0f px",
                     p, i - 1, i, x[i - 1], x[i], want_min_step_px);
    }
    free(svg);
    free(p);
}

/* The curve of colour rgb in an SVG is drawn as steps: every segment of
 * its path horizontal or vertical (a line between samples would slope),
 * and at least one vertical. */
static void assert_steps(const char *dir, const char *chart, const char *rgb)
{
    char *p = th_path(dir, chart);
    char *svg = th_read(p);
    assert_non_null(svg);
    char pat[128];
    snprintf(pat, sizeof pat, "<path stroke='%s'  d='", rgb);
    const char *s = strstr(svg, pat);
    if (!s)
        fail_msg("%s: no path of colour %s", p, rgb);
    s += strlen(pat);
    double px = NAN, py = NAN;
    int vertical = 0, segments = 0;
    while (*s && *s != '\'') {
        char op;
        double x, y;
        int used;
        if (sscanf(s, " %c%lf,%lf%n", &op, &x, &y, &used) != 3)
            break;
        s += used;
        if (op == 'L' && !isnan(px)) {
            segments++;
            if (fabs(x - px) > 0.02 && fabs(y - py) > 0.02)
                fail_msg("%s: a sloped segment (%.2f,%.2f)-(%.2f,%.2f) in the %s curve: not "
                         "steps",
                         p, px, py, x, y, rgb);
            vertical += fabs(x - px) <= 0.02 && fabs(y - py) > 0.02;
        }
        px = x;
        py = y;
    }
    printf("  %s %s: %d segments, %d vertical, none sloped\n", chart, rgb, segments, vertical);
    assert_true(segments > 10 && vertical > 0);
    free(svg);
    free(p);
}

static void tick_labels_inside_image(void **state)
{
    (void)state;
    NEED_GNUPLOT();
    /* busy spans that put the window's right edge on a tick (10:00-10:40
     * is shown 09:50-10:50 with ticks every 10 minutes), short, a working
     * day, and several days */
    static const struct {
        double lo, hi, horizon;
    } cases[] = {
        {36000, 38400, 2 * 86400.0},  {36000, 40200, 2 * 86400.0}, {68400, 68700, 86400.0},
        {32400, 61200, 2 * 86400.0},  {36000, 158400, 3 * 86400.0},
        {3600, 5 * 86400.0, 6 * 86400.0},
    };
    char *root = th_tmpdir("charts");
    char *out = th_path(root, "out.txt"), *errf = th_path(root, "err.txt");
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char name[32];
        snprintf(name, sizeof name, "case%zu", k);
        char *d = th_path(root, name);
        mkdir(d, 0755);
        write_series(d, cases[k].lo, cases[k].hi, cases[k].horizon);
        char *argv[] = {"provsim", "plot", d, NULL};
        int rc = th_run(argv, out, errf);
        if (rc != 0) {
            char *e = th_read(errf);
            fail_msg("provsim plot %s: exit %d: %s", d, rc, e ? e : "");
        }
        printf("busy %.0f..%.0f s of %.0f s:\n", cases[k].lo, cases[k].hi, cases[k].horizon);
        assert_labels_inside(d, "backlog.svg", 60);
        assert_labels_inside(d, "rates.svg", 60);
        /* counts are steps: the failed tasks (#e15759) and the attempts
         * per minute (#4e79a7) */
        assert_steps(d, "backlog.svg", "rgb(225,  87,  89)");
        assert_steps(d, "rates.svg", "rgb( 78, 121, 167)");
        /* the same as a compare of two scenarios on one timeline */
        char *cd = th_path(d, "cmp");
        mkdir(cd, 0755);
        write_series(cd, cases[k].lo, cases[k].hi, cases[k].horizon);
        char *s1 = th_path(cd, "series.csv"), *s2 = th_path(cd, "series-1.csv"),
             *s3 = th_path(cd, "series-2.csv"), *cj = th_path(cd, "compare.json");
        char *text = th_read(s1);
        th_write(s2, text);
        th_write(s3, text);
        unlink(s1);
        th_write(cj, "{\"scenarios\": [{\"label\": \"A\", \"name\": \"a\", \"series\": "
                     "\"series-1.csv\"}, {\"label\": \"B\", \"name\": \"b\", \"series\": "
                     "\"series-2.csv\"}]}\n");
        char *cargv[] = {"provsim", "plot", cd, NULL};
        if ((rc = th_run(cargv, out, errf)) != 0) {
            char *e = th_read(errf);
            fail_msg("provsim plot %s: exit %d: %s", cd, rc, e ? e : "");
        }
        assert_labels_inside(cd, "backlog.svg", 60);
        assert_labels_inside(cd, "rates.svg", 60);
        free(text);
        free(s1);
        free(s2);
        free(s3);
        free(cj);
        free(cd);
        free(d);
    }
    th_rmtree(root);
    free(root);
    free(out);
    free(errf);
}

/* ---- titles ------------------------------------------------------------------- */

static void long_titles_wrap(void **state)
{
    (void)state;
    struct gp_text v = {0};
    const char *name = "A scenario whose name is long enough to need two lines, and then "
                       "some more words so that it would run off the chart if it were "
                       "written on a single title line";
    gp_var_title(&v, "name", name, 60);
    printf("%s", v.p);
    /* every word is there, in lines joined by "\n" */
    assert_non_null(strstr(v.p, "'A scenario whose name is long enough to need two lines,"));
    assert_non_null(strstr(v.p, " . \"\\n\" . "));
    assert_non_null(strstr(v.p, "single title line'"));
    assert_null(strstr(v.p, "..."));
    /* no quoted run longer than a line */
    for (const char *s = v.p; (s = strchr(s, '\''));) {
        const char *e = strchr(s + 1, '\'');
        assert_non_null(e);
        assert_true(e - s - 1 <= 60);
        s = e + 1;
    }
    free(v.p);
    /* more than GP_TITLE_LINES lines: the last is cut with "..." */
    char big[1200];
    big[0] = '\0';
    for (int i = 0; i < 60; i++)
        strcat(big, "word ");
    struct gp_text w = {0};
    gp_var_title(&w, "t", big, 40);
    int joins = 0;
    for (const char *s = w.p; (s = strstr(s, "\"\\n\"")); s++)
        joins++;
    assert_int_equal(joins, GP_TITLE_LINES - 1);
    assert_non_null(strstr(w.p, "...'"));
    free(w.p);
    /* a short one is unchanged */
    struct gp_text u = {0};
    gp_var_title(&u, "t", "short", 40);
    assert_string_equal(u.p, "t = 'short'\n");
    free(u.p);
}

/* ---- words for key paths -------------------------------------------------- */

static void path_labels(void **state)
{
    (void)state;
    char b[256];
    assert_string_equal(plotlabel_path("workload.rollouts[0].at", b, sizeof b),
                        "rollout start time");
    assert_string_equal(plotlabel_path("workload.rollouts[0].batch_size", b, sizeof b),
                        "batch size (users)");
    assert_string_equal(plotlabel_path("workload.rollouts[2].batch_size", b, sizeof b),
                        "batch size (users) (rollout 3)");
    assert_string_equal(plotlabel_path("server.limits[1].rate", b, sizeof b),
                        "rate limit (requests per second) (limit 2)");
    assert_string_equal(plotlabel_path("client.workers", b, sizeof b),
                        "client workers (requests at once)");
    /* unknown paths as written */
    assert_string_equal(plotlabel_path("server.latency.median", b, sizeof b),
                        "server.latency.median");
    assert_string_equal(plotlabel_path("a[x]", b, sizeof b), "a[x]");
    char small[8];
    plotlabel_path("workload.rollouts[0].at", small, sizeof small);
    assert_int_equal(strlen(small), 7);
}

/* ---- a sweep over one axis: every goal against it, in words ----------------- */

static const char tiny_json[] =
    "{\"name\": \"tiny\", \"start\": \"2026-12-01T00:00\", \"horizon\": \"1d\","
    " \"seed\": 7, \"replications\": 2,"
    " \"server\": {\"limits\": [{\"name\": \"writes\", \"type\": \"token_bucket\","
    "   \"rate\": \"600/min\", \"burst\": 60}],"
    "  \"retry_after\": {\"mode\": \"limiter\"},"
    "  \"latency\": {\"dist\": \"lognormal\", \"median\": \"300ms\", \"p95\": \"1s\"},"
    "  \"reject_latency\": \"50ms\"},"
    " \"client\": {\"workers\": 8, \"retry\": {\"policy\": \"retry_after\", \"max_attempts\": 0}},"
    " \"workload\": {\"rollouts\": [{\"kind\": \"create\", \"users\": 400, \"at\": \"10:00\","
    "   \"batch_size\": 100, \"batch_interval\": \"2m\"}],"
    "  \"background\": {\"shape\": \"business_hours\", \"peak_per_hour\": 60},"
    "  \"other_clients\": {\"shape\": \"business_hours\", \"peak_per_hour\": 600}}}";

static void one_axis_sweep_draws_every_goal(void **state)
{
    (void)state;
    NEED_GNUPLOT();
    char *root = th_tmpdir("charts-sweep");
    char *scn = th_path(root, "tiny.json"), *d = th_path(root, "sw");
    char *out = th_path(root, "out.txt"), *errf = th_path(root, "err.txt");
    th_write(scn, tiny_json);
    char *argv[] = {"provsim", "sweep", scn, "--vary",
                    "workload.rollouts[0].batch_size=50,100,200+workload.rollouts[0]."
                    "batch_interval=1m,2m,4m",
                    "--reps", "2", "--out", d, "--plot", NULL};
    assert_int_equal(th_run(argv, out, errf), 0);
    char *t = th_read(out);
    assert_non_null(t);
    printf("%s", t);
    /* --plot says what it wrote: each goal the CSV holds, no heatmap */
    static const char *const charts[] = {"clear-time", "other-clients-throttled",
                                         "background-latency-p95"};
    for (size_t i = 0; i < sizeof charts / sizeof charts[0]; i++) {
        char line[1024], *svgp;
        snprintf(line, sizeof line, "wrote %s/%s.png and %s/%s.svg\n", d, charts[i], d,
                 charts[i]);
        if (!strstr(t, line))
            fail_msg("stdout lacks \"%s\"", line);
        snprintf(line, sizeof line, "%s.svg", charts[i]);
        svgp = th_path(d, line);
        char *svg = th_read(svgp);
        assert_non_null(svg);
        /* the axis title in words, with the linked path */
        if (!strstr(svg, "batch size (users), with batch interval"))
            fail_msg("%s: no axis title in words", svgp);
        assert_null(strstr(svg, "<text>workload.rollouts[0].batch_size</text>"));
        /* ticks name both linked values */
        if (!strstr(svg, "<text>100 / 2m</text>"))
            fail_msg("%s: no tick label \"100 / 2m\"", svgp);
        free(svg);
        free(svgp);
    }
    assert_null(strstr(t, "heatmap"));
    free(t);
    /* provsim plot lists the same charts */
    char *pargv[] = {"provsim", "plot", d, NULL};
    assert_int_equal(th_run(pargv, out, errf), 0);
    t = th_read(out);
    assert_non_null(strstr(t, "/other-clients-throttled.png (and .svg)"));
    free(t);
    th_rmtree(root);
    free(root);
    free(scn);
    free(d);
    free(out);
    free(errf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(time_ticks),
        cmocka_unit_test(tick_labels_inside_image),
        cmocka_unit_test(long_titles_wrap),
        cmocka_unit_test(path_labels),
        cmocka_unit_test(one_axis_sweep_draws_every_goal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

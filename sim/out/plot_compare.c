/* plot_compare.c -- a compare's charts (backlog.*, rates.*): every
 * scenario's series-N.csv overlaid, one colour per scenario, on one clock
 * when they share a timeline, else each from when its backlog began. */
#include "out/plot_charts.h"

#include "out/jsonfile.h"
#include "out/plot.h"
#include "out/resultdir.h"
#include "base/units.h"
#include "base/util.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEGEND_MAX 80 /* bytes of a scenario name in a legend */

/* The scenarios of a compare: for each, its series file, its legend name
 * and where its action is. */
struct lineup {
    size_t n;
    char **files, **names; /* owned */
    struct plot_activity *s;
};

/* How many scenarios compare.json lists; without a usable compare.json,
 * how many series files there are in a row from series-1.csv. */
static size_t count_scenarios(const struct gp_ctx *c, const cJSON *scns)
{
    size_t n = 0;
    if (cJSON_IsArray(scns))
        n = (size_t)cJSON_GetArraySize(scns);
    else /* no usable compare.json: draw what series there are */
        for (char f[32]; resdir_compare_series_name(f, sizeof f, (int)n), resdir_has(c->dir, f);)
            n++;
    return n;
}

/* Fills u with n scenarios (names from scns when it is an array) and
 * scans their series. Returns 0, or -1 with err; u is filled either way
 * (lineup_fini). */
static int lineup_load(struct lineup *u, size_t n, const struct gp_ctx *c, const cJSON *scns,
                       char *err, size_t errlen)
{
    u->n = n;
    u->files = xcalloc(n, sizeof *u->files);
    u->names = xcalloc(n, sizeof *u->names);
    u->s = xcalloc(n, sizeof *u->s);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char f[32];
        resdir_compare_series_name(f, sizeof f, (int)i);
        u->files[i] = xstrdup(f);
        const char *nm = cJSON_IsArray(scns)
                             ? jsonfile_str(cJSON_GetArrayItem(scns, (int)i), "name")
                             : NULL;
        if (nm) {
            u->names[i] = gp_shorten(nm, LEGEND_MAX);
        } else {
            char d[32];
            snprintf(d, sizeof d, "scenario %zu", i + 1);
            u->names[i] = xstrdup(d);
        }
        char *path = gp_path(c->dir, f);
        if (rc == 0 && plot_activity_scan(path, &u->s[i], err, errlen) != 0)
            rc = -1;
        free(path);
    }
    return rc;
}

static void lineup_fini(struct lineup *u)
{
    for (size_t i = 0; i < u->n; i++) {
        free(u->files[i]);
        free(u->names[i]);
    }
    free(u->files);
    free(u->names);
    free(u->s);
}

/* The x axis of the compare charts. */
struct timeline {
    int clock;           /* one wall clock for all, else each from its backlog start */
    double *off;         /* per scenario: t_s + off is the x of t_s, in seconds; owned */
    double x0, x1;       /* the range shown, in units of scale */
    double scale;        /* seconds per x unit */
    char xtitle[96];
};

/* One clock when the scenarios share a timeline (the same start, busy at
 * overlapping times); otherwise each is shifted to the minute its backlog
 * began, so the curves lie over each other and the legend (u->names) says
 * when that was. */
static void timeline_init(struct timeline *x, struct lineup *u)
{
    const struct plot_activity *s = u->s;
    size_t n = u->n;
    x->clock = 1;
    for (size_t i = 0; i < n; i++) {
        if (s[i].start != s[0].start)
            x->clock = 0;
        for (size_t j = 0; j < i; j++)
            if (s[i].act_lo <= s[i].act_hi && s[j].act_lo <= s[j].act_hi &&
                (s[i].act_lo > s[j].act_hi || s[j].act_lo > s[i].act_hi))
                x->clock = 0;
    }
    x->off = xcalloc(n, sizeof *x->off);
    double lo = INFINITY, hi = -INFINITY, first = INFINITY, last = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        double align = s[i].act_lo <= s[i].act_hi ? s[i].act_lo : s[i].t_first;
        x->off[i] = x->clock ? (double)s[0].start : -align;
        double o = x->clock ? 0.0 : -align;
        if (s[i].act_lo <= s[i].act_hi) {
            lo = fmin(lo, s[i].act_lo + o);
            hi = fmax(hi, s[i].act_hi + o);
        }
        first = fmin(first, s[i].t_first + o);
        last = fmax(last, s[i].t_last + o);
    }
    x->scale = 1.0;
    snprintf(x->xtitle, sizeof x->xtitle, "wall-clock time (scenario local time)");
    plot_window(lo, hi, first, last, x->clock ? (double)s[0].start : 0.0, &x->x0, &x->x1);
    if (x->clock)
        return;
    x->scale = x->x1 - x->x0 > 3 * 3600.0 ? 3600.0 : 60.0;
    snprintf(x->xtitle, sizeof x->xtitle, "%s since each scenario's backlog began",
             x->scale == 60.0 ? "minutes" : "hours");
    for (size_t i = 0; i < n; i++) {
        char when[32], *nm;
        double align = s[i].act_lo <= s[i].act_hi ? s[i].act_lo : s[i].t_first;
        units_format_clock(s[i].start + (int64_t)floor(align), when, sizeof when);
        size_t len = strlen(u->names[i]) + strlen(when) + 16;
        nm = xmalloc(len);
        snprintf(nm, len, "%s (from %s)", u->names[i], when);
        free(u->names[i]);
        u->names[i] = nm;
    }
    x->x0 /= x->scale;
    x->x1 /= x->scale;
}

static int draw_lineup(const struct gp_ctx *c, const struct lineup *u, const struct timeline *x,
                       char *err, size_t errlen)
{
    size_t n = u->n;
    int other = 0;
    for (size_t i = 0; i < n; i++)
        other |= u->s[i].other;
    struct gp_text v = {0};
    gp_var_num(&v, "n", (double)n);
    gp_var_strs(&v, "files", (const char *const *)u->files, n);
    gp_var_strs(&v, "names", (const char *const *)u->names, n);
    gp_printf(&v, "array xoffs[%zu]\n", n);
    for (size_t i = 0; i < n; i++)
        gp_printf(&v, "xoffs[%zu] = %.17g\n", i + 1, x->off[i]);
    gp_var_num(&v, "clock", x->clock);
    gp_var_num(&v, "xscale", x->scale);
    gp_var_num(&v, "xmin", x->x0);
    gp_var_num(&v, "xmax", x->x1);
    double tic0 = 0, ticstep = 0; /* wall-clock ticks; 0: gnuplot's own */
    if (x->clock)
        plot_time_ticks(x->x0, x->x1, &tic0, &ticstep);
    gp_var_num(&v, "xtic0", tic0);
    gp_var_num(&v, "xticstep", ticstep);
    gp_var_str(&v, "xtitle", x->xtitle);
    gp_var_num(&v, "other", other);
    int rc = gp_draw(c, "backlog", "compare-backlog", &v, err, errlen);
    if (rc == 0)
        rc = gp_draw(c, "rates", "compare-rates", &v, err, errlen);
    free(v.p);
    return rc;
}

int plot_draw_compare(const struct gp_ctx *c, char *err, size_t errlen)
{
    cJSON *cj = jsonfile_read(c->dir, RESDIR_COMPARE_JSON, NULL, 0);
    const cJSON *scns = cJSON_GetObjectItemCaseSensitive(cj, "scenarios");
    size_t n = count_scenarios(c, scns);
    if (n == 0) {
        snprintf(err, errlen, "%s: " RESDIR_COMPARE_JSON " lists no scenarios", c->dir);
        cJSON_Delete(cj);
        return PLOT_NO_DATA;
    }
    struct lineup u;
    int rc = lineup_load(&u, n, c, scns, err, errlen);
    cJSON_Delete(cj);
    if (rc == 0) {
        struct timeline x;
        timeline_init(&x, &u);
        rc = draw_lineup(c, &u, &x, err, errlen);
        free(x.off);
    }
    lineup_fini(&u);
    return rc == 0 ? PLOT_OK : PLOT_FAILED;
}

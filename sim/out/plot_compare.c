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

int plot_draw_compare(const struct gp_ctx *c, char *err, size_t errlen)
{
    cJSON *cj = jsonfile_read(c->dir, RESDIR_COMPARE_JSON, NULL, 0);
    const cJSON *scns = cJSON_GetObjectItemCaseSensitive(cj, "scenarios");
    size_t n = 0;
    if (cJSON_IsArray(scns))
        n = (size_t)cJSON_GetArraySize(scns);
    else /* no usable compare.json: gp_draw what series there are */
        for (char f[32]; resdir_compare_series_name(f, sizeof f, (int)n), resdir_has(c->dir, f);)
            n++;
    if (n == 0) {
        snprintf(err, errlen, "%s: " RESDIR_COMPARE_JSON " lists no scenarios", c->dir);
        cJSON_Delete(cj);
        return PLOT_NO_DATA;
    }
    char **files = xcalloc(n, sizeof *files), **names = xcalloc(n, sizeof *names);
    struct plot_activity *s = xcalloc(n, sizeof *s);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char f[32];
        resdir_compare_series_name(f, sizeof f, (int)i);
        files[i] = xstrdup(f);
        const char *nm = cJSON_IsArray(scns)
                             ? jsonfile_str(cJSON_GetArrayItem(scns, (int)i), "name")
                             : NULL;
        if (nm) {
            names[i] = gp_shorten(nm, LEGEND_MAX);
        } else {
            char d[32];
            snprintf(d, sizeof d, "scenario %zu", i + 1);
            names[i] = xstrdup(d);
        }
        char *path = gp_path(c->dir, f);
        if (rc == 0 && plot_activity_scan(path, &s[i], err, errlen) != 0)
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
        plot_window(lo, hi, first, last, clock ? (double)s[0].start : 0.0, &x0, &x1);
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
        struct gp_text v = {0};
        gp_var_num(&v, "n", (double)n);
        gp_var_strs(&v, "files", (const char *const *)files, n);
        gp_var_strs(&v, "names", (const char *const *)names, n);
        gp_printf(&v, "array xoffs[%zu]\n", n);
        for (size_t i = 0; i < n; i++)
            gp_printf(&v, "xoffs[%zu] = %.17g\n", i + 1, off[i]);
        free(off);
        gp_var_num(&v, "clock", clock);
        gp_var_num(&v, "xscale", scale);
        gp_var_num(&v, "xmin", x0);
        gp_var_num(&v, "xmax", x1);
        gp_var_str(&v, "xtitle", xtitle);
        gp_var_num(&v, "other", other);
        rc = gp_draw(c, "backlog", "compare-backlog", &v, err, errlen);
        if (rc == 0)
            rc = gp_draw(c, "rates", "compare-rates", &v, err, errlen);
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

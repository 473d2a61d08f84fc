/* compare.c -- see compare.h: cmp_run (load every scenario, run them
 * with common random numbers, pair the replications, word the findings)
 * and the text summary. The result files are compare_write.c's.
 *
 * Invariants:
 * - Nothing is written if a scenario is invalid; DIR and the series
 *   files are opened before any replication runs.
 * - Every scenario ends with the same number of replications r->reps, so
 *   every difference is taken over complete pairs.
 * - A finding calls a difference significant only if the 95% CI of the
 *   paired difference excludes 0. */
#include "plan/compare_internal.h"

#include "base/file.h"
#include "base/outfile.h"
#include "base/progress.h"
#include "out/summary.h"
#include "out/origin.h"
#include "out/resultdir.h"
#include "out/series.h"
#include "run/runner.h"
#include "scenario/scenario.h"
#include "run/memlimit.h"
#include "base/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

/* ---- findings ------------------------------------------------------------ */

enum key_kind {
    KEY_TIME,     /* durations: "1h 12m sooner" / "later" */
    KEY_PERCENT,  /* counts: "96% fewer" / "12% more" than the first */
    KEY_ABSOLUTE, /* "0.45s lower", "12.3 fewer" */
};

/* The key metrics of the table and the findings. phrase holds one %s for
 * the amount ("1h 12m sooner"); less/more name the direction. */
static const struct key {
    enum metric m;
    enum key_kind kind;
    const char *phrase, *less, *more;
} keys[] = {
    /* harm first: what the rollout does to everyone else, paired against
     * the same day without it */
    {METRIC_HARM_OTHER_THROTTLED, KEY_ABSOLUTE,
     "causes %s extra 429s to the other clients of the API than", "fewer", "more"},
    {METRIC_HARM_BG_DELAY_MEAN, KEY_ABSOLUTE, "delays background jobs by %s on average than",
     "less", "more"},
    {METRIC_HARM_BG_DELAY_MAX, KEY_ABSOLUTE, "delays the worst-hit background job by %s than",
     "less", "more"},
    {METRIC_HARM_BG_DELAYED_JOBS, KEY_ABSOLUTE, "delays %s background jobs past the threshold than",
     "fewer", "more"},
    {METRIC_CLEAR_TIME, KEY_TIME, "clears the rollout %s than", "sooner", "later"},
    {METRIC_FAILED_TASKS_ZERO, KEY_TIME, "clears the failed-task list %s than", "sooner", "later"},
    {METRIC_THROTTLED, KEY_PERCENT, "gets %s 429s than", "fewer", "more"},
    {METRIC_OTHER_THROTTLED, KEY_PERCENT,
     "causes %s collateral 429s (other clients of the API throttled) than", "fewer", "more"},
    {METRIC_BACKGROUND_LAT_P95, KEY_ABSOLUTE, "keeps background jobs' p95 latency %s than", "lower",
     "higher"},
    {METRIC_PEAK_FAILED_TASKS, KEY_PERCENT, "peaks at %s failed tasks than", "fewer", "more"},
    {METRIC_AMPLIFICATION, KEY_ABSOLUTE, "sends %s attempts per job than", "fewer", "more"},
};
#define NKEYS (int)(sizeof keys / sizeof keys[0])

/* "B (after hours)"; a name too long to repeat in every finding is left
 * to the legend ("B"). */
static void label_of(const struct cmp_result *r, int i, char *buf, size_t len)
{
    if (strlen(r->sc[i].name) <= CMP_SHORT_NAME)
        snprintf(buf, len, "%c (%s)", 'A' + i, r->sc[i].name);
    else
        snprintf(buf, len, "%c", 'A' + i);
}

/* |v| of metric m for people: durations, counts, ratios. */
static void fmt_abs(char *buf, size_t len, enum metric m, double v)
{
    summary_format_value(buf, len, m, fabs(v));
}

/* A signed value: "+2m 05s", "-378", "0". */
static void fmt_signed(char *buf, size_t len, enum metric m, double v)
{
    if (len < 2 || v == 0.0) {
        snprintf(buf, len, "0");
        return;
    }
    buf[0] = v < 0 ? '-' : '+';
    fmt_abs(buf + 1, len - 1, m, v);
}

static void fmt_pct(char *buf, size_t len, double pct)
{
    if (pct < 9.95)
        snprintf(buf, len, "%.1f%%", pct);
    else
        snprintf(buf, len, "%.0f%%", pct);
}

/* The indicator that says whether metric m of scenario i is a censored
 * lower bound in some replication (its mean below 1), or -1: never. */
static int censor_of(enum metric m)
{
    return m == METRIC_CLEAR_TIME          ? METRIC_CLEARED
           : m == METRIC_FAILED_TASKS_ZERO ? METRIC_FAILED_TASKS_CLEARED
                                           : -1;
}

static int censored(const struct cmp_result *r, int i, enum metric m)
{
    int c = censor_of(m);
    return c >= 0 && r->sc[i].sum[c].mean < 1.0;
}

static char *finding(const struct cmp_result *r, int i, const struct key *k)
{
    const struct stats_summary *d = &r->sc[i].diff[k->m];
    const struct stats_summary *base = &r->sc[0].sum[k->m];
    const struct stats_summary *mine = &r->sc[i].sum[k->m];
    char a[256], b[256], out[1024];
    label_of(r, i, a, sizeof a);
    label_of(r, 0, b, sizeof b);
    const char *what = metric_table[k->m].label;
    if (!isfinite(d->mean))
        return NULL;
    /* 0 in every replication of both: nothing to say */
    if (base->min == 0.0 && base->max == 0.0 && mine->min == 0.0 && mine->max == 0.0)
        return NULL;
    /* a censored value is a lower bound, not a result: no difference */
    for (int e = 0; e < 2; e++) {
        int who = e ? i : 0;
        if (!censored(r, who, k->m))
            continue;
        char v[64], lab[256];
        fmt_abs(v, sizeof v, k->m, r->sc[who].sum[k->m].min);
        label_of(r, who, lab, sizeof lab);
        snprintf(out, sizeof out,
                 "%s vs %s: no comparison of %s: %s did not finish within the horizon in "
                 "%.0f%% of the replications (at least %s there); use a longer horizon or "
                 "\"auto\"",
                 a, b, what, lab, 100.0 * (1.0 - r->sc[who].sum[censor_of(k->m)].mean), v);
        return xstrdup(out);
    }
    if (d->mean == 0.0 && d->sd == 0.0) {
        snprintf(out, sizeof out, "%s and %s: the same %s in every replication (difference 0)", a,
                 b, what);
        return xstrdup(out);
    }
    char m[64], lo[64], hi[64];
    if (d->n < 2 || !isfinite(d->ci_lo) || !isfinite(d->ci_hi)) {
        fmt_signed(m, sizeof m, k->m, d->mean);
        snprintf(out, sizeof out,
                 "%s vs %s: %s differs by %s (one replication: no confidence "
                 "interval; use --reps 2 or more)",
                 a, b, what, m);
        return xstrdup(out);
    }
    if (d->ci_lo <= 0.0 && d->ci_hi >= 0.0) {
        fmt_signed(m, sizeof m, k->m, d->mean);
        fmt_signed(lo, sizeof lo, k->m, d->ci_lo);
        fmt_signed(hi, sizeof hi, k->m, d->ci_hi);
        snprintf(out, sizeof out,
                 "%s vs %s: no significant difference in %s (difference %s, "
                 "95%% CI %s to %s)",
                 a, b, what, m, lo, hi);
        return xstrdup(out);
    }
    /* significant: the CI lies on one side of 0; say it as a positive
     * amount in the direction of the difference */
    int less = d->mean < 0;
    double am = fabs(d->mean);
    double alo = less ? -d->ci_hi : d->ci_lo, ahi = less ? -d->ci_lo : d->ci_hi;
    char amount[128];
    if (k->kind == KEY_PERCENT && base->mean != 0.0 && isfinite(base->mean)) {
        double s = 100.0 / fabs(base->mean);
        fmt_pct(m, sizeof m, am * s);
        fmt_pct(lo, sizeof lo, alo * s);
        fmt_pct(hi, sizeof hi, ahi * s);
    } else {
        fmt_abs(m, sizeof m, k->m, am);
        fmt_abs(lo, sizeof lo, k->m, alo);
        fmt_abs(hi, sizeof hi, k->m, ahi);
    }
    snprintf(amount, sizeof amount, "%s %s", m, less ? k->less : k->more);
    char phrase[256];
    /* the phrase is one of the constant strings above, with one %s */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    snprintf(phrase, sizeof phrase, k->phrase, amount);
#pragma GCC diagnostic pop
    snprintf(out, sizeof out, "%s %s %s (95%% CI %s - %s)", a, phrase, b, lo, hi);
    return xstrdup(out);
}

static void make_findings(struct cmp_result *r)
{
    r->findings = xcalloc((size_t)(NKEYS * r->n), sizeof *r->findings);
    for (int k = 0; k < NKEYS; k++)
        for (int i = 1; i < r->n; i++) {
            char *f = finding(r, i, &keys[k]);
            if (f)
                r->findings[r->nfindings++] = f;
        }
}

/* ---- the text summary ----------------------------------------------------- */

void cmp_print_text(FILE *f, const struct cmp_result *r)
{
    fprintf(f,
            "Paired comparison: seed %llu, %d replications each; replication r of every "
            "scenario draws the same random streams\n",
            (unsigned long long)r->seed, r->reps);
    if (r->precision > 0) {
        int reached = 0;
        for (int i = 0; i < r->n; i++)
            reached += r->sc[i].precision_reached;
        fprintf(f, "  precision %g%%: %d replications, the most any scenario needed%s\n",
                100.0 * r->precision, r->reps,
                reached == r->n ? ""
                                : " (NOT reached by every scenario within the cap; raise "
                                  "--reps)");
    }
    for (int i = 0; i < r->n; i++) {
        /* its file's SHA-256, then every --set it ran with (the common ones
         * and its side's), in order */
        fprintf(f, "  %c  %s  (%s, SHA-256 %s", 'A' + i, r->sc[i].name, r->sc[i].file,
                r->sc[i].sha256);
        const cJSON *ov = cJSON_GetObjectItemCaseSensitive(r->sc[i].provenance, "overrides");
        for (const cJSON *e = ov ? ov->child : NULL; e; e = e->next)
            if (cJSON_IsString(e)) {
                fputs(" --set ", f);
                origin_put_text(f, e->valuestring);
            }
        fputs(")\n", f);
    }
    fprintf(f, "  provsim %s\n", PROVSIM_VERSION);
    fprintf(f, "\n%-26s %-3s %12s   %-21s %12s   %s\n", "metric", "", "mean", "95% CI", "diff to A",
            "95% CI of the paired diff");
    for (int k = 0; k < NKEYS; k++) {
        enum metric m = keys[k].m;
        for (int i = 0; i < r->n; i++) {
            const struct stats_summary *s = &r->sc[i].sum[m], *d = &r->sc[i].diff[m];
            char mean[40], lo[40], hi[40], ci[96] = "", dm[40] = "", dci[96] = "";
            summary_format_value(mean, sizeof mean, m, s->mean);
            if (censored(r, i, m)) {
                /* a lower bound: no CI, no difference */
                char lb[48];
                snprintf(lb, sizeof lb, ">=%s", mean);
                fprintf(f, "%-26s %-3c %12s   %s\n", i == 0 ? metric_table[m].name : "", 'A' + i,
                        lb, "(censored: not finished within the horizon)");
                continue;
            }
            if (isfinite(s->ci_lo) && isfinite(s->ci_hi)) {
                /* a CI can reach below 0 for a quantity that cannot */
                if (s->ci_lo < 0)
                    fmt_signed(lo, sizeof lo, m, s->ci_lo);
                else
                    summary_format_value(lo, sizeof lo, m, s->ci_lo);
                summary_format_value(hi, sizeof hi, m, s->ci_hi);
                /* "-0.85s - 8.62s" would misread */
                snprintf(ci, sizeof ci, s->ci_lo < 0 ? "%s to %s" : "%s - %s", lo, hi);
            }
            if (i > 0) {
                fmt_signed(dm, sizeof dm, m, d->mean);
                if (isfinite(d->ci_lo) && isfinite(d->ci_hi)) {
                    fmt_signed(lo, sizeof lo, m, d->ci_lo);
                    fmt_signed(hi, sizeof hi, m, d->ci_hi);
                    snprintf(dci, sizeof dci, "%s to %s", lo, hi);
                }
            }
            fprintf(f, "%-26s %-3c %12s   %-21s %12s   %s\n", i == 0 ? metric_table[m].name : "",
                    'A' + i, mean, ci, dm, dci);
        }
    }
    if (r->nfindings) {
        fputs("\nFindings (95% CI of the paired difference):\n", f);
        for (int i = 0; i < r->nfindings; i++)
            fprintf(f, "  - %s\n", r->findings[i]);
    }
}

/* ---- running --------------------------------------------------------------- */

/* cmp_run's working arrays, one entry per scenario in argument order. */
struct work {
    struct scenario *s; /* s[0..loaded) are loaded */
    struct run_result *res;
    struct outfile *series; /* DIR/series-N.csv, open until committed */
    struct run_series *so;  /* the sink writing series[i] */
    int loaded;
};

static int open_series(struct outfile *of, const char *dir, int i, char *err, size_t errlen)
{
    char name[32];
    resdir_compare_series_name(name, sizeof name, i);
    return outfile_open_in(of, dir, name, err, errlen);
}

/* Loads and checks every scenario, then picks the seed (the first's
 * unless --seed) and the replications (the most any asks for unless
 * --reps). Returns 0, or -1 with a message. */
static int load_all(const struct cmp_opts *o, struct cmp_result *r, struct work *w, char *err,
                    size_t errlen)
{
    char msg[SCN_ERRLEN];
    for (; w->loaded < r->n; w->loaded++) {
        int i = w->loaded;
        /* the common --sets, then the side's own */
        const struct cmp_side *side = o->sides ? &o->sides[i] : NULL;
        int nsets = o->nsets + (side ? side->nsets : 0);
        const char **sets = xcalloc((size_t)nsets + 1, sizeof *sets);
        for (int k = 0; k < o->nsets; k++)
            sets[k] = o->sets[k];
        for (int k = 0; side && k < side->nsets; k++)
            sets[o->nsets + k] = side->sets[k];
        int bad = scn_load(o->files[i], sets, nsets, &w->s[i], msg, sizeof msg);
        free(sets);
        if (bad)
            return side ? xerr(err, errlen, "side %c (%s): %s", 'A' + i, side->label, msg)
                        : xerr(err, errlen, "%s", msg);
        /* scenarios run one after the other, each on o->threads threads */
        if (mem_guard(&w->s[i], o->threads > 1 ? o->threads : 1, NULL, msg, sizeof msg)) {
            xerr(err, errlen, "%s: %s", o->files[i], msg);
            scn_fini(&w->s[i]);
            return -1;
        }
        r->sc[i].file = o->files[i];
        r->sc[i].name = xstrdup(side ? side->label : w->s[i].name);
        r->sc[i].side = side;
    }
    r->seed = o->seed >= 0 ? (uint64_t)o->seed : w->s[0].seed;
    r->reps = o->reps;
    if (r->reps <= 0)
        for (int i = 0; i < r->n; i++)
            r->reps = w->s[i].replications > r->reps ? w->s[i].replications : r->reps;
    return 0;
}

/* The directory and the series files before any time is spent: a bad
 * --out is a usage error. Returns 0, or -1 with a message. */
static int open_outputs(const struct cmp_opts *o, int n, struct work *w, char *err, size_t errlen)
{
    if (file_mkdirs(o->out_dir, err, errlen))
        return -1;
    for (int i = 0; i < n; i++)
        if (open_series(&w->series[i], o->out_dir, i, err, errlen))
            return -1;
    return 0;
}

/* The progress of a compare: scenario i's replications after the
 * i * reps of the ones before it (an upper bound with --precision). */
struct cmp_bar {
    struct progress bar;
    int scenario, n;
};

static void draw_bar(void *arg, int done, int total)
{
    struct cmp_bar *b = arg;
    int all = b->n * total, sofar = b->scenario * total + done;
    progress_draw(&b->bar, sofar, all, sofar, all, 0);
}

/* Runs every scenario with the same seed (with --precision, each until
 * its own target or the cap). Returns the most replications any took. */
static int run_all(const struct cmp_opts *o, struct cmp_result *r, struct work *w)
{
    int need = 0;
    struct cmp_bar bar = {.n = r->n};
    progress_init(&bar.bar, stderr, "replications", o->progress_delay_s);
    for (int i = 0; i < r->n; i++) {
        series_csv_out(&w->so[i], w->series[i].f);
        bar.scenario = i;
        struct run_opts ro = {.reps = r->reps,
                              .seed = r->seed,
                              .precision = o->precision,
                              .threads = o->threads,
                              .series = &w->so[i],
                              .on_progress = o->progress ? draw_bar : NULL,
                              .progress_arg = &bar};
        run_scenario(&w->s[i], &ro, &w->res[i]);
        r->sc[i].precision_reached = w->res[i].precision_reached;
        need = w->res[i].reps > need ? w->res[i].reps : need;
    }
    progress_end(&bar.bar, 0);
    return need;
}

/* Pairs need the same count: runs every scenario that took fewer again
 * with need replications (replication r is the same draw however often
 * run), its series file started over. Returns 0, or -1 with a message. */
static int level_reps(const struct cmp_opts *o, struct cmp_result *r, struct work *w, int need,
                      char *err, size_t errlen)
{
    for (int i = 0; i < r->n; i++) {
        if (w->res[i].reps == need)
            continue;
        run_result_fini(&w->res[i]);
        outfile_abort(&w->series[i]);
        if (open_series(&w->series[i], o->out_dir, i, err, errlen))
            return -1;
        series_csv_out(&w->so[i], w->series[i].f);
        struct run_opts ro = {
            .reps = need, .seed = r->seed, .threads = o->threads, .series = &w->so[i]};
        run_scenario(&w->s[i], &ro, &w->res[i]);
    }
    r->reps = need;
    return 0;
}

/* Each scenario's summaries, and its paired differences to the first,
 * replication by replication: d_r = x_r(i) - x_r(0). */
static void pair_differences(struct cmp_result *r, const struct run_result *res)
{
    int reps = r->reps;
    double *d = xmalloc((size_t)reps * sizeof *d);
    for (int i = 0; i < r->n; i++) {
        memcpy(r->sc[i].sum, res[i].sum, sizeof r->sc[i].sum);
        for (int m = 0; m < METRIC_COUNT; m++) {
            for (int k = 0; k < reps; k++)
                d[k] = res[i].values[(size_t)k * METRIC_COUNT + m] -
                       res[0].values[(size_t)k * METRIC_COUNT + m];
            stats_summarize(d, (size_t)reps, &r->sc[i].diff[m]);
        }
    }
    free(d);
}

static void work_fini(struct work *w, int n)
{
    for (int i = 0; i < n; i++) {
        if (w->series[i].f)
            outfile_abort(&w->series[i]);
        run_result_fini(&w->res[i]);
    }
    for (int i = 0; i < w->loaded; i++)
        scn_fini(&w->s[i]);
    free(w->series);
    free(w->so);
    free(w->res);
    free(w->s);
}

int cmp_run(const struct cmp_opts *o, struct cmp_result *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    if (o->nfiles < 2 || o->nfiles > CMP_MAX_SCENARIOS)
        return xerr(err, errlen, "compare: give 2 to %d scenarios", CMP_MAX_SCENARIOS),
               CMP_BAD_INPUT;
    int n = o->nfiles;
    r->n = n;
    r->sc = xcalloc((size_t)n, sizeof *r->sc);
    r->precision = o->precision;
    struct work w = {.s = xcalloc((size_t)n, sizeof *w.s),
                     .res = xcalloc((size_t)n, sizeof *w.res),
                     .series = xcalloc((size_t)n, sizeof *w.series),
                     .so = xcalloc((size_t)n, sizeof *w.so)};
    int rc = CMP_BAD_INPUT;
    if (load_all(o, r, &w, err, errlen) || open_outputs(o, n, &w, err, errlen))
        goto out;
    rc = CMP_FAILED;
    int need = run_all(o, r, &w);
    if (o->precision > 0 && level_reps(o, r, &w, need, err, errlen))
        goto out;
    for (int i = 0; i < n; i++) {
        r->sc[i].provenance = origin_json(&w.s[i].origin, r->seed, r->reps);
        memcpy(r->sc[i].sha256, w.s[i].origin.sha256, sizeof r->sc[i].sha256);
        r->sc[i].censored = w.res[i].censored;
    }
    pair_differences(r, w.res);
    make_findings(r);
    for (int i = 0; i < n; i++)
        if (outfile_commit(&w.series[i], err, errlen))
            goto out;
    if (cmp_write_results(r, o->out_dir, err, errlen))
        goto out;
    rc = CMP_OK;
out:
    work_fini(&w, n);
    return rc;
}

void cmp_result_fini(struct cmp_result *r)
{
    for (int i = 0; i < r->n; i++) {
        free(r->sc[i].name);
        cJSON_Delete(r->sc[i].provenance);
    }
    free(r->sc);
    for (int i = 0; i < r->nfindings; i++)
        free(r->findings[i]);
    free(r->findings);
    memset(r, 0, sizeof *r);
}

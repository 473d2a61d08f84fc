/* plan_write.c -- a plan's results: DIR/plan.json, DIR/plan.csv, the
 * one-sentence answer and the text on stdout.
 *
 * Invariants:
 * - Everything is written from the candidates' values and the
 *   procedure's state alone (no timings), so the bytes do not depend on
 *   --jobs.
 * - A mean from a candidate that stopped early is what it had when it
 *   stopped; its replication count is beside it everywhere.
 * - Every file is complete or absent (outfile). */
#include "plan/plan.h"

#include "base/file.h"
#include "base/outfile.h"
#include "base/units.h"
#include "base/util.h"
#include "out/csvfmt.h"
#include "out/origin.h"
#include "out/resultdir.h"
#include "scenario/scenario.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

static const char *fate_name(enum rs_fate f)
{
    switch (f) {
    case RS_IN_PLAY:
        return "in_play";
    case RS_CHOSEN:
        return "chosen";
    case RS_ELIMINATED:
        return "eliminated";
    case RS_INFEASIBLE:
        return "infeasible";
    case RS_EXCLUDED:
        return "censored";
    case RS_UNDECIDED:
        return "undecided";
    }
    return "?";
}

/* A value of metric m for people: a duration, a count or a percentage. */
static void fmt_metric(int m, double v, char *buf, size_t len)
{
    switch (metric_table[m].unit) {
    case METRIC_UNIT_SECONDS:
        units_format_duration(v, buf, len);
        return;
    case METRIC_UNIT_COUNT:
        if (fabs(v) >= 100 || v == floor(v))
            units_format_count(v, buf, len);
        else
            snprintf(buf, len, "%.3g", v);
        return;
    case METRIC_UNIT_RATIO:
        snprintf(buf, len, "%.1f%%", 100.0 * v);
        return;
    }
}

/* "Tue 20:07" for the first rollout job's creation + t seconds. */
static void fmt_clock(const struct plan_cand *c, double t, char *buf, size_t len)
{
    if (!isfinite(t)) {
        snprintf(buf, len, "-");
        return;
    }
    /* + 30 s: to the nearest minute, as the summary of run does */
    units_format_clock((int64_t)llround(c->first_at_epoch_s + t + 30.0), buf, len);
}

static void cand_label(const struct plan_opts *o, int i, char *buf, size_t len)
{
    struct sweep_opts so = {.axes = o->axes, .naxes = o->naxes};
    sweep_cell_label(&so, i, buf, len);
}

int plan_pareto(const struct plan_opts *o, const struct plan *pl, int l, int i)
{
    if (pl->rs.c[i].fate == RS_EXCLUDED)
        return 0;
    struct stats_summary a, b, ya, yb;
    plan_summary(pl, i, o->objective, &a);
    plan_summary(pl, i, o->cons[l].metric, &ya);
    int sign = o->cons[l].ge ? -1 : 1; /* smaller is better on the oriented metric */
    for (int j = 0; j < pl->k; j++) {
        if (j == i || pl->rs.c[j].fate == RS_EXCLUDED)
            continue;
        plan_summary(pl, j, o->objective, &b);
        plan_summary(pl, j, o->cons[l].metric, &yb);
        double bx = b.mean, ax = a.mean, by = sign * yb.mean, ay = sign * ya.mean;
        if (bx <= ax && by <= ay && (bx < ax || by < ay))
            return 0;
    }
    return 1;
}

/* ---- the sentence and the text ------------------------------------------------ */

static size_t add(char *buf, size_t len, size_t used, const char *fmt, ...) X_PRINTF(4, 5);
static size_t add(char *buf, size_t len, size_t used, const char *fmt, ...)
{
    if (used >= len)
        return used;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + used, len - used, fmt, ap);
    va_end(ap);
    return n > 0 ? used + (size_t)n : used;
}

/* "98 extra 429s to other clients" (a count), "rollout clear time 1h 07m"
 * (others). */
static size_t metric_words(char *buf, size_t len, size_t u, int m, double v)
{
    char a[48];
    fmt_metric(m, v, a, sizeof a);
    if (metric_table[m].unit == METRIC_UNIT_COUNT)
        return add(buf, len, u, "%s %s", a, metric_table[m].label);
    return add(buf, len, u, "%s %s", metric_table[m].label, a);
}

/* counts of each fate */
static void fates(const struct plan *pl, int *n)
{
    memset(n, 0, 6 * sizeof *n);
    for (int i = 0; i < pl->k; i++)
        n[pl->rs.c[i].fate]++;
}

void plan_sentence(const struct plan_opts *o, const struct plan *pl, char *buf, size_t len)
{
    char label[512], a[48], b[48], c[48];
    size_t u = 0;
    int best = pl->rs.chosen;
    buf[0] = '\0';
    if (best < 0) {
        u = add(buf, len, u, "%sNo plan meets the constraints",
                pl->rs.capped ? "Undecided: " : "");
    } else {
        const struct plan_cand *cb = &pl->c[best];
        struct stats_summary st;
        cand_label(o, best, label, sizeof label);
        u = add(buf, len, u, "%s%s%s", pl->rs.capped ? "Best so far (cap reached, no guarantee): " : "Choose ",
                label, ": ");
        int said_done = 0;
        if (cb->s->nrollouts > 0 && !cb->censored) {
            plan_summary(pl, best, METRIC_CLEAR_TIME, &st);
            fmt_clock(cb, st.mean, a, sizeof a);
            fmt_clock(cb, st.ci_lo, b, sizeof b);
            fmt_clock(cb, st.ci_hi, c, sizeof c);
            /* "Tue 20:07 (95% CI 20:05-20:09)": the day once when the
             * interval is within it */
            int same = !strncmp(a, b, 4) && !strncmp(a, c, 4);
            u = add(buf, len, u, "done by %s (95%% CI %s-%s)", a, same ? b + 4 : b,
                    same ? c + 4 : c);
            said_done = 1;
        }
        if (o->objective != METRIC_CLEAR_TIME || !said_done) {
            plan_summary(pl, best, o->objective, &st);
            u = add(buf, len, u, "%s", said_done ? ", " : "");
            u = metric_words(buf, len, u, o->objective, st.mean);
        }
        for (int l = 0; l < o->ncons; l++) {
            if (o->cons[l].done_by)
                continue;
            int m = o->cons[l].metric;
            plan_summary(pl, best, m, &st);
            fmt_metric(m, o->cons[l].value, b, sizeof b);
            u = add(buf, len, u, ", ");
            u = metric_words(buf, len, u, m, st.mean);
            u = add(buf, len, u, " (%s %s)", o->cons[l].ge ? "at least" : "budget", b);
        }
    }
    int n[6];
    fates(pl, n);
    snprintf(a, sizeof a, "%d", pl->k);
    snprintf(b, sizeof b, "%d", n[RS_INFEASIBLE]);
    snprintf(c, sizeof c, "%d", n[RS_ELIMINATED]);
    u = add(buf, len, u, "; %s plans tried, %s %s infeasible, %s eliminated", a, b,
            n[RS_INFEASIBLE] == 1 ? "was" : "were", c);
    if (n[RS_EXCLUDED]) {
        snprintf(a, sizeof a, "%d", n[RS_EXCLUDED]);
        u = add(buf, len, u, ", %s left out (not cleared within the horizon)", a);
    }
    units_format_count((double)pl->rs.total, a, sizeof a);
    units_format_count((double)pl->full_total, b, sizeof b);
    add(buf, len, u, "; %s replications, a full sweep at this precision would have needed about %s.",
        a, b);
}

/* The evidence of candidate i's fate, in words. */
static void fate_text(const struct plan_opts *o, const struct plan *pl, int i, char *buf,
                      size_t len)
{
    const struct rs_cand *rc = &pl->rs.c[i];
    char a[48], b[48];
    switch (rc->fate) {
    case RS_CHOSEN:
        snprintf(buf, len, "chosen after %d replications", rc->n);
        return;
    case RS_ELIMINATED:
        if (rc->stat == 0.0) {
            snprintf(buf, len, "eliminated after %d replications: the same sum as #%d, past "
                     "every triangle (a tie goes to the lower number)", rc->n, rc->by + 1);
            return;
        }
        fmt_metric(o->objective, rc->stat / rc->n, a, sizeof a);
        fmt_metric(o->objective, rc->bound / rc->n, b, sizeof b);
        snprintf(buf, len,
                 "eliminated after %d replications: worse than #%d by %s a replication (the region "
                 "allowed %s)",
                 rc->n, rc->by + 1, a, b);
        return;
    case RS_INFEASIBLE: {
        const struct plan_constraint *pc = &o->cons[rc->constraint];
        int m = pc->metric;
        double q = pl->c[i].q[rc->constraint];
        double mean = (rc->stat / rc->n + q) * (pc->ge ? -1 : 1);
        if (pc->done_by) {
            fmt_clock(&pl->c[i], mean, a, sizeof a);
            snprintf(buf, len, "infeasible after %d replications: %s: done at %s on average",
                     rc->n, pc->text, a);
            return;
        }
        fmt_metric(m, mean, a, sizeof a);
        fmt_metric(m, pc->ge ? -q : q, b, sizeof b);
        snprintf(buf, len, "infeasible after %d replications: %s: mean %s %s %s", rc->n, pc->text,
                 a, pc->ge ? "below" : "above", b);
        return;
    }
    case RS_EXCLUDED:
        snprintf(buf, len, "left out: the rollout was not cleared within the horizon in %d of %d "
                 "replications", pl->c[i].censored, pl->c[i].n);
        return;
    case RS_UNDECIDED:
        snprintf(buf, len, "undecided at the cap of %d replications", rc->n);
        return;
    case RS_IN_PLAY:
        break;
    }
    snprintf(buf, len, "in play");
}

static void print_row(FILE *f, const struct plan_opts *o, const struct plan *pl, int i)
{
    char label[512], a[48], b[48], c[48];
    struct stats_summary st;
    cand_label(o, i, label, sizeof label);
    fprintf(f, "  #%-3d %s\n", i + 1, label);
    int ms[RS_MAX_CONSTRAINTS + 1], nm = 0;
    ms[nm++] = o->objective;
    for (int l = 0; l < o->ncons; l++)
        ms[nm++] = o->cons[l].metric;
    for (int k = 0; k < nm; k++) {
        int dup = 0;
        for (int j = 0; j < k; j++)
            dup |= ms[j] == ms[k];
        if (dup)
            continue;
        plan_summary(pl, i, ms[k], &st);
        fmt_metric(ms[k], st.mean, a, sizeof a);
        fmt_metric(ms[k], st.ci_lo, b, sizeof b);
        fmt_metric(ms[k], st.ci_hi, c, sizeof c);
        fprintf(f, "        %-34s %12s  (95%% CI %s - %s)\n", metric_table[ms[k]].name, a, b, c);
    }
}

/* Finalists: the chosen one first, then the feasible candidates that ran
 * longest (most replications, then the lower mean), five in all. */
static int finalists(const struct plan_opts *o, const struct plan *pl, int *out)
{
    int n = 0;
    if (pl->rs.chosen >= 0)
        out[n++] = pl->rs.chosen;
    while (n < 5) {
        int best = -1;
        double bm = 0;
        for (int i = 0; i < pl->k; i++) {
            const struct rs_cand *c = &pl->rs.c[i];
            int taken = 0;
            for (int j = 0; j < n; j++)
                taken |= out[j] == i;
            if (taken || (c->fate != RS_ELIMINATED && c->fate != RS_UNDECIDED))
                continue;
            double m = c->sum_x / c->n;
            if (best < 0 || c->n > pl->rs.c[best].n || (c->n == pl->rs.c[best].n && m < bm)) {
                best = i;
                bm = m;
            }
        }
        if (best < 0)
            break;
        out[n++] = best;
    }
    (void)o;
    return n;
}

/* No feasible plan: which constraint binds, and the closest candidate. */
static void print_infeasible(FILE *f, const struct plan_opts *o, const struct plan *pl)
{
    int count[RS_MAX_CONSTRAINTS] = {0}, closest = -1;
    double gap = INFINITY;
    for (int i = 0; i < pl->k; i++) {
        const struct rs_cand *c = &pl->rs.c[i];
        if (c->fate != RS_INFEASIBLE)
            continue;
        count[c->constraint]++;
        double g = c->stat / c->n / o->cons[c->constraint].tol; /* excess, in tolerances */
        if (g < gap) {
            gap = g;
            closest = i;
        }
    }
    int bind = 0;
    for (int l = 1; l < o->ncons; l++)
        bind = count[l] > count[bind] ? l : bind;
    if (o->ncons)
        fprintf(f, "No feasible plan: the binding constraint is %s (%d of %d candidates violate it)\n",
                o->cons[bind].text, count[bind], pl->k);
    if (closest >= 0) {
        char why[512];
        fate_text(o, pl, closest, why, sizeof why);
        fprintf(f, "Closest: #%d, %s\n", closest + 1, why);
        print_row(f, o, pl, closest);
    }
}

void plan_print(FILE *f, const struct plan_opts *o, const struct plan *pl)
{
    char buf[2048];
    plan_sentence(o, pl, buf, sizeof buf);
    fprintf(f, "%s\n\n", buf);
    fprintf(f, "%s\n  from ", pl->name);
    origin_put_text(f, o->scenario);
    fprintf(f, " (SHA-256 %s), provsim %s\n", pl->sha256, PROVSIM_VERSION);
    for (int i = 0; i < o->nsets; i++) {
        fputs("  --set ", f);
        origin_put_text(f, o->sets[i]);
        fputc('\n', f);
    }
    char d[48];
    fmt_metric(o->objective, pl->delta, d, sizeof d);
    fprintf(f, "  minimise %s; delta %s%s, alpha %g, first stage %d, seed %llu, %d stage%s\n",
            metric_table[o->objective].name, d,
            pl->delta_default ? " (default: 1% of the best first-stage mean)" : "", o->alpha,
            o->n0, (unsigned long long)pl->seed, pl->rs.stages, pl->rs.stages == 1 ? "" : "s");
    for (int l = 0; l < o->ncons; l++) {
        fmt_metric(o->cons[l].metric, o->cons[l].tol, d, sizeof d);
        fprintf(f, "  subject to %s (tolerance %s)\n", o->cons[l].text, d);
    }
    if (pl->rs.capped)
        fprintf(f, "  WARNING: --max-reps %d reached before the procedure decided: no guarantee\n",
                o->max_reps);
    if (pl->rs.chosen < 0 && !pl->rs.capped)
        print_infeasible(f, o, pl);
    int fin[5], nf = finalists(o, pl, fin);
    if (nf) {
        fputs("\nFinalists (mean, 95% CI over each one's replications)\n", f);
        for (int j = 0; j < nf; j++)
            print_row(f, o, pl, fin[j]);
    }
    fputs("\nEvery candidate\n", f);
    for (int i = 0; i < pl->k; i++) {
        char label[512], why[512];
        cand_label(o, i, label, sizeof label);
        fate_text(o, pl, i, why, sizeof why);
        fprintf(f, "  #%-3d %s: %s\n", i + 1, label, why);
    }
    fprintf(f, "\nwrote %s/" RESDIR_PLAN_JSON " and %s/" RESDIR_PLAN_CSV "\n", o->out_dir, o->out_dir);
}

/* ---- plan.json ------------------------------------------------------------------ */

static cJSON *stats_json(const struct stats_summary *st)
{
    cJSON *mo = cJSON_CreateObject();
    cJSON_AddItemToObject(mo, "mean", csvfmt_json_number(st->mean));
    cJSON_AddItemToObject(mo, "sd", csvfmt_json_number(st->sd));
    cJSON_AddItemToObject(mo, "ci95_lo", csvfmt_json_number(st->ci_lo));
    cJSON_AddItemToObject(mo, "ci95_hi", csvfmt_json_number(st->ci_hi));
    return mo;
}

static cJSON *metrics_json(const struct plan *pl, int i)
{
    cJSON *ms = cJSON_CreateObject();
    for (int m = 0; m < METRIC_COUNT; m++) {
        struct stats_summary st;
        plan_summary(pl, i, m, &st);
        cJSON_AddItemToObject(ms, metric_table[m].name, stats_json(&st));
    }
    return ms;
}

static cJSON *cand_json(const struct plan_opts *o, const struct plan *pl, int i)
{
    const struct rs_cand *rc = &pl->rs.c[i];
    struct sweep_opts so = {.axes = o->axes, .naxes = o->naxes};
    cJSON *cj = cJSON_CreateObject();
    cJSON_AddNumberToObject(cj, "index", i);
    cJSON_AddItemToObject(cj, "values", sweep_cell_values_json(&so, i));
    cJSON_AddStringToObject(cj, "status", fate_name(rc->fate));
    cJSON_AddNumberToObject(cj, "replications", pl->c[i].n);
    char why[512];
    fate_text(o, pl, i, why, sizeof why);
    cJSON_AddStringToObject(cj, "evidence", why);
    if (rc->fate == RS_ELIMINATED)
        cJSON_AddNumberToObject(cj, "eliminated_by", rc->by);
    if (rc->fate == RS_INFEASIBLE)
        cJSON_AddStringToObject(cj, "violates", o->cons[rc->constraint].text);
    if (rc->fate == RS_ELIMINATED || rc->fate == RS_INFEASIBLE) {
        cJSON_AddItemToObject(cj, "statistic", csvfmt_json_number(rc->stat));
        cJSON_AddItemToObject(cj, "region", csvfmt_json_number(rc->bound));
    }
    cJSON *pf = cJSON_AddArrayToObject(cj, "pareto");
    for (int l = 0; l < o->ncons; l++)
        cJSON_AddItemToArray(pf, cJSON_CreateBool(plan_pareto(o, pl, l, i)));
    if (o->ncons) {
        cJSON *bounds = cJSON_AddArrayToObject(cj, "bounds");
        for (int l = 0; l < o->ncons; l++)
            cJSON_AddItemToArray(bounds, csvfmt_json_number(o->cons[l].ge ? -pl->c[i].q[l]
                                                                          : pl->c[i].q[l]));
    }
    cJSON_AddItemToObject(cj, "metrics", metrics_json(pl, i));
    return cj;
}

static cJSON *constraints_json(const struct plan_opts *o)
{
    cJSON *a = cJSON_CreateArray();
    for (int l = 0; l < o->ncons; l++) {
        const struct plan_constraint *pc = &o->cons[l];
        cJSON *cj = cJSON_CreateObject();
        cJSON_AddStringToObject(cj, "text", pc->text);
        cJSON_AddStringToObject(cj, "metric", metric_table[pc->metric].name);
        cJSON_AddStringToObject(cj, "op", pc->ge ? ">=" : "<=");
        if (pc->done_by)
            cJSON_AddNumberToObject(cj, "done_by_s_after_midnight", pc->done_by_sod);
        else
            cJSON_AddItemToObject(cj, "value", csvfmt_json_number(pc->value));
        cJSON_AddItemToObject(cj, "tolerance", csvfmt_json_number(pc->tol));
        cJSON_AddItemToArray(a, cj);
    }
    return a;
}

int plan_write_json(const struct plan_opts *o, const struct plan *pl, char *err, size_t errlen)
{
    if (file_mkdirs(o->out_dir, err, errlen))
        return -1;
    cJSON *root = cJSON_CreateObject();
    char buf[2048];
    plan_sentence(o, pl, buf, sizeof buf);
    cJSON_AddStringToObject(root, "summary", buf);
    cJSON_AddStringToObject(root, "scenario", pl->name);
    struct scenario_origin org = {.source = (char *)o->scenario,
                                  .overrides = (char **)o->sets,
                                  .noverrides = o->nsets};
    memcpy(org.sha256, pl->sha256, sizeof org.sha256);
    origin_add_json(root, &org, pl->seed, (int)pl->rs.total);
    cJSON *ch = cJSON_AddArrayToObject(root, "choose");
    for (int a = 0; a < o->naxes; a++)
        for (int k = 0; k <= o->axes[a].nlinked; k++) {
            const struct sweep_axis *p = sweep_axis_part(&o->axes[a], k);
            cJSON *aj = cJSON_CreateObject();
            cJSON_AddStringToObject(aj, "path", p->path);
            cJSON_AddStringToObject(aj, "spec", p->spec);
            cJSON_AddNumberToObject(aj, "axis", a);
            cJSON_AddItemToArray(ch, aj);
        }
    cJSON_AddStringToObject(root, "minimize", metric_table[o->objective].name);
    cJSON_AddItemToObject(root, "subject_to", constraints_json(o));
    cJSON *me = cJSON_AddObjectToObject(root, "method");
    cJSON_AddStringToObject(me, "procedure", "KN (Kim & Nelson 2001) with a feasibility check "
                                             "(Andradottir & Kim 2010), common random numbers");
    cJSON_AddItemToObject(me, "delta", csvfmt_json_number(pl->delta));
    cJSON_AddBoolToObject(me, "delta_default", pl->delta_default);
    cJSON_AddNumberToObject(me, "alpha", o->alpha);
    cJSON_AddNumberToObject(me, "n0", o->n0);
    cJSON_AddNumberToObject(me, "max_reps", o->max_reps);
    cJSON_AddItemToObject(me, "eta", csvfmt_json_number(pl->rs.eta));
    cJSON_AddItemToObject(me, "h2", csvfmt_json_number(pl->rs.h2));
    cJSON_AddItemToObject(me, "eta_feasibility", csvfmt_json_number(pl->rs.etaf));
    cJSON_AddItemToObject(me, "h2_feasibility", csvfmt_json_number(pl->rs.hf2));
    cJSON_AddNumberToObject(me, "stages", pl->rs.stages);
    cJSON_AddBoolToObject(me, "capped", pl->rs.capped);
    cJSON_AddBoolToObject(me, "tie_break", pl->rs.tie_break);
    cJSON_AddNumberToObject(root, "seed", (double)pl->seed);
    cJSON_AddNumberToObject(root, "replications_total", (double)pl->rs.total);
    cJSON_AddNumberToObject(root, "full_sweep_replications", (double)pl->full_total);
    cJSON_AddNumberToObject(root, "full_sweep_per_candidate", pl->full_per_candidate);
    if (pl->rs.chosen >= 0) {
        struct sweep_opts so = {.axes = o->axes, .naxes = o->naxes};
        cJSON *cj = cJSON_AddObjectToObject(root, "chosen");
        cJSON_AddNumberToObject(cj, "index", pl->rs.chosen);
        cJSON_AddItemToObject(cj, "values", sweep_cell_values_json(&so, pl->rs.chosen));
        cJSON_AddItemToObject(cj, "metrics", metrics_json(pl, pl->rs.chosen));
    } else {
        cJSON_AddNullToObject(root, "chosen");
    }
    cJSON *cands = cJSON_AddArrayToObject(root, "candidates");
    for (int i = 0; i < pl->k; i++)
        cJSON_AddItemToArray(cands, cand_json(o, pl, i));
    char *path = file_join(o->out_dir, RESDIR_PLAN_JSON);
    char *text = cJSON_Print(root);
    if (!text)
        xoom("cJSON_Print");
    struct outfile of;
    int rc = -1;
    if (outfile_open(&of, path, err, errlen) == 0) {
        fputs(text, of.f);
        fputc('\n', of.f);
        rc = outfile_commit(&of, err, errlen);
    }
    free(text);
    free(path);
    cJSON_Delete(root);
    return rc;
}

/* ---- plan.csv -------------------------------------------------------------------- */

/* The objective, then each constrained metric not already listed. */
static int distinct_metrics(const struct plan_opts *o, int *ms)
{
    int nm = 0;
    ms[nm++] = o->objective;
    for (int l = 0; l < o->ncons; l++) {
        int dup = 0;
        for (int k = 0; k < nm; k++)
            dup |= ms[k] == o->cons[l].metric;
        if (!dup)
            ms[nm++] = o->cons[l].metric;
    }
    return nm;
}

int plan_write_csv(const struct plan_opts *o, const struct plan *pl, char *err, size_t errlen)
{
    struct outfile of;
    if (outfile_open_in(&of, o->out_dir, RESDIR_PLAN_CSV, err, errlen))
        return -1;
    FILE *f = of.f;
    fputs("candidate,", f);
    for (int a = 0; a < o->naxes; a++)
        for (int k = 0; k <= o->axes[a].nlinked; k++) {
            csvfmt_field(f, sweep_axis_part(&o->axes[a], k)->path);
            fputc(',', f);
        }
    fputs("status,replications,eliminated_by,violates", f);
    int ms[RS_MAX_CONSTRAINTS + 1], nm = distinct_metrics(o, ms);
    for (int k = 0; k < nm; k++)
        fprintf(f, ",%s_mean,%s_ci95_lo,%s_ci95_hi", metric_table[ms[k]].name,
                metric_table[ms[k]].name, metric_table[ms[k]].name);
    for (int l = 0; l < o->ncons; l++)
        fprintf(f, ",bound_%d,pareto_%d", l + 1, l + 1);
    fputc('\n', f);
    int idx[64];
    for (int i = 0; i < pl->k; i++) {
        const struct rs_cand *rc = &pl->rs.c[i];
        fprintf(f, "%d,", i + 1);
        sweep_cell_index(o->axes, o->naxes, i, idx);
        for (int a = 0; a < o->naxes; a++)
            for (int k = 0; k <= o->axes[a].nlinked; k++) {
                csvfmt_field(f, sweep_axis_part(&o->axes[a], k)->values[idx[a]]);
                fputc(',', f);
            }
        fprintf(f, "%s,%d,", fate_name(rc->fate), pl->c[i].n);
        if (rc->fate == RS_ELIMINATED)
            fprintf(f, "%d", rc->by + 1);
        fputc(',', f);
        if (rc->fate == RS_INFEASIBLE)
            csvfmt_field(f, o->cons[rc->constraint].text);
        for (int k = 0; k < nm; k++) {
            struct stats_summary st;
            plan_summary(pl, i, ms[k], &st);
            const double v[] = {st.mean, st.ci_lo, st.ci_hi};
            for (int j = 0; j < 3; j++) {
                fputc(',', f);
                csvfmt_num(f, v[j]);
            }
        }
        for (int l = 0; l < o->ncons; l++) {
            fputc(',', f);
            csvfmt_num(f, o->cons[l].ge ? -pl->c[i].q[l] : pl->c[i].q[l]);
            fprintf(f, ",%d", plan_pareto(o, pl, l, i));
        }
        fputc('\n', f);
    }
    return outfile_commit(&of, err, errlen);
}

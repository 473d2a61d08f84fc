/* plan_text.c -- what plan says in words: the one-sentence answer, each
 * candidate's fate with its evidence, and the text on stdout (finalists,
 * every candidate, no feasible plan). From the procedure's state and the
 * candidates' values alone, as plan_write.c. */
#include "plan/plan.h"

#include "base/units.h"
#include "base/util.h"
#include "out/origin.h"
#include "out/resultdir.h"
#include "scenario/scenario.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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
void plan_fate_text(const struct plan_opts *o, const struct plan *pl, int i, char *buf,
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
        plan_fate_text(o, pl, closest, why, sizeof why);
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
        plan_fate_text(o, pl, i, why, sizeof why);
        fprintf(f, "  #%-3d %s: %s\n", i + 1, label, why);
    }
    fprintf(f, "\nwrote %s/" RESDIR_PLAN_JSON " and %s/" RESDIR_PLAN_CSV "\n", o->out_dir, o->out_dir);
}


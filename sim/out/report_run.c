/* report_run.c -- the content of a run's report, from DIR/run.json and
 * DIR/meta.json: the scenario, the findings in plain language and the key
 * metrics. */
#include "out/report_parts.h"

#include "out/jsonfile.h"
#include "out/resultdir.h"
#include "base/units.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

static void add_metric_row(struct doc *d, const cJSON *metrics, enum metric m)
{
    struct report_stat s = report_metric_stat(metrics, m);
    char mean[48], ci[128];
    report_fmt_value(mean, sizeof mean, m, s.mean);
    report_fmt_ci(ci, sizeof ci, m, s);
    doc_cell(&d->table, metric_table[m].label, NULL);
    doc_cell(&d->table, mean, NULL);
    doc_cell(&d->table, *ci ? ci : "", NULL);
}

/* What the facts say about the rollouts, for the findings. */
struct rollouts {
    int n;            /* rollouts listed in meta.json */
    double users;     /* their jobs, all together */
    int64_t first_at; /* the earliest start, naive local seconds; INT64_MAX: none known */
};

/* One fact per rollout of meta.json: its jobs, start and batches. */
static void rollout_facts(struct doc *d, const cJSON *meta, struct rollouts *r)
{
    const cJSON *ros = meta ? cJSON_GetObjectItemCaseSensitive(meta, "rollouts") : NULL;
    char buf[256];
    r->first_at = INT64_MAX;
    r->users = 0;
    r->n = 0;
    for (const cJSON *ro = cJSON_IsArray(ros) ? ros->child : NULL; ro; ro = ro->next, r->n++) {
        double u = jsonfile_num(ro, "users"), bs = jsonfile_num(ro, "batch_size"),
               iv = jsonfile_num(ro, "batch_interval_s");
        const char *kind = jsonfile_str(ro, "kind"), *at = jsonfile_str(ro, "at");
        int64_t at_e;
        char when[64] = "?", cnt[64];
        if (at && units_parse_datetime(at, &at_e, buf, sizeof buf) == 0) {
            units_format_clock(at_e, when, sizeof when);
            if (at_e < r->first_at)
                r->first_at = at_e;
        }
        r->users += isfinite(u) ? u : 0;
        report_fmt_count(cnt, sizeof cnt, u);
        char batches[160] = "";
        if (isfinite(bs) && bs > 0 && isfinite(u) && u > bs) {
            char ivs[48], bsz[48];
            units_format_duration(iv, ivs, sizeof ivs);
            report_fmt_count(bsz, sizeof bsz, bs);
            snprintf(batches, sizeof batches, ", %.0f batches of %s every %s", ceil(u / bs), bsz,
                     ivs);
        }
        char label[32];
        snprintf(label, sizeof label, "Rollout %d", r->n + 1);
        doc_fact(d, label, "%s %s jobs from %s%s", cnt, kind ? kind : "", when, batches);
    }
}

/* The scenario: start, horizon, rollouts, replications, and its notes. */
static void run_facts(struct doc *d, const cJSON *run, const cJSON *meta, struct rollouts *r)
{
    const char *start = meta ? jsonfile_str(meta, "start") : NULL;
    int64_t start_epoch = 0;
    char buf[256], b2[256];
    int have_start = start && units_parse_datetime(start, &start_epoch, buf, sizeof buf) == 0;
    if (have_start) {
        units_format_clock(start_epoch, b2, sizeof b2);
        doc_fact(d, "Start", "%s (%s)", start, b2);
    }
    double horizon = meta ? jsonfile_num(meta, "horizon_s") : NAN;
    if (isfinite(horizon)) {
        units_format_duration(horizon, buf, sizeof buf);
        doc_fact(d, "Horizon", "%s", buf);
    }
    rollout_facts(d, meta, r);
    double reps = jsonfile_num(run, "replications"), seed = jsonfile_num(run, "seed");
    doc_fact(d, "Replications", "%.0f (seed %.0f); the charts show replication 0", reps, seed);
    const cJSON *notes = meta ? cJSON_GetObjectItemCaseSensitive(meta, "notes") : NULL;
    for (const cJSON *n = cJSON_IsArray(notes) ? notes->child : NULL; n; n = n->next)
        if (cJSON_IsString(n))
            doc_add(&d->notes, "%s", n->valuestring);
}

/* How long the rollout took, against the lower bound the limits allow. */
static void rollout_findings(struct doc *d, const cJSON *ms, const struct rollouts *r)
{
    struct report_stat clear = report_metric_stat(ms, METRIC_CLEAR_TIME),
                       cleared = report_metric_stat(ms, METRIC_CLEARED),
                       lb = report_metric_stat(ms, METRIC_LOWER_BOUND),
                       eff = report_metric_stat(ms, METRIC_EFFICIENCY);
    char v1[64], v2[64], c1[160];
    report_fmt_value(v1, sizeof v1, METRIC_CLEAR_TIME, clear.mean);
    report_fmt_ci_paren(c1, sizeof c1, METRIC_CLEAR_TIME, clear);
    if (isfinite(cleared.mean) && cleared.mean < 1.0) {
        doc_add(&d->findings,
                "Not every replication cleared the rollout within the horizon (%.0f%% did): "
                "the clear time of %s is a lower bound.",
                100.0 * cleared.mean, v1);
    } else {
        char done[96] = "";
        if (r->first_at != INT64_MAX && isfinite(clear.mean)) {
            char clk[32];
            units_format_clock(r->first_at + (int64_t)llround(clear.mean), clk, sizeof clk);
            snprintf(done, sizeof done, "; on average the last job was done at %s", clk);
        }
        doc_add(&d->findings, "The rollout cleared in %s%s%s.", v1, c1, done);
    }
    if (isfinite(lb.mean) && lb.mean > 0 && isfinite(eff.mean)) {
        report_fmt_value(v2, sizeof v2, METRIC_LOWER_BOUND, lb.mean);
        doc_add(&d->findings,
                "The rate limits allow no faster than %s (the lower bound): the rollout "
                "ran at %.0f%% of that pace.",
                v2, 100.0 * eff.mean);
    }
}

/* The client's failed tasks and 429s. */
static void client_findings(struct doc *d, const cJSON *ms)
{
    struct report_stat fz = report_metric_stat(ms, METRIC_FAILED_TASKS_ZERO),
                       thr = report_metric_stat(ms, METRIC_THROTTLED),
                       att = report_metric_stat(ms, METRIC_ATTEMPTS),
                       amp = report_metric_stat(ms, METRIC_AMPLIFICATION),
                       pft = report_metric_stat(ms, METRIC_PEAK_FAILED_TASKS);
    char v1[64], v2[64], c1[160], c2[160];
    if (isfinite(pft.mean) && pft.mean > 0) {
        report_fmt_count(v1, sizeof v1, pft.mean);
        report_fmt_value(v2, sizeof v2, METRIC_FAILED_TASKS_ZERO, fz.mean);
        report_fmt_ci_paren(c2, sizeof c2, METRIC_FAILED_TASKS_ZERO, fz);
        doc_add(&d->findings,
                "The failed-task list peaked at %s tasks and was back to zero %s%s after the "
                "rollout began.",
                v1, v2, c2);
    } else if (isfinite(pft.mean)) {
        doc_add(&d->findings, "No task ever showed as failed.");
    }
    if (isfinite(thr.mean)) {
        if (thr.mean > 0) {
            report_fmt_count(v1, sizeof v1, thr.mean);
            report_fmt_count(v2, sizeof v2, att.mean);
            report_fmt_ci_paren(c1, sizeof c1, METRIC_THROTTLED, thr);
            char a[48];
            report_fmt_value(a, sizeof a, METRIC_AMPLIFICATION, amp.mean);
            doc_add(&d->findings,
                    "The client received %s 429s%s out of %s requests: %s attempts per job.", v1,
                    c1, v2, a);
        } else {
            doc_add(&d->findings, "The client received no 429s.");
        }
    }
}

/* 1 if metric m has a positive mean: background jobs or other clients ran. */
static int present(const cJSON *ms, enum metric m)
{
    struct report_stat s = report_metric_stat(ms, m);
    return isfinite(s.mean) && s.mean > 0;
}

/* What the background jobs and the other clients of the API went through. */
static void others_findings(struct doc *d, const cJSON *ms)
{
    char v1[64], v2[64], c1[160];
    if (present(ms, METRIC_BACKGROUND_JOBS)) {
        struct report_stat bp95 = report_metric_stat(ms, METRIC_BACKGROUND_LAT_P95),
                           bthr = report_metric_stat(ms, METRIC_BACKGROUND_THROTTLED);
        report_fmt_value(v1, sizeof v1, METRIC_BACKGROUND_LAT_P95, bp95.mean);
        report_fmt_ci_paren(c1, sizeof c1, METRIC_BACKGROUND_LAT_P95, bp95);
        report_fmt_count(v2, sizeof v2, bthr.mean);
        doc_add(&d->findings,
                "Background jobs (everyday joiners, movers and leavers) waited %s at the 95th "
                "percentile%s; %s of their requests got a 429.",
                v1, c1, v2);
    }
    if (present(ms, METRIC_OTHER_REQUESTS)) {
        struct report_stat oreq = report_metric_stat(ms, METRIC_OTHER_REQUESTS),
                           othr = report_metric_stat(ms, METRIC_OTHER_THROTTLED);
        report_fmt_count(v1, sizeof v1, othr.mean);
        report_fmt_count(v2, sizeof v2, oreq.mean);
        report_fmt_ci_paren(c1, sizeof c1, METRIC_OTHER_THROTTLED, othr);
        doc_add(&d->findings,
                "Other clients of the same API received %s 429s%s out of %s requests: the "
                "collateral damage.",
                v1, c1, v2);
    }
}

/* The key metrics: the rollout's (when there is one), the client's, and
 * the background jobs' and other clients' where they ran. */
static void run_table(struct doc *d, const cJSON *ms, int rollout, double reps)
{
    snprintf(d->table_title, sizeof d->table_title, "Key metrics");
    snprintf(d->table_note, sizeof d->table_note,
             "Mean over %.0f replications, with the 95%% confidence interval of the mean.", reps);
    doc_add(&d->table.head, "Metric");
    doc_add(&d->table.head, "Mean");
    doc_add(&d->table.head, "95%% CI");
    d->table.textcols = 1;
    static const enum metric rows_rollout[] = {
        METRIC_CLEAR_TIME, METRIC_FAILED_TASKS_ZERO, METRIC_CLEARED,     METRIC_LOWER_BOUND,
        METRIC_EFFICIENCY, METRIC_ROLLOUT_P50,       METRIC_ROLLOUT_P95, METRIC_ROLLOUT_MAX,
    };
    static const enum metric rows_client[] = {
        METRIC_JOBS,      METRIC_ATTEMPTS,     METRIC_THROTTLED,        METRIC_AMPLIFICATION,
        METRIC_EXHAUSTED, METRIC_PEAK_BACKLOG, METRIC_PEAK_FAILED_TASKS, METRIC_PENDING,
    };
    if (rollout)
        for (size_t i = 0; i < sizeof rows_rollout / sizeof *rows_rollout; i++)
            add_metric_row(d, ms, rows_rollout[i]);
    for (size_t i = 0; i < sizeof rows_client / sizeof *rows_client; i++)
        add_metric_row(d, ms, rows_client[i]);
    if (present(ms, METRIC_BACKGROUND_JOBS)) {
        add_metric_row(d, ms, METRIC_BACKGROUND_LAT_P95);
        add_metric_row(d, ms, METRIC_BACKGROUND_THROTTLED);
    }
    if (present(ms, METRIC_OTHER_REQUESTS)) {
        add_metric_row(d, ms, METRIC_OTHER_REQUESTS);
        add_metric_row(d, ms, METRIC_OTHER_THROTTLED);
    }
}

static double stat_mean(const cJSON *o, const char *key)
{
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(o, key);
    return jsonfile_num(st, "mean");
}

/* Which limit binds (run.json's "limiters" and "endpoints"): the limiters
 * that refused anything, most first, and the requests by endpoint. */
static void limit_findings(struct doc *d, const cJSON *run)
{
    const cJSON *lims = cJSON_GetObjectItemCaseSensitive(run, "limiters");
    const cJSON *eps = cJSON_GetObjectItemCaseSensitive(run, "endpoints");
    int n = cJSON_IsArray(lims) ? cJSON_GetArraySize(lims) : 0;
    char line[1024];
    size_t len = 0;
    int used[64] = {0}, shown = 0;
    for (int k = 0; k < n && k < 64; k++) {
        /* the next-largest refusals not shown yet */
        int best = -1;
        double bv = 0.0;
        for (int i = 0; i < n && i < 64; i++) {
            double v = stat_mean(cJSON_GetArrayItem(lims, i), "refusals");
            if (!used[i] && isfinite(v) && v > bv) {
                best = i;
                bv = v;
            }
        }
        if (best < 0)
            break;
        used[best] = 1;
        const cJSON *l = cJSON_GetArrayItem(lims, best);
        const char *name = jsonfile_str(l, "name"), *rule = jsonfile_str(l, "rule");
        double share = stat_mean(l, "share_of_429s");
        len += (size_t)snprintf(line + len, sizeof line - len, "%s\"%s\" (%s) %.0f%%",
                                shown++ ? "; " : "", name ? name : "?", rule ? rule : "?",
                                100.0 * share);
        if (len >= sizeof line)
            break;
    }
    if (shown)
        doc_add(&d->findings, "Which limit binds (share of all 429s, each counted against the "
                              "limiter that set its Retry-After): %s.",
                line);
    len = 0;
    shown = 0;
    for (const cJSON *e = cJSON_IsObject(eps) ? eps->child : NULL; e && len < sizeof line;
         e = e->next) {
        char a[32], b[32];
        report_fmt_count(a, sizeof a, stat_mean(e, "requests"));
        report_fmt_count(b, sizeof b, stat_mean(e, "throttled"));
        len += (size_t)snprintf(line + len, sizeof line - len, "%s%s %s (%s 429s)",
                                shown++ ? "; " : "", e->string, a, b);
    }
    if (shown && len < sizeof line)
        doc_add(&d->findings, "Requests by endpoint, all clients, mean per replication: %s.", line);
}

int report_build_run(struct doc *d, const char *dir, char *err, size_t errlen)
{
    cJSON *run = jsonfile_read(dir, RESDIR_RUN_JSON, err, errlen);
    if (!run)
        return -1;
    char e2[256];
    cJSON *meta = jsonfile_read(dir, RESDIR_META_JSON, e2, sizeof e2); /* optional */
    const cJSON *ms = cJSON_GetObjectItemCaseSensitive(run, "metrics");
    if (!cJSON_IsObject(ms)) {
        snprintf(err, errlen, "%s/" RESDIR_RUN_JSON ": no \"metrics\" object", dir);
        cJSON_Delete(run);
        cJSON_Delete(meta);
        return -1;
    }
    const char *name = jsonfile_str(run, "scenario");
    snprintf(d->title, sizeof d->title, "%s", name ? name : "provsim run");
    struct rollouts r;
    run_facts(d, run, meta, &r);
    /* a rollout: by meta.json's rollouts when it lists any (with jobs),
     * else by a clear time above 0 */
    struct report_stat clear = report_metric_stat(ms, METRIC_CLEAR_TIME);
    int rollout = r.n > 0 ? r.users > 0 : isfinite(clear.mean) && clear.mean > 0;
    if (rollout)
        rollout_findings(d, ms, &r);
    client_findings(d, ms);
    others_findings(d, ms);
    limit_findings(d, run);
    run_table(d, ms, rollout, jsonfile_num(run, "replications"));
    cJSON_Delete(run);
    cJSON_Delete(meta);
    return 0;
}

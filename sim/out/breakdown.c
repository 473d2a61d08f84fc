/* breakdown.c -- see breakdown.h. */
#include "out/breakdown.h"

#include "out/summary.h"

#include <math.h>
#include <string.h>

static const struct stats_summary *ep_stat(const struct run_result *r, int e, int throttled)
{
    return &r->detail_sum[metric_detail_ep(e, throttled)];
}

static const struct stats_summary *lim_stat(const struct run_result *r, int i, int share)
{
    return &r->detail_sum[metric_detail_lim(i, share)];
}

int breakdown_top_limiter(const struct scenario *s, const struct run_result *r, double *share)
{
    int top = -1;
    for (int i = 0; i < s->server.nlimits; i++)
        if (lim_stat(r, i, 0)->mean > 0.0 &&
            (top < 0 || lim_stat(r, i, 0)->mean > lim_stat(r, top, 0)->mean))
            top = i;
    *share = top >= 0 ? lim_stat(r, top, 1)->mean : 0.0;
    return top;
}

void breakdown_headline(const struct scenario *s, const struct run_result *r, char *buf,
                        size_t len)
{
    double share;
    int top = breakdown_top_limiter(s, r, &share);
    *buf = '\0';
    if (top < 0)
        return;
    char name[96], rule[96];
    const struct lim_cfg *c = &s->server.limits[top];
    lim_label(c, top, name, sizeof name);
    lim_rule(c, rule, sizeof rule);
    snprintf(buf, len, "%.0f%% of 429s came from \"%s\" (%s)", 100.0 * share, name, rule);
}

void breakdown_text(FILE *f, const struct scenario *s, const struct run_result *r)
{
    char a[32], b[32], c[32];
    int any = 0;
    for (int e = 0; e < EP_COUNT; e++)
        any |= ep_stat(r, e, 0)->max > 0.0;
    if (!any)
        return;
    fprintf(f, "Requests by endpoint (all clients, mean per replication)\n");
    fprintf(f, "  %-38s %12s %12s\n", "", "requests", "429s");
    for (int e = 0; e < EP_COUNT; e++) {
        if (!(ep_stat(r, e, 0)->max > 0.0))
            continue;
        summary_format_count(a, sizeof a, ep_stat(r, e, 0)->mean);
        summary_format_count(b, sizeof b, ep_stat(r, e, 1)->mean);
        fprintf(f, "  %-38s %12s %12s\n", ep_name((enum endpoint)e), a, b);
    }
    if (s->server.nlimits == 0)
        return;
    fprintf(f, "429s by limiter (each 429 counted against the limiter that set its "
               "Retry-After)\n");
    fprintf(f, "  %-38s %12s %12s   %s\n", "", "429s", "share", "rule");
    for (int i = 0; i < s->server.nlimits; i++) {
        char name[96], rule[96];
        lim_label(&s->server.limits[i], i, name, sizeof name);
        lim_rule(&s->server.limits[i], rule, sizeof rule);
        summary_format_count(a, sizeof a, lim_stat(r, i, 0)->mean);
        snprintf(c, sizeof c, "%.0f%%", 100.0 * lim_stat(r, i, 1)->mean);
        fprintf(f, "  %-38.38s %12s %12s   %s\n", name, a, c, rule);
    }
}

void breakdown_json(cJSON *root, const struct scenario *s, const struct run_result *r)
{
    cJSON *eps = cJSON_AddObjectToObject(root, "endpoints");
    for (int e = 0; e < EP_COUNT; e++) {
        if (!(ep_stat(r, e, 0)->max > 0.0))
            continue;
        cJSON *o = cJSON_AddObjectToObject(eps, ep_name((enum endpoint)e));
        summary_add_stats(o, "requests", ep_stat(r, e, 0));
        summary_add_stats(o, "throttled", ep_stat(r, e, 1));
    }
    cJSON *lims = cJSON_AddArrayToObject(root, "limiters");
    for (int i = 0; i < s->server.nlimits; i++) {
        char name[96], rule[96];
        const struct lim_cfg *c = &s->server.limits[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(lims, o);
        cJSON_AddStringToObject(o, "name", lim_label(c, i, name, sizeof name));
        cJSON_AddStringToObject(o, "rule", lim_rule(c, rule, sizeof rule));
        summary_add_stats(o, "refusals", lim_stat(r, i, 0));
        summary_add_stats(o, "share_of_429s", lim_stat(r, i, 1));
    }
}

/* accesslog.c -- SCIM access logs, NCSA combined + %D or JSON lines (see
 * accesslog.h). Invariant once access_log_parse returns 0: log->rq holds
 * only kept requests (agent and endpoint matched), sorted by time, each
 * with a finite time, a duration >= 0 and a status in 100-599. */
#include "logs/accesslog.h"

#include "base/digest.h"
#include "base/file.h"
#include "base/util.h"
#include "logs/jsonsplit.h"
#include "logs/logtime.h"
#include "models/endpoint.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACCESS_MAX_BYTES ((size_t)1 << 30)
/* A response slower than a day is a broken field, not a response. */
#define ACCESS_MAX_DURATION_S 86400.0

void access_log_init(struct access_log *log)
{
    memset(log, 0, sizeof *log);
}

void access_log_fini(struct access_log *log)
{
    free(log->rq);
    memset(log, 0, sizeof *log);
}

static int seg_is(const char *s, size_t n, const char *word)
{
    return n == strlen(word) && !memcmp(s, word, n);
}

int access_endpoint(const char *method, size_t mlen, const char *path, size_t plen)
{
    size_t end = 0;
    while (end < plen && path[end] != '?' && path[end] != '#')
        end++;
    while (end > 1 && path[end - 1] == '/')
        end--;
    if (end == 0 || path[0] != '/')
        return -1;
    /* the last two segments: ".../Users" or ".../Users/ID" */
    size_t last = end;
    while (last > 0 && path[last - 1] != '/')
        last--;
    size_t prev_end = last ? last - 1 : 0, prev = prev_end;
    while (prev > 0 && path[prev - 1] != '/')
        prev--;
    int res = -1, item = 0; /* 0 = Users, 1 = Groups */
    if (seg_is(path + last, end - last, "Users"))
        res = 0;
    else if (seg_is(path + last, end - last, "Groups"))
        res = 1;
    else if (last > 0 && end > last && seg_is(path + prev, prev_end - prev, "Users"))
        res = 0, item = 1;
    else if (last > 0 && end > last && seg_is(path + prev, prev_end - prev, "Groups"))
        res = 1, item = 1;
    if (res < 0)
        return -1;
    static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    /* per method: the collection's endpoint, the item's; -1 none */
    static const int coll[2][5] = {{EP_GET_USERS, EP_POST_USERS, -1, -1, -1},
                                   {EP_GET_GROUPS, EP_POST_GROUPS, -1, -1, -1}};
    static const int one[2][5] = {{EP_GET_USER, -1, EP_PUT_USER, EP_PATCH_USER, EP_DELETE_USER},
                                  {EP_GET_GROUP, -1, EP_PUT_GROUP, EP_PATCH_GROUP,
                                   EP_DELETE_GROUP}};
    for (int m = 0; m < 5; m++)
        if (seg_is(method, mlen, methods[m]))
            return item ? one[res][m] : coll[res][m];
    return -1;
}

/* Keeps or skips one well-formed request. */
static void keep(struct access_log *log, double t, double dur_s, double ra, int status,
                 const char *method, size_t mlen, const char *path, size_t plen, const char *ua,
                 size_t ualen, const char *agent)
{
    log->lines++;
    size_t alen = strlen(agent);
    int match = alen == 0;
    for (size_t i = 0; !match && i + alen <= ualen; i++)
        match = !memcmp(ua + i, agent, alen);
    if (!match) {
        log->other_agents++;
        return;
    }
    int ep = access_endpoint(method, mlen, path, plen);
    if (ep < 0) {
        log->other_paths++;
        return;
    }
    xgrow((void **)&log->rq, &log->cap, log->n + 1, sizeof *log->rq);
    struct access_req *r = &log->rq[log->n++];
    r->t_s = t;
    r->dur_s = (float)dur_s;
    r->retry_after_s = (float)ra;
    r->status = (int16_t)status;
    r->endpoint = (uint8_t)ep;
}

/* ---- NCSA combined + %D ---- */

struct cursor {
    const char *s;
    size_t i, len;
};

static int token(struct cursor *c, const char **tok, size_t *n)
{
    if (c->i >= c->len || c->s[c->i] == ' ')
        return -1;
    *tok = c->s + c->i;
    while (c->i < c->len && c->s[c->i] != ' ')
        c->i++;
    *n = (size_t)(c->s + c->i - *tok);
    return 0;
}

static int space(struct cursor *c)
{
    if (c->i >= c->len || c->s[c->i] != ' ')
        return -1;
    c->i++;
    return 0;
}

/* "..." with \" and \\ escapes; tok and n: the raw inside (escapes kept). */
static int quoted(struct cursor *c, const char **tok, size_t *n)
{
    if (c->i >= c->len || c->s[c->i] != '"')
        return -1;
    c->i++;
    *tok = c->s + c->i;
    while (c->i < c->len && c->s[c->i] != '"') {
        if (c->s[c->i] == '\\' && c->i + 1 < c->len)
            c->i++;
        c->i++;
    }
    if (c->i >= c->len)
        return -1;
    *n = (size_t)(c->s + c->i - *tok);
    c->i++;
    return 0;
}

static int whole_number(const char *s, size_t n, double max, double *out)
{
    if (n == 0 || n > 15)
        return -1;
    double v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    if (v > max)
        return -1;
    *out = v;
    return 0;
}

#define NCSA_FAIL(what) \
    return (*col = (int)c.i + 1, xerr(err, errlen, "%s", what))

static int ncsa_line(struct access_log *log, const char *s, size_t len, const char *agent,
                     int *col, char *err, size_t errlen)
{
    struct cursor c = {s, 0, len};
    const char *tok, *req, *ua;
    size_t n, rn, ualen;
    char msg[160];
    double t, status, dur;
    for (int k = 0; k < 3; k++)
        if (token(&c, &tok, &n) || space(&c))
            NCSA_FAIL("expected host, ident and user before the time (NCSA combined log format)");
    if (c.i >= len || s[c.i] != '[')
        NCSA_FAIL("expected '[' before the time");
    size_t t0 = ++c.i;
    while (c.i < len && s[c.i] != ']')
        c.i++;
    if (c.i >= len)
        NCSA_FAIL("expected ']' after the time");
    if (logtime_parse_ncsa(s + t0, c.i - t0, &t, msg, sizeof msg)) {
        *col = (int)t0 + 1;
        return xerr(err, errlen, "%s", msg);
    }
    c.i++;
    if (space(&c) || quoted(&c, &req, &rn))
        NCSA_FAIL("expected the request line in quotes (\"METHOD PATH PROTOCOL\")");
    size_t req_col = (size_t)(req - s);
    size_t at = c.i + 1; /* where the field starts, for the messages */
    if (space(&c) || token(&c, &tok, &n) || whole_number(tok, n, 599, &status) || status < 100)
        return (*col = (int)at + 1, xerr(err, errlen, "expected an HTTP status 100-599"));
    if (space(&c) || token(&c, &tok, &n) ||
        (!(n == 1 && tok[0] == '-') && whole_number(tok, n, 1e15, &dur)))
        NCSA_FAIL("expected the response size in bytes or '-'");
    if (space(&c) || quoted(&c, &tok, &n))
        NCSA_FAIL("expected the referer in quotes");
    if (space(&c) || quoted(&c, &ua, &ualen))
        NCSA_FAIL("expected the user agent in quotes");
    at = c.i + 1;
    if (space(&c) || token(&c, &tok, &n) || whole_number(tok, n, ACCESS_MAX_DURATION_S * 1e6, &dur))
        return (*col = (int)at + 1, xerr(err, errlen, "expected the response time in "
                                         "microseconds (%%D) as the last field"));
    if (c.i != len)
        NCSA_FAIL("unexpected text after the response time");
    /* the request line: METHOD SP PATH [SP PROTOCOL] */
    size_t sp = 0;
    while (sp < rn && req[sp] != ' ')
        sp++;
    size_t p0 = sp + 1, p1 = p0;
    while (p1 < rn && req[p1] != ' ')
        p1++;
    if (sp == 0 || sp >= rn || p1 == p0) {
        *col = (int)req_col + 1;
        return xerr(err, errlen, "the request line is not \"METHOD PATH PROTOCOL\"");
    }
    keep(log, t, dur / 1e6, -1, (int)status, req, sp, req + p0, p1 - p0, ua, ualen, agent);
    return 0;
}

static int ncsa_parse(struct access_log *log, const char *text, size_t len, const char *name,
                      const char *agent, char *err, size_t errlen)
{
    size_t i = 0;
    long lineno = 0;
    while (i < len) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        size_t b = e;
        if (b > i && text[b - 1] == '\r')
            b--;
        lineno++;
        if (b > i) {
            int col = 1;
            char reason[200];
            if (ncsa_line(log, text + i, b - i, agent, &col, reason, sizeof reason))
                return xerr(err, errlen, "%s: line %ld, column %d: %s", name, lineno, col, reason);
        }
        i = e + 1;
    }
    return 0;
}

/* ---- JSON lines ---- */

struct json_ctx {
    struct access_log *log;
    const char *agent;
};

static int json_req(void *ctx, const char *text, size_t off, size_t len, char *err,
                    size_t errlen)
{
    struct json_ctx *c = ctx;
    cJSON *o = cJSON_ParseWithLength(text + off, len);
    if (!o)
        return xerr(err, errlen, "not a JSON value");
    const cJSON *tm = cJSON_GetObjectItemCaseSensitive(o, "time"),
                *me = cJSON_GetObjectItemCaseSensitive(o, "method"),
                *pa = cJSON_GetObjectItemCaseSensitive(o, "path"),
                *st = cJSON_GetObjectItemCaseSensitive(o, "status"),
                *du = cJSON_GetObjectItemCaseSensitive(o, "duration_ms"),
                *ua = cJSON_GetObjectItemCaseSensitive(o, "user_agent"),
                *ra = cJSON_GetObjectItemCaseSensitive(o, "retry_after");
    char msg[160];
    double t = 0, retry = -1;
    int rc = 0;
    if (!cJSON_IsObject(o))
        rc = xerr(err, errlen, "expected an object per line");
    else if (!cJSON_IsString(tm))
        rc = xerr(err, errlen, "time: %s", tm ? "expected a string" : "missing");
    else if (logtime_parse_iso(tm->valuestring, strlen(tm->valuestring), &t, msg, sizeof msg))
        rc = xerr(err, errlen, "time: %s", msg);
    else if (!cJSON_IsString(me) || !cJSON_IsString(pa) || !cJSON_IsString(ua))
        rc = xerr(err, errlen, "method, path and user_agent: each required, a string");
    else if (!cJSON_IsNumber(st) || st->valuedouble != floor(st->valuedouble) ||
             st->valuedouble < 100 || st->valuedouble > 599)
        rc = xerr(err, errlen, "status: expected an HTTP status 100-599");
    else if (!cJSON_IsNumber(du) || !(du->valuedouble >= 0) ||
             du->valuedouble > ACCESS_MAX_DURATION_S * 1e3)
        rc = xerr(err, errlen, "duration_ms: expected a number of milliseconds 0-86400000");
    else if (ra && !cJSON_IsNull(ra) &&
             (!cJSON_IsNumber(ra) || !(ra->valuedouble >= 0) || ra->valuedouble > 1e9))
        rc = xerr(err, errlen, "retry_after: expected a number of seconds >= 0 (or null)");
    if (rc == 0) {
        if (ra && cJSON_IsNumber(ra))
            retry = ra->valuedouble;
        keep(c->log, t, du->valuedouble / 1e3, retry, (int)st->valuedouble, me->valuestring,
             strlen(me->valuestring), pa->valuestring, strlen(pa->valuestring), ua->valuestring,
             strlen(ua->valuestring), c->agent);
    }
    cJSON_Delete(o);
    return rc;
}

static int by_time(const void *a, const void *b)
{
    const struct access_req *x = a, *y = b;
    if (x->t_s != y->t_s)
        return x->t_s < y->t_s ? -1 : 1;
    if (x->dur_s != y->dur_s)
        return x->dur_s < y->dur_s ? -1 : 1;
    return (x->endpoint > y->endpoint) - (x->endpoint < y->endpoint);
}

int access_log_parse(struct access_log *log, const char *text, size_t len, const char *name,
                     const char *agent, char *err, size_t errlen)
{
    int rc;
    log->json = jsplit_is_json(text, len);
    if (log->json) {
        struct json_ctx c = {log, agent};
        size_t count;
        rc = jsplit_each(text, len, name, json_req, &c, &count, err, errlen);
    } else {
        rc = ncsa_parse(log, text, len, name, agent, err, errlen);
    }
    if (rc)
        return rc;
    if (log->lines == 0)
        return xerr(err, errlen, "%s: the log is empty", name);
    if (log->n == 0)
        return xerr(err, errlen, "%s: no SCIM requests from user agent \"%s\" among its %zu lines "
                    "(%zu of other agents, %zu not on a SCIM endpoint): use --agent to choose "
                    "the client", name, agent, log->lines, log->other_agents, log->other_paths);
    qsort(log->rq, log->n, sizeof *log->rq, by_time);
    return 0;
}

int access_log_read(struct access_log *log, const char *path, const char *agent, char *err,
                    size_t errlen)
{
    char *text;
    size_t len;
    if (file_read_input(path, ACCESS_MAX_BYTES, "a log", &text, &len, err, errlen))
        return -1;
    char sha[DIGEST_SHA256_HEX_LEN + 1];
    digest_sha256_hex(text, len, sha);
    int rc = access_log_parse(log, text, len, file_shown_name(path), agent, err, errlen);
    free(text);
    memcpy(log->sha256, sha, sizeof log->sha256); /* after parse, which may reset log */
    return rc;
}

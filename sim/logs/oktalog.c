/* oktalog.c -- the Okta System Log's JSON layouts (see oktalog.h) and the
 * record rules both layouts share (okta_add). The CSV layout is
 * oktacsv.c. Invariant: log->ev holds only events of the kept types and
 * of the chosen app, sorted by time once okta_log_parse returns. */
#include "logs/oktalog.h"
#include "logs/oktalog_internal.h"

#include "base/digest.h"
#include "base/file.h"
#include "base/util.h"
#include "logs/jsonsplit.h"
#include "logs/logtime.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Logs are bigger than scenarios: a week of a large org's events. */
#define OKTA_MAX_BYTES ((size_t)1 << 30)

static const struct {
    const char *name;
    int type;
    int prefix; /* the name is a prefix of the event type */
} type_names[] = {
    {"application.user_membership.add", OKTA_ASSIGN, 0},
    {"group.application_assignment.add", OKTA_ASSIGN, 0},
    {"application.user_membership.remove", OKTA_UNASSIGN, 0},
    {"application.provision.user.push", OKTA_CREATE, 0},
    {"application.provision.user.push_profile", OKTA_UPDATE, 0},
    {"application.provision.user.deactivate", OKTA_DEACTIVATE, 0},
    {"application.provision.group_push.", OKTA_GROUP_PUSH, 1},
    {"application.integration.rate_limit_exceeded", OKTA_RATE_LIMIT, 0},
};
#define NTYPES (sizeof type_names / sizeof type_names[0])

const char *okta_type_name(int type)
{
    for (size_t i = 0; i < NTYPES; i++)
        if (type_names[i].type == type)
            return type_names[i].name;
    return "?";
}

static int type_of(const char *s)
{
    for (size_t i = 0; i < NTYPES; i++) {
        size_t n = strlen(type_names[i].name);
        if (type_names[i].prefix ? !strncmp(s, type_names[i].name, n) && s[n]
                                 : !strcmp(s, type_names[i].name))
            return type_names[i].type;
    }
    return -1;
}

uint64_t okta_user_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h ? h : 1;
}

void okta_log_init(struct okta_log *log)
{
    memset(log, 0, sizeof *log);
}

void okta_log_fini(struct okta_log *log)
{
    free(log->ev);
    for (int i = 0; i < log->napps; i++)
        free(log->apps[i]);
    memset(log, 0, sizeof *log);
}

static int given(const char *s)
{
    return s && s[0];
}

static void note_app(struct okta_log *log, const char *name)
{
    for (int i = 0; i < log->napps; i++)
        if (!strcmp(log->apps[i], name))
            return;
    if (log->napps < OKTA_MAX_APPS)
        log->apps[log->napps++] = xstrdup(name);
}

int okta_add(struct okta_log *log, const struct okta_fields *f, const char *app, char *err,
             size_t errlen)
{
    char msg[160];
    log->records++;
    if (!given(f->published))
        return xerr(err, errlen, "published: missing");
    double t;
    if (logtime_parse_iso(f->published, strlen(f->published), &t, msg, sizeof msg))
        return xerr(err, errlen, "published: %s", msg);
    if (!given(f->event_type))
        return xerr(err, errlen, "eventType: missing");
    int type = type_of(f->event_type);
    if (type < 0) {
        log->other_types++;
        return 0;
    }
    if (type != OKTA_RATE_LIMIT && !given(f->result))
        return xerr(err, errlen, "outcome.result: missing (required on a %s event)", f->event_type);
    const char *shown = given(f->app_name) ? f->app_name : f->app_id;
    if (!given(shown)) {
        log->no_app++;
        return 0;
    }
    if (app) {
        if (!(given(f->app_name) && !strcmp(f->app_name, app)) &&
            !(given(f->app_id) && !strcmp(f->app_id, app))) {
            log->other_apps++;
            return 0;
        }
    }
    note_app(log, shown);
    xgrow((void **)&log->ev, &log->cap, log->n + 1, sizeof *log->ev);
    struct okta_event *e = &log->ev[log->n++];
    e->t_s = t;
    e->type = (uint8_t)type;
    e->ok = type == OKTA_RATE_LIMIT ||
            (given(f->result) && (!strcmp(f->result, "SUCCESS") || !strcmp(f->result, "ALLOW")));
    e->user = given(f->user) ? okta_user_hash(f->user, strlen(f->user)) : 0;
    return 0;
}

/* A string member, or NULL if absent; -1 if present but not a string. */
static int member_str(const cJSON *o, const char *key, const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    *out = NULL;
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsString(v))
        return -1;
    *out = v->valuestring;
    return 0;
}

static int targets(const cJSON *o, struct okta_fields *f, char *err, size_t errlen)
{
    const cJSON *tg = cJSON_GetObjectItemCaseSensitive(o, "target");
    if (!tg || cJSON_IsNull(tg))
        return 0;
    if (!cJSON_IsArray(tg))
        return xerr(err, errlen, "target: expected an array");
    int i = 0;
    const char *app_user = NULL;
    for (const cJSON *t = tg->child; t; t = t->next, i++) {
        const char *type, *aid, *dn;
        if (!cJSON_IsObject(t))
            return xerr(err, errlen, "target[%d]: expected an object", i);
        if (member_str(t, "type", &type) || member_str(t, "alternateId", &aid) ||
            member_str(t, "displayName", &dn))
            return xerr(err, errlen, "target[%d]: type, alternateId and displayName must be strings", i);
        if (!type)
            continue;
        if (!strcmp(type, "AppInstance")) {
            f->app_name = dn;
            f->app_id = aid;
        } else if (!strcmp(type, "User")) {
            f->user = aid;
        } else if (!strcmp(type, "AppUser")) {
            app_user = aid;
        }
    }
    if (!given(f->user))
        f->user = app_user;
    return 0;
}

struct json_ctx {
    struct okta_log *log;
    const char *app;
};

static int json_event(void *ctx, const char *text, size_t off, size_t len, char *err,
                      size_t errlen)
{
    struct json_ctx *c = ctx;
    cJSON *o = cJSON_ParseWithLength(text + off, len);
    if (!o)
        return xerr(err, errlen, "not a JSON value");
    int rc = 0;
    struct okta_fields f = {0};
    const cJSON *out;
    if (!cJSON_IsObject(o))
        rc = xerr(err, errlen, "expected a LogEvent object");
    else if (member_str(o, "published", &f.published))
        rc = xerr(err, errlen, "published: expected a string");
    else if (member_str(o, "eventType", &f.event_type))
        rc = xerr(err, errlen, "eventType: expected a string");
    else if ((out = cJSON_GetObjectItemCaseSensitive(o, "outcome")) && !cJSON_IsNull(out) &&
             !cJSON_IsObject(out))
        rc = xerr(err, errlen, "outcome: expected an object");
    else if (out && cJSON_IsObject(out) && member_str(out, "result", &f.result))
        rc = xerr(err, errlen, "outcome.result: expected a string");
    else if (targets(o, &f, err, errlen))
        rc = -1;
    else
        rc = okta_add(c->log, &f, c->app, err, errlen);
    cJSON_Delete(o);
    return rc;
}

static int by_time(const void *a, const void *b)
{
    const struct okta_event *x = a, *y = b;
    if (x->t_s != y->t_s)
        return x->t_s < y->t_s ? -1 : 1;
    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    return x->user < y->user ? -1 : x->user > y->user;
}

/* After the records: one app, some events, in time order. */
static int finish(struct okta_log *log, const char *name, const char *app, char *err,
                  size_t errlen)
{
    if (!app && log->napps > 1) {
        char list[400] = "";
        size_t k = 0;
        for (int i = 0; i < log->napps && k < sizeof list - 40; i++)
            k += (size_t)snprintf(list + k, sizeof list - k, "%s\"%s\"", i ? ", " : "",
                                  log->apps[i]);
        return xerr(err, errlen, "%s: the log has provisioning events of %d%s apps (%s): choose "
                    "one with --app NAME", name, log->napps,
                    log->napps == OKTA_MAX_APPS ? " or more" : "", list);
    }
    if (log->n == 0)
        return xerr(err, errlen, "%s: no provisioning events%s%s%s among its %zu records (%zu of "
                    "other event types, %zu of other apps): is it an Okta System Log of this app?",
                    name, app ? " of app \"" : "", app ? app : "", app ? "\"" : "",
                    log->records, log->other_types, log->other_apps);
    qsort(log->ev, log->n, sizeof *log->ev, by_time);
    return 0;
}

int okta_log_parse(struct okta_log *log, const char *text, size_t len, const char *name,
                   const char *app, char *err, size_t errlen)
{
    int rc;
    if (jsplit_is_json(text, len)) {
        struct json_ctx c = {log, app};
        size_t count;
        rc = jsplit_each(text, len, name, json_event, &c, &count, err, errlen);
    } else {
        rc = okta_csv_parse(log, text, len, name, app, err, errlen);
    }
    return rc ? rc : finish(log, name, app, err, errlen);
}

int okta_log_read(struct okta_log *log, const char *path, const char *app, char *err,
                  size_t errlen)
{
    char *text;
    size_t len;
    if (file_read_input(path, OKTA_MAX_BYTES, "a log", &text, &len, err, errlen))
        return -1;
    char sha[DIGEST_SHA256_HEX_LEN + 1];
    digest_sha256_hex(text, len, sha);
    int rc = okta_log_parse(log, text, len, file_shown_name(path), app, err, errlen);
    free(text);
    memcpy(log->sha256, sha, sizeof log->sha256); /* after parse, which may reset log */
    return rc;
}

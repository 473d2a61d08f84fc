/* keypath.c -- key paths and the messages that name them (see keypath.h):
 * the error context, scrubbing, did-you-mean suggestions and the checks
 * that every key of an object is known. */
#include "scenario/keypath.h"

#include "scenario/scenario.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>


/* Messages quote what the user wrote (an unknown key, a bad value), and a
 * JSON escape such as \u001b can put a terminal control sequence there:
 * control characters (C0, DEL, and C1 as UTF-8) become '?' so a message
 * prints as the one line of text it is. */
static void scrub(char *msg)
{
    for (unsigned char *p = (unsigned char *)msg; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            *p = '?';
        else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
            p[0] = p[1] = '?';
    }
}

int kp_fail(struct kp_ctx *c, const char *fmt, ...)
{
    char msg[SCN_ERRLEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->err && c->errlen > 0) {
        snprintf(c->err, c->errlen, "%s: %s", c->len ? c->path : "top level", msg);
        scrub(c->err);
    }
    return -1;
}

static size_t push(struct kp_ctx *c, const char *fmt, const char *key, int index)
{
    size_t mark = c->len;
    size_t room = sizeof c->path - c->len;
    int n;
    if (key)
        n = snprintf(c->path + c->len, room, "%s%s", c->len ? "." : "", key);
    else
        n = snprintf(c->path + c->len, room, "[%d]", index);
    (void)fmt;
    if (n > 0)
        c->len += (size_t)n < room ? (size_t)n : room - 1;
    return mark;
}

size_t kp_push_key(struct kp_ctx *c, const char *key)
{
    return push(c, "%s%s", key, 0);
}

size_t kp_push_index(struct kp_ctx *c, int i)
{
    return push(c, "[%d]", NULL, i);
}

void kp_pop(struct kp_ctx *c, size_t mark)
{
    c->len = mark;
    c->path[mark] = '\0';
}

int kp_fail_nopath(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
        scrub(err);
    }
    return -1;
}

const char *kp_type_of(const cJSON *it)
{
    if (cJSON_IsString(it))
        return "a string";
    if (cJSON_IsNumber(it))
        return "a number";
    if (cJSON_IsBool(it))
        return "a boolean";
    if (cJSON_IsNull(it))
        return "null";
    if (cJSON_IsArray(it))
        return "an array";
    if (cJSON_IsObject(it))
        return "an object";
    return "an invalid value";
}

int kp_find_name(const char *const *names, const char *s)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

/* Optimal-string-alignment distance (Levenshtein plus adjacent swaps, so
 * "bacth_size" is one edit from "batch_size"). Names longer than 63
 * characters are not typos of ours: they get a large distance. */
static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 1000;
    int d[64][64];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            int cost = a[i - 1] != b[j - 1];
            int v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[la][lb];
}

/* Equal ignoring underscores and case: "batchSize", "BatchSize" and
 * "batchsize" all mean batch_size, whatever the edit distance. */
static int same_squashed(const char *a, const char *b)
{
    for (;;) {
        while (*a == '_')
            a++;
        while (*b == '_')
            b++;
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
        if (x != y)
            return 0;
        if (!x)
            return 1;
        a++;
        b++;
    }
}

/* The known name s was most likely meant as, or NULL. Two edits is the
 * threshold, but never as many edits as the name has letters: otherwise
 * every unknown two-letter key would "mean" "at". */
static const char *suggest(const char *s, const char *const *names)
{
    const char *best = NULL;
    int best_d = 3;
    for (int i = 0; names[i]; i++) {
        int d = same_squashed(s, names[i]) ? 0 : edit_distance(s, names[i]);
        if (d < best_d && d < (int)strlen(names[i])) {
            best = names[i];
            best_d = d;
        }
    }
    return best;
}

/* Words people use for our keys, where spelling is no help ("interval"
 * is far from "batch_interval"): suggested only where the key they mean
 * is allowed. */
static const struct {
    const char *said, *meant;
} synonyms[] = {
    {"interval", "batch_interval"},  {"batch_delay", "batch_interval"},
    {"batch_every", "batch_interval"}, {"batch", "batch_size"},
    {"size", "batch_size"},          {"count", "users"},
    {"n", "users"},                  {"time", "at"},
    {"start_at", "at"},              {"when", "at"},
    {"type", "kind"},                {"operation", "kind"},
    {"op", "kind"},                  {"max_retries", "max_attempts"},
    {"retries", "max_attempts"},     {"attempts", "max_attempts"},
    {"max_tries", "max_attempts"},   {"threads", "workers"},
    {"concurrency", "workers"},      {"parallelism", "workers"},
    {"rate_limit", "max_rate"},      {"rate_limits", "limits"},
    {"limiters", "limits"},          {"capacity", "burst"},
    {"bucket_size", "burst"},        {"refill", "rate"},
    {"refill_rate", "rate"},         {"period", "window"},
    {"duration", "horizon"},         {"end", "horizon"},
    {"length", "horizon"},           {"reps", "replications"},
    {"runs", "replications"},        {"replicas", "replications"},
    {"random_seed", "seed"},         {"title", "name"},
    {"description", "notes"},        {"comment", "notes"},
    {"initial_delay", "base"},       {"min_delay", "base"},
    {"max_delay", "cap"},            {"wait", "delay"},
    {"kinds", "applies_to"},         {"operations", "applies_to"},
    {"peak", "peak_per_hour"},       {"profile", "shape"},
    {"step", "series_step"},         {"distribution", "dist"},
    {"retry_policy", "retry"},       {"backoff", "retry"},
};

/* The key a synonym of s names among names, or NULL. */
static const char *synonym(const char *s, const char *const *names)
{
    for (size_t i = 0; i < sizeof synonyms / sizeof synonyms[0]; i++)
        if (same_squashed(s, synonyms[i].said) && kp_find_name(names, synonyms[i].meant) >= 0)
            return synonyms[i].meant;
    return NULL;
}

/* Formats ` (did you mean "x"?)` or nothing into buf. */
const char *kp_did_you_mean(char *buf, size_t len, const char *s, const char *const *names)
{
    const char *g = suggest(s, names);
    if (g)
        snprintf(buf, len, " (did you mean \"%s\"?)", g);
    else
        buf[0] = '\0';
    return buf;
}

/* Every key of obj must be one of known (NULL-terminated), at most once.
 * One pass, O(keys * known), so a hostile object with a million keys fails
 * fast at its first unknown or repeated key. */
/* "a, b, c" into buf (cut with "..." if it does not fit). Returns buf. */
static const char *list_names(char *buf, size_t len, const char *const *names)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; names[i]; i++) {
        int w = snprintf(buf + n, len - n, "%s%s", i ? ", " : "", names[i]);
        if (w < 0 || (size_t)w >= len - n) {
            snprintf(buf + (len > 4 ? len - 4 : 0), len > 4 ? 4 : len, "...");
            break;
        }
        n += (size_t)w;
    }
    return buf;
}

/* Tells c->lister each known key at c's path, indices written "[]". */
static void list_known(const struct kp_ctx *c, const char *const *known)
{
    char base[sizeof c->path], full[sizeof c->path + 80];
    size_t n = 0;
    for (const char *p = c->path; *p && n + 3 < sizeof base; p++) {
        if (*p == '[') {
            base[n++] = '[';
            base[n++] = ']';
            while (*p && *p != ']')
                p++;
            if (!*p)
                break;
        } else {
            base[n++] = *p;
        }
    }
    base[n] = '\0';
    for (int i = 0; known[i]; i++) {
        snprintf(full, sizeof full, "%s%s%s", base, n ? "." : "", known[i]);
        c->lister->fn(c->lister->arg, full);
    }
}

int kp_known_keys(struct kp_ctx *c, const cJSON *obj, const char *const *known)
{
    if (c->lister)
        list_known(c, known);
    unsigned long long seen = 0;
    for (const cJSON *k = obj->child; k; k = k->next) {
        int i = kp_find_name(known, k->string);
        char hint[96];
        if (i < 0) {
            char allowed[512];
            /* a typo names its key; anything else gets the whole list,
             * after the key a synonym means if there is one */
            if (kp_did_you_mean(hint, sizeof hint, k->string, known)[0])
                return kp_fail(c, "unknown key \"%.60s\"%s", k->string, hint);
            const char *meant = synonym(k->string, known);
            if (meant)
                snprintf(hint, sizeof hint, " (did you mean \"%s\"?)", meant);
            return kp_fail(c, "unknown key \"%.60s\"%s; allowed here: %s", k->string, hint,
                           list_names(allowed, sizeof allowed, known));
        }
        if (seen & (1ull << i))
            return kp_fail(c, "duplicate key \"%s\"", k->string);
        seen |= 1ull << i;
    }
    return 0;
}

/* After kp_known_keys against the union of every variant's keys: the keys
 * that the chosen variant (a limit type, a retry policy, a distribution)
 * does not take are unknown too, named with the variant. */
int kp_variant_keys(struct kp_ctx *c, const cJSON *obj, const char *const *allowed,
                    const char *what)
{
    char list[512];
    for (const cJSON *k = obj->child; k; k = k->next)
        if (kp_find_name(allowed, k->string) < 0)
            return kp_fail(c, "unknown key \"%s\" for %s (it takes %s)", k->string, what,
                           list_names(list, sizeof list, allowed));
    return 0;
}

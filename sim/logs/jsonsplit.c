/* jsonsplit.c -- JSON arrays and JSON lines, element by element (see
 * jsonsplit.h). The array walk runs only on text the syntax scanner
 * accepted, so it only tracks strings (and their escapes) and nesting. */
#include "logs/jsonsplit.h"

#include "base/util.h"
#include "scenario/jsonsyntax.h"

#include <stdio.h>
#include <string.h>

static size_t skip_bom(const char *text, size_t len)
{
    return len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
}

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static size_t first_char(const char *text, size_t len)
{
    size_t i = skip_bom(text, len);
    while (i < len && blank(text[i]))
        i++;
    return i;
}

int jsplit_is_json(const char *text, size_t len)
{
    size_t i = first_char(text, len);
    return i < len && (text[i] == '[' || text[i] == '{');
}

/* "NAME: line L, column C: " + reason (already in err) */
static int located(const char *text, size_t off, const char *name, char *err, size_t errlen)
{
    char reason[512];
    int line, col;
    snprintf(reason, sizeof reason, "%s", err && errlen ? err : "");
    jsyn_line_col(text, off, &line, &col);
    return xerr(err, errlen, "%s: line %d, column %d: %s", name, line, col, reason);
}

static int call(jsplit_fn fn, void *ctx, const char *text, size_t off, size_t len,
                const char *name, size_t *count, char *err, size_t errlen)
{
    (*count)++;
    if (err && errlen)
        err[0] = '\0';
    if (fn(ctx, text, off, len, err, errlen) != 0)
        return located(text, off, name, err, errlen);
    return 0;
}

/* The array's elements: depth 1 values, separated by commas. */
static int split_array(const char *text, size_t start, size_t len, const char *name,
                       jsplit_fn fn, void *ctx, size_t *count, char *err, size_t errlen)
{
    int depth = 0, in_str = 0;
    size_t elem = 0;
    int have = 0;
    for (size_t i = start; i < len; i++) {
        char c = text[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = 0;
            continue;
        }
        if (depth == 1 && !have && !blank(c) && c != ',' && c != ']') {
            elem = i;
            have = 1;
        }
        if (c == '"')
            in_str = 1;
        else if (c == '[' || c == '{')
            depth++;
        else if (c == ']' || c == '}') {
            depth--;
            if (depth == 0 && have) {
                size_t end = i;
                while (end > elem && blank(text[end - 1]))
                    end--;
                return call(fn, ctx, text, elem, end - elem, name, count, err, errlen);
            }
            if (depth == 0)
                return 0;
        } else if (c == ',' && depth == 1 && have) {
            size_t end = i;
            while (end > elem && blank(text[end - 1]))
                end--;
            if (call(fn, ctx, text, elem, end - elem, name, count, err, errlen))
                return -1;
            have = 0;
        }
    }
    return 0;
}

static int split_lines(const char *text, size_t start, size_t len, const char *name,
                       jsplit_fn fn, void *ctx, size_t *count, char *err, size_t errlen)
{
    size_t i = start;
    while (i < len) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        size_t a = i, b = e;
        while (a < b && blank(text[a]))
            a++;
        while (b > a && blank(text[b - 1]))
            b--;
        if (a < b) {
            size_t off;
            char msg[256];
            if (jsyn_scan(text + a, b - a, &off, msg, sizeof msg) != 0) {
                xerr(err, errlen, "%s", msg);
                return located(text, a + off, name, err, errlen);
            }
            if (text[a] != '{') {
                xerr(err, errlen, "expected a JSON object on each line");
                return located(text, a, name, err, errlen);
            }
            if (call(fn, ctx, text, a, b - a, name, count, err, errlen))
                return -1;
        }
        i = e + 1;
    }
    return 0;
}

int jsplit_each(const char *text, size_t len, const char *name, jsplit_fn fn, void *ctx,
                size_t *count, char *err, size_t errlen)
{
    *count = 0;
    size_t i = first_char(text, len);
    if (i >= len)
        return xerr(err, errlen, "%s: the log is empty", name);
    if (text[i] != '[')
        return split_lines(text, i, len, name, fn, ctx, count, err, errlen);
    size_t b = skip_bom(text, len), off;
    char msg[256];
    if (jsyn_scan(text + b, len - b, &off, msg, sizeof msg) != 0) {
        xerr(err, errlen, "%s", msg);
        return located(text, b + off, name, err, errlen);
    }
    return split_array(text, i, len, name, fn, ctx, count, err, errlen);
}

/* jsonsyntax.c -- see jsonsyntax.h.
 *
 * The grammar is cJSON 1.7's, so that a text this module accepts is one
 * cJSON parses (the fuzz target fuzz_scenario checks both directions):
 *  - whitespace is any byte <= 0x20 outside strings;
 *  - a number starts with '-' or a digit, and is what strtod reads from the
 *    run of characters in [0-9+-eE.] that follows (Debian's cJSON 1.7.15
 *    reads the whole run; upstream stops at 63 characters);
 *  - literals are true, false and null; nesting stops at 1000 levels;
 * and stricter in strings, where cJSON's leniency would change the
 * meaning: raw bytes below 0x20, \u escapes without four hex digits (cJSON
 * reads them as U+0000), \u0000 itself (it ends the C string early:
 * "batch_size\u0000x" would become the key batch_size) and unpaired
 * UTF-16 surrogates are errors. */
#include "scenario/jsonsyntax.h"

#include "base/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rd {
    const unsigned char *s;
    size_t len, pos;
    size_t err_off;
    char *msg;
    size_t msglen;
};

#ifdef __GNUC__
__attribute__((format(printf, 3, 4)))
#endif
static int err_at(struct rd *r, size_t off, const char *fmt, ...)
{
    r->err_off = off;
    if (r->msg && r->msglen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->msg, r->msglen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

void jsyn_line_col(const char *text, size_t off, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n') {
            (*line)++;
            *col = 1;
        } else if ((ch & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

/* The character at pos, for a message: 'x', "a non-ASCII character" or
 * "byte 0x01"; "the end of the text" past the end. */
static const char *got(const struct rd *r, size_t pos, char *buf, size_t len)
{
    if (pos >= r->len)
        return "the end of the text";
    unsigned char ch = r->s[pos];
    if (ch == '\'')
        snprintf(buf, len, "\"'\"");
    else if (ch > 0x20 && ch < 0x7f)
        snprintf(buf, len, "'%c'", ch);
    else if (ch >= 0x80)
        snprintf(buf, len, "a non-ASCII character");
    else
        snprintf(buf, len, "byte 0x%02X", ch);
    return buf;
}

static void skip_ws(struct rd *r)
{
    while (r->pos < r->len && r->s[r->pos] <= 0x20)
        r->pos++;
}

/* A hint for a common non-JSON habit starting at pos, or "". */
static const char *habit(const struct rd *r, size_t pos)
{
    if (pos >= r->len)
        return "";
    const char *p = (const char *)r->s + pos;
    size_t n = r->len - pos;
    if (*p == '\'')
        return " (JSON strings take double quotes)";
    if (*p == '/' && n > 1 && (p[1] == '/' || p[1] == '*'))
        return " (JSON has no comments)";
    if ((n >= 3 && !memcmp(p, "NaN", 3)) || (n >= 8 && !memcmp(p, "Infinity", 8)) ||
        (n >= 4 && !memcmp(p, "-Inf", 4)))
        return " (NaN and Infinity are not JSON numbers)";
    if (*p == '+' || *p == '.')
        return " (a JSON number starts with a digit or '-')";
    return "";
}

static int hex4(const unsigned char *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned char c = p[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return -1;
        v = v * 16 + d;
    }
    *out = v;
    return 0;
}

/* A string starting at r->pos (which is '"'). */
static int string(struct rd *r, const char *what)
{
    size_t start = r->pos;
    char b[32];
    if (r->pos >= r->len || r->s[r->pos] != '"')
        return err_at(r, r->pos, "expected %s in double quotes, got %s%s", what,
                      got(r, r->pos, b, sizeof b), habit(r, r->pos));
    r->pos++;
    for (;;) {
        if (r->pos >= r->len) {
            int line, col;
            jsyn_line_col((const char *)r->s, start, &line, &col);
            return err_at(r, r->len,
                          "unexpected end of the text inside the string that starts at line "
                          "%d, column %d",
                          line, col);
        }
        unsigned char ch = r->s[r->pos];
        if (ch == '"') {
            r->pos++;
            return 0;
        }
        if (ch == '\n' || ch == '\r')
            return err_at(r, r->pos, "line break inside a string (missing closing quote?)");
        if (ch < 0x20)
            return err_at(r, r->pos,
                          "control character U+%04X inside a string (write it as an escape "
                          "such as \\t or \\u%04X)",
                          ch, ch);
        if (ch != '\\') {
            r->pos++;
            continue;
        }
        size_t esc = r->pos;
        if (esc + 1 >= r->len)
            return err_at(r, esc, "unexpected end of the text in an escape");
        unsigned char e = r->s[esc + 1];
        if (strchr("bfnrt\"\\/", e)) {
            r->pos += 2;
            continue;
        }
        if (e != 'u')
            return err_at(r, esc, "bad escape \\%c in a string (JSON has \\\" \\\\ \\/ \\b \\f "
                                  "\\n \\r \\t \\uXXXX)",
                          e > 0x20 && e < 0x7f ? e : '?');
        unsigned u, lo;
        if (esc + 6 > r->len || hex4(r->s + esc + 2, &u))
            return err_at(r, esc, "\\u must be followed by four hex digits");
        if (u == 0)
            return err_at(r, esc, "\\u0000 (NUL) is not allowed in a string");
        if (u >= 0xDC00 && u <= 0xDFFF)
            return err_at(r, esc, "unpaired UTF-16 surrogate \\u%04X", u);
        if (u >= 0xD800 && u <= 0xDBFF) {
            if (esc + 12 > r->len || r->s[esc + 6] != '\\' || r->s[esc + 7] != 'u' ||
                hex4(r->s + esc + 8, &lo) || lo < 0xDC00 || lo > 0xDFFF)
                return err_at(r, esc, "unpaired UTF-16 surrogate \\u%04X", u);
            r->pos += 12;
        } else {
            r->pos += 6;
        }
    }
}

static int number(struct rd *r)
{
    size_t n = 0;
    while (r->pos + n < r->len && r->s[r->pos + n] && strchr("0123456789+-eE.", r->s[r->pos + n]))
        n++;
    char small[64], *buf = n < sizeof small ? small : xmalloc(n + 1), *end;
    memcpy(buf, r->s + r->pos, n);
    buf[n] = '\0';
    (void)strtod(buf, &end);
    size_t used = (size_t)(end - buf);
    if (buf != small)
        free(buf);
    if (used == 0) {
        char b[32];
        return err_at(r, r->pos, "expected a value, got %s%s", got(r, r->pos, b, sizeof b),
                      habit(r, r->pos));
    }
    r->pos += used;
    return 0;
}

static int value(struct rd *r, int depth);

/* The text ended inside the container opened at open. */
static int unclosed(struct rd *r, size_t open)
{
    int line, col;
    jsyn_line_col((const char *)r->s, open, &line, &col);
    return err_at(r, r->len, "unexpected end of the text: the '%c' at line %d, column %d is not "
                             "closed",
                  r->s[open], line, col);
}

/* An object or array at r->pos (its opening bracket). */
static int container(struct rd *r, int depth)
{
    size_t open = r->pos;
    int is_obj = r->s[open] == '{';
    char close = is_obj ? '}' : ']';
    char b[32];
    if (depth >= JSYN_MAX_DEPTH)
        return err_at(r, open, "nested deeper than %d levels", JSYN_MAX_DEPTH);
    r->pos++;
    skip_ws(r);
    if (r->pos < r->len && r->s[r->pos] == close) {
        r->pos++;
        return 0;
    }
    for (;;) {
        if (r->pos >= r->len)
            return unclosed(r, open);
        if (is_obj) {
            if (string(r, "a key"))
                return -1;
            skip_ws(r);
            if (r->pos >= r->len)
                return unclosed(r, open);
            if (r->s[r->pos] != ':')
                return err_at(r, r->pos, "expected ':' after the key, got %s",
                              got(r, r->pos, b, sizeof b));
            r->pos++;
            skip_ws(r);
            if (r->pos >= r->len)
                return unclosed(r, open);
        }
        if (value(r, depth + 1))
            return -1;
        skip_ws(r);
        if (r->pos < r->len && r->s[r->pos] == ',') {
            r->pos++;
            skip_ws(r);
            if (r->pos < r->len && r->s[r->pos] == close)
                return err_at(r, r->pos, "'%c' after ',' (a trailing comma is not allowed)",
                              close);
            continue;
        }
        if (r->pos < r->len && r->s[r->pos] == close) {
            r->pos++;
            return 0;
        }
        if (r->pos >= r->len)
            return unclosed(r, open);
        return err_at(r, r->pos, "expected ',' or '%c' after %s, got %s%s", close,
                      is_obj ? "a value" : "an item", got(r, r->pos, b, sizeof b),
                      r->s[r->pos] == '"' ? " (a missing comma?)" : "");
    }
}

static int value(struct rd *r, int depth)
{
    char b[32];
    if (r->pos >= r->len)
        return err_at(r, r->pos, "expected a value, got the end of the text");
    const char *p = (const char *)r->s + r->pos;
    size_t n = r->len - r->pos;
    switch (*p) {
    case '{':
    case '[':
        return container(r, depth);
    case '"':
        return string(r, "a string");
    case 't':
        if (n >= 4 && !memcmp(p, "true", 4)) {
            r->pos += 4;
            return 0;
        }
        break;
    case 'f':
        if (n >= 5 && !memcmp(p, "false", 5)) {
            r->pos += 5;
            return 0;
        }
        break;
    case 'n':
        if (n >= 4 && !memcmp(p, "null", 4)) {
            r->pos += 4;
            return 0;
        }
        break;
    default:
        if (*p == '-' || (*p >= '0' && *p <= '9'))
            return number(r);
    }
    return err_at(r, r->pos,
                  "expected a value (a string, number, object, array, true, false or null), "
                  "got %s%s",
                  got(r, r->pos, b, sizeof b), habit(r, r->pos));
}

int jsyn_scan(const char *text, size_t len, size_t *offset, char *msg, size_t msglen)
{
    struct rd r = {(const unsigned char *)text, len, 0, 0, msg, msglen};
    skip_ws(&r);
    if (r.pos >= len) {
        *offset = r.pos;
        snprintf(msg, msglen, "the text is empty (a scenario is a JSON object: {...})");
        return -1;
    }
    if (value(&r, 0) == 0) {
        skip_ws(&r);
        if (r.pos >= len)
            return 0;
        char b[32];
        err_at(&r, r.pos, "text after the end of the JSON value, starting with %s",
               got(&r, r.pos, b, sizeof b));
    }
    *offset = r.err_off;
    return -1;
}

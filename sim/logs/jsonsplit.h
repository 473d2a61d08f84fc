/* jsonsplit.h -- a log of JSON objects, one at a time, with where each is.
 *
 * Two layouts hold the same objects: a JSON array of them (what Okta's
 * GET /api/v1/logs returns) and JSON lines (one object per line: log
 * streaming and SIEM exports, and access logs). Either way the text is
 * checked by the scenario loader's syntax scanner (scenario/jsonsyntax.h)
 * first, so a malformed log is refused with the line and column of its
 * first error, and each element is handed on with its own line and column
 * so the reader's messages can point at it. */
#ifndef PROVSIM_JSONSPLIT_H
#define PROVSIM_JSONSPLIT_H

#include <stddef.h>

/* Called once per element: text[off, off+len) is one JSON value (syntax
 * already checked), starting at line, col (1-based). Returns 0, or -1
 * with a reason in err (jsplit_each prefixes "NAME: line L, column C: "). */
typedef int (*jsplit_fn)(void *ctx, const char *text, size_t off, size_t len, char *err,
                         size_t errlen);

/* 1 if the text (after blanks and a UTF-8 byte-order mark) starts with '['
 * or '{': a JSON log rather than a CSV or an NCSA log. */
int jsplit_is_json(const char *text, size_t len);

/* Splits text (len bytes) as an array if its first character is '[',
 * else as JSON lines (blank lines are skipped), and calls fn on each
 * element. name is the file as messages show it. Returns 0, or -1 with
 * "NAME: line L, column C: reason" in err (a syntax error, or what fn
 * refused). *count is the number of elements. */
int jsplit_each(const char *text, size_t len, const char *name, jsplit_fn fn, void *ctx,
                size_t *count, char *err, size_t errlen);

#endif

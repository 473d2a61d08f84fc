/* util.h -- out-of-memory policy and small helpers shared by every module.
 *
 * Out of memory is not an input error: provsim cannot do anything useful
 * without the memory it asked for, so every allocation goes through these
 * wrappers, which print one line and abort. */
#ifndef PROVSIM_UTIL_H
#define PROVSIM_UTIL_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* Reports an allocation failure by someone else's allocator and aborts. */
void xoom(const char *what);

/* Grow *arr (of elements of size elem) so it can hold at least need
 * elements; capacity doubles, so appends are amortised O(1). */
void xgrow(void **arr, size_t *cap, size_t need, size_t elem);

#ifdef __GNUC__
#define X_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define X_PRINTF(f, a)
#endif

/* Writes a formatted message into err (if err and errlen) and returns -1,
 * so input checks can `return xerr(err, errlen, "...")`. */
int xerr(char *err, size_t errlen, const char *fmt, ...) X_PRINTF(3, 4);

/* Index of s in names[0..n-1], or -1 (also for s == NULL): the parse half
 * of every enum's name table. */
int xname_index(const char *const *names, size_t n, const char *s);

#endif

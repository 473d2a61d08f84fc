/* util.h -- the error tiers and small helpers shared by every module.
 *
 * Three tiers (see ../README.md, "Errors"):
 *  - programmer errors (a precondition or invariant no input can break)
 *    trip XASSERT / XASSERT_AT, kept in release builds: one line naming the
 *    condition, the place and, where there is one, the simulation time;
 *    then abort();
 *  - input errors are return codes with a message (xerr), which the command
 *    line turns into exit 2;
 *  - out of memory is not an input error: provsim cannot do anything useful
 *    without the memory it asked for, so every allocation goes through
 *    these wrappers, which print one line and abort. */
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

/* Programmer errors. XASSERT_AT also reports the simulation time t_s
 * (seconds). Both stay in release builds: they guard preconditions whose
 * failure would silently corrupt a result. */
#define XASSERT(cond) \
    ((cond) ? (void)0 : xassert_fail(#cond, __FILE__, __LINE__, __func__, 0, 0.0))
#define XASSERT_AT(cond, t_s) \
    ((cond) ? (void)0 : xassert_fail(#cond, __FILE__, __LINE__, __func__, 1, (t_s)))
/* Prints "provsim: internal error: FILE:LINE: FUNC: EXPR (at t = T s)" on
 * stderr and aborts. Called by the macros above. */
_Noreturn void xassert_fail(const char *expr, const char *file, int line, const char *func,
                            int has_time, double t_s);

/* Writes a formatted message into err (if err and errlen) and returns -1,
 * so input checks can `return xerr(err, errlen, "...")`. */
int xerr(char *err, size_t errlen, const char *fmt, ...) X_PRINTF(3, 4);

/* Index of s in names[0..n-1], or -1 (also for s == NULL): the parse half
 * of every enum's name table. */
int xname_index(const char *const *names, size_t n, const char *s);

#endif

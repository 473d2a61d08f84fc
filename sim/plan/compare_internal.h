/* compare_internal.h -- what the compare's own files share; not for
 * callers of the compare (they include plan/compare.h).
 *
 *   compare.c        cmp_run: load, run, pair, findings; the text summary
 *   compare_write.c  DIR/compare.csv, DIR/compare.json, cmp_json */
#ifndef PROVSIM_COMPARE_INTERNAL_H
#define PROVSIM_COMPARE_INTERNAL_H

#include "plan/compare.h"

#include <stddef.h>

/* Writes DIR/compare.csv, then DIR/compare.json. Returns 0, or -1 with a
 * message. */
int cmp_write_results(const struct cmp_result *r, const char *dir, char *err, size_t errlen);

#endif

/* outdir.h -- output directories for sweep and compare (mkdir -p). */
#ifndef PROVSIM_OUTDIR_H
#define PROVSIM_OUTDIR_H

#include <stddef.h>

/* Creates dir and any missing parents (mode 0777 & umask); an existing
 * directory is fine. Returns 0, or -1 with a message naming the path. */
int outdir_make(const char *dir, char *err, size_t errlen);

/* Joins dir and name with one '/' into a new string (caller owns, free()). */
char *outdir_join(const char *dir, const char *name);

#endif

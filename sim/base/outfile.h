/* outfile.h -- output files that are either complete or absent.
 *
 * Writes go to a temporary file beside the target (same directory, so the
 * rename is atomic); outfile_commit flushes, checks for write errors and
 * renames it into place; outfile_abort removes it. A crash or an error
 * therefore never leaves a half-written CSV or JSON under the real name. */
#ifndef PROVSIM_OUTFILE_H
#define PROVSIM_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

/* The temporary file is the target's name + this + six random characters:
 * what a reader of a directory skips or cleans up (an interrupted write). */
#define OUTFILE_TMP_SUFFIX ".tmp"

struct outfile {
    FILE *f;    /* write here */
    char *path; /* owned */
    char *tmp;  /* owned */
    int slot;   /* in the registry of unfinished files (below), -1 if not */
};

/* Returns 0, or -1 with a message naming the path (directory missing,
 * not writable, ...). */
int outfile_open(struct outfile *o, const char *path, char *err, size_t errlen);
/* outfile_open on dir/name. */
int outfile_open_in(struct outfile *o, const char *dir, const char *name, char *err,
                    size_t errlen);
/* Returns 0, or -1 with a message; the temporary file is removed either way. */
int outfile_commit(struct outfile *o, char *err, size_t errlen);
void outfile_abort(struct outfile *o);
/* outfile_commit that never replaces an existing file (link, not
 * rename): returns 0, OUTFILE_EXISTS if the path exists (err says so), or
 * -1 with a message; the temporary file is removed either way. */
#define OUTFILE_EXISTS 1
int outfile_commit_new(struct outfile *o, char *err, size_t errlen);

/* For a SIGINT or SIGTERM handler (cli/interrupt.c): every outfile from
 * open to commit or abort is in a process-wide registry, the one global
 * state of this module, because a handler can reach nothing else.
 * outfile_remove_unfinished unlinks the temporary file of each (only
 * async-signal-safe calls) and returns how many it removed. The last
 * OUTFILE_KEPT_MAX files committed are remembered too: outfile_kept(i)
 * is the i-th (NULL past the end), outfile_kept_count() how many were
 * committed in all. Capacity: OUTFILE_MAX_OPEN files open at once are
 * tracked; more are written as usual, just not removed by a signal. */
#define OUTFILE_MAX_OPEN 64
#define OUTFILE_KEPT_MAX 8
int outfile_remove_unfinished(void);
const char *outfile_kept(int i);
int outfile_kept_count(void);

#endif

/* file.h -- files and paths: directories made with their parents, paths
 * joined, and the one whole-file reader every module uses (scenarios,
 * result files read back, journals, charts embedded in reports). Writing
 * is outfile.h's (complete or absent). */
#ifndef PROVSIM_FILE_H
#define PROVSIM_FILE_H

#include <stddef.h>

/* Creates dir and any missing parents (mode 0777 & umask); an existing
 * directory is fine. Returns 0, or -1 with a message naming the path. */
int file_mkdirs(const char *dir, char *err, size_t errlen);

/* Joins dir and name with one '/' into a new string (caller owns, free()). */
char *file_join(const char *dir, const char *name);

/* Size caps of the files provsim reads whole, bytes: larger is not what
 * the reader expects (a scenario is a few kilobytes; a sweep's result
 * files grow with its cells; a chart is a PNG of a few hundred KiB). */
#define FILE_MAX_SCENARIO ((size_t)16 << 20)
#define FILE_MAX_RESULT ((size_t)256 << 20)
#define FILE_MAX_CHART ((size_t)32 << 20)

enum file_status {
    FILE_OK = 0,
    FILE_CANNOT_OPEN,  /* fopen failed (*sys_errno says why) */
    FILE_IS_DIRECTORY,
    FILE_TOO_LARGE,    /* more than max bytes */
    FILE_READ_ERROR,   /* a read failed part way (*sys_errno says why) */
};

/* Reads path to its end (pipes and process substitution too, without
 * trusting a size), at most max bytes; path "-" is standard input (the
 * one way every command reads a scenario from a pipe). On FILE_OK *text is the content
 * with a NUL after it (caller owns, free()) and *len its length; otherwise
 * *text is NULL and *sys_errno holds errno where one applies (else 0).
 * Callers word their own messages, naming the path. */
enum file_status file_read(const char *path, size_t max, char **text, size_t *len,
                           int *sys_errno);

/* file_read with the messages of a reader of whole input files: returns
 * 0, or -1 with "PATH: is a directory, not WHAT", "PATH: larger than N
 * GiB" or "PATH: cannot read: REASON" (what: e.g. "a log"). */
int file_read_input(const char *path, size_t max, const char *what, char **text, size_t *len,
                    char *err, size_t errlen);

/* The name messages give path: "standard input" for "-", else path. */
const char *file_shown_name(const char *path);

#endif

/* jsonfile.h -- the JSON result files read back (run.json, meta.json,
 * compare.json, sweep.json), for the charts and the report: one reader,
 * and the member lookups both need. */
#ifndef PROVSIM_JSONFILE_H
#define PROVSIM_JSONFILE_H

#include <stddef.h>

struct cJSON;

/* DIR/name parsed (caller owns, cJSON_Delete), read whole with the cap of
 * a result file (base/file.h). NULL on failure, and then, if err and
 * errlen, one line naming the file: "PATH: <system error>" when it cannot
 * be opened, else "PATH: not valid JSON" (a directory, a file over the cap
 * and a failed read included: none is a result file provsim wrote). */
struct cJSON *jsonfile_read(const char *dir, const char *name, char *err, size_t errlen);
/* The same, and on failure *unreadable: 1 when the file could not be
 * opened (the system's fault or the user's permissions), 0 when it was
 * read and is not JSON (the data's fault: bad input). */
struct cJSON *jsonfile_read_why(const char *dir, const char *name, int *unreadable, char *err,
                                size_t errlen);

/* o[key] if it is a string (borrowed from o), else NULL. */
const char *jsonfile_str(const struct cJSON *o, const char *key);
/* o[key] if it is a finite number, else NAN. */
double jsonfile_num(const struct cJSON *o, const char *key);

#endif

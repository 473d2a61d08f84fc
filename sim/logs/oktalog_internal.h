/* oktalog_internal.h -- what the JSON and CSV readers of the Okta System
 * Log share (oktalog.c, oktacsv.c); not for other modules. */
#ifndef PROVSIM_OKTALOG_INTERNAL_H
#define PROVSIM_OKTALOG_INTERNAL_H

#include "logs/oktalog.h"

/* One record's fields, as text (NULL or "" = absent). */
struct okta_fields {
    const char *published, *event_type, *result;
    const char *app_name, *app_id; /* the AppInstance target */
    const char *user;              /* the User (else AppUser) target's alternateId */
};

/* Adds the record to log (or counts it as skipped); app is --app or NULL.
 * Returns 0, or -1 with a reason (no file or line: the caller adds them). */
int okta_add(struct okta_log *log, const struct okta_fields *f, const char *app, char *err,
             size_t errlen);

/* The CSV reader (oktacsv.c). */
int okta_csv_parse(struct okta_log *log, const char *text, size_t len, const char *name,
                   const char *app, char *err, size_t errlen);

#endif

/* logtime.h -- the time stamps of the logs provsim reads (Okta System Log,
 * SaaS access logs), as seconds since 1970-01-01T00:00 UTC.
 *
 * Two forms, both strict (a stamp is the whole field, nothing after it):
 *   ISO-8601  "2026-11-03T09:00:01.123Z", "2026-11-03T10:00:01.123+01:00"
 *             (seconds required; a fraction of 1 to 9 digits; "Z" or an
 *             offset +HH:MM / -HH:MM / +HHMM; without a zone, UTC)
 *   NCSA      "03/Nov/2026:09:00:01 +0000" (the [...] of the combined log
 *             format, without the brackets)
 * The scenario's clock is a naive local time; the caller adds the UTC
 * offset it wants (calibrate's --utc-offset). */
#ifndef PROVSIM_LOGTIME_H
#define PROVSIM_LOGTIME_H

#include <stddef.h>

/* Parses s (len bytes, not necessarily NUL-terminated). Returns 0 with
 * *out_s (seconds since 1970 UTC, fraction kept), or -1 with a reason in
 * msg ("expected 'T' after the date", ...). */
int logtime_parse_iso(const char *s, size_t len, double *out_s, char *msg, size_t msglen);
int logtime_parse_ncsa(const char *s, size_t len, double *out_s, char *msg, size_t msglen);

/* Parses a UTC offset as a flag gives it: "+01:00", "-05:30", "+0100",
 * "Z" or "0". Returns 0 with *out_s in seconds (east positive), or -1. */
int logtime_parse_offset(const char *s, double *out_s);

/* Formats seconds since 1970 UTC as "2026-11-03T09:00:01.123Z"
 * (milliseconds, rounded; buf >= 25 bytes). */
void logtime_format_iso(double epoch_s, char *buf, size_t len);
/* The same as an NCSA stamp, "03/Nov/2026:09:00:01 +0000" (whole seconds,
 * truncated; buf >= 27 bytes). */
void logtime_format_ncsa(double epoch_s, char *buf, size_t len);

#endif

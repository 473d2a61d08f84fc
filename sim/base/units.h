/* units.h -- durations and calendar times as people write them in
 * scenarios and on the command line, and durations as people read them.
 *
 * Durations: a number of seconds (JSON number or "90"), or numbers with
 * units: "250ms", "90s", "15m", "2h", "1d" (fractions allowed: "1.5h"),
 * also sec, min, hr, hour(s), day(s) and so on, with or without a space
 * ("15 min"), and compounds, largest unit first ("1h15m", "1h 15m", and
 * what provsim prints: "2d 00h", "12m 05s").
 * Rates: per second (a number), or "N/unit" or "N per unit" with a unit of
 * time as above but ms ("600/min", "10 /s", "3600 per hour").
 * Date-times: "YYYY-MM-DDTHH:MM" (optionally ":SS"), a naive local time;
 * only its date (weekday or weekend) and time of day matter to the model. */
#ifndef PROVSIM_UNITS_H
#define PROVSIM_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* Parses a duration string into seconds (finite, >= 0). Returns 0, or -1
 * with a message in err. */
int units_parse_duration(const char *s, double *out_s, char *err, size_t errlen);

/* Parses a rate string into per second. Returns 0, or -1 (the caller
 * words the message). */
int units_parse_rate(const char *s, double *out_per_s);

/* A naive local date-time, as seconds since 1970-01-01T00:00 (no zone). */
int units_parse_datetime(const char *s, int64_t *out_epoch_s, char *err, size_t errlen);

/* Day of week of an epoch-seconds time: 0 = Monday ... 6 = Sunday. */
int units_weekday(int64_t epoch_s);

/* "HH:MM" -> seconds after midnight (0 <= s < 86400). */
int units_parse_clock(const char *s, double *out_sod, char *err, size_t errlen);

/* Formats epoch seconds as "YYYY-MM-DDTHH:MM" (buf >= 17 bytes) or a time
 * of day as "Tue 10:00" (day name + clock; buf >= 10 bytes). */
void units_format_datetime(int64_t epoch_s, char *buf, size_t len);
void units_format_clock(int64_t epoch_s, char *buf, size_t len);

/* Formats a duration for people: "45s", "12m 05s", "2h 14m", "3d 04h".
 * Negative or non-finite values print as "-". */
void units_format_duration(double s, char *buf, size_t len);

/* Formats a count for people, rounded, with thousands separators:
 * 12000 -> "12,000". */
void units_format_count(double v, char *buf, size_t len);

/* floor(a / b) for b != 0, also for negative a: times before 1970 still
 * fall in the right hour and day. */
int64_t units_floor_div(int64_t a, int64_t b);
/* Days in month m (1-12) of year y, and the days since 1970-01-01 of the
 * proleptic Gregorian date y-m-d (m and d in range: the caller checks). */
int units_days_in_month(int64_t y, int m);
int64_t units_days_from_civil(int64_t y, int m, int d);

#endif

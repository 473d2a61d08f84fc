/* units.c -- durations and calendar times: parsing what people write in
 * scenarios, formatting what they read in reports. See units.h.
 *
 * Parsing takes the units people write ("15 min", "2 hrs", "1h15m") and
 * every form provsim prints ("2d 00h", "12m 05s"), but guesses nothing: an
 * unknown unit, units out of order ("15m 1h") or repeated, and spaces at
 * either end are refused, as likely typos. Numbers are plain decimals (digits, optionally a
 * point and more digits): no sign, exponent, hex, "inf" or "nan", which
 * strtod would all accept.
 *
 * Calendar times are naive: seconds since 1970-01-01T00:00 in no zone,
 * computed with Howard Hinnant's days-from-civil algorithm rather than
 * mktime, which would apply the host's time zone and daylight saving and
 * make a run depend on the machine it ran on. */
#include "base/units.h"

#include "base/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Reads a plain decimal ("90", "1.5", "0.25") at s. Returns the number of
 * characters it took (0 if none) and the value in *out. */
static size_t scan_decimal(const char *s, double *out)
{
    size_t n = 0;
    while (is_digit(s[n]))
        n++;
    if (n == 0)
        return 0;
    if (s[n] == '.') {
        size_t f = n + 1;
        while (is_digit(s[f]))
            f++;
        if (f == n + 1)
            return 0; /* "1." is refused: a digit must follow the point */
        n = f;
    }
    /* The text is known to be a plain decimal, so strtod cannot take
     * anything surprising; copy it so strtod stops where we did. */
    char buf[64];
    if (n >= sizeof buf)
        return 0;
    memcpy(buf, s, n);
    buf[n] = '\0';
    *out = strtod(buf, NULL);
    return n;
}

/* The unit words of durations and rates, with their seconds and a rank
 * (d 4, h 3, m 2, s 1, ms 0): a compound duration names each unit at most
 * once, largest first ("1h 15m", never "15m 1h"). The short forms are the
 * ones provsim prints; the long ones are what people type. */
static const struct unit_word {
    const char *word;
    double seconds;
    int rank;
} unit_words[] = {
    {"ms", 0.001, 0},   {"msec", 0.001, 0},   {"s", 1, 1},          {"sec", 1, 1},
    {"secs", 1, 1},     {"second", 1, 1},     {"seconds", 1, 1},    {"m", 60, 2},
    {"min", 60, 2},     {"mins", 60, 2},      {"minute", 60, 2},    {"minutes", 60, 2},
    {"h", 3600, 3},     {"hr", 3600, 3},      {"hrs", 3600, 3},     {"hour", 3600, 3},
    {"hours", 3600, 3}, {"d", 86400, 4},      {"day", 86400, 4},    {"days", 86400, 4},
};

/* The unit word of the n letters at s, or NULL. */
static const struct unit_word *find_unit(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof unit_words / sizeof unit_words[0]; i++)
        if (strlen(unit_words[i].word) == n && strncmp(unit_words[i].word, s, n) == 0)
            return &unit_words[i];
    return NULL;
}

static size_t count_letters(const char *s)
{
    size_t n = 0;
    while (s[n] >= 'a' && s[n] <= 'z')
        n++;
    return n;
}

int units_parse_duration(const char *s, double *out_s, char *err, size_t errlen)
{
    static const char hint[] = "a number of seconds, or numbers with units ms, s (sec), "
                               "m (min), h (hr), d, e.g. \"90s\", \"1.5h\", \"1h 15m\"";

    if (!s || !*s)
        return xerr(err, errlen, "empty duration (expected %s)", hint);
    if (s[0] == '-')
        return xerr(err, errlen, "\"%s\": a duration must not be negative", s);
    double v;
    size_t n = scan_decimal(s, &v);
    if (n == 0)
        return xerr(err, errlen, "\"%s\" is not a duration (expected %s)", s, hint);
    if (s[n] == '\0') {
        *out_s = v; /* a plain number: seconds */
        return 0;
    }
    /* Components NUMBER [spaces] UNIT, optionally separated by spaces, as
     * provsim prints them ("2d 00h", "12m 05s") and people write them
     * ("1h15m", "15 min"); no space before the first or after the last. */
    double total = 0;
    int last_rank = 5;
    size_t i = 0;
    for (;;) {
        n = scan_decimal(s + i, &v);
        if (n == 0)
            return xerr(err, errlen, "\"%s\" is not a duration (expected %s)", s, hint);
        i += n;
        while (s[i] == ' ')
            i++;
        size_t ul = count_letters(s + i);
        const struct unit_word *u = ul ? find_unit(s + i, ul) : NULL;
        if (!u)
            return xerr(err, errlen, "\"%s\" is not a duration (expected %s)", s, hint);
        if (u->rank >= last_rank)
            return xerr(err, errlen,
                        "\"%s\" is not a duration (each unit at most once, largest first: "
                        "\"1h 15m\")",
                        s);
        last_rank = u->rank;
        total += v * u->seconds;
        i += ul;
        if (s[i] == '\0')
            break;
        while (s[i] == ' ')
            i++;
        if (s[i] == '\0')
            return xerr(err, errlen, "\"%s\" is not a duration (expected %s)", s, hint);
    }
    /* Hundreds of digits overflow to infinity; no run can use that. */
    if (!isfinite(total))
        return xerr(err, errlen, "\"%s\": duration is too large", s);
    *out_s = total;
    return 0;
}

int units_parse_rate(const char *s, double *out_per_s)
{
    double v;
    size_t n = s ? scan_decimal(s, &v) : 0;
    if (n == 0)
        return -1;
    if (s[n] == '\0') {
        *out_per_s = v;
        return 0;
    }
    /* "600/min", "600 / min", "600 per minute", "10/s" */
    size_t i = n;
    while (s[i] == ' ')
        i++;
    if (s[i] == '/') {
        i++;
    } else if (i > n && strncmp(s + i, "per ", 4) == 0) {
        i += 4;
    } else {
        return -1;
    }
    while (s[i] == ' ')
        i++;
    size_t ul = count_letters(s + i);
    const struct unit_word *u = ul ? find_unit(s + i, ul) : NULL;
    if (!u || u->rank == 0 || s[i + ul] != '\0')
        return -1; /* no unit, trailing text, or per millisecond (nobody means it) */
    *out_per_s = v / u->seconds;
    return 0;
}

/* Reads exactly n digits at s into *out; returns 0 or -1. */
static int fixed_digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!is_digit(s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int units_days_in_month(int64_t y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant,
 * "chrono-Compatible Low-Level Date Algorithms"): years are shifted to
 * start in March so the leap day is the last day of the year. */
int64_t units_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                                     /* [0, 399] */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;   /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;             /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

/* The inverse of units_days_from_civil. */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

int64_t units_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int units_parse_datetime(const char *s, int64_t *out_epoch_s, char *err, size_t errlen)
{
    static const char want[] = "expected YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS";
    int y, mo, d, h, mi, sec = 0;
    if (!s)
        return xerr(err, errlen, "empty date-time (%s)", want);
    size_t len = strlen(s);
    if ((len != 16 && len != 19) || fixed_digits(s, 4, &y) || s[4] != '-' ||
        fixed_digits(s + 5, 2, &mo) || s[7] != '-' || fixed_digits(s + 8, 2, &d) ||
        s[10] != 'T' || fixed_digits(s + 11, 2, &h) || s[13] != ':' ||
        fixed_digits(s + 14, 2, &mi) ||
        (len == 19 && (s[16] != ':' || fixed_digits(s + 17, 2, &sec))))
        return xerr(err, errlen, "\"%s\" is not a date-time (%s)", s, want);
    if (y < 1)
        return xerr(err, errlen, "\"%s\": year must be 0001 or later", s);
    if (mo < 1 || mo > 12)
        return xerr(err, errlen, "\"%s\": month must be 01 to 12", s);
    if (d < 1 || d > units_days_in_month(y, mo))
        return xerr(err, errlen, "\"%s\": day must be 01 to %02d in that month", s,
                    units_days_in_month(y, mo));
    if (h > 23)
        return xerr(err, errlen, "\"%s\": hour must be 00 to 23", s);
    if (mi > 59)
        return xerr(err, errlen, "\"%s\": minute must be 00 to 59", s);
    if (sec > 59)
        return xerr(err, errlen, "\"%s\": second must be 00 to 59", s);
    *out_epoch_s = units_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    return 0;
}

int units_weekday(int64_t epoch_s)
{
    /* 1970-01-01 was a Thursday: day 0 is weekday 3 counting from Monday. */
    int64_t days = units_floor_div(epoch_s, 86400);
    int64_t w = (days + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

int units_parse_clock(const char *s, double *out_sod, char *err, size_t errlen)
{
    int h, m;
    /* "9:30" is accepted as well as "09:30": both are how people write it. */
    size_t hl = s && is_digit(s[0]) && s[1] == ':' ? 1 : 2;
    if (!s || strlen(s) != hl + 3 || fixed_digits(s, (int)hl, &h) || s[hl] != ':' ||
        fixed_digits(s + hl + 1, 2, &m))
        return xerr(err, errlen, "\"%s\" is not a time of day (expected HH:MM)", s ? s : "");
    if (h > 23)
        return xerr(err, errlen, "\"%s\": hour must be 00 to 23", s);
    if (m > 59)
        return xerr(err, errlen, "\"%s\": minute must be 00 to 59", s);
    *out_sod = h * 3600.0 + m * 60.0;
    return 0;
}

void units_format_datetime(int64_t epoch_s, char *buf, size_t len)
{
    int64_t days = units_floor_div(epoch_s, 86400);
    int64_t sod = epoch_s - days * 86400;
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(buf, len, "%04lld-%02d-%02dT%02d:%02d", (long long)y, m, d, (int)(sod / 3600),
             (int)(sod % 3600 / 60));
}

void units_format_clock(int64_t epoch_s, char *buf, size_t len)
{
    static const char *const names[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    int64_t sod = epoch_s - units_floor_div(epoch_s, 86400) * 86400;
    snprintf(buf, len, "%s %02d:%02d", names[units_weekday(epoch_s)], (int)(sod / 3600),
             (int)(sod % 3600 / 60));
}

void units_format_duration(double s, char *buf, size_t len)
{
    if (!isfinite(s) || s < 0) {
        snprintf(buf, len, "-");
        return;
    }
    /* Rounded to the last unit shown, as people read it: 1h 06m 59s is
     * "1h 07m" (cutting would say 1h 06m), 59.6 s is "1m 00s" and never
     * "60s"; a value that rounds up into the next unit is shown in it. */
    if (s > 0 && s < 9.995) {
        /* latencies: sub-second detail matters here */
        snprintf(buf, len, "%.2fs", s);
        return;
    }
    double r = floor(s + 0.5);          /* seconds */
    double mins = floor(s / 60.0 + 0.5); /* for "h m" */
    double hours = floor(s / 3600.0 + 0.5); /* for "d h" */
    if (r < 60) {
        snprintf(buf, len, "%.0fs", r);
    } else if (r < 3600) {
        snprintf(buf, len, "%.0fm %02.0fs", floor(r / 60), fmod(r, 60));
    } else if (mins < 1440) {
        snprintf(buf, len, "%.0fh %02.0fm", floor(mins / 60), fmod(mins, 60));
    } else {
        snprintf(buf, len, "%.0fd %02.0fh", floor(hours / 24), fmod(hours, 24));
    }
}

void units_format_count(double v, char *buf, size_t len)
{
    if (!isfinite(v)) {
        snprintf(buf, len, "-");
        return;
    }
    char digits[400];
    snprintf(digits, sizeof digits, "%.0f", fabs(v));
    size_t nd = strlen(digits), o = 0;
    char out[540];
    if (v <= -0.5)
        out[o++] = '-';
    for (size_t i = 0; i < nd; i++) {
        if (i > 0 && (nd - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    snprintf(buf, len, "%s", out);
}

/* logtime.c -- log time stamps to seconds since 1970 UTC (see logtime.h).
 * Every field is checked for its digits and its range, so a stamp that
 * parses is a real instant: months 1-12, days of that month, hours 0-23,
 * minutes 0-59, seconds 0-60 (a leap second reads as :59 + 1). */
#include "logs/logtime.h"

#include "base/units.h"
#include "base/util.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* n decimal digits at s[*i]; advances *i. Returns -1 if any is not one. */
static long digits(const char *s, size_t len, size_t *i, int n)
{
    long v = 0;
    for (int k = 0; k < n; k++) {
        if (*i >= len || s[*i] < '0' || s[*i] > '9')
            return -1;
        v = v * 10 + (s[(*i)++] - '0');
    }
    return v;
}

static int expect(const char *s, size_t len, size_t *i, char c)
{
    if (*i >= len || s[*i] != c)
        return -1;
    (*i)++;
    return 0;
}

static int civil_check(long y, long mo, long d, long h, long mi, long se, char *msg,
                       size_t msglen)
{
    if (y < 1970 || y > 9999)
        return xerr(msg, msglen, "year %ld out of 1970-9999", y);
    if (mo < 1 || mo > 12)
        return xerr(msg, msglen, "month %ld out of 1-12", mo);
    if (d < 1 || d > units_days_in_month(y, (int)mo))
        return xerr(msg, msglen, "day %ld out of the month's 1-%d", d, units_days_in_month(y, (int)mo));
    if (h > 23 || mi > 59 || se > 60)
        return xerr(msg, msglen, "time %02ld:%02ld:%02ld out of range", h, mi, se);
    return 0;
}

/* +HH:MM, +HHMM, -..., at s[*i]; *off_s east positive. */
static int zone(const char *s, size_t len, size_t *i, double *off_s, int colon_ok)
{
    int sign = s[*i] == '-' ? -1 : 1;
    (*i)++;
    long h = digits(s, len, i, 2);
    if (colon_ok && *i < len && s[*i] == ':')
        (*i)++;
    long m = digits(s, len, i, 2);
    if (h < 0 || m < 0 || h > 23 || m > 59)
        return -1;
    *off_s = sign * (h * 3600.0 + m * 60.0);
    return 0;
}

int logtime_parse_iso(const char *s, size_t len, double *out_s, char *msg, size_t msglen)
{
    size_t i = 0;
    long y = digits(s, len, &i, 4);
    if (y < 0 || expect(s, len, &i, '-'))
        return xerr(msg, msglen, "expected a date YYYY-MM-DD");
    long mo = digits(s, len, &i, 2);
    if (mo < 0 || expect(s, len, &i, '-'))
        return xerr(msg, msglen, "expected a date YYYY-MM-DD");
    long d = digits(s, len, &i, 2);
    if (d < 0)
        return xerr(msg, msglen, "expected a date YYYY-MM-DD");
    if (expect(s, len, &i, 'T'))
        return xerr(msg, msglen, "expected 'T' after the date");
    long h = digits(s, len, &i, 2), mi = -1, se = -1;
    if (h >= 0 && !expect(s, len, &i, ':'))
        mi = digits(s, len, &i, 2);
    if (mi >= 0 && !expect(s, len, &i, ':'))
        se = digits(s, len, &i, 2);
    if (se < 0)
        return xerr(msg, msglen, "expected a time HH:MM:SS after the 'T'");
    if (civil_check(y, mo, d, h, mi, se, msg, msglen))
        return -1;
    double frac = 0, scale = 0.1;
    if (i < len && s[i] == '.') {
        i++;
        int n = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9' && n < 9) {
            frac += (s[i++] - '0') * scale;
            scale /= 10;
            n++;
        }
        if (n == 0)
            return xerr(msg, msglen, "expected digits after the '.' of the seconds");
    }
    double off = 0;
    if (i < len && s[i] == 'Z')
        i++;
    else if (i < len && (s[i] == '+' || s[i] == '-')) {
        if (zone(s, len, &i, &off, 1))
            return xerr(msg, msglen, "expected a UTC offset +HH:MM");
    }
    if (i != len)
        return xerr(msg, msglen, "unexpected text after the time stamp");
    *out_s = (double)(units_days_from_civil(y, (int)mo, (int)d) * 86400 + h * 3600 + mi * 60 + se) +
             frac - off;
    return 0;
}

int logtime_parse_ncsa(const char *s, size_t len, double *out_s, char *msg, size_t msglen)
{
    static const char mon[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    size_t i = 0;
    long d = digits(s, len, &i, 2);
    if (d < 0 || expect(s, len, &i, '/') || i + 4 > len)
        return xerr(msg, msglen, "expected a time DD/Mon/YYYY:HH:MM:SS +ZZZZ");
    int mo = 0;
    for (int k = 0; k < 12; k++)
        if (!memcmp(s + i, mon[k], 3))
            mo = k + 1;
    i += 3;
    if (!mo || expect(s, len, &i, '/'))
        return xerr(msg, msglen, "expected a month name Jan..Dec");
    long y = digits(s, len, &i, 4), h = -1, mi = -1, se = -1;
    if (y >= 0 && !expect(s, len, &i, ':'))
        h = digits(s, len, &i, 2);
    if (h >= 0 && !expect(s, len, &i, ':'))
        mi = digits(s, len, &i, 2);
    if (mi >= 0 && !expect(s, len, &i, ':'))
        se = digits(s, len, &i, 2);
    if (se < 0)
        return xerr(msg, msglen, "expected a time DD/Mon/YYYY:HH:MM:SS +ZZZZ");
    if (civil_check(y, mo, d, h, mi, se, msg, msglen))
        return -1;
    double off = 0;
    if (expect(s, len, &i, ' ') || i >= len || (s[i] != '+' && s[i] != '-') ||
        zone(s, len, &i, &off, 0) || i != len)
        return xerr(msg, msglen, "expected a UTC offset +ZZZZ after the time");
    *out_s = (double)(units_days_from_civil(y, mo, (int)d) * 86400 + h * 3600 + mi * 60 + se) - off;
    return 0;
}

int logtime_parse_offset(const char *s, double *out_s)
{
    if (!s)
        return -1;
    if (!strcmp(s, "Z") || !strcmp(s, "0")) {
        *out_s = 0;
        return 0;
    }
    size_t i = 0, len = strlen(s);
    if (len < 1 || (s[0] != '+' && s[0] != '-'))
        return -1;
    if (zone(s, len, &i, out_s, 1) || i != len)
        return -1;
    return 0;
}

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

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void logtime_format_iso(double epoch_s, char *buf, size_t len)
{
    int64_t ms = (int64_t)llround(epoch_s * 1000.0);
    int64_t s = floor_div(ms, 1000), days = floor_div(s, 86400), sod = s - days * 86400;
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(buf, len, "%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ", (long long)y, m, d,
             (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60), (int)(ms - s * 1000));
}

void logtime_format_ncsa(double epoch_s, char *buf, size_t len)
{
    static const char mon[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int64_t s = (int64_t)floor(epoch_s), days = floor_div(s, 86400), sod = s - days * 86400;
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(buf, len, "%02d/%s/%04lld:%02d:%02d:%02d +0000", d, mon[m - 1], (long long)y,
             (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
}

/* test_units.c -- durations, date-times, clocks and duration formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/units.h"

static double dur(const char *s)
{
    double v = -1;
    char err[256] = "";
    if (units_parse_duration(s, &v, err, sizeof err) != 0) {
        print_error("unexpected error for \"%s\": %s\n", s, err);
        fail();
    }
    return v;
}

/* Asserts s is refused, with a message that quotes something useful. */
static void dur_bad(const char *s)
{
    double v = 12345;
    char err[256] = "";
    int rc = units_parse_duration(s, &v, err, sizeof err);
    if (rc != -1) {
        print_error("\"%s\" was accepted as %g\n", s ? s : "(null)", v);
        fail();
    }
    assert_true(err[0] != '\0');
    assert_true(v == 12345); /* untouched on error */
}

static void test_duration_units(void **state)
{
    (void)state;
    assert_true(dur("250ms") == 0.25);
    assert_true(dur("90s") == 90);
    assert_true(dur("15m") == 900);
    assert_true(dur("2h") == 7200);
    assert_true(dur("1d") == 86400);
    assert_true(dur("90") == 90);
    assert_true(dur("0") == 0);
    assert_true(dur("0s") == 0);
    assert_true(dur("1.5h") == 5400);
    assert_true(dur("0.5s") == 0.5);
    assert_true(dur("2.25m") == 135);
    assert_true(fabs(dur("1.5ms") - 0.0015) < 1e-15);
}

/* The units people write, and compounds largest first. */
static void test_duration_as_people_write(void **state)
{
    (void)state;
    assert_true(dur("5min") == 300);
    assert_true(dur("5 min") == 300);
    assert_true(dur("5 s") == 5);
    assert_true(dur("30sec") == 30);
    assert_true(dur("2hr") == 7200);
    assert_true(dur("2 hrs") == 7200);
    assert_true(dur("1 hour") == 3600);
    assert_true(dur("3 days") == 3 * 86400);
    assert_true(dur("1h15m") == 4500);
    assert_true(dur("1h 15m") == 4500);
    assert_true(dur("1h  15m") == 4500);
    assert_true(dur("1d 2h 3m 4s") == 86400 + 7200 + 180 + 4);
    assert_true(dur("1m 500ms") == 60.5);
    assert_true(dur("1 hr 30 min") == 5400);
}

/* Every duration provsim prints reads back as the value it shows: the
 * formatter rounds to the second and cuts to two units, so the text is
 * what the reader copies into a scenario. */
static void test_duration_printed_forms_parse(void **state)
{
    (void)state;
    static const double values[] = {0,     0.25,  1.5,    9.99,  10,     59,
                                    61,    725,   3599,   3600,  5520,   86399,
                                    86400, 90000, 172800, 1e6,   31e6,   366 * 86400.0};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char buf[64], err[256];
        units_format_duration(values[i], buf, sizeof buf);
        double back;
        if (units_parse_duration(buf, &back, err, sizeof err) != 0) {
            print_error("provsim prints %g s as \"%s\", which does not parse: %s\n", values[i],
                        buf, err);
            fail();
        }
        char again[64];
        units_format_duration(back, again, sizeof again);
        assert_string_equal(buf, again);
    }
    assert_true(dur("2d 00h") == 172800);
    assert_true(dur("1h 32m") == 5520);
    assert_true(dur("12m 05s") == 725);
    assert_true(dur("0.64s") == 0.64);
}

static double rate(const char *s)
{
    double v = -1;
    if (units_parse_rate(s, &v) != 0) {
        print_error("rate \"%s\" refused\n", s);
        fail();
    }
    return v;
}

static void test_rates(void **state)
{
    (void)state;
    assert_true(rate("600/min") == 10);
    assert_true(rate("600 / min") == 10);
    assert_true(rate("600 per minute") == 10);
    assert_true(rate("3600/hr") == 1);
    assert_true(rate("3600 per hour") == 1);
    assert_true(rate("10/s") == 10);
    assert_true(rate("10/sec") == 10);
    assert_true(rate("86400/day") == 1);
    assert_true(rate("2.5") == 2.5);
    static const char *const bad[] = {"",      "/min",    "10/",  "10 min", "10/ms",
                                      "10/mn", "10/min ", " 10/s", "10per min", "10/min/s",
                                      "1e3/s", "-1/s",    NULL};
    for (int i = 0; bad[i]; i++) {
        double v = 7;
        if (units_parse_rate(bad[i], &v) == 0) {
            print_error("rate \"%s\" accepted as %g\n", bad[i], v);
            fail();
        }
        assert_true(v == 7);
    }
}

static void test_duration_bad(void **state)
{
    (void)state;
    dur_bad("");
    dur_bad(NULL);
    dur_bad("-5s");
    dur_bad("-1");
    dur_bad("abc");
    dur_bad("5x");
    dur_bad(" 5s");
    dur_bad("5s ");
    dur_bad("5ss");
    dur_bad("5sm");
    dur_bad("1.");
    dur_bad(".5s");
    dur_bad("1.2.3s");
    dur_bad("nan");
    dur_bad("inf");
    dur_bad("1e3");
    dur_bad("0x10");
    dur_bad("+5s");
    dur_bad("s");
    dur_bad("15m 1h");   /* largest unit first */
    dur_bad("1h 2h");    /* each unit once */
    dur_bad("1h 15");    /* a bare number only alone */
    dur_bad("1h  ");     /* trailing spaces */
    dur_bad("1h,15m");
    dur_bad("5 mn");
    dur_bad("5 minutess");
    dur_bad("5S");
    /* 400 digits: finite for strtod only up to ~1e308, then inf. */
    char big[420];
    memset(big, '9', 400);
    strcpy(big + 400, "d");
    dur_bad(big);

    char err[256];
    double v;
    assert_int_equal(units_parse_duration("-5s", &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "negative"));
    assert_int_equal(units_parse_duration("5x", &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "\"5x\""));
}

static int64_t dt(const char *s)
{
    int64_t v = -1;
    char err[256] = "";
    if (units_parse_datetime(s, &v, err, sizeof err) != 0) {
        print_error("unexpected error for \"%s\": %s\n", s, err);
        fail();
    }
    return v;
}

static void dt_bad(const char *s, const char *want)
{
    int64_t v = 777;
    char err[256] = "";
    if (units_parse_datetime(s, &v, err, sizeof err) != -1) {
        print_error("\"%s\" was accepted as %lld\n", s, (long long)v);
        fail();
    }
    assert_true(v == 777);
    if (want && !strstr(err, want)) {
        print_error("message for \"%s\" is \"%s\", wanted \"%s\" in it\n", s, err, want);
        fail();
    }
}

static void test_datetime(void **state)
{
    (void)state;
    assert_int_equal(dt("1970-01-01T00:00"), 0);
    assert_int_equal(dt("1970-01-02T00:00:01"), 86401);
    /* Reference values from `date -u -d ... +%s`. */
    assert_int_equal(dt("2026-12-01T00:00"), 1796083200);
    assert_int_equal(dt("2000-02-29T12:34:56"), 951827696);
    assert_int_equal(dt("2024-02-29T00:00"), 1709164800);
    assert_int_equal(dt("1969-12-31T23:59:59"), -1);
    assert_int_equal(dt("2026-12-01T10:00") - dt("2026-11-30T10:00"), 86400);
    /* Leap days: 2000 (div 400) yes, 1900 and 2100 (div 100) no, 2024 yes,
     * 2026 no. */
    dt("2000-02-29T00:00");
    dt_bad("1900-02-29T00:00", "day");
    dt_bad("2100-02-29T00:00", "day");
    dt_bad("2026-02-29T00:00", "day");
    dt_bad("2026-02-30T00:00", "day");
    dt_bad("2026-04-31T00:00", "day");
    dt_bad("2026-12-00T00:00", "day");
    dt_bad("2026-13-01T00:00", "month");
    dt_bad("2026-00-01T00:00", "month");
    dt_bad("2026-12-01T24:00", "hour");
    dt_bad("2026-12-01T10:60", "minute");
    dt_bad("2026-12-01T10:00:60", "second");
    dt_bad("2026-12-01", NULL);
    dt_bad("2026-12-01 10:00", NULL);
    dt_bad("2026-12-01T10:00Z", NULL);
    dt_bad("2026-12-1T10:00", NULL);
    dt_bad("26-12-01T10:00", NULL);
    dt_bad("", NULL);
    dt_bad("2026-12-01T10:0a", NULL);
}

static void test_weekday(void **state)
{
    (void)state;
    assert_int_equal(units_weekday(dt("2026-12-01T00:00")), 1);  /* Tuesday */
    assert_int_equal(units_weekday(dt("2026-12-05T23:59")), 5);  /* Saturday */
    assert_int_equal(units_weekday(dt("2026-12-06T12:00")), 6);  /* Sunday */
    assert_int_equal(units_weekday(dt("2026-12-07T00:00")), 0);  /* Monday */
    assert_int_equal(units_weekday(dt("1970-01-01T00:00")), 3);  /* Thursday */
    assert_int_equal(units_weekday(dt("1969-12-31T23:00")), 2);  /* Wednesday */
    assert_int_equal(units_weekday(dt("2000-02-29T00:00")), 1);  /* Tuesday */
}

static void test_clock(void **state)
{
    (void)state;
    double sod = -1;
    char err[256];
    assert_int_equal(units_parse_clock("10:00", &sod, err, sizeof err), 0);
    assert_true(sod == 36000);
    assert_int_equal(units_parse_clock("00:00", &sod, err, sizeof err), 0);
    assert_true(sod == 0);
    assert_int_equal(units_parse_clock("23:59", &sod, err, sizeof err), 0);
    assert_true(sod == 86340);
    assert_int_equal(units_parse_clock("9:30", &sod, err, sizeof err), 0);
    assert_true(sod == 34200);
    const char *bad[] = {"24:00", "10:60", "10", "10:0", "10:000", "1000", "ab:cd", "", "-1:00",
                         "10:00:00", " 10:00"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sod = 42;
        if (units_parse_clock(bad[i], &sod, err, sizeof err) != -1) {
            print_error("\"%s\" was accepted\n", bad[i]);
            fail();
        }
        assert_true(sod == 42);
    }
}

static void fmt_is(double s, const char *want)
{
    char buf[64];
    units_format_duration(s, buf, sizeof buf);
    if (strcmp(buf, want) != 0) {
        print_error("format_duration(%.17g) = \"%s\", wanted \"%s\"\n", s, buf, want);
        fail();
    }
}

static void test_format_duration(void **state)
{
    (void)state;
    fmt_is(0, "0s");
    fmt_is(0.4, "0.40s");
    fmt_is(0.5, "0.50s");
    fmt_is(1.234, "1.23s");
    fmt_is(9.996, "10s");
    fmt_is(45, "45s");
    fmt_is(59.4, "59s");
    fmt_is(59.6, "1m 00s"); /* rounded first: never "60s" */
    fmt_is(725, "12m 05s");
    fmt_is(3599.6, "1h 00m");
    /* rounded to the last unit shown, not cut: 1h 06m 59s is 1h 07m */
    fmt_is(3600 + 6 * 60 + 59, "1h 07m");
    fmt_is(3600 + 6 * 60 + 29, "1h 06m");
    fmt_is(2 * 3600 + 14 * 60 + 59, "2h 15m");
    fmt_is(86369, "23h 59m");
    fmt_is(86399, "1d 00h"); /* 23h 59m 59s: rounds up into days */
    fmt_is(86400, "1d 00h");
    fmt_is(3 * 86400 + 4 * 3600 + 59 * 60, "3d 05h");
    fmt_is(3 * 86400 + 4 * 3600 + 29 * 60, "3d 04h");
    fmt_is(400 * 86400.0, "400d 00h");
    fmt_is(-1, "-");
    fmt_is(-0.1, "-");
    fmt_is(NAN, "-");
    fmt_is(INFINITY, "-");
}

static void test_format_times(void **state)
{
    (void)state;
    char buf[32];
    units_format_clock(dt("2026-12-01T10:00"), buf, sizeof buf);
    assert_string_equal(buf, "Tue 10:00");
    units_format_clock(dt("2026-12-06T23:59:59"), buf, sizeof buf);
    assert_string_equal(buf, "Sun 23:59");
    units_format_datetime(dt("2024-02-29T07:05"), buf, sizeof buf);
    assert_string_equal(buf, "2024-02-29T07:05");
    units_format_datetime(-60, buf, sizeof buf);
    assert_string_equal(buf, "1969-12-31T23:59");
    /* Round trip over four centuries of first-of-months and leap days. */
    for (int y = 1800; y <= 2400; y += 7) {
        for (int m = 1; m <= 12; m++) {
            char in[32];
            snprintf(in, sizeof in, "%04d-%02d-%02dT13:45", y, m, m == 2 ? 28 : 30);
            units_format_datetime(dt(in), buf, sizeof buf);
            assert_string_equal(buf, in);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_duration_units),
        cmocka_unit_test(test_duration_as_people_write),
        cmocka_unit_test(test_duration_printed_forms_parse),
        cmocka_unit_test(test_rates), cmocka_unit_test(test_duration_bad),
        cmocka_unit_test(test_datetime),       cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_clock),          cmocka_unit_test(test_format_duration),
        cmocka_unit_test(test_format_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

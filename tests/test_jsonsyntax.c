/* test_jsonsyntax.c -- jsyn_scan: the exact position and reason of each
 * kind of JSON error, acceptance of what cJSON accepts, and the string
 * holes it closes on purpose. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "scenario/jsonsyntax.h"

struct bad_case {
    const char *text;
    int line, col;
    const char *msg; /* substring */
};

static void test_errors(void **state)
{
    (void)state;
    static const struct bad_case cases[] = {
        {"", 1, 1, "the text is empty"},
        {"  \n ", 2, 2, "the text is empty"},
        {"{\"a\": 1 \"b\": 2}", 1, 9, "expected ',' or '}' after a value, got '\"' (a missing comma?)"},
        {"{\"a\": 1,}", 1, 9, "'}' after ',' (a trailing comma is not allowed)"},
        {"[1, 2,]", 1, 7, "']' after ','"},
        {"{'a': 1}", 1, 2, "expected a key in double quotes, got \"'\" (JSON strings take double quotes)"},
        {"{\n  // c\n}", 2, 3, "(JSON has no comments)"},
        {"{\"a\" 1}", 1, 6, "expected ':' after the key, got '1'"},
        {"{\"a\": NaN}", 1, 7, "(NaN and Infinity are not JSON numbers)"},
        {"{\"a\": +1}", 1, 7, "(a JSON number starts with a digit or '-')"},
        {"{\"a\": -}", 1, 7, "expected a value, got '-'"},
        {"{\"a\": tru}", 1, 7, "got 't'"},
        {"{\"a\": 1} x", 1, 10, "text after the end of the JSON value, starting with 'x'"},
        {"{\"a\": [1, 2", 1, 12, "unexpected end of the text: the '[' at line 1, column 7 is not closed"},
        {"{\n\"a\": {\n", 3, 1, "the '{' at line 2, column 6 is not closed"},
        {"{\"a\": \"x", 1, 9, "inside the string that starts at line 1, column 7"},
        {"{\"a\": \"x\ny\"}", 1, 9, "line break inside a string (missing closing quote?)"},
        {"{\"a\": \"x\ty\"}", 1, 9, "control character U+0009 inside a string"},
        {"{\"a\": \"\\q\"}", 1, 8, "bad escape \\q"},
        {"{\"a\": \"\\u12G4\"}", 1, 8, "\\u must be followed by four hex digits"},
        {"{\"a\\u0000b\": 1}", 1, 4, "\\u0000 (NUL) is not allowed in a string"},
        {"{\"a\": \"\\uDC00\"}", 1, 8, "unpaired UTF-16 surrogate \\uDC00"},
        {"{\"a\": \"\\uD800x\"}", 1, 8, "unpaired UTF-16 surrogate \\uD800"},
        /* columns count characters: "é" and "–" are one column each */
        {"{\"\xc3\xa9\xe2\x80\x93\": x}", 1, 8, "got 'x'"},
        {"{\"a\": \x01}", 1, 8, "got '}'"}, /* bytes <= 0x20 are whitespace, as in cJSON */
        {"{\"a\": \xc3\xa9}", 1, 7, "got a non-ASCII character"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct bad_case *c = &cases[i];
        size_t off;
        char msg[256];
        if (jsyn_scan(c->text, strlen(c->text), &off, msg, sizeof msg) == 0)
            fail_msg("case %zu (%s): accepted", i, c->text);
        int line, col;
        jsyn_line_col(c->text, off, &line, &col);
        if (line != c->line || col != c->col || !strstr(msg, c->msg))
            fail_msg("case %zu (%s): got line %d, column %d: %s; expected line %d, column "
                     "%d: ...%s...",
                     i, c->text, line, col, msg, c->line, c->col, c->msg);
    }
}

static void test_accepts_what_cjson_accepts(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "{}", " {\"a\": [1, -2.5e3, 0, 1E+2, true, false, null, \"x\\\"y\\\\\\/\\n\"]} \n",
        "{\"a\": {\"b\": {\"c\": []}}}", "{\"\\u00e9\\uD83D\\uDE00\": \"\xc3\xa9\"}",
        "[1.]", "[01]", /* cJSON reads both (strtod) */
        "[1e99999]", /* infinity: the loader refuses it as a value, not as syntax */
        "\"just a string\"", "123",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        size_t off;
        char msg[256];
        if (jsyn_scan(ok[i], strlen(ok[i]), &off, msg, sizeof msg) != 0)
            fail_msg("case %zu (%s): refused at %zu: %s", i, ok[i], off, msg);
        cJSON *root = cJSON_ParseWithLength(ok[i], strlen(ok[i]));
        assert_non_null(root);
        cJSON_Delete(root);
    }
}

static void test_nesting_limit(void **state)
{
    (void)state;
    char buf[2 * JSYN_MAX_DEPTH + 8];
    size_t off;
    char msg[256];
    /* JSYN_MAX_DEPTH levels parse; one more does not, in both readers */
    for (int depth = JSYN_MAX_DEPTH; depth <= JSYN_MAX_DEPTH + 1; depth++) {
        memset(buf, '[', (size_t)depth);
        memset(buf + depth, ']', (size_t)depth);
        size_t n = 2 * (size_t)depth;
        int lint = jsyn_scan(buf, n, &off, msg, sizeof msg);
        cJSON *root = cJSON_ParseWithLength(buf, n);
        assert_int_equal(lint == 0, root != NULL);
        assert_int_equal(lint == 0, depth == JSYN_MAX_DEPTH);
        if (lint)
            assert_non_null(strstr(msg, "nested deeper than 1000 levels"));
        cJSON_Delete(root);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_accepts_what_cjson_accepts),
        cmocka_unit_test(test_nesting_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* json_helpers.h -- reading the JSON files a command wrote, inside tests
 * (cmocka's asserts: include after cmocka.h and cli_helpers.h). */
#ifndef PROVSIM_TEST_JSON_HELPERS_H
#define PROVSIM_TEST_JSON_HELPERS_H

#include <stdlib.h>

#include <cjson/cJSON.h>

/* The parsed file; fails the test if it is not JSON. */
static inline cJSON *th_read_json(const char *path)
{
    char *t = th_read(path);
    cJSON *j = cJSON_Parse(t);
    free(t);
    assert_non_null(j);
    return j;
}

/* The number at j.a[.b[.c]] (where .b is an array, .c is read from its
 * first element); fails the test if there is none. */
static inline double th_num_at(const cJSON *j, const char *a, const char *b, const char *c)
{
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(j, a);
    if (b)
        o = cJSON_GetObjectItemCaseSensitive(o, b);
    if (c) {
        if (cJSON_IsArray(o))
            o = cJSON_GetArrayItem(o, 0);
        o = cJSON_GetObjectItemCaseSensitive(o, c);
    }
    if (!cJSON_IsNumber(o))
        fail_msg("%s.%s.%s is not a number", a, b ? b : "", c ? c : "");
    return o->valuedouble;
}

#endif

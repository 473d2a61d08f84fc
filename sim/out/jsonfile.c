/* jsonfile.c -- see jsonfile.h. */
#include "out/jsonfile.h"

#include "base/file.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

cJSON *jsonfile_read(const char *dir, const char *name, char *err, size_t errlen)
{
    int unreadable;
    return jsonfile_read_why(dir, name, &unreadable, err, errlen);
}

cJSON *jsonfile_read_why(const char *dir, const char *name, int *unreadable, char *err,
                         size_t errlen)
{
    char *p = file_join(dir, name);
    char *text;
    size_t len;
    int sys_errno;
    enum file_status st = file_read(p, FILE_MAX_RESULT, &text, &len, &sys_errno);
    cJSON *j = st == FILE_OK ? cJSON_Parse(text) : NULL;
    *unreadable = st == FILE_CANNOT_OPEN;
    if (!j && err && errlen) {
        if (st == FILE_CANNOT_OPEN)
            snprintf(err, errlen, "%s: %s", p, strerror(sys_errno));
        else
            snprintf(err, errlen, "%s: not valid JSON", p);
    }
    free(text);
    free(p);
    return j;
}

const char *jsonfile_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

double jsonfile_num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) && isfinite(v->valuedouble) ? v->valuedouble : NAN;
}

/* csvfmt.c -- see csvfmt.h. */
#include "out/csvfmt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

void csvfmt_number(char *buf, size_t len, double v)
{
    if (isnan(v)) {
        snprintf(buf, len, "nan");
        return;
    }
    if (isinf(v)) {
        snprintf(buf, len, v > 0 ? "inf" : "-inf");
        return;
    }
    snprintf(buf, len, "%.15g", v);
    if (strtod(buf, NULL) != v)
        snprintf(buf, len, "%.17g", v);
}

void csvfmt_num(FILE *f, double v)
{
    /* where JSON writes null: an empty cell, which pandas, spreadsheets
     * and tbl_num all read as missing ("nan" is a string to most) */
    if (!isfinite(v))
        return;
    char buf[40];
    csvfmt_number(buf, sizeof buf, v);
    fputs(buf, f);
}

cJSON *csvfmt_json_number(double v)
{
    if (!isfinite(v))
        return cJSON_CreateNull();
    char buf[40];
    csvfmt_number(buf, sizeof buf, v);
    return cJSON_CreateRaw(buf);
}

void csvfmt_field(FILE *f, const char *s)
{
    size_t n = strlen(s);
    if (!strpbrk(s, ",\"\r\n") && !(n > 0 && (s[0] == ' ' || s[n - 1] == ' '))) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* oktacsv.c -- the Okta System Log as a CSV export with a header row (see
 * oktalog.h). The header names the columns; they map to the LogEvent's
 * fields by these names (README, "Calibrating from logs"):
 *   published, eventType, outcome.result           the event
 *   target.AppInstance.displayName                  the app (or
 *   target.AppInstance.alternateId                  either of the two)
 *   target.User.alternateId                         the user (or
 *   target.AppUser.alternateId                      either of the two)
 * Other columns are ignored. Fields follow RFC 4180 (quotes around a field
 * that holds commas, a quote inside written twice); a line break inside a
 * quoted field is refused, so a line of the file is a record. */
#include "logs/oktalog_internal.h"

#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { C_PUBLISHED, C_TYPE, C_RESULT, C_APP_NAME, C_APP_ID, C_USER, C_APP_USER, C_COUNT };
static const char *const col_names[C_COUNT] = {
    "published", "eventType", "outcome.result", "target.AppInstance.displayName",
    "target.AppInstance.alternateId", "target.User.alternateId", "target.AppUser.alternateId"};

#define CSV_MAX_FIELDS 256

/* Splits one line (no line break) into fields, unquoting in place into
 * buf (as large as the line). Returns the number of fields, or -1 with a
 * reason and *col the 1-based column of the problem. */
static int split_fields(const char *line, size_t len, char *buf, char **fields, int *col,
                        char *err, size_t errlen)
{
    int n = 0;
    size_t i = 0, o = 0;
    for (;;) {
        if (n == CSV_MAX_FIELDS) {
            *col = (int)i + 1;
            return xerr(err, errlen, "more than %d fields", CSV_MAX_FIELDS);
        }
        fields[n++] = buf + o;
        if (i < len && line[i] == '"') {
            i++;
            for (;;) {
                if (i >= len) {
                    *col = (int)len + 1;
                    return xerr(err, errlen, "a quoted field is not closed on its line (line "
                                "breaks inside fields are not supported)");
                }
                if (line[i] == '"') {
                    if (i + 1 < len && line[i + 1] == '"') {
                        buf[o++] = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                buf[o++] = line[i++];
            }
            if (i < len && line[i] != ',') {
                *col = (int)i + 1;
                return xerr(err, errlen, "text after a closing quote (a quote inside a field is "
                            "written twice)");
            }
        } else {
            while (i < len && line[i] != ',') {
                if (line[i] == '"') {
                    *col = (int)i + 1;
                    return xerr(err, errlen, "a quote inside an unquoted field");
                }
                buf[o++] = line[i++];
            }
        }
        buf[o++] = '\0';
        if (i >= len)
            return n;
        i++; /* the comma */
    }
}

struct csv_map {
    int col[C_COUNT]; /* field index of each column, -1 = absent */
    int nheader;
};

static int read_header(struct csv_map *m, char **fields, int n, char *err, size_t errlen)
{
    for (int c = 0; c < C_COUNT; c++)
        m->col[c] = -1;
    m->nheader = n;
    for (int i = 0; i < n; i++)
        for (int c = 0; c < C_COUNT; c++)
            if (!strcmp(fields[i], col_names[c])) {
                if (m->col[c] >= 0)
                    return xerr(err, errlen, "the header names column \"%s\" twice", col_names[c]);
                m->col[c] = i;
            }
    char missing[300] = "";
    size_t k = 0;
    for (int c = 0; c <= C_RESULT; c++)
        if (m->col[c] < 0)
            k += (size_t)snprintf(missing + k, sizeof missing - k, "%s%s", k ? ", " : "",
                                  col_names[c]);
    if (m->col[C_APP_NAME] < 0 && m->col[C_APP_ID] < 0)
        k += (size_t)snprintf(missing + k, sizeof missing - k, "%s%s or %s", k ? ", " : "",
                              col_names[C_APP_NAME], col_names[C_APP_ID]);
    if (m->col[C_USER] < 0 && m->col[C_APP_USER] < 0)
        k += (size_t)snprintf(missing + k, sizeof missing - k, "%s%s or %s", k ? ", " : "",
                              col_names[C_USER], col_names[C_APP_USER]);
    if (k)
        return xerr(err, errlen, "the header row lacks the required column(s) %s (is it an "
                    "Okta System Log CSV export?)", missing);
    return 0;
}

static const char *field(const struct csv_map *m, char **fields, int c)
{
    return m->col[c] >= 0 ? fields[m->col[c]] : NULL;
}

int okta_csv_parse(struct okta_log *log, const char *text, size_t len, const char *name,
                   const char *app, char *err, size_t errlen)
{
    struct csv_map m;
    char **fields = xmalloc(CSV_MAX_FIELDS * sizeof *fields);
    char *buf = NULL;
    size_t bufcap = 0, i = 0;
    long lineno = 0;
    int have_header = 0, rc = 0;
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < len && rc == 0) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        size_t b = e;
        if (b > i && text[b - 1] == '\r')
            b--;
        lineno++;
        if (b > i) {
            xgrow((void **)&buf, &bufcap, b - i + 1, 1);
            int col = 0;
            char reason[300];
            int n = split_fields(text + i, b - i, buf, fields, &col, reason, sizeof reason);
            if (n < 0) {
                rc = xerr(err, errlen, "%s: line %ld, column %d: %s", name, lineno, col, reason);
            } else if (!have_header) {
                if (read_header(&m, fields, n, reason, sizeof reason))
                    rc = xerr(err, errlen, "%s: line %ld: %s", name, lineno, reason);
                have_header = 1;
            } else if (n != m.nheader) {
                rc = xerr(err, errlen, "%s: line %ld: %d fields, the header has %d", name,
                          lineno, n, m.nheader);
            } else {
                struct okta_fields f = {field(&m, fields, C_PUBLISHED), field(&m, fields, C_TYPE),
                                        field(&m, fields, C_RESULT), field(&m, fields, C_APP_NAME),
                                        field(&m, fields, C_APP_ID), field(&m, fields, C_USER)};
                const char *au = field(&m, fields, C_APP_USER);
                if ((!f.user || !f.user[0]) && au)
                    f.user = au;
                if (okta_add(log, &f, app, reason, sizeof reason))
                    rc = xerr(err, errlen, "%s: line %ld: %s", name, lineno, reason);
            }
        }
        i = e + 1;
    }
    if (rc == 0 && !have_header)
        rc = xerr(err, errlen, "%s: the log is empty", name);
    free(buf);
    free(fields);
    return rc;
}

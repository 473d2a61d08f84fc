/* table.c -- see table.h. */
#include "out/table.h"

#include "base/file.h"
#include "base/util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fields {
    char **v;
    size_t n, cap;
};

static void add_field(struct fields *f, const char *s, size_t len)
{
    xgrow((void **)&f->v, &f->cap, f->n + 1, sizeof *f->v);
    char *c = xmalloc(len + 1);
    memcpy(c, s, len);
    c[len] = '\0';
    f->v[f->n++] = c;
}

/* Splits text into fields; rows end at LF (a CR before it is dropped).
 * Records each row's field count in *counts. */
static int split(const char *text, size_t len, struct fields *f, size_t **counts, size_t *nrows,
                 const char *path, char *err, size_t errlen)
{
    size_t cap = 0, line = 1;
    char *cell = xmalloc(len + 1);
    size_t i = 0;
    *nrows = 0;
    *counts = NULL;
    while (i < len) {
        size_t row_start_fields = f->n;
        for (;;) { /* one field */
            size_t n = 0;
            if (i < len && text[i] == '"') {
                i++;
                for (;;) {
                    if (i >= len) {
                        snprintf(err, errlen, "%s: line %zu: unterminated quoted field", path,
                                 line);
                        free(cell);
                        return -1;
                    }
                    if (text[i] == '"') {
                        if (i + 1 < len && text[i + 1] == '"') {
                            cell[n++] = '"';
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (text[i] == '\n')
                        line++;
                    cell[n++] = text[i++];
                }
            } else {
                while (i < len && text[i] != ',' && text[i] != '\n')
                    cell[n++] = text[i++];
                if (n > 0 && cell[n - 1] == '\r' && (i >= len || text[i] == '\n'))
                    n--;
            }
            add_field(f, cell, n);
            if (i < len && text[i] == ',') {
                i++;
                continue;
            }
            if (i < len && text[i] == '\r')
                i++;
            if (i < len && text[i] != '\n') {
                snprintf(err, errlen, "%s: line %zu: text after a quoted field", path, line);
                free(cell);
                return -1;
            }
            i++; /* the newline, or past the end */
            line++;
            break;
        }
        if (f->n - row_start_fields == 1 && f->v[f->n - 1][0] == '\0') {
            free(f->v[--f->n]); /* a blank line */
            continue;
        }
        xgrow((void **)counts, &cap, *nrows + 1, sizeof **counts);
        (*counts)[(*nrows)++] = f->n - row_start_fields;
    }
    free(cell);
    return 0;
}

int tbl_load(struct table *t, const char *path, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    char *text;
    size_t len;
    int sys_errno;
    switch (file_read(path, FILE_MAX_RESULT, &text, &len, &sys_errno)) {
    case FILE_OK:
        break;
    case FILE_CANNOT_OPEN:
        snprintf(err, errlen, "%s: %s", path, strerror(sys_errno));
        return -1;
    case FILE_TOO_LARGE:
        snprintf(err, errlen, "%s: too large for a result table", path);
        return -1;
    case FILE_IS_DIRECTORY: /* a directory opens, and its first read fails */
    case FILE_READ_ERROR:
        snprintf(err, errlen, "%s: read error", path);
        return -1;
    }
    if (len == 0 || memchr(text, '\0', len)) {
        snprintf(err, errlen, "%s: %s", path, len == 0 ? "empty file" : "not a text file");
        free(text);
        return -1;
    }
    struct fields f = {0};
    size_t *counts = NULL, nrows = 0;
    int rc = split(text, len, &f, &counts, &nrows, path, err, errlen);
    free(text);
    if (rc == 0 && nrows == 0) {
        snprintf(err, errlen, "%s: empty file", path);
        rc = -1;
    }
    if (rc == 0) {
        for (size_t r = 0; r < nrows; r++)
            if (counts[r] != counts[0]) {
                snprintf(err, errlen, "%s: row %zu has %zu fields, the header %zu", path, r + 1,
                         counts[r], counts[0]);
                rc = -1;
                break;
            }
    }
    if (rc == 0) {
        t->ncols = (int)counts[0];
        t->nrows = nrows - 1;
        t->cells = f.v;
    } else {
        for (size_t k = 0; k < f.n; k++)
            free(f.v[k]);
        free(f.v);
    }
    free(counts);
    return rc;
}

void tbl_fini(struct table *t)
{
    if (t->cells) {
        size_t n = (t->nrows + 1) * (size_t)t->ncols;
        for (size_t k = 0; k < n; k++)
            free(t->cells[k]);
        free(t->cells);
    }
    memset(t, 0, sizeof *t);
}

int tbl_col(const struct table *t, const char *name)
{
    for (int c = 0; c < t->ncols; c++)
        if (!strcmp(t->cells[c], name))
            return c;
    return -1;
}

const char *tbl_get(const struct table *t, size_t r, int col)
{
    if (col < 0 || col >= t->ncols || r >= t->nrows)
        return "";
    return t->cells[(r + 1) * (size_t)t->ncols + (size_t)col];
}

double tbl_num(const struct table *t, size_t r, int col)
{
    const char *s = tbl_get(t, r, col);
    if (!*s)
        return NAN;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno || !isfinite(v))
        return NAN;
    return v;
}

/* file.c -- see file.h. */
#include "base/file.h"

#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int make_one(const char *path, const char *shown, char *err, size_t errlen)
{
    if (mkdir(path, 0777) == 0)
        return 0;
    int e = errno;
    struct stat st;
    if (e == EEXIST && stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return 0;
        snprintf(err, errlen, "%s: %s exists and is not a directory", shown, path);
        return -1;
    }
    snprintf(err, errlen, "%s: cannot create directory %s: %s", shown, path, strerror(e));
    return -1;
}

int file_mkdirs(const char *dir, char *err, size_t errlen)
{
    if (!dir || !*dir) {
        snprintf(err, errlen, "empty output directory name");
        return -1;
    }
    char *p = xstrdup(dir);
    int rc = 0;
    /* every prefix ending before a '/', then the whole path */
    for (char *q = p + 1; *q && rc == 0; q++) {
        if (*q != '/' || q[-1] == '/')
            continue;
        *q = '\0';
        rc = make_one(p, dir, err, errlen);
        *q = '/';
    }
    if (rc == 0)
        rc = make_one(p, dir, err, errlen);
    free(p);
    return rc;
}

char *file_join(const char *dir, const char *name)
{
    size_t n = strlen(dir), m = strlen(name);
    int slash = n > 0 && dir[n - 1] == '/';
    char *s = xmalloc(n + m + 2);
    memcpy(s, dir, n);
    if (!slash)
        s[n++] = '/';
    memcpy(s + n, name, m + 1);
    return s;
}

enum file_status file_read(const char *path, size_t max, char **text, size_t *len,
                           int *sys_errno)
{
    *text = NULL;
    *len = 0;
    *sys_errno = 0;
    int is_stdin = strcmp(path, "-") == 0;
    struct stat st;
    if (!is_stdin && stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return FILE_IS_DIRECTORY;
        if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max)
            return FILE_TOO_LARGE; /* without reading it; pipes are counted below */
    }
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        *sys_errno = errno;
        return FILE_CANNOT_OPEN;
    }
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        xgrow((void **)&buf, &cap, n + 65536, 1);
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (n > max) {
            if (!is_stdin)
                fclose(f);
            free(buf);
            return FILE_TOO_LARGE;
        }
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    int saved = errno;
    if (!is_stdin)
        fclose(f);
    if (bad) {
        free(buf);
        *sys_errno = saved;
        return FILE_READ_ERROR;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return FILE_OK;
}

const char *file_shown_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "standard input" : path;
}

int file_read_input(const char *path, size_t max, const char *what, char **text, size_t *len,
                    char *err, size_t errlen)
{
    int e = 0;
    switch (file_read(path, max, text, len, &e)) {
    case FILE_OK:
        return 0;
    case FILE_IS_DIRECTORY:
        return xerr(err, errlen, "%s: is a directory, not %s", file_shown_name(path), what);
    case FILE_TOO_LARGE:
        if (max % ((size_t)1 << 30) == 0)
            return xerr(err, errlen, "%s: larger than %zu GiB", file_shown_name(path), max >> 30);
        return xerr(err, errlen, "%s: larger than %zu bytes", file_shown_name(path), max);
    default:
        return xerr(err, errlen, "%s: cannot read: %s", file_shown_name(path),
                    e ? strerror(e) : "read error");
    }
}

/* outfile.c -- see outfile.h. */
#include "base/outfile.h"

#include "base/file.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int outfile_open(struct outfile *o, const char *path, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: is a directory", path);
        return -1;
    }
    size_t n = strlen(path) + 16;
    o->path = xstrdup(path);
    o->tmp = xmalloc(n);
    snprintf(o->tmp, n, "%s" OUTFILE_TMP_SUFFIX "XXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        free(o->path);
        free(o->tmp);
        memset(o, 0, sizeof *o);
        return -1;
    }
    fchmod(fd, 0644);
    o->f = fdopen(fd, "w");
    if (!o->f) {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        close(fd);
        outfile_abort(o);
        return -1;
    }
    return 0;
}

int outfile_open_in(struct outfile *o, const char *dir, const char *name, char *err,
                    size_t errlen)
{
    char *path = file_join(dir, name);
    int rc = outfile_open(o, path, err, errlen);
    free(path);
    return rc;
}

int outfile_commit(struct outfile *o, char *err, size_t errlen)
{
    int bad = ferror(o->f);
    if (fclose(o->f) != 0)
        bad = 1;
    o->f = NULL;
    if (bad) {
        snprintf(err, errlen, "%s: write failed: %s", o->path, strerror(errno));
        outfile_abort(o);
        return -1;
    }
    if (rename(o->tmp, o->path) != 0) {
        snprintf(err, errlen, "%s: cannot write: %s", o->path, strerror(errno));
        outfile_abort(o);
        return -1;
    }
    free(o->path);
    free(o->tmp);
    memset(o, 0, sizeof *o);
    return 0;
}

int outfile_commit_new(struct outfile *o, char *err, size_t errlen)
{
    int bad = ferror(o->f);
    if (fclose(o->f) != 0)
        bad = 1;
    o->f = NULL;
    int rc = 0;
    if (bad) {
        snprintf(err, errlen, "%s: write failed: %s", o->path, strerror(errno));
        rc = -1;
    } else if (link(o->tmp, o->path) != 0) {
        rc = errno == EEXIST ? OUTFILE_EXISTS : -1;
        snprintf(err, errlen, "%s: %s", o->path,
                 errno == EEXIST ? "already exists" : strerror(errno));
    }
    outfile_abort(o); /* the temporary name goes, the linked one stays */
    return rc;
}

void outfile_abort(struct outfile *o)
{
    if (o->f)
        fclose(o->f);
    if (o->tmp)
        unlink(o->tmp);
    free(o->path);
    free(o->tmp);
    memset(o, 0, sizeof *o);
}

/* outfile.c -- see outfile.h. */
#include "base/outfile.h"

#include "base/file.h"
#include "base/util.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The registry of outfile.h. Writers take the lock; the signal handler
 * only reads the slots (a pointer each, written whole), so a file opened
 * or committed at the very moment of the signal may be missed, never
 * half-read. A slot's string is its outfile's tmp, freed only after the
 * slot is cleared. */
static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static char *volatile reg_tmp[OUTFILE_MAX_OPEN];
static char reg_kept[OUTFILE_KEPT_MAX][512];
static volatile int reg_nkept;

static void reg_add(struct outfile *o)
{
    o->slot = -1;
    pthread_mutex_lock(&reg_lock);
    for (int i = 0; i < OUTFILE_MAX_OPEN; i++)
        if (!reg_tmp[i]) {
            reg_tmp[i] = o->tmp;
            o->slot = i;
            break;
        }
    pthread_mutex_unlock(&reg_lock);
}

/* Takes o out of the registry; records its path as kept if committed. */
static void reg_remove(struct outfile *o, int committed)
{
    pthread_mutex_lock(&reg_lock);
    if (o->slot >= 0)
        reg_tmp[o->slot] = NULL;
    o->slot = -1;
    if (committed) {
        int k = reg_nkept;
        if (k < OUTFILE_KEPT_MAX)
            snprintf(reg_kept[k], sizeof reg_kept[k], "%s", o->path);
        reg_nkept = k + 1;
    }
    pthread_mutex_unlock(&reg_lock);
}

int outfile_remove_unfinished(void)
{
    int n = 0;
    for (int i = 0; i < OUTFILE_MAX_OPEN; i++) {
        char *t = reg_tmp[i];
        if (t && unlink(t) == 0)
            n++;
    }
    return n;
}

const char *outfile_kept(int i)
{
    return i >= 0 && i < reg_nkept && i < OUTFILE_KEPT_MAX ? reg_kept[i] : NULL;
}

int outfile_kept_count(void)
{
    return reg_nkept;
}

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
    reg_add(o);
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
    reg_remove(o, 1);
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
    } else {
        reg_remove(o, 1);
    }
    outfile_abort(o); /* the temporary name goes, the linked one stays */
    return rc;
}

void outfile_abort(struct outfile *o)
{
    if (o->tmp)
        reg_remove(o, 0);
    if (o->f)
        fclose(o->f);
    if (o->tmp)
        unlink(o->tmp);
    free(o->path);
    free(o->tmp);
    memset(o, 0, sizeof *o);
}

/* document.c -- scenario documents: JSON text, a file or the built-in
 * default turned into a scn_doc (see scenario.h), the first of the
 * loader's two stages. Syntax errors are reported here, with a line and
 * column; the values are not looked at until scn_from_doc.
 *
 * Invariant: a scn_doc's root is a JSON object (a scenario is {...}), so
 * overrides and the schema can rely on it. */
#include "scenario/scenario.h"

#include "scenario/document.h"
#include "scenario/jsonsyntax.h"
#include "scenario/keypath.h"
#include "base/util.h"

#include <cjson/cJSON.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_FILE_BYTES (16u * 1024u * 1024u) /* larger is not a scenario */

/* The built-in default scenario: configs/default.json, embedded by CMake. */
extern const unsigned char scn_default_json[];
extern const size_t scn_default_json_len;

scn_doc *scn_doc_parse(const char *text, size_t len, char *err, size_t errlen)
{
    int line, col;
    /* Editors on Windows may start UTF-8 files with a byte order mark,
     * which cJSON does not accept; it carries no meaning (and is not a
     * column). */
    size_t skip = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    const char *body = text + skip;
    size_t blen = len - skip;
    const char *nul = memchr(body, '\0', blen);
    if (nul) {
        jsyn_line_col(body, (size_t)(nul - body), &line, &col);
        kp_fail_nopath(err, errlen, "line %d, column %d: NUL character in the text", line, col);
        return NULL;
    }
    /* jsonsyntax.c says where and why the text is not JSON (cJSON's own
     * error position is often a character off, and it has no reason). */
    char msg[SCN_ERRLEN];
    size_t off;
    if (jsyn_check(body, blen, &off, msg, sizeof msg) != 0) {
        jsyn_line_col(body, off, &line, &col);
        kp_fail_nopath(err, errlen, "line %d, column %d: %s", line, col, msg);
        return NULL;
    }
    const char *end = NULL;
    /* The end pointer, not cJSON_GetErrorPtr(), which is a global shared
     * between threads. */
    cJSON *root = cJSON_ParseWithLengthOpts(body, blen, &end, 0);
    if (!root) {
        /* jsyn_check shares cJSON's grammar; if they ever disagree, say
         * where cJSON stopped */
        jsyn_line_col(body, end ? (size_t)(end - body) : 0, &line, &col);
        kp_fail_nopath(err, errlen, "line %d, column %d: syntax error", line, col);
        return NULL;
    }
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        size_t first = 0;
        while (first < blen && (unsigned char)body[first] <= 0x20)
            first++;
        jsyn_line_col(body, first, &line, &col);
        kp_fail_nopath(err, errlen, "line %d, column %d: a scenario must be a JSON object ({...})",
                       line, col);
        return NULL;
    }
    scn_doc *d = xmalloc(sizeof *d);
    d->root = root;
    return d;
}

scn_doc *scn_doc_load(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        kp_fail_nopath(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        kp_fail_nopath(err, errlen, "%s: is a directory", path);
        return NULL;
    }
    if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > MAX_FILE_BYTES) {
        kp_fail_nopath(err, errlen, "%s: is larger than 16 MiB, too large for a scenario", path);
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        kp_fail_nopath(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    /* Read to the end rather than trusting st_size, so pipes and
     * process substitution work too, with the same size limit. */
    char *buf = NULL;
    size_t cap = 0, len = 0;
    for (;;) {
        xgrow((void **)&buf, &cap, len + 65536, 1);
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (len > MAX_FILE_BYTES) {
            fclose(f);
            free(buf);
            kp_fail_nopath(err, errlen, "%s: is larger than 16 MiB, too large for a scenario",
                           path);
            return NULL;
        }
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    int saved = errno;
    fclose(f);
    if (bad) {
        free(buf);
        kp_fail_nopath(err, errlen, "%s: cannot read: %s", path, strerror(saved));
        return NULL;
    }
    char msg[SCN_ERRLEN];
    scn_doc *d = scn_doc_parse(buf, len, msg, sizeof msg);
    free(buf);
    if (!d)
        kp_fail_nopath(err, errlen, "%s: %s", path, msg);
    return d;
}

scn_doc *scn_doc_default(void)
{
    char msg[SCN_ERRLEN];
    scn_doc *d = scn_doc_parse((const char *)scn_default_json, scn_default_json_len, msg,
                               sizeof msg);
    if (!d) {
        /* The bytes were checked into the build: this is a build bug. */
        fprintf(stderr, "provsim: built-in default scenario: %s\n", msg);
        abort();
    }
    return d;
}


void scn_doc_free(scn_doc *d)
{
    if (!d)
        return;
    cJSON_Delete(d->root);
    free(d);
}

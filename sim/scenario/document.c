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
#include "base/digest.h"
#include "base/file.h"
#include "base/util.h"

#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    if (jsyn_scan(body, blen, &off, msg, sizeof msg) != 0) {
        jsyn_line_col(body, off, &line, &col);
        kp_fail_nopath(err, errlen, "line %d, column %d: %s", line, col, msg);
        return NULL;
    }
    const char *end = NULL;
    /* The end pointer, not cJSON_GetErrorPtr(), which is a global shared
     * between threads. */
    cJSON *root = cJSON_ParseWithLengthOpts(body, blen, &end, 0);
    if (!root) {
        /* jsyn_scan shares cJSON's grammar; if they ever disagree, say
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
    /* the bytes as read, byte order mark included: what `sha256sum FILE`
     * prints, so a reader can check which file was simulated */
    digest_sha256_hex(text, len, d->sha256);
    return d;
}

scn_doc *scn_doc_load(const char *path, char *err, size_t errlen)
{
    char *text;
    size_t len;
    int sys_errno;
    const char *shown = file_shown_name(path);
    switch (file_read(path, FILE_MAX_SCENARIO, &text, &len, &sys_errno)) {
    case FILE_OK:
        break;
    case FILE_CANNOT_OPEN:
    case FILE_READ_ERROR:
        kp_fail_nopath(err, errlen, "%s: cannot read: %s", shown, strerror(sys_errno));
        return NULL;
    case FILE_IS_DIRECTORY:
        kp_fail_nopath(err, errlen, "%s: is a directory", shown);
        return NULL;
    case FILE_TOO_LARGE:
        kp_fail_nopath(err, errlen, "%s: is larger than %zu MiB, too large for a scenario", shown,
                       FILE_MAX_SCENARIO >> 20);
        return NULL;
    }
    char msg[SCN_ERRLEN];
    scn_doc *d = scn_doc_parse(text, len, msg, sizeof msg);
    free(text);
    if (!d)
        kp_fail_nopath(err, errlen, "%s: %s", shown, msg);
    return d;
}

scn_doc *scn_doc_default(void)
{
    char msg[SCN_ERRLEN];
    scn_doc *d = scn_doc_parse((const char *)scn_default_json, scn_default_json_len, msg,
                               sizeof msg);
    /* The bytes were checked into the build: this is a build bug, not an
     * input error. */
    if (!d)
        fprintf(stderr, "provsim: built-in default scenario: %s\n", msg);
    XASSERT(d != NULL);
    return d;
}

void scn_doc_free(scn_doc *d)
{
    if (!d)
        return;
    cJSON_Delete(d->root);
    free(d);
}

/* fuzz_scenario.c -- fuzz target: scenario text in, error or scenario out.
 *
 * Input: the bytes of a scenario file (any bytes: NULs, invalid UTF-8,
 * truncated JSON). Runs the loader exactly as `provsim validate` does:
 * scn_doc_parse, scn_from_doc (which aborts itself if validation lets
 * through a scenario that fails scn_check), then, on a valid scenario,
 * the things computed from it before any simulation: bound_clear_time_s and
 * the memory estimate. Expectations checked beyond "no crash":
 *  - a refusal always comes with a message;
 *  - the lower bound is a number >= 0 (never NaN);
 *  - the memory estimate is > 0;
 *  - jsonsyntax.c and cJSON agree: a text jsyn_scan accepts, cJSON parses;
 *    a text cJSON parses, jsyn_scan accepts unless it is one of the string
 *    holes it closes on purpose (see jsonsyntax.c). */
#include "fuzz.h"

#include "scenario/jsonsyntax.h"
#include "run/memlimit.h"
#include "models/bound.h"
#include "models/provision.h"
#include "scenario/scenario.h"

#include <math.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <gsl/gsl_errno.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        gsl_set_error_handler_off(); /* as main() does */
        ready = 1;
    }
    /* the two readings of the syntax (NUL bytes are refused before either) */
    if (!memchr(data, 0, size)) {
        size_t off;
        char msg[SCN_ERRLEN];
        /* scn_doc_parse strips a UTF-8 byte order mark before both */
        size_t bom = size >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
        int lint_ok = jsyn_scan((const char *)data + bom, size - bom, &off, msg, sizeof msg) == 0;
        const char *end = NULL;
        cJSON *root =
            cJSON_ParseWithLengthOpts((const char *)data + bom, size - bom, &end, 0);
        if (root) {
            /* the loader refuses text after the value; whitespace is any
             * byte <= 0x20, as cJSON skips it */
            size_t rest = (size_t)(end - (const char *)data);
            while (rest < size && data[rest] <= 0x20)
                rest++;
            if (rest < size) {
                cJSON_Delete(root);
                root = NULL;
            }
        }
        if (lint_ok && !root)
            fuzz_fail("jsyn_scan accepts a text cJSON refuses", NULL);
        /* cJSON skips a second byte order mark (if 5+ bytes follow the
         * first); the loader refuses it */
        int bom2 = size - bom >= 3 && !memcmp(data + bom, "\xEF\xBB\xBF", 3);
        if (!lint_ok && root && !bom2 && !strstr(msg, "inside a string") &&
            !strstr(msg, "\\u"))
            fuzz_fail("jsyn_scan refuses a text cJSON parses", msg);
        if (!lint_ok && off > size - bom)
            fuzz_fail("jsyn_scan error offset past the end", msg);
        cJSON_Delete(root);
    }
    char err[SCN_ERRLEN] = "";
    scn_doc *d = scn_doc_parse((const char *)data, size, err, sizeof err);
    if (!d) {
        if (!err[0])
            fuzz_fail("scn_doc_parse refused the text without a message", NULL);
        return 0;
    }
    struct scenario s;
    if (scn_from_doc(d, &s, err, sizeof err) != 0) {
        if (!err[0])
            fuzz_fail("scn_from_doc refused the scenario without a message", NULL);
        scn_doc_free(d);
        return 0;
    }
    scn_doc_free(d);
    double lb = bound_clear_time_s(&s);
    if (!(lb >= 0))
        fuzz_fail("bound_clear_time_s is negative or NaN", s.name);
    struct bound_parts bp;
    bound_compute(&s, &bp);
    if (!(bp.strict_s >= 0 && bp.strict_s <= bp.lower_bound_s && bp.lower_bound_s == lb))
        fuzz_fail("bound parts: not 0 <= strict_s <= lower_bound_s", s.name);
    if (!(bound_fair_share_s(&s) >= 0))
        fuzz_fail("bound_fair_share_s is negative or NaN", s.name);
    if (!(mem_estimate_bytes(&s, 2) > 0))
        fuzz_fail("mem_estimate_bytes is not positive", s.name);
    scn_fini(&s);
    return 0;
}

/* fuzz_scenario.c -- fuzz target: scenario text in, error or scenario out.
 *
 * Input: the bytes of a scenario file (any bytes: NULs, invalid UTF-8,
 * truncated JSON). Runs the loader exactly as `provsim validate` does:
 * scn_doc_parse, scn_from_doc (which aborts itself if validation lets
 * through a scenario that fails scn_check), then, on a valid scenario,
 * the things computed from it before any simulation: prov_lower_bound and
 * the memory estimate. Expectations checked beyond "no crash":
 *  - a refusal always comes with a message;
 *  - the lower bound is a number >= 0 (never NaN);
 *  - the memory estimate is > 0. */
#include "fuzz.h"

#include "memlimit.h"
#include "provision.h"
#include "scenario.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        gsl_set_error_handler_off(); /* as main() does */
        ready = 1;
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
    double lb = prov_lower_bound(&s);
    if (!(lb >= 0))
        fuzz_fail("prov_lower_bound is negative or NaN", s.name);
    if (!(mem_estimate_bytes(&s) > 0))
        fuzz_fail("mem_estimate_bytes is not positive", s.name);
    scn_fini(&s);
    return 0;
}

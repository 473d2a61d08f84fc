/* fuzz_accesslog.c -- fuzz target: the SaaS access-log reader
 * (sim/logs/accesslog.h), on any bytes: NCSA combined + %D, or JSON lines.
 *
 * Input: one selector byte, then the log. The selector's low bit picks the
 * user-agent filter: 0 Okta's default, 1 "" (every request). Beyond "no
 * crash" it checks the reader's promises: a refusal has a message naming
 * the file; an accepted log has requests, each with a finite time, a
 * duration in [0, 1 day], a status in 100-599 and a known endpoint, in
 * time order, and no more kept and skipped requests than lines read. */
#include "fuzz.h"

#include "logs/accesslog.h"
#include "models/endpoint.h"

#include <math.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *agent = (data[0] & 1) ? "" : ACCESS_DEFAULT_AGENT;
    struct access_log log;
    access_log_init(&log);
    char err[512] = "";
    if (access_log_parse(&log, (const char *)data + 1, size - 1, "fuzz.log", agent, err,
                         sizeof err) == 0) {
        if (log.n == 0)
            fuzz_fail("an accepted log has no requests", NULL);
        for (size_t i = 0; i < log.n; i++) {
            const struct access_req *r = &log.rq[i];
            if (!isfinite(r->t_s) || !(r->dur_s >= 0 && r->dur_s <= 86400.0f) ||
                r->status < 100 || r->status > 599 || r->endpoint >= EP_COUNT)
                fuzz_fail("a kept request out of its ranges", NULL);
            if (i && r->t_s < log.rq[i - 1].t_s)
                fuzz_fail("requests out of time order", NULL);
        }
        if (log.n + log.other_agents + log.other_paths != log.lines)
            fuzz_fail("kept and skipped requests do not add up to the lines read", NULL);
    } else if (strncmp(err, "fuzz.log: ", 10) != 0) {
        fuzz_fail("a refusal that does not name the file", err);
    }
    access_log_fini(&log);
    return 0;
}

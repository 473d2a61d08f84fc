/* fuzz_oktalog.c -- fuzz target: the Okta System Log reader
 * (sim/logs/oktalog.h), on any bytes: a JSON array, JSON lines or a CSV
 * export, as the first character decides.
 *
 * Input: one selector byte, then the log. The selector's low bit picks the
 * app filter: 0 none (the log's only app), 1 --app "Slack". Beyond "no
 * crash" it checks the reader's promises: a refusal has a message that
 * names the file; an accepted log has at least one event, every event of
 * a type the reader keeps, with a finite time, in time order, and the
 * counts of skipped records never exceed the records read. */
#include "fuzz.h"

#include "logs/oktalog.h"

#include <math.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *app = (data[0] & 1) ? "Slack" : NULL;
    struct okta_log log;
    okta_log_init(&log);
    char err[512] = "";
    if (okta_log_parse(&log, (const char *)data + 1, size - 1, "fuzz.log", app, err,
                       sizeof err) == 0) {
        if (log.n == 0)
            fuzz_fail("an accepted log has no events", NULL);
        for (size_t i = 0; i < log.n; i++) {
            if (!isfinite(log.ev[i].t_s) || log.ev[i].type >= OKTA_TYPE_COUNT)
                fuzz_fail("an event with a non-finite time or an unknown type", NULL);
            if (i && log.ev[i].t_s < log.ev[i - 1].t_s)
                fuzz_fail("events out of time order", NULL);
        }
        if (log.other_types + log.other_apps + log.no_app + log.n > log.records)
            fuzz_fail("more records counted than read", NULL);
    } else if (strncmp(err, "fuzz.log: ", 10) != 0) {
        fuzz_fail("a refusal that does not name the file", err);
    }
    okta_log_fini(&log);
    return 0;
}

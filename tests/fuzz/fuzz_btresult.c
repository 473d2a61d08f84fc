/* fuzz_btresult.c -- fuzz target: the backtest.json reader of `provsim
 * report` and `provsim plot` (sim/out/btresult.h), on any bytes. Beyond
 * "no crash" it checks the reader's promises: a refusal names the file;
 * an accepted file has at least one minute, and each curve one mean and a
 * band per minute with p5 <= p95, a share of minutes inside that agrees
 * with its minute count, and a finite clear time. */
#include "fuzz.h"

#include "out/btresult.h"

#include <math.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct btres b;
    char err[512] = "";
    if (btres_parse(&b, (const char *)data, size, "fuzz.json", err, sizeof err) == 0) {
        if (b.minutes < 1 || !isfinite(b.obs_clear_s))
            fuzz_fail("an accepted file without minutes or an observed clear time", NULL);
        for (int k = 0; k < BTRES_NCURVES; k++) {
            const struct btres_curve *c = &b.c[k];
            if (!c->mean || !c->p5 || !c->p95)
                fuzz_fail("an accepted curve without its mean or band", btres_curve_key[k]);
            for (int i = 0; i < b.minutes; i++)
                if (!(c->p5[i] <= c->p95[i]))
                    fuzz_fail("a band whose ends are out of order", btres_curve_key[k]);
            if (c->obs && fabs(c->inside - (double)c->inside_minutes / b.minutes) > 1e-9)
                fuzz_fail("a share inside the band that is not its minutes'", btres_curve_key[k]);
        }
        btres_fini(&b);
    } else if (strncmp(err, "fuzz.json: ", 11) != 0) {
        fuzz_fail("a refusal that does not name the file", err);
    }
    return 0;
}

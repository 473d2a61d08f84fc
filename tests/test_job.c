/* test_job.c -- job kind names round-trip through their parser. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/job.h"

static void kinds_round_trip(void **state)
{
    (void)state;
    for (int k = 0; k < JOB_KIND_COUNT; k++)
        assert_int_equal(job_kind_parse(job_kind_name(k)), k);
    assert_int_equal(job_kind_parse("delete"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(kinds_round_trip)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

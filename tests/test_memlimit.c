/* test_memlimit.c -- sizes as people write them, the memory estimate, and
 * the up-front refusal with its override (--max-memory, PROVSIM_MAX_MEMORY). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/memlimit.h"
#include "models/provision.h"
#include "scenario_helpers.h"

static void test_parse_size(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        uint64_t want;
    } ok[] = {{"1", 1},
              {"1048576", 1048576},
              {"64G", 64ull << 30},
              {"64g", 64ull << 30},
              {"512M", 512ull << 20},
              {"512MB", 512ull << 20},
              {"1.5GiB", 3ull << 29},
              {"2T", 2ull << 40},
              {"8K", 8192},
              {"unlimited", UINT64_MAX}};
    char err[256];
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        uint64_t v = 0;
        if (mem_parse_size(ok[i].s, &v, err, sizeof err) != 0 || v != ok[i].want)
            fail_msg("\"%s\": got %llu (%s), expected %llu", ok[i].s, (unsigned long long)v,
                     err, (unsigned long long)ok[i].want);
    }
    static const char *const bad[] = {"", "G", "-1G", "1.G", ".5G", "12Q", "1GG", "1 G",
                                      "0", "0.1", "1e9", "99999999999999999999T", "inf"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint64_t v;
        err[0] = '\0';
        if (mem_parse_size(bad[i], &v, err, sizeof err) == 0)
            fail_msg("\"%s\" accepted as %llu", bad[i], (unsigned long long)v);
        assert_true(err[0] != '\0');
    }
}

#define SCN(users)                                                                        \
    "{\"name\": \"m\", \"start\": \"2026-12-01T00:00\", \"horizon\": \"1d\", "           \
    "\"server\": {\"limits\": [], \"latency\": {\"dist\": \"constant\", \"value\": 1}}, " \
    "\"client\": {\"workers\": 1}, \"workload\": {\"rollouts\": "                        \
    "[{\"kind\": \"create\", \"users\": " users ", \"at\": \"+0s\"}]}}"

static void test_estimate(void **state)
{
    (void)state;
    struct scenario small, big;
    load_json(SCN("1000"), &small);
    load_json(SCN("100000000"), &big);
    assert_int_equal((long)mem_expected_jobs(&big), 100000000L);
    double per_job = (mem_estimate_bytes(&big, 1) - mem_estimate_bytes(&small, 1)) /
                     (100000000.0 - 1000.0);
    /* one struct job, its slot in the ready queue, one pending event per job */
    double want = (double)(sizeof(struct job) + sizeof(uint32_t) + sizeof(struct ev));
    if (per_job < want - 0.01 || per_job > want + 0.01)
        fail_msg("bytes per job: %g, expected %g", per_job, want);
    assert_int_equal(sizeof(struct job), 16);
    /* a policy with per-job state adds its side array */
    assert_int_equal(prov_bytes_per_job(&big), sizeof(struct job) + sizeof(uint32_t));
    big.client.retry.policy = RETRY_POLICY_EXPONENTIAL;
    big.client.retry.jitter = JITTER_DECORRELATED;
    assert_int_equal(prov_bytes_per_job(&big), sizeof(struct job) + sizeof(uint32_t) + sizeof(double));
    big.client.retry.policy = RETRY_POLICY_SCHEDULE;
    assert_int_equal(prov_bytes_per_job(&big), sizeof(struct job) + sizeof(uint32_t) + sizeof(double));
    big.client.retry.policy = RETRY_POLICY_RETRY_AFTER;
    /* two replications at once need two models */
    double one = mem_estimate_bytes(&big, 1), two = mem_estimate_bytes(&big, 2);
    assert_true(two > 1.9 * one && two < 2.0 * one);

    char err[512];
    unsetenv(MEM_ENV);
    assert_int_equal(mem_guard(&big, 1, "1G", err, sizeof err), -1);
    printf("%s\n", err);
    /* (the GiB figure follows sizeof(struct job): not pinned here) */
    assert_non_null(strstr(err, "scenario \"m\" needs about "));
    assert_non_null(strstr(err, " GiB of memory (100000000 jobs over the horizon), more than "
                                "the 1.0 GiB given by --max-memory; to run it anyway give "
                                "--max-memory "));
    assert_int_equal(mem_guard(&big, 1, "8G", err, sizeof err), 0);
    assert_int_equal(mem_guard(&big, 4, "unlimited", err, sizeof err), 0);
    assert_int_equal(mem_guard(&small, 1, "64M", err, sizeof err), 0);
    assert_int_equal(mem_guard(&big, 1, "lots", err, sizeof err), -1);
    assert_non_null(strstr(err, "--max-memory: \"lots\" is not a size"));

    /* the environment variable, when no option is given */
    setenv(MEM_ENV, "2G", 1);
    assert_int_equal(mem_guard(&big, 1, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "more than the 2.0 GiB given by PROVSIM_MAX_MEMORY"));
    assert_int_equal(mem_guard(&big, 1, "16G", err, sizeof err), 0); /* the option wins */
    setenv(MEM_ENV, "", 1);
    unsetenv(MEM_ENV);
    /* without either, the machine's memory: a tiny scenario always fits */
    assert_int_equal(mem_guard(&small, 1, NULL, err, sizeof err), 0);
    assert_true(mem_available_bytes() > 0);

    char buf[32];
    mem_format_bytes(900, buf, sizeof buf);
    assert_string_equal(buf, "900 B");
    mem_format_bytes(1.5 * 1024 * 1024 * 1024, buf, sizeof buf);
    assert_string_equal(buf, "1.5 GiB");
    scn_fini(&small);
    scn_fini(&big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_size),
        cmocka_unit_test(test_estimate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* memlimit.c -- see memlimit.h.
 *
 * What the estimate counts, per replication in memory at once (one per
 * thread: a thread reuses every array for its next replication):
 *  - the job array: one struct job per job, and jobs are never freed
 *    within a replication, so all jobs of the horizon are alive at the end;
 *  - one latency (a double) per job that succeeds;
 *  - the pending-event set: at most one pending event per job (its
 *    response or its retry), plus a few per rollout and stream;
 *  - each sliding-window limiter's ring: at most min(limit, requests)
 *    request times;
 *  - with background jobs or other clients, the rollout-free replication
 *    run beside it for the harm metrics: its background jobs, their
 *    events and rings once more.
 * Arrays grow by doubling (xgrow), but the capacity a doubling adds is
 * only address space until it is written (and glibc moves large blocks
 * with mremap, without a second copy), so what counts is the elements in
 * use. Add a fixed base for the process itself (code, libraries, stdio
 * buffers, GSL state: about 3.5 MB measured for a small run).
 * Measured against peak RSS: bench-200k 18 MB estimated vs 12.5 MB,
 * bench-1m 79 MB vs 51 MB (the event set rarely holds one event per job).
 * So it is an upper-end estimate, made to refuse what cannot fit rather
 * than to predict the peak to the megabyte. */
#include "run/memlimit.h"

#include "engine/evq.h"
#include "models/provision.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BASE_BYTES (4.0 * 1024 * 1024)

double mem_expected_jobs(const struct scenario *s)
{
    double n = 0;
    for (int r = 0; r < s->nrollouts; r++)
        n += (double)s->rollouts[r].users;
    if (s->background.enabled) {
        /* the profile is constant within each clock hour */
        double t = 0;
        while (t < s->horizon_s) {
            double abs = (double)s->start_epoch_s + t;
            double next = (floor(abs / 3600.0) + 1.0) * 3600.0 - (double)s->start_epoch_s;
            if (next <= t)
                next = t + 3600.0;
            if (next > s->horizon_s)
                next = s->horizon_s;
            n += wl_profile_rate(&s->background.profile, s->start_epoch_s, t) * (next - t);
            t = next;
        }
    }
    return n;
}

double mem_estimate_bytes(const struct scenario *s, int parallel)
{
    double jobs = mem_expected_jobs(s);
    double bytes = 0;
    bytes += jobs * (double)prov_bytes_per_job(s);
    bytes += (jobs + s->nrollouts + 8) * (double)sizeof(struct ev);
    /* other clients' requests count in the rings too */
    double other = s->other.enabled ? wl_profile_max_rate(&s->other.profile) * s->horizon_s : 0;
    for (int i = 0; i < s->server.nlimits; i++) {
        const struct lim_cfg *l = &s->server.limits[i];
        if (l->type == LIM_SLIDING_WINDOW)
            bytes += fmin(l->limit, jobs + other) * (double)sizeof(double);
    }
    if (s->nrollouts > 0 && (s->background.enabled || s->other.enabled)) {
        /* the same day without the rollouts, beside each replication (the
         * harm metrics): its background jobs and their events again */
        double users = 0;
        for (int r = 0; r < s->nrollouts; r++)
            users += (double)s->rollouts[r].users;
        double bg = jobs > users ? jobs - users : 0;
        bytes += bg * (double)(prov_bytes_per_job(s) + sizeof(struct ev));
        for (int i = 0; i < s->server.nlimits; i++)
            if (s->server.limits[i].type == LIM_SLIDING_WINDOW)
                bytes += fmin(s->server.limits[i].limit, bg + other) * (double)sizeof(double);
    }
    if (parallel < 1)
        parallel = 1;
    /* plus one row of metrics per replication */
    return BASE_BYTES + bytes * parallel + (double)s->replications * 64 * sizeof(double);
}

/* The cgroup v2 memory limit of this process, or 0 if none or unknown. */
static uint64_t cgroup_limit(void)
{
    FILE *f = fopen("/sys/fs/cgroup/memory.max", "r");
    if (!f)
        return 0;
    char buf[64] = "";
    uint64_t v = 0;
    if (fgets(buf, sizeof buf, f) && buf[0] >= '0' && buf[0] <= '9') {
        errno = 0;
        unsigned long long x = strtoull(buf, NULL, 10);
        if (!errno)
            v = (uint64_t)x;
    }
    fclose(f);
    return v; /* "max" (no limit) reads as 0 */
}

uint64_t mem_available_bytes(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    uint64_t phys = pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page : 0;
    uint64_t cg = cgroup_limit();
    if (cg && (!phys || cg < phys))
        return cg;
    return phys;
}

int mem_parse_size(const char *s, uint64_t *out, char *err, size_t errlen)
{
    static const char want[] = "expected bytes or a number with K, M, G or T, e.g. \"64G\", "
                               "or \"unlimited\"";
    if (!s || !*s) {
        snprintf(err, errlen, "empty size (%s)", want);
        return -1;
    }
    if (strcmp(s, "unlimited") == 0) {
        *out = UINT64_MAX;
        return 0;
    }
    /* a plain decimal: digits, optionally a point and more digits */
    size_t n = strspn(s, "0123456789");
    if (n == 0 || n > 20)
        goto bad;
    if (s[n] == '.') {
        size_t f = strspn(s + n + 1, "0123456789");
        if (f == 0 || f > 20)
            goto bad;
        n += 1 + f;
    }
    char num[48];
    memcpy(num, s, n);
    num[n] = '\0';
    double v = strtod(num, NULL);
    const char *u = s + n;
    double mult = 1;
    if (*u) {
        static const char units[] = "KMGT";
        const char *p = strchr(units, *u >= 'a' && *u <= 'z' ? *u - 'a' + 'A' : *u);
        if (!p || !*p)
            goto bad;
        mult = pow(1024.0, (double)(p - units + 1));
        u++;
        if (strcmp(u, "") && strcmp(u, "B") && strcmp(u, "iB"))
            goto bad;
    }
    v *= mult;
    if (!(v >= 1) || v >= 18446744073709551615.0) {
        snprintf(err, errlen, "\"%s\": size must be at least 1 byte and less than 16 EiB", s);
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
bad:
    snprintf(err, errlen, "\"%.60s\" is not a size (%s)", s, want);
    return -1;
}

void mem_format_bytes(double b, char *buf, size_t len)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int u = 0;
    while (b >= 1024 && u < 6) {
        b /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(buf, len, "%.0f B", b);
    else
        snprintf(buf, len, "%.1f %s", b, units[u]);
}

int mem_guard(const struct scenario *s, int parallel, const char *max_memory, char *err,
              size_t errlen)
{
    char msg[SCN_ERRLEN];
    const char *src = "--max-memory";
    if (!max_memory) {
        max_memory = getenv(MEM_ENV);
        src = MEM_ENV;
        if (max_memory && !*max_memory)
            max_memory = NULL; /* set but empty: as if unset */
    }
    uint64_t limit;
    if (max_memory) {
        if (mem_parse_size(max_memory, &limit, msg, sizeof msg)) {
            snprintf(err, errlen, "%s: %s", src, msg);
            return -1;
        }
    } else {
        limit = mem_available_bytes();
        src = NULL;
    }
    double jobs = mem_expected_jobs(s);
    if (jobs > PROV_MAX_JOBS / 2) {
        snprintf(err, errlen,
                 "the scenario expects %.3g jobs in one replication, more than provsim can hold "
                 "(%.3g: job ids are 32-bit); shorten the horizon or lower the background rates",
                 jobs, PROV_MAX_JOBS / 2);
        return -1;
    }
    double need = mem_estimate_bytes(s, parallel);
    if (limit == 0 || limit == UINT64_MAX || need <= (double)limit)
        return 0;
    char n[32], l[32], suggest[32], at_once[48] = "", name[96];
    /* the name is the user's text: no control characters on the terminal */
    snprintf(name, sizeof name, "%.80s", s->name);
    for (char *q = name; *q; q++)
        if ((unsigned char)*q < 0x20 || *q == 0x7f)
            *q = '?';
    mem_format_bytes(need, n, sizeof n);
    mem_format_bytes((double)limit, l, sizeof l);
    snprintf(suggest, sizeof suggest, "%.0fG", ceil(need / (1024.0 * 1024 * 1024)));
    if (parallel > 1)
        snprintf(at_once, sizeof at_once, ", %d replications at once", parallel);
    snprintf(err, errlen,
             "scenario \"%s\" needs about %s of memory (%.0f jobs over the horizon%s), more "
             "than the %s %s; to run it anyway give --max-memory %s (or set %s=%s)%s",
             name, n, mem_expected_jobs(s), at_once, l,
             src ? (src[0] == '-' ? "given by --max-memory" : "given by " MEM_ENV)
                 : "this machine has",
             suggest, MEM_ENV, suggest, parallel > 1 ? ", or use fewer --jobs" : "");
    return -1;
}

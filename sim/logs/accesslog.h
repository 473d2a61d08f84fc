/* accesslog.h -- the SaaS side's access log of its SCIM endpoints, read
 * strictly: one request per line, with its time, endpoint, status and
 * response time.
 *
 * Two formats (README, "Calibrating from logs"), told apart by the first
 * character:
 *   NCSA combined + %D   host ident user [03/Nov/2026:09:00:01 +0000]
 *                        "POST /scim/v2/Users HTTP/1.1" 201 512 "-"
 *                        "Okta SCIM Client 1.0.0" 183250
 *                        (the last field: the response time in microseconds)
 *   JSON lines           {"time": "2026-11-03T09:00:01.123+00:00", "method":
 *                        "POST", "path": "/scim/v2/Users", "status": 201,
 *                        "duration_ms": 183.25, "user_agent": "Okta SCIM
 *                        Client 1.0.0", "retry_after": 5}  (retry_after
 *                        optional, seconds)
 * A request is kept when its user agent contains the filter and its path
 * ends in a SCIM endpoint (.../Users, .../Users/ID, .../Groups,
 * .../Groups/ID, query string ignored); others are counted and skipped.
 * A malformed line is an error naming the file, the line and the column. */
#ifndef PROVSIM_ACCESSLOG_H
#define PROVSIM_ACCESSLOG_H

#include <stddef.h>
#include <stdint.h>

/* The user agent Okta's SCIM requests carry. */
#define ACCESS_DEFAULT_AGENT "Okta SCIM Client"

struct access_req {
    double t_s;          /* request received, seconds since 1970 UTC */
    float dur_s;         /* response time, seconds */
    float retry_after_s; /* the Retry-After sent, seconds; < 0 = none or unknown */
    int16_t status;      /* HTTP status */
    uint8_t endpoint;    /* enum endpoint (models/endpoint.h) */
};

struct access_log {
    struct access_req *rq; /* owned; sorted by time */
    size_t n, cap;
    size_t lines;          /* requests read */
    size_t other_agents;   /* skipped: another user agent */
    size_t other_paths;    /* skipped: not a SCIM user or group endpoint */
    int json;              /* 1 if the file was JSON lines */
    char sha256[65];       /* SHA-256 of the file access_log_read read (provenance) */
};

void access_log_init(struct access_log *log);
void access_log_fini(struct access_log *log);
/* Parses text (len bytes) named name in messages, keeping the requests
 * whose user agent contains agent ("" keeps all). Returns 0, or -1 with
 * "NAME: line L, column C: reason"; a log without any kept request is an
 * error that says how many were skipped and why. */
int access_log_parse(struct access_log *log, const char *text, size_t len, const char *name,
                     const char *agent, char *err, size_t errlen);
int access_log_read(struct access_log *log, const char *path, const char *agent, char *err,
                    size_t errlen);

/* The endpoint of method + path (query ignored), or -1 if it is none. */
int access_endpoint(const char *method, size_t mlen, const char *path, size_t plen);

#endif

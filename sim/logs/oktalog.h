/* oktalog.h -- the Okta System Log, read strictly: the events that say
 * what the provisioning engine did for one app.
 *
 * Three layouts of the same LogEvent objects (README, "Calibrating from
 * logs"): the JSON array GET /api/v1/logs returns, JSON lines (log
 * streaming, SIEM exports), and a CSV export with a header row whose
 * columns map to the fields below. Fields read: published, eventType,
 * outcome.result, target[] (the AppInstance target's displayName or
 * alternateId names the app; the User or AppUser target's alternateId the
 * user). Other event types are counted and skipped; so are events of
 * other apps. A malformed record is an error naming the file and line
 * (and column for JSON). */
#ifndef PROVSIM_OKTALOG_H
#define PROVSIM_OKTALOG_H

#include <stddef.h>
#include <stdint.h>

/* The event types provsim reads. */
enum okta_type {
    OKTA_ASSIGN,     /* group.application_assignment.add, application.user_membership.add */
    OKTA_UNASSIGN,   /* application.user_membership.remove */
    OKTA_CREATE,     /* application.provision.user.push: the create pushed */
    OKTA_UPDATE,     /* application.provision.user.push_profile */
    OKTA_DEACTIVATE, /* application.provision.user.deactivate */
    OKTA_GROUP_PUSH, /* application.provision.group_push.* */
    OKTA_RATE_LIMIT, /* application.integration.rate_limit_exceeded: the app's 429 */
    OKTA_TYPE_COUNT
};

struct okta_event {
    double t_s;     /* published, seconds since 1970 UTC */
    uint64_t user;  /* FNV-1a of the user's alternateId; 0 = no user target */
    uint8_t type;   /* enum okta_type */
    uint8_t ok;     /* outcome.result SUCCESS or ALLOW (a rate_limit event
                     * counts by its type whatever its outcome) */
};

#define OKTA_MAX_APPS 16
struct okta_log {
    struct okta_event *ev; /* owned; sorted by time (out-of-order lines are fine) */
    size_t n, cap;
    char *apps[OKTA_MAX_APPS]; /* owned; the apps the kept-type events name */
    int napps;
    size_t records;      /* LogEvents read */
    size_t other_types;  /* skipped: event types provsim does not read */
    size_t other_apps;   /* skipped: events of another app than --app */
    size_t no_app;       /* skipped: a kept type without an AppInstance target */
    char sha256[65];     /* SHA-256 of the file okta_log_read read (provenance) */
};

void okta_log_init(struct okta_log *log);
void okta_log_fini(struct okta_log *log);

/* Parses text (len bytes) named name in messages, keeping the events of
 * app (NULL: the only app the log has; several are an error listing
 * them). Returns 0, or -1 with "NAME: line L[, column C]: reason". An
 * empty log, or one without any provisioning event, is an error too. */
int okta_log_parse(struct okta_log *log, const char *text, size_t len, const char *name,
                   const char *app, char *err, size_t errlen);
/* okta_log_parse on a file ("-": standard input). */
int okta_log_read(struct okta_log *log, const char *path, const char *app, char *err,
                  size_t errlen);

/* "application.provision.user.push", ... ; the first of the names a type has. */
const char *okta_type_name(int type);
/* FNV-1a, 64 bits, of n bytes; never 0 (0 means "no user"). */
uint64_t okta_user_hash(const char *s, size_t n);

#endif

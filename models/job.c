/* job.c -- names for job kinds and origins (used in scenarios and traces). */
#include "models/job.h"

#include "base/util.h"

#include <string.h>

static const char *const kind_names[JOB_KIND_COUNT] = {"create", "update", "deactivate",
                                                          "group_create", "group_members"};
static const char *const origin_names[JOB_ORIGIN_COUNT] = {"rollout", "background", "other"};

const char *job_kind_name(enum job_kind k)
{
    return (unsigned)k < JOB_KIND_COUNT ? kind_names[k] : "?";
}

const char *job_origin_name(enum job_origin o)
{
    return (unsigned)o < JOB_ORIGIN_COUNT ? origin_names[o] : "?";
}

int job_kind_parse(const char *s)
{
    return xname_index(kind_names, JOB_KIND_COUNT, s);
}

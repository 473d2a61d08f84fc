/* client.c -- the client's request recipes (see client.h and the README,
 * "Requests per job").
 *
 * okta: Okta's SCIM 2.0 protocol reference (developer.okta.com): a create
 * looks the user up with GET /Users?filter=userName eq "..." and then
 * sends POST /Users (PUT /Users/{id} if found); a profile push reads
 * GET /Users/{id} and then sends the full profile with PUT /Users/{id};
 * a deactivation is one PATCH /Users/{id} (active=false; never DELETE);
 * group push creates with POST /Groups and updates members with PATCH
 * /Groups/{id}, and sends a group-name update on every membership update
 * (here a second PATCH /Groups/{id} after the membership one: the order is
 * not published and does not change what the limits count).
 *
 * entra: Microsoft's "Develop and plan provisioning for a SCIM endpoint"
 * (learn.microsoft.com) and a vendor's list of the requests Entra sends
 * (Delinea, "Supported SCIM endpoints"; secondary): the provisioning
 * service queries the target by its matching attribute (GET
 * /Users?filter=userName eq "...") before it creates a user (POST
 * /Users); it reads a provisioned user (GET /Users/{id}) before it updates
 * it (PATCH /Users/{id}) or disables it (PATCH active=false); groups are
 * looked up with GET /Groups?filter=displayName eq "...", created with
 * POST /Groups and their members changed with PATCH /Groups/{id}.
 *
 * single: one request per job, today's model: create POST /Users, update
 * PUT /Users/{id}, deactivate PATCH /Users/{id}, group create POST
 * /Groups, membership PATCH /Groups/{id}. */
#include "models/client.h"

#include <string.h>

static const struct client_recipe sets[3][JOB_KIND_COUNT] = {
    [CLIENT_REQUESTS_SINGLE] =
        {
            [JOB_KIND_CREATE] = {1, {EP_POST_USERS}},
            [JOB_KIND_UPDATE] = {1, {EP_PUT_USER}},
            [JOB_KIND_DEACTIVATE] = {1, {EP_PATCH_USER}},
            [JOB_KIND_GROUP_CREATE] = {1, {EP_POST_GROUPS}},
            [JOB_KIND_GROUP_MEMBERS] = {1, {EP_PATCH_GROUP}},
        },
    [CLIENT_REQUESTS_OKTA] =
        {
            [JOB_KIND_CREATE] = {2, {EP_GET_USERS, EP_POST_USERS}},
            [JOB_KIND_UPDATE] = {2, {EP_GET_USER, EP_PUT_USER}},
            [JOB_KIND_DEACTIVATE] = {1, {EP_PATCH_USER}},
            [JOB_KIND_GROUP_CREATE] = {1, {EP_POST_GROUPS}},
            [JOB_KIND_GROUP_MEMBERS] = {2, {EP_PATCH_GROUP, EP_PATCH_GROUP}},
        },
    [CLIENT_REQUESTS_ENTRA] =
        {
            [JOB_KIND_CREATE] = {2, {EP_GET_USERS, EP_POST_USERS}},
            [JOB_KIND_UPDATE] = {2, {EP_GET_USER, EP_PATCH_USER}},
            [JOB_KIND_DEACTIVATE] = {2, {EP_GET_USER, EP_PATCH_USER}},
            [JOB_KIND_GROUP_CREATE] = {2, {EP_GET_GROUPS, EP_POST_GROUPS}},
            [JOB_KIND_GROUP_MEMBERS] = {1, {EP_PATCH_GROUP}},
        },
};

void client_recipes_named(struct client_cfg *c, enum client_requests set)
{
    c->requests = set;
    memcpy(c->recipe, sets[set], sizeof c->recipe);
}

double client_requests_through(const struct client_cfg *c, int kind, unsigned kind_mask,
                               unsigned ep_mask)
{
    const struct client_recipe *r = &c->recipe[kind];
    if (kind_mask & JOB_KIND_MASK((unsigned)kind))
        return (double)r->n;
    double n = 0.0;
    for (int i = 0; i < r->n; i++) {
        int ep = r->ep[i];
        if (ep == EP_POST_USERS && kind == JOB_KIND_CREATE)
            n += (1.0 - c->existing_fraction) * ((ep_mask >> EP_POST_USERS) & 1u) +
                 c->existing_fraction * ((ep_mask >> EP_PUT_USER) & 1u);
        else
            n += (ep_mask >> ep) & 1u;
    }
    return n;
}

const char *client_requests_name(enum client_requests r)
{
    static const char *const names[] = {"single", "okta", "entra", "custom"};
    return (unsigned)r < 4 ? names[r] : "?";
}

int client_single_endpoint(int kind)
{
    return sets[CLIENT_REQUESTS_SINGLE][kind].ep[0];
}

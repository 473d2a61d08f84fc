/* endpoint.h -- SCIM endpoints (a method on a resource path) and the
 * selectors a limiter's applies_to uses to pick some of them.
 *
 * The twelve endpoints are the SCIM 2.0 user and group operations an
 * identity provider sends (RFC 7644 §3): list/filter, read, create,
 * replace, modify and delete, on /Users and on /Groups. They are bit
 * positions, so a set of endpoints is a mask.
 *
 * Selectors (README, "Endpoints"):
 *   "POST /Users"    one endpoint (exact name, "{id}" written literally)
 *   "GET"            every endpoint with that method
 *   "/Users"         every endpoint on the resource: /Users and /Users/{id}
 *   "/Users/{id}"    every endpoint on one user (GET, PUT, PATCH, DELETE)
 *   "reads"          every GET; "writes": every POST, PUT, PATCH, DELETE
 * (the same for /Groups). */
#ifndef PROVSIM_ENDPOINT_H
#define PROVSIM_ENDPOINT_H

enum endpoint {
    EP_GET_USERS,    /* GET /Users (filter or list) */
    EP_GET_USER,     /* GET /Users/{id} */
    EP_POST_USERS,   /* POST /Users */
    EP_PUT_USER,     /* PUT /Users/{id} */
    EP_PATCH_USER,   /* PATCH /Users/{id} */
    EP_DELETE_USER,  /* DELETE /Users/{id} */
    EP_GET_GROUPS,   /* GET /Groups */
    EP_GET_GROUP,    /* GET /Groups/{id} */
    EP_POST_GROUPS,  /* POST /Groups */
    EP_PUT_GROUP,    /* PUT /Groups/{id} */
    EP_PATCH_GROUP,  /* PATCH /Groups/{id} */
    EP_DELETE_GROUP, /* DELETE /Groups/{id} */
    EP_COUNT
};

#define EP_MASK(e) (1u << (e))
#define EP_MASK_ALL ((1u << EP_COUNT) - 1u)

/* Names in enum order, NULL-terminated ("POST /Users", ...). */
extern const char *const ep_names[EP_COUNT + 1];
/* "POST /Users"; "?" if e is out of range. */
const char *ep_name(enum endpoint e);
/* The endpoint an exact name denotes, or -1. */
int ep_parse(const char *s);
/* Is the endpoint a read (GET)? */
int ep_is_read(enum endpoint e);
/* The mask a selector denotes (see above), or 0 if s is none. */
unsigned ep_selector_mask(const char *s);

#endif

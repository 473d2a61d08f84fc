/* endpoint.c -- see endpoint.h. */
#include "models/endpoint.h"

#include "base/util.h"

#include <string.h>

const char *const ep_names[EP_COUNT + 1] = {
    [EP_GET_USERS] = "GET /Users",       [EP_GET_USER] = "GET /Users/{id}",
    [EP_POST_USERS] = "POST /Users",     [EP_PUT_USER] = "PUT /Users/{id}",
    [EP_PATCH_USER] = "PATCH /Users/{id}", [EP_DELETE_USER] = "DELETE /Users/{id}",
    [EP_GET_GROUPS] = "GET /Groups",     [EP_GET_GROUP] = "GET /Groups/{id}",
    [EP_POST_GROUPS] = "POST /Groups",   [EP_PUT_GROUP] = "PUT /Groups/{id}",
    [EP_PATCH_GROUP] = "PATCH /Groups/{id}", [EP_DELETE_GROUP] = "DELETE /Groups/{id}",
    [EP_COUNT] = NULL,
};


const char *ep_name(enum endpoint e)
{
    return (unsigned)e < EP_COUNT ? ep_names[e] : "?";
}

int ep_parse(const char *s)
{
    return xname_index(ep_names, EP_COUNT, s);
}

int ep_is_read(enum endpoint e)
{
    return strncmp(ep_names[e], "GET ", 4) == 0;
}

/* The part of an endpoint's name after the method: "/Users/{id}". */
static const char *path_of(enum endpoint e)
{
    return strchr(ep_names[e], ' ') + 1;
}

unsigned ep_selector_mask(const char *s)
{
    unsigned m = 0;
    int exact = ep_parse(s);
    if (exact >= 0)
        return EP_MASK(exact);
    int reads = strcmp(s, "reads") == 0, writes = strcmp(s, "writes") == 0;
    size_t n = strlen(s);
    for (int e = 0; e < EP_COUNT; e++) {
        const char *path = path_of((enum endpoint)e);
        size_t mlen = (size_t)(path - 1 - ep_names[e]);
        int hit = (reads && ep_is_read((enum endpoint)e)) ||
                  (writes && !ep_is_read((enum endpoint)e)) ||
                  /* a method: "GET" */
                  (n == mlen && strncmp(s, ep_names[e], mlen) == 0) ||
                  /* a path: "/Users/{id}" exactly, or a resource: "/Users"
                   * and everything below it */
                  (s[0] == '/' && strcmp(path, s) == 0) ||
                  (s[0] == '/' && strncmp(path, s, n) == 0 && path[n] == '/' &&
                   strchr(s + 1, '/') == NULL);
        if (hit)
            m |= EP_MASK(e);
    }
    return m;
}

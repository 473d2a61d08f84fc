/* document.h -- what a scn_doc is (internal to the scenario loader): the
 * cJSON tree of a scenario document, shared by document.c (which makes
 * and frees it), override.c (which edits it for --set) and scenario.c
 * (which converts it). Everyone else sees only the opaque scn_doc. */
#ifndef PROVSIM_DOCUMENT_H
#define PROVSIM_DOCUMENT_H

#include "scenario/scenario.h"

#include <cjson/cJSON.h>

struct scn_doc {
    cJSON *root;     /* owned; always an object */
    char sha256[65]; /* hex SHA-256 of the text it was parsed from */
};

#endif

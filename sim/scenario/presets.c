/* presets.c -- see presets.h. The table itself is generated
 * (embed_presets.cmake); this file only looks into it. */
#include "scenario/presets.h"

#include <cjson/cJSON.h>

#include <stdio.h>
#include <string.h>

const struct scn_preset *scn_preset_find(const char *name)
{
    for (const struct scn_preset *p = scn_presets; p->name; p++)
        if (strcmp(p->name, name) == 0)
            return p;
    return NULL;
}

const char *scn_preset_title(const struct scn_preset *p, char *buf, size_t len)
{
    buf[0] = '\0';
    cJSON *root = cJSON_ParseWithLength(p->text, p->len);
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(root, "name");
    if (cJSON_IsString(n))
        snprintf(buf, len, "%s", n->valuestring);
    cJSON_Delete(root);
    return buf;
}

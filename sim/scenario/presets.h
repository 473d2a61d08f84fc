/* presets.h -- the built-in presets: every .json file of configs/ (but the
 * schema), compiled into the binary by embed_presets.cmake, so that
 * `provsim presets` and `provsim init --preset NAME` need no installed
 * files and list exactly what configs/ holds. */
#ifndef PROVSIM_PRESETS_H
#define PROVSIM_PRESETS_H

#include <stddef.h>

struct scn_preset {
    const char *name; /* the file name without .json: "default", "miro" */
    const char *text; /* the file's bytes, NUL-terminated */
    size_t len;       /* bytes, without the NUL */
};

/* In file-name order, ended by an entry whose name is NULL. */
extern const struct scn_preset scn_presets[];

/* The preset called name, or NULL. */
const struct scn_preset *scn_preset_find(const char *name);
/* Copies the preset's "name" (its one-line title) into buf, "" if it has
 * none. Returns buf. */
const char *scn_preset_title(const struct scn_preset *p, char *buf, size_t len);

#endif

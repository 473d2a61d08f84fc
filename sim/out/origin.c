/* origin.c -- see origin.h. */
#include "out/origin.h"

#include <cjson/cJSON.h>

struct cJSON *origin_json(const struct scenario_origin *o, uint64_t seed, int reps)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "source", o->source ? o->source : ORIGIN_DEFAULT_SOURCE);
    cJSON_AddStringToObject(p, "sha256", o->sha256);
    cJSON *ov = cJSON_AddArrayToObject(p, "overrides");
    for (int i = 0; i < o->noverrides; i++)
        cJSON_AddItemToArray(ov, cJSON_CreateString(o->overrides[i]));
    cJSON_AddNumberToObject(p, "seed", (double)seed);
    cJSON_AddNumberToObject(p, "replications", reps);
    cJSON_AddStringToObject(p, "version", PROVSIM_VERSION);
    return p;
}

void origin_add_json(struct cJSON *obj, const struct scenario_origin *o, uint64_t seed, int reps)
{
    cJSON_AddItemToObject(obj, "provenance", origin_json(o, seed, reps));
}

/* Writes s with its control characters as '?': a path or a --set value
 * is text from the command line, and must not drive the terminal. */
void origin_put_text(FILE *f, const char *s)
{
    for (; *s; s++)
        fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
}

void origin_text(FILE *f, const char *indent, const struct scenario_origin *o)
{
    fprintf(f, "%sfrom ", indent);
    origin_put_text(f, o->source ? o->source : ORIGIN_DEFAULT_SOURCE);
    fprintf(f, " (SHA-256 %s), provsim %s\n", o->sha256, PROVSIM_VERSION);
    for (int i = 0; i < o->noverrides; i++) {
        fprintf(f, "%s--set ", indent);
        origin_put_text(f, o->overrides[i]);
        fputc('\n', f);
    }
}

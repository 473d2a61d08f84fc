/* rundir.c -- see rundir.h. */
#include "out/rundir.h"

#include "base/file.h"
#include "out/plot.h"
#include "out/resultdir.h"
#include "out/summary.h"
#include "out/origin.h"
#include "base/units.h"
#include "base/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

int rundir_open(struct rundir *rd, const char *dir, char *err, size_t errlen)
{
    memset(rd, 0, sizeof *rd);
    if (file_mkdirs(dir, err, errlen) != 0)
        return -1;
    char *p = file_join(dir, RESDIR_SERIES_CSV);
    int rc = outfile_open(&rd->series, p, err, errlen);
    free(p);
    if (rc != 0)
        return -1;
    rd->dir = xstrdup(dir);
    return 0;
}

FILE *rundir_series(struct rundir *rd)
{
    return rd->series.f;
}

static int write_text(const char *dir, const char *name, const char *text, char *err,
                      size_t errlen)
{
    struct outfile o;
    int rc = outfile_open_in(&o, dir, name, err, errlen);
    if (rc != 0)
        return -1;
    fputs(text, o.f);
    fputc('\n', o.f);
    return outfile_commit(&o, err, errlen);
}

static char *meta_json(const struct scenario *s, const struct run_result *r)
{
    char buf[32];
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "kind", "run");
    cJSON_AddStringToObject(root, "scenario", s->name);
    units_format_datetime(s->start_epoch_s, buf, sizeof buf);
    cJSON_AddStringToObject(root, "start", buf);
    cJSON_AddNumberToObject(root, "horizon_s", s->horizon_s);
    cJSON_AddNumberToObject(root, "replications", r->reps);
    cJSON_AddNumberToObject(root, "seed", (double)s->seed);
    origin_add_json(root, &s->origin, s->seed, r->reps);
    if (s->horizon_auto) {
        /* horizon_s is then the cap */
        cJSON_AddBoolToObject(root, "horizon_auto", 1);
        cJSON_AddNumberToObject(root, "settle_s", s->settle_s);
    }
    if (s->origin.file_name)
        cJSON_AddStringToObject(root, "file_name", s->origin.file_name);
    cJSON *ros = cJSON_AddArrayToObject(root, "rollouts");
    for (int i = 0; i < s->nrollouts; i++) {
        const struct wl_rollout *ro = &s->rollouts[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "kind", job_kind_name(ro->kind));
        cJSON_AddNumberToObject(o, "users", (double)ro->users);
        /* the model allows a rollout at or past the horizon: clamp what is
         * only shown to people */
        double at = ro->at_s < 1e12 ? ro->at_s : 1e12;
        units_format_datetime(s->start_epoch_s + (int64_t)at, buf, sizeof buf);
        cJSON_AddStringToObject(o, "at", buf);
        cJSON_AddNumberToObject(o, "batch_size", (double)ro->batch_size);
        cJSON_AddNumberToObject(o, "batch_interval_s", ro->batch_interval_s);
        cJSON_AddItemToArray(ros, o);
    }
    if (s->notes) {
        cJSON *notes = cJSON_AddArrayToObject(root, "notes");
        for (const char *p = s->notes; *p;) {
            size_t n = strcspn(p, "\n");
            char *line = xmalloc(n + 1);
            memcpy(line, p, n);
            line[n] = '\0';
            cJSON_AddItemToArray(notes, cJSON_CreateString(line));
            free(line);
            p += n;
            if (*p)
                p++;
        }
    }
    char *out = cJSON_Print(root);
    cJSON_Delete(root);
    if (!out)
        xoom("cJSON_Print");
    return out;
}

/* Copies what the runner wrote so far to also. */
static int copy_series(struct rundir *rd, FILE *also, char *err, size_t errlen)
{
    if (fflush(rd->series.f) != 0) {
        snprintf(err, errlen, "%s: write failed: %s", rd->series.path, strerror(errno));
        return -1;
    }
    FILE *in = fopen(rd->series.tmp, "rb");
    if (!in) {
        snprintf(err, errlen, "%s: %s", rd->series.tmp, strerror(errno));
        return -1;
    }
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, n, also);
    int bad = ferror(in);
    fclose(in);
    if (bad) {
        snprintf(err, errlen, "%s: read error", rd->series.tmp);
        return -1;
    }
    return 0;
}

int rundir_commit(struct rundir *rd, const struct scenario *s, const struct run_result *r,
                  FILE *also, char *err, size_t errlen)
{
    if (also && copy_series(rd, also, err, errlen) != 0) {
        rundir_abort(rd);
        return -1;
    }
    plot_remove_stale(rd->dir, RESDIR_KIND_RUN);
    int rc = outfile_commit(&rd->series, err, errlen);
    if (rc == 0) {
        char *js = summary_json(s, r, NULL);
        rc = write_text(rd->dir, RESDIR_RUN_JSON, js, err, errlen);
        free(js);
    }
    if (rc == 0) {
        char *js = meta_json(s, r);
        rc = write_text(rd->dir, RESDIR_META_JSON, js, err, errlen);
        free(js);
    }
    free(rd->dir);
    memset(rd, 0, sizeof *rd);
    return rc;
}

void rundir_abort(struct rundir *rd)
{
    if (rd->series.f || rd->series.tmp)
        outfile_abort(&rd->series);
    free(rd->dir);
    memset(rd, 0, sizeof *rd);
}

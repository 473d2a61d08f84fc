/* fuzz_tasks.c -- fuzz target: what a sweep split into tasks reads back.
 *
 * Input: one selector byte, then text (cut at the first NUL). The
 * selector picks the parser:
 *   0  one line of a task journal (sweep_task_rec_parse), as the merge and
 *      a resuming task read it
 *   1  Slurm's array variables (cluster_slurm_task): up to four lines,
 *      SLURM_ARRAY_TASK_ID, _COUNT, _MIN and _STEP ("-" for unset)
 * Beyond "no crash" it checks each parser's promise: a refusal has a
 * message; an accepted line has 1..SCN_MAX_REPLICATIONS replications,
 * their rows and a values object; an accepted task is 0 <= k < n <=
 * CLUSTER_MAX_TASKS. */
#include "fuzz.h"

#include "cli/cluster.h"
#include "plan/sweep_internal.h"

#include <stdlib.h>
#include <string.h>

enum { SEL_LINE, SEL_SLURM, SEL_COUNT };

static void task_line(const char *text)
{
    struct sweep_task_rec r;
    char fp[64], err[SCN_ERRLEN] = "";
    cJSON *values;
    if (sweep_task_rec_parse(text, strlen(text), &r, fp, sizeof fp, &values, err, sizeof err) == 0) {
        if (r.reps < 1 || r.reps > SCN_MAX_REPLICATIONS || !r.rows || !cJSON_IsObject(values) ||
            r.cell < 0 || r.first < 0)
            fuzz_fail("sweep_task_rec_parse accepted a unit without replications or values", text);
        sweep_task_rec_fini(&r);
        cJSON_Delete(values);
    } else if (!err[0]) {
        fuzz_fail("sweep_task_rec_parse refused without a message", text);
    }
}

static void slurm_vars(char *text)
{
    const char *v[4] = {NULL, NULL, NULL, NULL};
    char *save = NULL;
    int i = 0;
    for (char *line = strtok_r(text, "\n", &save); line && i < 4;
         line = strtok_r(NULL, "\n", &save), i++)
        v[i] = strcmp(line, "-") ? line : NULL;
    int k = -1, n = -1;
    char err[512] = "";
    if (cluster_slurm_task(v[0], v[1], v[2], v[3], &k, &n, err, sizeof err) == 0) {
        if (!(k >= 0 && k < n && n <= CLUSTER_MAX_TASKS))
            fuzz_fail("cluster_slurm_task accepted a task outside 0..n-1", text);
    } else if (!err[0]) {
        fuzz_fail("cluster_slurm_task refused without a message", text);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int sel = data[0] % SEL_COUNT;
    char *text = malloc(size);
    if (!text)
        abort();
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    if (sel == SEL_LINE)
        task_line(text);
    else
        slurm_vars(text);
    free(text);
    return 0;
}

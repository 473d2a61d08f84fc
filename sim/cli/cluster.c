/* cluster.c -- see cluster.h.
 *
 * The script works with a plain `sbatch FILE`: it is the array job
 * itself, and its lowest task, on its first start (not on a requeue),
 * submits the merge as a job depending on the whole array
 * (--dependency=afterok:ARRAY_JOB_ID, which waits for every task and
 * holds if any fails; --kill-on-invalid-dep=yes then cancels it instead
 * of leaving it pending). The merge is submitted while that task runs,
 * so the array cannot have finished before the dependency exists. */
#include "cli/cluster.h"

#include "cli/cli.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A whole non-negative decimal integer of at most 9 digits. */
static int small_int(const char *s, long *v)
{
    return cli_parse_long(s, 0, 999999999L, v);
}

int cluster_slurm_task(const char *id, const char *count, const char *min, const char *step,
                       int *k, int *n, char *err, size_t errlen)
{
    static const char *const names[] = {"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT",
                                        "SLURM_ARRAY_TASK_MIN"};
    const char *vals[] = {id, count, min};
    long v[3], st = 1;
    for (int i = 0; i < 3; i++) {
        if (!vals[i])
            return xerr(err, errlen,
                        "--tasks slurm: %s is not set (not inside a Slurm array job? use "
                        "--task K --tasks N elsewhere)",
                        names[i]);
        if (small_int(vals[i], &v[i]))
            return xerr(err, errlen, "--tasks slurm: %s=\"%s\" is not a whole number >= 0",
                        names[i], vals[i]);
    }
    if (step && (small_int(step, &st) || st < 1))
        return xerr(err, errlen, "--tasks slurm: SLURM_ARRAY_TASK_STEP=\"%s\" is not a whole number >= 1",
                    step);
    if (v[1] < 1 || v[1] > CLUSTER_MAX_TASKS)
        return xerr(err, errlen, "--tasks slurm: SLURM_ARRAY_TASK_COUNT=%ld is not 1 to %d", v[1],
                    CLUSTER_MAX_TASKS);
    if (v[0] < v[2] || (v[0] - v[2]) % st != 0 || (v[0] - v[2]) / st >= v[1])
        return xerr(err, errlen,
                    "--tasks slurm: SLURM_ARRAY_TASK_ID=%ld is not one of the %ld tasks from "
                    "SLURM_ARRAY_TASK_MIN=%ld by SLURM_ARRAY_TASK_STEP=%ld (the array must be "
                    "a range, --array=LO-HI or LO-HI:STEP)",
                    v[0], v[1], v[2], st);
    *k = (int)((v[0] - v[2]) / st);
    *n = (int)v[1];
    return 0;
}

void cluster_shell_quote(FILE *f, const char *s)
{
    static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                               "_-+=./:,@%";
    if (*s && strspn(s, safe) == strlen(s)) {
        fputs(s, f);
        return;
    }
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", f);
        else
            fputc(*s, f);
    }
    fputc('\'', f);
}

int cluster_sbatch_value_ok(const char *v)
{
    if (!*v)
        return -1;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p <= ' ' || *p >= 0x7f || strchr("'\"\\$`#;&|<>()", *p))
            return -1;
    return 0;
}

/* " WORD" for each word, quoted. */
static void put_words(FILE *f, const char *const *w, int n)
{
    for (int i = 0; i < n; i++) {
        fputc(' ', f);
        cluster_shell_quote(f, w[i]);
    }
}

static void put_header(FILE *f, const struct cluster_emit *e)
{
    fprintf(f,
            "#!/bin/bash\n"
            "# provsim %s --emit-slurm: a sweep as a Slurm array of %d tasks and a merge.\n"
            "# Submit it as it is: sbatch THIS_FILE. Task 0 submits the merge, a job\n"
            "# that starts once every task has succeeded (afterok on this array) and\n"
            "# writes the results into the --out directory. A task requeued or rerun\n"
            "# resumes its own journal; run the merge by hand (provsim sweep --merge\n"
            "# DIR) after rerunning a failed task.\n"
            "#SBATCH --job-name=provsim-sweep\n"
            "#SBATCH --array=0-%d\n"
            "#SBATCH --ntasks=1\n"
            "#SBATCH --cpus-per-task=%d\n",
            PROVSIM_VERSION, e->ntasks, e->ntasks - 1, e->cpus);
    if (e->time)
        fprintf(f, "#SBATCH --time=%s\n", e->time);
    if (e->partition)
        fprintf(f, "#SBATCH --partition=%s\n", e->partition);
}

void cluster_emit_slurm(FILE *f, const struct cluster_emit *e)
{
    put_header(f, e);
    fputs("set -euo pipefail\ncd ", f);
    cluster_shell_quote(f, e->cwd);
    fputs("\nprovsim=", f);
    cluster_shell_quote(f, e->provsim);
    fputs("\nout=", f);
    cluster_shell_quote(f, e->out);
    fputs("\nif [ \"$SLURM_ARRAY_TASK_ID\" = \"$SLURM_ARRAY_TASK_MIN\" ] && "
          "[ \"${SLURM_RESTART_COUNT:-0}\" = 0 ]; then\n"
          "  merge=$(sbatch --parsable --job-name=provsim-merge --ntasks=1 --cpus-per-task=1 \\\n"
          "    --dependency=\"afterok:$SLURM_ARRAY_JOB_ID\" --kill-on-invalid-dep=yes \\\n",
          f);
    if (e->time)
        fprintf(f, "    --time=%s \\\n", e->time);
    if (e->partition)
        fprintf(f, "    --partition=%s \\\n", e->partition);
    fprintf(f, "    --chdir=\"$PWD\" --wrap=\"$(printf '%%q ' \"$provsim\" sweep --merge "
               "\"$out\"%s)\")\n",
            e->plot ? " --plot" : "");
    fputs("  echo \"provsim: merge job $merge runs after every task of job "
          "$SLURM_ARRAY_JOB_ID\"\n"
          "fi\n"
          "exec \"$provsim\" sweep",
          f);
    put_words(f, e->args, e->nargs);
    fprintf(f, " --out \"$out\" --tasks slurm --jobs %d -- ", e->cpus);
    cluster_shell_quote(f, e->scenario);
    fputc('\n', f);
}

/* cluster.h -- what `provsim sweep` needs to run on a batch system: the
 * task index from Slurm's array variables (--tasks slurm) and the sbatch
 * script of --emit-slurm. The split itself is the sweep's (plan/sweep.h,
 * "Tasks"); this is only the command line's side of it. */
#ifndef PROVSIM_CLUSTER_H
#define PROVSIM_CLUSTER_H

#include <stddef.h>
#include <stdio.h>

/* At most this many tasks (--tasks, --emit-slurm). */
#define CLUSTER_MAX_TASKS 100000

/* Task k of n from Slurm's array variables, as strings (NULL = unset):
 * SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT, SLURM_ARRAY_TASK_MIN and
 * SLURM_ARRAY_TASK_STEP (NULL: 1). k = (ID - MIN) / STEP, n = COUNT, so an
 * array need not start at 0 (--array=1-64) or step by 1 (--array=0-62:2).
 * Returns 0, or -1 with a message naming the variable that is missing or
 * bad. */
int cluster_slurm_task(const char *id, const char *count, const char *min, const char *step,
                       int *k, int *n, char *err, size_t errlen);

/* Writes s quoted for a POSIX shell: as is if it has only characters no
 * shell treats specially, else in single quotes (a ' as '\''). */
void cluster_shell_quote(FILE *f, const char *s);

/* The script of --emit-slurm. */
struct cluster_emit {
    const char *provsim;     /* absolute path of the binary */
    const char *cwd;         /* where the tasks and the merge run */
    const char *scenario;    /* the scenario, as given */
    const char *const *args; /* nargs words: the sweep's options without
                              * --out, --jobs, --plot and the task options */
    int nargs;
    const char *out;         /* DIR */
    int ntasks;              /* the array: tasks 0..ntasks-1 */
    int cpus;                /* --cpus-per-task, each task's --jobs */
    const char *time;        /* --time, or NULL */
    const char *partition;   /* --partition, or NULL */
    int plot;                /* the merge draws the charts */
};

/* A --time or --partition value may go into an #SBATCH line: printable,
 * no space or quote. Returns 0, or -1. */
int cluster_sbatch_value_ok(const char *v);

/* Prints the sbatch script (see the README, "On a cluster"). */
void cluster_emit_slurm(FILE *f, const struct cluster_emit *e);

#endif

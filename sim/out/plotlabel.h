/* plotlabel.h -- words for the key paths a sweep varies, for chart axis
 * titles and legends: "workload.rollouts[0].at" reads "rollout start
 * time", "workload.rollouts[0].batch_size" "batch size (users)". A path
 * the table does not know is shown as written. */
#ifndef PROVSIM_PLOTLABEL_H
#define PROVSIM_PLOTLABEL_H

#include <stddef.h>

/* The words for path into buf (always NUL-terminated): the table's entry
 * for path with every index written "[]", with " (rollout N)" or
 * " (limit N)" added for an index other than 0; else path itself.
 * Returns buf. */
const char *plotlabel_path(const char *path, char *buf, size_t len);

#endif

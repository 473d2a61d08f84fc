/* progress.h -- the progress bar of long commands on a terminal:
 * "[=====>    ] 12/240 cells, 0:07 elapsed, ETA 2:10", redrawn in place
 * (a carriage return, no newline) at most 10 times a second.
 *
 * Callers decide whether to draw at all (only when the stream is a
 * terminal: a bar in a log file or a pipe is noise); the bar itself waits
 * until delay_s have passed, so a command that finishes quickly prints
 * nothing. */
#ifndef PROVSIM_PROGRESS_H
#define PROVSIM_PROGRESS_H

#include <stdio.h>

struct progress {
    FILE *f;           /* borrowed: where the bar goes (stderr) */
    const char *unit;  /* borrowed: what is counted ("cells", "replications") */
    double delay_s;    /* seconds before the first drawing */
    double t0, last;   /* monotonic seconds: the start, the last drawing */
    int shown;         /* drawn at least once */
};

/* Starts the clock. */
void progress_init(struct progress *p, FILE *f, const char *unit, double delay_s);
/* done of total finished; the ETA is from ran of todo done in this
 * process (a resumed sweep counts only the cells it runs). force draws
 * even within 0.1 s of the last drawing (not before delay_s). */
void progress_draw(struct progress *p, int done, int total, int ran, int todo, int force);
/* Ends the bar: keep leaves it on its line and starts a new one; else the
 * line is wiped, so the output that follows starts clean. Nothing if the
 * bar was never drawn. */
void progress_end(struct progress *p, int keep);
/* Monotonic seconds. */
double progress_now_s(void);

#endif

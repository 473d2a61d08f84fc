/* interrupt.h -- Ctrl-C (SIGINT) and SIGTERM during run and compare: the
 * unfinished outputs (the temporary files of outfile.h) are removed, a
 * line on stderr says so and names the files already complete, and the
 * process exits 128 + the signal (130, 143), as shells report it. The
 * sweep has its own, gentler handler (finish the running cells, keep the
 * journal: sweep_pool.c). */
#ifndef PROVSIM_INTERRUPT_H
#define PROVSIM_INTERRUPT_H

/* Installs the handler for SIGINT and SIGTERM (for the rest of the
 * process: run and compare end when their work does). */
void cli_interrupt_install(void);

#endif

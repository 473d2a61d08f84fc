/* plot_scripts.h -- the gnuplot scripts in plots/ (one .gp file each), compiled in by
 * sim/embed_plots.cmake so the binary draws charts wherever it runs. */
#ifndef PROVSIM_PLOT_SCRIPTS_H
#define PROVSIM_PLOT_SCRIPTS_H

#include <stddef.h>

struct plot_script {
    const char *name;          /* file name without .gp: "backlog" */
    const unsigned char *text; /* NUL-terminated */
    size_t len;                /* bytes, without the NUL */
};

extern const struct plot_script plot_scripts[];
extern const size_t plot_nscripts;

#endif

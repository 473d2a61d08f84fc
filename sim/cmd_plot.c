/* cmd_plot.c -- provsim plot (placeholder until it lands). */
#include "commands.h"

#include <stdio.h>

int cmd_plot(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("provsim: plot is not available yet\n", stderr);
    return 1;
}

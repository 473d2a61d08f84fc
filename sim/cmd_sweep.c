/* cmd_sweep.c -- provsim sweep (placeholder until it lands). */
#include "commands.h"

#include <stdio.h>

int cmd_sweep(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("provsim: sweep is not available yet\n", stderr);
    return 1;
}

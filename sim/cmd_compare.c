/* cmd_compare.c -- provsim compare (placeholder until it lands). */
#include "commands.h"

#include <stdio.h>

int cmd_compare(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("provsim: compare is not available yet\n", stderr);
    return 1;
}

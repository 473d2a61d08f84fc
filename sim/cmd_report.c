/* cmd_report.c -- provsim report (placeholder until it lands). */
#include "commands.h"

#include <stdio.h>

int cmd_report(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("provsim: report is not available yet\n", stderr);
    return 1;
}

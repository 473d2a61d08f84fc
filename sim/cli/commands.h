/* commands.h -- the subcommands of the provsim command line, one file
 * each (cmd_*.c); main.c only dispatches. Each takes argc/argv starting at
 * the subcommand's name and returns the process exit code: 0 success,
 * 2 bad usage or bad scenario, 1 any other failure. */
#ifndef PROVSIM_COMMANDS_H
#define PROVSIM_COMMANDS_H

int cmd_run(int argc, char **argv);      /* cmd_run.c */
int cmd_validate(int argc, char **argv); /* cmd_validate.c */
int cmd_sweep(int argc, char **argv);    /* cmd_sweep.c */
int cmd_compare(int argc, char **argv);  /* cmd_compare.c */
int cmd_plan(int argc, char **argv);     /* cmd_plan.c */
int cmd_plot(int argc, char **argv);     /* cmd_plot.c */
int cmd_report(int argc, char **argv);   /* cmd_report.c */
int cmd_presets(int argc, char **argv);  /* cmd_presets.c */
int cmd_init(int argc, char **argv);     /* cmd_init.c */
int cmd_calibrate(int argc, char **argv); /* cmd_calibrate.c */
int cmd_backtest(int argc, char **argv);  /* cmd_backtest.c */

#endif

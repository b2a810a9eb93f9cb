/* What the subcommands share: their entry points and error printing. */
#ifndef DD_CMD_H
#define DD_CMD_H

#include <stdio.h>

/* Exit statuses (SPEC §2). */
enum {
	DD_EXIT_OK = 0,
	DD_EXIT_FINDINGS = 1,
	DD_EXIT_INPUT = 2,    /* usage or input error */
	DD_EXIT_INTERNAL = 3  /* internal or environment error */
};

int cmd_parse(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_fix(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_runtime(int argc, char **argv);

/* Print the error slot to stderr with the source line and a caret. */
void dd_cmd_print_error(void);
/* The same text, malloc'd (for threads that report later). */
char *dd_cmd_error_text(void);

/* The exit status for a failed library call's code. */
int dd_cmd_exit_for(int code);

/* "drydock: <command>: <message>" for usage errors, with a hint. */
int dd_cmd_usage_error(const char *cmd);

#endif

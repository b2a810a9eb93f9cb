/* What the subcommands share: their entry points and error printing. */
#ifndef DD_CMD_H
#define DD_CMD_H

#include <stdio.h>

#include "opt.h"

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
int cmd_completion(int argc, char **argv);

/* Each command's option table (parses its command line, prints its help). */
extern const dd_opt cmd_lint_options[];
extern const dd_opt cmd_fix_options[];
extern const dd_opt cmd_explain_options[];
extern const dd_opt cmd_parse_options[];
extern const dd_opt cmd_build_options[];
extern const dd_opt cmd_runtime_options[];
extern const dd_opt cmd_completion_options[];

/*
 * A row of the command table (src/main.c): what main dispatches on, and
 * what the manual page (drydock.1) and the shell completions are made
 * from, so that a new command or option shows up in all of them.
 */
typedef struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;               /* one line, for drydock --help */
	const char *synopsis;              /* what follows "drydock NAME" */
	const dd_opt *options;             /* the command's option table */
	const char *const *formats;        /* --format's values, NULL-terminated, or NULL */
	const char *operands;              /* what its arguments are: "files", "rules", "shells" */
	const char *description;           /* a paragraph of the manual page */
} dd_command;

extern const dd_command dd_commands[];
extern const size_t dd_ncommands;

/* The formats of `drydock fix`, `runtime`, `explain` and `parse` (lint's: dd_report_formats). */
extern const char *const cmd_fix_formats[];
extern const char *const cmd_runtime_formats[];
extern const char *const cmd_explain_formats[];
extern const char *const cmd_parse_formats[];

/* The manual page drydock.1 (roff, man macros), from the command and rule tables. */
void dd_man_write(FILE *out, const char *version);

/* drydock's version ("0.1.0"). */
extern const char dd_version[];

/* Print the error slot to stderr with the source line and a caret. */
void dd_cmd_print_error(void);
/* The same text, malloc'd (for threads that report later). */
char *dd_cmd_error_text(void);

/* The exit status for a failed library call's code. */
int dd_cmd_exit_for(int code);

/* "drydock: <command>: <message>" for usage errors, with a hint. */
int dd_cmd_usage_error(const char *cmd);

/* --writable PATH (fix, build --fix): checked, then added to the list. */
int dd_cmd_add_writable(const char *path, const char ***list, size_t *n);

#endif

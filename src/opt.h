/* Command-line options: one static table per command, used to parse and to print help. */
#ifndef DD_OPT_H
#define DD_OPT_H

#include <stdbool.h>
#include <stdio.h>

typedef struct {
	const char *name;     /* long name without dashes ("format"), or NULL to end */
	char short_name;      /* 'f', or 0 */
	const char *arg;      /* name of the value ("FMT"), or NULL for a switch */
	int id;
	const char *help;
} dd_opt;

typedef struct {
	int argc;
	char **argv;
	int i;                /* next argv index */
	const char *value;    /* the option's value after dd_opt_next */
	const char *rest;     /* inside a group of short options */
	bool only_args;       /* after "--" */
} dd_optparser;

void dd_opt_init(dd_optparser *p, int argc, char **argv);

/*
 * Next option: its id, 0 for a positional argument (in p->value), -1 at the
 * end. An unknown option or a missing value returns DD_EUSAGE (negative,
 * below -1) with a message in the error slot.
 */
int dd_opt_next(dd_optparser *p, const dd_opt *table);

/* Print the option list of a table, aligned, for --help. */
void dd_opt_print(FILE *out, const dd_opt *table);

#endif

/*
 * A lint run over many paths: find the Dockerfiles, load configuration and
 * knowledge, parse and lint the files (in parallel, results in path order),
 * write the report and decide the exit status. Shared by `lint`, and by
 * `fix` and `build` for their gates.
 */
#ifndef DD_LINTRUN_H
#define DD_LINTRUN_H

#include <stdio.h>

#include "drydock/lint.h"
#include "drydock/report.h"

typedef struct {
	dd_lint_opts lint;        /* target, context; config and kb are set by the run */
	const char *format;       /* report format; default "text" */
	int threshold;            /* a dd_severity, 4 = none; -1 = configuration, else warning */
	const char *config_path;  /* --config, or NULL to search */
	int color;                /* 1 always, 0 never, -1 auto */
	dd_report_opts report;
	int jobs;                 /* 0 = the number of cores */
	char **paths;             /* as given */
	size_t npaths;
	dd_build_arg *build_args;
	size_t nbuild_args;
} dd_lint_run;

void dd_lint_run_init(dd_lint_run *run);
void dd_lint_run_free(dd_lint_run *run);

void dd_lint_run_add_path(dd_lint_run *run, const char *path);

/* NAME=VALUE (or NAME, taking the value from the environment as docker does). */
int dd_lint_run_add_build_arg(dd_lint_run *run, const char *spec);

/*
 * Find, lint and report; returns the exit status (0, 1, 2 or 3). Errors of
 * the run itself (bad config, unknown format) are printed to stderr.
 */
int dd_lint_run_exec(dd_lint_run *run, FILE *out);

/*
 * The Dockerfiles under a folder (Dockerfile, Containerfile, *.Dockerfile,
 * Dockerfile.*), sorted; hidden folders and node_modules are skipped.
 * Appends malloc'd paths to *paths.
 */
void dd_find_dockerfiles(const char *dir, char ***paths, size_t *n);

/*
 * Before the default ./Dockerfile is read: when there is none, say on
 * stderr what to give instead (the read error that follows names no way out).
 */
void dd_default_path_hint(void);

/* Is a file name one of those (Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*)? */
bool dd_is_dockerfile_name(const char *name);

#endif

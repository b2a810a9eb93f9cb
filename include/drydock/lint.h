/* Linting one parsed Dockerfile: run the rules, apply pragmas and the configuration. */
#ifndef DRYDOCK_LINT_H
#define DRYDOCK_LINT_H

#include "drydock/ast.h"
#include "drydock/config.h"
#include "drydock/finding.h"

struct dd_knowledge;

typedef struct {
	const char *target;              /* --target stage; NULL = the last stage */
	const char *context_dir;         /* build context; NULL = the Dockerfile's folder */
	bool no_context;                 /* never read the build context */
	const dd_config *config;         /* may be NULL */
	const struct dd_knowledge *kb;   /* may be NULL: image rules then stay silent */
	/*
	 * Walk each build context once per process (many Dockerfiles often
	 * share one): for batch runs, where the files do not change meanwhile.
	 */
	bool cache_context;
} dd_lint_opts;

/*
 * Run every rule over doc and append the findings that survive
 * `# drydock ignore=` / `# hadolint ignore=` pragmas, `# check=skip=`, and
 * the configuration to out, sorted. Fails with DD_EUSAGE for an unknown
 * --target.
 */
int dd_lint(const dd_doc *doc, const dd_lint_opts *opts, dd_findings *out);

/*
 * Iterate over a stage's instructions, each ONBUILD trigger right after its
 * ONBUILD: start with *it = 0; returns NULL at the end. stage NULL = the
 * whole file.
 */
const dd_instr *dd_stage_next(const dd_doc *doc, const dd_stage *stage, size_t *it);

#endif

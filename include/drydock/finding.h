/* Findings: what a rule reports, with its place and severity. */
#ifndef DRYDOCK_FINDING_H
#define DRYDOCK_FINDING_H

#include "drydock/common.h"

typedef enum {
	DD_SEV_INFO = 1,
	DD_SEV_WARNING = 2,
	DD_SEV_ERROR = 3
} dd_severity;

/* "info", "warning", "error". */
const char *dd_severity_name(dd_severity s);
/* Parse a severity name (also "none" → 4, above every severity); -1 if unknown. */
int dd_severity_parse(const char *name);

typedef struct dd_rule dd_rule;

/*
 * One finding. The message never holds a raw secret: every message passes
 * through the secret redactor when it is made (see dd_report in rule.h).
 */
typedef struct {
	const dd_rule *rule;   /* borrowed: an entry of the rule table */
	dd_severity severity;  /* after the rule's choice and config overrides */
	char *message;         /* owned by the finding list */
	dd_span span;
	int stage;             /* stage index, -1 outside any stage */
	bool fixable;          /* drydock fix can repair it */
	bool advice;           /* not fixable, but its fixer says how to fix it by hand (notes only) */
	uint32_t instr_line;   /* first line of the instruction it is about (for pragmas) */
	bool secret;           /* span is a secret value: shown source masks it */
} dd_finding;

typedef struct {
	dd_finding *v;
	size_t n, cap;
} dd_findings;

/* Free the messages and the array; the struct is reset. */
void dd_findings_free(dd_findings *f);

/* Sort by line, column, rule id (the order of every report). */
void dd_findings_sort(dd_findings *f);

#endif

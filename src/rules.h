/* Declarations of every rule's check and doc, from the table. */
#ifndef DD_RULES_H
#define DD_RULES_H

#include "drydock/rule.h"

/* every rule gets a fix declaration; only FIX rows define and link one */
#define ALIASES(...) __VA_ARGS__
#define RULE(num, slug, sev, fix, aliases) \
	void dd##num##_check(dd_ctx *ctx, const dd_doc *doc); \
	void dd##num##_fix(dd_fixer *fx, const dd_doc *doc, const dd_finding *f); \
	extern const dd_rule_doc dd##num##_doc;
#include "rules.def"
#undef RULE
#undef ALIASES

#endif

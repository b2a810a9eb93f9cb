/* Declarations of every rule's check and doc, from the table. */
#ifndef DD_RULES_H
#define DD_RULES_H

#include "drydock/rule.h"

#define ALIASES(...) __VA_ARGS__
#define RULE(num, slug, sev, aliases) \
	void dd##num##_check(dd_ctx *ctx, const dd_doc *doc); \
	extern const dd_rule_doc dd##num##_doc;
#include "rules.def"
#undef RULE
#undef ALIASES

#endif

/* The rule table, expanded from rules.def, and rule lookup. */
#include "rules.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* One aliases array per rule. */
#define ALIASES(...) { __VA_ARGS__, NULL }
#define RULE(num, slug, sev, fix, aliases) static const char *const aliases_##num[] = aliases;
#include "rules.def"
#undef RULE
#undef ALIASES

#define ALIASES(...)
#define FIX_FIX(num) dd##num##_fix
#define FIX_NOFIX(num) NULL
#define RULE(num, slug, sev, fix, aliases) \
	{ num, "DD" #num, slug, DD_SEV_##sev, aliases_##num, dd##num##_check, &dd##num##_doc, \
	  FIX_##fix(num) },
const dd_rule dd_rules[] = {
#include "rules.def"
};
#undef RULE
#undef ALIASES
#undef FIX_FIX
#undef FIX_NOFIX

const size_t dd_nrules = sizeof(dd_rules) / sizeof(dd_rules[0]);

/* "hadolint:DL3002" matches "DL3002" and "hadolint:DL3002". */
static bool
alias_matches(const char *alias, const char *name)
{
	if (strcasecmp(alias, name) == 0)
		return true;
	const char *colon = strchr(alias, ':');
	return colon && strcasecmp(colon + 1, name) == 0;
}

const dd_rule *
dd_rule_find(const char *name)
{
	for (size_t i = 0; i < dd_nrules; i++) {
		const dd_rule *r = &dd_rules[i];
		if (strcasecmp(r->code, name) == 0 || strcasecmp(r->slug, name) == 0)
			return r;
	}
	for (size_t i = 0; i < dd_nrules; i++)
		for (const char *const *a = dd_rules[i].aliases; *a; a++)
			if (alias_matches(*a, name))
				return &dd_rules[i];
	return NULL;
}

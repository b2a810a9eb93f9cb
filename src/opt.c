/* Parsing command-line options from a command's option table. */
#include <stdbool.h>
#include <string.h>

#include "opt.h"
#include "drydock/common.h"
#include "drydock/error.h"

void
dd_opt_init(dd_optparser *p, int argc, char **argv)
{
	memset(p, 0, sizeof(*p));
	p->argc = argc;
	p->argv = argv;
	p->i = 1;
}

static const dd_opt *
find_long(const dd_opt *t, const char *name, size_t len)
{
	for (; t->name || t->short_name; t++)
		if (t->name && strlen(t->name) == len && memcmp(t->name, name, len) == 0)
			return t;
	return NULL;
}

static const dd_opt *
find_short(const dd_opt *t, char c)
{
	for (; t->name || t->short_name; t++)
		if (t->short_name == c)
			return t;
	return NULL;
}

static int
take_value(dd_optparser *p, const dd_opt *o, const char *inline_value, const char *spelled)
{
	if (!o->arg) {
		if (inline_value)
			return dd_error_set(DD_EUSAGE, "option %s takes no value", spelled);
		p->value = NULL;
		return o->id;
	}
	if (inline_value) {
		p->value = inline_value;
		return o->id;
	}
	if (p->i >= p->argc)
		return dd_error_set(DD_EUSAGE, "option %s needs a value (%s)", spelled, o->arg);
	p->value = p->argv[p->i++];
	return o->id;
}

int
dd_opt_next(dd_optparser *p, const dd_opt *t)
{
	if (p->rest && *p->rest) {
		char c = *p->rest++;
		const dd_opt *o = find_short(t, c);
		char spelled[3] = { '-', c, 0 };
		if (!o)
			return dd_error_set(DD_EUSAGE, "unknown option -%c", c);
		if (o->arg && *p->rest) {
			const char *v = p->rest;
			p->rest = NULL;
			return take_value(p, o, v, spelled);
		}
		return take_value(p, o, NULL, spelled);
	}
	p->rest = NULL;
	if (p->i >= p->argc)
		return -1;
	const char *a = p->argv[p->i++];
	if (p->only_args || a[0] != '-' || strcmp(a, "-") == 0) {
		p->value = a;
		return 0;
	}
	if (strcmp(a, "--") == 0) {
		p->only_args = true;
		return dd_opt_next(p, t);
	}
	if (a[1] == '-') {
		const char *name = a + 2, *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		const dd_opt *o = find_long(t, name, len);
		if (!o)
			return dd_error_set(DD_EUSAGE, "unknown option --%.*s", (int)len, name);
		return take_value(p, o, eq ? eq + 1 : NULL, a);
	}
	p->rest = a + 1;
	return dd_opt_next(p, t);
}

void
dd_opt_print(FILE *out, const dd_opt *t)
{
	for (; t->name || t->short_name; t++) {
		char left[64];
		int n = 0;
		if (t->short_name)
			n = snprintf(left, sizeof(left), "-%c%s", t->short_name, t->name ? ", " : "");
		if (t->name)
			n += snprintf(left + n, sizeof(left) - (size_t)n, "--%s", t->name);
		if (t->arg)
			snprintf(left + n, sizeof(left) - (size_t)n, " %s", t->arg);
		fprintf(out, "  %-24s %s\n", left, t->help);
	}
}

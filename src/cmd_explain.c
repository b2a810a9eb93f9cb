/* `drydock explain`: what a rule means, why it matters, how the fix works. */
#include "cmd.h"
#include "opt.h"

#include "drydock/error.h"
#include "drydock/imagecheck.h"
#include "drydock/rule.h"

#include <stdio.h>
#include <string.h>

enum { OPT_ALL = 1, OPT_FORMAT, OPT_HELP };

const dd_opt cmd_explain_options[] = {
	{ "all", 'a', NULL, OPT_ALL, "every rule" },
	{ "format", 'f', "FMT", OPT_FORMAT,
	  "text (default); md (Markdown: the rules table with --all); man (with --all: the manual page)" },
	{ "help", 'h', NULL, OPT_HELP, "show this help" },
	{ NULL, 0, NULL, 0, NULL },
};

const char *const cmd_explain_formats[] = { "text", "md", "man", NULL };

enum format { TEXT, MD, MAN };

static void
usage(FILE *out)
{
	fputs("usage: drydock explain [OPTIONS] RULE...\n"
	      "       drydock explain --all [--format md|man]\n"
	      "\n"
	      "Explain rules: what each finds, why it matters, how `drydock fix` repairs\n"
	      "it, with a bad and a good example. RULE is an id (DD101), a slug\n"
	      "(root-user) or another tool's id (DL3002, DS-0002, CKV_DOCKER_8); the\n"
	      "checks `drydock build` runs on the built image (DD601-DD603) too.\n"
	      "\nOptions:\n", out);
	dd_opt_print(out, cmd_explain_options);
	fputs("\nExamples:\n  drydock explain DD101\n  drydock explain DL3002\n"
	      "  drydock explain --format md DD101 DD201 > rules.md\n"
	      "  drydock explain --all --format md        (the README's rules table)\n"
	      "  drydock explain --all --format man > drydock.1\n", out);
}

static void
print_aliases(FILE *out, const dd_rule *r, const char *sep)
{
	bool first = true;
	for (const char *const *a = r->aliases; *a; a++) {
		fprintf(out, "%s%s", first ? "" : sep, *a);
		first = false;
	}
	if (first)
		fputs("-", out);
}

/* Indent every line of a block by two spaces. */
static void
print_block(FILE *out, const char *text)
{
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		fprintf(out, "    %.*s\n", (int)n, p);
		p += n + (nl != NULL);
	}
}

static void
explain_text(FILE *out, const dd_rule *r)
{
	fprintf(out, "%s %s (%s)\n%s\n\n", r->code, r->slug, dd_severity_name(r->severity), r->doc->title);
	fprintf(out, "Also known as: ");
	print_aliases(out, r, ", ");
	fprintf(out, "\n\nWhy it matters:\n  %s\n\nHow to fix:\n  %s\n\n", r->doc->why, r->doc->fix);
	fputs("Reported:\n", out);
	print_block(out, r->doc->bad);
	fputs("\nFixed:\n", out);
	print_block(out, r->doc->good);
}

/* Every rule, then every image check: index i of the two tables end to end. */
static const dd_rule *
nth(size_t i)
{
	if (i < dd_nrules)
		return &dd_rules[i];
	return i - dd_nrules < dd_nimage_rules ? &dd_image_rules[i - dd_nrules] : NULL;
}

/* A fenced Dockerfile example; examples hold no backtick fence of their own. */
static void
print_md_code(FILE *out, const char *label, const char *code)
{
	size_t len = strlen(code);

	while (len && code[len - 1] == '\n')
		len--;
	fprintf(out, "%s:\n\n```dockerfile\n%.*s\n```\n", label, (int)len, code);
}

/*
 * One rule as a Markdown section (docs/rules.md; SARIF's helpUri points at
 * its heading, whose GitHub anchor is "#dd101-root-user").
 */
static void
explain_md(FILE *out, const dd_rule *r)
{
	fprintf(out, "## %s %s\n\n**%s.** Severity: %s. Also known as: ", r->code, r->slug,
	    r->doc->title, dd_severity_name(r->severity));
	print_aliases(out, r, ", ");
	fprintf(out, ".\n\n%s\n\n**How to fix:** %s\n\n", r->doc->why, r->doc->fix);
	print_md_code(out, "Reported", r->doc->bad);
	fputc('\n', out);
	print_md_code(out, "Fixed", r->doc->good);
}

static void
explain_one(FILE *out, const dd_rule *r, enum format fmt)
{
	if (fmt == MD)
		explain_md(out, r);
	else
		explain_text(out, r);
}

static void
explain_md_table(FILE *out)
{
	fputs("| Rule | Slug | Severity | What it finds | Also known as |\n"
	      "|---|---|---|---|---|\n", out);
	const dd_rule *r;
	for (size_t i = 0; (r = nth(i)); i++) {
		fprintf(out, "| %s | %s | %s | %s | ", r->code, r->slug, dd_severity_name(r->severity),
		    r->doc->title);
		print_aliases(out, r, ", ");
		fputs(" |\n", out);
	}
}

static int
parse_format(const char *v, enum format *fmt)
{
	if (strcmp(v, "text") == 0)
		*fmt = TEXT;
	else if (strcmp(v, "md") == 0 || strcmp(v, "markdown") == 0)
		*fmt = MD;
	else if (strcmp(v, "man") == 0)
		*fmt = MAN;
	else
		return dd_error_set(DD_EUSAGE, "unknown format '%s' (text, md, man)", v);
	return DD_OK;
}

int
cmd_explain(int argc, char **argv)
{
	dd_optparser p;
	bool all = false;
	enum format fmt = TEXT;
	const char *names[argc > 0 ? argc : 1];
	int n = 0, id;
	dd_opt_init(&p, argc, argv);
	while ((id = dd_opt_next(&p, cmd_explain_options)) != -1) {
		if (id == 0) {
			names[n++] = p.value;
		} else if (id == OPT_ALL) {
			all = true;
		} else if (id == OPT_FORMAT) {
			if (parse_format(p.value, &fmt) < 0)
				return dd_cmd_usage_error("explain");
		} else if (id == OPT_HELP) {
			usage(stdout);
			return DD_EXIT_OK;
		} else {
			return dd_cmd_usage_error("explain");
		}
	}
	if (fmt == MAN) {
		if (!all || n) {
			dd_error_set(DD_EUSAGE, "--format man writes the whole manual page: give --all and no RULE");
			return dd_cmd_usage_error("explain");
		}
		dd_man_write(stdout, dd_version);
		return DD_EXIT_OK;
	}
	if (all && fmt == MD) {
		explain_md_table(stdout);
		return DD_EXIT_OK;
	}
	if (all) {
		const dd_rule *r;
		for (size_t i = 0; (r = nth(i)); i++) {
			if (i)
				fputs("\n----\n\n", stdout);
			explain_text(stdout, r);
		}
		return DD_EXIT_OK;
	}
	if (n == 0) {
		dd_error_set(DD_EUSAGE, "name a rule (e.g. DD101) or give --all");
		return dd_cmd_usage_error("explain");
	}
	for (int i = 0; i < n; i++) {
		const dd_rule *r = dd_rule_find(names[i]);
		if (!r)
			r = dd_image_rule_find(names[i]);
		if (!r) {
			fprintf(stderr, "drydock explain: no rule '%s' (see 'drydock explain --all')\n", names[i]);
			return DD_EXIT_INPUT;
		}
		if (i)
			fputs(fmt == MD ? "\n" : "\n----\n\n", stdout);
		explain_one(stdout, r, fmt);
	}
	return DD_EXIT_OK;
}

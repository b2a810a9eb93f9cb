/* The manual page drydock.1, written from the command table, the option tables and the rule docs. */
#include "cmd.h"

#include "drydock/common.h"
#include "drydock/imagecheck.h"
#include "drydock/report.h"
#include "drydock/rule.h"

#include <stdbool.h>
#include <string.h>

/*
 * Write s as roff text. Backslashes become \e; non-ASCII characters
 * become \[uXXXX] (groff reads bytes, not UTF-8); a hyphen that starts an
 * option ("-q", "--format") is \- so that it copies as a minus; `code`
 * is bold; a line that would start with a control character is guarded
 * with \&. code: inside an example, every hyphen is \- and backticks stay.
 */
static void
put_roff(FILE *out, const char *s, size_t len, bool code)
{
	bool bold = false, bol = true;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (bol && (c == '.' || c == '\''))
			fputs("\\&", out);
		bol = c == '\n';
		if (c == '\\') {
			fputs("\\e", out);
		} else if (c == '-' && (code || i == 0 || strchr(" (/-[=,", s[i - 1]))) {
			fputs("\\-", out);
		} else if (c == '`' && !code) {
			fputs(bold ? "\\fR" : "\\fB", out);
			bold = !bold;
		} else if (c >= 0xC0) {
			/* decode one UTF-8 sequence (the rule docs are valid UTF-8) */
			unsigned cp = c >= 0xF0 ? c & 0x07 : c >= 0xE0 ? c & 0x0F : c & 0x1F;
			while (i + 1 < len && ((unsigned char)s[i + 1] & 0xC0) == 0x80)
				cp = (cp << 6) | ((unsigned char)s[++i] & 0x3F);
			fprintf(out, "\\[u%04X]", cp);
		} else if (c >= 0x80) {
			fputc('?', out); /* a stray continuation byte */
		} else {
			fputc(c, out);
		}
	}
	if (bold)
		fputs("\\fR", out);
}

static void
put_text(FILE *out, const char *s)
{
	put_roff(out, s, strlen(s), false);
}

/* A paragraph: text filled by roff, so one long line is enough. */
static void
put_para(FILE *out, const char *s)
{
	fputs(".PP\n", out);
	put_text(out, s);
	fputc('\n', out);
}

/* An example block: no filling, indented, every line kept. */
static void
put_example(FILE *out, const char *s)
{
	size_t len = strlen(s);

	while (len && s[len - 1] == '\n')
		len--;
	fputs(".PP\n.RS 4\n.nf\n", out);
	put_roff(out, s, len, true);
	fputs("\n.fi\n.RE\n", out);
}

/* One option as a tagged paragraph: "-f, --format FMT" then its help. */
static void
put_option(FILE *out, const dd_opt *o)
{
	fputs(".TP\n", out);
	if (o->short_name)
		fprintf(out, "\\fB\\-%c\\fR%s", o->short_name, o->name ? ", " : "");
	if (o->name) {
		fputs("\\fB\\-\\-", out);
		put_text(out, o->name);
		fputs("\\fR", out);
	}
	if (o->arg) {
		fputs(" \\fI", out);
		put_text(out, o->arg);
		fputs("\\fR", out);
	}
	fputc('\n', out);
	put_text(out, o->help);
	fputc('\n', out);
}

static void
put_synopsis(FILE *out)
{
	fputs(".SH SYNOPSIS\n", out);
	for (size_t i = 0; i < dd_ncommands; i++) {
		const dd_command *c = &dd_commands[i];
		fprintf(out, "%s\\fBdrydock %s\\fR ", i ? ".br\n" : "", c->name);
		put_text(out, c->synopsis);
		fputc('\n', out);
	}
	fputs(".br\n\\fBdrydock \\-\\-version\\fR | \\fB\\-\\-help\\fR\n", out);
}

static void
put_commands(FILE *out)
{
	fputs(".SH COMMANDS\n", out);
	/* one .SS per row of dd_commands (src/main.c): build and runtime join there */
	for (size_t i = 0; i < dd_ncommands; i++) {
		const dd_command *c = &dd_commands[i];
		fprintf(out, ".SS \"drydock %s ", c->name);
		put_text(out, c->synopsis);
		fputs("\"\n", out);
		put_text(out, c->description);
		fputc('\n', out);
	}
}

static void
put_options(FILE *out)
{
	fputs(".SH OPTIONS\n", out);
	put_para(out, "Options come before or after the arguments; `--` ends them. A value "
	    "follows its option as the next argument, or after `=` (--format=json), or "
	    "glued to a short option (-fjson).");
	for (size_t i = 0; i < dd_ncommands; i++) {
		const dd_command *c = &dd_commands[i];
		fprintf(out, ".SS \"drydock %s\"\n", c->name);
		for (const dd_opt *o = c->options; o->name || o->short_name; o++)
			put_option(out, o);
	}
}

static void
put_aliases(FILE *out, const dd_rule *r)
{
	fputs(".PP\nAlso known as: ", out);
	if (!r->aliases || !r->aliases[0])
		fputs("\\-", out);
	for (const char *const *a = r->aliases; a && *a; a++) {
		put_text(out, *a);
		fputs(a[1] ? ", " : "", out);
	}
	fputs(".\n", out);
}

static void
put_rules(FILE *out)
{
	fputs(".SH RULES\n", out);
	put_para(out, "Each rule has an id, a slug and a default severity (error, warning "
	    "or info); the configuration can change the severity or turn the rule off. "
	    "`drydock explain RULE` prints the same text.");
	/* the Dockerfile rules, then the checks `drydock build` runs on the image */
	for (size_t i = 0; i < dd_nrules + dd_nimage_rules; i++) {
		const dd_rule *r = i < dd_nrules ? &dd_rules[i] : &dd_image_rules[i - dd_nrules];
		const dd_rule_doc *d = r->doc;
		fprintf(out, ".SS \"%s %s (%s)\"\n", r->code, r->slug, dd_severity_name(r->severity));
		put_text(out, d->title);
		fputs(".\n", out);
		put_para(out, d->why);
		fputs(".PP\n\\fIHow to fix:\\fR ", out);
		put_text(out, d->fix);
		fputc('\n', out);
		put_aliases(out, r);
		fputs(".PP\nReported:\n", out);
		put_example(out, d->bad);
		fputs(".PP\nFixed:\n", out);
		put_example(out, d->good);
	}
}

static void
put_exit_status(FILE *out)
{
	static const char *const rows[][2] = {
		{ "0", "Nothing at or above the severity threshold (lint); done (fix, runtime); "
		       "built and clean (build)." },
		{ "1", "A finding at or above the threshold (lint; build, before building or on "
		       "the image), a failed scan (build --scan), or a file that would change "
		       "(fix --check)." },
		{ "2", "A usage or input error: a bad option, an unreadable or unparsable file, a "
		       "bad configuration. The message names file:line:col." },
		{ "3", "An internal or environment error: a failed write, a git failure; for "
		       "build, no engine or an engine that failed." },
	};

	fputs(".SH EXIT STATUS\n", out);
	for (size_t i = 0; i < DD_ARRAY_LEN(rows); i++) {
		fprintf(out, ".TP\n.B %s\n", rows[i][0]);
		put_text(out, rows[i][1]);
		fputc('\n', out);
	}
	put_para(out, "The threshold is --severity-threshold (info, warning, error or "
	    "none), else the configuration's `threshold`, else warning.");
}

static void
put_files(FILE *out)
{
	fputs(".SH FILES\n.TP\n.I .drydock.json\n", out);
	put_text(out, "The configuration, read from the Dockerfile's folder or the nearest "
	    "folder above it, or the file given with --config: `ignore` (rules to turn off), "
	    "`severity` (rule to severity), `trusted_registries`, `threshold`.");
	fputs("\n.TP\n.I .dockerignore\n", out);
	put_text(out, "Read from the build context as BuildKit reads it (DD204).");
	fputs("\n.TP\n.I templates/\n", out);
	put_text(out, "What drydock knows about base images, users and end-of-life releases "
	    "(JSON files). The first folder found of: $DRYDOCK_TEMPLATES; "
	    "../share/drydock/templates and templates/ beside the executable; "
	    "PREFIX/share/drydock/templates; the source tree's templates/.");
	fputc('\n', out);
}

static void
put_environment(FILE *out)
{
	static const char *const rows[][2] = {
		{ "NO_COLOR", "When set (to anything), text output has no colour unless "
		              "--color=always asks for it." },
		{ "DRYDOCK_TEMPLATES", "The templates folder to use instead of the installed one." },
		{ "GIT_CEILING_DIRECTORIES", "Where fix --commit stops looking for a repository, "
		                             "as git does." },
	};

	fputs(".SH ENVIRONMENT\n", out);
	for (size_t i = 0; i < DD_ARRAY_LEN(rows); i++) {
		fprintf(out, ".TP\n.B %s\n", rows[i][0]);
		put_text(out, rows[i][1]);
		fputc('\n', out);
	}
}

static void
put_examples(FILE *out)
{
	static const char *const rows[][2] = {
		{ "drydock lint", "Check ./Dockerfile." },
		{ "drydock lint -t error -f sarif . > drydock.sarif",
		  "Every Dockerfile under the current folder as SARIF, failing on errors only." },
		{ "drydock lint -f github .", "Annotations for a GitHub Actions log." },
		{ "drydock fix --diff Dockerfile", "What drydock fix would change." },
		{ "drydock fix -i --only DD101,DL3020 Dockerfile", "Fix two rules in place." },
		{ "drydock fix --commit -r && git push origin drydock/harden",
		  "Every Dockerfile of the repository fixed as one commit on a new branch." },
		{ "drydock build --fix -- -t app:1 .",
		  "Build the fixed Dockerfile (yours is untouched) and check the image." },
		{ "podman run $(drydock runtime) --rm app:1",
		  "Run it read-only, with every capability dropped, as its non-root user." },
		{ "drydock explain DL3002", "hadolint's DL3002 is drydock's DD101." },
	};

	fputs(".SH EXAMPLES\n", out);
	for (size_t i = 0; i < DD_ARRAY_LEN(rows); i++) {
		fputs(".TP\n.B ", out);
		put_roff(out, rows[i][0], strlen(rows[i][0]), true);
		fputc('\n', out);
		put_text(out, rows[i][1]);
		fputc('\n', out);
	}
}

void
dd_man_write(FILE *out, const char *version)
{
	fputs(".\\\" drydock(1). Generated by 'drydock explain --all --format man': edit\n"
	      ".\\\" src/manpage.c, the command table (src/main.c) or the rule docs instead.\n", out);
	fprintf(out, ".TH DRYDOCK 1 \"\" \"drydock %s\" \"User Commands\"\n", version);
	/* no hyphenation: option names and ids must copy as they are */
	fputs(".nh\n.ad l\n", out);
	fputs(".SH NAME\ndrydock \\- find and fix the security weaknesses of Dockerfiles\n", out);
	put_synopsis(out);
	fputs(".SH DESCRIPTION\n", out);
	put_text(out, "drydock tells you which line of a Dockerfile weakens the image it "
	    "builds, and rewrites that line with the smallest possible edit. It enforces "
	    "five controls: never run as root (a numeric USER uid:gid), a read-only root "
	    "filesystem and dropped capabilities at run time, a minimal base image, and no "
	    "secrets in the image (ENV, ARG, RUN, copied files or the build context).");
	fputc('\n', out);
	put_para(out, "Findings are silenced for one instruction by a comment on the line "
	    "before it, `# drydock ignore=DD101,DD303`; hadolint's `# hadolint ignore=DL3002` "
	    "is honoured through the rule aliases.");
	put_commands(out);
	put_options(out);
	put_rules(out);
	put_exit_status(out);
	put_files(out);
	put_environment(out);
	put_examples(out);
	fputs(".SH SEE ALSO\n\\fBhadolint\\fR(1), \\fBtrivy\\fR(1), \\fBdocker\\-build\\fR(1), "
	      "\\fBpodman\\-build\\fR(1), \\fBgit\\fR(1)\n", out);
}

/* The SARIF 2.1.0 report, shaped for GitHub code scanning: rules with help, fingerprints, category. */
#include "drydock/report.h"
#include "drydock/buf.h"
#include "drydock/rule.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define SARIF_SCHEMA \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json"
/*
 * The project's home (a placeholder until it has a public one), and the
 * rule docs: docs/rules.md is `drydock explain --format md` of every rule
 * (a test keeps it current), one "## DD101 root-user" heading each, whose
 * GitHub anchor is "#dd101-root-user".
 */
#define DD_HOME "https://github.com/drydock-dev/drydock"
#define DD_RULE_DOC DD_HOME "/blob/main/docs/rules.md#"

static json_t *
text_json(const char *text)
{
	json_t *o = json_object();
	json_object_set_new(o, "text", dd_report_json_string(text));
	return o;
}

static const char *
level(dd_severity s)
{
	return s == DD_SEV_ERROR ? "error" : s == DD_SEV_WARNING ? "warning" : "note";
}

/* GitHub maps a score to critical/high/medium/low: high, medium and low here. */
static const char *
security_severity(dd_severity s)
{
	return s == DD_SEV_ERROR ? "8.0" : s == DD_SEV_WARNING ? "5.0" : "2.0";
}

/* The family of a rule, from its hundred (SPEC §3). */
static const char *
rule_family(const dd_rule *rule)
{
	static const char *const families[] = { "user", "secrets", "base-image", "runtime",
		"supply-chain" };
	unsigned h = rule->id / 100;
	return h >= 1 && h <= DD_ARRAY_LEN(families) ? families[h - 1] : "misc";
}

/* "root-user" → "RootUser": SARIF's friendly rule name is one PascalCase word. */
static char *
pascal_case(const char *slug)
{
	dd_buf b = DD_BUF_INIT;
	bool up = true;

	for (const char *p = slug; *p; p++) {
		if (*p == '-' || *p == '_') {
			up = true;
			continue;
		}
		dd_buf_putc(&b, up && *p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
		up = false;
	}
	return dd_buf_detach(&b, NULL);
}

/* Plain text into Markdown: backslash the characters that would format. */
static void
put_md_escaped(dd_buf *b, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\`*_[]<>#|~", *s))
			dd_buf_putc(b, '\\');
		dd_buf_putc(b, *s);
	}
}

/* s without its trailing line ends: examples end with one, the layout adds its own. */
static size_t
trimmed_len(const char *s)
{
	size_t len = strlen(s);
	while (len && s[len - 1] == '\n')
		len--;
	return len;
}

/* A fenced Dockerfile block whose fence is longer than any backtick run inside. */
static void
put_md_code(dd_buf *b, const char *label, const char *code)
{
	size_t run = 0, longest = 0;

	for (const char *p = code; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	size_t fence = longest < 3 ? 3 : longest + 1;
	size_t len = trimmed_len(code);
	dd_buf_printf(b, "\n\n%s:\n\n", label);
	for (size_t i = 0; i < fence; i++)
		dd_buf_putc(b, '`');
	dd_buf_puts(b, "dockerfile\n");
	dd_buf_put(b, code, len);
	dd_buf_putc(b, '\n');
	for (size_t i = 0; i < fence; i++)
		dd_buf_putc(b, '`');
}

/* help {text, markdown}: why, the fix, and the bad and good examples. */
static json_t *
help_json(const dd_rule_doc *d)
{
	dd_buf text = DD_BUF_INIT, md = DD_BUF_INIT;

	dd_buf_puts(&text, d->why ? d->why : d->title ? d->title : "");
	put_md_escaped(&md, d->why ? d->why : d->title ? d->title : "");
	if (d->fix) {
		dd_buf_printf(&text, "\n\nFix: %s", d->fix);
		dd_buf_puts(&md, "\n\n**Fix:** ");
		put_md_escaped(&md, d->fix);
	}
	if (d->bad) {
		dd_buf_printf(&text, "\n\nBad:\n%.*s", (int)trimmed_len(d->bad), d->bad);
		put_md_code(&md, "Bad", d->bad);
	}
	if (d->good) {
		dd_buf_printf(&text, "\n\nGood:\n%.*s", (int)trimmed_len(d->good), d->good);
		put_md_code(&md, "Good", d->good);
	}
	json_t *o = json_object();
	json_object_set_new(o, "text", dd_report_json_string(text.ptr ? text.ptr : ""));
	json_object_set_new(o, "markdown", dd_report_json_string(md.ptr ? md.ptr : ""));
	dd_buf_free(&text);
	dd_buf_free(&md);
	return o;
}

static json_t *
rule_properties(const dd_rule *rule)
{
	json_t *o = json_object();
	json_t *tags = json_array();

	json_array_append_new(tags, json_string("security"));
	json_array_append_new(tags, json_string("dockerfile"));
	json_array_append_new(tags, json_string(rule_family(rule)));
	json_object_set_new(o, "tags", tags);
	json_object_set_new(o, "precision", json_string("high"));
	json_object_set_new(o, "security-severity", json_string(security_severity(rule->severity)));
	return o;
}

static json_t *
rule_json(const dd_rule *rule)
{
	json_t *o = json_object();
	char *name = pascal_case(rule->slug);

	json_object_set_new(o, "id", json_string(rule->code));
	json_object_set_new(o, "name", dd_report_json_string(name));
	free(name);
	if (rule->doc && rule->doc->title)
		json_object_set_new(o, "shortDescription", text_json(rule->doc->title));
	if (rule->doc && rule->doc->why)
		json_object_set_new(o, "fullDescription", text_json(rule->doc->why));
	if (rule->doc)
		json_object_set_new(o, "help", help_json(rule->doc));
	dd_buf uri = DD_BUF_INIT;
	/* the GitHub anchor of "## DD101 root-user": lower case, blank → '-' */
	dd_buf_puts(&uri, DD_RULE_DOC);
	for (const char *c = rule->code; *c; c++)
		dd_buf_putc(&uri, *c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
	dd_buf_printf(&uri, "-%s", rule->slug);
	json_object_set_new(o, "helpUri", json_string(uri.ptr));
	dd_buf_free(&uri);
	json_t *conf = json_object();
	json_object_set_new(conf, "level", json_string(level(rule->severity)));
	json_object_set_new(o, "defaultConfiguration", conf);
	json_object_set_new(o, "properties", rule_properties(rule));
	return o;
}

/* ---- locations ----------------------------------------------------------- */

/* Percent-encode what a URI path cannot hold (':' too: "a:b" would read as a scheme). */
static void
put_uri_path(dd_buf *b, const char *path)
{
	static const char keep[] = "-._~!$&'()*+,;=@/";

	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(keep, *p))
			dd_buf_putc(b, *p);
		else
			dd_buf_printf(b, "%%%02X", *p);
	}
}

/* Absolute: a file URI; relative: relative to %SRCROOT%, the repository root on GitHub. */
static json_t *
artifact_json(const char *path)
{
	json_t *o = json_object();
	dd_buf uri = DD_BUF_INIT;
	bool absolute = path[0] == '/';

	if (absolute)
		dd_buf_puts(&uri, "file://");
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	put_uri_path(&uri, path);
	json_object_set_new(o, "uri", json_string(uri.ptr ? uri.ptr : ""));
	if (!absolute)
		json_object_set_new(o, "uriBaseId", json_string("%SRCROOT%"));
	dd_buf_free(&uri);
	return o;
}

/*
 * A byte column as SARIF's default column kind counts: UTF-16 code units
 * from the start of the line, the byte-order mark not included.
 */
static uint32_t
utf16_column(const dd_source *src, uint32_t line, uint32_t col)
{
	const char *text;
	size_t len, units = 0;

	if (!src || col == 0)
		return col;
	dd_source_line(src, line, &text, &len);
	size_t i = line == 1 && src->bom && len >= 3 ? 3 : 0;
	for (; i + 1 < col; i++) {
		unsigned char c = i < len ? (unsigned char)text[i] : 'x';
		if ((c & 0xC0) == 0x80)
			continue; /* continuation byte */
		units += c >= 0xF0 ? 2 : 1; /* 4-byte sequences are surrogate pairs */
	}
	return (uint32_t)units + 1;
}

static json_t *
region_json(const dd_source *src, const dd_span *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "startLine", json_integer(s->line));
	json_object_set_new(o, "startColumn", json_integer(utf16_column(src, s->line, s->col)));
	if (s->end_line >= s->line && s->end_col >= 1) {
		json_object_set_new(o, "endLine", json_integer(s->end_line));
		json_object_set_new(o, "endColumn",
		    json_integer(utf16_column(src, s->end_line, s->end_col)));
	}
	return o;
}

/* [{"physicalLocation": {artifactLocation, region}}]; no region without a line. */
static json_t *
locations_json(const dd_file_result *f, const dd_span *s)
{
	json_t *phys = json_object();
	json_t *loc = json_object();
	json_t *a = json_array();

	json_object_set_new(phys, "artifactLocation", artifact_json(f->path));
	if (s && s->line)
		json_object_set_new(phys, "region", region_json(f->src, s));
	json_object_set_new(loc, "physicalLocation", phys);
	json_array_append_new(a, loc);
	return a;
}

/* ---- results and the run -------------------------------------------------- */

/* The rules tool.driver.rules[] describes. */
static const dd_rule *
rules_of(const dd_report_opts *o, size_t *n)
{
	*n = o->rules ? o->nrules : dd_nrules;
	return o->rules ? o->rules : dd_rules;
}

/* The index of rule in the described rules, or -1 (then no ruleIndex). */
static long
rule_index(const dd_report_opts *o, const dd_rule *rule)
{
	size_t n;
	const dd_rule *rules = rules_of(o, &n);

	for (size_t i = 0; rule && i < n; i++)
		if (&rules[i] == rule || strcmp(rules[i].code, rule->code) == 0)
			return (long)i;
	return -1;
}

static json_t *
result_json(const dd_file_result *f, size_t i, const dd_report_opts *o)
{
	const dd_finding *fd = &f->findings.v[i];
	json_t *r = json_object();
	long idx = rule_index(o, fd->rule);
	char hex[17], fp[48];

	json_object_set_new(r, "ruleId", json_string(fd->rule ? fd->rule->code : "DD000"));
	if (idx >= 0)
		json_object_set_new(r, "ruleIndex", json_integer(idx));
	json_object_set_new(r, "level", json_string(level(fd->severity)));
	json_object_set_new(r, "message", text_json(fd->message ? fd->message : ""));
	json_object_set_new(r, "locations", locations_json(f, &fd->span));
	/* CodeQL's shape, "<hash>:<n>": the n-th finding of this rule on such a line */
	dd_report_fingerprint(hex, f, i, false);
	snprintf(fp, sizeof(fp), "%s:%zu", hex, dd_report_occurrence(f, i) + 1);
	json_t *pf = json_object();
	json_object_set_new(pf, "primaryLocationLineHash", json_string(fp));
	json_object_set_new(r, "partialFingerprints", pf);
	return r;
}

/* A file that could not be read or parsed: an error notification at its place. */
static json_t *
notification_json(const dd_file_result *f)
{
	json_t *n = json_object();
	dd_span s = { 0, 0, 0, 0, 0, 0 };

	if (dd_report_error_position(f, &s.line, &s.col)) {
		s.end_line = s.line;
		s.end_col = 0; /* no end: the position only */
	}
	json_object_set_new(n, "level", json_string("error"));
	json_object_set_new(n, "message", text_json(f->error));
	json_object_set_new(n, "locations", locations_json(f, &s));
	return n;
}

static json_t *
invocation_json(const dd_results *r)
{
	json_t *inv = json_object();
	json_t *notes = json_array();

	for (size_t i = 0; i < r->nfiles; i++)
		if (r->files[i].error)
			json_array_append_new(notes, notification_json(&r->files[i]));
	/* an unreadable input fails the run (exit 2), so the invocation failed */
	json_object_set_new(inv, "executionSuccessful", json_boolean(json_array_size(notes) == 0));
	if (json_array_size(notes))
		json_object_set_new(inv, "toolExecutionNotifications", notes);
	else
		json_decref(notes);
	json_t *a = json_array();
	json_array_append_new(a, inv);
	return a;
}

static json_t *
driver_json(const dd_report_opts *o)
{
	json_t *d = json_object();
	json_t *rules = json_array();
	size_t n;
	const dd_rule *table = rules_of(o, &n);

	json_object_set_new(d, "name", json_string("drydock"));
	if (o->version)
		json_object_set_new(d, "version", dd_report_json_string(o->version));
	json_object_set_new(d, "informationUri", json_string(DD_HOME));
	for (size_t i = 0; i < n; i++)
		json_array_append_new(rules, rule_json(&table[i]));
	json_object_set_new(d, "rules", rules);
	return d;
}

static json_t *
run_json(const dd_results *r, const dd_report_opts *o)
{
	json_t *run = json_object();
	json_t *tool = json_object();
	json_t *auto_id = json_object();
	json_t *results = json_array();
	dd_buf id = DD_BUF_INIT;

	json_object_set_new(tool, "driver", driver_json(o));
	json_object_set_new(run, "tool", tool);
	/* GitHub reads the category as everything before the last '/' */
	dd_buf_printf(&id, "%s/", o->sarif_category ? o->sarif_category : "drydock");
	json_object_set_new(auto_id, "id", dd_report_json_string(id.ptr));
	dd_buf_free(&id);
	json_object_set_new(run, "automationDetails", auto_id);
	json_object_set_new(run, "invocations", invocation_json(r));
	json_object_set_new(run, "columnKind", json_string("utf16CodeUnits"));
	for (size_t i = 0; i < r->nfiles; i++)
		for (size_t j = 0; j < r->files[i].findings.n; j++)
			json_array_append_new(results, result_json(&r->files[i], j, o));
	json_object_set_new(run, "results", results);
	return run;
}

int
dd_report_sarif(FILE *out, const dd_results *r, const dd_report_opts *o)
{
	json_t *root = json_object();
	json_t *runs = json_array();

	json_object_set_new(root, "$schema", json_string(SARIF_SCHEMA));
	json_object_set_new(root, "version", json_string("2.1.0"));
	json_array_append_new(runs, run_json(r, o));
	json_object_set_new(root, "runs", runs);
	if (json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0)
		fputc('\n', out);
	json_decref(root);
	return DD_OK; /* a failed write shows in ferror(out) */
}

/* The JSON report of SPEC §5 (jansson): files, each with its findings or its error. */
#include "drydock/report.h"
#include "drydock/rule.h"

#include <jansson.h>
#include <stdlib.h>

/* Aliases keep their tool prefix ("hadolint:DL3002"): "DS-0002" alone does not say whose. */
static json_t *
aliases_json(const dd_rule *rule)
{
	json_t *a = json_array();

	if (rule && rule->aliases)
		for (const char *const *p = rule->aliases; *p; p++)
			json_array_append_new(a, dd_report_json_string(*p));
	return a;
}

static json_t *
finding_json(const dd_finding *fd)
{
	json_t *o = json_object();

	json_object_set_new(o, "rule", json_string(fd->rule ? fd->rule->code : ""));
	json_object_set_new(o, "slug", json_string(fd->rule ? fd->rule->slug : ""));
	json_object_set_new(o, "severity", json_string(dd_severity_name(fd->severity)));
	json_object_set_new(o, "message", dd_report_json_string(fd->message ? fd->message : ""));
	json_object_set_new(o, "line", json_integer(fd->span.line));
	json_object_set_new(o, "column", json_integer(fd->span.col));
	json_object_set_new(o, "end_line", json_integer(fd->span.end_line));
	json_object_set_new(o, "end_column", json_integer(fd->span.end_col));
	json_object_set_new(o, "stage", fd->stage < 0 ? json_null() : json_integer(fd->stage));
	json_object_set_new(o, "fixable", json_boolean(fd->fixable));
	json_object_set_new(o, "aliases", aliases_json(fd->rule));
	return o;
}

static json_t *
file_json(const dd_file_result *f)
{
	json_t *o = json_object();
	json_t *findings = json_array();

	json_object_set_new(o, "path", dd_report_json_string(f->path));
	for (size_t i = 0; i < f->findings.n; i++)
		json_array_append_new(findings, finding_json(&f->findings.v[i]));
	json_object_set_new(o, "findings", findings);
	if (f->error)
		json_object_set_new(o, "error", dd_report_json_string(f->error));
	return o;
}

int
dd_report_json(FILE *out, const dd_results *r, const dd_report_opts *o)
{
	json_t *root = json_object();
	json_t *files = json_array();

	(void)o;
	json_object_set_new(root, "version", json_integer(1));
	for (size_t i = 0; i < r->nfiles; i++)
		json_array_append_new(files, file_json(&r->files[i]));
	json_object_set_new(root, "files", files);
	int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (rc == 0)
		fputc('\n', out);
	return DD_OK; /* a failed write shows in ferror(out) */
}

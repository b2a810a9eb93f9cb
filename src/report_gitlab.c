/* The GitLab Code Quality report: a JSON array of Code Climate issues. */
#include "drydock/report.h"
#include "drydock/buf.h"
#include "drydock/rule.h"

#include <jansson.h>
#include <string.h>

/* GitLab's scale: info, minor, major, critical, blocker. */
static const char *
severity(dd_severity s)
{
	return s == DD_SEV_ERROR ? "critical" : s == DD_SEV_WARNING ? "minor" : "info";
}

/* Relative to the repository root, as GitLab matches it against the diff. */
static const char *
repo_path(const char *path)
{
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	return path;
}

static json_t *
issue_json(const char *description, const char *check, const char *fingerprint,
    const char *sev, const char *path, uint32_t line)
{
	json_t *o = json_object();
	json_t *loc = json_object();
	json_t *lines = json_object();
	json_t *cats = json_array();

	json_object_set_new(o, "type", json_string("issue"));
	json_object_set_new(o, "description", dd_report_json_string(description));
	json_object_set_new(o, "check_name", dd_report_json_string(check));
	json_object_set_new(o, "fingerprint", json_string(fingerprint));
	json_object_set_new(o, "severity", json_string(sev));
	json_array_append_new(cats, json_string("Security"));
	json_object_set_new(o, "categories", cats);
	json_object_set_new(loc, "path", dd_report_json_string(repo_path(path)));
	/* lines start at 1; a finding about the whole file points there */
	json_object_set_new(lines, "begin", json_integer(line ? line : 1));
	json_object_set_new(loc, "lines", lines);
	json_object_set_new(o, "location", loc);
	json_object_set_new(o, "engine_name", json_string("drydock"));
	return o;
}

/* "DD101 root-user: message": the widget shows only the description. */
static json_t *
finding_issue(const dd_file_result *f, size_t i)
{
	const dd_finding *fd = &f->findings.v[i];
	const char *code = fd->rule ? fd->rule->code : "DD000";
	dd_buf desc = DD_BUF_INIT;
	char fp[17];

	dd_buf_printf(&desc, "%s %s: %s", code, fd->rule ? fd->rule->slug : "unknown",
	    fd->message ? fd->message : "");
	dd_report_fingerprint(fp, f, i, true);
	json_t *o = issue_json(desc.ptr, code, fp, severity(fd->severity), f->path,
	    fd->span.line);
	dd_buf_free(&desc);
	return o;
}

/* A file that could not be read or parsed is an issue too: nothing in it was checked. */
static json_t *
error_issue(const dd_file_result *f)
{
	uint32_t line = 1, col = 1;
	char fp[17];
	/* fingerprint as a finding of no rule on the error's line */
	dd_finding pseudo = { 0 };
	dd_file_result one = *f;

	dd_report_error_position(f, &line, &col);
	pseudo.span.line = line;
	one.findings.v = &pseudo;
	one.findings.n = 1;
	dd_report_fingerprint(fp, &one, 0, true);
	return issue_json(f->error, "input-error", fp, "critical", f->path, line);
}

int
dd_report_gitlab(FILE *out, const dd_results *r, const dd_report_opts *o)
{
	json_t *issues = json_array();

	(void)o;
	for (size_t i = 0; i < r->nfiles; i++) {
		const dd_file_result *f = &r->files[i];
		if (f->error)
			json_array_append_new(issues, error_issue(f));
		for (size_t j = 0; j < f->findings.n; j++)
			json_array_append_new(issues, finding_issue(f, j));
	}
	if (json_dumpf(issues, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0)
		fputc('\n', out);
	json_decref(issues);
	return DD_OK; /* a failed write shows in ferror(out) */
}

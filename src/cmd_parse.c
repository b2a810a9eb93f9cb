/* `drydock parse`: check that Dockerfiles parse, print their AST. */
#include "cmd.h"
#include "opt.h"

#include "drydock/ast.h"
#include "drydock/buf.h"
#include "drydock/dump.h"
#include "drydock/error.h"
#include "drydock/source.h"

#include <stdio.h>
#include <string.h>

enum { OPT_FORMAT = 1, OPT_JSON, OPT_QUIET, OPT_HELP };

const dd_opt cmd_parse_options[] = {
	{ "format", 'f', "FMT", OPT_FORMAT, "summary (default), json, or buildkit (BuildKit's AST dump)" },
	{ "json", 0, NULL, OPT_JSON, "same as --format json" },
	{ "quiet", 'q', NULL, OPT_QUIET, "no summary on success (errors still go to stderr)" },
	{ "help", 'h', NULL, OPT_HELP, "show this help" },
	{ NULL, 0, NULL, 0, NULL },
};

const char *const cmd_parse_formats[] = { "summary", "json", "buildkit", NULL };

static void
usage(FILE *out)
{
	fputs("usage: drydock parse [OPTIONS] FILE...\n"
	      "\n"
	      "Parse Dockerfiles exactly as BuildKit (docker build) does. Exit status 0\n"
	      "when every file parses, 2 when one does not (the message names\n"
	      "file:line:col). FILE '-' reads standard input.\n"
	      "\n"
	      "Options:\n", out);
	dd_opt_print(out, cmd_parse_options);
	fputs("\nExamples:\n"
	      "  drydock parse Dockerfile\n"
	      "  drydock parse --json Dockerfile | jq '.stages'\n"
	      "  drydock parse --format buildkit - < Dockerfile\n", out);
}

enum format { SUMMARY, JSON, BUILDKIT };

static int
parse_one(const char *path, enum format fmt, bool quiet, dd_buf *out)
{
	dd_source *src = NULL;
	dd_doc *doc = NULL;
	int rc = dd_source_read(&src, path);
	if (rc == DD_OK)
		rc = dd_doc_parse(&doc, src, NULL);
	if (rc < 0) {
		dd_cmd_print_error();
		dd_source_free(src);
		return rc;
	}
	if (fmt == BUILDKIT)
		dd_dump_buildkit(out, doc);
	else if (fmt == JSON)
		dd_dump_json(out, doc);
	else if (!quiet)
		dd_buf_printf(out, "%s: ok (%zu instruction%s, %zu stage%s)\n", path,
		    doc->ninstrs, doc->ninstrs == 1 ? "" : "s",
		    doc->nstages, doc->nstages == 1 ? "" : "s");
	dd_doc_free(doc);
	dd_source_free(src);
	return DD_OK;
}

int
cmd_parse(int argc, char **argv)
{
	dd_optparser p;
	enum format fmt = SUMMARY;
	bool quiet = false;
	const char *files[argc > 0 ? argc : 1];
	int nfiles = 0, id;
	dd_opt_init(&p, argc, argv);
	while ((id = dd_opt_next(&p, cmd_parse_options)) != -1) {
		switch (id) {
		case 0:
			files[nfiles++] = p.value;
			break;
		case OPT_FORMAT:
			if (strcmp(p.value, "json") == 0)
				fmt = JSON;
			else if (strcmp(p.value, "buildkit") == 0)
				fmt = BUILDKIT;
			else if (strcmp(p.value, "summary") == 0 || strcmp(p.value, "text") == 0)
				fmt = SUMMARY;
			else {
				dd_error_set(DD_EUSAGE, "unknown format '%s' (summary, json, buildkit)", p.value);
				return dd_cmd_usage_error("parse");
			}
			break;
		case OPT_JSON:
			fmt = JSON;
			break;
		case OPT_QUIET:
			quiet = true;
			break;
		case OPT_HELP:
			usage(stdout);
			return DD_EXIT_OK;
		default:
			return dd_cmd_usage_error("parse");
		}
	}
	if (nfiles == 0) {
		dd_error_set(DD_EUSAGE, "no file given");
		return dd_cmd_usage_error("parse");
	}
	int worst = DD_EXIT_OK;
	/* several files in JSON: one array, so the output stays one document */
	bool array = fmt == JSON && nfiles > 1;
	bool first = true;
	if (array)
		fputs("[\n", stdout);
	for (int i = 0; i < nfiles; i++) {
		dd_buf out = DD_BUF_INIT;
		int rc = parse_one(files[i], fmt, quiet, &out);
		if (out.len) {
			if (array && !first)
				fputs(",\n", stdout);
			first = false;
			if (array && out.ptr[out.len - 1] == '\n')
				out.len--;
			fwrite(out.ptr, 1, out.len, stdout);
		}
		dd_buf_free(&out);
		int status = dd_cmd_exit_for(rc);
		if (status > worst)
			worst = status;
	}
	if (array)
		fputs("\n]\n", stdout);
	return worst;
}

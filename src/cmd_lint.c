/* `drydock lint`: find the weaknesses of Dockerfiles and report them. */
#include "cmd.h"
#include "opt.h"

#include "drydock/alloc.h"
#include "drydock/ast.h"
#include "drydock/buf.h"
#include "drydock/config.h"
#include "drydock/error.h"
#include "drydock/knowledge.h"
#include "drydock/lint.h"
#include "drydock/report.h"
#include "drydock/source.h"

#include "lintrun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	OPT_FORMAT = 1, OPT_THRESHOLD, OPT_TARGET, OPT_BUILD_ARG, OPT_CONTEXT, OPT_NO_CONTEXT,
	OPT_CONFIG, OPT_COLOR, OPT_NO_COLOR, OPT_QUIET, OPT_VERBOSE, OPT_JOBS, OPT_CATEGORY, OPT_HELP
};

const dd_opt cmd_lint_options[] = {
	{ "format", 'f', "FMT", OPT_FORMAT, "text (default), json, sarif, checkstyle, gitlab, github (Actions annotations)" },
	{ "severity-threshold", 't', "SEV", OPT_THRESHOLD,
	  "exit 1 when a finding is at or above SEV: info, warning (default), error, none" },
	{ "target", 0, "STAGE", OPT_TARGET, "check STAGE as the final stage (like docker build --target)" },
	{ "build-arg", 0, "NAME=VALUE", OPT_BUILD_ARG, "a build argument, as docker build takes it (repeatable)" },
	{ "context", 0, "DIR", OPT_CONTEXT, "the build context (default: the Dockerfile's folder)" },
	{ "no-context", 0, NULL, OPT_NO_CONTEXT, "do not read the build context (no DD204)" },
	{ "config", 'c', "FILE", OPT_CONFIG, "configuration file (default: .drydock.json found upwards)" },
	{ "color", 0, "WHEN", OPT_COLOR, "auto (default), always, never; NO_COLOR is honoured" },
	{ "no-color", 0, NULL, OPT_NO_COLOR, "same as --color=never" },
	{ "quiet", 'q', NULL, OPT_QUIET, "findings only: no source lines, no summary" },
	{ "verbose", 'v', NULL, OPT_VERBOSE, "also each rule's title and aliases" },
	{ "jobs", 'j', "N", OPT_JOBS, "files checked in parallel (default: the number of cores)" },
	{ "category", 0, "NAME", OPT_CATEGORY,
	  "sarif: the code scanning category, one per upload of a commit (default drydock)" },
	{ "help", 'h', NULL, OPT_HELP, "show this help" },
	{ NULL, 0, NULL, 0, NULL },
};

static void
usage(FILE *out)
{
	fputs("usage: drydock lint [OPTIONS] [PATH...]\n"
	      "\n"
	      "Report the security weaknesses of Dockerfiles (rules DD101-DD503; see\n"
	      "'drydock explain --all'). PATH is a Dockerfile or a folder, searched for\n"
	      "Dockerfile, Containerfile, *.Dockerfile and Dockerfile.*; default\n"
	      "./Dockerfile; '-' reads standard input.\n"
	      "\n"
	      "Exit status: 0 nothing at or above the threshold, 1 findings at or above\n"
	      "it, 2 a usage or input error, 3 an internal error.\n"
	      "\n"
	      "Options:\n", out);
	dd_opt_print(out, cmd_lint_options);
	fputs("\nExamples:\n"
	      "  drydock lint\n"
	      "  drydock lint -f sarif . > drydock.sarif\n"
	      "  drydock lint -f github -t error .        (annotations in GitHub Actions)\n"
	      "  drydock lint --target runtime --build-arg BASE=alpine:3.20 Dockerfile\n"
	      "\nSilence a finding with '# drydock ignore=DD101' (or hadolint's\n"
	      "'# hadolint ignore=DL3002') on the line before the instruction.\n", out);
}

static int
parse_options(int argc, char **argv, dd_lint_run *run)
{
	dd_optparser p;
	int id;
	dd_opt_init(&p, argc, argv);
	while ((id = dd_opt_next(&p, cmd_lint_options)) != -1) {
		switch (id) {
		case 0:
			dd_lint_run_add_path(run, p.value);
			break;
		case OPT_FORMAT:
			run->format = p.value;
			break;
		case OPT_THRESHOLD:
			run->threshold = dd_severity_parse(p.value);
			if (run->threshold < 0)
				return dd_error_set(DD_EUSAGE, "unknown severity '%s' (info, warning, error, none)", p.value);
			break;
		case OPT_TARGET:
			run->lint.target = p.value;
			break;
		case OPT_BUILD_ARG:
			if (dd_lint_run_add_build_arg(run, p.value) < 0)
				return DD_EUSAGE;
			break;
		case OPT_CONTEXT:
			run->lint.context_dir = p.value;
			break;
		case OPT_NO_CONTEXT:
			run->lint.no_context = true;
			break;
		case OPT_CONFIG:
			run->config_path = p.value;
			break;
		case OPT_COLOR:
			if (strcmp(p.value, "always") == 0)
				run->color = 1;
			else if (strcmp(p.value, "never") == 0)
				run->color = 0;
			else if (strcmp(p.value, "auto") == 0)
				run->color = -1;
			else
				return dd_error_set(DD_EUSAGE, "--color takes auto, always or never");
			break;
		case OPT_NO_COLOR:
			run->color = 0;
			break;
		case OPT_QUIET:
			run->report.quiet = true;
			break;
		case OPT_VERBOSE:
			run->report.verbose = true;
			break;
		case OPT_JOBS:
			run->jobs = atoi(p.value);
			if (run->jobs < 1 || run->jobs > 256)
				return dd_error_set(DD_EUSAGE, "--jobs takes a number from 1 to 256");
			break;
		case OPT_CATEGORY:
			run->report.sarif_category = p.value;
			break;
		case OPT_HELP:
			return 1;
		default:
			return id;
		}
	}
	return DD_OK;
}

int
cmd_lint(int argc, char **argv)
{
	dd_lint_run run;
	dd_lint_run_init(&run);
	int rc = parse_options(argc, argv, &run);
	if (rc == 1) {
		usage(stdout);
		dd_lint_run_free(&run);
		return DD_EXIT_OK;
	}
	if (rc < 0) {
		dd_lint_run_free(&run);
		return dd_cmd_usage_error("lint");
	}
	int status = dd_lint_run_exec(&run, stdout);
	dd_lint_run_free(&run);
	return status;
}

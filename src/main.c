/* drydock: the command table; everything else lives in the cmd_*.c files. */
#include "cmd.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#ifndef DD_VERSION
#define DD_VERSION "0.1.0"
#endif

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *summary;
} commands[] = {
	{ "lint", cmd_lint, "report the security weaknesses of Dockerfiles" },
	{ "fix", cmd_fix, "write the hardened Dockerfile: minimal edits that fix the findings" },
	{ "build", cmd_build, "lint gate, optional fix, docker/podman/buildah build, image checks" },
	{ "runtime", cmd_runtime, "docker run flags, Compose or Kubernetes settings that harden the container" },
	{ "explain", cmd_explain, "explain a rule: what, why, how the fix works" },
	{ "parse", cmd_parse, "check that Dockerfiles parse as BuildKit parses them; print the AST" },
};

static void
usage(FILE *out)
{
	fputs("usage: drydock COMMAND [OPTIONS] [ARGS]\n\n"
	      "Find and fix the security weaknesses of Dockerfiles.\n\nCommands:\n", out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\nRun 'drydock COMMAND --help' for a command's options.\n", out);
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return DD_EXIT_INPUT;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return DD_EXIT_OK;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
		printf("drydock %s\n", DD_VERSION);
		return DD_EXIT_OK;
	}
	int rc = DD_EXIT_INPUT;
	bool found = false;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(cmd, commands[i].name) == 0) {
			rc = commands[i].fn(argc - 1, argv + 1);
			found = true;
			break;
		}
	}
	if (!found) {
		fprintf(stderr, "drydock: unknown command '%s'\nRun 'drydock --help' for the list.\n", cmd);
		return DD_EXIT_INPUT;
	}
	/* a failed write to stdout (full disk, closed pipe) is an error too */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "drydock: cannot write the output\n");
		return DD_EXIT_INTERNAL;
	}
	return rc;
}

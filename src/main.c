/* drydock: the command table; everything else lives in the cmd_*.c files. */
#include "cmd.h"

#include "drydock/error.h"
#include "drydock/knowledge.h"
#include "drydock/report.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#ifndef DD_VERSION
#define DD_VERSION "0.1.0"
#endif

const char dd_version[] = DD_VERSION;

static const char *const no_formats[] = { NULL };

/*
 * One row per command. `drydock --help`, the manual page and the shell
 * completions are made from these rows.
 */
const dd_command dd_commands[] = {
	{ "lint", cmd_lint, "report the security weaknesses of Dockerfiles",
	  "[OPTIONS] [PATH...]", cmd_lint_options, dd_report_formats, "files",
	  "Reports the security weaknesses of each Dockerfile: one line per finding, "
	  "`file:line:col: severity DDnnn slug: message`, the source line with a caret "
	  "under the spot, and a summary line (files, findings by severity, how many "
	  "`drydock fix` can repair, time). PATH is a file, `-` for standard input, or "
	  "a folder searched for Dockerfile, Containerfile, *.Dockerfile and "
	  "Dockerfile.*; the default is ./Dockerfile. Colour is used on a terminal "
	  "only. When a batch runs longer than a second on a terminal, a progress line "
	  "is kept up to date on standard error." },
	{ "fix", cmd_fix, "write the hardened Dockerfile: minimal edits that fix the findings",
	  "[OPTIONS] [PATH...]", cmd_fix_options, cmd_fix_formats, "files",
	  "Writes the hardened Dockerfile: each fixable finding of `drydock lint` is "
	  "repaired with the smallest edit over the original bytes, and every byte "
	  "outside the edits (comments, continuations, heredocs, CRLF) is kept. The "
	  "result goes to standard output, or as a diff (--diff), or back into the "
	  "files (-i), or as a git commit on a new branch (--commit) or a "
	  "format-patch mbox (--patch FILE). What each fix did, and what is left to do "
	  "by hand, goes to standard error." },
	{ "build", cmd_build, "lint gate, optional fix, docker/podman/buildah build, image checks",
	  "[OPTIONS] -- ENGINE-ARGS...", cmd_build_options, no_formats, "files",
	  "Lints the Dockerfile the engine would build (found from -f and the context "
	  "in ENGINE-ARGS, as the engine finds it) and refuses to build at the "
	  "threshold (error by default); with --fix, builds the fixed Dockerfile, a "
	  "temporary file, instead. Then runs the engine's build with ENGINE-ARGS "
	  "(docker build, podman build or buildah bud, never through a shell) and "
	  "checks the image it made: DD601 a root user, DD602 a secret in its "
	  "environment, DD603 a secret in its history; --scan runs Trivy on it when "
	  "it is installed. Exit status 1 for findings, 3 when the engine failed." },
	{ "runtime", cmd_runtime, "docker run flags, Compose or Kubernetes settings that harden the container",
	  "[OPTIONS] [PATH]", cmd_runtime_options, cmd_runtime_formats, "files",
	  "Prints the run-time half of the hardening, which a Dockerfile cannot say, "
	  "for the image PATH builds: a read-only root filesystem with a tmpfs for "
	  "/tmp, the VOLUMEs and the --writable paths; every capability dropped "
	  "(NET_BIND_SERVICE added back when a port below 1024 is exposed); no new "
	  "privileges; the final stage's user as uid:gid. As docker run flags, a "
	  "Compose service or a Kubernetes securityContext, from "
	  "templates/runtime/FORMAT.tmpl." },
	{ "explain", cmd_explain, "explain a rule: what, why, how the fix works",
	  "[OPTIONS] RULE...", cmd_explain_options, cmd_explain_formats, "rules",
	  "Explains rules: what each finds, why it matters, how `drydock fix` repairs "
	  "it, with a bad and a good example. RULE is an id (DD101), a slug (root-user) "
	  "or another tool's id (DL3002, DS-0002, CKV_DOCKER_8). `--all --format md` "
	  "prints the rules table of the README; `--all --format man` prints this "
	  "manual page." },
	{ "parse", cmd_parse, "check that Dockerfiles parse as BuildKit parses them; print the AST",
	  "[OPTIONS] FILE...", cmd_parse_options, cmd_parse_formats, "files",
	  "Parses each Dockerfile exactly as BuildKit, the parser behind docker build, "
	  "reads it, and prints a one-line summary, the typed AST as JSON (--json) or "
	  "BuildKit's own AST dump (--format buildkit). An error names the file, line "
	  "and column." },
	{ "completion", cmd_completion, "print the shell completion script for bash, zsh or fish",
	  "SHELL", cmd_completion_options, no_formats, "shells",
	  "Prints the completion script for SHELL (bash, zsh or fish): commands, "
	  "options, formats and rule ids. make install installs all three; to load one "
	  "by hand: `source <(drydock completion bash)`." },
};

const size_t dd_ncommands = sizeof(dd_commands) / sizeof(dd_commands[0]);

static void
usage(FILE *out)
{
	fputs("usage: drydock COMMAND [OPTIONS] [ARGS]\n\n"
	      "Find and fix the security weaknesses of Dockerfiles.\n\nCommands:\n", out);
	for (size_t i = 0; i < dd_ncommands; i++)
		fprintf(out, "  %-11s %s\n", dd_commands[i].name, dd_commands[i].summary);
	fputs("\nExamples:\n"
	      "  drydock lint                      check ./Dockerfile\n"
	      "  drydock lint -f github .          annotations for a GitHub Actions log\n"
	      "  drydock fix --diff Dockerfile     what drydock fix would change\n"
	      "  drydock fix -i Dockerfile         harden the file in place\n"
	      "  drydock explain DD101             what a rule means and why\n"
	      "  drydock --version -v              the version and the templates in use\n"
	      "\nRun 'drydock COMMAND --help' for a command's options, 'man drydock'\n"
	      "for the manual.\n", out);
}

/* Is a one typo (an edit or two swapped letters) or a prefix away from b? For "did you mean". */
static bool
near(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i = 0;

	if (la >= 2 && strncmp(a, b, la) == 0)
		return true;
	while (i < la && i < lb && a[i] == b[i])
		i++;
	/* the rest must match after one substitution, swap, insertion or deletion */
	if (i == la)
		return la + 1 == lb;
	return (la == lb && strcmp(a + i + 1, b + i + 1) == 0) ||
	       (la == lb && i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] &&
	        strcmp(a + i + 2, b + i + 2) == 0) ||
	       (la + 1 == lb && strcmp(a + i, b + i + 1) == 0) ||
	       (la == lb + 1 && strcmp(a + i + 1, b + i) == 0);
}

/* --version; with -v also where the templates come from, for bug reports. */
static int
version(int argc, char **argv)
{
	printf("drydock %s\n", dd_version);
	if (argc < 3 || (strcmp(argv[2], "-v") != 0 && strcmp(argv[2], "--verbose") != 0))
		return DD_EXIT_OK;
	dd_knowledge *kb = NULL;
	const char *dir = dd_knowledge_default_dir();
	if (dd_knowledge_load(&kb, dir) < 0) {
		printf("templates: %s (cannot be used: %s)\n", dir, dd_error_last());
		return DD_EXIT_INTERNAL;
	}
	printf("templates: %s (facts checked %s)\n", dir, dd_knowledge_checked(kb));
	dd_knowledge_free(kb);
	return DD_EXIT_OK;
}

static int
unknown_command(const char *cmd)
{
	fprintf(stderr, "drydock: unknown command '%s'", cmd);
	for (size_t i = 0; i < dd_ncommands; i++)
		if (cmd[0] != '-' && near(cmd, dd_commands[i].name)) {
			fprintf(stderr, " (did you mean '%s'?)", dd_commands[i].name);
			break;
		}
	fputs("\nRun 'drydock --help' for the list.\n", stderr);
	return DD_EXIT_INPUT;
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
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0)
		return version(argc, argv);
	const dd_command *c = NULL;
	for (size_t i = 0; i < dd_ncommands && !c; i++)
		if (strcmp(cmd, dd_commands[i].name) == 0)
			c = &dd_commands[i];
	if (!c)
		return unknown_command(cmd);
	int rc = c->fn(argc - 1, argv + 1);
	/* a failed write to stdout (full disk, closed pipe) is an error too */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "drydock: cannot write the output\n");
		return DD_EXIT_INTERNAL;
	}
	return rc;
}

/* Unit tests for the commit message of fix --commit and for dd_ignore_append. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "drydock/alloc.h"
#include "drydock/context.h"
#include "drydock/gitfix.h"
#include "drydock/rule.h"

/* add a note to a file's fix result */
static void
note(dd_gitfix_file *f, const char *rule, unsigned pass, uint32_t line, bool applied, const char *text)
{
	dd_fix_result *r = &f->fix;
	r->notes = dd_xreallocarray(r->notes, r->nnotes + 1, sizeof(*r->notes));
	dd_fix_note *n = &r->notes[r->nnotes++];
	n->rule = dd_rule_find(rule);
	ck_assert_ptr_nonnull(n->rule);
	n->pass = pass;
	n->line = line;
	n->applied = applied;
	n->text = dd_xstrdup(text);
}

static void
file_init(dd_gitfix_file *f, const char *path)
{
	memset(f, 0, sizeof(*f));
	f->path = dd_xstrdup(path);
	f->repo_path = dd_xstrdup(path);
}

static void
file_free(dd_gitfix_file *f)
{
	free(f->path);
	free(f->repo_path);
	dd_fix_result_free(&f->fix);
}

/* The first line of a message. Caller frees. */
static char *
first_line(const char *msg)
{
	return dd_xstrndup(msg, strcspn(msg, "\n"));
}

START_TEST(test_gitmsg_summary_order_and_names)
{
	dd_gitfix_file f[2];
	file_init(&f[0], "Dockerfile");
	file_init(&f[1], "api/Dockerfile");
	note(&f[0], "DD403", 1, 9, true, "CMD in exec form: [\"node\", \"app.js\"]");
	note(&f[0], "DD202", 1, 2, true, "ARG NPM_TOKEN is a build secret now, mounted on the RUN at line 3");
	note(&f[0], "DD101", 1, 1, true, "created user app (10001:10001) and set USER 10001:10001 (base image family: debian)");
	note(&f[1], "DD202", 1, 2, true, "ARG GH_TOKEN is a build secret now, mounted on the RUN at line 4");
	note(&f[1], "DD101", 1, 1, true, "USER 10001:10001: the user app the Dockerfile already creates");
	char *msg = dd_gitfix_message(f, 2, NULL);
	char *sum = first_line(msg);
	ck_assert_str_eq(sum, "Run as non-root user 10001; and 2 more");
	free(sum);
	free(msg);
	file_free(&f[0]);
	file_free(&f[1]);
}
END_TEST

START_TEST(test_gitmsg_summary_fits)
{
	dd_gitfix_file f;
	file_init(&f, "Dockerfile");
	note(&f, "DD501", 1, 3, true, "ADD → COPY: the sources are local files");
	note(&f, "DD105", 1, 4, true, "chmod 777 → 775: other users no longer write there");
	note(&f, "DD301", 1, 1, true, "FROM node:20 → node:20-slim: the same release without compilers");
	char *msg = dd_gitfix_message(&f, 1, NULL);
	char *sum = first_line(msg);
	ck_assert_str_eq(sum, "No world-writable files; use node:20-slim; COPY instead of ADD");
	free(sum);
	free(msg);
	/* an unknown phrase is "fix <slug>"; notes not applied add nothing */
	note(&f, "DD502", 1, 7, false, "pin the download");
	note(&f, "DD303", 1, 1, true, "FROM alpine → alpine:3.22: the release drydock's tables pin");
	note(&f, "DD201", 1, 5, true, "ENV API_KEY removed from the image: no RUN line uses it");
	msg = dd_gitfix_message(&f, 1, NULL);
	sum = first_line(msg);
	ck_assert_uint_le(strlen(sum), 72);
	ck_assert_str_eq(sum, "Take API_KEY out of ENV; no world-writable files; and 3 more");
	free(sum);
	free(msg);
	file_free(&f);
}
END_TEST

START_TEST(test_gitmsg_body)
{
	dd_gitfix_file f;
	file_init(&f, "svc/Dockerfile");
	note(&f, "DD204", 1, 4, true, ".env goes into .dockerignore: COPY and ADD no longer ship it");
	note(&f, "DD204", 2, 4, true, ".env goes into .dockerignore: COPY and ADD no longer ship it");
	note(&f, "DD403", 2, 8, true, "CMD in exec form: [\"sh\"]");
	note(&f, "DD502", 1, 7, false, "pin the download: ADD --checksum=sha256:<digest> (the digest of the file you trust, e.g. from `curl -fsSL URL | sha256sum`)");
	f.fix.build_flags = dd_xcalloc(1, sizeof(char *));
	f.fix.build_flags[0] = dd_xstrdup("--secret id=npm_token,env=NPM_TOKEN");
	f.fix.nbuild_flags = 1;
	char *msg = dd_gitfix_message(&f, 1, "Harden the image");
	ck_assert_str_eq(msg,
	    "Harden the image\n"
	    "\n"
	    "Findings fixed by drydock fix:\n"
	    "\n"
	    "- DD204 secret-in-context, svc/Dockerfile:4: .env goes into\n"
	    "  .dockerignore: COPY and ADD no longer ship it\n"
	    "- DD403 shell-form-command, svc/Dockerfile: CMD in exec form: [\"sh\"]\n"
	    "\n"
	    "Left to do by hand:\n"
	    "\n"
	    "- DD502 add-remote-unverified, svc/Dockerfile:7: pin the download: ADD\n"
	    "  --checksum=sha256:<digest> (the digest of the file you trust, e.g.\n"
	    "  from `curl -fsSL URL | sha256sum`)\n"
	    "\n"
	    "Build flags the fixed files need:\n"
	    "\n"
	    "- svc/Dockerfile: --secret id=npm_token,env=NPM_TOKEN\n");
	free(msg);
	file_free(&f);
}
END_TEST

START_TEST(test_gitmsg_ignore_append)
{
	char *entries[] = { ".env", "id_rsa", ".env" };
	char *out = dd_ignore_append(NULL, 0, entries, 3);
	ck_assert_str_eq(out, "# secret files drydock found in the build context (DD204)\n.env\nid_rsa\n");
	free(out);
	/* CR LF lines count; a last line without its newline gets one */
	const char *old = "node_modules\r\n.env\r\n*.log";
	out = dd_ignore_append(old, strlen(old), entries, 3);
	ck_assert_str_eq(out, "node_modules\r\n.env\r\n*.log\n"
	    "# secret files drydock found in the build context (DD204)\nid_rsa\n");
	free(out);
	old = "id_rsa\n.env\n";
	ck_assert_ptr_null(dd_ignore_append(old, strlen(old), entries, 3));
}
END_TEST

Suite *
gitmsg_suite(void)
{
	Suite *s = suite_create("gitmsg");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_gitmsg_summary_order_and_names);
	tcase_add_test(tc, test_gitmsg_summary_fits);
	tcase_add_test(tc, test_gitmsg_body);
	tcase_add_test(tc, test_gitmsg_ignore_append);
	suite_add_tcase(s, tc);
	return s;
}

/* Run-time settings of a final stage, and the templates they are written through. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drydock/ast.h"
#include "drydock/error.h"
#include "drydock/knowledge.h"
#include "drydock/runtime.h"
#include "drydock/source.h"
#include "drydock/template.h"
#include "testutil.h"

/* ---- templates -------------------------------------------------------------------------- */

static const char *const items[] = { "/tmp", "/var/cache/app" };

static int
get(void *p, const char *list, size_t index, const char *name, const char **v)
{
	(void)p;
	*v = NULL;
	if (list && strcmp(name, "path") == 0) {
		*v = items[index];
		return 0;
	}
	if (strcmp(name, "user") == 0)
		*v = "10001:10001";
	else if (strcmp(name, "word") == 0)
		*v = "it's a \"b\"\nc";
	else if (strcmp(name, "bool") == 0)
		*v = "yes";
	else if (strcmp(name, "unset") != 0 && strcmp(name, "paths") != 0 && strcmp(name, "none") != 0)
		return -1;
	return 0;
}

static size_t
count(void *p, const char *name)
{
	(void)p;
	return strcmp(name, "paths") == 0 ? 2 : 0;
}

static const dd_template_data data = { get, count, NULL };

static void
render_is(const char *tmpl, const char *want)
{
	dd_buf out = DD_BUF_INIT;
	ck_assert_msg(dd_template_render(&out, "t.tmpl", tmpl, strlen(tmpl), &data) == DD_OK, "%s", dd_error_last());
	ck_assert_str_eq(out.ptr ? out.ptr : "", want);
	dd_buf_free(&out);
}

START_TEST(test_runtime_template_syntax)
{
	render_is("--user={user}", "--user=10001:10001");
	render_is("{#paths} --tmpfs {path|sh}{/paths}", " --tmpfs /tmp --tmpfs /var/cache/app");
	/* standalone section and comment lines disappear with their line */
	render_is("a:\n{! a comment }\n{#paths}\n  - {path|yaml}\n{/paths}\nb: 1\n",
	    "a:\n  - /tmp\n  - /var/cache/app\nb: 1\n");
	render_is("{?unset}x{/unset}{^unset}y{/unset}{?user}z{/user}{?paths}p{/paths}{?none}n{/none}", "yzp");
	/* quoting: YAML keeps meaning, sh keeps one word, no value adds a line */
	render_is("{user|yaml} {bool|yaml} {word|yaml}", "\"10001:10001\" \"yes\" \"it's a \\\"b\\\"?c\"");
	render_is("{word|sh} {user|sh}", "'it'\\''s a \"b\"?c' 10001:10001");
	render_is("{word}", "it's a \"b\"?c");
	/* braces that are no tag are text (YAML flow mappings) */
	render_is("emptyDir: {medium: Memory} {} { user}", "emptyDir: {medium: Memory} {} { user}");
	/* nested sections of the same name */
	render_is("{?paths}[{#paths}{path}{/paths}]{/paths}", "[/tmp/var/cache/app]");
}
END_TEST

static void
render_fails(const char *tmpl, const char *msg)
{
	dd_buf out = DD_BUF_INIT;
	ck_assert_int_eq(dd_template_render(&out, "t.tmpl", tmpl, strlen(tmpl), &data), DD_EPARSE);
	ck_assert_msg(strstr(dd_error_last(), msg) != NULL, "%s", dd_error_last());
	dd_buf_free(&out);
}

START_TEST(test_runtime_template_errors)
{
	render_fails("x\n{nope}", "t.tmpl:2: error: unknown placeholder nope");
	render_fails("{user|json}", "unknown filter json");
	render_fails("{?user}open", "a section that is not closed: user");
	render_fails("{/user}", "a closing tag without its section: user");
}
END_TEST

/* ---- settings ---------------------------------------------------------------------------- */

static dd_knowledge *kb;

static void
kb_setup(void)
{
	char *dir = tu_src_path("templates");
	ck_assert_int_eq(dd_knowledge_load(&kb, dir), DD_OK);
	free(dir);
}

static void
kb_teardown(void)
{
	dd_knowledge_free(kb);
	kb = NULL;
}

/* Compute the settings of a Dockerfile given as text. */
static int
compute(dd_runtime *rt, const char *text, const char *target, const char *const *writable, size_t n)
{
	dd_source *src = NULL;
	dd_doc *doc = NULL;
	ck_assert_int_eq(dd_source_from_bytes(&src, "Dockerfile", text, strlen(text)), DD_OK);
	ck_assert_int_eq(dd_doc_parse(&doc, src, NULL), DD_OK);
	dd_lint_opts o = { .target = target, .no_context = true, .kb = kb };
	int rc = dd_runtime_compute(rt, doc, &o, writable, n);
	dd_doc_free(doc);
	dd_source_free(src);
	return rc;
}

START_TEST(test_runtime_user)
{
	static const struct {
		const char *file, *user;
		int uid, gid;          /* -1: not known */
		bool root;
	} cases[] = {
		{ "FROM debian:12-slim\nUSER 10001:10001\n", "10001:10001", 10001, 10001, false },
		{ "FROM debian:12-slim\nUSER 10001\n", "10001", 10001, -1, false },
		{ "FROM debian:12-slim\nRUN groupadd -g 2000 app && useradd -u 2001 -g app app\nUSER app\n",
		  "2001:2000", 2001, 2000, false },
		{ "FROM debian:12-slim\nRUN useradd app\nUSER app:app\n", "app:app", -1, -1, false },
		{ "FROM node:20-slim\nUSER node\n", "1000:1000", 1000, 1000, false },
		{ "FROM gcr.io/distroless/static-debian13:nonroot\nCOPY app /app\n", "65532:65532", 65532, 65532, false },
		{ "FROM debian:12-slim\nCMD [\"id\"]\n", NULL, -1, -1, true },
		{ "FROM debian:12-slim\nUSER 10001\nUSER root\n", NULL, -1, -1, true },
		{ "FROM debian:12-slim AS base\nUSER 10001:10001\nFROM base\nCMD [\"x\"]\n", "10001:10001", 10001, 10001, false },
		{ "FROM debian:12-slim\nUSER ${APP_UID}\n", NULL, -1, -1, false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dd_runtime rt;
		ck_assert_int_eq(compute(&rt, cases[i].file, NULL, NULL, 0), DD_OK);
		if (cases[i].user)
			ck_assert_msg(rt.user && strcmp(rt.user, cases[i].user) == 0, "%zu: %s", i, rt.user);
		else
			ck_assert_msg(!rt.user, "%zu: %s", i, rt.user);
		ck_assert_int_eq(rt.has_uid, cases[i].uid >= 0);
		if (cases[i].uid >= 0)
			ck_assert_uint_eq(rt.uid, (unsigned)cases[i].uid);
		ck_assert_msg(rt.has_gid == (cases[i].gid >= 0), "%zu", i);
		if (cases[i].gid >= 0)
			ck_assert_uint_eq(rt.gid, (unsigned)cases[i].gid);
		ck_assert_int_eq(rt.root, cases[i].root);
		/* anything not fully known is said */
		ck_assert_msg((rt.nnotes > 0) == (cases[i].uid < 0 || cases[i].gid < 0), "%zu: %zu notes", i, rt.nnotes);
		dd_runtime_free(&rt);
	}
}
END_TEST

START_TEST(test_runtime_paths_and_ports)
{
	const char *file =
		"FROM debian:12-slim AS base\nVOLUME /data\nEXPOSE 8080\n"
		"FROM base\nARG CACHE=/var/cache/app\nVOLUME [\"$CACHE\", \"/data/\"]\nEXPOSE 443/tcp 53/udp\nUSER 1:1\n"
		"FROM base AS other\nEXPOSE 22\n";
	const char *const extra[] = { "/srv/uploads", "/tmp" };
	dd_runtime rt;
	ck_assert_int_eq(compute(&rt, file, "1", extra, 2), DD_EUSAGE); /* no stage named 1 */
	ck_assert_int_eq(compute(&rt, file, NULL, extra, 2), DD_OK);
	ck_assert_uint_eq(rt.nwritable, 3); /* the last stage is "other": base's VOLUME, --writable */
	ck_assert_str_eq(rt.writable[1], "/data");
	ck_assert_uint_eq(rt.low_port, 22); /* EXPOSE 22 of "other"; base's 8080 is not low */
	dd_runtime_free(&rt);
	const char *last = "FROM debian:12-slim AS base\nVOLUME /data\nEXPOSE 8080\n"
		"FROM base\nARG CACHE=/var/cache/app\nVOLUME [\"$CACHE\", \"/data/\"]\nEXPOSE 443/tcp 53/udp\nUSER 1:1\n";
	ck_assert_int_eq(compute(&rt, last, NULL, extra, 2), DD_OK);
	ck_assert_uint_eq(rt.nwritable, 4);
	ck_assert_str_eq(rt.writable[0], "/tmp");
	ck_assert_str_eq(rt.writable[1], "/var/cache/app");
	ck_assert_str_eq(rt.writable[2], "/data");
	ck_assert_str_eq(rt.writable[3], "/srv/uploads");
	ck_assert_uint_eq(rt.low_port, 53);
	ck_assert_uint_eq(rt.ncaps, 1);
	ck_assert_str_eq(rt.caps[0], "NET_BIND_SERVICE");
	dd_runtime_free(&rt);
	ck_assert_int_eq(compute(&rt, "FROM scratch\nEXPOSE 8080 1024\nUSER 1:1\n", NULL, NULL, 0), DD_OK);
	ck_assert_uint_eq(rt.ncaps, 0);
	ck_assert_uint_eq(rt.nwritable, 1);
	dd_runtime_free(&rt);
}
END_TEST

START_TEST(test_runtime_render_volumes)
{
	dd_runtime rt;
	const char *const extra[] = { "/var/cache/app", "/var/cache-app", "/Data" };
	ck_assert_int_eq(compute(&rt, "FROM scratch\nUSER 1:2\n", NULL, extra, 3), DD_OK);
	const char tmpl[] = "{uid} {gid}{#writable} {volume}={path}{/writable}";
	dd_runtime_names names = { "img", "app", "Dockerfile" };
	dd_buf out = DD_BUF_INIT;
	ck_assert_int_eq(dd_runtime_render(&out, &rt, &names, "t", tmpl, strlen(tmpl)), DD_OK);
	ck_assert_str_eq(out.ptr, "1 2 tmp=/tmp var-cache-app=/var/cache/app var-cache-app-2=/var/cache-app data=/Data");
	dd_buf_free(&out);
	dd_runtime_free(&rt);
}
END_TEST

Suite *
runtime_suite(void)
{
	Suite *s = suite_create("runtime");
	TCase *t = tcase_create("template");
	TCase *r = tcase_create("settings");
	tcase_add_test(t, test_runtime_template_syntax);
	tcase_add_test(t, test_runtime_template_errors);
	suite_add_tcase(s, t);
	tcase_add_checked_fixture(r, kb_setup, kb_teardown);
	tcase_add_test(r, test_runtime_user);
	tcase_add_test(r, test_runtime_paths_and_ports);
	tcase_add_test(r, test_runtime_render_volumes);
	suite_add_tcase(s, r);
	return s;
}

/* Conformance with BuildKit: its parser testfiles and the real-world corpus dumped by BuildKit itself. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "drydock/ast.h"
#include "drydock/buf.h"
#include "drydock/dump.h"
#include "drydock/error.h"
#include "drydock/source.h"
#include "testutil.h"

#define PARSER_DIR "conformance/moby__buildkit/frontend/dockerfile/parser/"
#define REALWORLD_COUNT 692

/* The 33 positive cases of BuildKit's TestParseCases (SOURCES.md §1a). */
static const char *const positive_cases[] = {
	"ADD-COPY-with-JSON",
	"args",
	"brimstone-consuldock",
	"brimstone-docker-consul",
	"continue-at-eof",
	"continueIndent",
	"cpuguy83-nagios",
	"docker",
	"env",
	"escape",
	"escape-after-comment",
	"escape-nonewline",
	"escape-with-syntax",
	"escapes",
	"flags",
	"health",
	"influxdb",
	"jeztah-invalid-json-json-inside-string",
	"jeztah-invalid-json-json-inside-string-double",
	"jeztah-invalid-json-single-quotes",
	"jeztah-invalid-json-unterminated-bracket",
	"jeztah-invalid-json-unterminated-string",
	"json",
	"kartar-entrypoint-oddities",
	"lk4d4-the-edge-case-generator",
	"mail",
	"multiple-volumes",
	"mumble",
	"nginx",
	"tf2",
	"trailing-backslash",
	"weechat",
	"znc",
};

/*
 * The 4 negative cases: BuildKit's message, located by drydock. BuildKit
 * locates "file with no instructions" at the last line it read (line 3 of
 * only_comments, an empty line, so column 1).
 */
static const struct {
	const char *name;
	const char *where;	/* "LINE:COL" */
	const char *message;
} negative_cases[] = {
	{ "empty_dockerfile", "1:1", "file with no instructions" },
	{ "env_no_value", "3:5", "ENV must have two arguments" },
	{ "only_comments", "3:1", "file with no instructions" },
	{ "shykes-nested-json", "1:5",
	  "when using JSON array syntax, arrays must be comprised of strings only" },
};

/* ---- helpers ---- */

/*
 * Parse the file at path and append BuildKit's dump of it to out.
 * Returns the library's code; the error slot explains a failure.
 */
static int
dump_file(const char *path, dd_buf *out)
{
	dd_source *src = NULL;
	dd_doc *doc = NULL;
	int rc = dd_source_read(&src, path);

	if (rc == DD_OK)
		rc = dd_doc_parse(&doc, src, NULL);
	if (rc == DD_OK)
		dd_dump_buildkit(out, doc);
	dd_doc_free(doc);
	dd_source_free(src);
	return rc;
}

/*
 * Fail with the first line where got and want differ (1-based), both
 * lines shown, so a mismatch in a 300-line dump is readable.
 */
static void
assert_same_dump(const char *what, const char *got, size_t got_len,
    const char *want, size_t want_len)
{
	size_t i = 0, line = 1, line_start = 0;

	if (got_len == want_len && memcmp(got, want, got_len) == 0)
		return;
	while (i < got_len && i < want_len && got[i] == want[i]) {
		if (got[i] == '\n') {
			line++;
			line_start = i + 1;
		}
		i++;
	}
	const char *g = got + line_start, *w = want + line_start;
	const char *ge = memchr(g, '\n', got_len - line_start);
	const char *we = memchr(w, '\n', want_len - line_start);
	int gl = (int)(ge ? (size_t)(ge - g) : got_len - line_start);
	int wl = (int)(we ? (size_t)(we - w) : want_len - line_start);

	ck_abort_msg("%s: dump differs at line %zu (byte %zu):\n  got:  %.*s\n  want: %.*s",
	    what, line, i, gl, g, wl, w);
}

/* ---- BuildKit's positive testfiles ---- */

START_TEST(test_conformance_positive_case_count)
{
	/* the table above must cover every case folder in the corpus */
	char *dir = tu_corpus_path(PARSER_DIR "testfiles");
	DIR *d = opendir(dir);
	size_t n = 0;
	struct dirent *e;

	ck_assert_msg(d != NULL, "cannot open %s (is DD_CORPUS set?)", dir);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		bool listed = false;
		for (size_t i = 0; i < DD_ARRAY_LEN(positive_cases); i++)
			listed = listed || strcmp(positive_cases[i], e->d_name) == 0;
		ck_assert_msg(listed, "case %s is not in positive_cases", e->d_name);
		n++;
	}
	closedir(d);
	free(dir);
	ck_assert_uint_eq(n, 33);
	ck_assert_uint_eq(DD_ARRAY_LEN(positive_cases), 33);
}
END_TEST

START_TEST(test_conformance_positive_case)
{
	const char *name = positive_cases[_i];
	char rel[256];
	dd_buf got = DD_BUF_INIT;
	size_t want_len;

	snprintf(rel, sizeof(rel), PARSER_DIR "testfiles/%s/Dockerfile", name);
	char *path = tu_corpus_path(rel);
	snprintf(rel, sizeof(rel), PARSER_DIR "testfiles/%s/result", name);
	char *rpath = tu_corpus_path(rel);
	char *want = tu_read_file(rpath, &want_len);

	ck_assert_msg(want != NULL, "cannot read %s", rpath);
	int rc = dump_file(path, &got);
	ck_assert_msg(rc == DD_OK, "%s: rc %d: %s", name, rc, dd_error_last());
	assert_same_dump(name, got.ptr ? got.ptr : "", got.len, want, want_len);

	dd_buf_free(&got);
	free(want);
	free(rpath);
	free(path);
}
END_TEST

/* ---- BuildKit's negative testfiles ---- */

START_TEST(test_conformance_negative_case)
{
	char rel[256], want[512];
	dd_buf got = DD_BUF_INIT;

	snprintf(rel, sizeof(rel), PARSER_DIR "testfiles-negative/%s/Dockerfile",
	    negative_cases[_i].name);
	char *path = tu_corpus_path(rel);
	int rc = dump_file(path, &got);

	ck_assert_msg(rc == DD_EPARSE, "%s: rc %d, want DD_EPARSE (%s)",
	    negative_cases[_i].name, rc, dd_error_last());
	ck_assert_uint_eq(got.len, 0);
	snprintf(want, sizeof(want), "%s:%s: error: %s", path, negative_cases[_i].where,
	    negative_cases[_i].message);
	ck_assert_str_eq(dd_error_last(), want);
	/* one located message: no second line */
	ck_assert_ptr_null(strchr(dd_error_last(), '\n'));
	ck_assert_int_eq(dd_error_code(), DD_EPARSE);

	dd_buf_free(&got);
	free(path);
}
END_TEST

/* ---- testfile-line: BuildKit's StartLine/EndLine ---- */

START_TEST(test_conformance_line_ranges)
{
	static const uint32_t want[3][2] = { { 5, 5 }, { 11, 12 }, { 17, 31 } };
	static const dd_instr_kind kinds[3] = { DD_INSTR_FROM, DD_INSTR_ENV, DD_INSTR_RUN };
	char *path = tu_corpus_path(PARSER_DIR "testfile-line/Dockerfile");
	dd_source *src = NULL;
	dd_doc *doc = NULL;

	ck_assert_int_eq(dd_source_read(&src, path), DD_OK);
	ck_assert_msg(dd_doc_parse(&doc, src, NULL) == DD_OK, "%s", dd_error_last());
	ck_assert_uint_eq(doc->ninstrs, 3);
	for (size_t i = 0; i < 3; i++) {
		const dd_instr *ins = doc->instrs[i];
		ck_assert_int_eq(ins->kind, kinds[i]);
		ck_assert_msg(ins->start_line == want[i][0] && ins->end_line == want[i][1],
		    "instruction %zu: lines [%u,%u], want [%u,%u]", i,
		    ins->start_line, ins->end_line, want[i][0], want[i][1]);
	}
	/* the "# ESCAPE=\" first line is a directive, not a comment */
	ck_assert_uint_eq(doc->ndirectives, 1);
	ck_assert_uint_eq(doc->escape, '\\');

	dd_doc_free(doc);
	dd_source_free(src);
	free(path);
}
END_TEST

/* ---- the real-world corpus against BuildKit's own dumps ---- */

static char **realworld;	/* saved names from MANIFEST.tsv */
static size_t nrealworld;

/* Read the first column of MANIFEST.tsv once, at suite creation. */
static void
load_manifest(void)
{
	realworld = tu_realworld_names(&nrealworld);
}

/* Count regular files under dir (recursively), MANIFEST.tsv excluded. */
static size_t
count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    strcmp(e->d_name, "MANIFEST.tsv") == 0)
			continue;
		size_t plen = strlen(dir) + strlen(e->d_name) + 2;
		char *p = malloc(plen);
		struct stat st;
		snprintf(p, plen, "%s/%s", dir, e->d_name);
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
			n += count_files(p);
		else if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
			n++;
		free(p);
	}
	closedir(d);
	return n;
}

START_TEST(test_conformance_realworld_count)
{
	char *dir = tu_corpus_path("realworld");

	ck_assert_uint_eq(nrealworld, REALWORLD_COUNT);
	ck_assert_uint_eq(count_files(dir), REALWORLD_COUNT);
	/* every manifest entry names a distinct file */
	for (size_t i = 1; i < nrealworld; i++)
		for (size_t j = 0; j < i; j++)
			ck_assert_str_ne(realworld[i], realworld[j]);
	free(dir);
}
END_TEST

START_TEST(test_conformance_realworld_file)
{
	const char *name = realworld[_i];
	char rel[1024];
	dd_buf got = DD_BUF_INIT;
	size_t want_len;

	snprintf(rel, sizeof(rel), "realworld/%s", name);
	char *path = tu_corpus_path(rel);
	snprintf(rel, sizeof(rel), "buildkit-dumps/%s", name);
	char *dpath = tu_corpus_path(rel);
	char *want = tu_read_file(dpath, &want_len);

	ck_assert_msg(want != NULL, "cannot read %s", dpath);
	int rc = dump_file(path, &got);
	ck_assert_msg(rc == DD_OK, "%s: rc %d: %s", name, rc, dd_error_last());
	assert_same_dump(name, got.ptr ? got.ptr : "", got.len, want, want_len);

	dd_buf_free(&got);
	free(want);
	free(dpath);
	free(path);
}
END_TEST

Suite *
conformance_suite(void)
{
	Suite *s = suite_create("conformance");
	TCase *bk = tcase_create("buildkit");
	TCase *rw = tcase_create("realworld");

	tcase_add_test(bk, test_conformance_positive_case_count);
	tcase_add_loop_test(bk, test_conformance_positive_case, 0,
	    (int)DD_ARRAY_LEN(positive_cases));
	tcase_add_loop_test(bk, test_conformance_negative_case, 0,
	    (int)DD_ARRAY_LEN(negative_cases));
	tcase_add_test(bk, test_conformance_line_ranges);
	suite_add_tcase(s, bk);

	load_manifest();
	tcase_add_test(rw, test_conformance_realworld_count);
	tcase_add_loop_test(rw, test_conformance_realworld_file, 0, (int)nrealworld);
	tcase_set_timeout(rw, 60);
	suite_add_tcase(s, rw);
	return s;
}

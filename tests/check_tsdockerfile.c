/* Every input of the tree-sitter-dockerfile corpus, judged by BuildKit's rules. */
#include <check.h>
#include <ctype.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drydock/ast.h"
#include "drydock/buf.h"
#include "drydock/dump.h"
#include "drydock/error.h"
#include "drydock/source.h"
#include "testutil.h"

#define CORPUS_DIR "conformance/camdencheek__tree-sitter-dockerfile/test/corpus"

/* The counts of SOURCES.md §2, checked so that an unreadable directory fails. */
#define CORPUS_FILES 24
#define CORPUS_CASES 113
#define CORPUS_ERROR_CASES 11

/* One case of a tree-sitter corpus file. */
typedef struct {
	char *file;         /* "from.txt" */
	char *title;
	char *input;        /* the case's lines as a Dockerfile, ending with LF */
	size_t input_len;
	char *expected;     /* that grammar's S-expression */
	bool error;         /* it contains (ERROR, or the case says :error */
} ts_case;

static ts_case *cases;
static size_t ncases;
static size_t nfiles;

/*
 * The 11 inputs that grammar rejects (its tree has ERROR nodes). BuildKit's
 * parser accepts every one of them: FROM is split at blanks into any number
 * of words, and STOPSIGNAL and USER keep the whole rest of the line as one
 * value. Only the later instruction layer of `docker build` complains ("FROM
 * requires either one or three arguments", an invalid signal, an unknown
 * group), and drydock's parser follows BuildKit's parser, so each parses and
 * dumps exactly as BuildKit dumps it.
 */
static const struct {
	const char *file;
	const char *title;
	const char *dump;   /* BuildKit's AST dump of the input */
} error_cases[] = {
	/* FROM a b c: three words, the middle one is not AS. */
	{ "from.txt", "No spaces in image name", "(from \"a\" \"b\" \"c\")\n" },
	/* FROM a $b: two words; the variable is not expanded at parse time. */
	{ "from.txt", "No spaces in image name before expansion",
	  "(from \"a\" \"$b\")\n" },
	/* FROM $ X: a lone dollar is an ordinary word. */
	{ "from.txt", "No spaces in image name expansion", "(from \"$\" \"X\")\n" },
	/* FROM a: $B: the colon stays in the first word. */
	{ "from.txt", "No spaces in image tag expansion", "(from \"a:\" \"$B\")\n" },
	/* FROM a:b@ $c: likewise the @. */
	{ "from.txt", "No spaces in image digest", "(from \"a:b@\" \"$c\")\n" },
	/* FROM a AS b c: four words; only the build rejects the fourth. */
	{ "from.txt", "No spaces in image alias",
	  "(from \"a\" \"AS\" \"b\" \"c\")\n" },
	/* FROM a AS b $C: four words again. */
	{ "from.txt", "No spaces in image alias expansion",
	  "(from \"a\" \"AS\" \"b\" \"$C\")\n" },
	/* STOPSIGNAL keeps the rest of the line as one value. */
	{ "stopsignal.txt", "No space in signal value", "(stopsignal \"A B\")\n" },
	{ "stopsignal.txt", "No space in signal value before expansion",
	  "(stopsignal \"A $B\")\n" },
	{ "stopsignal.txt", "No space in signal value within expansion",
	  "(stopsignal \"A$ B\")\n" },
	/* USER keeps the rest of the line as one value too. */
	{ "user.txt", "No spaces in user:group", "(user \"a: b\")\n" },
};

/*
 * Inputs that grammar accepts but that are not a buildable Dockerfile, so
 * drydock's parse fails with a located message.
 */
static const struct {
	const char *file;
	const char *title;
	const char *where;   /* "Dockerfile:LINE:" */
	const char *message;
} rejected_cases[] = {
	/*
	 * Only a comment: BuildKit's parser itself fails with this message
	 * (its negative testfile only_comments).
	 */
	{ "comment.txt", "Full line comment", "Dockerfile:1:", "file with no instructions" },
	/*
	 * CROSS_BUILD_COPY is no Dockerfile instruction. BuildKit's parser
	 * keeps unknown keywords and its instruction layer then fails the
	 * build with "unknown instruction: CROSS_BUILD_COPY"; drydock reports
	 * that same error at parse time, at the keyword.
	 */
	{ "cross_build.txt", "Simple", "Dockerfile:1:1:",
	  "unknown instruction: CROSS_BUILD_COPY" },
};

/* ---- reading the corpus ---- */

static char *
xstrndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (!p)
		abort();
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* A line made only of c, at least three times (a header or divider rule). */
static bool
is_rule(const char *line, size_t len, char c)
{
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len < 3)
		return false;
	for (size_t i = 0; i < len; i++)
		if (line[i] != c)
			return false;
	return true;
}

/* The line at *pos (without its LF); *pos moves past it. False at the end. */
static bool
next_line(const char *text, size_t len, size_t *pos, const char **line, size_t *line_len)
{
	if (*pos >= len)
		return false;
	const char *start = text + *pos;
	const char *lf = memchr(start, '\n', len - *pos);
	*line = start;
	*line_len = lf ? (size_t)(lf - start) : len - *pos;
	*pos += *line_len + (lf ? 1 : 0);
	return true;
}

/*
 * The input as a Dockerfile: the lines between the header and the divider,
 * without the blank lines the corpus format puts around them, each ending
 * with LF.
 */
static char *
make_input(const char *start, const char *end, size_t *out_len)
{
	while (start < end && *start == '\n')
		start++;
	while (end > start && end[-1] == '\n')
		end--;
	size_t n = (size_t)(end - start);
	char *p = malloc(n + 2);

	if (!p)
		abort();
	memcpy(p, start, n);
	p[n++] = '\n';
	p[n] = '\0';
	*out_len = n;
	return p;
}

static void
add_case(const char *file, char *title, char *input, size_t input_len, char *expected,
    bool error_attr)
{
	cases = realloc(cases, (ncases + 1) * sizeof(*cases));
	if (!cases)
		abort();
	ts_case *c = &cases[ncases++];
	c->file = xstrndup(file, strlen(file));
	c->title = title;
	c->input = input;
	c->input_len = input_len;
	c->expected = expected;
	c->error = error_attr || strstr(expected, "(ERROR") != NULL;
}

/*
 * Cut one corpus file into cases: a rule of '=', the title, attribute lines
 * (":error"), a rule of '=', the input, a rule of '-', the expected tree up
 * to the next header.
 */
static void
read_corpus_file(const char *name, const char *text, size_t len)
{
	size_t pos = 0, line_len;
	const char *line;

	while (next_line(text, len, &pos, &line, &line_len)) {
		if (!is_rule(line, line_len, '='))
			continue;
		if (!next_line(text, len, &pos, &line, &line_len))
			break;
		char *title = xstrndup(line, line_len);
		bool error_attr = false;
		while (next_line(text, len, &pos, &line, &line_len) &&
		    !is_rule(line, line_len, '=')) {
			if (line_len >= 6 && memcmp(line, ":error", 6) == 0)
				error_attr = true;
		}
		const char *input = text + pos;
		const char *divider = NULL;
		while (next_line(text, len, &pos, &line, &line_len)) {
			if (is_rule(line, line_len, '-')) {
				divider = line;
				break;
			}
		}
		if (!divider) {
			/* a broken case is not counted, so the count test fails */
			free(title);
			break;
		}
		const char *expected = text + pos;
		size_t expected_end = len;
		for (;;) {
			size_t start = pos;
			if (!next_line(text, len, &pos, &line, &line_len))
				break;
			if (is_rule(line, line_len, '=')) {
				/* the next header: read it again in the outer loop */
				expected_end = pos = start;
				break;
			}
		}
		size_t input_len;
		char *in = make_input(input, divider, &input_len);
		add_case(name, title, in, input_len,
		    xstrndup(expected, (size_t)(text + expected_end - expected)), error_attr);
	}
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read every *.txt of the corpus directory, in name order. */
static void
load_corpus(void)
{
	char *dir = tu_corpus_path(CORPUS_DIR);
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t n = 0;

	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			size_t l = strlen(e->d_name);
			if (l > 4 && strcmp(e->d_name + l - 4, ".txt") == 0) {
				names = realloc(names, (n + 1) * sizeof(*names));
				if (!names)
					abort();
				names[n++] = xstrndup(e->d_name, l);
			}
		}
		closedir(d);
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		size_t len;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		char *text = tu_read_file(path, &len);
		if (text) {
			nfiles++;
			read_corpus_file(names[i], text, len);
		}
		free(text);
		free(names[i]);
	}
	free(names);
	free(dir);
}

static void
free_corpus(void)
{
	for (size_t i = 0; i < ncases; i++) {
		free(cases[i].file);
		free(cases[i].title);
		free(cases[i].input);
		free(cases[i].expected);
	}
	free(cases);
	cases = NULL;
	ncases = nfiles = 0;
}

/* The case of that file and title, or NULL; it must be the only one. */
static const ts_case *
find_case(const char *file, const char *title)
{
	const ts_case *found = NULL;

	for (size_t i = 0; i < ncases; i++) {
		if (strcmp(cases[i].file, file) == 0 && strcmp(cases[i].title, title) == 0) {
			ck_assert_msg(found == NULL, "%s: two cases named \"%s\"", file, title);
			found = &cases[i];
		}
	}
	return found;
}

/* ---- comparing ---- */

static void
put_lower(dd_buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dd_buf_putc(out, tolower((unsigned char)s[i]));
}

/*
 * The instructions of an expected tree, as "from run onbuild(add)": the
 * *_instruction nodes under source_file, and the one inside ONBUILD.
 */
static void
expected_instructions(const char *sexp, dd_buf *out)
{
	int depth = 0;
	bool in_onbuild = false, first = true;

	for (const char *p = sexp; *p; p++) {
		if (*p == '"') {
			/* quoted anonymous nodes may hold parentheses */
			for (p++; *p && *p != '"'; p++)
				if (*p == '\\' && p[1])
					p++;
			if (!*p)
				break;
		} else if (*p == ')') {
			if (depth == 3 && in_onbuild)
				in_onbuild = false;
			depth--;
		} else if (*p == '(') {
			depth++;
			const char *name = p + 1;
			size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ_");
			const char *suffix = "_instruction";
			size_t sl = strlen(suffix);
			if (n <= sl || memcmp(name + n - sl, suffix, sl) != 0)
				continue;
			if (depth == 2) {
				if (!first)
					dd_buf_putc(out, ' ');
				first = false;
				put_lower(out, name, n - sl);
				in_onbuild = n - sl == 7 && memcmp(name, "onbuild", 7) == 0;
			} else if (depth == 3 && in_onbuild) {
				dd_buf_putc(out, '(');
				put_lower(out, name, n - sl);
				dd_buf_putc(out, ')');
			}
		}
	}
}

/* The same summary of what drydock parsed. */
static void
parsed_instructions(const dd_doc *doc, dd_buf *out)
{
	for (size_t i = 0; i < doc->ninstrs; i++) {
		const dd_instr *ins = doc->instrs[i];
		const char *kw = dd_instr_kind_name(ins->kind);
		if (i)
			dd_buf_putc(out, ' ');
		put_lower(out, kw, strlen(kw));
		if (ins->onbuild) {
			kw = dd_instr_kind_name(ins->onbuild->kind);
			dd_buf_putc(out, '(');
			put_lower(out, kw, strlen(kw));
			dd_buf_putc(out, ')');
		}
	}
}

static size_t
count_lines(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n;
}

/* ---- tests ---- */

/*
 * The corpus is all there (SOURCES.md §2: 24 files, 113 cases, 11 of them
 * errors), and each table entry names exactly one case of the right kind.
 */
START_TEST(test_tsdockerfile_case_count)
{
	size_t errors = 0;

	ck_assert_msg(nfiles == CORPUS_FILES,
	    "read %zu corpus files from %s, want %d (set DD_CORPUS)",
	    nfiles, CORPUS_DIR, CORPUS_FILES);
	ck_assert_uint_eq(ncases, CORPUS_CASES);
	for (size_t i = 0; i < ncases; i++)
		errors += cases[i].error;
	ck_assert_uint_eq(errors, CORPUS_ERROR_CASES);
	ck_assert_uint_eq(DD_ARRAY_LEN(error_cases), CORPUS_ERROR_CASES);
	for (size_t i = 0; i < DD_ARRAY_LEN(error_cases); i++) {
		const ts_case *c = find_case(error_cases[i].file, error_cases[i].title);
		ck_assert_msg(c && c->error, "%s: \"%s\" is not an error case of the corpus",
		    error_cases[i].file, error_cases[i].title);
	}
	for (size_t i = 0; i < DD_ARRAY_LEN(rejected_cases); i++) {
		const ts_case *c = find_case(rejected_cases[i].file, rejected_cases[i].title);
		ck_assert_msg(c && !c->error, "%s: \"%s\" is not an accepted case of the corpus",
		    rejected_cases[i].file, rejected_cases[i].title);
	}
}
END_TEST

/*
 * One case: it parses (or fails as the tables say) without crashing; a
 * parsed case has the instructions of the expected tree, or for an error
 * case exactly BuildKit's dump.
 */
START_TEST(test_tsdockerfile_case)
{
	ck_assert_msg((size_t)_i < ncases, "case %d was not read", _i);
	const ts_case *c = &cases[_i];
	const char *want_dump = NULL, *where = NULL, *message = NULL;
	dd_source *src = NULL;
	dd_doc *doc = NULL;

	for (size_t i = 0; i < DD_ARRAY_LEN(error_cases); i++)
		if (strcmp(c->file, error_cases[i].file) == 0 &&
		    strcmp(c->title, error_cases[i].title) == 0)
			want_dump = error_cases[i].dump;
	for (size_t i = 0; i < DD_ARRAY_LEN(rejected_cases); i++)
		if (strcmp(c->file, rejected_cases[i].file) == 0 &&
		    strcmp(c->title, rejected_cases[i].title) == 0) {
			where = rejected_cases[i].where;
			message = rejected_cases[i].message;
		}
	/* an error case with no entry in the table fails here, by name */
	ck_assert_msg(!c->error || want_dump, "%s: \"%s\": error case without a verdict",
	    c->file, c->title);

	int rc = dd_source_from_bytes(&src, "Dockerfile", c->input, c->input_len);
	ck_assert_msg(rc == DD_OK, "%s: \"%s\": %s", c->file, c->title, dd_error_last());
	rc = dd_doc_parse(&doc, src, NULL);

	if (message) {
		const char *err = dd_error_last();
		ck_assert_msg(rc == DD_EPARSE, "%s: \"%s\": parsed, want \"%s\"", c->file,
		    c->title, message);
		ck_assert_ptr_null(doc);
		ck_assert_msg(strncmp(err, where, strlen(where)) == 0 && strstr(err, message),
		    "%s: \"%s\": got \"%s\", want %s … %s", c->file, c->title, err,
		    where, message);
		dd_source_free(src);
		return;
	}
	ck_assert_msg(rc == DD_OK, "%s: \"%s\": %s\n--- input:\n%s", c->file, c->title,
	    dd_error_last(), c->input);

	dd_buf dump = DD_BUF_INIT;
	dd_dump_buildkit(&dump, doc);
	const char *got_dump = dump.ptr ? dump.ptr : "";
	/* BuildKit's dump has one line per instruction */
	ck_assert_uint_eq(count_lines(got_dump, dump.len), doc->ninstrs);
	if (want_dump) {
		ck_assert_msg(strcmp(got_dump, want_dump) == 0, "%s: \"%s\": dump %s, want %s",
		    c->file, c->title, got_dump, want_dump);
	} else {
		dd_buf want = DD_BUF_INIT, got = DD_BUF_INIT;
		expected_instructions(c->expected, &want);
		parsed_instructions(doc, &got);
		ck_assert_msg(want.len > 0, "%s: \"%s\": no instruction in the expected tree",
		    c->file, c->title);
		ck_assert_msg(got.len == want.len && memcmp(got.ptr, want.ptr, got.len) == 0,
		    "%s: \"%s\": parsed [%s], that grammar has [%s]", c->file, c->title,
		    got.ptr ? got.ptr : "", want.ptr);
		dd_buf_free(&want);
		dd_buf_free(&got);
	}
	dd_buf_free(&dump);
	dd_doc_free(doc);
	dd_source_free(src);
}
END_TEST

Suite *
tsdockerfile_suite(void)
{
	Suite *s = suite_create("tsdockerfile");
	TCase *tc = tcase_create("corpus");

	/* read once here: the loop needs the count before the tests run */
	load_corpus();
	tcase_add_unchecked_fixture(tc, NULL, free_corpus);
	tcase_add_test(tc, test_tsdockerfile_case_count);
	tcase_add_loop_test(tc, test_tsdockerfile_case, 0, (int)ncases);
	suite_add_tcase(s, tc);
	return s;
}

/* Heredocs as BuildKit reads them: its parser_heredoc_test.go facts as data, then the cases it misses. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "df_lex.h"
#include "drydock/ast.h"
#include "drydock/buf.h"
#include "drydock/dump.h"
#include "drydock/error.h"
#include "drydock/source.h"
#include "testutil.h"

/* ---- helpers ---- */

/* Parse len bytes of text named "Dockerfile"; both outputs NULL on failure. */
static int
parse_bytes(const char *text, size_t len, dd_source **src, dd_doc **doc)
{
	*doc = NULL;
	int rc = dd_source_from_bytes(src, "Dockerfile", text, len);
	if (rc < 0)
		return rc;
	rc = dd_doc_parse(doc, *src, NULL);
	if (rc < 0) {
		dd_source_free(*src);
		*src = NULL;
	}
	return rc;
}

static int
parse_str(const char *text, dd_source **src, dd_doc **doc)
{
	return parse_bytes(text, strlen(text), src, doc);
}

/* Parse text and fail the test on any error. */
static dd_doc *
must_parse(const char *text, dd_source **src)
{
	dd_doc *doc;
	int rc = parse_str(text, src, &doc);
	ck_assert_msg(rc == DD_OK, "rc %d: %s\n--- input:\n%s", rc, dd_error_last(), text);
	return doc;
}

static void
done(dd_doc *doc, dd_source *src)
{
	dd_doc_free(doc);
	dd_source_free(src);
}

/* The BuildKit dump of doc, malloc'd. */
static char *
dump(const dd_doc *doc)
{
	dd_buf b = DD_BUF_INIT;
	dd_dump_buildkit(&b, doc);
	return dd_buf_detach(&b, NULL);
}

/* A heredoc as BuildKit's Heredoc struct states it. */
typedef struct {
	const char *name;
	const char *body;	/* BuildKit's Content (LF files: the same bytes) */
	bool expand;
	bool chomp;
	unsigned fd;
} hd_want;

/*
 * Check one parsed heredoc against want: the fields, the body bytes, and
 * that body_span and end_span point at those bytes in the source.
 */
static void
check_heredoc(const dd_source *src, const dd_heredoc *h, const hd_want *w, const char *ctx)
{
	ck_assert_msg(h->name_len == strlen(w->name) && memcmp(h->name, w->name, h->name_len) == 0,
	    "%s: name \"%.*s\", want \"%s\"", ctx, (int)h->name_len, h->name, w->name);
	ck_assert_msg(h->body_len == strlen(w->body) && memcmp(h->body, w->body, h->body_len) == 0,
	    "%s: body \"%.*s\", want \"%s\"", ctx, (int)h->body_len, h->body, w->body);
	ck_assert_msg(h->expand == w->expand, "%s: expand %d, want %d", ctx, h->expand, w->expand);
	ck_assert_msg(h->chomp == w->chomp, "%s: chomp %d, want %d", ctx, h->chomp, w->chomp);
	ck_assert_msg(h->fd == w->fd, "%s: fd %u, want %u", ctx, h->fd, w->fd);
	/* the spans locate the body and the terminator in the file */
	ck_assert_uint_eq(h->body_span.end - h->body_span.start, h->body_len);
	ck_assert_msg(memcmp(src->data + h->body_span.start, h->body, h->body_len) == 0,
	    "%s: body_span does not point at the body", ctx);
	const char *end = src->data + h->end_span.start;
	size_t end_len = h->end_span.end - h->end_span.start, tabs = 0;
	while (w->chomp && tabs < end_len && end[tabs] == '\t')
		tabs++;
	ck_assert_msg(end_len - tabs == h->name_len && memcmp(end + tabs, h->name, h->name_len) == 0,
	    "%s: end_span \"%.*s\" is not the terminator", ctx, (int)end_len, end);
	/* the terminator line follows the body (its <<- tabs may be left out) */
	ck_assert_uint_ge(h->end_span.start, h->body_span.end);
	for (uint32_t p = h->body_span.end; p < h->end_span.start; p++)
		ck_assert_msg(w->chomp && src->data[p] == '\t', "%s: gap before end_span", ctx);
	ck_assert_uint_eq(h->end_span.line, h->body_span.end_line);
}

/* ---- TestParseExtractsHeredoc ---- */

/*
 * BuildKit's document, line for line. Its line 9 ("INVALID", after
 * `USER <<INVALID`) is an instruction for BuildKit; drydock rejects unknown
 * instructions, so the table below swaps it for a known one and
 * test_heredoc_buildkit_user_line checks the verbatim line. BuildKit's text
 * also ends with a last line holding one TAB and no LF: that is
 * test_heredoc_buildkit_trailing_tab, so the table is not hostage to it.
 */
#define BK_HEAD \
	"\n" \
	"FROM alpine:3.6\n" \
	"\n" \
	"ENV NAME=me\n" \
	"\n" \
	"RUN ls\n" \
	"\n" \
	"USER <<INVALID\n"

#define BK_REST \
	"\n" \
	"RUN <<EMPTY\n" \
	"EMPTY\n" \
	"\n" \
	"RUN 3<<EMPTY2\n" \
	"EMPTY2\n" \
	"\n" \
	"RUN \"<<NOHEREDOC\"\n" \
	"\n" \
	"RUN <<INDENT\n" \
	"\tfoo\n" \
	"\tbar\n" \
	"INDENT\n" \
	"\n" \
	"RUN <<-UNINDENT\n" \
	"\tbaz\n" \
	"\tquux\n" \
	"UNINDENT\n" \
	"\n" \
	"RUN <<-UNINDENT2\n" \
	"\tbaz\n" \
	"\tquux\n" \
	"\tUNINDENT2\n" \
	"\n" \
	"RUN <<-EXPAND\n" \
	"\texpand $NAME\n" \
	"EXPAND\n" \
	"\n" \
	"RUN <<-'NOEXPAND'\n" \
	"\tdon't expand $NAME\n" \
	"NOEXPAND\n" \
	"\n" \
	"RUN <<COPY\n" \
	"echo hello world\n" \
	"echo foo bar\n" \
	"COPY\n" \
	"\n" \
	"RUN <<COMMENT\n" \
	"# internal comment\n" \
	"echo hello world\n" \
	"echo foo bar # trailing comment\n" \
	"COMMENT\n" \
	"\n" \
	"RUN --mount=type=cache,target=/foo <<MOUNT\n" \
	"echo hello\n" \
	"MOUNT\n" \
	"\n" \
	"COPY <<FILE1 <<FILE2 /dest\n" \
	"content 1\n" \
	"FILE1\n" \
	"content 2\n" \
	"FILE2\n" \
	"\n" \
	"COPY <<EOF /quotes\n" \
	"\"foo\"\n" \
	"'bar'\n" \
	"EOF\n" \
	"\n" \
	"COPY <<X <<Y /dest\n" \
	"Y\n" \
	"X\n" \
	"X\n" \
	"Y\n" \
	"\n" \
	"RUN <<COMPLEX python3\n" \
	"print('hello world')\n" \
	"COMPLEX\n" \
	"\n" \
	"COPY <<file.txt /dest\n" \
	"hello world\n" \
	"file.txt\n" \
	"\n" \
	"RUN <<eo'f'\n" \
	"echo foo\n" \
	"eof\n" \
	"\n" \
	"RUN <<eo\\'f\n" \
	"echo foo\n" \
	"eo'f\n" \
	"\n" \
	"RUN <<'e'o\\'f\n" \
	"echo foo\n" \
	"eo'f\n" \
	"\n" \
	"RUN <<'one two'\n" \
	"echo bar\n" \
	"one two\n" \
	"\n" \
	"RUN <<$EOF\n" \
	"$EOF\n" \
	"\n" \
	"RUN <<  EOF\n" \
	"EOF\n" \
	"\n" \
	"RUN <<  EOF  > foo\n" \
	"EOF\n"

static const char bk_doc[] = BK_HEAD "WORKDIR /INVALID\n" BK_REST;

/* BuildKit's expectations for every instruction after FROM, in order. */
static const struct {
	const char *line;	/* the logical line, to keep the table aligned */
	size_t n;
	hd_want h[2];
} bk_want[] = {
	{ "ENV NAME=me", 0, { { 0 } } },
	{ "RUN ls", 0, { { 0 } } },
	{ "USER <<INVALID", 0, { { 0 } } },
	{ "WORKDIR /INVALID", 0, { { 0 } } },
	{ "RUN <<EMPTY", 1, { { "EMPTY", "", true, false, 0 } } },
	{ "RUN 3<<EMPTY2", 1, { { "EMPTY2", "", true, false, 3 } } },
	{ "RUN \"<<NOHEREDOC\"", 0, { { 0 } } },
	{ "RUN <<INDENT", 1, { { "INDENT", "\tfoo\n\tbar\n", true, false, 0 } } },
	{ "RUN <<-UNINDENT", 1, { { "UNINDENT", "\tbaz\n\tquux\n", true, true, 0 } } },
	{ "RUN <<-UNINDENT2", 1, { { "UNINDENT2", "\tbaz\n\tquux\n", true, true, 0 } } },
	{ "RUN <<-EXPAND", 1, { { "EXPAND", "\texpand $NAME\n", true, true, 0 } } },
	{ "RUN <<-'NOEXPAND'", 1, { { "NOEXPAND", "\tdon't expand $NAME\n", false, true, 0 } } },
	{ "RUN <<COPY", 1, { { "COPY", "echo hello world\necho foo bar\n", true, false, 0 } } },
	{ "RUN <<COMMENT", 1, { { "COMMENT",
	    "# internal comment\necho hello world\necho foo bar # trailing comment\n",
	    true, false, 0 } } },
	{ "RUN --mount=type=cache,target=/foo <<MOUNT", 1,
	    { { "MOUNT", "echo hello\n", true, false, 0 } } },
	{ "COPY <<FILE1 <<FILE2 /dest", 2, { { "FILE1", "content 1\n", true, false, 0 },
	    { "FILE2", "content 2\n", true, false, 0 } } },
	{ "COPY <<EOF /quotes", 1, { { "EOF", "\"foo\"\n'bar'\n", true, false, 0 } } },
	{ "COPY <<X <<Y /dest", 2, { { "X", "Y\n", true, false, 0 },
	    { "Y", "X\n", true, false, 0 } } },
	{ "RUN <<COMPLEX python3", 1, { { "COMPLEX", "print('hello world')\n", true, false, 0 } } },
	{ "COPY <<file.txt /dest", 1, { { "file.txt", "hello world\n", true, false, 0 } } },
	{ "RUN <<eo'f'", 1, { { "eof", "echo foo\n", false, false, 0 } } },
	{ "RUN <<eo\\'f", 1, { { "eo'f", "echo foo\n", true, false, 0 } } },
	{ "RUN <<'e'o\\'f", 1, { { "eo'f", "echo foo\n", false, false, 0 } } },
	{ "RUN <<'one two'", 1, { { "one two", "echo bar\n", false, false, 0 } } },
	{ "RUN <<$EOF", 1, { { "$EOF", "", true, false, 0 } } },
	{ "RUN <<  EOF", 1, { { "EOF", "", true, false, 0 } } },
	{ "RUN <<  EOF  > foo", 1, { { "EOF", "", true, false, 0 } } },
};

static dd_source *bk_src;
static dd_doc *bk_parsed;

static void
bk_setup(void)
{
	bk_src = NULL;
	bk_parsed = NULL;
	if (parse_str(bk_doc, &bk_src, &bk_parsed) < 0)
		fprintf(stderr, "heredoc: BuildKit's document does not parse: %s\n", dd_error_last());
}

static void
bk_teardown(void)
{
	done(bk_parsed, bk_src);
}

START_TEST(test_heredoc_buildkit_count)
{
	ck_assert_msg(bk_parsed != NULL, "%s", dd_error_last());
	ck_assert_uint_eq(bk_parsed->ninstrs, 1 + DD_ARRAY_LEN(bk_want));
	ck_assert_int_eq(bk_parsed->instrs[0]->kind, DD_INSTR_FROM);
	/* nothing inside the bodies became a comment */
	ck_assert_uint_eq(bk_parsed->ncomments, 0);
}
END_TEST

START_TEST(test_heredoc_buildkit_extracts)
{
	char ctx[128];

	ck_assert_msg(bk_parsed != NULL, "%s", dd_error_last());
	ck_assert_uint_gt(bk_parsed->ninstrs, (size_t)_i + 1);
	const dd_instr *ins = bk_parsed->instrs[_i + 1];
	ck_assert_str_eq(ins->line, bk_want[_i].line);
	snprintf(ctx, sizeof(ctx), "%s", bk_want[_i].line);
	ck_assert_msg(ins->nheredocs == bk_want[_i].n, "%s: %zu heredocs, want %zu",
	    ctx, ins->nheredocs, bk_want[_i].n);
	for (size_t k = 0; k < bk_want[_i].n; k++)
		check_heredoc(bk_src, &ins->heredocs[k], &bk_want[_i].h[k], ctx);
	/* an instruction ends with its last terminator */
	if (ins->nheredocs)
		ck_assert_uint_eq(ins->end_line, ins->heredocs[ins->nheredocs - 1].end_span.line);
	else
		ck_assert_uint_eq(ins->end_line, ins->start_line);
}
END_TEST

/*
 * BUG: BuildKit's document ends with "EOF\n\t" (a blank last line without
 * LF); BuildKit parses it, drydock fails with "unexpected end of file".
 * Same for its TestParseJSONHeredoc document.
 */
START_TEST(test_heredoc_buildkit_trailing_tab)
{
	dd_buf text = DD_BUF_INIT;
	dd_source *src;
	dd_doc *doc;

	dd_buf_printf(&text, "%s\t", bk_doc);
	int rc = parse_str(text.ptr, &src, &doc);
	size_t n = doc ? doc->ninstrs : 0;
	/* free first: a failed assertion must not leak under CK_FORK=no */
	dd_buf_free(&text);
	done(doc, src);
	ck_assert_msg(rc == DD_OK, "%s", dd_error_last());
	ck_assert_uint_eq(n, 1 + DD_ARRAY_LEN(bk_want));
}
END_TEST

/* BuildKit's line 9 verbatim: not a body, so an (unknown) instruction. */
START_TEST(test_heredoc_buildkit_user_line)
{
	static const char text[] = BK_HEAD "INVALID\n" BK_REST;
	dd_source *src;
	dd_doc *doc;

	ck_assert_int_eq(parse_str(text, &src, &doc), DD_EPARSE);
	ck_assert_str_eq(dd_error_last(), "Dockerfile:9:1: error: unknown instruction: INVALID");
}
END_TEST

/* ---- TestParseJSONHeredoc ---- */

START_TEST(test_heredoc_json_form)
{
	dd_source *src;
	dd_doc *doc = must_parse("\nFROM alpine:3.6\n\n"
	    "RUN [\"whoami\"]\n"
	    "RUN [\"<<EOF\"]\n"
	    "RUN [\"<<'EOF'\"]\n", &src);

	ck_assert_uint_eq(doc->ninstrs, 4);
	for (size_t i = 1; i <= 3; i++) {
		ck_assert_int_eq(doc->instrs[i]->kind, DD_INSTR_RUN);
		ck_assert(doc->instrs[i]->json);
		ck_assert_uint_eq(doc->instrs[i]->nheredocs, 0);
	}
	ck_assert_str_eq(doc->instrs[2]->as.cmd.argv[0].text, "<<EOF");
	done(doc, src);
}
END_TEST

/* In JSON form the next lines are instructions, not a body. */
START_TEST(test_heredoc_json_body_lines_parsed)
{
	dd_source *src;
	dd_doc *doc = must_parse("FROM a\nRUN [\"<<EOF\"]\nRUN echo hi\nLABEL EOF=1\n", &src);

	ck_assert_uint_eq(doc->ninstrs, 4);
	ck_assert_uint_eq(doc->instrs[1]->nheredocs, 0);
	ck_assert_int_eq(doc->instrs[2]->kind, DD_INSTR_RUN);
	ck_assert_int_eq(doc->instrs[3]->kind, DD_INSTR_LABEL);
	ck_assert_uint_eq(doc->instrs[1]->end_line, 2);
	done(doc, src);

	/* and a line that would only be fine inside a body is an error here */
	ck_assert_int_eq(parse_str("FROM a\nRUN [\"<<EOF\"]\nhello\nEOF\n", &src, &doc), DD_EPARSE);
	ck_assert_str_eq(dd_error_last(), "Dockerfile:3:1: error: unknown instruction: hello (did you mean SHELL?)");
}
END_TEST

/* ---- TestHeredocChomp ---- */

/* <<- content: BuildKit's ChompHeredocContent strips each line's leading tabs. */
static char *
chomp(const char *s, size_t len)
{
	char *out = malloc(len + 1);
	size_t n = 0;
	bool bol = true;

	for (size_t i = 0; i < len; i++) {
		if (bol && s[i] == '\t')
			continue;
		bol = s[i] == '\n';
		out[n++] = s[i];
	}
	out[n] = '\0';
	return out;
}

START_TEST(test_heredoc_chomp_content)
{
	dd_source *src;
	dd_doc *doc = must_parse("FROM a\nRUN <<-EOF\n\thello\n\tworld\n\t\tEOF\n", &src);
	const dd_heredoc *h = &doc->instrs[1]->heredocs[0];

	ck_assert_uint_eq(doc->instrs[1]->nheredocs, 1);
	ck_assert(h->chomp);
	/* the body stays as written; chomping is the consumer's job */
	ck_assert_uint_eq(h->body_len, strlen("\thello\n\tworld\n"));
	ck_assert(memcmp(h->body, "\thello\n\tworld\n", h->body_len) == 0);
	char *c = chomp(h->body, h->body_len);
	ck_assert_str_eq(c, "hello\nworld\n");
	free(c);
	/* the terminator may be indented with tabs, any number of them */
	ck_assert_uint_eq(h->end_span.line, 5);
	ck_assert_uint_eq(doc->instrs[1]->end_line, 5);
	done(doc, src);
}
END_TEST

/* With <<- only tabs may indent the terminator: spaces make it a body line. */
START_TEST(test_heredoc_chomp_spaces_do_not_terminate)
{
	dd_source *src;
	dd_doc *doc = must_parse("FROM a\nRUN <<-EOF\n  EOF\nEOF \n\tEOF\nRUN b\n", &src);
	const dd_heredoc *h = &doc->instrs[1]->heredocs[0];

	ck_assert_uint_eq(doc->ninstrs, 3);
	ck_assert_uint_eq(h->body_len, strlen("  EOF\nEOF \n"));
	ck_assert(memcmp(h->body, "  EOF\nEOF \n", h->body_len) == 0);
	ck_assert_uint_eq(h->end_span.line, 5);
	done(doc, src);
}
END_TEST

/* Without <<- a tab-indented terminator is body text. */
START_TEST(test_heredoc_no_chomp_tab_terminator)
{
	dd_source *src;
	dd_doc *doc = must_parse("FROM a\nRUN <<EOF\n\tEOF\nEOF\n", &src);
	const dd_heredoc *h = &doc->instrs[1]->heredocs[0];

	ck_assert(!h->chomp);
	ck_assert_uint_eq(h->body_len, 5);
	ck_assert(memcmp(h->body, "\tEOF\n", 5) == 0);
	ck_assert_uint_eq(doc->instrs[1]->end_line, 4);
	done(doc, src);
}
END_TEST

/* ---- TestParseHeredocHelpers: one shell word ---- */

static const char *const helper_valid[] = {
	"<<EOF", "<<'EOF'", "<<\"EOF\"", "<<-EOF", "<<-'EOF'", "<<-\"EOF\"",
	"<<EO\"F\"", "<< EOF", "<<- EOF",
};
static const char *const helper_invalid[] = { "<<'EOF", "<<\"EOF", "<<EOF'", "<<EOF\"" };
static const char *const helper_not[] = { "", "EOF", "<<", "<<-", "<EOF", "<<<EOF", "<<EOF sh" };

START_TEST(test_heredoc_helper_valid)
{
	const char *w = helper_valid[_i];
	df_heredoc h;
	df_buf name = { 0 };
	char err[256] = "";

	ck_assert_msg(df_heredoc_word(w, strlen(w), &h, &name, err, sizeof(err)) == 1,
	    "%s: not an opener (%s)", w, err);
	ck_assert_str_eq(h.name, "EOF");
	ck_assert_uint_eq(h.name_len, 3);
	/* quotes anywhere in the delimiter turn expansion off; "-" chomps */
	ck_assert_int_eq(h.expand, strpbrk(w, "'\"") == NULL);
	ck_assert_int_eq(h.chomp, strncmp(w, "<<-", 3) == 0);
	ck_assert_uint_eq(h.fd, 0);
	df_buf_free(&name);
}
END_TEST

START_TEST(test_heredoc_helper_invalid)
{
	const char *w = helper_invalid[_i];
	df_heredoc h;
	df_buf name = { 0 };
	char err[256] = "";

	ck_assert_msg(df_heredoc_word(w, strlen(w), &h, &name, err, sizeof(err)) == -1,
	    "%s: unbalanced quotes accepted", w);
	ck_assert_msg(err[0] != '\0', "%s: no message", w);
	df_buf_free(&name);
}
END_TEST

START_TEST(test_heredoc_helper_not)
{
	const char *w = helper_not[_i];
	df_heredoc h;
	df_buf name = { 0 };
	char err[256] = "";

	ck_assert_msg(df_heredoc_word(w, strlen(w), &h, &name, err, sizeof(err)) == 0,
	    "\"%s\": taken as an opener", w);
	df_buf_free(&name);
}
END_TEST

/* ---- TestHeredocsFromLine ---- */

typedef struct {
	const char *names[3];
	size_t n;
	unsigned fd[3];
} names_seen;

static void
collect_name(void *ctx, const df_heredoc *h)
{
	names_seen *s = ctx;
	if (s->n < 3) {
		s->names[s->n] = strdup(h->name);
		s->fd[s->n] = h->fd;
	}
	s->n++;
}

/*
 * BuildKit's lines and names. `RUN <<- EOF` and the quoted openers pass
 * its test vacuously (no heredoc, nothing compared); whole-line lexing
 * makes `<<-` one word and `EOF` another, so there is no heredoc.
 */
static const struct {
	const char *line;
	size_t n;
	const char *names[2];
	unsigned fd;
} from_line[] = {
	{ "RUN <<EOF", 1, { "EOF" }, 0 },
	{ "RUN <<-EOF", 1, { "EOF" }, 0 },
	{ "RUN <<- EOF", 0, { NULL }, 0 },
	{ "RUN << -EOF", 1, { "-EOF" }, 0 },
	{ "RUN <<'EOF'", 1, { "EOF" }, 0 },
	{ "RUN 4<<EOF", 1, { "EOF" }, 4 },
	{ "RUN <<EOF <<EOF2", 2, { "EOF", "EOF2" }, 0 },
	{ "RUN '<<EOF'", 0, { NULL }, 0 },
	{ "RUN \"<<EOF\"", 0, { NULL }, 0 },
	/* a line that does not lex has no heredocs at all */
	{ "RUN <<EOF # don't", 0, { NULL }, 0 },
	{ "RUN cat<<EOF", 0, { NULL }, 0 },
	{ "RUN \\<<EOF", 0, { NULL }, 0 },
	{ "RUN <<EOF>out", 1, { "EOF>out" }, 0 },
};

START_TEST(test_heredoc_from_line)
{
	const char *line = from_line[_i].line;
	names_seen s = { { NULL }, 0, { 0 } };
	char err[256] = "";
	int n = df_heredocs_from_line(line, strlen(line), collect_name, &s, err, sizeof(err));

	ck_assert_msg(n == (int)from_line[_i].n, "%s: %d heredocs, want %zu (%s)", line, n,
	    from_line[_i].n, err);
	ck_assert_uint_eq(s.n, from_line[_i].n);
	for (size_t k = 0; k < s.n && k < 3; k++) {
		ck_assert_str_eq(s.names[k], from_line[_i].names[k]);
		ck_assert_uint_eq(s.fd[k], from_line[_i].fd);
		free((void *)s.names[k]);
	}
}
END_TEST

/* The same lines in whole documents: what dd_doc_parse attaches. */
START_TEST(test_heredoc_from_line_in_document)
{
	const char *line = from_line[_i].line;
	dd_buf text = DD_BUF_INIT;
	dd_source *src;
	dd_doc *doc;

	dd_buf_printf(&text, "FROM a\n%s\n", line);
	for (size_t k = 0; k < from_line[_i].n; k++)
		dd_buf_printf(&text, "body %zu\n%s\n", k, from_line[_i].names[k]);
	dd_buf_puts(&text, "RUN done\n");
	doc = must_parse(text.ptr, &src);
	ck_assert_uint_eq(doc->ninstrs, 3);
	ck_assert_uint_eq(doc->instrs[1]->nheredocs, from_line[_i].n);
	for (size_t k = 0; k < from_line[_i].n; k++) {
		char body[16];
		const dd_heredoc *h = &doc->instrs[1]->heredocs[k];
		snprintf(body, sizeof(body), "body %zu\n", k);
		ck_assert_str_eq(h->name, from_line[_i].names[k]);
		ck_assert_uint_eq(h->body_len, strlen(body));
		ck_assert(memcmp(h->body, body, h->body_len) == 0);
	}
	ck_assert_str_eq(doc->instrs[2]->line, "RUN done");
	done(doc, src);
	dd_buf_free(&text);
}
END_TEST

/* ---- beyond BuildKit's unit tests ---- */

START_TEST(test_heredoc_two_on_copy)
{
	dd_source *src;
	dd_doc *doc = must_parse("FROM a\nCOPY --chmod=644 <<one <<\"two\" /etc/\nfirst\none\nsecond $X\ntwo\n"
	    "RUN ls\n", &src);
	const dd_instr *ins = doc->instrs[1];
	static const hd_want want[2] = {
		{ "one", "first\n", true, false, 0 },
		{ "two", "second $X\n", false, false, 0 },
	};

	ck_assert_uint_eq(doc->ninstrs, 3);
	ck_assert_uint_eq(ins->nheredocs, 2);
	check_heredoc(src, &ins->heredocs[0], &want[0], "one");
	check_heredoc(src, &ins->heredocs[1], &want[1], "two");
	/* the second body starts right after the first terminator */
	ck_assert_uint_eq(ins->heredocs[1].body_span.line, 5);
	ck_assert_uint_eq(ins->heredocs[0].end_span.line, 4);
	/* the markers are COPY's sources, as BuildKit's nodes are */
	ck_assert_uint_eq(ins->as.copy.nsources, 2);
	ck_assert_str_eq(ins->as.copy.sources[0].text, "<<one");
	ck_assert_str_eq(ins->as.copy.sources[1].text, "<<\"two\"");
	ck_assert_str_eq(ins->as.copy.dest.text, "/etc/");
	ck_assert_uint_eq(ins->start_line, 2);
	ck_assert_uint_eq(ins->end_line, 6);
	/* the span runs from the keyword to the end of the last terminator */
	ck_assert_uint_eq(ins->span.start, 7);
	ck_assert_uint_eq(ins->span.end, ins->heredocs[1].end_span.end);
	char *d = dump(doc);
	ck_assert_str_eq(d, "(from \"a\")\n(copy [\"--chmod=644\"] \"<<one\" \"<<\\\"two\\\"\" \"/etc/\")\n"
	    "(run \"ls\")\n");
	free(d);
	done(doc, src);
}
END_TEST

START_TEST(test_heredoc_quoted_delimiters)
{
	static const struct {
		const char *opener, *name;
		bool expand;
	} cases[] = {
		{ "<<'EOF'", "EOF", false },
		{ "<<\"EOF\"", "EOF", false },
		{ "<<E\"OF\"", "EOF", false },
		{ "<<\\EOF", "EOF", true },	/* a backslash alone keeps expansion */
		{ "<<EOF", "EOF", true },
		{ "<<-'EOF'", "EOF", false },
	};

	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char text[128];
		dd_source *src;
		snprintf(text, sizeof(text), "FROM a\nRUN cat %s\necho $HOME\n%s\n", cases[i].opener,
		    cases[i].name);
		dd_doc *doc = must_parse(text, &src);
		const dd_instr *ins = doc->instrs[1];
		ck_assert_msg(ins->nheredocs == 1, "%s: %zu heredocs", cases[i].opener, ins->nheredocs);
		ck_assert_str_eq(ins->heredocs[0].name, cases[i].name);
		ck_assert_msg(ins->heredocs[0].expand == cases[i].expand, "%s: expand %d",
		    cases[i].opener, ins->heredocs[0].expand);
		done(doc, src);
	}
}
END_TEST

START_TEST(test_heredoc_fd)
{
	dd_source *src;
	dd_doc *doc = must_parse("FROM a\nRUN 3<<EOF cat /dev/fd/3\nhi\nEOF\nRUN 12<<-X\n\tx\n\tX\n", &src);

	ck_assert_uint_eq(doc->instrs[1]->heredocs[0].fd, 3);
	ck_assert_str_eq(doc->instrs[1]->heredocs[0].name, "EOF");
	ck_assert_uint_eq(doc->instrs[2]->heredocs[0].fd, 12);
	ck_assert(doc->instrs[2]->heredocs[0].chomp);
	done(doc, src);
}
END_TEST

/* USER (like HEALTHCHECK CMD) never opens a heredoc: the next line is an instruction. */
START_TEST(test_heredoc_user_not_heredoc)
{
	dd_source *src;
	dd_doc *doc = must_parse("FROM a\nUSER <<X\nRUN echo hi\nHEALTHCHECK CMD cat <<Y\nRUN echo Y\n",
	    &src);

	ck_assert_uint_eq(doc->ninstrs, 5);
	ck_assert_int_eq(doc->instrs[1]->kind, DD_INSTR_USER);
	ck_assert_uint_eq(doc->instrs[1]->nheredocs, 0);
	ck_assert_str_eq(doc->instrs[1]->as.user.user.text, "<<X");
	ck_assert_int_eq(doc->instrs[2]->kind, DD_INSTR_RUN);
	ck_assert_uint_eq(doc->instrs[3]->nheredocs, 0);
	ck_assert_str_eq(doc->instrs[4]->line, "RUN echo Y");
	done(doc, src);
}
END_TEST

START_TEST(test_heredoc_onbuild_run)
{
	dd_source *src;
	dd_doc *doc = must_parse("FROM a\nONBUILD RUN <<EOF\necho hi\nEOF\nRUN after\n", &src);
	const dd_instr *ob = doc->instrs[1];
	static const hd_want want = { "EOF", "echo hi\n", true, false, 0 };

	ck_assert_uint_eq(doc->ninstrs, 3);
	ck_assert_int_eq(ob->kind, DD_INSTR_ONBUILD);
	ck_assert_ptr_nonnull(ob->onbuild);
	ck_assert_int_eq(ob->onbuild->kind, DD_INSTR_RUN);
	/* the heredoc belongs to the trigger, the lines to ONBUILD */
	ck_assert_uint_eq(ob->onbuild->nheredocs, 1);
	check_heredoc(src, &ob->onbuild->heredocs[0], &want, "onbuild");
	ck_assert_uint_eq(ob->start_line, 2);
	ck_assert_uint_eq(ob->end_line, 4);
	char *d = dump(doc);
	ck_assert_str_eq(d, "(from \"a\")\n(onbuild (run \"<<EOF\"))\n(run \"after\")\n");
	free(d);
	done(doc, src);

	/* ONBUILD COPY too, with ONBUILD's own flag before the trigger */
	doc = must_parse("FROM a\nONBUILD COPY <<F /f\nx\nF\n", &src);
	ck_assert_uint_eq(doc->instrs[1]->onbuild->nheredocs, 1);
	ck_assert_str_eq(doc->instrs[1]->onbuild->heredocs[0].name, "F");
	done(doc, src);
}
END_TEST

/* Body lines are never parsed: instructions, comments, continuations, directives. */
START_TEST(test_heredoc_body_never_parsed)
{
	static const char body[] =
	    "FROM scratch\n"
	    "# a comment\n"
	    "# escape=`\n"
	    "echo continued \\\n"
	    "\n"
	    "RUN <<INNER\n"
	    "  \\\n"
	    "ENV A\n"
	    "CMD [\"x\", 1]\n";
	dd_buf text = DD_BUF_INIT;
	dd_source *src;

	dd_buf_printf(&text, "FROM a\nRUN <<EOF\n%sEOF\nRUN next\n", body);
	dd_doc *doc = must_parse(text.ptr, &src);
	const dd_heredoc *h = &doc->instrs[1]->heredocs[0];

	ck_assert_uint_eq(doc->ninstrs, 3);
	ck_assert_uint_eq(doc->nstages, 1);
	ck_assert_uint_eq(doc->ncomments, 0);
	ck_assert_uint_eq(doc->ndirectives, 0);
	ck_assert_uint_eq(doc->escape, '\\');
	ck_assert_uint_eq(h->body_len, strlen(body));
	ck_assert(memcmp(h->body, body, h->body_len) == 0);
	ck_assert_str_eq(doc->instrs[2]->line, "RUN next");
	ck_assert_uint_eq(doc->instrs[2]->start_line, 13);
	done(doc, src);
	dd_buf_free(&text);
}
END_TEST

/* A heredoc opened on a continued line: the body starts after the last physical line. */
START_TEST(test_heredoc_after_continuation)
{
	dd_source *src;
	dd_doc *doc = must_parse("FROM a\nRUN cat \\\n  <<EOF \\\n  > /out\nbody\nEOF\n", &src);
	const dd_instr *ins = doc->instrs[1];

	ck_assert_uint_eq(ins->nheredocs, 1);
	ck_assert_uint_eq(ins->heredocs[0].body_len, 5);
	ck_assert(memcmp(ins->heredocs[0].body, "body\n", 5) == 0);
	ck_assert_uint_eq(ins->heredocs[0].body_span.line, 5);
	ck_assert_uint_eq(ins->start_line, 2);
	ck_assert_uint_eq(ins->end_line, 6);
	done(doc, src);
}
END_TEST

/* CRLF files: the body keeps its CR bytes; "EOF\r" still terminates. */
START_TEST(test_heredoc_crlf_body)
{
	static const char text[] = "FROM a\r\nRUN <<EOF\r\necho a\r\n\r\necho b\r\nEOF\r\nRUN c\r\n";
	dd_source *src;
	dd_doc *doc = must_parse(text, &src);
	const dd_heredoc *h = &doc->instrs[1]->heredocs[0];
	static const hd_want want = { "EOF", "echo a\r\n\r\necho b\r\n", true, false, 0 };

	ck_assert_uint_eq(doc->ninstrs, 3);
	check_heredoc(src, h, &want, "crlf");
	ck_assert_uint_eq(h->end_span.line, 6);
	ck_assert_str_eq(doc->instrs[2]->line, "RUN c");
	done(doc, src);
}
END_TEST

/* The escape directive does not change heredoc detection (always '\'). */
START_TEST(test_heredoc_backtick_escape)
{
	dd_source *src;
	dd_doc *doc = must_parse("# escape=`\nFROM a\nRUN <<EOF `\n  && true\nx\\\nEOF\n", &src);
	const dd_instr *ins = doc->instrs[1];

	ck_assert_uint_eq(doc->escape, '`');
	ck_assert_str_eq(ins->line, "RUN <<EOF   && true");
	ck_assert_uint_eq(ins->nheredocs, 1);
	ck_assert_uint_eq(ins->heredocs[0].body_len, 3);
	ck_assert(memcmp(ins->heredocs[0].body, "x\\\n", 3) == 0);
	done(doc, src);
}
END_TEST

/* An unbalanced quote on the line: BuildKit finds no heredoc at all. */
START_TEST(test_heredoc_unlexable_line)
{
	dd_source *src;
	dd_doc *doc = must_parse("FROM a\nRUN cat <<EOF # don't\nRUN echo\n", &src);

	ck_assert_uint_eq(doc->ninstrs, 3);
	ck_assert_uint_eq(doc->instrs[1]->nheredocs, 0);
	done(doc, src);
}
END_TEST

/* Heredoc at the end of file, terminator without LF. */
START_TEST(test_heredoc_terminator_at_eof)
{
	dd_source *src;
	dd_doc *doc = must_parse("FROM a\nRUN <<EOF\nx\nEOF", &src);
	const dd_instr *ins = doc->instrs[1];

	ck_assert_uint_eq(ins->nheredocs, 1);
	ck_assert_uint_eq(ins->heredocs[0].end_span.end, src->len);
	ck_assert_uint_eq(ins->span.end, src->len);
	ck_assert_uint_eq(ins->end_line, 4);
	done(doc, src);
}
END_TEST

/* ---- unterminated heredocs ---- */

/* Located on the instruction's line, at the marker of the heredoc that never ends. */
static const struct {
	const char *text;
	const char *message;
} unterminated[] = {
	{ "FROM a\nRUN <<EOF\necho hi\n",
	  "Dockerfile:2:5: error: unterminated heredoc: no line \"EOF\" ends its body" },
	{ "FROM a\nRUN <<EOF",
	  "Dockerfile:2:5: error: unterminated heredoc: no line \"EOF\" ends its body" },
	/* the terminator must be the whole line */
	{ "FROM a\n  RUN <<EOF\nEOF \n EOF\nxEOF\n",
	  "Dockerfile:2:7: error: unterminated heredoc: no line \"EOF\" ends its body" },
	{ "FROM a\nONBUILD RUN <<EOF\nx\n",
	  "Dockerfile:2:13: error: unterminated heredoc: no line \"EOF\" ends its body" },
	/* the second heredoc is the one that never ends */
	{ "FROM a\nCOPY <<A <<B /d\na\nA\nb\n",
	  "Dockerfile:2:10: error: unterminated heredoc: no line \"B\" ends its body" },
	/* the opener on a continued line: its marker, not the keyword */
	{ "FROM a\nRUN cat \\\n  3<<-'X'\nbody\n",
	  "Dockerfile:3:3: error: unterminated heredoc: no line \"X\" ends its body" },
};

START_TEST(test_heredoc_unterminated)
{
	dd_source *src;
	dd_doc *doc;

	ck_assert_int_eq(parse_str(unterminated[_i].text, &src, &doc), DD_EPARSE);
	ck_assert_ptr_null(doc);
	ck_assert_str_eq(dd_error_last(), unterminated[_i].message);
}
END_TEST

Suite *
heredoc_suite(void)
{
	Suite *s = suite_create("heredoc");
	TCase *bk = tcase_create("buildkit");
	TCase *more = tcase_create("more");

	tcase_add_checked_fixture(bk, bk_setup, bk_teardown);
	tcase_add_test(bk, test_heredoc_buildkit_count);
	tcase_add_loop_test(bk, test_heredoc_buildkit_extracts, 0, (int)DD_ARRAY_LEN(bk_want));
	tcase_add_test(bk, test_heredoc_buildkit_trailing_tab);
	tcase_add_test(bk, test_heredoc_buildkit_user_line);
	tcase_add_test(bk, test_heredoc_json_form);
	tcase_add_test(bk, test_heredoc_json_body_lines_parsed);
	tcase_add_test(bk, test_heredoc_chomp_content);
	tcase_add_loop_test(bk, test_heredoc_helper_valid, 0, (int)DD_ARRAY_LEN(helper_valid));
	tcase_add_loop_test(bk, test_heredoc_helper_invalid, 0, (int)DD_ARRAY_LEN(helper_invalid));
	tcase_add_loop_test(bk, test_heredoc_helper_not, 0, (int)DD_ARRAY_LEN(helper_not));
	tcase_add_loop_test(bk, test_heredoc_from_line, 0, (int)DD_ARRAY_LEN(from_line));
	tcase_add_loop_test(bk, test_heredoc_from_line_in_document, 0, (int)DD_ARRAY_LEN(from_line));
	suite_add_tcase(s, bk);

	tcase_add_test(more, test_heredoc_chomp_spaces_do_not_terminate);
	tcase_add_test(more, test_heredoc_no_chomp_tab_terminator);
	tcase_add_test(more, test_heredoc_two_on_copy);
	tcase_add_test(more, test_heredoc_quoted_delimiters);
	tcase_add_test(more, test_heredoc_fd);
	tcase_add_test(more, test_heredoc_user_not_heredoc);
	tcase_add_test(more, test_heredoc_onbuild_run);
	tcase_add_test(more, test_heredoc_body_never_parsed);
	tcase_add_test(more, test_heredoc_after_continuation);
	tcase_add_test(more, test_heredoc_crlf_body);
	tcase_add_test(more, test_heredoc_backtick_escape);
	tcase_add_test(more, test_heredoc_unlexable_line);
	tcase_add_test(more, test_heredoc_terminator_at_eof);
	tcase_add_loop_test(more, test_heredoc_unterminated, 0, (int)DD_ARRAY_LEN(unterminated));
	suite_add_tcase(s, more);
	return s;
}

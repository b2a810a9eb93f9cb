/*
 * `drydock fix` over every Dockerfile of ../shared/corpus/realworld: the
 * output parses, a second fix changes nothing, every comment line
 * survives, and each pass's output is its input with only its edits
 * applied (checked against the edit list, not by trusting the engine).
 * Prints how many files change and which rules' fixes were applied.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drydock/ast.h"
#include "drydock/error.h"
#include "drydock/fix.h"
#include "drydock/knowledge.h"
#include "drydock/rule.h"
#include "drydock/source.h"
#include "testutil.h"

/* Does text hold line (without its line end) as a whole line, count times at least? */
static size_t
count_line(const char *text, size_t len, const char *line, size_t n)
{
	size_t c = 0;
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t l = end - at;
		if (l && text[at + l - 1] == '\r')
			l--;
		if (l == n && memcmp(text + at, line, n) == 0)
			c++;
		at = end + 1;
	}
	return c;
}

/* Every comment line of the original is in the output as often as before. */
static void
check_comments(const char *name, const dd_source *src, const dd_fix_result *r)
{
	for (size_t at = 0; at < src->len;) {
		const char *nl = memchr(src->data + at, '\n', src->len - at);
		size_t end = nl ? (size_t)(nl - src->data) : src->len;
		size_t l = end - at, b = at;
		while (b < end && (src->data[b] == ' ' || src->data[b] == '\t'))
			b++;
		if (l && src->data[at + l - 1] == '\r')
			l--;
		if (b < at + l && src->data[b] == '#') {
			size_t before = count_line(src->data, src->len, src->data + at, l);
			size_t after = count_line(r->output, r->len, src->data + at, l);
			ck_assert_msg(after >= before, "%s: the comment line \"%.*s\" is lost", name, (int)l,
			    src->data + at);
		}
		at = end + 1;
	}
}

START_TEST(test_corpus_fix_realworld)
{
	size_t nnames;
	char **names = tu_realworld_names(&nnames);
	ck_assert_uint_gt(nnames, 600);
	char *tdir = tu_src_path("templates");
	dd_knowledge *kb = NULL;
	ck_assert_msg(dd_knowledge_load(&kb, tdir) == DD_OK, "%s", dd_error_last());
	free(tdir);

	size_t changed = 0, per_rule[1000] = { 0 }, advice[1000] = { 0 }, passes[DD_FIX_MAX_PASSES + 1] = { 0 };
	for (size_t i = 0; i < nnames; i++) {
		char rel[600];
		snprintf(rel, sizeof(rel), "realworld/%s", names[i]);
		char *path = tu_corpus_path(rel);
		dd_source *src = NULL;
		ck_assert_msg(dd_source_read(&src, path) == DD_OK, "%s", dd_error_last());
		dd_lint_opts lo = { .no_context = true, .kb = kb };
		dd_fix_result r;
		ck_assert_msg(dd_fix(src, NULL, &lo, NULL, &r) == DD_OK, "%s: %s", names[i], dd_error_last());
		passes[r.npasses]++;
		bool diff = r.len != src->len || memcmp(r.output, src->data, r.len) != 0;
		changed += diff;
		tu_check_fix_edits(names[i], &r);
		check_comments(names[i], src, &r);
		for (size_t k = 0; k < r.nnotes; k++)
			if (r.notes[k].rule)
				(r.notes[k].applied ? per_rule : advice)[r.notes[k].rule->id % 1000]++;
		/* the output parses (dd_fix checked) and a second fix changes nothing */
		dd_source *again = NULL;
		ck_assert(dd_source_from_bytes(&again, path, r.output, r.len) == DD_OK);
		dd_doc *doc = NULL;
		ck_assert_msg(dd_doc_parse(&doc, again, NULL) == DD_OK, "%s: the fix does not parse: %s", names[i],
		    dd_error_last());
		dd_doc_free(doc);
		dd_fix_result r2;
		ck_assert_msg(dd_fix(again, NULL, &lo, NULL, &r2) == DD_OK, "%s: second fix: %s", names[i],
		    dd_error_last());
		ck_assert_msg(r2.len == r.len && memcmp(r2.output, r.output, r.len) == 0,
		    "%s: a second fix changes the file again", names[i]);
		dd_fix_result_free(&r2);
		dd_source_free(again);
		dd_fix_result_free(&r);
		dd_source_free(src);
		free(path);
	}
	fprintf(stderr, "corpus fix: %zu of %zu files changed (passes: %zu one, %zu two, %zu three); applied:",
	    changed, nnames, passes[1], passes[2], passes[3]);
	for (size_t r = 0; r < dd_nrules; r++)
		if (per_rule[dd_rules[r].id % 1000])
			fprintf(stderr, " %s %zu", dd_rules[r].code, per_rule[dd_rules[r].id % 1000]);
	fprintf(stderr, "; advice only:");
	for (size_t r = 0; r < dd_nrules; r++)
		if (advice[dd_rules[r].id % 1000])
			fprintf(stderr, " %s %zu", dd_rules[r].code, advice[dd_rules[r].id % 1000]);
	fprintf(stderr, "\n");
	ck_assert_uint_gt(changed, 300);
	tu_free_names(names, nnames);
	dd_knowledge_free(kb);
}
END_TEST

Suite *
corpus_fix_suite(void)
{
	Suite *s = suite_create("corpus_fix");
	TCase *tc = tcase_create("realworld");
	tcase_add_test(tc, test_corpus_fix_realworld);
	tcase_set_timeout(tc, 300);
	suite_add_tcase(s, tc);
	return s;
}

/* Edit sets (edit.c) and unified diffs (diff.c). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "drydock/diff.h"
#include "drydock/edit.h"
#include "drydock/error.h"
#include "drydock/source.h"

static dd_source *
src_of(const char *text)
{
	dd_source *s = NULL;
	ck_assert(dd_source_from_bytes(&s, "Dockerfile", text, strlen(text)) == DD_OK);
	return s;
}

/* Apply and return the text (caller frees); *deferred gets the dropped groups. */
static char *
apply(dd_editset *set, const char *text, dd_grouplist *deferred)
{
	dd_source *s = src_of(text);
	dd_buf out = DD_BUF_INIT;
	ck_assert_msg(dd_editset_apply(set, s, &out, deferred) == DD_OK, "%s", dd_error_last());
	dd_source_free(s);
	return dd_buf_detach(&out, NULL);
}

START_TEST(test_edit_replace_insert_delete)
{
	dd_editset set = { NULL, 0, 0 };
	const char *in = "FROM a\nADD x /x\nCMD y\n";
	dd_editset_add(&set, 7, 10, "COPY", 4, 0, 1);         /* ADD → COPY */
	dd_editset_add(&set, 16, 16, "USER 1\n", 7, 0, 2);     /* before CMD */
	dd_editset_add(&set, 16, 22, "", 0, 0, 3);             /* delete CMD y */
	char *out = apply(&set, in, NULL);
	ck_assert_str_eq(out, "FROM a\nCOPY x /x\nUSER 1\n");
	free(out);
	dd_editset_free(&set);
}
END_TEST

/* Two insertions at one place are both kept, in the order they were added. */
START_TEST(test_edit_insertions_keep_order)
{
	dd_editset set = { NULL, 0, 0 };
	dd_editset_add(&set, 3, 3, " --a", 4, 5, 1);
	dd_editset_add(&set, 3, 3, " --b", 4, 2, 2);
	char *out = apply(&set, "RUN x\n", NULL);
	/* the lower rule first, then insertion order */
	ck_assert_str_eq(out, "RUN --b --a x\n");
	free(out);
	dd_editset_free(&set);
}
END_TEST

/* Overlapping groups: the later rule's whole group is dropped and reported. */
START_TEST(test_edit_overlap_defers_the_later_rule)
{
	dd_editset set = { NULL, 0, 0 };
	const char *in = "FROM a\nUSER root\nCMD y\n";
	dd_editset_add(&set, 12, 16, "10001", 5, 7, 1);      /* rule 7: USER root → 10001 */
	dd_editset_add(&set, 21, 22, "[\"y\"]", 5, 7, 1);    /* same group, elsewhere */
	dd_editset_add(&set, 7, 17, "USER app\n", 9, 1, 2);  /* rule 1 rewrites the whole line */
	dd_grouplist d = { NULL, 0, 0 };
	char *out = apply(&set, in, &d);
	ck_assert_str_eq(out, "FROM a\nUSER app\nCMD y\n");
	ck_assert_uint_eq(d.n, 1);
	ck_assert_uint_eq(d.v[0], 1);
	ck_assert_uint_eq(set.n, 1); /* only the kept edits remain */
	free(out);
	free(d.v);
	dd_editset_free(&set);
}
END_TEST

/* An insertion at either end of a replaced range does not overlap it. */
START_TEST(test_edit_insert_at_range_ends)
{
	dd_editset set = { NULL, 0, 0 };
	dd_editset_add(&set, 0, 3, "COPY", 4, 3, 1);
	dd_editset_add(&set, 0, 0, "# x\n", 4, 4, 2);
	dd_editset_add(&set, 3, 3, " --y", 4, 5, 3);
	dd_grouplist d = { NULL, 0, 0 };
	char *out = apply(&set, "ADD a b\n", &d);
	ck_assert_str_eq(out, "# x\nCOPY --y a b\n");
	ck_assert_uint_eq(d.n, 0);
	free(out);
	free(d.v);
	dd_editset_free(&set);
}
END_TEST

/* Edits may not split a CR LF pair or a UTF-8 character, nor leave the file. */
START_TEST(test_edit_refuses_bad_offsets)
{
	static const struct {
		const char *text;
		uint32_t start, end;
	} bad[] = {
		{ "FROM a\r\nRUN x\r\n", 7, 7 },     /* between CR and LF */
		{ "LABEL a=\xc3\xa9\n", 9, 9 },      /* inside é */
		{ "FROM a\n", 3, 99 },               /* past the end */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		dd_editset set = { NULL, 0, 0 };
		dd_editset_add(&set, bad[i].start, bad[i].end, "x", 1, 0, 1);
		dd_source *s = src_of(bad[i].text);
		dd_buf out = DD_BUF_INIT;
		ck_assert_int_eq(dd_editset_apply(&set, s, &out, NULL), DD_ERROR);
		dd_buf_free(&out);
		dd_source_free(s);
		dd_editset_free(&set);
	}
}
END_TEST

/* ---- diffs: apply the hunks back and get b ---- */

/* The next line of *p (with its '\n' when it has one); advances *p. */
static size_t
next_line(const char **p, const char **line)
{
	*line = *p;
	const char *nl = strchr(*p, '\n');
	size_t n = nl ? (size_t)(nl - *p) + 1 : strlen(*p);
	*p += n;
	return n;
}

/* A minimal unified-diff applier: enough to check our own output against a. */
static char *
patch(const char *a, const char *diff)
{
	dd_buf out = DD_BUF_INIT;
	const char *ap = a, *d = diff, *l;
	size_t aline = 1;
	next_line(&d, &l); /* --- */
	next_line(&d, &l); /* +++ */
	while (*d) {
		ck_assert(strncmp(d, "@@ -", 4) == 0);
		char *end;
		unsigned long as = strtoul(d + 4, &end, 10), an = 1;
		if (*end == ',')
			an = strtoul(end + 1, NULL, 10);
		next_line(&d, &l);
		/* an empty range names the line after which the hunk goes */
		unsigned long first = an ? as : as + 1;
		while (aline < first) {
			size_t n = next_line(&ap, &l);
			dd_buf_put(&out, l, n);
			aline++;
		}
		while (*d && strncmp(d, "@@ ", 3) != 0) {
			size_t n = next_line(&d, &l);
			size_t body = n - 1; /* the mark is not part of it */
			if (strncmp(d, "\\ No newline", 12) == 0) {
				const char *skip;
				next_line(&d, &skip);
				body--; /* the line ends without '\n' */
			}
			if (l[0] == ' ' || l[0] == '-') {
				const char *al;
				size_t alen = next_line(&ap, &al);
				ck_assert_msg(alen == body && memcmp(al, l + 1, body) == 0,
				    "a context or removed line does not match a at line %zu", aline);
				aline++;
			}
			if (l[0] == ' ' || l[0] == '+')
				dd_buf_put(&out, l + 1, body);
		}
	}
	dd_buf_puts(&out, ap);
	if (!out.ptr)
		dd_buf_put(&out, "", 0);
	return dd_buf_detach(&out, NULL);
}

START_TEST(test_diff_round_trips)
{
	static const struct {
		const char *a, *b;
	} pairs[] = {
		{ "a\nb\nc\n", "a\nB\nc\n" },
		{ "a\nb\nc\n", "a\nb\nc\nd\n" },
		{ "a\nb\nc\n", "x\na\nb\nc\n" },
		{ "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "1\n2\nX\n4\n5\n6\n7\n8\n9\n10\nY\n12\n" },
		{ "a\nb", "a\nc" },
		{ "a\nb\n", "a\nb" },
		{ "", "new\n" },
		{ "FROM a\r\nRUN x\r\n", "FROM a\r\nRUN y\r\nUSER 1\r\n" },
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(*pairs); i++) {
		dd_buf d = DD_BUF_INIT;
		dd_diff_unified(&d, "a/f", pairs[i].a, strlen(pairs[i].a), "b/f", pairs[i].b, strlen(pairs[i].b));
		ck_assert_msg(d.len > 0, "pair %zu: empty diff", i);
		ck_assert(strncmp(d.ptr, "--- a/f\n+++ b/f\n@@ -", 20) == 0);
		char *got = patch(pairs[i].a, d.ptr);
		ck_assert_msg(strcmp(got, pairs[i].b) == 0, "pair %zu: the diff gives\n%s\nnot\n%s\n(diff:\n%s)", i,
		    got, pairs[i].b, d.ptr);
		free(got);
		dd_buf_free(&d);
	}
	dd_buf d = DD_BUF_INIT;
	dd_diff_unified(&d, "a", "same\n", 5, "b", "same\n", 5);
	ck_assert_uint_eq(d.len, 0);
	dd_buf_free(&d);
}
END_TEST

/* The hunk header of a one-line change with context, as diff -u writes it. */
START_TEST(test_diff_header)
{
	dd_buf d = DD_BUF_INIT;
	const char *a = "1\n2\n3\n4\n5\n6\n7\n8\n", *b = "1\n2\n3\n4\nfive\n6\n7\n8\n";
	dd_diff_unified(&d, "a/f", a, strlen(a), "b/f", b, strlen(b));
	ck_assert_str_eq(d.ptr, "--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
	dd_buf_free(&d);
}
END_TEST

Suite *
edit_suite(void)
{
	Suite *s = suite_create("edit");
	TCase *e = tcase_create("edits");
	tcase_add_test(e, test_edit_replace_insert_delete);
	tcase_add_test(e, test_edit_insertions_keep_order);
	tcase_add_test(e, test_edit_overlap_defers_the_later_rule);
	tcase_add_test(e, test_edit_insert_at_range_ends);
	tcase_add_test(e, test_edit_refuses_bad_offsets);
	suite_add_tcase(s, e);
	TCase *d = tcase_create("diff");
	tcase_add_test(d, test_diff_round_trips);
	tcase_add_test(d, test_diff_header);
	suite_add_tcase(s, d);
	return s;
}

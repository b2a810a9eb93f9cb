/* Unit tests for dd_go_quote and dd_go_quote_list against Go's exact output. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "drydock/buf.h"
#include "goquote.h"

/* Quote len bytes of s and compare with the expected Go output. */
static void
expect_quote(const char *s, size_t len, const char *want)
{
	dd_buf b = DD_BUF_INIT;

	dd_go_quote(&b, s, len);
	ck_assert_uint_eq(b.len, strlen(want));
	ck_assert_msg(memcmp(b.ptr, want, b.len) == 0,
	    "quote gave %s, want %s", b.ptr, want);
	dd_buf_free(&b);
}

#define Q(lit, want) expect_quote(lit, sizeof(lit) - 1, want)

START_TEST(test_goquote_ascii)
{
	Q("", "\"\"");
	Q("abc 123", "\"abc 123\"");
	Q("\"", "\"\\\"\"");
	Q("\\", "\"\\\\\"");
	Q("'", "\"'\"");
	Q("a\"b\\c", "\"a\\\"b\\\\c\"");
	Q(" ~!#$%&()*+,-./:;<=>?@[]^_`{|}", "\" ~!#$%&()*+,-./:;<=>?@[]^_`{|}\"");
	Q("--from=a b", "\"--from=a b\"");
}
END_TEST

START_TEST(test_goquote_controls)
{
	Q("\a\b\f\n\r\t\v", "\"\\a\\b\\f\\n\\r\\t\\v\"");
	Q("\x1b", "\"\\x1b\"");
	Q("\x01\x06\x0e\x1f", "\"\\x01\\x06\\x0e\\x1f\"");
	Q("\x7f", "\"\\x7f\"");
	/* An embedded NUL is data, not the end of the string. */
	Q("a\0b", "\"a\\x00b\"");
	Q("\0", "\"\\x00\"");
}
END_TEST

START_TEST(test_goquote_unicode_printable)
{
	Q("\xe2\x99\xa5", "\"\xe2\x99\xa5\"");                 /* U+2665 heart */
	Q("\xe2\x98\x83", "\"\xe2\x98\x83\"");                 /* U+2603 snowman */
	Q("e\xcc\x81", "\"e\xcc\x81\"");                       /* U+0301 combining acute */
	Q("\xe0\xa4\x95\xe0\xa5\x8d", "\"\xe0\xa4\x95\xe0\xa5\x8d\""); /* Devanagari + virama */
	Q("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");         /* U+1F600 emoji */
	Q("\xe2\x9d\xa4\xef\xb8\x8f", "\"\xe2\x9d\xa4\xef\xb8\x8f\""); /* heart + VS16 */
	Q("\xc3\x83\xc2\xbc", "\"\xc3\x83\xc2\xbc\"");         /* "Ã¼" */
	Q("\xe2\x82\xac", "\"\xe2\x82\xac\"");                 /* U+20AC euro */
	Q("\xe4\xb8\xad", "\"\xe4\xb8\xad\"");                 /* U+4E2D CJK */
	/* A validly encoded U+FFFD is a symbol: raw. */
	Q("\xef\xbf\xbd", "\"\xef\xbf\xbd\"");
}
END_TEST

START_TEST(test_goquote_unicode_escaped)
{
	Q("\xc2\xa0", "\"\\u00a0\"");         /* NBSP */
	Q("\xc2\x85", "\"\\u0085\"");         /* NEL, a C1 control */
	Q("\xc2\x80\xc2\x9f", "\"\\u0080\\u009f\"");
	Q("\xc2\xad", "\"\\u00ad\"");         /* soft hyphen */
	Q("\xe2\x80\x8d", "\"\\u200d\"");     /* ZWJ */
	Q("\xe2\x80\x8b", "\"\\u200b\"");     /* ZWSP */
	Q("\xe2\x80\x80\xe2\x80\x8a", "\"\\u2000\\u200a\"");
	Q("\xe2\x80\xa8\xe2\x80\xa9", "\"\\u2028\\u2029\"");
	Q("\xe2\x81\xa0", "\"\\u2060\"");     /* word joiner */
	Q("\xe3\x80\x80", "\"\\u3000\"");     /* ideographic space */
	Q("\xef\xbb\xbf", "\"\\ufeff\"");     /* BOM */
	Q("\xee\x80\x80", "\"\\ue000\"");     /* private use */
	Q("\xcd\xb8", "\"\\u0378\"");         /* unassigned */
	Q("\xf3\xb0\x80\x80", "\"\\U000f0000\""); /* plane 15 private use */
	Q("\xf4\x8f\xbf\xbf", "\"\\U0010ffff\"");
	Q("\xf3\xa0\x80\x81", "\"\\U000e0001\""); /* language tag */
	Q("a\xc2\xa0" "b", "\"a\\u00a0b\"");
}
END_TEST

START_TEST(test_goquote_invalid_utf8)
{
	Q("\xff", "\"\\xff\"");
	Q("\x80", "\"\\x80\"");
	Q("\xfe\xff", "\"\\xfe\\xff\"");
	/* A truncated 3-byte sequence: each byte on its own. */
	Q("\xe2\x82", "\"\\xe2\\x82\"");
	Q("\xe2\x82" "A", "\"\\xe2\\x82A\"");
	Q("x\xe2\x82\xe2\x82\xac", "\"x\\xe2\\x82\xe2\x82\xac\"");
	/* Overlong forms and encoded surrogates are invalid. */
	Q("\xc0\xaf", "\"\\xc0\\xaf\"");
	Q("\xe0\x80\xaf", "\"\\xe0\\x80\\xaf\"");
	Q("\xed\xa0\x80", "\"\\xed\\xa0\\x80\"");
	Q("\xf4\x90\x80\x80", "\"\\xf4\\x90\\x80\\x80\"");
	/* Latin-1 bytes, as raw-text parsers keep them. */
	Q("caf\xe9", "\"caf\\xe9\"");
}
END_TEST

START_TEST(test_goquote_buildkit_examples)
{
	/* testfile json: the decoded "\" \\ / \b \f \n \r \t \u0000" */
	Q("\" \\ / \b \f \n \r \t \0", "\"\\\" \\\\ / \\b \\f \\n \\r \\t \\x00\"");
	/* testfile escapes: ADD \conf\\" /.znc */
	Q("\\conf\\\\\"", "\"\\\\conf\\\\\\\\\\\"\"");
	Q("/usr\\\"/bin/znc", "\"/usr\\\\\\\"/bin/znc\"");
	/* A flag re-encoded from Latin-1: U+0080 is a C1 control. */
	Q("\xc3\xa2\xc2\x82\xc2\xac", "\"\xc3\xa2\\u0082\xc2\xac\"");
}
END_TEST

START_TEST(test_goquote_appends)
{
	dd_buf b = DD_BUF_INIT;

	dd_buf_puts(&b, "(cmd ");
	dd_go_quote(&b, "a", 1);
	dd_buf_putc(&b, ' ');
	dd_go_quote(&b, NULL, 0);
	ck_assert_str_eq(b.ptr, "(cmd \"a\" \"\"");
	dd_buf_free(&b);
}
END_TEST

START_TEST(test_goquote_list)
{
	dd_buf b = DD_BUF_INIT;
	const char *flags[] = { "--user=me", "--doit=true" };
	const char *odd[] = { "a\0b", "\xff", "\xc2\xa0" };
	const size_t odd_lens[] = { 3, 1, 2 };

	dd_go_quote_list(&b, NULL, NULL, 0);
	ck_assert_str_eq(b.ptr, "[]");
	dd_buf_clear(&b);
	dd_go_quote_list(&b, flags, NULL, 1);
	ck_assert_str_eq(b.ptr, "[\"--user=me\"]");
	dd_buf_clear(&b);
	dd_go_quote_list(&b, flags, NULL, 2);
	ck_assert_str_eq(b.ptr, "[\"--user=me\" \"--doit=true\"]");
	dd_buf_clear(&b);
	dd_go_quote_list(&b, odd, odd_lens, 3);
	ck_assert_str_eq(b.ptr, "[\"a\\x00b\" \"\\xff\" \"\\u00a0\"]");
	dd_buf_clear(&b);
	/* An empty flag still prints its quotes. */
	dd_go_quote_list(&b, (const char *const[]){ "" }, NULL, 1);
	ck_assert_str_eq(b.ptr, "[\"\"]");
	dd_buf_free(&b);
}
END_TEST

Suite *
goquote_suite(void)
{
	Suite *s = suite_create("goquote");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_goquote_ascii);
	tcase_add_test(tc, test_goquote_controls);
	tcase_add_test(tc, test_goquote_unicode_printable);
	tcase_add_test(tc, test_goquote_unicode_escaped);
	tcase_add_test(tc, test_goquote_invalid_utf8);
	tcase_add_test(tc, test_goquote_buildkit_examples);
	tcase_add_test(tc, test_goquote_appends);
	tcase_add_test(tc, test_goquote_list);
	suite_add_tcase(s, tc);
	return s;
}

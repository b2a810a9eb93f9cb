/* Unit tests for df_json_string_array: Go json.Unmarshal as BuildKit uses it. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "df_json.h"
#include "drydock/buf.h"
#include "goquote.h"
#include "testutil.h"

/* Decoded elements, rendered as Go's %q of the []string, and raw. */
typedef struct {
	dd_buf quoted;
	dd_buf raw;
	size_t n;
} collect;

static void
on_string(void *ctx, const char *s, size_t len)
{
	collect *c = ctx;

	dd_buf_putc(&c->quoted, c->n++ ? ' ' : '[');
	dd_go_quote(&c->quoted, s, len);
	dd_buf_put(&c->raw, s, len);
}

static void
collect_free(collect *c)
{
	dd_buf_free(&c->quoted);
	dd_buf_free(&c->raw);
}

/*
 * Decode len bytes of s, expect rc, and for DF_JSON_OK expect the elements
 * to print as want (Go's %q of the []string). No callback unless OK.
 */
static void
expect_json(const char *s, size_t len, int rc, const char *want)
{
	collect c = { DD_BUF_INIT, DD_BUF_INIT, 0 };
	int got = df_json_string_array(s, len, on_string, &c);

	ck_assert_msg(got == rc, "%s: rc %d, want %d", s, got, rc);
	ck_assert_int_eq(df_json_string_array(s, len, NULL, NULL), rc);
	if (rc != DF_JSON_OK) {
		ck_assert_uint_eq(c.n, 0);
	} else {
		if (c.n == 0)
			dd_buf_putc(&c.quoted, '[');
		dd_buf_putc(&c.quoted, ']');
		ck_assert_msg(strcmp(c.quoted.ptr, want) == 0,
		    "%s: got %s, want %s", s, c.quoted.ptr, want);
	}
	collect_free(&c);
}

#define J(lit, rc, want) expect_json(lit, sizeof(lit) - 1, rc, want)
#define OK(lit, want) J(lit, DF_JSON_OK, want)
#define NOTSTR(lit) J(lit, DF_JSON_NOT_STRINGS, NULL)
#define BAD(lit) J(lit, DF_JSON_INVALID, NULL)

/* testfiles/json: every line decodes and dumps exactly as in result. */
START_TEST(test_json_buildkit_testfile)
{
	const char *dir = "conformance/moby__buildkit/frontend/dockerfile/"
	    "parser/testfiles/json/";
	char path[512];
	char *df_path, *res_path, *df, *res, *line, *want, *save1, *save2;
	size_t n;
	int lines = 0;

	snprintf(path, sizeof(path), "%sDockerfile", dir);
	df_path = tu_corpus_path(path);
	snprintf(path, sizeof(path), "%sresult", dir);
	res_path = tu_corpus_path(path);
	df = tu_read_file(df_path, &n);
	res = tu_read_file(res_path, &n);
	ck_assert_msg(df && res, "cannot read %s (set DD_CORPUS)", df_path);
	line = strtok_r(df, "\n", &save1);
	want = strtok_r(res, "\n", &save2);
	for (; line && want; lines++) {
		collect c = { DD_BUF_INIT, DD_BUF_INIT, 0 };
		/* Cut off "CMD" and the blank run after it, as BuildKit does. */
		const char *arg = line + strcspn(line, " \t\v\f\r");
		arg += strspn(arg, " \t\v\f\r");
		ck_assert_int_eq(df_json_string_array(arg, strlen(arg),
		    on_string, &c), DF_JSON_OK);
		dd_buf out = DD_BUF_INIT;
		dd_buf_puts(&out, "(cmd");
		if (c.n) {
			dd_buf_putc(&out, ' ');
			/* Skip the '[' the collector opened with. */
			dd_buf_put(&out, c.quoted.ptr + 1, c.quoted.len - 1);
		}
		dd_buf_putc(&out, ')');
		ck_assert_str_eq(out.ptr, want);
		dd_buf_free(&out);
		collect_free(&c);
		line = strtok_r(NULL, "\n", &save1);
		want = strtok_r(NULL, "\n", &save2);
	}
	ck_assert_ptr_null(line);
	ck_assert_ptr_null(want);
	ck_assert_int_eq(lines, 8);
	free(df);
	free(res);
	free(df_path);
	free(res_path);
}
END_TEST

/* The inputs of BuildKit's json_test.go, valid then invalid. */
START_TEST(test_json_buildkit_unit_cases)
{
	OK("[]", "[]");
	OK("[\"\"]", "[\"\"]");
	OK("[\"a\"]", "[\"a\"]");
	OK("[\"a\",\"b\"]", "[\"a\" \"b\"]");
	OK("[ \"a\", \"b\" ]", "[\"a\" \"b\"]");
	OK("[\t\"a\",\t\"b\"\t]", "[\"a\" \"b\"]");
	OK("\t[\t\"a\",\t\"b\"\t]\t", "[\"a\" \"b\"]");
	OK("[\"abc 123\", \"\xe2\x99\xa5\", \"\xe2\x98\x83\", "
	    "\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0000\"]",
	    "[\"abc 123\" \"\xe2\x99\xa5\" \"\xe2\x98\x83\" "
	    "\"\\\" \\\\ / \\b \\f \\n \\r \\t \\x00\"]");

	NOTSTR("[\"a\",42,\"b\"]");
	NOTSTR("[\"a\",123.456,\"b\"]");
	NOTSTR("[\"a\",{},\"b\"]");
	NOTSTR("[\"a\",{\"c\": \"d\"},\"b\"]");
	NOTSTR("[\"a\",[\"c\"],\"b\"]");
	NOTSTR("[\"a\",true,\"b\"]");
	NOTSTR("[\"a\",false,\"b\"]");
	NOTSTR("[\"a\",null,\"b\"]");
}
END_TEST

/* Cases from the research notes (buildkit-parser.md §3, §9). */
START_TEST(test_json_research_cases)
{
	NOTSTR("[\"a\", 1]");
	BAD("[\"a\", 01]");
	BAD("['a']");
	BAD("['echo','single quotes are invalid JSON']");
	NOTSTR("[ \"echo\", [ \"nested json\" ] ]");
	OK("[]", "[]");
	OK("[ ]", "[]");
	OK("[\"a b\"]", "[\"a b\"]");
	BAD("[\"a\"] x");
	BAD("[ -f x ] && y");
	BAD("[\"a\tb\"]");
}
END_TEST

START_TEST(test_json_grammar)
{
	OK("[ \t\r\n]", "[]");
	OK("[\"a\"] \t\r\n", "[\"a\"]");
	OK("[\n\"a\"\r\n,\r\n\"b\"\n]", "[\"a\" \"b\"]");
	BAD("");
	BAD("[");
	BAD("]");
	BAD("[\"a\"");
	BAD("[\"a\",");
	BAD("[\"a");
	BAD("[,]");
	BAD("[\"a\",]");
	BAD("[,\"a\"]");
	BAD("[\"a\",,\"b\"]");
	BAD("[\"a\" \"b\"]");
	BAD("[\"a\"]]");
	BAD("[\"a\"][]");
	BAD("[\"a\"],");
	BAD("[/* c */ \"a\"]");
	BAD("[\"a\"] // c");
	BAD("[\"a\"] # c");
	BAD("[a]");
	BAD("[\"a\"}");
	BAD("[}");
	/* Only space, tab, CR and LF separate tokens. */
	BAD("[\"a\"]\v");
	BAD("[\f\"a\"]");
	BAD("[\"a\"]\xc2\xa0");
	BAD("[\xc2\xa0\"a\"]");
	BAD("[\"a\"]\0");
	/* No '[' after the trimming: not the exec form at all. */
	BAD("\"a\"");
	BAD("{}");
	BAD("1");
	BAD("a [\"b\"]");
	BAD("\xef\xbb\xbf[\"a\"]"); /* U+FEFF is not a Unicode space */
}
END_TEST

START_TEST(test_json_leading_unicode_space)
{
	OK(" \t\n\v\f\r[\"a\"]", "[\"a\"]");
	OK("\xc2\xa0[\"a\"]", "[\"a\"]");             /* NBSP */
	OK("\xc2\x85[\"a\"]", "[\"a\"]");             /* U+0085 */
	OK("\xe2\x80\x83\xe3\x80\x80[\"a\"]", "[\"a\"]"); /* U+2003, U+3000 */
	OK("\xe2\x80\xa8\xe1\x9a\x80[\"a\"]", "[\"a\"]"); /* U+2028, U+1680 */
	/* A raw 0x85 or 0xA0 byte is invalid UTF-8, not whitespace. */
	BAD("\x85[\"a\"]");
	BAD("\xa0[\"a\"]");
	BAD("\xe2\x80\x8b[\"a\"]"); /* ZWSP is not a space */
}
END_TEST

START_TEST(test_json_scalars)
{
	NOTSTR("[0]");
	NOTSTR("[-0]");
	NOTSTR("[-1]");
	NOTSTR("[10]");
	NOTSTR("[1.5]");
	NOTSTR("[0.5e10]");
	NOTSTR("[1E-2]");
	NOTSTR("[1e+2]");
	NOTSTR("[-0.0e-0]");
	NOTSTR("[1,2]");
	NOTSTR("[true]");
	NOTSTR("[false]");
	NOTSTR("[null]");
	NOTSTR("[true,false,null]");
	BAD("[01]");
	BAD("[-01]");
	BAD("[00]");
	BAD("[1.]");
	BAD("[.5]");
	BAD("[+1]");
	BAD("[-]");
	BAD("[--1]");
	BAD("[1e]");
	BAD("[1e+]");
	BAD("[1.e5]");
	BAD("[1.5.2]");
	BAD("[0x10]");
	BAD("[1 2]");
	BAD("[Infinity]");
	BAD("[NaN]");
	BAD("[True]");
	BAD("[nul]");
	BAD("[nulll]");
	BAD("[truex]");
	BAD("[true1]");
	BAD("[\"a\"1]");
}
END_TEST

START_TEST(test_json_objects)
{
	NOTSTR("[{}]");
	NOTSTR("[{ }]");
	NOTSTR("[{\"a\":1}]");
	NOTSTR("[{\"a\" : \"b\" , \"c\" : [ ] }]");
	NOTSTR("[{\"a\":{\"b\":[{\"c\":null}]}}]");
	NOTSTR("[{\"a\":1,\"a\":2}]"); /* duplicate keys are fine */
	NOTSTR("[{\"\\u00e9\\n\":true}]");
	NOTSTR("[{\"\xff\":0}]");
	BAD("[{a:1}]");
	BAD("[{'a':1}]");
	BAD("[{1:1}]");
	BAD("[{\"a\"}]");
	BAD("[{\"a\":}]");
	BAD("[{\"a\" 1}]");
	BAD("[{\"a\":1,}]");
	BAD("[{,}]");
	BAD("[{\"a\":1 \"b\":2}]");
	BAD("[{\"a\":1]");
	BAD("[{\"a\":1}}");
	BAD("[{]");
	BAD("[{\"a\\x\":1}]");  /* keys are validated too */
	BAD("[{\"a\tb\":1}]");
	BAD("[{\"a\":01}]");
}
END_TEST

START_TEST(test_json_escapes)
{
	OK("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]", "[\"\\\"\\\\/\\b\\f\\n\\r\\t\"]");
	OK("[\"\\u0041\\u00e9\\u00E9\\u20ac\"]", "[\"A\xc3\xa9\xc3\xa9\xe2\x82\xac\"]");
	OK("[\"\\u00a0\\u001b\\u007f\"]", "[\"\\u00a0\\x1b\\x7f\"]");
	OK("[\"\\uFEFF\"]", "[\"\\ufeff\"]");
	OK("[\"\\uffff\"]", "[\"\\uffff\"]");
	OK("[\"\\ufffd\"]", "[\"\xef\xbf\xbd\"]");
	BAD("[\"\\x41\"]");
	BAD("[\"\\'\"]");
	BAD("[\"\\a\"]");
	BAD("[\"\\U0041\"]");
	BAD("[\"\\u12\"]");
	BAD("[\"\\u12G4\"]");
	BAD("[\"\\u\"]");
	BAD("[\"\\\"]");
	BAD("[\"\\");
	BAD("[\"\\ \"]");
}
END_TEST

START_TEST(test_json_nul)
{
	collect c = { DD_BUF_INIT, DD_BUF_INIT, 0 };
	static const char in[] = "[\"a\\u0000b\", \"\\u0000\"]";

	ck_assert_int_eq(df_json_string_array(in, sizeof(in) - 1, on_string, &c),
	    DF_JSON_OK);
	ck_assert_uint_eq(c.n, 2);
	ck_assert_uint_eq(c.raw.len, 4);
	ck_assert(memcmp(c.raw.ptr, "a\0b\0", 4) == 0);
	collect_free(&c);
	/* A raw NUL inside a string is a control character. */
	BAD("[\"a\0b\"]");
}
END_TEST

START_TEST(test_json_raw_controls)
{
	BAD("[\"a\tb\"]");
	BAD("[\"a\nb\"]");
	BAD("[\"a\rb\"]");
	BAD("[\"\x01\"]");
	BAD("[\"\x1f\"]");
	/* DEL and everything from 0x80 up are allowed raw. */
	OK("[\"\x7f\"]", "[\"\\x7f\"]");
	OK("[\"\xc2\xa0\"]", "[\"\\u00a0\"]");
}
END_TEST

START_TEST(test_json_surrogates)
{
	/* A pair, in either case, is one code point. */
	OK("[\"\\ud83d\\ude00\"]", "[\"\xf0\x9f\x98\x80\"]");
	OK("[\"\\uD83D\\uDE00\"]", "[\"\xf0\x9f\x98\x80\"]");
	OK("[\"\\udbff\\udfff\"]", "[\"\\U0010ffff\"]");
	OK("[\"\\ud800\\udc00\"]", "[\"\xf0\x90\x80\x80\"]");
	/* Lone halves become U+FFFD. */
	OK("[\"\\ud800\"]", "[\"\xef\xbf\xbd\"]");
	OK("[\"\\udc00\"]", "[\"\xef\xbf\xbd\"]");
	OK("[\"\\udfff x\"]", "[\"\xef\xbf\xbd x\"]");
	OK("[\"\\ud800x\"]", "[\"\xef\xbf\xbdx\"]");
	OK("[\"\\ud800\\n\"]", "[\"\xef\xbf\xbd\\n\"]");
	OK("[\"\\ud800\\\\\"]", "[\"\xef\xbf\xbd\\\\\"]");
	/* A high half followed by a non-low escape: U+FFFD, then that escape. */
	OK("[\"\\ud800\\u0041\"]", "[\"\xef\xbf\xbd" "A\"]");
	OK("[\"\\ud800\\ud800\"]", "[\"\xef\xbf\xbd\xef\xbf\xbd\"]");
	OK("[\"\\ud800\\ud83d\\ude00\"]", "[\"\xef\xbf\xbd\xf0\x9f\x98\x80\"]");
	OK("[\"\\udc00\\ud800\"]", "[\"\xef\xbf\xbd\xef\xbf\xbd\"]");
	OK("[\"\\ud83d\\ude00\\ude00\"]", "[\"\xf0\x9f\x98\x80\xef\xbf\xbd\"]");
	OK("[\"\\ud800\", \"\\udc00\"]", "[\"\xef\xbf\xbd\" \"\xef\xbf\xbd\"]");
	/* The escape after a high half must still be valid. */
	BAD("[\"\\ud800\\u12\"]");
}
END_TEST

START_TEST(test_json_invalid_utf8)
{
	OK("[\"\xff\"]", "[\"\xef\xbf\xbd\"]");
	OK("[\"a\x80z\"]", "[\"a\xef\xbf\xbdz\"]");
	/* Truncated, overlong and surrogate sequences: U+FFFD per byte. */
	OK("[\"\xe2\x82\"]", "[\"\xef\xbf\xbd\xef\xbf\xbd\"]");
	OK("[\"\xe2\x82" "A\"]", "[\"\xef\xbf\xbd\xef\xbf\xbd" "A\"]");
	OK("[\"\xc0\xaf\"]", "[\"\xef\xbf\xbd\xef\xbf\xbd\"]");
	OK("[\"\xed\xa0\x80\"]", "[\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"]");
	OK("[\"\xf4\x90\x80\x80\"]",
	    "[\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"]");
	/* Valid sequences are kept as they are. */
	OK("[\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbf\xbd\"]",
	    "[\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbf\xbd\"]");
	OK("[\"\xe2\x80\x8d\"]", "[\"\\u200d\"]");
	/* Invalid bytes outside strings are syntax errors. */
	BAD("[\"a\"\xff]");
	BAD("[\xff]");
}
END_TEST

/* Numbers that do not fit a float64 make Unmarshal into any fail. */
START_TEST(test_json_number_range)
{
	NOTSTR("[1e308]");
	NOTSTR("[-1e308]");
	NOTSTR("[1.7976931348623157e308]");
	NOTSTR("[1.7976931348623158e308]"); /* rounds down to MaxFloat64 */
	BAD("[1.7976931348623159e308]");
	BAD("[1e309]");
	BAD("[-1e309]");
	BAD("[\"a\", 1e400]");
	BAD("[[1e400]]");
	BAD("[{\"k\":1e400}]");
	BAD("[1e400, true]");
	NOTSTR("[1e-400]");
	NOTSTR("[0e99999999999999999999]");
	NOTSTR("[0.000e400]");
	NOTSTR("[0.001e311]");
	BAD("[0.001e312]");
	NOTSTR("[12345e-99999999999999999999]");
	/* Exactly halfway above MaxFloat64 rounds to even: infinity. */
	BAD("[179769313486231580793728971405303415079934132710037826936173778980"
	    "444968292764750946649017977587207096330286416692887910946555547851"
	    "940402630657488671505820681908902000708383676273854845817711531764"
	    "475730270069855571366959622842914819860834936475292719074168444365"
	    "510704342711559699508093042880177904174497792]");
	NOTSTR("[17976931348623158079372897140530341507993413271003782693617377898"
	    "04449682927647509466490179775872070963302864166928879109465555478"
	    "51940402630657488671505820681908902000708383676273854845817711531"
	    "76447573027006985557136695962284291481986083493647529271907416844"
	    "4365510704342711559699508093042880177904174497791.999]");
	BAD("[1797693134862315807937289714053034150799341327100378269361737789.9"
	    "e245]");
	NOTSTR("[1797693134862315807937289714053034150799341327100378269361737789"
	    ".8e245]");
}
END_TEST

/* Build "[" + head + zeros + tail + "]", for Go's number quirks. */
static char *
big_number(const char *head, size_t zeros, const char *tail, size_t *len)
{
	size_t lh = strlen(head), lt = strlen(tail);
	char *s = malloc(lh + zeros + lt + 3);

	s[0] = '[';
	memcpy(s + 1, head, lh);
	memset(s + 1 + lh, '0', zeros);
	memcpy(s + 1 + lh + zeros, tail, lt);
	memcpy(s + 1 + lh + zeros + lt, "]", 2);
	*len = lh + zeros + lt + 2;
	return s;
}

static int
big_number_rc(const char *head, size_t zeros, const char *tail)
{
	size_t len;
	char *s = big_number(head, zeros, tail, &len);
	int rc = df_json_string_array(s, len, NULL, NULL);

	free(s);
	return rc;
}

START_TEST(test_json_number_go_quirks)
{
	/*
	 * Go's slow path counts at most 800 integer digits, so 1e1000 written
	 * out overflows but "1" + 1000 zeros + "e-600" parses as 1e199.
	 */
	ck_assert_int_eq(big_number_rc("1", 308, ""), DF_JSON_NOT_STRINGS);
	ck_assert_int_eq(big_number_rc("1", 309, ""), DF_JSON_INVALID);
	ck_assert_int_eq(big_number_rc("1", 1000, ""), DF_JSON_INVALID);
	ck_assert_int_eq(big_number_rc("1", 1000, "e-600"), DF_JSON_NOT_STRINGS);
	ck_assert_int_eq(big_number_rc("1", 1000, "e-491"), DF_JSON_NOT_STRINGS);
	ck_assert_int_eq(big_number_rc("1", 1000, "e-490"), DF_JSON_INVALID);
	/*
	 * The exponent stops accumulating once it reaches 10000: "100400"
	 * counts as 10040, so 0.(99990 zeros)1e100400, really 1e410, is 0.
	 */
	ck_assert_int_eq(big_number_rc("0.", 99990, "1e100400"),
	    DF_JSON_NOT_STRINGS);
	ck_assert_int_eq(big_number_rc("0.", 9990, "1e10300"), DF_JSON_INVALID);
	NOTSTR("[0.1e-100000]");
	BAD("[1e100000]");
}
END_TEST

/* n opening brackets, an optional scalar, n closing ones. */
static char *
nested(size_t n, const char *open, const char *mid, const char *close,
    size_t *len)
{
	size_t lo = strlen(open), lm = strlen(mid), lc = strlen(close);
	char *s = malloc(n * (lo + lc) + lm + 1), *p = s;

	for (size_t i = 0; i < n; i++, p += lo)
		memcpy(p, open, lo);
	memcpy(p, mid, lm);
	p += lm;
	for (size_t i = 0; i < n; i++, p += lc)
		memcpy(p, close, lc);
	*p = '\0';
	*len = (size_t)(p - s);
	return s;
}

START_TEST(test_json_depth)
{
	size_t len;
	char *s;

	s = nested(10000, "[", "", "]", &len);
	ck_assert_int_eq(df_json_string_array(s, len, NULL, NULL),
	    DF_JSON_NOT_STRINGS);
	free(s);
	s = nested(10001, "[", "", "]", &len);
	ck_assert_int_eq(df_json_string_array(s, len, NULL, NULL), DF_JSON_INVALID);
	free(s);
	s = nested(10000, "[", "\"x\"", "]", &len);
	ck_assert_int_eq(df_json_string_array(s, len, NULL, NULL),
	    DF_JSON_NOT_STRINGS);
	free(s);
	/* Objects count too: 1 array + 9999 objects is the limit. */
	s = nested(9999, "{\"k\":", "1", "}", &len);
	char *t = malloc(len + 3);
	sprintf(t, "[%s]", s);
	ck_assert_int_eq(df_json_string_array(t, len + 2, NULL, NULL),
	    DF_JSON_NOT_STRINGS);
	free(s);
	free(t);
	s = nested(10000, "{\"k\":", "1", "}", &len);
	t = malloc(len + 3);
	sprintf(t, "[%s]", s);
	ck_assert_int_eq(df_json_string_array(t, len + 2, NULL, NULL),
	    DF_JSON_INVALID);
	free(s);
	free(t);
	/* Mismatched closers at depth. */
	s = nested(5000, "[{\"a\":", "1", "]}", &len);
	ck_assert_int_eq(df_json_string_array(s, len, NULL, NULL), DF_JSON_INVALID);
	free(s);
	s = nested(5000, "[{\"a\":", "1", "}]", &len);
	ck_assert_int_eq(df_json_string_array(s, len, NULL, NULL),
	    DF_JSON_NOT_STRINGS);
	free(s);
}
END_TEST

#define BIG (5u << 20)

static void
count_cb(void *ctx, const char *s, size_t len)
{
	size_t *n = ctx;
	(void)s;
	*n += len;
}

static double
cpu_since(clock_t t0)
{
	return (double)(clock() - t0) / CLOCKS_PER_SEC;
}

START_TEST(test_json_large_inputs)
{
	static const char elem[] = "\"ab\\n\xc3\xa9\\u00e9\", ";
	char *s = malloc(BIG + 64);
	size_t n = 0, bytes = 0, len, count = 0;
	clock_t t0 = clock();

	/* A 5 MB array of short strings with escapes and UTF-8. */
	s[n++] = '[';
	for (; n < BIG; count++, n += sizeof(elem) - 1)
		memcpy(s + n, elem, sizeof(elem) - 1);
	memcpy(s + n, "\"\"]", 3);
	len = n + 3;
	ck_assert_int_eq(df_json_string_array(s, len, count_cb, &bytes),
	    DF_JSON_OK);
	ck_assert_uint_eq(bytes, count * 7); /* "ab", LF, two e-acutes */
	/* One 5 MB string. */
	memset(s, 'a', BIG);
	s[0] = '[';
	s[1] = '"';
	memcpy(s + BIG - 2, "\"]", 2);
	bytes = 0;
	ck_assert_int_eq(df_json_string_array(s, BIG, count_cb, &bytes),
	    DF_JSON_OK);
	ck_assert_uint_eq(bytes, BIG - 4);
	/* 5 MB of '[' and of a number's digits. */
	memset(s, '[', BIG);
	ck_assert_int_eq(df_json_string_array(s, BIG, NULL, NULL),
	    DF_JSON_INVALID);
	memset(s, '0', BIG);
	memcpy(s, "[0.", 3);
	memcpy(s + BIG - 2, "1]", 2);
	ck_assert_int_eq(df_json_string_array(s, BIG, NULL, NULL),
	    DF_JSON_NOT_STRINGS);
	s[1] = '1';
	s[2] = '0';
	ck_assert_int_eq(df_json_string_array(s, BIG, NULL, NULL),
	    DF_JSON_INVALID);
	ck_assert_msg(cpu_since(t0) < 2.0, "large inputs took %.2fs",
	    cpu_since(t0));
	free(s);
}
END_TEST

Suite *
json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_json_buildkit_testfile);
	tcase_add_test(tc, test_json_buildkit_unit_cases);
	tcase_add_test(tc, test_json_research_cases);
	tcase_add_test(tc, test_json_grammar);
	tcase_add_test(tc, test_json_leading_unicode_space);
	tcase_add_test(tc, test_json_scalars);
	tcase_add_test(tc, test_json_objects);
	tcase_add_test(tc, test_json_escapes);
	tcase_add_test(tc, test_json_nul);
	tcase_add_test(tc, test_json_raw_controls);
	tcase_add_test(tc, test_json_surrogates);
	tcase_add_test(tc, test_json_invalid_utf8);
	tcase_add_test(tc, test_json_number_range);
	tcase_add_test(tc, test_json_number_go_quirks);
	tcase_add_test(tc, test_json_depth);
	tcase_add_test(tc, test_json_large_inputs);
	suite_add_tcase(s, tc);
	return s;
}

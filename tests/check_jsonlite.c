/* The small JSON reader used for templates/ (jsonlite.c). */
#include <check.h>
#include <string.h>

#include "drydock/alloc.h"
#include "jsonlite.h"

static jl_t *
load(dd_arena *a, const char *text, jl_error *err)
{
	return jl_loadb(text, strlen(text), a, err);
}

START_TEST(test_jsonlite_values)
{
	dd_arena *a = dd_arena_new();
	jl_error err;
	jl_t *v = load(a,
	    "{ \"s\": \"a\\\"b\\\\c\\n\\u00e9\\ud83d\\ude00/\", \"plain\": \"d\xc3\xa9j\xc3\xa0\",\n"
	    "  \"i\": -42, \"big\": 12345678901234567890, \"r\": 1.5e3, \"t\": true, \"f\": false,\n"
	    "  \"n\": null, \"arr\": [1, [], {}], \"empty\": \"\" }", &err);
	ck_assert_msg(v != NULL, "%d:%d %s", err.line, err.column, err.text);
	ck_assert(jl_is_object(v));
	ck_assert_uint_eq(jl_object_size(v), 10);
	ck_assert_str_eq(jl_string_value(jl_object_get(v, "s")), "a\"b\\c\n\xc3\xa9\xf0\x9f\x98\x80/");
	ck_assert_str_eq(jl_string_value(jl_object_get(v, "plain")), "d\xc3\xa9j\xc3\xa0");
	ck_assert_int_eq(jl_integer_value(jl_object_get(v, "i")), -42);
	ck_assert(!jl_is_integer(jl_object_get(v, "big")));
	ck_assert_int_eq(jl_object_get(v, "r")->type, JL_REAL);
	ck_assert(jl_is_true(jl_object_get(v, "t")));
	ck_assert(jl_is_boolean(jl_object_get(v, "f")) && !jl_is_true(jl_object_get(v, "f")));
	ck_assert(jl_is_null(jl_object_get(v, "n")));
	ck_assert_uint_eq(jl_array_size(jl_object_get(v, "arr")), 3);
	ck_assert_uint_eq(jl_string_length(jl_object_get(v, "empty")), 0);
	ck_assert(jl_object_get(v, "missing") == NULL);
	/* keys come in file order */
	const char *key;
	jl_t *val;
	const char *order[10];
	size_t n = 0;
	jl_object_foreach(v, key, val) {
		(void)val;
		order[n++] = key;
	}
	ck_assert_str_eq(order[0], "s");
	ck_assert_str_eq(order[9], "empty");
	dd_arena_free(a);
}
END_TEST

static const struct {
	const char *text;
	int line, column;
	const char *msg;
} bad[] = {
	{ "{\n  \"a\": tru\n}", 2, 10, "invalid token near 'tru'" },
	{ "{\"a\": 1, \"a\": 2}", 1, 12, "duplicate object key near '\"a\"'" },
	{ "{\"a\": \"x\ty\"}", 1, 9, "control character in a string" },
	{ "{\"a\": \"\xff\"}", 1, 8, "invalid UTF-8 in a string" },
	{ "{\"a\": \"\\q\"}", 1, 9, "invalid escape" },
	{ "{\"a\": 1} x", 1, 10, "end of file expected near 'x'" },
	{ "{\"a\": 01}", 1, 8, "invalid token near '01'" },
	{ "{\"a\" 1}", 1, 6, "':' expected near '1'" },
	{ "[1, 2", 1, 6, "']' expected near ''" },
	{ "{\"a\": \"open", 1, 7, "premature end of input near '\"open'" },
	{ "", 1, 1, "'[' or '{' expected near end of file" },
};

START_TEST(test_jsonlite_errors)
{
	dd_arena *a = dd_arena_new();
	jl_error err;
	ck_assert_msg(load(a, bad[_i].text, &err) == NULL, "%s parsed", bad[_i].text);
	ck_assert_str_eq(err.text, bad[_i].msg);
	ck_assert_int_eq(err.line, bad[_i].line);
	ck_assert_int_eq(err.column, bad[_i].column);
	dd_arena_free(a);
}
END_TEST

/* Nesting is bounded: deep input fails cleanly instead of exhausting the stack. */
START_TEST(test_jsonlite_depth)
{
	static char text[20001];
	memset(text, '[', 10000);
	memset(text + 10000, ']', 10000);
	dd_arena *a = dd_arena_new();
	jl_error err;
	ck_assert(load(a, text, &err) == NULL);
	ck_assert_str_eq(err.text, "maximum parsing depth reached");
	dd_arena_free(a);
}
END_TEST

Suite *
jsonlite_suite(void)
{
	Suite *s = suite_create("jsonlite");
	TCase *tc = tcase_create("jsonlite");
	tcase_add_test(tc, test_jsonlite_values);
	tcase_add_loop_test(tc, test_jsonlite_errors, 0, (int)(sizeof(bad) / sizeof(*bad)));
	tcase_add_test(tc, test_jsonlite_depth);
	suite_add_tcase(s, tc);
	return s;
}

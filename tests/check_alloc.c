/* Unit tests for the allocators, the arena and dd_buf. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "drydock/alloc.h"
#include "drydock/buf.h"
#include "drydock/error.h"

START_TEST(test_alloc_arena_zeroed_and_aligned)
{
	dd_arena *a = dd_arena_new();
	for (int i = 0; i < 10000; i++) {
		size_t n = (size_t)(i % 97) + 1;
		unsigned char *p = dd_arena_alloc(a, n);
		ck_assert_uint_eq((uintptr_t)p % _Alignof(max_align_t), 0);
		for (size_t j = 0; j < n; j++)
			ck_assert_uint_eq(p[j], 0);
		memset(p, 0xAB, n);
	}
	/* A block larger than the arena's block size still works. */
	char *big = dd_arena_alloc(a, 1 << 20);
	big[(1 << 20) - 1] = 'x';
	ck_assert_uint_ge(dd_arena_size(a), 1u << 20);
	char *s = dd_arena_strndup(a, "hello world", 5);
	ck_assert_str_eq(s, "hello");
	dd_arena_free(a);
	dd_arena_free(NULL);
}
END_TEST

START_TEST(test_alloc_buf_grows_and_detaches)
{
	dd_buf b = DD_BUF_INIT;
	for (int i = 0; i < 1000; i++)
		dd_buf_printf(&b, "%d,", i);
	ck_assert_uint_eq(b.len, strlen(b.ptr));
	ck_assert(strncmp(b.ptr, "0,1,2,", 6) == 0);
	dd_buf_clear(&b);
	dd_buf_put_utf8(&b, 0x20AC);
	dd_buf_put_utf8(&b, 0x1F600);
	ck_assert_str_eq(b.ptr, "\xE2\x82\xAC\xF0\x9F\x98\x80");
	size_t n;
	char *p = dd_buf_detach(&b, &n);
	ck_assert_uint_eq(n, 7);
	ck_assert_ptr_null(b.ptr);
	free(p);
	p = dd_buf_detach(&b, &n);
	ck_assert_str_eq(p, "");
	free(p);
}
END_TEST

START_TEST(test_alloc_error_slot)
{
	dd_error_clear();
	ck_assert_str_eq(dd_error_last(), "");
	int rc = dd_error_set(DD_EPARSE, "bad %s at %d", "thing", 3);
	ck_assert_int_eq(rc, DD_EPARSE);
	ck_assert_int_eq(dd_error_code(), DD_EPARSE);
	ck_assert_str_eq(dd_error_last(), "bad thing at 3");
}
END_TEST

Suite *
alloc_suite(void)
{
	Suite *s = suite_create("alloc");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_alloc_arena_zeroed_and_aligned);
	tcase_add_test(tc, test_alloc_buf_grows_and_detaches);
	tcase_add_test(tc, test_alloc_error_slot);
	suite_add_tcase(s, tc);
	return s;
}

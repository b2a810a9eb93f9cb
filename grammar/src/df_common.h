/*
 * Small helpers for the header-only Dockerfile lexical rules (df_*.h), which
 * are compiled into both the tree-sitter scanner and the drydock library and
 * therefore depend on nothing but libc.
 */
#ifndef DF_COMMON_H
#define DF_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A growable byte buffer; ptr is NUL-terminated once anything was written. */
typedef struct {
	char *ptr;
	size_t len, cap;
} df_buf;

static inline void
df_buf_reserve(df_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 32;
	while (cap < need)
		cap *= 2;
	char *p = realloc(b->ptr, cap);
	if (!p)
		abort(); /* same policy as tree-sitter's default allocator */
	b->ptr = p;
	b->cap = cap;
}

static inline void
df_buf_put(df_buf *b, const void *s, size_t n)
{
	df_buf_reserve(b, n);
	if (n)
		memcpy(b->ptr + b->len, s, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

static inline void
df_buf_putc(df_buf *b, int c)
{
	df_buf_reserve(b, 1);
	b->ptr[b->len++] = (char)c;
	b->ptr[b->len] = '\0';
}

/* Append the UTF-8 encoding of cp (assumed a valid scalar value). */
static inline void
df_buf_put_rune(df_buf *b, uint32_t cp)
{
	unsigned char s[4];
	size_t n;
	if (cp < 0x80) {
		s[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		s[0] = (unsigned char)(0xC0 | (cp >> 6));
		s[1] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		s[0] = (unsigned char)(0xE0 | (cp >> 12));
		s[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		s[2] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		s[0] = (unsigned char)(0xF0 | (cp >> 18));
		s[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		s[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		s[3] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	df_buf_put(b, s, n);
}

static inline void
df_buf_clear(df_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

static inline void
df_buf_free(df_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

#endif

/* Allocators that end the process on exhaustion, and the per-document arena. */
#include "drydock/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static void
oom(size_t size)
{
	fprintf(stderr, "drydock: out of memory (%zu bytes)\n", size);
	exit(3);
}

void *
dd_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		oom(size);
	return p;
}

void *
dd_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom(n * size);
	return p;
}

void *
dd_xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		oom(size);
	return p;
}

void *
dd_xreallocarray(void *ptr, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		oom(SIZE_MAX);
	return dd_xrealloc(ptr, n * size);
}

char *
dd_xstrndup(const char *s, size_t n)
{
	char *p = dd_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
dd_xstrdup(const char *s)
{
	return dd_xstrndup(s, strlen(s));
}

/* Arena: a chain of blocks; big requests get a block of their own. */
struct block {
	struct block *next;
	size_t used, cap;
	_Alignas(max_align_t) unsigned char data[];
};

struct dd_arena {
	struct block *head;
	size_t total;
};

#define BLOCK_SIZE (64 * 1024 - sizeof(struct block))

dd_arena *
dd_arena_new(void)
{
	return dd_xcalloc(1, sizeof(dd_arena));
}

static struct block *
block_new(dd_arena *a, size_t cap)
{
	struct block *b = dd_xmalloc(sizeof(*b) + cap);
	b->used = 0;
	b->cap = cap;
	a->total += sizeof(*b) + cap;
	return b;
}

void *
dd_arena_alloc(dd_arena *a, size_t size)
{
	const size_t align = _Alignof(max_align_t);
	size = (size + align - 1) & ~(align - 1);
	if (size == 0)
		size = align;
	struct block *b = a->head;
	if (!b || b->cap - b->used < size) {
		if (size > BLOCK_SIZE / 4) {
			/* Large: own block, linked behind the current one. */
			struct block *big = block_new(a, size);
			if (b) {
				big->next = b->next;
				b->next = big;
			} else {
				big->next = NULL;
				a->head = big;
			}
			big->used = size;
			memset(big->data, 0, size);
			return big->data;
		}
		b = block_new(a, BLOCK_SIZE);
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += size;
	memset(p, 0, size);
	return p;
}

char *
dd_arena_strndup(dd_arena *a, const char *s, size_t n)
{
	char *p = dd_arena_alloc(a, n + 1);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

size_t
dd_arena_size(const dd_arena *a)
{
	return a ? a->total : 0;
}

void
dd_arena_free(dd_arena *a)
{
	if (!a)
		return;
	struct block *b = a->head;
	while (b) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

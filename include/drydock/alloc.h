/* Allocation that never returns NULL: out of memory ends the process (exit 3). */
#ifndef DRYDOCK_ALLOC_H
#define DRYDOCK_ALLOC_H

#include <stddef.h>

void *dd_xmalloc(size_t size);
void *dd_xcalloc(size_t n, size_t size);
void *dd_xrealloc(void *ptr, size_t size);
/* Growth for arrays: returns ptr resized to hold n*size bytes, checking overflow. */
void *dd_xreallocarray(void *ptr, size_t n, size_t size);
char *dd_xstrdup(const char *s);
char *dd_xstrndup(const char *s, size_t n);

/* Arena: many small allocations freed at once. Memory is zeroed. */
typedef struct dd_arena dd_arena;
dd_arena *dd_arena_new(void);
void *dd_arena_alloc(dd_arena *a, size_t size);
/* Copy n bytes and append a NUL; the result lives as long as the arena. */
char *dd_arena_strndup(dd_arena *a, const char *s, size_t n);
void dd_arena_free(dd_arena *a);
/* Total bytes reserved by the arena (for benchmarks). */
size_t dd_arena_size(const dd_arena *a);

#endif

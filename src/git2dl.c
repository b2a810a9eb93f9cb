/* Loading libgit2 at run time (see git2dl.h). */
#define DD_GIT2DL_IMPL
#include "git2dl.h"

#include "drydock/common.h"
#include "drydock/error.h"

#include <dlfcn.h>
#include <stdio.h>
#include <pthread.h>

#define DD_GIT2_DEFINE(f) __typeof__(f) *dd_git2_##f;
DD_GIT2_FUNCS(DD_GIT2_DEFINE)
#undef DD_GIT2_DEFINE

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[256];

static void
load(void)
{
	/* the library the headers describe: its soname, then the development link */
	void *lib = dlopen("libgit2.so." LIBGIT2_SOVERSION, RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		lib = dlopen("libgit2.so", RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		snprintf(failure, sizeof(failure), "cannot load libgit2 %s: %s (apt-get install libgit2-1.5)",
		    LIBGIT2_SOVERSION, dlerror());
		return;
	}
	/* dlsym returns void *: the cast through a union keeps -Wpedantic quiet */
#define DD_GIT2_RESOLVE(f) \
	do { \
		union { void *p; __typeof__(f) *fn; } u = { dlsym(lib, #f) }; \
		if (!u.p && !failure[0]) \
			snprintf(failure, sizeof(failure), "libgit2 %s has no %s", LIBGIT2_SOVERSION, #f); \
		dd_git2_##f = u.fn; \
	} while (0);
	DD_GIT2_FUNCS(DD_GIT2_RESOLVE)
#undef DD_GIT2_RESOLVE
}

int
dd_git2_load(void)
{
	pthread_once(&once, load);
	if (failure[0])
		return dd_error_set(DD_EGIT, "%s", failure);
	return DD_OK;
}

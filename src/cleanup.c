/* A private temporary folder removed on every exit path, signals included. */
#include "drydock/cleanup.h"
#include "drydock/alloc.h"
#include "drydock/common.h"
#include "drydock/error.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Only what a handler may read: fixed buffers and sig_atomic_t flags. */
static char dir[PATH_MAX];
static char files[DD_CLEANUP_MAX][PATH_MAX];
static volatile sig_atomic_t nfiles;
static volatile sig_atomic_t active;
static volatile sig_atomic_t child;
static volatile sig_atomic_t pending;

static const int signals[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction saved[DD_ARRAY_LEN(signals)];

/* Async-signal-safe: unlink and rmdir only. */
static void
remove_all(void)
{
	if (!active)
		return;
	for (sig_atomic_t i = 0; i < nfiles; i++)
		unlink(files[i]);
	rmdir(dir);
	active = 0;
}

static void
on_signal(int sig, siginfo_t *info, void *uctx)
{
	(void)uctx;
	if (child > 0) {
		/*
		 * A signal from the terminal (Ctrl-C) reached the whole process
		 * group, the engine with it; one sent to drydock alone (kill,
		 * a CI runner's timeout) is passed on.
		 */
		if (!info || info->si_code != SI_KERNEL)
			kill((pid_t)child, sig);
		pending = sig;
		return;
	}
	remove_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < DD_ARRAY_LEN(signals); i++)
		sigaddset(&sa.sa_mask, signals[i]);
	for (size_t i = 0; i < DD_ARRAY_LEN(signals); i++)
		sigaction(signals[i], &sa, &saved[i]);
}

int
dd_cleanup_mkdtemp(char **dir_out, const char *what)
{
	if (active)
		return dd_error_set(DD_ERROR, "a temporary folder exists already");
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = "/tmp";
	char path[PATH_MAX];
	if ((size_t)snprintf(path, sizeof(path), "%s/drydock-%s.XXXXXX", tmp, what) >= sizeof(path))
		return dd_error_set(DD_EIO, "%s: the temporary folder's name is too long", tmp);
	/* handlers first: a signal between mkdtemp and them would leave the folder */
	sigset_t block, old;
	sigemptyset(&block);
	for (size_t i = 0; i < DD_ARRAY_LEN(signals); i++)
		sigaddset(&block, signals[i]);
	sigprocmask(SIG_BLOCK, &block, &old);
	if (!mkdtemp(path)) {
		int e = errno;
		sigprocmask(SIG_SETMASK, &old, NULL);
		return dd_error_set(DD_EIO, "cannot make a temporary folder in %s: %s", tmp, strerror(e));
	}
	memcpy(dir, path, sizeof(dir));
	nfiles = 0;
	pending = 0;
	active = 1;
	install();
	sigprocmask(SIG_SETMASK, &old, NULL);
	*dir_out = dd_xstrdup(path);
	return DD_OK;
}

char *
dd_cleanup_file(const char *name)
{
	if (!active || nfiles >= DD_CLEANUP_MAX)
		return NULL;
	char path[PATH_MAX];
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return NULL;
	memcpy(files[nfiles], path, sizeof(path));
	nfiles = nfiles + 1; /* after the copy: the handler never sees half a name */
	return dd_xstrdup(path);
}

void
dd_cleanup_run(void)
{
	if (!active)
		return;
	remove_all();
	for (size_t i = 0; i < DD_ARRAY_LEN(signals); i++)
		sigaction(signals[i], &saved[i], NULL);
}

void
dd_cleanup_child(pid_t pid)
{
	child = (sig_atomic_t)pid;
}

int
dd_cleanup_pending(void)
{
	return (int)pending;
}

void
dd_cleanup_reraise(int sig)
{
	dd_cleanup_run();
	fflush(stdout);
	signal(sig, SIG_DFL);
	raise(sig);
	_exit(128 + sig); /* a blocked signal: never left here */
}

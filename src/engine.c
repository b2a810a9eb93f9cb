/* Container engines: discovery on PATH, build command lines, fork + execve, image inspection. */
#include "drydock/engine.h"
#include "drydock/alloc.h"
#include "drydock/cleanup.h"
#include "drydock/error.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char *const engine_names[DD_ENGINE__MAX] = { "docker", "podman", "buildah" };

/* ---- finding an engine --------------------------------------------------------- */

char *
dd_engine_which(const char *name)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");
		/* an empty entry is the current folder, as for execvp */
		char *full = dd_xmalloc(n + strlen(name) + 3);
		if (n == 0)
			sprintf(full, "./%s", name);
		else
			sprintf(full, "%.*s/%s", (int)n, path, name);
		struct stat st;
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0)
			return full;
		free(full);
		path += n + (path[n] == ':');
	}
	return NULL;
}

int
dd_engine_find(dd_engine *out, const char *want)
{
	memset(out, 0, sizeof(*out));
	bool any = strcmp(want, "auto") == 0;
	bool known = any;
	for (int k = 0; k < DD_ENGINE__MAX; k++) {
		if (!any && strcmp(want, engine_names[k]) != 0)
			continue;
		known = true;
		char *path = dd_engine_which(engine_names[k]);
		if (path) {
			out->kind = (dd_engine_kind)k;
			out->name = engine_names[k];
			out->path = path;
			return DD_OK;
		}
	}
	if (!known)
		return dd_error_set(DD_EUSAGE, "unknown engine '%s' (auto, docker, podman, buildah)", want);
	if (any)
		return dd_error_set(DD_EENGINE, "no container engine found: none of docker, podman, buildah "
		    "is on PATH");
	return dd_error_set(DD_EENGINE, "%s is not installed (not found on PATH)", want);
}

void
dd_engine_free(dd_engine *e)
{
	free(e->path);
	e->path = NULL;
}

const char *
dd_engine_build_cmd(dd_engine_kind kind)
{
	return kind == DD_ENGINE_BUILDAH ? "bud" : "build";
}

/* ---- reading a build command line ------------------------------------------------ */

/*
 * Long options of docker (buildx and the classic builder), podman build
 * and buildah bud that take a separate value. Every other option is a
 * switch or takes its value after '=' (--pull=never, --sbom=true).
 */
static const char *const long_values[] = {
	"add-host", "allow", "annotation", "arch", "attest", "authfile", "build-arg", "build-arg-file",
	"build-context", "builder", "cache-from", "cache-to", "cache-ttl", "call", "cap-add", "cap-drop",
	"cert-dir", "cgroup-parent", "cgroupns", "cpp-flag", "cpu-period", "cpu-quota", "cpu-shares",
	"cpuset-cpus", "cpuset-mems", "creds", "cw", "decryption-key", "device", "dns", "dns-option",
	"dns-search", "env", "file", "format", "from", "group-add", "hooks-dir", "iidfile", "ignorefile",
	"ipc", "isolation", "jobs", "label", "layer-label", "logfile", "manifest", "memory", "memory-swap",
	"metadata-file", "net", "network", "no-cache-filter", "os", "os-feature", "os-version", "output",
	"platform", "progress", "retry", "retry-delay", "runtime", "runtime-flag", "rusage-logfile",
	"secret", "security-opt", "shm-size", "sign-by", "signature-policy", "source-date-epoch", "ssh",
	"tag", "target", "timestamp", "ulimit", "unsetenv", "unsetlabel", "userns", "userns-gid-map",
	"userns-gid-map-group", "userns-uid-map", "userns-uid-map-user", "uts", "variant", "volume",
};

/* Short options that take a value: -f file, -t tag, -o output, -m memory, -c cpu-shares, -v volume. */
static const char short_values[] = "ftomcv";

static bool
long_takes_value(const char *name, size_t len)
{
	for (size_t i = 0; i < DD_ARRAY_LEN(long_values); i++)
		if (strlen(long_values[i]) == len && memcmp(long_values[i], name, len) == 0)
			return true;
	return false;
}

static void
push(const char ***v, size_t *n, const char *s)
{
	*v = dd_xreallocarray(*v, *n + 1, sizeof(char *));
	(*v)[(*n)++] = s;
}

/* Record an option's value; name is the long name or the short letter as a string. */
static int
take(dd_build_cmdline *c, const char *name, const char *value, int at, int words, int keep)
{
	if (strcmp(name, "file") == 0 || strcmp(name, "f") == 0) {
		if (c->file)
			return dd_error_set(DD_EUSAGE, "more than one -f/--file: drydock build reads one Dockerfile");
		c->file = value;
		c->file_at = at;
		c->file_words = words;
		c->file_keep = keep;
	} else if (strcmp(name, "tag") == 0 || strcmp(name, "t") == 0) {
		push(&c->tags, &c->ntags, value);
	} else if (strcmp(name, "target") == 0) {
		c->target = value;
	} else if (strcmp(name, "iidfile") == 0) {
		c->iidfile = value;
	} else if (strcmp(name, "build-arg") == 0) {
		push(&c->build_args, &c->nbuild_args, value);
	} else if (strcmp(name, "secret") == 0) {
		push(&c->secrets, &c->nsecrets, value);
	}
	return DD_OK;
}

/* --name, --name=value, --name value; returns the words used, or a negative code. */
static int
long_option(dd_build_cmdline *c, int argc, char *const *argv, int i)
{
	const char *name = argv[i] + 2, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	char buf[64];
	if (len >= sizeof(buf) || !long_takes_value(name, len))
		return 1;
	memcpy(buf, name, len);
	buf[len] = '\0';
	if (eq) {
		int rc = take(c, buf, eq + 1, i, 1, 0);
		return rc < 0 ? rc : 1;
	}
	if (i + 1 >= argc)
		return dd_error_set(DD_EUSAGE, "%s needs a value", argv[i]);
	int rc = take(c, buf, argv[i + 1], i, 2, 0);
	return rc < 0 ? rc : 2;
}

/* -q, -fFILE, -f FILE, -qf FILE: switches until a letter that takes a value. */
static int
short_options(dd_build_cmdline *c, int argc, char *const *argv, int i)
{
	const char *w = argv[i];
	for (size_t k = 1; w[k]; k++) {
		if (!strchr(short_values, w[k]))
			continue;
		char name[2] = { w[k], 0 };
		int rc;
		if (w[k + 1])
			rc = take(c, name, w + k + 1, i, 1, k > 1 ? (int)k : 0);
		else if (i + 1 < argc)
			rc = take(c, name, argv[i + 1], i, 2, k > 1 ? (int)k : 0);
		else
			return dd_error_set(DD_EUSAGE, "-%c needs a value", w[k]);
		if (rc < 0)
			return rc;
		return w[k + 1] ? 1 : 2;
	}
	return 1;
}

int
dd_build_cmdline_parse(dd_build_cmdline *out, int argc, char *const *argv)
{
	memset(out, 0, sizeof(*out));
	out->file_at = -1;
	bool only_args = false;
	for (int i = 0; i < argc;) {
		const char *w = argv[i];
		int used = 1;
		if (only_args || w[0] != '-' || strcmp(w, "-") == 0) {
			if (out->context)
				return dd_error_set(DD_EUSAGE, "two build contexts: '%s' and '%s'", out->context, w);
			out->context = w;
		} else if (strcmp(w, "--") == 0) {
			only_args = true;
		} else if (w[1] == '-') {
			used = long_option(out, argc, argv, i);
		} else {
			used = short_options(out, argc, argv, i);
		}
		if (used < 0)
			return used;
		i += used;
	}
	return DD_OK;
}

void
dd_build_cmdline_free(dd_build_cmdline *c)
{
	free(c->tags);
	free(c->build_args);
	free(c->secrets);
	memset(c, 0, sizeof(*c));
	c->file_at = -1;
}

bool
dd_build_cmdline_has_secret(const dd_build_cmdline *c, const char *id, size_t len)
{
	for (size_t i = 0; i < c->nsecrets; i++) {
		/* id=x among the comma-separated fields */
		for (const char *f = c->secrets[i]; *f;) {
			size_t n = strcspn(f, ",");
			if (n == len + 3 && memcmp(f, "id=", 3) == 0 && memcmp(f + 3, id, len) == 0)
				return true;
			f += n + (f[n] == ',');
		}
	}
	return false;
}

static bool
remote(const char *s)
{
	static const char *const prefixes[] = { "http://", "https://", "git://", "git@", "github.com/", "ssh://" };
	for (size_t i = 0; i < DD_ARRAY_LEN(prefixes); i++)
		if (strncmp(s, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	size_t n = strlen(s);
	return n > 4 && strcmp(s + n - 4, ".git") == 0;
}

static char *
join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = dd_xmalloc(n);
	snprintf(p, n, "%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", name);
	return p;
}

static bool
exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

int
dd_build_cmdline_resolve(const dd_build_cmdline *c, dd_engine_kind kind, char **dockerfile, char **context)
{
	*dockerfile = *context = NULL;
	if (c->file && strcmp(c->file, "-") == 0)
		return dd_error_set(DD_EUSAGE, "-f - (a Dockerfile on standard input) is not supported: "
		    "drydock must read it before the engine does; give its path");
	if (c->file && remote(c->file))
		return dd_error_set(DD_EUSAGE, "-f %s: a remote Dockerfile is not supported: give a local path",
		    c->file);
	if (c->context && strcmp(c->context, "-") == 0)
		return dd_error_set(DD_EUSAGE, "a build context on standard input is not supported: give a folder");
	if (c->context && remote(c->context))
		return dd_error_set(DD_EUSAGE, "%s: a remote build context is not supported: give a local folder",
		    c->context);
	if (!c->context && kind == DD_ENGINE_DOCKER)
		return dd_error_set(DD_EUSAGE, "docker build needs a build context (e.g. '.') after the options");
	if (c->context) {
		*context = dd_xstrdup(c->context);
	} else if (c->file) {
		/* podman and buildah: the Dockerfile's folder */
		char *copy = dd_xstrdup(c->file);
		*context = dd_xstrdup(dirname(copy));
		free(copy);
	} else {
		*context = dd_xstrdup(".");
	}
	if (c->file && (kind == DD_ENGINE_DOCKER || exists(c->file) || c->file[0] == '/')) {
		*dockerfile = dd_xstrdup(c->file);
		return DD_OK;
	}
	if (c->file) {
		/* podman and buildah: a -f not found as given is looked for in the context */
		*dockerfile = join(*context, c->file);
		if (!exists(*dockerfile)) {
			free(*dockerfile);
			*dockerfile = dd_xstrdup(c->file);
		}
		return DD_OK;
	}
	if (kind != DD_ENGINE_DOCKER) {
		*dockerfile = join(*context, "Containerfile");
		if (exists(*dockerfile))
			return DD_OK;
		free(*dockerfile);
	}
	*dockerfile = join(*context, "Dockerfile");
	return DD_OK;
}

/* ---- running ------------------------------------------------------------------------ */

static void
read_all(int fd, dd_buf *out)
{
	char chunk[8192];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n > 0)
			dd_buf_put(out, chunk, (size_t)n);
		else if (n == 0 || errno != EINTR)
			break;
	}
}

/*
 * In the child: default signal actions, stdout to the pipe, then execve.
 * A failed execve writes its errno to err_w (closed on exec otherwise).
 */
static void
child(char *const *argv, const int out[2], int err_w, const sigset_t *mask)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, mask, NULL);
	if (out[1] >= 0) {
		close(out[0]);
		if (dup2(out[1], STDOUT_FILENO) < 0)
			_exit(127);
		close(out[1]);
	}
	execve(argv[0], argv, environ);
	int e = errno;
	ssize_t ignored = write(err_w, &e, sizeof(e));
	(void)ignored;
	_exit(127);
}

static void
close_pair(int p[2])
{
	for (int i = 0; i < 2; i++)
		if (p[i] >= 0)
			close(p[i]);
	p[0] = p[1] = -1;
}

/* The errno a failed execve reported, or 0 when the program started. */
static int
exec_errno(int err_r)
{
	int e = 0;
	ssize_t n;
	while ((n = read(err_r, &e, sizeof(e))) < 0 && errno == EINTR)
		;
	return n == (ssize_t)sizeof(e) ? e : 0;
}

static pid_t
spawn(char *const *argv, int out[2], int err[2])
{
	/* no handler may run in the child between fork and execve */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid == 0)
		child(argv, out, err[1], &old);
	int e = errno;
	if (pid > 0)
		dd_cleanup_child(pid);
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return pid;
}

int
dd_engine_exec(char *const *argv, dd_buf *out)
{
	int opipe[2] = { -1, -1 }, epipe[2] = { -1, -1 };
	if ((out && pipe(opipe) < 0) || pipe(epipe) < 0 ||
	    fcntl(epipe[0], F_SETFD, FD_CLOEXEC) < 0 || fcntl(epipe[1], F_SETFD, FD_CLOEXEC) < 0) {
		int rc = dd_error_set(DD_EENGINE, "cannot make a pipe: %s", strerror(errno));
		close_pair(opipe);
		close_pair(epipe);
		return rc;
	}
	pid_t pid = spawn(argv, opipe, epipe);
	int fork_errno = errno;
	if (opipe[1] >= 0)
		close(opipe[1]);
	opipe[1] = -1;
	close(epipe[1]);
	epipe[1] = -1;
	if (pid < 0) {
		close_pair(opipe);
		close_pair(epipe);
		return dd_error_set(DD_EENGINE, "cannot start %s: %s", argv[0], strerror(fork_errno));
	}
	int e = exec_errno(epipe[0]);
	close_pair(epipe);
	if (out && !e)
		read_all(opipe[0], out);
	close_pair(opipe);
	/*
	 * Wait without reaping first: until waitpid, the pid cannot be reused,
	 * so a signal forwarded meanwhile cannot reach another process.
	 */
	siginfo_t si;
	while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) < 0 && errno == EINTR)
		;
	dd_cleanup_child(0);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (e)
		return dd_error_set(DD_EENGINE, "cannot run %s: %s", argv[0], strerror(e));
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
}

/* ---- inspecting an image ----------------------------------------------------------- */

static int
run_capture(const dd_engine *e, const char *const *words, size_t n, dd_buf *out)
{
	char **argv = dd_xcalloc(n + 2, sizeof(char *));
	argv[0] = e->path;
	for (size_t i = 0; i < n; i++)
		argv[i + 1] = (char *)words[i];
	int rc = dd_engine_exec(argv, out);
	free(argv);
	if (rc > 0) {
		dd_buf line = DD_BUF_INIT;
		for (size_t i = 0; i < n; i++)
			dd_buf_printf(&line, " %s", words[i]);
		rc = dd_error_set(DD_EENGINE, "%s%s failed (exit status %d)", e->name, line.ptr, rc);
		dd_buf_free(&line);
	}
	return rc;
}

int
dd_engine_inspect(const dd_engine *e, const char *ref, dd_image_meta *out)
{
	memset(out, 0, sizeof(*out));
	dd_buf json = DD_BUF_INIT;
	int rc;
	if (e->kind == DD_ENGINE_BUILDAH) {
		const char *w[] = { "inspect", "--type", "image", ref };
		rc = run_capture(e, w, DD_ARRAY_LEN(w), &json);
	} else {
		const char *w[] = { "image", "inspect", ref };
		rc = run_capture(e, w, DD_ARRAY_LEN(w), &json);
	}
	if (rc == DD_OK)
		rc = dd_image_meta_parse(out, json.ptr ? json.ptr : "", json.len);
	dd_buf_free(&json);
	/* docker's inspect has no history: its history command has */
	if (rc == DD_OK && e->kind == DD_ENGINE_DOCKER) {
		dd_buf lines = DD_BUF_INIT;
		const char *w[] = { "image", "history", "--no-trunc", "--format", "{{json .CreatedBy}}", ref };
		rc = run_capture(e, w, DD_ARRAY_LEN(w), &lines);
		if (rc == DD_OK)
			rc = dd_image_meta_add_history(out, lines.ptr ? lines.ptr : "", lines.len);
		dd_buf_free(&lines);
	}
	if (rc < 0)
		dd_image_meta_free(out);
	return rc;
}

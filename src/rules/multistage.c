/*
 * Reading the final stage's build for DD301 and DD302: what its RUN steps
 * compile and install, which file the build makes and CMD runs, and the
 * final stage a multi-stage rewrite would append. Conservative: anything
 * not understood blocks the rewrite with a reason, never a guess.
 */
#include "multistage.h"

#include "drydock/fixer.h"
#include "drydock/secret.h"
#include "image.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_CANDS 16

/* A file the build leaves: a path, or any file directly inside a folder (cargo's target/release). */
typedef struct {
	char path[DD_MS_PATH];
	bool dir;
	char name[128];          /* dir: only this file name (cargo --bin), "" any */
	bool gone;               /* written into a mount of its RUN: only a copy made there survives */
} cand;

typedef struct {
	dd_ctx *ctx;
	const dd_doc *doc;
	const dd_stage *st;
	const dd_image_info *info;
	dd_ms_plan *p;
	const char *lang;        /* the image's language, NULL if it has none */

	char cwd[DD_MS_PATH];    /* WORKDIR so far; "" unknown (the image's own) */
	bool had_workdir;
	char src_dir[DD_MS_PATH]; /* where the language's build ran ("" unknown) */
	bool lang_seen;          /* the language's build or install ran */
	bool is_static;          /* Go CGO_ENABLED=0, Rust musl or crt-static, C -static */
	cand cands[MAX_CANDS];
	size_t ncands;
	char runtime_pkg[64];    /* a package the final image would lack */
	char dev_lib[64];        /* a library's headers: its library is needed at run time unless linked statically */
	char block[256];         /* why the rewrite cannot be written ("" none yet) */
	const dd_instr *entry, *cmd, *health;
} walker;

typedef struct {
	char cgo[16];
	char rustflags[256];
	bool have_cgo, have_rustflags;
} script_env;

static void
block(walker *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
block(walker *w, const char *fmt, ...)
{
	if (w->block[0])
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->block, sizeof(w->block), fmt, ap);
	va_end(ap);
}

/* snprintf into a fixed buffer; false when it did not fit (the text is then cut). */
static bool
put(char *out, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static bool
put(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	return n >= 0 && (size_t)n < size;
}

static bool
eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

static bool
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool
ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* A word as a C string (bounded copy). */
static const char *
wtext(const dd_sh_word *wd, char *buf, size_t size)
{
	size_t n = wd->len < size - 1 ? wd->len : size - 1;
	memcpy(buf, wd->text, n);
	buf[n] = '\0';
	return buf;
}

/* ---- paths ------------------------------------------------------------------------- */

/* Normalise an absolute path in place: no "//", "/./", "/x/..", no trailing '/'. */
static void
normalise(char *path)
{
	char out[DD_MS_PATH];
	size_t n = 0;
	const char *p = path;
	while (*p) {
		while (*p == '/')
			p++;
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == 0)
			break;
		if (len == 1 && p[0] == '.') {
			/* nothing */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
		} else if (n + 1 + len < sizeof(out)) {
			out[n++] = '/';
			memcpy(out + n, p, len);
			n += len;
		}
		p += len;
	}
	if (n == 0)
		out[n++] = '/';
	out[n] = '\0';
	memcpy(path, out, n + 1);
}

/* p resolved against dir ("" = unknown); false when it cannot be (relative in an unknown folder, too long). */
static bool
resolve(const char *dir, const char *p, char *out)
{
	if (!*p)
		return false;
	if (p[0] == '/') {
		if (strlen(p) >= DD_MS_PATH)
			return false;
		strcpy(out, p);
	} else {
		if (!*dir || strlen(dir) + strlen(p) + 2 > DD_MS_PATH)
			return false;
		put(out, DD_MS_PATH, "%s/%s", dir, p);
	}
	normalise(out);
	return true;
}

/* Is path inside dir (or dir itself)? */
static bool
inside(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	if (strcmp(dir, "/") == 0)
		return true;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static bool
plain_path(const char *s)
{
	return *s && !strpbrk(s, "$*?[ \t\"'\\");
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* Expand a word's variables as the RUN's environment has them; NULL when unknown. */
static const char *
expand(walker *w, const dd_instr *ins, const char *s)
{
	bool unres = false;
	if (!strchr(s, '$'))
		return s;
	const char *x = dd_ctx_expand(w->ctx, w->st, ins, s, strlen(s), &unres);
	return unres || strchr(x, '$') ? NULL : x;
}

/* ---- what a stage installs and runs ----------------------------------------------------- */

static bool
any_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

/* Compilers, headers and build systems: what slim images leave out. */
static bool
dev_package(const char *p)
{
	static const char *const exact[] = {
		"build-essential", "build-base", "gcc", "g++", "cpp", "clang", "make", "cmake", "ninja-build",
		"autoconf", "automake", "libtool", "pkg-config", "pkgconf", "musl-dev", "libc6-dev", "libc-dev",
		"linux-headers", "gfortran", "swig", "bison", "flex", "node-gyp", "maven", "gradle", "rustc",
		"cargo", "golang", NULL,
	};
	return any_of(p, exact) || ends(p, "-dev") || ends(p, "-devel") || starts(p, "gcc-") ||
	    starts(p, "g++-") || starts(p, "clang-") || starts(p, "llvm") || starts(p, "golang-") ||
	    (starts(p, "openjdk-") && strstr(p, "-jdk"));
}

/* Tools a build uses and a program hardly needs at run time. */
static bool
build_tool_package(const char *p)
{
	static const char *const tools[] = {
		"git", "curl", "wget", "ca-certificates", "unzip", "zip", "xz-utils", "xz", "bzip2", "tar",
		"gzip", "gnupg", "gnupg2", "dirmngr", "openssh-client", "upx", "upx-ucl", "musl-tools",
		"protobuf-compiler", "protoc", "lld", "mold", "binutils", "file", "jq", "patch",
		"apt-transport-https", "software-properties-common", "lsb-release", "tzdata", NULL,
	};
	return any_of(p, tools);
}

/* The command a wrapper runs: env A=1 x, sudo x, time x, exec x, nohup x, command x. */
static size_t
command_index(const dd_sh_cmd *c)
{
	size_t i = 0;
	while (i < c->nwords) {
		size_t n;
		const char *b = dd_sh_basename(&c->words[i], &n);
		if (eq(b, n, "sudo") || eq(b, n, "time") || eq(b, n, "exec") || eq(b, n, "nohup") ||
		    eq(b, n, "command")) {
			i++;
			while (i < c->nwords && c->words[i].len && c->words[i].text[0] == '-')
				i++;
		} else if (eq(b, n, "env")) {
			i++;
			while (i < c->nwords && (memchr(c->words[i].text, '=', c->words[i].len) ||
			    (c->words[i].len && c->words[i].text[0] == '-')))
				i++;
		} else {
			break;
		}
	}
	return i;
}

/* apt-get install / apk add / yum install …: record what is installed. */
static void
package_install(walker *w, const dd_sh_cmd *c, size_t i0, const char *prog)
{
	const char *sub = strcmp(prog, "apk") == 0 ? "add" : "install";
	size_t i = i0 + 1;
	/* options taking a value, written apart */
	static const char *const valued[] = { "-o", "-t", "-c", "--option", "--target-release",
		"--virtual", "--repository", "-X", "--setopt", "--enablerepo", "--disablerepo", NULL };
	char buf[128];
	while (i < c->nwords && c->words[i].len && c->words[i].text[0] == '-') {
		if (any_of(wtext(&c->words[i], buf, sizeof(buf)), valued))
			i++;
		i++;
	}
	if (i >= c->nwords || !eq(c->words[i].text, c->words[i].len, sub))
		return;
	for (i++; i < c->nwords; i++) {
		const char *p = wtext(&c->words[i], buf, sizeof(buf));
		if (p[0] == '-') {
			if (any_of(p, valued))
				i++;
			continue;
		}
		if (c->words[i].has_expansion || strchr(p, '$')) {
			if (!w->runtime_pkg[0])
				put(w->runtime_pkg, sizeof(w->runtime_pkg), "%s", p);
			continue;
		}
		char name[128];
		put(name, sizeof(name), "%s", p);
		name[strcspn(name, "=:<>~")] = '\0';
		if (dev_package(name)) {
			static const char *const libc[] = { "libc6-dev", "libc-dev", "musl-dev", "linux-headers",
				"linux-libc-dev", "python3-dev", NULL };
			if ((ends(name, "-dev") || ends(name, "-devel")) && !any_of(name, libc) && !w->dev_lib[0])
				put(w->dev_lib, sizeof(w->dev_lib), "%s", name);
			if (!w->p->needs[0])
				put(w->p->needs, sizeof(w->p->needs), "%s", name);
		} else if (!build_tool_package(name) && !w->runtime_pkg[0]) {
			put(w->runtime_pkg, sizeof(w->runtime_pkg), "%s", name);
		}
	}
}

/* The language's build or install ran at the RUN's WORKDIR (not where a `cd` took it: COPY lands there). */
static void
built_here(walker *w)
{
	put(w->src_dir, sizeof(w->src_dir), "%s", w->cwd);
}

static void
add_cand(walker *w, const char *path, bool dir, const char *name, bool gone)
{
	if (w->ncands == MAX_CANDS)
		return;
	cand *c = &w->cands[w->ncands++];
	put(c->path, sizeof(c->path), "%s", path);
	c->dir = dir;
	put(c->name, sizeof(c->name), "%s", name ? name : "");
	c->gone = gone;
}

/* Does a file at path come out of the build (and outlive its RUN, unless gone is allowed)? */
static bool
made(const walker *w, const char *path, bool gone)
{
	for (size_t i = 0; i < w->ncands; i++) {
		const cand *c = &w->cands[i];
		if (c->gone && !gone)
			continue;
		if (!c->dir && strcmp(c->path, path) == 0)
			return true;
		if (c->dir && strlen(path) > strlen(c->path) && inside(path, c->path) &&
		    !strchr(path + strlen(c->path) + (strcmp(c->path, "/") != 0), '/') &&
		    (!c->name[0] || strcmp(base_name(path), c->name) == 0))
			return true;
	}
	return false;
}

static bool
is_cand(const walker *w, const char *path)
{
	return made(w, path, false);
}

/* Is path under a cache, tmpfs or bind mount of ins (gone once the RUN ends)? */
static bool
under_mount(walker *w, const dd_instr *ins, const char *cwd, const char *path)
{
	for (size_t i = 0; i < ins->as.cmd.nmounts; i++) {
		const dd_mount *m = &ins->as.cmd.mounts[i];
		char t[DD_MS_PATH];
		if (m->type != DD_MOUNT_CACHE && m->type != DD_MOUNT_TMPFS && m->type != DD_MOUNT_BIND)
			continue;
		const char *target = m->target ? expand(w, ins, m->target) : NULL;
		if (!target || !resolve(cwd, target, t))
			return true; /* unknown: assume the worst */
		if (inside(path, t))
			return true;
	}
	return false;
}

/* The value of NAME for a command: its own prefix, an export earlier in the script, or ENV/ARG. */
static const char *
env_value(walker *w, const dd_instr *ins, const dd_sh_cmd *c, size_t i0, const char *name,
    const char *exported, bool have_exported, char *buf, size_t size)
{
	size_t n = strlen(name);
	for (size_t k = 0; k < c->nassigns; k++)
		if (c->assigns[k].len > n && memcmp(c->assigns[k].text, name, n) == 0 && c->assigns[k].text[n] == '=')
			return wtext(&c->assigns[k], buf, size) + n + 1;
	for (size_t k = 0; k < i0; k++) /* env NAME=x cmd */
		if (c->words[k].len > n && memcmp(c->words[k].text, name, n) == 0 && c->words[k].text[n] == '=')
			return wtext(&c->words[k], buf, size) + n + 1;
	if (have_exported)
		return exported;
	char ref[80];
	put(ref, sizeof(ref), "${%s}", name);
	bool unres = false;
	const char *x = dd_ctx_expand(w->ctx, w->st, ins, ref, strlen(ref), &unres);
	return unres ? "" : x;
}

/* go build [-o out]: the binary it writes. */
static void
go_build(walker *w, const dd_instr *ins, const dd_sh_cmd *c, size_t i0, const char *cwd, script_env *se)
{
	char buf[DD_MS_PATH], out[DD_MS_PATH], vbuf[256];
	const char *o = NULL;
	for (size_t i = i0 + 2; i < c->nwords; i++) {
		const char *a = wtext(&c->words[i], buf, sizeof(buf));
		if (strcmp(a, "-o") == 0 && i + 1 < c->nwords) {
			o = wtext(&c->words[++i], buf, sizeof(buf));
			break;
		}
		if (starts(a, "-o=")) {
			o = a + 3;
			break;
		}
	}
	built_here(w);
	const char *cgo = env_value(w, ins, c, i0, "CGO_ENABLED", se->cgo, se->have_cgo, vbuf, sizeof(vbuf));
	w->is_static = strcmp(cgo, "0") == 0;
	if (!o) {
		block(w, "`go build` has no -o naming the binary");
		return;
	}
	const char *x = expand(w, ins, o);
	if (!x || !plain_path(x) || ends(x, "/") || !resolve(cwd, x, out)) {
		block(w, "`go build -o %s` does not name one file drydock can place", o);
		return;
	}
	add_cand(w, out, false, NULL, under_mount(w, ins, cwd, out));
}

/* cargo build / cargo install: the folder the binaries land in. */
static void
cargo(walker *w, const dd_instr *ins, const dd_sh_cmd *c, size_t i0, size_t sub, const char *cwd,
    script_env *se)
{
	char buf[DD_MS_PATH], vbuf[256], dir[DD_MS_PATH], tdir[DD_MS_PATH];
	const char *profile = "debug", *target = NULL, *target_dir = NULL, *root = NULL, *bin = NULL;
	bool install = eq(c->words[sub].text, c->words[sub].len, "install");
	char keep[5][DD_MS_PATH];
	for (size_t i = sub + 1; i < c->nwords; i++) {
		const char *a = wtext(&c->words[i], buf, sizeof(buf));
		const char *val = NULL;
		const char *names[] = { "--profile", "--target", "--target-dir", "--root", "--bin" };
		size_t k;
		for (k = 0; k < DD_ARRAY_LEN(names); k++) {
			size_t n = strlen(names[k]);
			if (strcmp(a, names[k]) == 0 && i + 1 < c->nwords) {
				val = wtext(&c->words[++i], keep[k], sizeof(keep[k]));
				break;
			}
			if (strncmp(a, names[k], n) == 0 && a[n] == '=') {
				put(keep[k], sizeof(keep[k]), "%s", a + n + 1);
				val = keep[k];
				break;
			}
		}
		if (val) {
			const char *x = expand(w, ins, val);
			if (!x) {
				block(w, "`cargo %s %s` uses a variable drydock cannot resolve", install ? "install" : "build",
				    names[k]);
				return;
			}
			if (k == 0)
				profile = strcmp(x, "dev") == 0 || strcmp(x, "test") == 0 ? "debug" : x;
			else if (k == 1)
				target = x;
			else if (k == 2)
				target_dir = x;
			else if (k == 3)
				root = x;
			else
				bin = x;
		} else if (strcmp(a, "--release") == 0 || strcmp(a, "-r") == 0) {
			profile = "release";
		} else if (starts(a, "--manifest-path")) {
			block(w, "`cargo --manifest-path` builds elsewhere than drydock can follow");
			return;
		}
	}
	built_here(w);
	const char *flags = env_value(w, ins, c, i0, "RUSTFLAGS", se->rustflags, se->have_rustflags, vbuf,
	    sizeof(vbuf));
	w->is_static = (target && strstr(target, "musl")) || strstr(flags, "crt-static") ||
	    w->info->family == DD_FAMILY_ALPINE;
	if (install) {
		if (!root)
			root = "/usr/local/cargo"; /* CARGO_HOME of the rust images */
		if (!resolve(cwd, root, dir) || strlen(dir) + 5 > DD_MS_PATH) {
			block(w, "`cargo install --root %s` cannot be placed", root);
			return;
		}
		strcat(dir, "/bin");
	} else {
		if (!target_dir) {
			char tb[512];
			const char *env_td = env_value(w, ins, c, i0, "CARGO_TARGET_DIR", "", false, tb, sizeof(tb));
			target_dir = *env_td ? env_td : "target";
		}
		if (!resolve(cwd, target_dir, tdir)) {
			block(w, "cargo's target folder %s cannot be placed", target_dir);
			return;
		}
		if (!put(dir, sizeof(dir), "%s%s%s/%s", tdir, target ? "/" : "", target ? target : "", profile))
			return;
		normalise(dir);
	}
	add_cand(w, dir, true, bin, under_mount(w, ins, cwd, dir));
}

/* gcc/cc/clang … -o out: the program it links. */
static void
c_compile(walker *w, const dd_instr *ins, const dd_sh_cmd *c, size_t i0, const char *cwd)
{
	char buf[DD_MS_PATH], out[DD_MS_PATH];
	const char *o = NULL;
	for (size_t i = i0 + 1; i < c->nwords; i++) {
		const char *a = wtext(&c->words[i], buf, sizeof(buf));
		if (strcmp(a, "-c") == 0 || strcmp(a, "-E") == 0 || strcmp(a, "-S") == 0)
			return; /* an object file, not a program */
		if (strcmp(a, "-static") == 0)
			w->is_static = true;
	}
	for (size_t i = i0 + 1; i < c->nwords; i++) {
		const char *a = wtext(&c->words[i], buf, sizeof(buf));
		if (strcmp(a, "-o") == 0 && i + 1 < c->nwords) {
			o = wtext(&c->words[i + 1], buf, sizeof(buf));
			break;
		}
	}
	built_here(w);
	const char *x = o ? expand(w, ins, o) : NULL;
	if (x && plain_path(x) && resolve(cwd, x, out))
		add_cand(w, out, false, NULL, under_mount(w, ins, cwd, out));
}

/* cp/mv/install SRC DST where SRC is a build output: DST is one too. */
static void
copy_cmd(walker *w, const dd_instr *ins, const dd_sh_cmd *c, size_t i0, const char *cwd, bool install)
{
	const char *ops[2];
	char b0[DD_MS_PATH], b1[DD_MS_PATH], src[DD_MS_PATH], dst[DD_MS_PATH], alt[DD_MS_PATH];
	char *bufs[2] = { b0, b1 };
	size_t n = 0;
	for (size_t i = i0 + 1; i < c->nwords; i++) {
		char tmp[64];
		const char *a = wtext(&c->words[i], tmp, sizeof(tmp));
		if (a[0] == '-') {
			if (install && (strcmp(a, "-m") == 0 || strcmp(a, "-o") == 0 || strcmp(a, "-g") == 0))
				i++;
			continue;
		}
		if (n == 2)
			return;
		ops[n] = wtext(&c->words[i], bufs[n], DD_MS_PATH);
		n++;
	}
	if (n != 2)
		return;
	const char *s = expand(w, ins, ops[0]), *d = s ? expand(w, ins, ops[1]) : NULL;
	if (!s || !d || !resolve(cwd, s, src) || !resolve(cwd, d, dst) || !made(w, src, true))
		return;
	bool gone = under_mount(w, ins, cwd, dst);
	if (!ends(d, "/"))
		add_cand(w, dst, false, NULL, gone);
	if (put(alt, sizeof(alt), "%s/%s", dst, base_name(src))) {
		normalise(alt);
		add_cand(w, alt, false, NULL, gone);
	}
}

/* One command of a RUN script. */
static void
run_command(walker *w, const dd_instr *ins, const dd_sh_cmd *c, char *cwd, script_env *se)
{
	size_t i0 = command_index(c);
	if (i0 >= c->nwords)
		return;
	size_t n;
	char prog[64], sub[64] = "", vbuf[256];
	const char *b = dd_sh_basename(&c->words[i0], &n);
	put(prog, sizeof(prog), "%.*s", (int)n, b);
	if (i0 + 1 < c->nwords)
		wtext(&c->words[i0 + 1], sub, sizeof(sub));
	const char *lang = w->lang ? w->lang : "";

	static const char *const compilers[] = { "gcc", "g++", "cc", "c++", "clang", "clang++", NULL };
	static const char *const builders[] = { "make", "cmake", "ninja", "javac", "mvn", "mvnw", "gradle",
		"gradlew", "node-gyp", "configure", NULL };
	if (strcmp(prog, "cd") == 0 && c->depth == 0) {
		char nd[DD_MS_PATH];
		const char *x = i0 + 1 < c->nwords ? expand(w, ins, wtext(&c->words[i0 + 1], vbuf, sizeof(vbuf))) : NULL;
		if (x && resolve(cwd, x, nd))
			strcpy(cwd, nd);
		else
			cwd[0] = '\0';
		return;
	}
	if (strcmp(prog, "export") == 0) {
		for (size_t i = i0 + 1; i < c->nwords; i++) {
			const char *a = wtext(&c->words[i], vbuf, sizeof(vbuf));
			if (starts(a, "CGO_ENABLED=")) {
				put(se->cgo, sizeof(se->cgo), "%s", a + 12);
				se->have_cgo = true;
			} else if (starts(a, "RUSTFLAGS=")) {
				put(se->rustflags, sizeof(se->rustflags), "%s", a + 10);
				se->have_rustflags = true;
			}
		}
		return;
	}
	if (strcmp(prog, "apt-get") == 0 || strcmp(prog, "apt") == 0 || strcmp(prog, "aptitude") == 0 ||
	    strcmp(prog, "apk") == 0 || strcmp(prog, "yum") == 0 || strcmp(prog, "dnf") == 0 ||
	    strcmp(prog, "microdnf") == 0 || strcmp(prog, "tdnf") == 0 || strcmp(prog, "zypper") == 0) {
		package_install(w, c, i0, prog);
		return;
	}
	if (any_of(prog, compilers) || any_of(prog, builders)) {
		w->p->builds = true;
		if (!w->p->needs[0])
			put(w->p->needs, sizeof(w->p->needs), "%s", prog);
		if (strcmp(lang, "c") == 0 && any_of(prog, compilers)) {
			w->lang_seen = true;
			c_compile(w, ins, c, i0, cwd);
		}
		if (strcmp(lang, "c") == 0 && !any_of(prog, compilers))
			w->lang_seen = true;
		if (strcmp(lang, "java") == 0 && (starts(prog, "mvn") || starts(prog, "gradle"))) {
			w->lang_seen = true;
			built_here(w);
		}
		return;
	}
	if (strcmp(prog, "go") == 0 && (strcmp(sub, "build") == 0 || strcmp(sub, "install") == 0)) {
		w->p->builds = true;
		if (strcmp(lang, "go") != 0)
			return;
		w->lang_seen = true;
		/* go install puts tools in GOPATH/bin: a CMD that runs one is not found below */
		if (strcmp(sub, "build") == 0)
			go_build(w, ins, c, i0, cwd, se);
		return;
	}
	if (strcmp(prog, "cargo") == 0) {
		size_t s = i0 + 1;
		if (s < c->nwords && c->words[s].len && c->words[s].text[0] == '+')
			s++; /* cargo +nightly build */
		if (s < c->nwords && (eq(c->words[s].text, c->words[s].len, "build") ||
		    eq(c->words[s].text, c->words[s].len, "install"))) {
			w->p->builds = true;
			if (strcmp(lang, "rust") == 0) {
				w->lang_seen = true;
				cargo(w, ins, c, i0, s, cwd, se);
			}
		}
		return;
	}
	if (strcmp(prog, "npm") == 0 || strcmp(prog, "yarn") == 0 || strcmp(prog, "pnpm") == 0) {
		bool run_build = (strcmp(sub, "run") == 0 && i0 + 2 < c->nwords &&
		    eq(c->words[i0 + 2].text, c->words[i0 + 2].len, "build")) ||
		    (strcmp(prog, "npm") != 0 && strcmp(sub, "build") == 0);
		bool install = strcmp(sub, "ci") == 0 || strcmp(sub, "install") == 0 || strcmp(sub, "i") == 0 ||
		    (strcmp(prog, "yarn") == 0 && (i0 + 1 == c->nwords || sub[0] == '-'));
		if (run_build)
			w->p->builds = true;
		if ((run_build || install) && strcmp(lang, "node") == 0) {
			w->lang_seen = true;
			built_here(w);
			if (install && dd_sh_has_option(c, "-g"))
				block(w, "`%s %s -g` installs into the image's global folder", prog, sub);
		}
		return;
	}
	if (strcmp(prog, "tsc") == 0) {
		w->p->builds = true;
		return;
	}
	if (strcmp(prog, "dotnet") == 0 && (strcmp(sub, "build") == 0 || strcmp(sub, "publish") == 0)) {
		w->p->builds = true;
		return;
	}
	/* pip install, python -m pip install, venvs */
	bool py = starts(prog, "python");
	size_t pi = i0;
	if (py && i0 + 2 < c->nwords && eq(c->words[i0 + 1].text, c->words[i0 + 1].len, "-m")) {
		char mod[32];
		wtext(&c->words[i0 + 2], mod, sizeof(mod));
		if (strcmp(mod, "venv") == 0 || strcmp(mod, "virtualenv") == 0) {
			if (strcmp(lang, "python") == 0) {
				w->lang_seen = true;
				block(w, "the stage builds a virtual environment, whose interpreter links point into the builder");
			}
			return;
		}
		if (strcmp(mod, "pip") == 0)
			pi = i0 + 2;
	}
	if (strcmp(prog, "virtualenv") == 0 || strcmp(prog, "poetry") == 0 || strcmp(prog, "pipenv") == 0 ||
	    strcmp(prog, "uv") == 0) {
		if (strcmp(lang, "python") == 0) {
			w->lang_seen = true;
			block(w, "the stage installs with %s, whose environment drydock does not follow", prog);
		}
		return;
	}
	if ((starts(prog, "pip") || pi != i0) && strcmp(lang, "python") == 0) {
		char s2[32] = "";
		if (pi + 1 < c->nwords)
			wtext(&c->words[pi + 1], s2, sizeof(s2));
		if (strcmp(s2, "install") != 0)
			return;
		w->lang_seen = true;
		built_here(w);
		static const char *const moved[] = { "--user", "--target", "-t", "--prefix", "--root", "-e",
			"--editable", NULL };
		for (size_t k = 0; moved[k]; k++)
			if (dd_sh_has_option(c, moved[k]))
				block(w, "`pip install %s` puts packages outside site-packages", moved[k]);
		return;
	}
	if (strcmp(prog, "cp") == 0 || strcmp(prog, "mv") == 0 || strcmp(prog, "install") == 0)
		copy_cmd(w, ins, c, i0, cwd, strcmp(prog, "install") == 0);
}

static void
run_instr(walker *w, const dd_instr *ins)
{
	const dd_script *scripts;
	size_t n = dd_ctx_scripts(w->ctx, ins, &scripts);
	for (size_t k = 0; k < n; k++) {
		const dd_script *s = &scripts[k];
		char cwd[DD_MS_PATH];
		script_env se;
		memset(&se, 0, sizeof(se));
		put(cwd, sizeof(cwd), "%s", w->cwd);
		if (s->sh.incomplete && w->lang)
			block(w, "a RUN step could not be read completely");
		for (size_t i = 0; i < s->sh.ncmds; i++)
			run_command(w, ins, &s->sh.cmds[i], cwd, &se);
	}
}

/* ---- the walk ---------------------------------------------------------------------------- */

static void
workdir(walker *w, const dd_instr *ins)
{
	char nd[DD_MS_PATH];
	w->had_workdir = true;
	if (ins->nargs == 0)
		return;
	const char *x = expand(w, ins, ins->args[0].text);
	if (x && !strpbrk(x, " \t\"'") && resolve(w->cwd, x, nd))
		strcpy(w->cwd, nd);
	else
		w->cwd[0] = '\0';
}

/* COPY/ADD: a destination outside the folder the final stage gets may hold run-time files. */
static void
copy_instr(walker *w, const dd_instr *ins, char (*dests)[DD_MS_PATH], size_t *ndests)
{
	char d[DD_MS_PATH];
	if (ins->as.copy.dest.len == 0)
		return;
	const char *x = expand(w, ins, ins->as.copy.dest.text);
	if (!x || !resolve(w->cwd, x, d)) {
		put(d, sizeof(d), "?%s", ins->as.copy.dest.text);
	}
	if (*ndests < 32)
		put(dests[(*ndests)++], DD_MS_PATH, "%s", d);
}

/* ---- the command of the final stage ----------------------------------------------------------- */

static void
json_str(dd_buf *b, const char *s, size_t n)
{
	dd_buf_putc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\') {
			dd_buf_putc(b, '\\');
			dd_buf_putc(b, ch);
		} else if (ch < 0x20) {
			dd_buf_printf(b, "\\u%04x", ch);
		} else {
			dd_buf_putc(b, ch);
		}
	}
	dd_buf_putc(b, '"');
}

/* KW ["a", "b"] with argv[from..] (first replaced by first when given). */
static void
exec_line(dd_buf *b, const char *kw, const char *first, const dd_word *argv, size_t argc, size_t from)
{
	dd_buf_printf(b, "%s [", kw);
	bool any = false;
	if (first) {
		json_str(b, first, strlen(first));
		any = true;
	}
	for (size_t i = from; i < argc; i++) {
		if (any)
			dd_buf_puts(b, ", ");
		json_str(b, argv[i].text, argv[i].len);
		any = true;
	}
	dd_buf_puts(b, "]\n");
}

/* The interpreter names a language's CMD starts with. */
static bool
interpreter(const char *lang, const char *s, size_t n)
{
	const char *b = s;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '/')
			b = s + i + 1;
	size_t bn = n - (size_t)(b - s);
	if (strcmp(lang, "node") == 0)
		return eq(b, bn, "node") || eq(b, bn, "nodejs");
	if (strcmp(lang, "java") == 0)
		return eq(b, bn, "java");
	if (strcmp(lang, "python") == 0)
		return eq(b, bn, "python") || eq(b, bn, "python3") || eq(b, bn, "python3.13");
	return false;
}

/* Is the program argv0 one the build made (absolute, relative to the WORKDIR, or on PATH)? */
static bool
runs_artifact(walker *w, const char *a0, char *found)
{
	static const char *const path_dirs[] = { "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin",
		"/sbin", "/bin" };
	char r[DD_MS_PATH];
	if (strchr(a0, '/'))
		return resolve(w->cwd, a0, found) && is_cand(w, found);
	for (size_t i = 0; i < DD_ARRAY_LEN(path_dirs); i++) {
		if (put(r, sizeof(r), "%s/%s", path_dirs[i], a0) && is_cand(w, r)) {
			strcpy(found, r);
			return true;
		}
	}
	return false;
}

/* ---- putting the final stage together ---------------------------------------------------------- */

/* Does text refer to $name or ${name…}? */
static bool
mentions(const char *text, const char *name, size_t nlen)
{
	for (const char *p = strchr(text, '$'); p; p = strchr(p + 1, '$')) {
		const char *q = p + 1 + (p[1] == '{');
		if (strncmp(q, name, nlen) == 0) {
			char c = q[nlen];
			if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
				return true;
		}
	}
	return false;
}

/* The logical line of ins, trailing blanks cut; false when it cannot be copied as one line. */
static bool
one_line(const dd_instr *ins, dd_buf *out)
{
	size_t n = ins->line_len;
	while (n > 0 && (ins->line[n - 1] == ' ' || ins->line[n - 1] == '\t' || ins->line[n - 1] == '\r'))
		n--;
	if (n == 0 || memchr(ins->line, '\n', n) || memchr(ins->line, '\r', n) || ins->line[n - 1] == '\\')
		return false;
	dd_buf_put(out, ins->line, n);
	dd_buf_putc(out, '\n');
	return true;
}

static bool
secret_kv(const dd_instr *ins)
{
	for (size_t k = 0; k < ins->as.kv.npairs; k++) {
		const dd_kv *kv = &ins->as.kv.pairs[k];
		if (dd_secret_name(kv->key.text, kv->key.len, NULL) ||
		    dd_secret_scan(kv->value.text, kv->value.len, NULL, NULL) > 0)
			return true;
	}
	return false;
}

static void
skipped(dd_ms_plan *p, const char *what)
{
	size_t n = strlen(p->skipped);
	if (strstr(p->skipped, what))
		return;
	put(p->skipped + n, sizeof(p->skipped) - n, "%s%s", n ? ", " : "", what);
}

/* The lines carried over from the old final stage: metadata that needs no shell. */
static void
carried(walker *w, dd_buf *out)
{
	const dd_doc *doc = w->doc;
	const dd_stage *st = w->st;
	dd_buf meta = DD_BUF_INIT;
	bool keep[4096] = { false };
	size_t span = st->last - st->first;
	if (span >= DD_ARRAY_LEN(keep)) {
		block(w, "the stage is too long to rewrite");
		return;
	}
	for (size_t i = st->first + 1; i <= st->last; i++) {
		const dd_instr *ins = doc->instrs[i];
		switch (ins->kind) {
		case DD_INSTR_ENV:
			if (secret_kv(ins)) {
				skipped(w->p, "a secret-looking ENV");
				break;
			}
			/* fall through */
		case DD_INSTR_LABEL:
		case DD_INSTR_EXPOSE:
		case DD_INSTR_STOPSIGNAL:
		case DD_INSTR_VOLUME:
		case DD_INSTR_MAINTAINER:
			keep[i - st->first] = true;
			if (!one_line(ins, &meta))
				block(w, "line %u cannot be carried over as one line", ins->start_line);
			break;
		default:
			break;
		}
	}
	/* ARGs the carried lines refer to */
	for (size_t i = st->first + 1; i <= st->last; i++) {
		const dd_instr *ins = doc->instrs[i];
		if (ins->kind != DD_INSTR_ARG || secret_kv(ins))
			continue;
		for (size_t k = 0; k < ins->as.kv.npairs; k++)
			if (meta.ptr && mentions(meta.ptr, ins->as.kv.pairs[k].key.text, ins->as.kv.pairs[k].key.len))
				keep[i - st->first] = true;
	}
	for (size_t i = st->first + 1; i <= st->last; i++)
		if (keep[i - st->first] && !one_line(w->doc->instrs[i], out))
			block(w, "line %u cannot be carried over as one line", w->doc->instrs[i]->start_line);
	dd_buf_free(&meta);
}

/* A stage name no stage has: build, build-1, build-2 … */
static void
builder_name(const dd_doc *doc, char *out, size_t size)
{
	for (unsigned k = 0;; k++) {
		if (k == 0)
			put(out, size, "build");
		else
			put(out, size, "build-%u", k);
		bool taken = false;
		for (size_t i = 0; i < doc->nstages && !taken; i++)
			taken = doc->stages[i].name && strcmp(doc->stages[i].name, out) == 0;
		if (!taken)
			return;
	}
}

/* An image reference string split enough for a knowledge lookup. */
static void
lookup(const dd_knowledge *kb, const char *ref, dd_image_info *info)
{
	char reg[256], path[256], tag[128];
	const char *slash = strchr(ref, '/');
	const char *rest = ref;
	memset(info, 0, sizeof(*info));
	if (slash && (memchr(ref, '.', (size_t)(slash - ref)) || memchr(ref, ':', (size_t)(slash - ref)))) {
		put(reg, sizeof(reg), "%.*s", (int)(slash - ref), ref);
		rest = slash + 1;
	} else {
		put(reg, sizeof(reg), "docker.io");
	}
	const char *colon = strrchr(rest, ':');
	if (colon && strchr(colon, '/'))
		colon = NULL;
	put(path, sizeof(path), "%s%.*s", strcmp(reg, "docker.io") == 0 && !strchr(rest, '/') ? "library/" : "",
	    (int)(colon ? (size_t)(colon - rest) : strlen(rest)), rest);
	put(tag, sizeof(tag), "%s", colon ? colon + 1 : "");
	const char *name = strrchr(path, '/');
	dd_image_ref r = { ref, reg, path, name ? name + 1 : path, tag, "", false, false, true };
	dd_knowledge_image(kb, &r, info);
}

static void
write_stage(walker *w, const dd_image_info *final_info, const char *user, const char *const *copies,
    size_t ncopies, const char *env)
{
	dd_ms_plan *p = w->p;
	const dd_instr *from = w->st->from;
	char kw[16];
	dd_buf *b = &p->text;
	dd_buf_puts(b, "\n");
	dd_buf_printf(b, "%s ", dd_fix_keyword_case(from, "FROM", kw, sizeof(kw)));
	/* the same platform as the builder, whose binary it runs */
	const dd_flag *plat = dd_instr_flag(from, "platform");
	if (plat) {
		dd_buf_put(b, plat->raw.text, plat->raw.len);
		dd_buf_putc(b, ' ');
	}
	dd_buf_puts(b, p->image);
	if (w->st->name) {
		dd_buf_printf(b, " %s ", dd_fix_keyword_case(from, "AS", kw, sizeof(kw)));
		dd_buf_put(b, from->as.from.alias.text, from->as.from.alias.len);
	}
	dd_buf_putc(b, '\n');
	carried(w, b);
	if (w->had_workdir && w->cwd[0])
		dd_buf_printf(b, "%s %s\n", dd_fix_keyword_case(from, "WORKDIR", kw, sizeof(kw)), w->cwd);
	for (size_t i = 0; i < ncopies; i++)
		dd_buf_printf(b, "%s --from=%s %s %s\n", dd_fix_keyword_case(from, "COPY", kw, sizeof(kw)),
		    p->builder, copies[i], copies[i]);
	if (env)
		dd_buf_printf(b, "%s %s\n", dd_fix_keyword_case(from, "ENV", kw, sizeof(kw)), env);
	dd_buf_printf(b, "%s %s\n", dd_fix_keyword_case(from, "USER", kw, sizeof(kw)), user);

	/* ENTRYPOINT / CMD, adjusted to the image's own entrypoint */
	const dd_instr *e = w->entry, *c = w->cmd;
	const char *const *ep = final_info->entrypoint;
	size_t nep = final_info->nentrypoint;
	char ekw[16], ckw[16];
	dd_fix_keyword_case(from, "ENTRYPOINT", ekw, sizeof(ekw));
	dd_fix_keyword_case(from, "CMD", ckw, sizeof(ckw));
	if (!p->distroless || nep == 0) {
		if (e)
			exec_line(b, ekw, NULL, e->as.cmd.argv, e->as.cmd.argc, 0);
		if (c)
			exec_line(b, ckw, NULL, c->as.cmd.argv, c->as.cmd.argc, 0);
	} else if (e) {
		/* the interpreter by the image's path; the rest as written */
		exec_line(b, ekw, ep[0], e->as.cmd.argv, e->as.cmd.argc, 1);
		if (c)
			exec_line(b, ckw, NULL, c->as.cmd.argv, c->as.cmd.argc, 0);
	} else {
		/* CMD ["node", "x.js"] under ENTRYPOINT ["node"]: CMD ["x.js"] */
		exec_line(b, ckw, NULL, c->as.cmd.argv, c->as.cmd.argc, nep);
	}
}

/* The command of the final stage fits the image's entrypoint? Sets the artifact for Java. */
static bool
command_fits(walker *w, const dd_image_info *fi, bool distroless, char *jar)
{
	const dd_instr *e = w->entry, *c = w->cmd;
	const dd_instr *first = e ? e : c;
	jar[0] = '\0';
	if (!first) {
		block(w, "the stage has no CMD or ENTRYPOINT to run the program");
		return false;
	}
	if ((e && !e->json) || (c && !c->json)) {
		block(w, "%s is in shell form, which needs a shell", e && !e->json ? "ENTRYPOINT" : "CMD");
		return false;
	}
	if (first->as.cmd.argc == 0) {
		block(w, "the %s is empty", e ? "ENTRYPOINT" : "CMD");
		return false;
	}
	const dd_word *a0 = &first->as.cmd.argv[0];
	if (!interpreter(w->lang, a0->text, a0->len)) {
		block(w, "the container starts `%.*s`, not %s", (int)(a0->len < 60 ? a0->len : 60), a0->text,
		    strcmp(w->lang, "node") == 0 ? "node" : strcmp(w->lang, "java") == 0 ? "java" : "python");
		return false;
	}
	size_t nep = fi->nentrypoint;
	if (distroless && nep == 0) {
		block(w, "the entrypoint of %s is not in the tables", w->p->image);
		return false;
	}
	if (distroless && !e) {
		/* CMD [interp, fixed…, rest…] under ENTRYPOINT [interp, fixed…] */
		if (c->as.cmd.argc <= nep) {
			block(w, "CMD runs %.*s with nothing to run", (int)a0->len, a0->text);
			return false;
		}
		for (size_t k = 1; k < nep; k++)
			if (!eq(c->as.cmd.argv[k].text, c->as.cmd.argv[k].len, fi->entrypoint[k])) {
				block(w, "CMD does not start with `%.*s %s`, the entrypoint of %s", (int)a0->len, a0->text,
				    fi->entrypoint[k], w->p->image);
				return false;
			}
	}
	if (strcmp(w->lang, "java") == 0) {
		/* the jar after -jar, in ENTRYPOINT and CMD together */
		const dd_word *words[64];
		size_t n = 0;
		for (size_t k = 0; e && k < e->as.cmd.argc && n < 64; k++)
			words[n++] = &e->as.cmd.argv[k];
		for (size_t k = 0; c && k < c->as.cmd.argc && n < 64; k++)
			words[n++] = &c->as.cmd.argv[k];
		for (size_t k = 0; k + 1 < n; k++)
			if (eq(words[k]->text, words[k]->len, "-jar")) {
				char jb[DD_MS_PATH];
				put(jb, sizeof(jb), "%.*s", (int)words[k + 1]->len, words[k + 1]->text);
				if (!plain_path(jb) || !ends(jb, ".jar") || !resolve(w->cwd, jb, jar)) {
					block(w, "the jar `%s` is not one file drydock can place", jb);
					return false;
				}
				break;
			}
		if (!jar[0]) {
			block(w, "the container does not run `java -jar`");
			return false;
		}
	}
	return true;
}

/* ---- the analysis ------------------------------------------------------------------------------ */

static void
walk(walker *w)
{
	const dd_doc *doc = w->doc;
	const dd_stage *st = w->st;
	for (size_t i = st->first + 1; i <= st->last; i++) {
		const dd_instr *ins = doc->instrs[i];
		switch (ins->kind) {
		case DD_INSTR_WORKDIR:
			workdir(w, ins);
			break;
		case DD_INSTR_RUN:
			run_instr(w, ins);
			break;
		case DD_INSTR_CMD:
			w->cmd = ins;
			break;
		case DD_INSTR_ENTRYPOINT:
			w->entry = ins;
			break;
		case DD_INSTR_HEALTHCHECK:
			w->health = ins;
			break;
		default:
			break;
		}
	}
}

/* Every COPY/ADD lands inside dir (the folder the final stage gets, or where the build ran)? */
static void
check_copies(walker *w, const char *dir)
{
	char cwd_save[DD_MS_PATH];
	char dests[32][DD_MS_PATH];
	size_t nd = 0;
	put(cwd_save, sizeof(cwd_save), "%s", w->cwd);
	w->cwd[0] = '\0';
	for (size_t i = w->st->first + 1; i <= w->st->last; i++) {
		const dd_instr *ins = w->doc->instrs[i];
		if (ins->kind == DD_INSTR_WORKDIR)
			workdir(w, ins);
		else if (ins->kind == DD_INSTR_COPY || ins->kind == DD_INSTR_ADD)
			copy_instr(w, ins, dests, &nd);
	}
	put(w->cwd, sizeof(w->cwd), "%s", cwd_save);
	for (size_t i = 0; i < nd; i++) {
		if (dests[i][0] == '?') {
			block(w, "COPY to %s: drydock cannot tell where that is", dests[i] + 1);
			return;
		}
		if (!*dir || !inside(dests[i], dir)) {
			block(w, "COPY puts files in %s, outside %s: they may be needed at run time", dests[i],
			    *dir ? dir : "the build folder");
			return;
		}
	}
}

void
dd_ms_analyse(dd_ctx *ctx, const dd_doc *doc, const dd_stage *st, const dd_image_info *info, dd_ms_plan *out)
{
	memset(out, 0, sizeof(*out));
	walker w;
	memset(&w, 0, sizeof(w));
	w.ctx = ctx;
	w.doc = doc;
	w.st = st;
	w.info = info;
	w.p = out;
	w.lang = info->lang;
	builder_name(doc, out->builder, sizeof(out->builder));
	walk(&w);
	if (out->needs[0])
		out->builds = true;
	if (!w.lang || !w.lang_seen || !info->toolchain)
		return;

	const dd_knowledge *kb = dd_ctx_knowledge(ctx);
	bool interp = strcmp(w.lang, "node") == 0 || strcmp(w.lang, "python") == 0 || strcmp(w.lang, "java") == 0;
	const char *artifact_copies[2];
	size_t ncopies = 0;
	char jar[DD_MS_PATH] = "", bin[DD_MS_PATH] = "", site[DD_MS_PATH] = "", env[DD_MS_PATH + 16];
	const char *envp = NULL;

	if (st->index + 1 != doc->nstages)
		block(&w, "the final stage is not the last one in the file");
	const dd_image_ref *ref = &st->from->as.from.ref;
	if (!ref->tag[0] || strcmp(ref->tag, "latest") == 0)
		block(&w, "%s names no release (pin it first: DD303)", dd_from_text(st));
	for (size_t i = st->first + 1; i <= st->last; i++)
		if (doc->instrs[i]->kind == DD_INSTR_USER)
			skipped(out, "USER");
		else if (doc->instrs[i]->kind == DD_INSTR_ONBUILD)
			skipped(out, "ONBUILD");

	/* the image: distroless when the tables have one, else the slim variant when the stage cannot go slim itself */
	if (strcmp(w.lang, "go") == 0 || strcmp(w.lang, "rust") == 0 || strcmp(w.lang, "c") == 0) {
		out->image = w.is_static ? info->distroless_static : info->distroless_dynamic;
		if (!out->image)
			block(&w, "no distroless image runs a %s binary built on %s", w.is_static ? "static" : "dynamic",
			    dd_from_text(st));
		out->distroless = true;
	} else if (info->distroless) {
		out->image = info->distroless;
		out->distroless = true;
	} else if (info->slim && out->needs[0]) {
		out->image = info->slim; /* built with the compilers, run on the slim image */
	} else if (info->slim) {
		block(&w, "there is no distroless %s for %s; the slim variant %s can hold the stage as it is",
		    w.lang, dd_from_text(st), info->slim);
	} else {
		block(&w, "there is no distroless or slim runtime for %s", dd_from_text(st));
	}
	dd_image_info fi;
	memset(&fi, 0, sizeof(fi));
	const char *user = NULL;
	char ubuf[32];
	if (out->image) {
		lookup(kb, out->image, &fi);
		if (out->distroless) {
			user = dd_knowledge_users(kb, DD_FAMILY_DISTROLESS)->user;
		} else if (fi.shipped_user && fi.shipped_uid && !fi.toolchain && fi.family == info->family) {
			put(ubuf, sizeof(ubuf), "%u:%u", fi.shipped_uid, fi.shipped_gid);
			user = ubuf;
		} else {
			block(&w, "there is no distroless runtime for %s, and %s has no non-root user to switch to",
			    dd_from_text(st), out->image);
		}
		if (user)
			put(out->user, sizeof(out->user), "%s", user);
	}

	/* the artifact, and the command that runs it */
	if (interp) {
		if (command_fits(&w, &fi, out->distroless, jar) && strcmp(w.lang, "java") == 0) {
			if (!is_cand(&w, jar) && !(w.src_dir[0] && inside(jar, w.src_dir) &&
			    (strstr(jar + strlen(w.src_dir), "/target/") || strstr(jar + strlen(w.src_dir), "/build/"))))
				block(&w, "%s is not a jar the maven or gradle build makes", jar);
		}
		if (strcmp(w.lang, "java") == 0) {
			artifact_copies[ncopies++] = jar;
			put(out->artifact, sizeof(out->artifact), "%s", jar);
			check_copies(&w, w.src_dir);
		} else {
			if (!w.had_workdir || !w.cwd[0] || strcmp(w.cwd, "/") == 0)
				block(&w, "the stage has no WORKDIR of its own to copy");
			else if (strcmp(w.lang, "node") == 0 && !(w.src_dir[0] && inside(w.src_dir, w.cwd)))
				block(&w, "the packages are installed outside the WORKDIR %s", w.cwd);
			if (strcmp(w.lang, "python") == 0) {
				/* the official image's interpreter lives in /usr/local; PYTHONPATH points the distroless one at it */
				put(site, sizeof(site), "/usr/local/lib/python3.13/site-packages");
				artifact_copies[ncopies++] = site;
				put(env, sizeof(env), "PYTHONPATH=%s", site);
				envp = env;
				for (size_t i = st->first + 1; i <= st->last; i++) {
					const dd_instr *ins = doc->instrs[i];
					for (size_t k = 0; ins->kind == DD_INSTR_ENV && k < ins->as.kv.npairs; k++)
						if (eq(ins->as.kv.pairs[k].key.text, ins->as.kv.pairs[k].key.len, "PYTHONPATH"))
							block(&w, "the stage sets PYTHONPATH");
				}
			}
			artifact_copies[ncopies++] = w.cwd;
			put(out->artifact, sizeof(out->artifact), "%s", w.cwd);
			check_copies(&w, w.cwd);
		}
	} else {
		const dd_instr *first = w.entry ? w.entry : w.cmd;
		if (w.ncands == 0)
			block(&w, "drydock cannot tell which file the build makes");
		else if (!first)
			block(&w, "the stage has no CMD or ENTRYPOINT to run the program");
		else if (!first->json || (w.cmd && !w.cmd->json))
			block(&w, "%s is in shell form, which needs a shell", w.entry && !w.entry->json ? "ENTRYPOINT" : "CMD");
		else if (first->as.cmd.argc == 0)
			block(&w, "the %s is empty", w.entry ? "ENTRYPOINT" : "CMD");
		else {
			char a0[DD_MS_PATH];
			put(a0, sizeof(a0), "%.*s", (int)first->as.cmd.argv[0].len, first->as.cmd.argv[0].text);
			if (!runs_artifact(&w, a0, bin))
				block(&w, "the container starts `%s`, not a file the build makes", a0);
		}
		artifact_copies[ncopies++] = bin;
		put(out->artifact, sizeof(out->artifact), "%s", bin);
		check_copies(&w, w.src_dir);
	}

	if (w.runtime_pkg[0])
		block(&w, "the stage installs %s, which %s lacks", w.runtime_pkg, out->image ? out->image : "the runtime");
	if (w.dev_lib[0] && !w.is_static)
		block(&w, "the stage installs %s: the program needs its library at run time, which %s lacks",
		    w.dev_lib, out->image ? out->image : "the runtime");
	/* a health check runs a tool (curl, wget) the final image lacks; NONE has nothing to carry */
	if (w.health && !(w.health->health_type.len == 4 && strncasecmp(w.health->health_type.text, "NONE", 4) == 0))
		block(&w, "HEALTHCHECK runs a command the final image may lack");
	for (size_t i = 0; i < ncopies; i++)
		if (!plain_path(artifact_copies[i]))
			block(&w, "the path %s cannot be copied as written", artifact_copies[i]);

	if (w.block[0]) {
		put(out->why, sizeof(out->why), "%s", w.block);
		return;
	}
	write_stage(&w, &fi, user, artifact_copies, ncopies, envp);
	if (w.block[0]) {
		put(out->why, sizeof(out->why), "%s", w.block);
		dd_buf_free(&out->text);
		return;
	}
	out->ok = true;
}

void
dd_ms_plan_free(dd_ms_plan *p)
{
	dd_buf_free(&p->text);
}

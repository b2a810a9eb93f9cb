/*
 * The plan of the DD203 fix: which RUN lines read a copied key or
 * credential file, so that a secret mount (or the SSH agent) can replace
 * the COPY on exactly those lines, and why not when it cannot.
 */
#include "secrets.h"
#include "drydock/alloc.h"
#include "drydock/knowledge.h"

#include <stdlib.h>
#include <string.h>

static const char *const npm_tools[] = { "npm", "npx", "yarn", "pnpm", "bun", "corepack", NULL };
static const char *const pypi_tools[] = { "twine", "flit", "hatch", "pdm", NULL };
static const char *const netrc_tools[] = { "curl", "wget", "git", "pip", "pip3", "go", "uv", "poetry", NULL };
static const char *const git_tools[] = { "git", NULL };
static const char *const pg_tools[] = { "psql", "pg_dump", "pg_dumpall", "pg_restore", "createdb", NULL };
static const char *const vault_tools[] = { "vault", NULL };
static const char *const aws_tools[] = { "aws", NULL };
static const char *const docker_tools[] = { "docker", "skopeo", "crane", "regctl", "buildah", "podman", NULL };
static const char *const kube_tools[] = { "kubectl", "helm", NULL };
static const char *const ssh_tools[] = { "git", "ssh", "scp", "sftp", "rsync", NULL };

/* A credential file by name (and folder), and the programs that read it. */
static const struct {
	const char *base;
	const char *parent;
	const char *const *tools;
} kinds[] = {
	{ ".npmrc", NULL, npm_tools },
	{ ".pypirc", NULL, pypi_tools },
	{ ".netrc", NULL, netrc_tools },
	{ "_netrc", NULL, netrc_tools },
	{ ".git-credentials", NULL, git_tools },
	{ ".pgpass", NULL, pg_tools },
	{ ".vault-token", NULL, vault_tools },
	{ "credentials", ".aws", aws_tools },
	{ "config.json", ".docker", docker_tools },
	{ "config", ".kube", kube_tools },
	{ "kubeconfig", NULL, kube_tools },
};

static bool
eq(const char *a, size_t n, const char *b)
{
	return b && strlen(b) == n && memcmp(a, b, n) == 0;
}

/* ---- the source: name, folder, id -------------------------------------------------- */

/* The file name of path (trailing slashes ignored) and the folder name before it. */
static void
split_path(const char *s, size_t n, const char **base, size_t *blen, const char **dir, size_t *dlen)
{
	while (n > 1 && s[n - 1] == '/')
		n--;
	size_t b = n;
	while (b > 0 && s[b - 1] != '/')
		b--;
	*base = s + b;
	*blen = n - b;
	size_t e = b ? b - 1 : 0, a = e;
	while (a > 0 && s[a - 1] != '/')
		a--;
	*dir = s + a;
	*dlen = e - a;
}

/* The source relative to the context: no ./ or / in front, no / behind. */
static char *
context_path(const char *s, size_t n)
{
	for (;;) {
		if (n >= 2 && s[0] == '.' && s[1] == '/')
			s += 2, n -= 2;
		else if (n >= 1 && s[0] == '/')
			s++, n--;
		else
			break;
	}
	while (n > 0 && s[n - 1] == '/')
		n--;
	return dd_xstrndup(s, n);
}

/* ".npmrc" → npmrc, ".aws/credentials" → aws_credentials. */
static char *
file_id(const char *path)
{
	dd_buf b = DD_BUF_INIT;
	for (const char *p = path; *p; p++) {
		char c = *p >= 'A' && *p <= 'Z' ? (char)(*p + 32) : *p;
		bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
		if (keep)
			dd_buf_putc(&b, c);
		else if (b.len && b.ptr[b.len - 1] != '_' && p[1])
			dd_buf_putc(&b, '_');
	}
	if (!b.len)
		dd_buf_puts(&b, "secret");
	return dd_buf_detach(&b, NULL);
}

static void
plan_block(dd_file_plan *p, const dd_instr *at, const char *why)
{
	if (p->why.len)
		return;
	dd_buf_puts(&p->why, why);
	p->at = at;
}

/* The kind of the source: the programs that read it, or the SSH agent. */
static void
source_kind(const dd_instr *ins, dd_file_plan *p)
{
	const dd_word *w = p->src;
	const char *dir, *what = NULL;
	size_t dlen;
	split_path(w->text, w->len, &p->base, &p->blen, &dir, &dlen);
	dd_secret_path(w->text, w->len, &what);
	if (what && strncmp(what, "SSH", 3) == 0) {
		p->ssh = true;
		p->tools = ssh_tools;
		return;
	}
	for (size_t i = 0; i < DD_ARRAY_LEN(kinds); i++)
		if (eq(p->base, p->blen, kinds[i].base) && (!kinds[i].parent || eq(dir, dlen, kinds[i].parent)))
			p->tools = kinds[i].tools;
	if (!p->tools)
		plan_block(p, ins, "drydock does not know which program reads it");
}

/* A plain file of the context, copied by a COPY/ADD it can be taken out of. */
static void
source_checks(const dd_instr *ins, dd_file_plan *p)
{
	const dd_word *w = p->src;
	if (ins->parent)
		plan_block(p, ins, "it is an ONBUILD trigger");
	else if (!ins->stage)
		plan_block(p, ins, "it comes before the first FROM");
	else if (dd_instr_flag(ins, "from"))
		plan_block(p, ins, "it is copied from another stage or image");
	else if (strpbrk(w->text, "*?[$\"'\\,= \t"))
		plan_block(p, ins, "its source is a pattern, a variable or an unusual name");
	else if (ins->json && ins->as.copy.nsources > 1)
		plan_block(p, ins, "it is one of several sources of a JSON-form COPY");
	else if (!ins->as.copy.dest.len)
		plan_block(p, ins, "the COPY has no destination");
}

/* ---- where it lands: WORKDIR and destination ------------------------------------------ */

/* Append rel to the absolute path in out ("" for /), resolving . and .. */
static void
path_join(dd_buf *out, const char *rel)
{
	if (rel[0] == '/')
		dd_buf_clear(out);
	for (const char *p = rel; *p;) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (out->len && out->ptr[out->len - 1] != '/')
				out->len--;
			if (out->len)
				out->ptr[--out->len] = '\0';
		} else if (n && !(n == 1 && p[0] == '.')) {
			dd_buf_putc(out, '/');
			dd_buf_put(out, p, n);
		}
		p += n + (e != NULL);
	}
}

/* The working folder at instruction i of st (WORKDIRs there and in its base stages), or false. */
static bool
workdir_at(dd_ctx *ctx, const dd_doc *doc, const dd_stage *st, size_t i, dd_buf *out)
{
	const char *dirs[64];
	size_t n = 0;
	bool absolute = false;
	while (st && !absolute && n < DD_ARRAY_LEN(dirs)) {
		for (; i > st->first + 1 && !absolute && n < DD_ARRAY_LEN(dirs); i--) {
			const dd_instr *wd = doc->instrs[i - 1];
			if (wd->kind != DD_INSTR_WORKDIR || wd->nargs == 0)
				continue;
			bool unresolved;
			dirs[n] = dd_ctx_expand(ctx, st, wd, wd->args[0].text, wd->args[0].len, &unresolved);
			if (unresolved)
				return false;
			absolute = dirs[n++][0] == '/';
		}
		st = st->base_stage;
		i = st ? st->last + 1 : 0;
	}
	if (!absolute)
		return false; /* the base image's WORKDIR: not known here */
	dd_buf_clear(out);
	while (n--)
		path_join(out, dirs[n]);
	if (!out->len)
		dd_buf_putc(out, '/');
	return true;
}

/* Is the destination a folder? 1 yes, 0 a file, -1 cannot tell. */
static int
dest_is_folder(const dd_instr *ins, const dd_file_plan *p, const char *dest, const char *wd)
{
	size_t n = strlen(dest);
	const char *base, *dir;
	size_t blen, dlen;
	if (n == 0)
		return -1;
	split_path(dest, n, &base, &blen, &dir, &dlen);
	if (dest[n - 1] == '/' || strcmp(dest, ".") == 0 || ins->as.copy.nsources > 1)
		return 1;
	if ((blen == p->blen && memcmp(base, p->base, blen) == 0))
		return 0;
	for (size_t i = 0; i < DD_ARRAY_LEN(kinds); i++)
		if (p->tools == kinds[i].tools && eq(base, blen, kinds[i].base))
			return 0;
	if ((wd && strcmp(dest, wd) == 0) || strcmp(dest, "/root") == 0 ||
	    (dlen == 4 && memcmp(dir, "home", 4) == 0 && dir == dest + 1))
		return 1;
	return -1;
}

/* Where the file is in the image: the destination, made absolute, its name added to a folder. */
static void
resolve_target(dd_ctx *ctx, const dd_doc *doc, const dd_instr *ins, dd_file_plan *p)
{
	const dd_word *d = &ins->as.copy.dest;
	bool unresolved;
	const char *dest = dd_ctx_expand(ctx, ins->stage, ins, d->text, d->len, &unresolved);
	dd_buf wd = DD_BUF_INIT, t = DD_BUF_INIT;
	bool have_wd = workdir_at(ctx, doc, ins->stage, ins->index, &wd);
	int folder = unresolved ? -1 : dest_is_folder(ins, p, dest, have_wd ? wd.ptr : NULL);
	if (unresolved || folder < 0) {
		plan_block(p, ins, unresolved ? "its destination holds a variable without a value"
		                              : "drydock cannot tell whether its destination is a folder");
	} else if (dest[0] != '/' && !have_wd) {
		plan_block(p, ins, "its destination is relative and the working folder is not known");
	} else {
		if (dest[0] != '/')
			path_join(&t, wd.ptr);
		path_join(&t, dest);
		if (folder) {
			dd_buf_putc(&t, '/');
			dd_buf_put(&t, p->base, p->blen);
		}
		if (!t.len)
			dd_buf_putc(&t, '/');
		if (strpbrk(t.ptr, ",\"' \t="))
			plan_block(p, ins, "its destination does not fit in a mount option");
		else
			p->target = dd_buf_detach(&t, NULL);
	}
	dd_buf_free(&wd);
	dd_buf_free(&t);
}

/* ---- the RUN lines after it ---------------------------------------------------------- */

/* The user a RUN runs as: the last USER before it, in its stage or those it is built on, else the image's. */
static const char *
user_at(dd_ctx *ctx, const dd_doc *doc, const dd_instr *run, bool *unresolved)
{
	const dd_stage *st = run->stage;
	size_t i = run->index;
	*unresolved = false;
	for (unsigned depth = 0; depth < 64; depth++) {
		for (; i > st->first + 1; i--) {
			const dd_instr *u = doc->instrs[i - 1];
			if (u->kind == DD_INSTR_USER && u->nargs)
				return dd_ctx_expand(ctx, st, u, u->args[0].text, u->args[0].len, unresolved);
		}
		if (!st->base_stage)
			break;
		st = st->base_stage;
		i = st->last + 1;
	}
	const dd_knowledge *kb = dd_ctx_knowledge(ctx);
	dd_image_info info;
	if (!kb)
		return "";
	dd_knowledge_image(kb, &st->from->as.from.ref, &info);
	return info.default_user ? info.default_user : "";
}

/* The uid (and gid) options a mount needs to be readable by the RUN's user; false: a user name. */
static bool
user_options(dd_ctx *ctx, const dd_doc *doc, const dd_instr *run, dd_buf *out)
{
	bool unresolved;
	const char *u = user_at(ctx, doc, run, &unresolved);
	size_t n = strcspn(u, ":");
	size_t digits = strspn(u, "0123456789");
	if (unresolved)
		return false;
	if (n == 0 || (n == 4 && memcmp(u, "root", 4) == 0) || (digits == n && strspn(u, "0") == n))
		return true;
	if (digits != n || (u[n] == ':' && strspn(u + n + 1, "0123456789") != strlen(u + n + 1)))
		return false;
	dd_buf_printf(out, ",uid=%.*s", (int)n, u);
	if (u[n] == ':' && u[n + 1])
		dd_buf_printf(out, ",gid=%s", u + n + 1);
	return true;
}

static bool
has_text(const char *s, size_t n, const char *needle, size_t k)
{
	for (size_t i = 0; k && i + k <= n; i++)
		if (memcmp(s + i, needle, k) == 0)
			return true;
	return false;
}

/* Does the RUN's command name the file (to move, chmod or delete it …)? */
static bool
names_file(const dd_instr *run, const char *needle, size_t k)
{
	const dd_word *sh = &run->as.cmd.shell;
	if (has_text(sh->text, sh->len, needle, k))
		return true;
	for (size_t i = 0; i < run->as.cmd.argc; i++)
		if (has_text(run->as.cmd.argv[i].text, run->as.cmd.argv[i].len, needle, k))
			return true;
	for (size_t i = 0; i < run->nheredocs; i++)
		if (has_text(run->heredocs[i].body, run->heredocs[i].body_len, needle, k))
			return true;
	return false;
}

/* Mounted already: a secret at the same target, or the SSH agent. */
static bool
mounted(const dd_instr *run, const dd_file_plan *p)
{
	for (size_t i = 0; i < run->as.cmd.nmounts; i++) {
		const dd_mount *m = &run->as.cmd.mounts[i];
		if (p->ssh ? m->type == DD_MOUNT_SSH
		           : m->type == DD_MOUNT_SECRET && m->target && strcmp(m->target, p->target) == 0)
			return true;
	}
	return false;
}

typedef struct {
	dd_ctx *ctx;
	const dd_doc *doc;
	dd_file_plan *p;
	const char *target_base;
	size_t tlen;
} walk;

static void
add_run(walk *w, const dd_instr *run)
{
	dd_file_plan *p = w->p;
	dd_buf flag = DD_BUF_INIT;
	if (p->ssh)
		dd_buf_puts(&flag, " --mount=type=ssh");
	else
		dd_buf_printf(&flag, " --mount=type=secret,id=%s,target=%s", p->id, p->target);
	if (!user_options(w->ctx, w->doc, run, &flag)) {
		dd_buf_free(&flag);
		plan_block(p, run, "a RUN that reads it runs as a named user, whose uid the mount needs (uid=)");
		return;
	}
	p->runs = dd_xreallocarray(p->runs, p->nruns + 1, sizeof(*p->runs));
	p->mounts = dd_xreallocarray(p->mounts, p->nruns + 1, sizeof(*p->mounts));
	p->runs[p->nruns] = run;
	p->mounts[p->nruns++] = dd_buf_detach(&flag, NULL);
}

static bool
visit(void *arg, const dd_instr *ins)
{
	walk *w = arg;
	dd_file_plan *p = w->p;
	if (p->why.len || ins->kind != DD_INSTR_RUN)
		return !p->why.len;
	if (names_file(ins, p->base, p->blen) || names_file(ins, w->target_base, w->tlen)) {
		plan_block(p, ins, "a RUN after it uses the file by name");
		return false;
	}
	if (!dd_run_runs(w->ctx, ins, p->tools))
		return true;
	if (dd_windows_stage(w->ctx, ins->stage)) {
		plan_block(p, ins, "a RUN that reads it builds a Windows image, where secret mounts do not work");
		p->windows = true;
		return false;
	}
	p->nuses++;
	if (!mounted(ins, p))
		add_run(w, ins);
	return true;
}

static void
tool_list(dd_buf *out, const char *const *tools)
{
	for (size_t i = 0; tools[i]; i++)
		dd_buf_printf(out, "%s%s", i ? ", " : "", tools[i]);
}

void
dd_file_plan_make(dd_ctx *ctx, const dd_doc *doc, const dd_instr *ins, size_t k, dd_file_plan *out)
{
	memset(out, 0, sizeof(*out));
	out->src = &ins->as.copy.sources[k];
	out->src_path = context_path(out->src->text, out->src->len);
	out->id = file_id(out->src_path);
	source_checks(ins, out);
	source_kind(ins, out);
	if (!out->why.len && !out->ssh)
		resolve_target(ctx, doc, ins, out);
	if (out->why.len)
		return;
	/* the file's name where it lands; an SSH key's folder, which the COPY made */
	walk w = { ctx, doc, out, ".ssh", 4 };
	if (out->target) {
		w.target_base = strrchr(out->target, '/') + 1;
		w.tlen = strlen(w.target_base);
	}
	dd_scope_walk(doc, ins->stage, ins->index + 1, visit, &w);
	if (!out->why.len && !out->nuses) {
		dd_buf_puts(&out->why, "no RUN after it runs a program that reads it (");
		tool_list(&out->why, out->tools);
		dd_buf_putc(&out->why, ')');
		out->at = ins;
	}
}

void
dd_file_plan_free(dd_file_plan *p)
{
	for (size_t i = 0; i < p->nruns; i++)
		free(p->mounts[i]);
	free(p->mounts);
	free(p->runs);
	free(p->src_path);
	free(p->id);
	free(p->target);
	dd_buf_free(&p->why);
	memset(p, 0, sizeof(*p));
}

/*
 * What rules ask about a Dockerfile beyond its syntax: the shell scripts a
 * RUN executes (tokenized once), the variables visible at an instruction,
 * the user a stage runs as, and whether its entrypoint drops privileges.
 */
#include "ctx.h"

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/expand.h"
#include "drydock/knowledge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- scripts ------------------------------------------------------------------- */

/* The last '/' in s[0..n), or NULL (memrchr is a GNU extension). */
static const char *
last_slash(const char *s, size_t n)
{
	while (n > 0)
		if (s[--n] == '/')
			return s + n;
	return NULL;
}

static script_entry *
cache_slot(dd_ctx *ctx, const dd_instr *ins)
{
	if (ctx->cache_n * 2 >= ctx->cache_cap) {
		size_t cap = ctx->cache_cap ? ctx->cache_cap * 2 : 64;
		script_entry *old = ctx->cache;
		size_t oldcap = ctx->cache_cap;
		ctx->cache = dd_xcalloc(cap, sizeof(*ctx->cache));
		ctx->cache_cap = cap;
		for (size_t i = 0; i < oldcap; i++) {
			if (!old[i].ins)
				continue;
			size_t h = ((uintptr_t)old[i].ins >> 4) & (cap - 1);
			while (ctx->cache[h].ins)
				h = (h + 1) & (cap - 1);
			ctx->cache[h] = old[i];
		}
		free(old);
	}
	size_t h = ((uintptr_t)ins >> 4) & (ctx->cache_cap - 1);
	while (ctx->cache[h].ins && ctx->cache[h].ins != ins)
		h = (h + 1) & (ctx->cache_cap - 1);
	return &ctx->cache[h];
}

static bool
is_shell_name(const char *s, size_t n)
{
	static const char *const shells[] = { "sh", "bash", "ash", "dash", "zsh", "ksh", "mksh" };
	for (size_t i = 0; i < DD_ARRAY_LEN(shells); i++)
		if (strlen(shells[i]) == n && memcmp(s, shells[i], n) == 0)
			return true;
	return false;
}

/* Is the shell-form command just a shell reading a heredoc (`RUN <<EOF`, `RUN bash <<EOF`)? */
static bool
runs_heredoc_script(const dd_shell *sh)
{
	if (sh->ncmds == 0)
		return true;
	const dd_sh_cmd *c = &sh->cmds[0];
	if (c->nwords == 0)
		return true;
	size_t n;
	const char *name = dd_sh_basename(&c->words[0], &n);
	return is_shell_name(name, n);
}

/* The exec form as one command: words are argv, spans are source offsets. */
static void
exec_command(dd_ctx *ctx, const dd_instr *ins, dd_script *s)
{
	size_t argc = ins->as.cmd.argc;
	dd_sh_cmd *c = dd_arena_alloc(ctx->arena, sizeof(*c));
	c->words = dd_arena_alloc(ctx->arena, (argc ? argc : 1) * sizeof(dd_sh_word));
	for (size_t i = 0; i < argc; i++) {
		const dd_word *w = &ins->as.cmd.argv[i];
		c->words[i] = (dd_sh_word){ .text = w->text, .len = w->len, .start = w->span.start,
			.end = w->span.end, .quoted = true };
	}
	c->nwords = argc;
	c->start = argc ? ins->as.cmd.argv[0].span.start : ins->span.start;
	c->end = argc ? ins->as.cmd.argv[argc - 1].span.end : ins->span.start;
	s->sh.cmds = c;
	s->sh.ncmds = 1;
	s->exec = true;
	s->base = 0;
}

/* exec form ["sh", "-c", "script"]: the script; else NULL. */
static const dd_word *
exec_shell_script(const dd_instr *ins)
{
	if (ins->as.cmd.argc < 3)
		return NULL;
	const dd_word *a0 = &ins->as.cmd.argv[0];
	const char *slash = last_slash(a0->text, a0->len);
	const char *name = slash ? slash + 1 : a0->text;
	if (!is_shell_name(name, a0->len - (size_t)(name - a0->text)))
		return NULL;
	for (size_t i = 1; i + 1 < ins->as.cmd.argc; i++)
		if (ins->as.cmd.argv[i].len >= 2 && ins->as.cmd.argv[i].text[0] == '-' &&
		    memchr(ins->as.cmd.argv[i].text, 'c', ins->as.cmd.argv[i].len))
			return &ins->as.cmd.argv[i + 1];
	return NULL;
}

static void
push_script(dd_script **v, size_t *n, size_t *cap, dd_script s)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 2;
		*v = dd_xreallocarray(*v, *cap, sizeof(**v));
	}
	(*v)[(*n)++] = s;
}

static size_t
build_scripts(dd_ctx *ctx, const dd_instr *ins, dd_script **out)
{
	dd_script *v = NULL, s;
	size_t n = 0, cap = 0;
	memset(&s, 0, sizeof(s));
	s.ins = ins;
	if (ins->json) {
		const dd_word *w = exec_shell_script(ins);
		if (w) {
			/* decoded text: spans are approximate, inside the JSON string */
			s.text = w->text;
			s.len = w->len;
			s.exec = true;
			s.base = w->span.start + 1;
			dd_shell_parse(&s.sh, s.text, s.len, ctx->arena);
		} else {
			exec_command(ctx, ins, &s);
		}
		push_script(&v, &n, &cap, s);
	} else if (ins->as.cmd.shell.len) {
		s.text = ins->as.cmd.shell.text;
		s.len = ins->as.cmd.shell.len;
		s.base = ins->as.cmd.shell.lo;
		dd_shell_parse(&s.sh, s.text, s.len, ctx->arena);
		push_script(&v, &n, &cap, s);
		const dd_instr *hd = ins;
		if (hd->nheredocs && runs_heredoc_script(&s.sh)) {
			for (size_t i = 0; i < hd->nheredocs; i++) {
				dd_script b;
				memset(&b, 0, sizeof(b));
				b.ins = ins;
				b.text = hd->heredocs[i].body;
				b.len = hd->heredocs[i].body_len;
				b.heredoc = true;
				b.base = hd->heredocs[i].body_span.start;
				dd_shell_parse(&b.sh, b.text, b.len, ctx->arena);
				push_script(&v, &n, &cap, b);
			}
		}
	}
	*out = dd_arena_alloc(ctx->arena, (n ? n : 1) * sizeof(dd_script));
	if (n)
		memcpy(*out, v, n * sizeof(dd_script));
	free(v);
	return n;
}

size_t
dd_ctx_scripts(dd_ctx *ctx, const dd_instr *ins, const dd_script **out)
{
	switch (ins->kind) {
	case DD_INSTR_RUN:
	case DD_INSTR_CMD:
	case DD_INSTR_ENTRYPOINT:
	case DD_INSTR_HEALTHCHECK:
		break;
	default:
		*out = NULL;
		return 0;
	}
	script_entry *e = cache_slot(ctx, ins);
	if (!e->ins) {
		e->ins = ins;
		e->n = build_scripts(ctx, ins, &e->scripts);
		ctx->cache_n++;
	}
	*out = e->scripts;
	return e->n;
}

dd_span
dd_script_span(const dd_ctx *ctx, const dd_script *s, uint32_t a, uint32_t b)
{
	if (s->heredoc || s->exec) {
		uint32_t len = (uint32_t)ctx->doc->src->len;
		uint32_t sa = s->base + a, sb = s->base + b;
		if (sa > len)
			sa = len;
		if (sb > len)
			sb = len;
		return dd_source_span(ctx->doc->src, sa, sb);
	}
	return dd_instr_span(ctx->doc, s->ins, s->base + a, s->base + b);
}

/* ---- variables ------------------------------------------------------------------ */

typedef struct {
	char **v; /* "NAME=value" */
	size_t n, cap;
} env;

static void
env_set(env *e, const char *name, size_t nlen, const char *val, size_t vlen)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 16;
		e->v = dd_xreallocarray(e->v, e->cap, sizeof(*e->v));
	}
	dd_buf b = DD_BUF_INIT;
	dd_buf_put(&b, name, nlen);
	dd_buf_putc(&b, '=');
	dd_buf_put(&b, val, vlen);
	e->v[e->n++] = dd_buf_detach(&b, NULL);
}

static void
env_free(env *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i]);
	free(e->v);
}

/* Expand s with e; returns malloc'd text (or a copy of s on error). */
static char *
expand_in(const dd_doc *doc, env *e, const char *s, size_t len, size_t *olen, bool *unresolved)
{
	dd_expand_names names = { 0 };
	dd_expand_opts o = { doc->escape, 0, (const char *const *)e->v, e->n, NULL, NULL, &names };
	char *out = NULL;
	if (dd_expand_word(&o, s, len, &out, olen) != DD_OK) {
		dd_error_clear();
		out = dd_xstrndup(s, len);
		*olen = len;
		if (unresolved)
			*unresolved = true;
	} else if (unresolved && names.nunset) {
		*unresolved = true;
	}
	dd_expand_names_free(&names);
	return out;
}

/* The value of a global ARG (build-arg or default), or NULL. */
static const char *
global_value(const dd_doc *doc, const char *name, size_t len, size_t *vlen)
{
	for (size_t i = 0; i < doc->nbuild_args; i++)
		if (strlen(doc->build_args[i].name) == len && memcmp(doc->build_args[i].name, name, len) == 0) {
			*vlen = strlen(doc->build_args[i].value);
			return doc->build_args[i].value;
		}
	const char *found = NULL;
	for (size_t i = 0; i < doc->nglobal_args; i++) {
		const dd_instr *a = doc->global_args[i];
		for (size_t k = 0; k < a->as.kv.npairs; k++) {
			const dd_kv *kv = &a->as.kv.pairs[k];
			if (kv->key.len == len && memcmp(kv->key.text, name, len) == 0 && kv->has_value) {
				found = kv->value.text;
				*vlen = kv->value.len;
			}
		}
	}
	return found;
}

/* ARG and ENV of one stage (and the stages it is built on) before instruction index upto. */
static void
collect_env(const dd_doc *doc, const dd_stage *st, size_t upto, env *e, unsigned depth)
{
	if (st->base_stage && depth < 64)
		collect_env(doc, st->base_stage, st->base_stage->last + 1, e, depth + 1);
	for (size_t i = st->first + 1; i < upto && i <= st->last; i++) {
		const dd_instr *ins = doc->instrs[i];
		if (ins->kind != DD_INSTR_ARG && ins->kind != DD_INSTR_ENV)
			continue;
		for (size_t k = 0; k < ins->as.kv.npairs; k++) {
			const dd_kv *kv = &ins->as.kv.pairs[k];
			size_t vlen = 0;
			const char *v = NULL;
			if (ins->kind == DD_INSTR_ARG)
				v = global_value(doc, kv->key.text, kv->key.len, &vlen);
			if (!v && kv->has_value) {
				char *x = expand_in(doc, e, kv->value.text, kv->value.len, &vlen, NULL);
				env_set(e, kv->key.text, kv->key.len, x, vlen);
				free(x);
				continue;
			}
			if (v)
				env_set(e, kv->key.text, kv->key.len, v, vlen);
		}
	}
}

const char *
dd_ctx_expand(dd_ctx *ctx, const dd_stage *st, const dd_instr *ins, const char *word,
    size_t len, bool *unresolved)
{
	if (unresolved)
		*unresolved = false;
	if (!memchr(word, '$', len) && !memchr(word, '"', len) && !memchr(word, '\'', len) &&
	    !memchr(word, (int)ctx->doc->escape, len))
		return dd_arena_strndup(ctx->arena, word, len);
	env e = { NULL, 0, 0 };
	if (st)
		collect_env(ctx->doc, st, ins ? ins->index : st->last + 1, &e, 0);
	size_t olen;
	char *x = expand_in(ctx->doc, &e, word, len, &olen, unresolved);
	const char *r = dd_arena_strndup(ctx->arena, x, olen);
	free(x);
	env_free(&e);
	return r;
}

/* ---- users ---------------------------------------------------------------------- */

static bool
all_digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static void
classify_user(dd_user_fact *f)
{
	const char *v = f->value;
	size_t n = strlen(v);
	const char *colon = memchr(v, ':', n);
	size_t u = colon ? (size_t)(colon - v) : n;
	f->root = u == 0 || (u == 4 && memcmp(v, "root", 4) == 0) ||
	          (all_digits(v, u) && strspn(v, "0") == u);
	f->numeric = all_digits(v, u) && (!colon || all_digits(colon + 1, n - u - 1));
}

static void
stage_user(dd_ctx *ctx, const dd_stage *st, dd_user_fact *out, unsigned depth)
{
	const dd_doc *doc = ctx->doc;
	for (size_t i = st->last + 1; i-- > st->first + 1;) {
		const dd_instr *ins = doc->instrs[i];
		if (ins->kind != DD_INSTR_USER || ins->nargs == 0)
			continue;
		out->instr = ins;
		out->source = DD_USER_FROM_INSTR;
		out->value = dd_ctx_expand(ctx, st, ins, ins->args[0].text, ins->args[0].len,
		    &out->unresolved);
		classify_user(out);
		if (out->unresolved)
			out->root = false; /* unknown: do not claim root */
		return;
	}
	if (st->base_stage && depth < 64) {
		stage_user(ctx, st->base_stage, out, depth + 1);
		if (out->source == DD_USER_FROM_INSTR)
			out->source = DD_USER_FROM_STAGE;
		return;
	}
	out->value = "";
	out->source = DD_USER_DEFAULT;
	out->instr = NULL;
	const dd_knowledge *kb = ctx->opts->kb;
	if (kb) {
		dd_image_info info;
		dd_knowledge_image(kb, &st->from->as.from.ref, &info);
		if (info.default_user) {
			out->value = info.default_user;
			out->source = DD_USER_FROM_IMAGE;
		}
	}
	classify_user(out);
}

void
dd_ctx_stage_user(dd_ctx *ctx, const dd_stage *st, dd_user_fact *out)
{
	memset(out, 0, sizeof(*out));
	stage_user(ctx, st, out, 0);
}

/* ---- privilege drop ------------------------------------------------------------- */

static const char *const droppers[] = {
	"gosu", "su-exec", "setpriv", "runuser", "s6-setuidgid", "chpst", "setuidgid",
};

/* The privilege-dropping tool named by a command word, or NULL. */
static const char *
dropper_of(const dd_sh_cmd *c)
{
	if (c->nwords == 0)
		return NULL;
	size_t n;
	const char *name = dd_sh_basename(&c->words[0], &n);
	for (size_t i = 0; i < DD_ARRAY_LEN(droppers); i++)
		if (strlen(droppers[i]) == n && memcmp(name, droppers[i], n) == 0)
			return droppers[i];
	if (n == 6 && memcmp(name, "chroot", 6) == 0 && dd_sh_has_option(c, "--userspec"))
		return "chroot --userspec";
	/* `su app -c CMD` and `sudo -u app CMD` run the command as another user */
	bool su = n == 2 && memcmp(name, "su", 2) == 0, sudo = n == 4 && memcmp(name, "sudo", 4) == 0;
	if (!su && !sudo)
		return NULL;
	bool has_c = false;
	const dd_sh_word *user = NULL;
	for (size_t i = 1; i < c->nwords; i++) {
		const dd_sh_word *w = &c->words[i];
		bool opt_u = w->len == 2 && memcmp(w->text, "-u", 2) == 0;
		opt_u |= w->len == 6 && memcmp(w->text, "--user", 6) == 0;
		if (su && ((w->len == 2 && memcmp(w->text, "-c", 2) == 0) ||
		    (w->len == 9 && memcmp(w->text, "--command", 9) == 0)))
			has_c = true;
		else if (su && (w->len == 2 && memcmp(w->text, "-s", 2) == 0) && i + 1 < c->nwords)
			i++; /* the shell */
		else if (sudo && opt_u && i + 1 < c->nwords) {
			user = &c->words[++i];
			break;
		} else if (su && !user && w->len && w->text[0] != '-')
			user = w;
	}
	if (!user || (su && !has_c) ||
	    (user->len == 4 && memcmp(user->text, "root", 4) == 0) ||
	    (user->len == 1 && user->text[0] == '0'))
		return NULL;
	return su ? "su" : "sudo -u";
}

/* Does a script text run a privilege-dropping tool? */
static const char *
script_drops(dd_ctx *ctx, const char *text, size_t len)
{
	dd_shell sh;
	dd_shell_parse(&sh, text, len, ctx->arena);
	for (size_t i = 0; i < sh.ncmds; i++) {
		const char *d = dropper_of(&sh.cmds[i]);
		if (d)
			return d;
		/* `exec su-exec …` style wrappers */
		if (sh.cmds[i].nwords >= 2) {
			size_t n;
			const char *name = dd_sh_basename(&sh.cmds[i].words[0], &n);
			if ((n == 4 && memcmp(name, "exec", 4) == 0) || (n == 3 && memcmp(name, "env", 3) == 0)) {
				dd_sh_cmd sub = sh.cmds[i];
				sub.words++;
				sub.nwords--;
				if ((d = dropper_of(&sub)))
					return d;
			}
		}
	}
	return NULL;
}

/* The last ENTRYPOINT of a stage (or of the stages it is built on). */
static const dd_instr *
entrypoint_of(const dd_doc *doc, const dd_stage *st, unsigned depth)
{
	for (size_t i = st->last + 1; i-- > st->first + 1;)
		if (doc->instrs[i]->kind == DD_INSTR_ENTRYPOINT)
			return doc->instrs[i];
	return st->base_stage && depth < 64 ? entrypoint_of(doc, st->base_stage, depth + 1) : NULL;
}

char *
dd_ctx_read_context_file(dd_ctx *ctx, const char *rel, size_t rlen, size_t *len)
{
	const char *dir = dd_ctx_context_dir(ctx);
	if (!dir || rlen == 0 || rlen > 2048)
		return NULL;
	/* BuildKit keeps sources inside the context; a ".." part is not read */
	for (size_t i = 0; i + 1 < rlen; i++)
		if (rel[i] == '.' && rel[i + 1] == '.' && (i == 0 || rel[i - 1] == '/') &&
		    (i + 2 == rlen || rel[i + 2] == '/'))
			return NULL;
	char path[4200];
	snprintf(path, sizeof(path), "%s/%.*s", dir, (int)rlen, rel);
	struct stat sb;
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		return NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = dd_xmalloc(1 << 20);
	*len = fread(buf, 1, (1 << 20) - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

/* Read a build-context file named like the entrypoint program, if a COPY/ADD brings it. */
static char *
read_entrypoint_script(dd_ctx *ctx, const dd_stage *st, const char *prog, size_t plen, size_t *len)
{
	const char *dir = dd_ctx_context_dir(ctx);
	const char *slash = last_slash(prog, plen);
	const char *base = slash ? slash + 1 : prog;
	size_t blen = plen - (size_t)(base - prog);
	if (!dir || blen == 0)
		return NULL;
	for (size_t i = st->first + 1; i <= st->last; i++) {
		const dd_instr *ins = ctx->doc->instrs[i];
		if ((ins->kind != DD_INSTR_COPY && ins->kind != DD_INSTR_ADD) || dd_instr_flag(ins, "from"))
			continue;
		for (size_t k = 0; k < ins->as.copy.nsources; k++) {
			const dd_word *src = &ins->as.copy.sources[k];
			const char *sl = last_slash(src->text, src->len);
			const char *sb = sl ? sl + 1 : src->text;
			size_t sblen = src->len - (size_t)(sb - src->text);
			if (sblen != blen || memcmp(sb, base, blen) != 0)
				continue;
			char *buf = dd_ctx_read_context_file(ctx, src->text, src->len, len);
			if (buf)
				return buf;
		}
	}
	return NULL;
}

/* Does any RUN of the stage (or its bases) install or fetch a privilege-dropping tool? */
static const char *
installs_dropper(const dd_doc *doc, const dd_stage *st, unsigned depth)
{
	for (size_t i = st->first + 1; i <= st->last; i++) {
		const dd_instr *ins = doc->instrs[i];
		if (ins->kind != DD_INSTR_RUN && ins->kind != DD_INSTR_COPY && ins->kind != DD_INSTR_ADD)
			continue;
		for (size_t k = 0; k < 3; k++) /* gosu, su-exec, setpriv */
			if (strstr(ins->line, droppers[k]))
				return droppers[k];
	}
	return st->base_stage && depth < 64 ? installs_dropper(doc, st->base_stage, depth + 1) : NULL;
}

/* No ENTRYPOINT here: the base image's own one runs; does the knowledge say it drops? */
static bool
inherited_drop(dd_ctx *ctx, const dd_stage *st, char *reason)
{
	for (unsigned depth = 0; st->base_stage && depth < 64; depth++)
		st = st->base_stage;
	const dd_knowledge *kb = ctx->opts->kb;
	if (!kb || !st->from || st->from->as.from.ref.scratch || !st->from->as.from.ref.valid)
		return false;
	dd_image_info info;
	dd_knowledge_image(kb, &st->from->as.from.ref, &info);
	if (!info.entrypoint_drops)
		return false;
	snprintf(reason, 256, "the entrypoint of the base image %s starts as root and drops privileges with %s",
	    st->from->as.from.ref.text, info.entrypoint_drops);
	return true;
}

/* The reason goes into reason[256]: lint jobs run in parallel threads. */
static bool
drops(dd_ctx *ctx, const dd_stage *st, char *reason)
{
	const dd_instr *ep = entrypoint_of(ctx->doc, st, 0);
	if (!ep)
		return inherited_drop(ctx, st, reason);
	const dd_script *s;
	size_t n = dd_ctx_scripts(ctx, ep, &s);
	if (n == 0 || s[0].sh.ncmds == 0 || s[0].sh.cmds[0].nwords == 0)
		return false;
	const dd_sh_cmd *c = &s[0].sh.cmds[0];
	const char *d = dropper_of(c);
	if (d) {
		snprintf(reason, 256, "ENTRYPOINT runs %s", d);
		return true;
	}
	const dd_sh_word *prog = &c->words[0];
	size_t len;
	char *script = read_entrypoint_script(ctx, st, prog->text, prog->len, &len);
	if (script) {
		d = script_drops(ctx, script, len);
		free(script);
		if (!d)
			return false;
		snprintf(reason, 256, "its entrypoint %.*s drops privileges with %s",
		    (int)prog->len, prog->text, d);
		return true;
	}
	d = installs_dropper(ctx->doc, st, 0);
	if (!d)
		return false;
	snprintf(reason, 256,
	    "the image installs %s for its entrypoint %.*s (the script is not in the build context to confirm)",
	    d, (int)prog->len, prog->text);
	return true;
}

bool
dd_ctx_drops_privileges(dd_ctx *ctx, const dd_stage *st, const char **why)
{
	if (st == ctx->final && ctx->drops >= 0) {
		*why = ctx->drops_why;
		return ctx->drops;
	}
	char reason[256] = "";
	bool r = drops(ctx, st, reason);
	const char *w = r ? dd_arena_strndup(ctx->arena, reason, strlen(reason)) : NULL;
	if (st == ctx->final) {
		ctx->drops = r;
		ctx->drops_why = w;
	}
	*why = w;
	return r;
}

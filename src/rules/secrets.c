/*
 * Helpers of the secret rules: first hit, unquoting, variables, build args,
 * and the plans of the DD201/DD202 fixes (where a variable is used).
 */
#include "secrets.h"
#include "drydock/alloc.h"
#include "drydock/knowledge.h"

#include <stdlib.h>
#include <string.h>

static void
first_cb(void *p, const dd_secret_hit *h)
{
	dd_secret_hit *out = p;
	if (!out->kind)
		*out = *h;
}

bool
dd_first_secret(const char *text, size_t len, dd_secret_hit *hit)
{
	memset(hit, 0, sizeof(*hit));
	dd_secret_scan(text, len, first_cb, hit);
	return hit->kind != NULL;
}

void
dd_unquote(const char *s, size_t len, const char **out, size_t *olen)
{
	if (len >= 2 && (s[0] == '"' || s[0] == '\'') && s[len - 1] == s[0]) {
		s++;
		len -= 2;
	}
	*out = s;
	*olen = len;
}

static bool
name_char(char c, bool first)
{
	return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (!first && c >= '0' && c <= '9');
}

bool
dd_first_variable(const char *s, size_t len, const char **name, size_t *nlen)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (s[i] != '$')
			continue;
		size_t a = i + 1 + (s[i + 1] == '{');
		size_t b = a;
		while (b < len && name_char(s[b], b == a))
			b++;
		if (b > a) {
			*name = s + a;
			*nlen = b - a;
			return true;
		}
	}
	return false;
}

static bool
declares(const dd_instr *ins, const char *name, size_t len)
{
	if (ins->kind != DD_INSTR_ARG)
		return false;
	for (size_t k = 0; k < ins->as.kv.npairs; k++)
		if (ins->as.kv.pairs[k].key.len == len && memcmp(ins->as.kv.pairs[k].key.text, name, len) == 0)
			return true;
	return false;
}

bool
dd_is_build_arg(const dd_doc *doc, const dd_instr *ins, const char *name, size_t len)
{
	const dd_instr *top = ins->parent ? ins->parent : ins;
	for (size_t i = 0; i < top->index; i++) {
		const dd_instr *a = doc->instrs[i];
		if (a->kind == DD_INSTR_FROM)
			continue;
		/* a global ARG, or an ARG of the same stage */
		if ((!a->stage || a->stage == top->stage) && declares(a, name, len))
			return true;
	}
	return false;
}

/* ---- names and references ------------------------------------------------------------ */

bool
dd_is_name(const char *s, size_t len)
{
	if (len == 0 || !name_char(s[0], true))
		return false;
	for (size_t i = 1; i < len; i++)
		if (!name_char(s[i], false))
			return false;
	return true;
}

bool
dd_refers_to(const char *s, size_t len, const char *name, size_t nlen)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (s[i] != '$')
			continue;
		size_t a = i + 1 + (s[i + 1] == '{');
		if (a + nlen > len || memcmp(s + a, name, nlen) != 0)
			continue;
		if (a + nlen == len || !name_char(s[a + nlen], false))
			return true;
	}
	return false;
}

bool
dd_run_refers_to(const dd_instr *run, const char *name, size_t nlen)
{
	const dd_word *sh = &run->as.cmd.shell;
	if (sh->len && dd_refers_to(sh->text, sh->len, name, nlen))
		return true;
	for (size_t i = 0; i < run->as.cmd.argc; i++)
		if (dd_refers_to(run->as.cmd.argv[i].text, run->as.cmd.argv[i].len, name, nlen))
			return true;
	for (size_t i = 0; i < run->nheredocs; i++)
		if (dd_refers_to(run->heredocs[i].body, run->heredocs[i].body_len, name, nlen))
			return true;
	return false;
}

dd_span
dd_pair_span(const dd_kv *kv)
{
	dd_span s = kv->key.span;
	if (kv->has_value && kv->value.span.end > s.end)
		s.end = kv->value.span.end;
	return s;
}

size_t
dd_pair_at(const dd_instr *ins, dd_span span)
{
	for (size_t k = 0; k < ins->as.kv.npairs; k++) {
		dd_span p = dd_pair_span(&ins->as.kv.pairs[k]);
		if (span.start >= p.start && span.start <= p.end)
			return k;
	}
	return SIZE_MAX;
}

size_t
dd_source_at(const dd_instr *ins, dd_span span)
{
	for (size_t k = 0; k < ins->as.copy.nsources; k++)
		if (ins->as.copy.sources[k].span.start == span.start)
			return k;
	return SIZE_MAX;
}

/* ---- programs a RUN runs ---------------------------------------------------------------- */

/* Commands that run the next word as the program. */
static const char *const wrappers[] = {
	"sudo", "env", "exec", "time", "nice", "nohup", "timeout", "xargs", "gosu", "su-exec", "stdbuf", NULL,
};

static bool
listed(const char *const *list, const char *s, size_t n)
{
	for (; *list; list++)
		if (strlen(*list) == n && memcmp(*list, s, n) == 0)
			return true;
	return false;
}

static bool
eq(const char *a, size_t n, const char *b)
{
	return strlen(b) == n && memcmp(a, b, n) == 0;
}

/* Does the command run one of programs: its name, past wrappers and their options, or python -m? */
static bool
command_runs(const dd_sh_cmd *cmd, const char *const *programs)
{
	for (size_t k = 0; k < cmd->nwords; k++) {
		size_t n;
		const char *name = dd_sh_basename(&cmd->words[k], &n);
		if (listed(programs, name, n))
			return true;
		bool python = n >= 6 && memcmp(name, "python", 6) == 0;
		if (python && k + 2 < cmd->nwords && eq(cmd->words[k + 1].text, cmd->words[k + 1].len, "-m"))
			return listed(programs, cmd->words[k + 2].text, cmd->words[k + 2].len);
		if (!listed(wrappers, name, n) && name[0] != '-' && !memchr(name, '=', n))
			return false;
	}
	return false;
}

bool
dd_run_runs(dd_ctx *ctx, const dd_instr *run, const char *const *programs)
{
	const dd_script *sc;
	size_t ns = dd_ctx_scripts(ctx, run, &sc);
	for (size_t i = 0; i < ns; i++)
		for (size_t c = 0; c < sc[i].sh.ncmds; c++)
			if (command_runs(&sc[i].sh.cmds[c], programs))
				return true;
	return false;
}

static const char *const aws_readers[] = { "aws", "terraform", "sam", "cdk", NULL };
static const char *const gh_readers[] = { "gh", NULL };
static const char *const npm_readers[] = { "npm", "npx", "yarn", "pnpm", "bun", NULL };
static const char *const pip_readers[] = { "pip", "pip3", NULL };
static const char *const twine_readers[] = { "twine", NULL };
static const char *const uv_readers[] = { "uv", NULL };
static const char *const poetry_readers[] = { "poetry", NULL };
static const char *const vault_readers[] = { "vault", NULL };
static const char *const cargo_readers[] = { "cargo", NULL };
static const char *const sentry_readers[] = { "sentry-cli", NULL };
static const char *const docker_readers[] = { "docker", NULL };

/* Variables programs read from the environment by themselves (a name, or a prefix ending in _). */
static const struct {
	const char *name;
	const char *const *programs;
} env_readers[] = {
	{ "AWS_", aws_readers },
	{ "GITHUB_TOKEN", gh_readers },
	{ "GH_TOKEN", gh_readers },
	{ "NPM_TOKEN", npm_readers },     /* through ${NPM_TOKEN} in an .npmrc */
	{ "NODE_AUTH_TOKEN", npm_readers },
	{ "PIP_", pip_readers },
	{ "TWINE_", twine_readers },
	{ "UV_", uv_readers },
	{ "POETRY_", poetry_readers },
	{ "VAULT_", vault_readers },
	{ "CARGO_REGISTRY_TOKEN", cargo_readers },
	{ "CARGO_REGISTRIES_", cargo_readers },
	{ "SENTRY_AUTH_TOKEN", sentry_readers },
	{ "DOCKER_", docker_readers },
};

bool
dd_run_reads_env(dd_ctx *ctx, const dd_instr *run, const char *name, size_t nlen)
{
	for (size_t i = 0; i < DD_ARRAY_LEN(env_readers); i++) {
		const char *e = env_readers[i].name;
		size_t n = strlen(e);
		bool match = e[n - 1] == '_' ? nlen > n && memcmp(name, e, n) == 0 : eq(name, nlen, e);
		if (match && dd_run_runs(ctx, run, env_readers[i].programs))
			return true;
	}
	return false;
}

/* ---- what DD201 and DD202 report ------------------------------------------------------ */

bool
dd_arg_pair_secret(const dd_kv *kv)
{
	const char *v;
	size_t vlen;
	dd_secret_hit hit;
	dd_unquote(kv->value.text, kv->value.len, &v, &vlen);
	if (kv->has_value && dd_first_secret(v, vlen, &hit))
		return true;
	return dd_secret_name(kv->key.text, kv->key.len, NULL);
}

dd_env_secret
dd_env_pair_secret(const dd_doc *doc, const dd_instr *ins, const dd_kv *kv, const char **var,
    size_t *vlen)
{
	const char *v;
	size_t n;
	dd_secret_hit hit;
	dd_unquote(kv->value.text, kv->value.len, &v, &n);
	if (dd_first_secret(v, n, &hit))
		return DD_ENV_SECRET;
	if (!dd_secret_name(kv->key.text, kv->key.len, NULL))
		return DD_ENV_CLEAN;
	if (dd_secret_value_plausible(v, n))
		return DD_ENV_SECRET;
	if (dd_first_variable(v, n, var, vlen) && dd_is_build_arg(doc, ins, *var, *vlen))
		return DD_ENV_FROM_ARG;
	return DD_ENV_CLEAN;
}

/* ---- where a variable is used: the scope walks of the fix plans ------------------------ */

typedef struct {
	dd_ctx *ctx;
	const dd_doc *doc;
	const char *name;
	size_t nlen;
	bool arg;                 /* an ARG's scope: DD201 may take ENV X=$NAME */
	dd_secret_plan *out;
	unsigned depth;           /* ENVs of a chain planned above this one */
} scope;

static void env_plan(dd_ctx *ctx, const dd_doc *doc, const dd_instr *ins, size_t k, dd_secret_plan *out,
    unsigned depth);

static void
push(const dd_instr ***v, size_t *n, const dd_instr *ins)
{
	*v = dd_xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = ins;
}

static void
block(dd_secret_plan *p, const dd_instr *ins, const char *why)
{
	if (!p->why) {
		p->why = why;
		p->at = ins;
	}
}

static bool
key_is(const dd_kv *kv, const char *name, size_t nlen)
{
	return kv->key.len == nlen && memcmp(kv->key.text, name, nlen) == 0;
}

bool
dd_windows_stage(dd_ctx *ctx, const dd_stage *st)
{
	for (unsigned depth = 0; st->base_stage && depth < 64; depth++)
		st = st->base_stage;
	const dd_knowledge *kb = dd_ctx_knowledge(ctx);
	dd_image_info info;
	if (!kb)
		return false;
	dd_knowledge_image(kb, &st->from->as.from.ref, &info);
	return info.family == DD_FAMILY_WINDOWS;
}

static void
visit_run(scope *s, const dd_instr *run)
{
	/*
	 * ARG and ENV are in the environment of RUN: a program may read it
	 * without $NAME; not an ARG that an ENV copies, which it is meant for
	 */
	if (!dd_run_refers_to(run, s->name, s->nlen) &&
	    (s->out->copied || !dd_run_reads_env(s->ctx, run, s->name, s->nlen)))
		return;
	if (!s->out->why && dd_windows_stage(s->ctx, run->stage)) {
		block(s->out, run, "a RUN that uses it builds a Windows image, where secret mounts do not work");
		s->out->windows = true;
	}
	s->out->nuses++;
	for (size_t i = 0; i < run->as.cmd.nmounts; i++) {
		const dd_mount *m = &run->as.cmd.mounts[i];
		if (m->type == DD_MOUNT_SECRET && m->env && strlen(m->env) == s->nlen &&
		    memcmp(m->env, s->name, s->nlen) == 0)
			return; /* mounted already */
	}
	push(&s->out->runs, &s->out->nruns, run);
}

/*
 * Does DD201's fix take the ENV pair that copies the variable in scope?
 * From an ARG: ENV X=$ARG, which DD201 moves to a secret mount. From an
 * ENV: a secret ENV X="${X}…" that DD201 removes too, so that a chain of
 * them goes in one pass (up to 16 deep; the rest in the next pass).
 */
static bool
dd201_takes(scope *s, const dd_instr *ins, size_t k)
{
	const dd_kv *kv = &ins->as.kv.pairs[k];
	const char *var;
	size_t vlen;
	dd_env_secret kind = dd_env_pair_secret(s->doc, ins, kv, &var, &vlen);
	if (s->arg ? kind != DD_ENV_FROM_ARG || vlen != s->nlen || memcmp(var, s->name, vlen) != 0
	           : kind == DD_ENV_CLEAN || !key_is(kv, s->name, s->nlen) || s->depth >= 16)
		return false;
	dd_secret_plan p;
	env_plan(s->ctx, s->doc, ins, k, &p, s->arg ? 0 : s->depth + 1);
	bool ok = !p.why;
	dd_secret_plan_free(&p);
	return ok;
}

/* An ENV in the scope: false when it sets the variable (the scope ends). */
static bool
visit_env(scope *s, const dd_instr *ins)
{
	bool sets = false;
	for (size_t k = 0; k < ins->as.kv.npairs; k++) {
		const dd_kv *kv = &ins->as.kv.pairs[k];
		sets |= key_is(kv, s->name, s->nlen);
		if (!dd_refers_to(kv->value.text, kv->value.len, s->name, s->nlen))
			continue;
		if (dd201_takes(s, ins, k)) {
			if (s->arg)
				s->out->copied = ins;
		} else
			block(s->out, ins, "an ENV copies it");
	}
	return !sets;
}

/* One instruction in the scope; false ends the scope. */
static bool
visit(scope *s, const dd_instr *ins)
{
	switch (ins->kind) {
	case DD_INSTR_RUN:
		visit_run(s, ins);
		return true;
	case DD_INSTR_ENV:
		return visit_env(s, ins);
	case DD_INSTR_CMD:
	case DD_INSTR_ENTRYPOINT:
	case DD_INSTR_HEALTHCHECK:
	case DD_INSTR_SHELL:
	case DD_INSTR_MAINTAINER:
	case DD_INSTR_ONBUILD:
		return true; /* no build-time substitution there */
	default:
		/* COPY, LABEL, WORKDIR, USER … substitute it when the image is built */
		if (dd_refers_to(ins->line, ins->line_len, s->name, s->nlen))
			block(s->out, ins, "an instruction other than RUN uses it");
		return true;
	}
}

/* An ARG declaring the variable: -1 the stage sets its own value, 1 a bare redeclaration, 0 none. */
static int
arg_decl(scope *s, const dd_instr *ins, bool in_scope)
{
	for (size_t k = 0; k < ins->as.kv.npairs; k++) {
		const dd_kv *kv = &ins->as.kv.pairs[k];
		if (key_is(kv, s->name, s->nlen)) {
			if (kv->has_value || dd_arg_pair_secret(kv))
				return -1; /* its own value, or its own finding */
			if (ins->as.kv.npairs > 1)
				block(s->out, ins, "it is redeclared together with other names");
			push(&s->out->decls, &s->out->ndecls, ins);
			return 1;
		}
		if (in_scope && kv->has_value && dd_refers_to(kv->value.text, kv->value.len, s->name, s->nlen))
			block(s->out, ins, "another ARG's default uses it");
	}
	return 0;
}

/* An ARG's scope in one stage from instruction from: in it from the start, or after a redeclaration. */
static void
arg_stage(scope *s, const dd_stage *st, size_t from, bool in_scope)
{
	for (size_t i = from; i <= st->last && !s->out->why; i++) {
		const dd_instr *ins = s->doc->instrs[i];
		if (ins->kind == DD_INSTR_ARG) {
			int r = arg_decl(s, ins, in_scope);
			if (r < 0)
				return;
			in_scope |= r > 0;
			continue;
		}
		if (in_scope && !visit(s, ins))
			return;
	}
}

static void
scope_walk(const dd_doc *doc, const dd_stage *st, size_t from, dd_scope_visit fn, void *p, unsigned depth)
{
	for (size_t i = from; i <= st->last; i++)
		if (!fn(p, doc->instrs[i]))
			return;
	for (size_t j = st->index + 1; depth < 64 && j < doc->nstages; j++)
		if (doc->stages[j].base_stage == st)
			scope_walk(doc, &doc->stages[j], doc->stages[j].first + 1, fn, p, depth + 1);
}

void
dd_scope_walk(const dd_doc *doc, const dd_stage *st, size_t from, dd_scope_visit fn, void *p)
{
	/* an instruction before the first FROM (a file podman joins to another with -f) has no scope */
	if (st)
		scope_walk(doc, st, from, fn, p, 0);
}

/* An ENV's scope: false at a new value, which the stages built on this one inherit. */
static bool
env_visit(void *p, const dd_instr *ins)
{
	scope *s = p;
	return !s->out->why && visit(s, ins);
}

static void
plan_init(dd_secret_plan *p, const dd_kv *kv)
{
	memset(p, 0, sizeof(*p));
	p->name = p->source = kv->key.text;
	p->nlen = p->slen = kv->key.len;
}

/* A global ARG: FROM lines and later global ARGs may use it; stages redeclare it. */
static void
arg_global(scope *s, const dd_instr *ins)
{
	for (size_t i = ins->index + 1; i < s->doc->ninstrs; i++) {
		const dd_instr *g = s->doc->instrs[i];
		if (g->kind == DD_INSTR_FROM && dd_refers_to(g->line, g->line_len, s->name, s->nlen))
			block(s->out, g, "a FROM line uses it");
		else if (!g->stage && g->kind == DD_INSTR_ARG && arg_decl(s, g, true) < 0)
			return; /* declared again globally: that one is the value stages see */
	}
	for (size_t j = 0; j < s->doc->nstages && !s->out->why; j++)
		arg_stage(s, &s->doc->stages[j], s->doc->stages[j].first + 1, false);
}

void
dd_arg_plan(dd_ctx *ctx, const dd_doc *doc, const dd_instr *ins, size_t k, dd_secret_plan *out)
{
	const dd_kv *kv = &ins->as.kv.pairs[k];
	plan_init(out, kv);
	scope s = { ctx, doc, kv->key.text, kv->key.len, true, out, 0 };
	if (!dd_arg_pair_secret(kv))
		block(out, ins, "not a secret");
	if (ins->parent)
		block(out, ins, "it is an ONBUILD trigger");
	if (!dd_is_name(kv->key.text, kv->key.len))
		block(out, ins, "its name is not a plain variable name");
	/* later names of the same ARG see its value */
	for (size_t j = k + 1; j < ins->as.kv.npairs; j++)
		if (dd_refers_to(ins->as.kv.pairs[j].value.text, ins->as.kv.pairs[j].value.len, s.name, s.nlen))
			block(out, ins, "another ARG's default uses it");
	if (out->why)
		return;
	if (ins->stage)
		arg_stage(&s, ins->stage, ins->index + 1, true);
	else
		arg_global(&s, ins);
}

/* ENV X=$ARG or X=${ARG}, quoted or not: nothing but the build argument. */
static bool
only_variable(const dd_word *w, const char *var, size_t vlen)
{
	const char *v;
	size_t n;
	dd_unquote(w->text, w->len, &v, &n);
	if (n == vlen + 1)
		return v[0] == '$' && memcmp(v + 1, var, vlen) == 0;
	return n == vlen + 3 && memcmp(v, "${", 2) == 0 && memcmp(v + 2, var, vlen) == 0 && v[n - 1] == '}';
}

static void
env_plan(dd_ctx *ctx, const dd_doc *doc, const dd_instr *ins, size_t k, dd_secret_plan *out, unsigned depth)
{
	const dd_kv *kv = &ins->as.kv.pairs[k];
	const char *var = NULL;
	size_t vlen = 0;
	plan_init(out, kv);
	out->kind = dd_env_pair_secret(doc, ins, kv, &var, &vlen);
	if (out->kind == DD_ENV_CLEAN)
		block(out, ins, "not a secret");
	if (ins->parent)
		block(out, ins, "it is an ONBUILD trigger");
	else if (!ins->stage)
		block(out, ins, "it comes before the first FROM");
	if (!dd_is_name(kv->key.text, kv->key.len))
		block(out, ins, "its name is not a plain variable name");
	if (out->why)
		return;
	if (out->kind == DD_ENV_FROM_ARG) {
		out->source = var;
		out->slen = vlen;
	}
	scope s = { ctx, doc, kv->key.text, kv->key.len, false, out, depth };
	dd_scope_walk(doc, ins->stage, ins->index + 1, env_visit, &s);
	if (!out->why && out->kind == DD_ENV_FROM_ARG && out->nruns && !only_variable(&kv->value, var, vlen))
		block(out, ins, "its value adds text to the build argument");
}

void
dd_env_plan(dd_ctx *ctx, const dd_doc *doc, const dd_instr *ins, size_t k, dd_secret_plan *out)
{
	env_plan(ctx, doc, ins, k, out, 0);
}

void
dd_secret_plan_free(dd_secret_plan *p)
{
	free(p->runs);
	free(p->decls);
	memset(p, 0, sizeof(*p));
}

/* ---- edits and words the fixers share -------------------------------------------------- */

void
dd_secret_id(dd_buf *out, const char *name, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
			c = '_';
		dd_buf_putc(out, c);
	}
}

void
dd_why_text(dd_buf *out, const char *why, const dd_instr *at, const dd_instr *self)
{
	dd_buf_puts(out, why);
	if (at && at != self)
		dd_buf_printf(out, " (line %u)", at->start_line);
}

void
dd_run_lines(dd_buf *out, const dd_instr *const *runs, size_t n)
{
	dd_buf_printf(out, n == 1 ? "the RUN at line %u" : "the RUNs at lines %u", runs[0]->start_line);
	for (size_t i = 1; i < n; i++)
		dd_buf_printf(out, i + 1 == n ? " and %u" : ", %u", runs[i]->start_line);
}

void
dd_fix_remove_items(dd_fixer *fx, const dd_instr *ins, const dd_span *items, size_t n, const bool *drop)
{
	size_t kept = 0;
	for (size_t i = 0; i < n; i++)
		kept += !drop[i];
	if (kept == 0) {
		dd_fix_delete(fx, ins);
		return;
	}
	for (size_t i = 0; i < n;) {
		if (!drop[i]) {
			i++;
			continue;
		}
		size_t j = i;
		while (j + 1 < n && drop[j + 1])
			j++;
		/* a run of items up to the next kept one; at the end, from the kept one before */
		if (j + 1 < n)
			dd_fix_replace(fx, items[i].start, items[j + 1].start, "");
		else
			dd_fix_replace(fx, items[i - 1].end, items[j].end, "");
		i = j + 1;
	}
}

void
dd_fix_secret_env(dd_fixer *fx, const dd_secret_plan *p, dd_buf *id, dd_buf *mount)
{
	dd_secret_id(id, p->source, p->slen);
	dd_buf_printf(mount, "--mount=type=secret,id=%s,env=%.*s", id->ptr, (int)p->nlen, p->name);
	dd_buf flag = DD_BUF_INIT;
	dd_buf_printf(&flag, " %s", mount->ptr);
	bool file = dd_fixer_opts(fx)->secret_file;
	if (file) {
		dd_buf_clear(mount);
		dd_buf_printf(mount, "--mount=type=secret,id=%s, read into %.*s from /run/secrets/%s", id->ptr,
		    (int)p->nlen, p->name, id->ptr);
	}
	for (size_t i = 0; i < p->nruns; i++) {
		const dd_instr *run = p->runs[i];
		/* the file form needs a shell script to read the file into the variable */
		if (file && !run->json && !run->nheredocs && run->as.cmd.shell.len) {
			dd_buf f = DD_BUF_INIT, read = DD_BUF_INIT;
			dd_buf_printf(&f, " --mount=type=secret,id=%s", id->ptr);
			dd_buf_printf(&read, "export %.*s=\"$(cat /run/secrets/%s)\" && ", (int)p->nlen, p->name, id->ptr);
			dd_fix_add_flag(fx, run, f.ptr);
			dd_fix_replace(fx, run->as.cmd.shell.span.start, run->as.cmd.shell.span.start, read.ptr);
			dd_buf_free(&f);
			dd_buf_free(&read);
			continue;
		}
		dd_fix_add_flag(fx, run, flag.ptr);
	}
	if (p->nruns)
		dd_fix_want_syntax(fx);
	if (p->nuses) {
		dd_buf_clear(&flag);
		dd_buf_printf(&flag, "--secret id=%s,env=%.*s", id->ptr, (int)p->slen, p->source);
		dd_fix_build_flag(fx, flag.ptr);
	}
	dd_buf_free(&flag);
}

void
dd_fix_remove_pairs(dd_fixer *fx, const dd_doc *doc, const dd_instr *ins, size_t k, dd_pick pick)
{
	/* one fix edits the instruction for all (groups must not overlap): the first one's */
	dd_ctx *ctx = dd_fixer_ctx(fx);
	for (size_t j = 0; j < k; j++)
		if (pick(ctx, doc, ins, j))
			return;
	size_t n = ins->as.kv.npairs;
	bool *drop = dd_xcalloc(n, sizeof(bool));
	dd_span *items = dd_xcalloc(n, sizeof(dd_span));
	for (size_t j = 0; j < n; j++) {
		items[j] = dd_pair_span(&ins->as.kv.pairs[j]);
		drop[j] = j == k || (j > k && pick(ctx, doc, ins, j));
	}
	dd_fix_remove_items(fx, ins, items, n, drop);
	free(items);
	free(drop);
}

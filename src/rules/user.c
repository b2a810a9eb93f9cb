/* The final stage's user: uid lookup for DD102, the non-root user fix for DD101. */
#include "user.h"

#include "drydock/alloc.h"
#include "drydock/buf.h"
#include "drydock/lint.h"
#include "drydock/shell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const dd_stage *
dd_user_root_stage(const dd_stage *st)
{
	for (unsigned depth = 0; st && st->base_stage && depth < 64; depth++)
		st = st->base_stage;
	return st;
}

void
dd_user_image(dd_ctx *ctx, const dd_stage *st, dd_image_info *info)
{
	memset(info, 0, sizeof(*info));
	const dd_stage *root = dd_user_root_stage(st);
	const dd_knowledge *kb = dd_ctx_knowledge(ctx);
	if (!root || !root->from)
		return;
	if (root->from->as.from.ref.scratch) {
		info->family = DD_FAMILY_SCRATCH;
		info->known = true;
		return;
	}
	if (kb && root->from->as.from.ref.valid && !root->from->as.from.ref.unresolved)
		dd_knowledge_image(kb, &root->from->as.from.ref, info);
}

/* ---- names to numbers -------------------------------------------------------------- */

static bool
word_is(const dd_sh_word *w, const char *s)
{
	return w->len == strlen(s) && memcmp(w->text, s, w->len) == 0;
}

/* Options of useradd, adduser (Debian and BusyBox), groupadd, addgroup that take a value. */
static bool
takes_value(const dd_sh_word *w)
{
	static const char *const opts[] = {
		"-b", "-c", "-d", "-e", "-f", "-g", "-G", "-k", "-K", "-p", "-s", "-u", "-R", "-P", "-Z",
		"-h", "--base-dir", "--comment", "--home-dir", "--home", "--expiredate", "--inactive",
		"--gid", "--groups", "--skel", "--key", "--password", "--shell", "--uid", "--root",
		"--prefix", "--selinux-user", "--ingroup", "--gecos", "--firstuid", "--lastuid",
		"--firstgid", "--lastgid", "--conf",
	};
	for (size_t i = 0; i < sizeof(opts) / sizeof(*opts); i++)
		if (word_is(w, opts[i]))
			return true;
	return false;
}

/* The value of a word, variables expanded from the stage's ARG/ENV; NULL when unknown. */
static const char *
value_of(dd_ctx *ctx, const dd_stage *st, const dd_instr *ins, const dd_sh_word *w)
{
	bool unresolved = false;
	const char *v = dd_ctx_expand(ctx, st, ins, w->text, w->len, &unresolved);
	return unresolved ? NULL : v;
}

static bool
number(const char *s, size_t n, unsigned *out)
{
	if (n == 0 || n > 10)
		return false;
	unsigned long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > 2147483647UL)
		return false;
	*out = (unsigned)v;
	return true;
}

/* A word's text, expanded when it holds variables. */
static bool
word_text(dd_ctx *ctx, const dd_stage *st, const dd_instr *ins, const dd_sh_word *w, const char **s,
    size_t *n)
{
	if (!w->has_expansion) {
		*s = w->text;
		*n = w->len;
		return true;
	}
	const char *v = value_of(ctx, st, ins, w);
	if (!v)
		return false;
	*s = v;
	*n = strlen(v);
	return true;
}

typedef struct {
	const char *name;
	size_t len;
	bool group;       /* looking for a group */
	bool found, has_gid;
	unsigned id, gid;
	const char *gname; /* the user's group, when given by name */
	size_t gname_len;
} lookup;

/* A value: an option's argument, as a word or after "=" in "--uid=N". */
typedef struct {
	const dd_sh_word *word;   /* NULL when given inline */
	const char *inline_text;
	size_t inline_len;
} optval;

static bool
optval_text(dd_ctx *ctx, const dd_stage *st, const dd_instr *ins, const optval *v, const char **s, size_t *n)
{
	if (v->word)
		return word_text(ctx, st, ins, v->word, s, n);
	if (!v->inline_text)
		return false;
	*s = v->inline_text;
	*n = v->inline_len;
	return true;
}

/* One useradd/adduser/groupadd/addgroup command: does it create the name? */
static void
scan_cmd(dd_ctx *ctx, const dd_stage *st, const dd_instr *ins, const dd_sh_cmd *c, lookup *lk)
{
	size_t n;
	const char *prog = dd_sh_basename(&c->words[0], &n);
	bool adduser = n == 7 && memcmp(prog, "adduser", 7) == 0;
	bool user = (n == 7 && memcmp(prog, "useradd", 7) == 0) || adduser;
	bool group = (n == 8 && memcmp(prog, "groupadd", 8) == 0) || (n == 8 && memcmp(prog, "addgroup", 8) == 0);
	if ((!user && !group) || user == lk->group)
		return;
	const dd_sh_word *name = NULL;
	optval id = { 0 }, grp = { 0 };
	for (size_t i = 1; i < c->nwords; i++) {
		const dd_sh_word *w = &c->words[i];
		if (!(w->len && w->text[0] == '-')) {
			/* useradd NAME; adduser NAME [GROUP] (BusyBox): the first operand */
			if (!name || !adduser)
				name = w;
			continue;
		}
		const char *eq = w->len > 2 && w->text[1] == '-' ? memchr(w->text, '=', w->len) : NULL;
		size_t kl = eq ? (size_t)(eq - w->text) : w->len;
		dd_sh_word key = *w;
		key.len = kl;
		bool is_id = word_is(&key, "-u") || word_is(&key, "--uid") ||
		             (group && (word_is(&key, "-g") || word_is(&key, "--gid")));
		bool is_g = user && (word_is(&key, "-g") || word_is(&key, "--gid") || word_is(&key, "--ingroup") ||
		                     (adduser && word_is(&key, "-G")));
		optval v = { 0 };
		if (eq) {
			v.inline_text = eq + 1;
			v.inline_len = w->len - kl - 1;
		} else if (takes_value(w) && i + 1 < c->nwords) {
			v.word = &c->words[++i];
		} else {
			continue;
		}
		if (is_id)
			id = v;
		else if (is_g)
			grp = v;
	}
	const char *s;
	size_t sl;
	if (!name || !word_text(ctx, st, ins, name, &s, &sl) || sl != lk->len || memcmp(s, lk->name, sl) != 0)
		return;
	if (!optval_text(ctx, st, ins, &id, &s, &sl) || !number(s, sl, &lk->id))
		return;
	lk->found = true;
	lk->has_gid = false;
	if (optval_text(ctx, st, ins, &grp, &s, &sl)) {
		if (number(s, sl, &lk->gid))
			lk->has_gid = true;
		else {
			lk->gname = s;
			lk->gname_len = sl;
		}
	}
}

static void
scan_stage(dd_ctx *ctx, const dd_doc *doc, const dd_stage *st, lookup *lk)
{
	for (unsigned depth = 0; st && depth < 64; st = st->base_stage, depth++) {
		for (size_t i = st->first + 1; i <= st->last && i < doc->ninstrs; i++) {
			const dd_instr *ins = doc->instrs[i];
			if (ins->kind != DD_INSTR_RUN)
				continue;
			const dd_script *s;
			size_t ns = dd_ctx_scripts(ctx, ins, &s);
			for (size_t k = 0; k < ns; k++)
				for (size_t c = 0; c < s[k].sh.ncmds; c++)
					if (s[k].sh.cmds[c].nwords)
						scan_cmd(ctx, st, ins, &s[k].sh.cmds[c], lk);
			if (lk->found)
				return;
		}
	}
}

bool
dd_user_gid(dd_ctx *ctx, const dd_stage *st, const char *name, size_t len, unsigned *gid)
{
	if (number(name, len, gid))
		return true;
	lookup lk = { name, len, true, false, false, 0, 0, NULL, 0 };
	scan_stage(ctx, dd_ctx_doc(ctx), st, &lk);
	if (lk.found) {
		*gid = lk.id;
		return true;
	}
	unsigned uid;
	bool has;
	/* a user's own group usually has its name and number */
	if (dd_user_uid(ctx, st, name, len, &uid, &has, gid) && has)
		return true;
	return false;
}

bool
dd_user_uid(dd_ctx *ctx, const dd_stage *st, const char *name, size_t len, unsigned *uid, bool *has_gid,
    unsigned *gid)
{
	*has_gid = false;
	if (number(name, len, uid))
		return true;
	lookup lk = { name, len, false, false, false, 0, 0, NULL, 0 };
	scan_stage(ctx, dd_ctx_doc(ctx), st, &lk);
	if (lk.found) {
		*uid = lk.id;
		if (lk.has_gid) {
			*gid = lk.gid;
			*has_gid = true;
		} else if (lk.gname) {
			lookup g = { lk.gname, lk.gname_len, true, false, false, 0, 0, NULL, 0 };
			scan_stage(ctx, dd_ctx_doc(ctx), st, &g);
			if (g.found) {
				*gid = g.id;
				*has_gid = true;
			}
		}
		return true;
	}
	dd_image_info info;
	dd_user_image(ctx, st, &info);
	if (info.shipped_user && info.shipped_uid && strlen(info.shipped_user) == len &&
	    memcmp(info.shipped_user, name, len) == 0) {
		*uid = info.shipped_uid;
		*gid = info.shipped_gid;
		*has_gid = true;
		return true;
	}
	if (len == 6 && memcmp(name, "nobody", 6) == 0) {
		*uid = *gid = 65534;
		*has_gid = true;
		return true;
	}
	if (len == 7 && memcmp(name, "nonroot", 7) == 0 &&
	    (info.family == DD_FAMILY_DISTROLESS || info.family == DD_FAMILY_CHAINGUARD)) {
		*uid = *gid = 65532;
		*has_gid = true;
		return true;
	}
	return false;
}

/* ---- the DD101 fix ------------------------------------------------------------------ */

static bool
is_root_name(const char *s, size_t n)
{
	const char *colon = memchr(s, ':', n);
	size_t u = colon ? (size_t)(colon - s) : n;
	return (u == 4 && memcmp(s, "root", 4) == 0) || (u == 1 && s[0] == '0') || u == 0;
}

/*
 * A non-root user the Dockerfile already has for this stage: the value of
 * an earlier non-root USER, else the name a useradd/adduser creates.
 * Returns a malloc'd string, or NULL.
 */
static char *
existing_user(dd_ctx *ctx, const dd_doc *doc, const dd_stage *st)
{
	for (unsigned depth = 0; st && depth < 64; st = st->base_stage, depth++) {
		for (size_t i = st->last + 1; i-- > st->first + 1;) {
			const dd_instr *ins = doc->instrs[i];
			if (ins->kind == DD_INSTR_USER && ins->nargs && !memchr(ins->args[0].text, '$', ins->args[0].len) &&
			    !is_root_name(ins->args[0].text, ins->args[0].len))
				return dd_xstrndup(ins->args[0].text, ins->args[0].len);
		}
		for (size_t i = st->last + 1; i-- > st->first + 1;) {
			const dd_instr *ins = doc->instrs[i];
			if (ins->kind != DD_INSTR_RUN)
				continue;
			const dd_script *sc;
			size_t ns = dd_ctx_scripts(ctx, ins, &sc);
			for (size_t k = ns; k-- > 0;)
				for (size_t c = sc[k].sh.ncmds; c-- > 0;) {
					const dd_sh_cmd *cmd = &sc[k].sh.cmds[c];
					size_t n;
					const char *prog = cmd->nwords ? dd_sh_basename(&cmd->words[0], &n) : "";
					if (!cmd->nwords || !((n == 7 && memcmp(prog, "useradd", 7) == 0) ||
					    (n == 7 && memcmp(prog, "adduser", 7) == 0)))
						continue;
					/* its name: the last operand that is not an option's value */
					const dd_sh_word *name = NULL;
					for (size_t w = 1; w < cmd->nwords; w++) {
						const dd_sh_word *x = &cmd->words[w];
						if (x->len && x->text[0] == '-') {
							if (takes_value(x) && !memchr(x->text, '=', x->len))
								w++;
							continue;
						}
						if (!name || prog[0] == 'u')
							name = x;
					}
					/* a word of a broken script (a quote left open over lines) is no name */
					if (name && !name->has_expansion && !is_root_name(name->text, name->len) &&
					    dd_fix_user_name_ok(name->text, name->len))
						return dd_xstrndup(name->text, name->len);
				}
		}
	}
	return NULL;
}


/* Instructions after which a USER must not come: they need root. */
static bool
needs_root(const dd_instr *ins)
{
	return ins->kind == DD_INSTR_RUN;
}

/* Steps that change the filesystem; USER goes after the last one, before the metadata. */
static bool
build_step(const dd_instr *ins)
{
	switch (ins->kind) {
	case DD_INSTR_RUN:
	case DD_INSTR_COPY:
	case DD_INSTR_ADD:
	case DD_INSTR_WORKDIR:
	case DD_INSTR_USER:
		return true;
	default:
		return false;
	}
}

/* Paths the application writes: --writable, and the VOLUMEs of the stage. */
static size_t
writable_paths(const dd_fixer *fx, const dd_doc *doc, const dd_stage *st, const char **out, size_t max)
{
	const dd_fix_opts *o = dd_fixer_opts(fx);
	size_t n = 0;
	for (size_t i = 0; i < o->nwritable && n < max; i++)
		out[n++] = o->writable[i];
	for (size_t i = st->first + 1; i <= st->last && i < doc->ninstrs; i++) {
		const dd_instr *ins = doc->instrs[i];
		if (ins->kind != DD_INSTR_VOLUME)
			continue;
		for (size_t k = 0; k < ins->nargs && n < max; k++) {
			const char *p = ins->args[k].text;
			/* only a plain path is written into a command (no variable, quote
			 * or ';'); the shared sticky folders stay root's */
			if (dd_fix_plain_path(p) && strcmp(p, "/tmp") != 0 &&
			    strcmp(p, "/var/tmp") != 0 && strcmp(p, "/dev/shm") != 0)
				out[n++] = p;
		}
	}
	return n;
}

void
dd_user_fix_root(dd_fixer *fx, const dd_doc *doc, const dd_stage *st)
{
	dd_ctx *ctx = dd_fixer_ctx(fx);
	const dd_knowledge *kb = dd_ctx_knowledge(ctx);
	const dd_fix_opts *o = dd_fixer_opts(fx);
	dd_image_info info;
	dd_user_image(ctx, st, &info);

	dd_user_vars vars = { 10001, 10001, "app", "app" };
	if (kb)
		vars = *dd_knowledge_user_defaults(kb);
	if (o->uid) {
		vars.uid = o->uid;
		vars.gid = o->gid ? o->gid : o->uid;
	} else if (o->gid) {
		vars.gid = o->gid;
	}
	if (o->user_name) {
		vars.name = o->user_name;
		vars.group = o->group_name ? o->group_name : o->user_name;
	}

	char *run = NULL, *user = NULL;
	const char *why;
	bool own_user = o->uid || o->user_name;
	char *have = own_user ? NULL : existing_user(ctx, doc, st);
	if (have) {
		/* the Dockerfile made a user already: use it (numeric when its uid is known) */
		unsigned uid, gid;
		bool has_gid;
		const char *colon = strchr(have, ':');
		size_t nl = colon ? (size_t)(colon - have) : strlen(have);
		if (dd_user_uid(ctx, st, have, nl, &uid, &has_gid, &gid)) {
			char buf[32];
			if (has_gid)
				snprintf(buf, sizeof(buf), "%u:%u", uid, gid);
			else
				snprintf(buf, sizeof(buf), "%u", uid);
			user = dd_xstrdup(buf);
		} else {
			user = dd_xstrdup(have);
		}
		dd_fix_note_add(fx, true, 0, "USER %s: the user %s the Dockerfile already creates", user, have);
		free(have);
	} else if (!own_user && info.shipped_user && info.shipped_uid && strcmp(info.shipped_user, "ubuntu") != 0 &&
	    info.family != DD_FAMILY_WINDOWS) {
		char buf[32];
		snprintf(buf, sizeof(buf), "%u:%u", info.shipped_uid, info.shipped_gid);
		user = dd_xstrdup(buf);
		dd_buf b = DD_BUF_INIT;
		dd_buf_printf(&b, "the image ships user %s (%s)", info.shipped_user, buf);
		why = NULL;
		run = NULL;
		dd_fix_note_add(fx, true, 0, "USER %s: %s", user, b.ptr);
		dd_buf_free(&b);
	} else {
		const dd_user_recipe *r = kb ? dd_knowledge_users(kb, info.family) : NULL;
		run = r ? dd_knowledge_fill(r->run, &vars) : NULL;
		user = r ? dd_knowledge_fill(r->user, &vars) : NULL;
		if (!user) {
			char buf[32];
			snprintf(buf, sizeof(buf), "%u:%u", vars.uid, vars.gid);
			user = dd_xstrdup(buf);
		}
		why = r ? r->note : NULL;
		if (run)
			dd_fix_note_add(fx, true, 0, "created user %s (%s) and set USER %s (base image family: %s)%s%s",
			    vars.name, user, user, dd_family_name(info.family), why ? ": " : "", why ? why : "");
		else
			dd_fix_note_add(fx, true, 0, "set USER %s (base image family: %s)%s%s", user,
			    dd_family_name(info.family), why ? ": " : "", why ? why : "");
	}

	/* a server that wants root at start needs a change of its own: say which */
	if (info.root_note)
		dd_fix_note_add(fx, false, 0, "check it runs as %s: %s", user, info.root_note);

	/* writable paths: an owned folder made in the same RUN, never a chown -R layer */
	const char *paths[32];
	size_t np = writable_paths(fx, doc, st, paths, 32);
	/* a COPY that fills one gets --chown: its files belong to the user from the start */
	bool numeric = user[0] >= '0' && user[0] <= '9';
	bool handled[32] = { false };
	for (size_t i = st->first + 1; numeric && i <= st->last && i < doc->ninstrs; i++) {
		const dd_instr *ins = doc->instrs[i];
		if ((ins->kind != DD_INSTR_COPY && ins->kind != DD_INSTR_ADD) || !ins->as.copy.dest.len ||
		    dd_instr_flag(ins, "chown"))
			continue;
		const dd_word *d = &ins->as.copy.dest;
		size_t dl = d->len;
		while (dl > 1 && d->text[dl - 1] == '/')
			dl--;
		for (size_t k = 0; k < np; k++) {
			size_t pl = strlen(paths[k]);
			while (pl > 1 && paths[k][pl - 1] == '/')
				pl--;
			if (pl == dl && memcmp(paths[k], d->text, dl) == 0) {
				char flag[64];
				snprintf(flag, sizeof(flag), " --chown=%s", user);
				dd_fix_add_flag(fx, ins, flag);
				dd_fix_note_add(fx, true, ins->start_line, "COPY into %s owned by %s: the application writes there",
				    paths[k], user);
				handled[k] = true;
				break;
			}
		}
	}
	dd_buf lines = DD_BUF_INIT;
	if (run) {
		dd_buf_printf(&lines, "RUN %s", run);
		for (size_t i = 0; i < np; i++)
			if (!handled[i])
				dd_buf_printf(&lines, " \\\n    && mkdir -p %s && chown %s %s", paths[i], user, paths[i]);
		dd_buf_putc(&lines, '\n');
	} else if (np) {
		for (size_t i = 0; i < np; i++)
			if (!handled[i])
				dd_fix_note_add(fx, false, 0,
			    "%s must be writable by %s: this image has no shell, so give it with COPY --chown=%s "
			    "from a build stage, or mount a volume or tmpfs there at run time", paths[i], user, user);
	}

	/* where: after the last build step; a last `USER root` with only metadata after it is replaced */
	const dd_instr *last = st->from;
	const dd_instr *root_user = NULL;
	for (size_t i = st->first + 1; i <= st->last && i < doc->ninstrs; i++) {
		const dd_instr *ins = doc->instrs[i];
		if (build_step(ins))
			last = ins;
		if (ins->kind == DD_INSTR_USER)
			root_user = ins;
		else if (needs_root(ins))
			root_user = NULL;
	}
	dd_user_fact u;
	dd_ctx_stage_user(ctx, st, &u);
	if (root_user && u.source == DD_USER_FROM_INSTR && u.instr == root_user && root_user->nargs) {
		if (lines.len)
			dd_fix_insert_before(fx, root_user, lines.ptr);
		dd_fix_replace(fx, root_user->args[0].span.start, root_user->args[root_user->nargs - 1].span.end, user);
	} else {
		dd_buf_printf(&lines, "USER %s\n", user);
		dd_fix_insert_after(fx, last, lines.ptr);
	}
	dd_buf_free(&lines);
	free(run);
	free(user);
}

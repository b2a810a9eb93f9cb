/* Modes set by chmod, mkdir -m and install -m in the stages the final image is made of. */
#include "chmod.h"

#include "drydock/lint.h"

#include <string.h>

/* Octal: the last three digits are user/group/others, a fourth one the special bits. */
static unsigned
numeric_grants(const char *m, size_t n)
{
	unsigned v = 0;
	for (size_t i = 0; i < n; i++) {
		if (m[i] < '0' || m[i] > '7')
			return 0;
		v = v * 8 + (unsigned)(m[i] - '0');
	}
	/* the sticky bit means a folder: 1777 is the usual /tmp, 3777 a shared run folder */
	if (v & 01000)
		return 0;
	unsigned g = 0;
	if (v & 0002)
		g |= DD_MODE_WORLD_WRITABLE;
	if (n >= 4 && (v & 04000))
		g |= DD_MODE_SETUID;
	if (n >= 4 && (v & 02000))
		g |= DD_MODE_SETGID;
	return g;
}

/* One symbolic clause: [ugoa]*[+=][rwxXst]*  (a '-' clause grants nothing). */
static unsigned
clause_grants(const char *c, size_t n)
{
	size_t i = 0;
	bool u = false, g = false, o = false;
	while (i < n && strchr("ugoa", c[i])) {
		u |= c[i] == 'u' || c[i] == 'a';
		g |= c[i] == 'g' || c[i] == 'a';
		o |= c[i] == 'o' || c[i] == 'a';
		i++;
	}
	bool who = i > 0;
	if (i >= n || (c[i] != '+' && c[i] != '='))
		return 0;
	const char *perm = c + i + 1;
	size_t pn = n - i - 1;
	unsigned r = 0;
	/* with no who, +w depends on the umask: usually not for others */
	if (o && memchr(perm, 'w', pn))
		r |= DD_MODE_WORLD_WRITABLE;
	if (memchr(perm, 's', pn)) {
		if (u || !who)
			r |= DD_MODE_SETUID;
		if (g || !who)
			r |= DD_MODE_SETGID;
	}
	return r;
}

unsigned
dd_mode_grants(const char *m, size_t n)
{
	if (n && m[0] >= '0' && m[0] <= '7')
		return numeric_grants(m, n);
	unsigned r = 0;
	size_t a = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || m[i] == ',') {
			r |= clause_grants(m + a, i - a);
			a = i + 1;
		}
	}
	return r;
}

static bool
is(const dd_sh_word *w, const char *s)
{
	size_t n;
	const char *b = dd_sh_basename(w, &n);
	return strlen(s) == n && memcmp(b, s, n) == 0;
}

/* The mode word of a command, or NULL. */
static const dd_sh_word *
mode_word(const dd_sh_cmd *c)
{
	if (c->nwords < 2)
		return NULL;
	if (is(&c->words[0], "chmod")) {
		for (size_t i = 1; i < c->nwords; i++) {
			const dd_sh_word *w = &c->words[i];
			/* an option (-R, --recursive …), unlike a mode such as -w */
			if (w->len > 1 && w->text[0] == '-' && !strchr("rwxXst", w->text[1]))
				continue;
			return w;
		}
		return NULL;
	}
	if (is(&c->words[0], "mkdir") || is(&c->words[0], "install")) {
		for (size_t i = 1; i + 1 < c->nwords; i++)
			if ((c->words[i].len == 2 && memcmp(c->words[i].text, "-m", 2) == 0) ||
			    (c->words[i].len == 6 && memcmp(c->words[i].text, "--mode", 6) == 0))
				return &c->words[i + 1];
	}
	return NULL;
}

/* Does a later command of the same script remove path (rm … path)? Then it is not in the image. */
static bool
removed_later(const dd_shell *sh, size_t i, const dd_sh_word *path)
{
	for (size_t k = i + 1; k < sh->ncmds; k++) {
		const dd_sh_cmd *c = &sh->cmds[k];
		if (c->nwords < 2 || !is(&c->words[0], "rm"))
			continue;
		for (size_t w = 1; w < c->nwords; w++)
			if (c->words[w].len == path->len && memcmp(c->words[w].text, path->text, path->len) == 0)
				return true;
	}
	return false;
}

static void
each_in_stage(dd_ctx *ctx, const dd_doc *doc, const dd_stage *st, dd_mode_cb cb, unsigned depth)
{
	if (st->base_stage && depth < 64)
		each_in_stage(ctx, doc, st->base_stage, cb, depth + 1);
	size_t it = 0;
	const dd_instr *ins;
	while ((ins = dd_stage_next(doc, st, &it))) {
		if (ins->kind != DD_INSTR_RUN || ins->parent)
			continue;
		const dd_script *s;
		size_t n = dd_ctx_scripts(ctx, ins, &s);
		for (size_t k = 0; k < n; k++)
			for (size_t i = 0; i < s[k].sh.ncmds; i++) {
				const dd_sh_cmd *c = &s[k].sh.cmds[i];
				const dd_sh_word *m = mode_word(c);
				unsigned g = m && !m->has_expansion ? dd_mode_grants(m->text, m->len) : 0;
				if (g && !removed_later(&s[k].sh, i, &c->words[c->nwords - 1]))
					cb(ctx, &s[k], c, m, g);
			}
	}
}

void
dd_each_mode(dd_ctx *ctx, const dd_doc *doc, dd_mode_cb cb)
{
	const dd_stage *st = dd_ctx_final_stage(ctx);
	if (st)
		each_in_stage(ctx, doc, st, cb, 0);
}

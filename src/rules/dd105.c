/* DD105 world-writable: chmod 777 / o+w on paths of the final image. */
#include "rules.h"
#include "drydock/fixer.h"
#include "chmod.h"

#include <stdio.h>

const dd_rule_doc dd105_doc = {
	"Files or folders of the image are writable by every user",
	"A path that every user may write (mode 777, 666, o+w, a+w) lets any process in "
	"the container, whatever its user, replace programs, configuration or data that "
	"others trust — the first step of many escalations. Writable paths should belong "
	"to the application's user, or live on a tmpfs at run time.",
	"drydock fix takes write away from other users in a plain octal mode (777 → 775, "
	"666 → 664; the group keeps it, as OpenShift's group-0 users need) and says so; if the "
	"application writes there, give the path to its user (drydock fix --writable PATH, or "
	"COPY --chown), or use a tmpfs at run time. 1777 (sticky, like /tmp) is not reported.",
	"FROM debian:12-slim\nRUN mkdir /data && chmod 777 /data\n",
	"FROM debian:12-slim\nRUN mkdir /data && chmod 775 /data\n",
};

/* "0777", "777" → 0777. */
static bool
octal(const char *s, size_t n, unsigned *out)
{
	if (n < 3 || n > 5)
		return false;
	unsigned v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '7')
			return false;
		v = v * 8 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return true;
}

static void
found(dd_ctx *ctx, const dd_script *s, const dd_sh_cmd *c, const dd_sh_word *mode, unsigned g)
{
	if (!(g & DD_MODE_WORLD_WRITABLE))
		return;
	const dd_sh_word *path = c->nwords ? &c->words[c->nwords - 1] : mode;
	dd_finding *f = dd_report_instr(ctx, s->ins, dd_script_span(ctx, s, mode->start, mode->end),
	    "mode %.*s makes %.*s writable by every user", (int)mode->len, mode->text,
	    (int)path->len, path->text);
	/* only a plain octal mode written as is can be edited in place */
	unsigned m;
	f->fixable = octal(mode->text, mode->len, &m) && !mode->quoted &&
	    f->span.end - f->span.start == mode->len;
}

void
dd105_check(dd_ctx *ctx, const dd_doc *doc)
{
	dd_each_mode(ctx, doc, found);
}

void
dd105_fix(dd_fixer *fx, const dd_doc *doc, const dd_finding *f)
{
	(void)doc;
	const dd_source *src = dd_fixer_source(fx);
	const char *text = src->data + f->span.start;
	size_t n = f->span.end - f->span.start;
	unsigned m;
	if (!octal(text, n, &m))
		return;
	/* others lose write; the group keeps it (OpenShift runs the app in group 0) */
	unsigned fixed = m & ~02u;
	char buf[8];
	snprintf(buf, sizeof(buf), n == 4 || n == 5 ? "%04o" : "%03o", fixed);
	dd_fix_replace(fx, f->span.start, f->span.end, buf);
	dd_fix_note_add(fx, true, 0,
	    "chmod %.*s → %s: other users no longer write there; if the application must, give it the "
	    "path (drydock fix --writable PATH, or COPY --chown)", (int)n, text, buf);
}

/* DD105 world-writable: chmod 777 / o+w on paths of the final image. */
#include "rules.h"
#include "drydock/fixer.h"
#include "chmod.h"

const dd_rule_doc dd105_doc = {
	"Files or folders of the image are writable by every user",
	"A path that every user may write (mode 777, 666, o+w, a+w) lets any process in "
	"the container, whatever its user, replace programs, configuration or data that "
	"others trust — the first step of many escalations. Writable paths should belong "
	"to the application's user, or live on a tmpfs at run time.",
	"Give the path to the user that must write it (COPY --chown, or create it owned "
	"by that user) and use 755/644 or u+w; for scratch space use a tmpfs at run "
	"time (see drydock runtime). 1777 (sticky, like /tmp) is not reported.",
	"FROM debian:12-slim\nRUN mkdir /data && chmod 777 /data\n",
	"FROM debian:12-slim\nRUN mkdir /data && chown 10001:10001 /data && chmod 750 /data\n",
};

static void
found(dd_ctx *ctx, const dd_script *s, const dd_sh_cmd *c, const dd_sh_word *mode, unsigned g)
{
	if (!(g & DD_MODE_WORLD_WRITABLE))
		return;
	const dd_sh_word *path = c->nwords ? &c->words[c->nwords - 1] : mode;
	dd_report_instr(ctx, s->ins, dd_script_span(ctx, s, mode->start, mode->end),
	    "mode %.*s makes %.*s writable by every user", (int)mode->len, mode->text,
	    (int)path->len, path->text);
}

void
dd105_check(dd_ctx *ctx, const dd_doc *doc)
{
	dd_each_mode(ctx, doc, found);
}

void
dd105_fix(dd_fixer *fx, const dd_doc *doc, const dd_finding *f)
{
	(void)fx;
	(void)doc;
	(void)f;
}

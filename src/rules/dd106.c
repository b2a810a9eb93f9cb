/* DD106 setuid-bit: chmod adds the setuid or setgid bit. */
#include "rules.h"
#include "chmod.h"

const dd_rule_doc dd106_doc = {
	"A file gets the setuid or setgid bit",
	"A setuid (or setgid) program runs with its owner's (group's) rights whatever "
	"the caller: a setuid-root binary in the image is a way back to root for any "
	"process that can run it, which defeats running as a non-root user.",
	"Remove the bit (chmod u-s,g-s) or give the program the one capability it needs "
	"(setcap) — and drop that capability at run time unless it is really needed.",
	"FROM debian:12-slim\nRUN chmod u+s /usr/local/bin/tool\n",
	"FROM debian:12-slim\nRUN chmod 0755 /usr/local/bin/tool\n",
};

static void
found(dd_ctx *ctx, const dd_script *s, const dd_sh_cmd *c, const dd_sh_word *mode, unsigned g)
{
	if (!(g & (DD_MODE_SETUID | DD_MODE_SETGID)))
		return;
	const dd_sh_word *path = c->nwords ? &c->words[c->nwords - 1] : mode;
	dd_report_instr(ctx, s->ins, dd_script_span(ctx, s, mode->start, mode->end),
	    "mode %.*s sets the %s bit on %.*s", (int)mode->len, mode->text,
	    (g & DD_MODE_SETUID) ? "setuid" : "setgid", (int)path->len, path->text);
}

void
dd106_check(dd_ctx *ctx, const dd_doc *doc)
{
	dd_each_mode(ctx, doc, found);
}

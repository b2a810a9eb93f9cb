/* DD402 exposed-ssh: EXPOSE 22. */
#include "rules.h"
#include "drydock/lint.h"
#include "drydock/rule.h"

#include <string.h>
#include <strings.h>

const dd_rule_doc dd402_doc = {
	"The image exposes the SSH port 22",
	"An SSH server in a container is a second way in, with its own keys, passwords "
	"and vulnerabilities, and it is never needed: `docker exec` and `kubectl exec` "
	"reach a running container without it.",
	"Remove EXPOSE 22 and the SSH server; use docker exec / kubectl exec to get a "
	"shell.",
	"FROM debian:12-slim\nRUN apt-get update && apt-get install -y openssh-server\nEXPOSE 22\n",
	"FROM debian:12-slim\n",
};

/* "22", "22/tcp", "22/TCP". */
static bool
is_ssh(const char *p, size_t n)
{
	if (n < 2 || p[0] != '2' || p[1] != '2')
		return false;
	return n == 2 || (n == 6 && strncasecmp(p + 2, "/tcp", 4) == 0);
}

void
dd402_check(dd_ctx *ctx, const dd_doc *doc)
{
	size_t it = 0;
	const dd_instr *ins;
	while ((ins = dd_stage_next(doc, NULL, &it))) {
		if (ins->kind != DD_INSTR_EXPOSE)
			continue;
		for (size_t k = 0; k < ins->nargs; k++) {
			const dd_word *w = &ins->args[k];
			const char *v = dd_ctx_expand(ctx, ins->stage, ins, w->text, w->len, NULL);
			if (!is_ssh(v, strlen(v)))
				continue;
			if (strcmp(v, w->text) == 0)
				dd_report_instr(ctx, ins, w->span, "EXPOSE %s opens the SSH port", w->text);
			else
				dd_report_instr(ctx, ins, w->span, "EXPOSE %s (%s) opens the SSH port", w->text, v);
		}
	}
}

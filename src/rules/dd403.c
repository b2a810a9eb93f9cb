/* DD403 shell-form-command: CMD/ENTRYPOINT in shell form in the final stage. */
#include "rules.h"
#include "drydock/fixer.h"
#include "drydock/rule.h"

const dd_rule_doc dd403_doc = {
	"CMD or ENTRYPOINT uses the shell form",
	"In shell form the command runs as `/bin/sh -c \"…\"`: the shell is PID 1 and "
	"does not pass SIGTERM on, so `docker stop` waits and then kills the process "
	"without a clean shutdown; and distroless or scratch images have no /bin/sh, so "
	"the container cannot start at all once the base image is hardened.",
	"Use the exec (JSON) form: `CMD [\"python\", \"app.py\"]`; drydock fix rewrites "
	"simple commands this way.",
	"FROM python:3.12-slim\nCMD python app.py\n",
	"FROM python:3.12-slim\nCMD [\"python\", \"app.py\"]\n",
};

void
dd403_check(dd_ctx *ctx, const dd_doc *doc)
{
	const dd_stage *st = dd_ctx_final_stage(ctx);
	if (!st)
		return;
	/* only the CMD and ENTRYPOINT that take effect: the last of each */
	const dd_instr *last[2] = { NULL, NULL };
	for (size_t i = st->first + 1; i <= st->last; i++) {
		const dd_instr *ins = doc->instrs[i];
		if (ins->kind == DD_INSTR_CMD)
			last[0] = ins;
		else if (ins->kind == DD_INSTR_ENTRYPOINT)
			last[1] = ins;
	}
	for (int k = 0; k < 2; k++) {
		const dd_instr *ins = last[k];
		if (!ins || ins->json || !ins->as.cmd.shell.len)
			continue;
		dd_finding *f = dd_report_instr(ctx, ins, ins->keyword.span,
		    "%s uses the shell form: the process does not get signals, and images without a shell cannot run it",
		    dd_instr_kind_name(ins->kind));
		f->fixable = true;
	}
}

void
dd403_fix(dd_fixer *fx, const dd_doc *doc, const dd_finding *f)
{
	(void)fx;
	(void)doc;
	(void)f;
}

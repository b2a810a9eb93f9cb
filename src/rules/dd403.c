/* DD403 shell-form-command: CMD/ENTRYPOINT in shell form in the final stage. */
#include "rules.h"
#include "drydock/fixer.h"
#include "drydock/alloc.h"
#include "drydock/buf.h"
#include "drydock/rule.h"
#include "drydock/shell.h"
#include "user.h"

#include <stdlib.h>
#include <string.h>

const dd_rule_doc dd403_doc = {
	"CMD or ENTRYPOINT uses the shell form",
	"In shell form the command runs as `/bin/sh -c \"…\"`: the shell is PID 1 and "
	"does not pass SIGTERM on, so `docker stop` waits and then kills the process "
	"without a clean shutdown; and distroless or scratch images have no /bin/sh, so "
	"the container cannot start at all once the base image is hardened.",
	"Use the exec (JSON) form: `CMD [\"python\", \"app.py\"]`. drydock fix rewrites a "
	"plain command this way (no variables, globs, redirections or operators; a leading "
	"exec is dropped); a shell-form ENTRYPOINT only when the stage sets no CMD, which the "
	"exec form would pass to it as arguments.",
	"FROM python:3.12-slim\nCMD python app.py\n",
	"FROM python:3.12-slim\nCMD [\"python\", \"app.py\"]\n",
};

/*
 * The exec form of a shell-form command, when it is one plain command:
 * no variables, globs, redirections, operators, assignments or shell
 * builtins, nothing the shell would change. NULL otherwise.
 */
static char *
exec_form(dd_ctx *ctx, const dd_instr *ins)
{
	const dd_doc *doc = dd_ctx_doc(ctx);
	const dd_word *sh = &ins->as.cmd.shell;
	/* a comment inside the continuation would be lost with the line breaks */
	for (size_t i = 0; i < doc->ncomments; i++)
		if (doc->comments[i].text.span.start >= sh->span.start &&
		    doc->comments[i].text.span.start < sh->span.end)
			return NULL;
	dd_arena *a = dd_arena_new();
	dd_shell shell;
	dd_shell_parse(&shell, sh->text, sh->len, a);
	char *out = NULL;
	if (shell.incomplete || shell.ncmds != 1 || shell.cmds[0].nassigns || shell.cmds[0].nredirs ||
	    shell.cmds[0].nwords == 0 || shell.cmds[0].compound || shell.cmds[0].join != DD_SH_END)
		goto done;
	const dd_sh_cmd *c = &shell.cmds[0];
	size_t first = 0;
	size_t n;
	const char *prog = dd_sh_basename(&c->words[0], &n);
	if (n == 4 && memcmp(prog, "exec", 4) == 0)
		first = 1; /* the exec form is what exec did */
	if (first >= c->nwords)
		goto done;
	static const char *const builtins[] = {
		"cd", "source", ".", "export", "set", "eval", "trap", "ulimit", "umask", "alias", "exit",
	};
	prog = dd_sh_basename(&c->words[first], &n);
	for (size_t i = 0; i < sizeof(builtins) / sizeof(*builtins); i++)
		if (strlen(builtins[i]) == n && memcmp(prog, builtins[i], n) == 0)
			goto done;
	dd_buf b = DD_BUF_INIT;
	dd_buf_putc(&b, '[');
	for (size_t i = first; i < c->nwords; i++) {
		const dd_sh_word *w = &c->words[i];
		if (w->has_expansion || (!w->quoted && (memchr(w->text, '*', w->len) || memchr(w->text, '?', w->len) ||
		    memchr(w->text, '[', w->len) || (w->len && w->text[0] == '~')))) {
			dd_buf_free(&b);
			goto done;
		}
		dd_buf_puts(&b, i > first ? ", \"" : "\"");
		for (size_t k = 0; k < w->len; k++) {
			unsigned char ch = (unsigned char)w->text[k];
			if (ch == '"' || ch == '\\')
				dd_buf_printf(&b, "\\%c", ch);
			else if (ch < 0x20)
				dd_buf_printf(&b, "\\u%04x", ch);
			else
				dd_buf_putc(&b, (int)ch);
		}
		dd_buf_putc(&b, '"');
	}
	dd_buf_putc(&b, ']');
	out = dd_buf_detach(&b, NULL);
done:
	dd_arena_free(a);
	return out;
}

/* A stage with its own SHELL, or a Windows base: its shell form is not /bin/sh -c. */
static bool
other_shell(dd_ctx *ctx, const dd_doc *doc, const dd_stage *st)
{
	dd_image_info info;
	dd_user_image(ctx, st, &info);
	if (info.family == DD_FAMILY_WINDOWS)
		return true;
	for (const dd_stage *s = st; s; s = s->base_stage)
		for (size_t i = s->first + 1; i <= s->last; i++)
			if (doc->instrs[i]->kind == DD_INSTR_SHELL)
				return true;
	return false;
}

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
		/*
		 * An exec-form ENTRYPOINT gets CMD as arguments, a shell-form one
		 * ignores it: convert ENTRYPOINT only when the stage sets no CMD
		 * (setting ENTRYPOINT clears the base image's).
		 */
		char *exec = k == 1 && last[0] ? NULL : exec_form(ctx, ins);
		f->fixable = exec && !other_shell(ctx, doc, st);
		free(exec);
	}
}

void
dd403_fix(dd_fixer *fx, const dd_doc *doc, const dd_finding *f)
{
	const dd_instr *ins = dd_fixer_instr(fx, doc, f);
	if (!ins || ins->json || !ins->as.cmd.shell.len)
		return;
	char *exec = exec_form(dd_fixer_ctx(fx), ins);
	if (!exec)
		return;
	dd_fix_replace(fx, ins->as.cmd.shell.span.start, ins->as.cmd.shell.span.end, exec);
	dd_fix_note_add(fx, true, 0, "%s in exec form: %s", dd_instr_kind_name(ins->kind), exec);
	free(exec);
}

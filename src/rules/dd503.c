/* DD503 pipe-to-shell: a download piped into a shell. */
#include "rules.h"
#include "drydock/lint.h"
#include "drydock/rule.h"

#include <string.h>

const dd_rule_doc dd503_doc = {
	"A download is piped into a shell",
	"`curl … | sh` runs whatever the server sends, unverified, as the build user "
	"(usually root): a compromised site, a hijacked DNS name or a truncated transfer "
	"runs arbitrary code in your build. It also hides what was installed.",
	"Download to a file, verify its checksum or signature, then run it: "
	"`curl -fsSLo /tmp/i.sh URL && echo \"SHA256  /tmp/i.sh\" | sha256sum -c - && sh /tmp/i.sh`; "
	"better, install from the distribution's packages.",
	"FROM debian:12-slim\nRUN curl -fsSL https://example.org/install.sh | sh\n",
	"FROM debian:12-slim\nRUN curl -fsSLo /tmp/install.sh https://example.org/install.sh \\\n"
	" && echo \"24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d  /tmp/install.sh\" | sha256sum -c - \\\n"
	" && sh /tmp/install.sh\n",
};

static bool
named(const dd_sh_cmd *c, const char *const *names, size_t n)
{
	if (c->nwords == 0)
		return false;
	size_t len;
	const char *b = dd_sh_basename(&c->words[0], &len);
	for (size_t i = 0; i < n; i++)
		if (strlen(names[i]) == len && memcmp(b, names[i], len) == 0)
			return true;
	return false;
}

static const char *const fetchers[] = { "curl", "wget", "fetch" };
static const char *const shells[] = {
	"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "fish", "python", "python3", "perl", "ruby", "node",
};

/* The shell a command starts, skipping sudo/env/exec wrappers; NULL if none. */
static const dd_sh_word *
shell_of(const dd_sh_cmd *c)
{
	dd_sh_cmd sub = *c;
	while (sub.nwords > 1) {
		size_t len;
		const char *b = dd_sh_basename(&sub.words[0], &len);
		if (!((len == 4 && memcmp(b, "sudo", 4) == 0) || (len == 3 && memcmp(b, "env", 3) == 0) ||
		      (len == 4 && memcmp(b, "exec", 4) == 0)))
			break;
		sub.words++;
		sub.nwords--;
		while (sub.nwords > 1 && sub.words[0].len && sub.words[0].text[0] == '-') {
			sub.words++; /* sudo -E, env -i … */
			sub.nwords--;
		}
	}
	return named(&sub, shells, DD_ARRAY_LEN(shells)) ? &sub.words[0] : NULL;
}

void
dd503_check(dd_ctx *ctx, const dd_doc *doc)
{
	size_t it = 0;
	const dd_instr *ins;
	while ((ins = dd_stage_next(doc, NULL, &it))) {
		if (ins->kind != DD_INSTR_RUN)
			continue;
		const dd_script *s;
		size_t n = dd_ctx_scripts(ctx, ins, &s);
		for (size_t k = 0; k < n; k++) {
			const dd_shell *sh = &s[k].sh;
			for (size_t i = 0; i + 1 < sh->ncmds; i++) {
				const dd_sh_cmd *a = &sh->cmds[i], *b = &sh->cmds[i + 1];
				if (a->join != DD_SH_PIPE || b->depth != a->depth ||
				    !named(a, fetchers, DD_ARRAY_LEN(fetchers)))
					continue;
				const dd_sh_word *shell = shell_of(b);
				if (!shell)
					continue;
				dd_report_instr(ctx, ins, dd_script_span(ctx, &s[k], a->start, shell->end),
				    "%.*s output is piped into %.*s: the download runs unverified",
				    (int)a->words[0].len, a->words[0].text, (int)shell->len, shell->text);
			}
		}
	}
}

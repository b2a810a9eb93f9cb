/* DD205 secret-in-run: a literal secret in a RUN line. */
#include "rules.h"
#include "secrets.h"

#include "drydock/lint.h"

const dd_rule_doc dd205_doc = {
	"A RUN line holds a literal secret",
	"The text of every RUN is stored in the image history and in the Dockerfile in "
	"version control: a token, a password in a URL (https://user:pass@host), "
	"--password=… or an Authorization header written in a RUN line is public to "
	"whoever can read either.",
	"Pass the secret with a secret mount: `RUN --mount=type=secret,id=token,env=TOKEN "
	"curl -H \"Authorization: Bearer $TOKEN\" …` and build with "
	"`--secret id=token,env=TOKEN`.",
	"FROM alpine:3.20\nRUN curl -u deploy:hunter2secret https://repo.example/pkg.tgz -o /tmp/p.tgz\n",
	"FROM alpine:3.20\nRUN --mount=type=secret,id=repo_auth,env=REPO_AUTH curl -u \"$REPO_AUTH\" https://repo.example/pkg.tgz -o /tmp/p.tgz\n",
};

typedef struct {
	dd_ctx *ctx;
	const dd_script *s;
} scan;

static void
hit_cb(void *p, const dd_secret_hit *h)
{
	scan *sc = p;
	dd_buf red = DD_BUF_INIT;
	dd_secret_redact(&red, sc->s->text + h->start, h->end - h->start);
	dd_report_instr(sc->ctx, sc->s->ins,
	    dd_script_span(sc->ctx, sc->s, (uint32_t)h->start, (uint32_t)h->end),
	    "RUN holds a secret: %s (%s)", h->kind, red.ptr)->secret = true;
	dd_buf_free(&red);
}

void
dd205_check(dd_ctx *ctx, const dd_doc *doc)
{
	size_t it = 0;
	const dd_instr *ins;
	while ((ins = dd_stage_next(doc, NULL, &it))) {
		if (ins->kind != DD_INSTR_RUN)
			continue;
		const dd_script *s;
		size_t n = dd_ctx_scripts(ctx, ins, &s);
		for (size_t k = 0; k < n; k++) {
			scan sc = { ctx, &s[k] };
			if (s[k].text)
				dd_secret_scan(s[k].text, s[k].len, hit_cb, &sc);
		}
		/* the exec form without a shell: each argument */
		if (ins->json && n && !s[0].text) {
			for (size_t a = 0; a < ins->as.cmd.argc; a++) {
				const dd_word *w = &ins->as.cmd.argv[a];
				dd_secret_hit h;
				if (!dd_first_secret(w->text, w->len, &h))
					continue;
				dd_buf red = DD_BUF_INIT;
				dd_secret_redact(&red, w->text + h.start, h.end - h.start);
				dd_report_instr(ctx, ins, w->span, "RUN holds a secret: %s (%s)", h.kind, red.ptr)->secret = true;
				dd_buf_free(&red);
			}
		}
	}
}

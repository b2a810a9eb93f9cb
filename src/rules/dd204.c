/* DD204 secret-in-context: a secret file in the build context that a COPY/ADD would ship. */
#include "rules.h"
#include "drydock/fixer.h"
#include "secrets.h"

#include "drydock/alloc.h"
#include "drydock/buf.h"
#include "drydock/context.h"
#include "drydock/error.h"
#include "drydock/lint.h"
#include "drydock/secret.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

const dd_rule_doc dd204_doc = {
	"A secret file in the build context is shipped by COPY or ADD",
	"`COPY . .` copies everything the build context holds unless .dockerignore "
	"excludes it: a .env file, a private key or cloud credentials lying in the "
	"project folder end up in the image. drydock walks the context, applies "
	".dockerignore exactly as BuildKit does, and reports the secret files a COPY or "
	"ADD would ship. Configuration files that only sometimes hold credentials "
	"(.npmrc, .env …) are reported when they write one out; a COPY that names the "
	"file itself is DD203's.",
	"drydock fix lists each such file in .dockerignore (`drydock fix -i` writes it, "
	"creating it if needed and keeping what it holds; --diff shows the change). The "
	"Dockerfile itself does not change: pass what the build needs as a secret mount "
	"(`RUN --mount=type=secret`) instead.",
	"# the context holds .env and id_rsa\nFROM python:3.12-slim\nCOPY . /app\n",
	"# .dockerignore lists .env and id_rsa\nFROM python:3.12-slim\nCOPY . /app\n",
};

#define MAX_FILES 100000
#define MAX_SECRETS 256

typedef struct {
	dd_ctx *ctx;
	char *paths[MAX_SECRETS];
	const char *whats[MAX_SECRETS];
	size_t n;
} secrets;

static int
visit(void *p, const char *rel)
{
	secrets *s = p;
	const char *what;
	size_t len = strlen(rel);
	if (s->n < MAX_SECRETS && dd_secret_path(rel, len, &what)) {
		/* an .npmrc or .env that writes no credential out ships nothing secret */
		if (dd_secret_path_is_config(rel, len)) {
			size_t tlen;
			char *text = dd_ctx_read_context_file(s->ctx, rel, len, &tlen);
			bool clean = text && !dd_secret_config_has_credential(text, tlen);
			free(text);
			if (clean)
				return 0;
		}
		s->paths[s->n] = strdup(rel);
		s->whats[s->n] = what;
		s->n++;
	}
	return 0;
}

static bool
from_context(const dd_instr *ins, const dd_word *src)
{
	if (dd_instr_flag(ins, "from"))
		return false;
	return !(src->len > 2 && strncmp(src->text, "<<", 2) == 0) && !strstr(src->text, "://") &&
	       strncmp(src->text, "git@", 4) != 0;
}

/* Does the source name exactly this context path ("./.env", "/.env" and ".env" alike)? */
static bool
names(const dd_word *w, const char *rel)
{
	const char *t = w->text;
	size_t n = w->len;
	for (;;) {
		if (n >= 2 && t[0] == '.' && t[1] == '/')
			t += 2, n -= 2;
		else if (n >= 1 && t[0] == '/')
			t++, n--;
		else
			break;
	}
	return strlen(rel) == n && memcmp(t, rel, n) == 0;
}

/* The context path a finding names ("COPY . ships PATH from the build context (…"). */
static bool
message_path(const char *msg, const char **path, size_t *len)
{
	const char *a = strstr(msg, " ships ");
	const char *b = a ? strstr(a + 7, " from the build context (") : NULL;
	if (!b)
		return false;
	*path = a + 7;
	*len = (size_t)(b - *path);
	return true;
}

/*
 * Can the fix list the file in .dockerignore: the message names it as it is
 * (not redacted), and it makes one pattern line (no line break, no blanks
 * around it, which .dockerignore trims)?
 */
static bool
listable(const dd_finding *f, const char *rel)
{
	const char *p;
	size_t n;
	size_t len = strlen(rel);
	return message_path(f->message, &p, &n) && n == len && memcmp(p, rel, n) == 0 && n &&
	       !strpbrk(rel, "\r\n") && rel[0] != ' ' && rel[0] != '\t' && rel[n - 1] != ' ' &&
	       rel[n - 1] != '\t';
}

/* Report each secret file at the first COPY/ADD source that ships it. */
static void
report(dd_ctx *ctx, const dd_doc *doc, const secrets *s)
{
	for (size_t f = 0; f < s->n; f++) {
		size_t it = 0;
		const dd_instr *ins;
		bool done = false;
		while (!done && (ins = dd_stage_next(doc, NULL, &it))) {
			if (ins->kind != DD_INSTR_COPY && ins->kind != DD_INSTR_ADD)
				continue;
			for (size_t k = 0; !done && k < ins->as.copy.nsources; k++) {
				const dd_word *w = &ins->as.copy.sources[k];
				if (!from_context(ins, w) || !dd_copy_source_covers(w->text, s->paths[f]))
					continue;
				done = true;
				if (names(w, s->paths[f]))
					break; /* DD203 reports a COPY of the file by name */
				dd_finding *fd = dd_report_instr(ctx, ins, w->span,
				    "%s %.*s ships %s from the build context (%s): exclude it in .dockerignore",
				    dd_instr_kind_name(ins->kind), (int)w->len, w->text, s->paths[f], s->whats[f]);
				fd->fixable = listable(fd, s->paths[f]);
			}
		}
	}
}

/* The secret files of one context, walked once per process (see cache_context). */
typedef struct {
	char *key;                /* context folder, NUL, the ignore file used */
	size_t klen;
	char **paths;
	const char **whats;
	size_t n;
} walk_entry;

static walk_entry walks[64];
static size_t nwalks;
static pthread_mutex_t walks_lock = PTHREAD_MUTEX_INITIALIZER;

static bool
cached(const char *key, size_t klen, secrets *s)
{
	bool hit = false;
	pthread_mutex_lock(&walks_lock);
	for (size_t i = 0; i < nwalks && !hit; i++) {
		if (walks[i].klen != klen || memcmp(walks[i].key, key, klen) != 0)
			continue;
		for (size_t k = 0; k < walks[i].n; k++) {
			s->paths[k] = strdup(walks[i].paths[k]);
			s->whats[k] = walks[i].whats[k];
		}
		s->n = walks[i].n;
		hit = true;
	}
	pthread_mutex_unlock(&walks_lock);
	return hit;
}

static void
remember(const char *key, size_t klen, const secrets *s)
{
	pthread_mutex_lock(&walks_lock);
	if (nwalks < sizeof(walks) / sizeof(*walks)) {
		walk_entry *w = &walks[nwalks++];
		w->key = dd_xstrndup(key, klen);
		w->klen = klen;
		w->paths = dd_xcalloc(s->n + 1, sizeof(char *));
		w->whats = dd_xcalloc(s->n + 1, sizeof(char *));
		for (size_t k = 0; k < s->n; k++) {
			w->paths[k] = dd_xstrdup(s->paths[k]);
			w->whats[k] = s->whats[k];
		}
		w->n = s->n;
	}
	pthread_mutex_unlock(&walks_lock);
}

void
dd204_check(dd_ctx *ctx, const dd_doc *doc)
{
	const char *dir = dd_ctx_context_dir(ctx);
	if (!dir)
		return;
	dd_ignore *ig = NULL;
	char *used = NULL;
	const char *df = strcmp(doc->src->path, "-") ? doc->src->path : NULL;
	if (dd_ignore_load(&ig, dir, df, &used) != DD_OK) {
		/* BuildKit stops the build on it; the user should hear why nothing was checked */
		const dd_instr *at = doc->ninstrs ? doc->instrs[0] : NULL;
		for (size_t i = 0; i < doc->ninstrs; i++)
			if ((doc->instrs[i]->kind == DD_INSTR_COPY || doc->instrs[i]->kind == DD_INSTR_ADD) &&
			    !dd_instr_flag(doc->instrs[i], "from")) {
				at = doc->instrs[i];
				break;
			}
		if (at)
			dd_report_instr(ctx, at, at->keyword.span,
			    "the build context's ignore file cannot be read (%s): the build fails there, and the "
			    "context's secret files were not checked", dd_error_last());
		return;
	}
	secrets s = { ctx, { NULL }, { NULL }, 0 };
	bool cache = dd_ctx_cache_context(ctx);
	dd_buf key = DD_BUF_INIT;
	dd_buf_puts(&key, dir);
	dd_buf_putc(&key, '\0');
	dd_buf_puts(&key, used ? used : "");
	if (!cache || !cached(key.ptr, key.len, &s)) {
		dd_context_walk(dir, ig, MAX_FILES, visit, &s);
		if (cache)
			remember(key.ptr, key.len, &s);
	}
	report(ctx, doc, &s);
	for (size_t i = 0; i < s.n; i++)
		free(s.paths[i]);
	dd_buf_free(&key);
	free(used);
	dd_ignore_free(ig);
}

/* The path as a .dockerignore line that matches only it: pattern characters escaped. */
static void
ignore_line(dd_buf *out, const char *p, size_t n)
{
	if (p[0] == '!' || p[0] == '#')
		dd_buf_putc(out, '\\');
	for (size_t i = 0; i < n; i++) {
		if (strchr("*?[]\\", p[i]))
			dd_buf_putc(out, '\\');
		dd_buf_putc(out, p[i]);
	}
}

void
dd204_fix(dd_fixer *fx, const dd_doc *doc, const dd_finding *f)
{
	(void)doc;
	const char *p;
	size_t n;
	if (!message_path(f->message, &p, &n))
		return;
	dd_buf line = DD_BUF_INIT;
	ignore_line(&line, p, n);
	dd_fix_ignore(fx, line.ptr);
	dd_fix_note_add(fx, true, 0, "%.*s goes into .dockerignore (drydock fix -i writes it): COPY and ADD "
	    "no longer ship it; a build step that needs it takes it as a secret mount instead", (int)n, p);
	dd_buf_free(&line);
}

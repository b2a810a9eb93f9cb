/*
 * drydock fix: findings → edits → patched bytes.
 *
 * dd_fix lints the source, asks the rule of every fixable finding for its
 * edits, applies them (dd_editset_apply), re-parses and re-lints the
 * result, and repeats until a pass changes nothing (at most
 * DD_FIX_MAX_PASSES). The result re-parses; bytes no edit touched are
 * the original bytes.
 */
#ifndef DRYDOCK_FIX_H
#define DRYDOCK_FIX_H

#include "drydock/ast.h"
#include "drydock/edit.h"
#include "drydock/lint.h"
#include "drydock/rule.h"

#define DD_FIX_MAX_PASSES 3

/* --interactive: one question per fix, before it is applied. */
enum { DD_FIX_YES, DD_FIX_NO, DD_FIX_ALL, DD_FIX_QUIT };

typedef struct {
	const dd_finding *finding;   /* what the fix repairs */
	const char *diff;            /* unified diff of this fix alone */
	const char *const *notes;    /* what it does, one line each */
	size_t nnotes;
	unsigned index, count;       /* question index (1-based) of count in this pass */
} dd_fix_question;

/* Returns DD_FIX_YES (apply), NO (skip it), ALL (this and the rest), QUIT (none of the rest). */
typedef int (*dd_fix_ask_fn)(void *arg, const dd_fix_question *q);

typedef struct {
	const dd_rule *const *only;  /* NULL-terminated, or NULL: every rule */
	const dd_rule *const *skip;  /* NULL-terminated, or NULL */
	/* the user drydock creates; 0 / NULL: templates/users.json's defaults */
	unsigned uid, gid;
	const char *user_name, *group_name;
	/* paths the application writes (--writable), besides declared VOLUMEs */
	const char *const *writable;
	size_t nwritable;
	/*
	 * Secrets in RUN: false = `--mount=type=secret,id=x,env=NAME` (BuildKit,
	 * Docker); true = the file at /run/secrets/x read into NAME by the
	 * script, for engines without env= (buildah and podman of Debian 12).
	 */
	bool secret_file;
	dd_fix_ask_fn ask;           /* NULL: apply every fix */
	void *ask_arg;
} dd_fix_opts;

/* What one fix did or advises, for stderr or --format json. */
typedef struct {
	const dd_rule *rule;
	unsigned pass;         /* 1-based */
	uint32_t line;         /* in that pass's input (pass 1: the original file) */
	char *text;            /* one line, redacted */
	bool applied;          /* false: advice only, or deferred to a later pass */
} dd_fix_note;

typedef struct {
	char *output;          /* the fixed file (malloc'd, NUL-terminated) */
	size_t len;
	unsigned npasses;      /* passes that changed something */
	/* each pass's input and its kept edits, for checks and --interactive */
	char *inputs[DD_FIX_MAX_PASSES];
	size_t input_lens[DD_FIX_MAX_PASSES];
	dd_editset edits[DD_FIX_MAX_PASSES];
	dd_fix_note *notes;
	size_t nnotes;
	char **ignore;         /* entries to add to .dockerignore (DD204) */
	size_t nignore;
	char **build_flags;    /* what the build now needs: "--secret id=npm_token,env=NPM_TOKEN" */
	size_t nbuild_flags;
} dd_fix_result;

/*
 * Fix src (already read). lint_opts as for dd_lint (target, context,
 * config, knowledge); parse_opts may be NULL. Fails with the parse error
 * of src (DD_EPARSE), DD_EUSAGE (unknown --target), or DD_ERROR when a
 * pass produced a file that does not parse (a fixer's bug).
 */
int dd_fix(const dd_source *src, const dd_parse_opts *parse_opts, const dd_lint_opts *lint_opts,
    const dd_fix_opts *fix_opts, dd_fix_result *out);

void dd_fix_result_free(dd_fix_result *r);

/*
 * Values the fixes write into the Dockerfile's shell commands unquoted:
 * a user or group name useradd takes on every distro (a letter or '_',
 * then letters, digits, '_', '.', '-', a final '$'; at most 32 bytes), and
 * an absolute path of letters, digits and / . _ - + @ % : , =.
 */
bool dd_fix_user_name_ok(const char *name, size_t len);
bool dd_fix_plain_path(const char *path);

#endif

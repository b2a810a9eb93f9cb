/*
 * The rule engine as rules see it. A rule is one row of src/rules.def plus
 * one file src/rules/ddNNN.c exporting ddNNN_check and ddNNN_doc (and
 * ddNNN_fix when its row says FIX). Rules
 * never print, never read configuration or pragmas: they look at the
 * document and call dd_report; the engine applies ignores and overrides.
 */
#ifndef DRYDOCK_RULE_H
#define DRYDOCK_RULE_H

#include "drydock/ast.h"
#include "drydock/finding.h"

typedef struct dd_ctx dd_ctx;
typedef struct dd_fixer dd_fixer;

/* What `drydock explain` prints; also feeds SARIF and the README table. */
typedef struct {
	const char *title;    /* one line */
	const char *why;      /* why it matters (a paragraph) */
	const char *fix;      /* what `drydock fix` does, or how to fix by hand */
	const char *bad;      /* a Dockerfile that triggers it */
	const char *good;     /* the same, fixed */
} dd_rule_doc;

struct dd_rule {
	unsigned id;                  /* 101 */
	const char *code;             /* "DD101" */
	const char *slug;             /* "root-user" */
	dd_severity severity;         /* default */
	const char *const *aliases;   /* NULL-terminated: "hadolint:DL3002", "trivy:DS-0002" … */
	void (*check)(dd_ctx *ctx, const dd_doc *doc);
	const dd_rule_doc *doc;
	/* the edits for one finding (see fixer.h), or NULL: the rule only reports */
	void (*fix)(dd_fixer *fx, const dd_doc *doc, const dd_finding *f);
};

extern const dd_rule dd_rules[];
extern const size_t dd_nrules;

/* A rule by code ("DD101", any case), slug, or alias ("DL3002"); NULL if none. */
const dd_rule *dd_rule_find(const char *name);

/*
 * Report a finding of the running rule at span, message printf-style.
 * Returns the finding (to set fixable, or lower the severity) — valid
 * until the next dd_report. The message goes through the secret redactor.
 */
dd_finding *dd_report(dd_ctx *ctx, dd_span span, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Report about an instruction (its keyword's span; pragmas attach to it). */
dd_finding *dd_report_instr(dd_ctx *ctx, const dd_instr *ins, dd_span span, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Append to a finding's message (redacted like the rest). */
void dd_finding_appendf(dd_finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- what rules may ask the context ---------------------------------------- */

/* The document being checked. */
const dd_doc *dd_ctx_doc(const dd_ctx *ctx);

/* The final stage (the last one, or --target's), or NULL when there is none. */
const dd_stage *dd_ctx_final_stage(const dd_ctx *ctx);

/* The build context folder (absolute or relative to the cwd), or NULL if unknown. */
const char *dd_ctx_context_dir(const dd_ctx *ctx);

/* May the build context's walk be shared by every file of the run? */
bool dd_ctx_cache_context(const dd_ctx *ctx);

/* The knowledge base (templates/), or NULL when it could not be loaded. */
const struct dd_knowledge *dd_ctx_knowledge(const dd_ctx *ctx);

/* Registries the config trusts (NULL-terminated list, may be empty). */
const char *const *dd_ctx_trusted_registries(const dd_ctx *ctx);

/* ---- shell scripts of RUN, tokenized once per lint ------------------------------ */

#include "drydock/shell.h"

typedef struct {
	const dd_instr *ins;
	const char *text;        /* the script */
	size_t len;
	bool heredoc;            /* a heredoc body run as the script */
	bool exec;               /* exec form: sh has one command, its words are argv */
	uint32_t base;           /* where text starts: logical-line offset, or source offset for a heredoc */
	dd_shell sh;
} dd_script;

/*
 * The scripts a RUN executes (the shell-form text, heredoc bodies that are
 * scripts, `sh -c` of the exec form, or the exec argv as one command),
 * tokenized once and cached for the whole lint. Returns how many; *out is
 * borrowed from the context.
 */
size_t dd_ctx_scripts(dd_ctx *ctx, const dd_instr *ins, const dd_script **out);

/* The source span of script bytes [a, b). */
dd_span dd_script_span(const dd_ctx *ctx, const dd_script *s, uint32_t a, uint32_t b);

/* ---- facts about stages ------------------------------------------------------------ */

/* How a stage's user was decided. */
typedef enum {
	DD_USER_FROM_INSTR,      /* a USER instruction in the stage */
	DD_USER_FROM_STAGE,      /* inherited from an earlier stage it is built on */
	DD_USER_FROM_IMAGE,      /* the base image's default user (knowledge) */
	DD_USER_DEFAULT          /* nothing says: root */
} dd_user_source;

typedef struct {
	const char *value;       /* the user as written, variables expanded when possible ("app:app", "0") */
	bool root;               /* root, 0, root:x, 0:x, or nothing set */
	bool numeric;            /* uid[:gid] in digits */
	bool unresolved;         /* it holds a variable without a value: unknown */
	dd_user_source source;
	const dd_instr *instr;   /* the USER instruction, when there is one */
} dd_user_fact;

/* The user the stage's containers run as. */
void dd_ctx_stage_user(dd_ctx *ctx, const dd_stage *st, dd_user_fact *out);

/*
 * Does the stage start through a privilege-dropping entrypoint (gosu,
 * su-exec, setpriv, runuser, chroot --userspec, s6-setuidgid)? On yes,
 * *why says how it was seen. Reads the entrypoint script from the build
 * context when it is there.
 */
bool dd_ctx_drops_privileges(dd_ctx *ctx, const dd_stage *st, const char **why);

/*
 * The build-context file at rel (a COPY source, no glob): a NUL-terminated
 * malloc'd copy of its first MiB, or NULL when there is no context, the path
 * leaves it, or it is not a readable regular file. *len gets the size.
 */
char *dd_ctx_read_context_file(dd_ctx *ctx, const char *rel, size_t rlen, size_t *len);

/*
 * Expand the variables of word as BuildKit would at instruction ins of
 * stage st (its ARG and ENV values, global ARGs it redeclares). Returns a
 * string owned by the context, and *unresolved when a variable had no value.
 */
const char *dd_ctx_expand(dd_ctx *ctx, const dd_stage *st, const dd_instr *ins,
    const char *word, size_t len, bool *unresolved);

#endif

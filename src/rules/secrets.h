/* Helpers shared by the secret rules (DD201–DD205): secrets.c, and secretfile.c for DD203's fix. */
#ifndef DD_RULES_SECRETS_H
#define DD_RULES_SECRETS_H

#include "drydock/buf.h"
#include "drydock/fixer.h"
#include "drydock/rule.h"
#include "drydock/secret.h"

/* The first token-format secret in text, or false. */
bool dd_first_secret(const char *text, size_t len, dd_secret_hit *hit);

/* Value without one pair of surrounding quotes. */
void dd_unquote(const char *s, size_t len, const char **out, size_t *olen);

/* The name of the first variable a value refers to ($X, ${X…}), or false. */
bool dd_first_variable(const char *s, size_t len, const char **name, size_t *nlen);

/* Is name an ARG declared before ins (in its stage, or globally)? */
bool dd_is_build_arg(const dd_doc *doc, const dd_instr *ins, const char *name, size_t len);

/* ---- what DD201 and DD202 report, and how their fixes move a secret ---------- */

/* Is s a plain variable name ([A-Za-z_][A-Za-z0-9_]*)? */
bool dd_is_name(const char *s, size_t len);

/* Does text refer to the variable name ($NAME, ${NAME}, ${NAME:-…})? */
bool dd_refers_to(const char *text, size_t len, const char *name, size_t nlen);

/* Does the command of a RUN (shell text, exec argv, heredoc bodies) refer to $name? */
bool dd_run_refers_to(const dd_instr *run, const char *name, size_t nlen);

/* Does the RUN run one of programs (NULL-terminated; past sudo, env …; python -m pip too)? */
bool dd_run_runs(dd_ctx *ctx, const dd_instr *run, const char *const *programs);

/* Does the RUN run a program known to read the variable from its environment (aws: AWS_*)? */
bool dd_run_reads_env(dd_ctx *ctx, const dd_instr *run, const char *name, size_t nlen);

/* An ENV/ARG pair's span, value included. */
dd_span dd_pair_span(const dd_kv *kv);

/* The pair of an ENV/ARG (or the source of a COPY) a finding's span lies in, or SIZE_MAX. */
size_t dd_pair_at(const dd_instr *ins, dd_span span);
size_t dd_source_at(const dd_instr *ins, dd_span span);

/* Does DD202 report this ARG pair: a secret name or default value? */
bool dd_arg_pair_secret(const dd_kv *kv);

typedef enum {
	DD_ENV_CLEAN,
	DD_ENV_SECRET,        /* the value is a secret */
	DD_ENV_FROM_ARG       /* a secret-named variable set from a build argument */
} dd_env_secret;

/* What DD201 reports for an ENV pair; for DD_ENV_FROM_ARG, *var names the build argument. */
dd_env_secret dd_env_pair_secret(const dd_doc *doc, const dd_instr *ins, const dd_kv *kv,
    const char **var, size_t *vlen);

/* The hand fix when secret mounts are not there (Windows images). */
#define DD_WINDOWS_ADVICE \
	"use it only in a build stage that the final image is not built on, " \
	"whose history then does not hold it"

/* Is the stage built on a Windows image (secret mounts and the SSH agent do not work there)? */
bool dd_windows_stage(dd_ctx *ctx, const dd_stage *st);

/*
 * Visit the instructions of st from index from on, then those of the
 * stages built on it, depth first (what a stage's ENV and files reach);
 * fn returns false to leave a branch: the stages built on it are skipped.
 * A NULL st (an instruction before the first FROM) visits nothing.
 */
typedef bool (*dd_scope_visit)(void *p, const dd_instr *ins);
void dd_scope_walk(const dd_doc *doc, const dd_stage *st, size_t from, dd_scope_visit fn, void *p);

/*
 * How the fix of one ARG or ENV pair goes: the RUN lines that get the
 * secret as a mount, more declarations to delete (a global ARG's bare
 * redeclarations that DD202 does not report itself), and, when it cannot
 * be fixed, why and where. Arrays are malloc'd: dd_secret_plan_free.
 */
typedef struct {
	const char *name;         /* the variable the RUN lines read */
	size_t nlen;
	const char *source;       /* where the secret comes from: the ARG of ENV X=$ARG, else name */
	size_t slen;
	dd_env_secret kind;       /* ENV pairs: what DD201 saw */
	const dd_instr **runs;    /* RUN lines to mount it on */
	size_t nruns;
	const dd_instr **decls;   /* more ARG instructions to delete */
	size_t ndecls;
	size_t nuses;             /* RUN lines that use it, mounted already or not */
	const dd_instr *copied;   /* an ENV that copies the ARG, which DD201 moves */
	const char *why;          /* NULL: fixable; else why not */
	const dd_instr *at;       /* the instruction why is about */
	bool windows;             /* why: a Windows image, which has no secret mounts */
} dd_secret_plan;

void dd_arg_plan(dd_ctx *ctx, const dd_doc *doc, const dd_instr *ins, size_t k, dd_secret_plan *out);
void dd_env_plan(dd_ctx *ctx, const dd_doc *doc, const dd_instr *ins, size_t k, dd_secret_plan *out);
void dd_secret_plan_free(dd_secret_plan *p);

/* The --secret id of a name: lower-cased, other characters than [a-z0-9_.-] as '_'. */
void dd_secret_id(dd_buf *out, const char *name, size_t len);

/* why, and "(line N)" when the instruction it is about is not the finding's own. */
void dd_why_text(dd_buf *out, const char *why, const dd_instr *at, const dd_instr *self);

/* "the RUN at line 4", "the RUNs at lines 4, 7 and 9" */
void dd_run_lines(dd_buf *out, const dd_instr *const *runs, size_t n);

/*
 * Remove the items marked in drop from ins (ENV/ARG pairs, or COPY sources
 * followed by the destination, which stays), with the blanks and
 * continuations that separate them; the instruction when every item goes.
 */
void dd_fix_remove_items(dd_fixer *fx, const dd_instr *ins, const dd_span *items, size_t n,
    const bool *drop);

/*
 * Mount the secret on the plan's RUN lines (` --mount=type=secret,id=ID,env=NAME`,
 * ID from the source), ask for the syntax directive and, when RUN lines use
 * it, the build flag `--secret id=ID,env=SOURCE`. *id gets ID, *mount the flag.
 */
void dd_fix_secret_env(dd_fixer *fx, const dd_secret_plan *p, dd_buf *id, dd_buf *mount);

/*
 * Remove pair k of ins, and the other pairs pick says the rule removes too:
 * the fix of the first such pair edits the instruction for all of them
 * (two groups must not overlap), the others leave it alone.
 */
typedef bool (*dd_pick)(dd_ctx *ctx, const dd_doc *doc, const dd_instr *ins, size_t k);
void dd_fix_remove_pairs(dd_fixer *fx, const dd_doc *doc, const dd_instr *ins, size_t k, dd_pick pick);

/* ---- DD203: a key or credential file copied into the image ----------------------------- */

/*
 * How the fix of one COPY/ADD source goes: the RUN lines that run a program
 * reading the file (npm for .npmrc, git or ssh for an SSH key …) get a
 * secret mount at the place the file was copied to, or the SSH agent; why
 * not, when it cannot be done without guessing. Free with dd_file_plan_free.
 */
typedef struct {
	const dd_word *src;       /* the source */
	const char *base;         /* its file name */
	size_t blen;
	const char *const *tools; /* programs that read it (NULL-terminated) */
	bool ssh;                 /* an SSH key: the RUN lines use the SSH agent */
	char *src_path;           /* the source relative to the context */
	char *id;                 /* its --secret id ("npmrc") */
	char *target;             /* where it was copied to (secret files) */
	const dd_instr **runs;    /* RUN lines to mount it on … */
	char **mounts;            /* … with these flags (" --mount=type=secret,id=npmrc,target=…") */
	size_t nruns;
	size_t nuses;             /* RUN lines that read it, mounted already or not */
	dd_buf why;               /* empty: fixable; else why not */
	const dd_instr *at;       /* the instruction why is about */
	bool windows;             /* why: a Windows image, which has no secret mounts */
} dd_file_plan;

void dd_file_plan_make(dd_ctx *ctx, const dd_doc *doc, const dd_instr *ins, size_t k, dd_file_plan *out);
void dd_file_plan_free(dd_file_plan *p);

#endif

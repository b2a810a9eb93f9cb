/*
 * What a rule's fix function may call. A fixer is ddNNN_fix in the rule's
 * own file (src/rules/ddNNN.c), run once per finding that survived pragmas
 * and configuration; everything it does for that finding is one group of
 * edits, kept or dropped whole. Fixers never write files or print: they
 * add edits and notes here, and may ask the same questions of the lint
 * context that checks ask (dd_fixer_ctx).
 *
 * A finding that is not fixable but has `advice` set meets its fixer too:
 * the fixer may then only say what to do by hand (its edits, build flags
 * and .dockerignore entries are ignored, its notes are "to do").
 *
 * Text given to the edit helpers is written with LF line ends and `\` as
 * the continuation character; it is converted to the file's line ending
 * (at that place) and escape character when it is inserted.
 */
#ifndef DRYDOCK_FIXER_H
#define DRYDOCK_FIXER_H

#include "drydock/ast.h"
#include "drydock/fix.h"
#include "drydock/rule.h"

/* The lint context of the pass (final stage, knowledge, users, scripts…). */
dd_ctx *dd_fixer_ctx(dd_fixer *fx);
const dd_fix_opts *dd_fixer_opts(const dd_fixer *fx);
const dd_source *dd_fixer_source(const dd_fixer *fx);

/*
 * Will this pass fix a finding of rule code ("DD302")? For fixes that step
 * aside when a bigger one covers them.
 */
bool dd_fixer_will_fix(const dd_fixer *fx, const char *code);

/* The instruction the finding is about (an ONBUILD trigger when it is in one). */
const dd_instr *dd_fixer_instr(const dd_fixer *fx, const dd_doc *doc, const dd_finding *f);

/* kw ("COPY") in the letter case of the keyword written in ins ("copy", "Copy"). */
const char *dd_fix_keyword_case(const dd_instr *ins, const char *kw, char *buf, size_t size);

/* Replace source bytes [start, end) with text. */
void dd_fix_replace(dd_fixer *fx, uint32_t start, uint32_t end, const char *text);

/* Insert whole lines (each ending in "\n") before the line ins starts on, indented like it. */
void dd_fix_insert_before(dd_fixer *fx, const dd_instr *ins, const char *lines);

/* Insert whole lines after the last line of ins (heredoc bodies included), indented like it. */
void dd_fix_insert_after(dd_fixer *fx, const dd_instr *ins, const char *lines);

/* Delete ins: all its lines, comments inside its continuations included. */
void dd_fix_delete(dd_fixer *fx, const dd_instr *ins);

/* Add a flag (" --mount=type=secret,id=x") after a RUN's keyword and flags. */
void dd_fix_add_flag(dd_fixer *fx, const dd_instr *ins, const char *flag);

/* The output needs BuildKit syntax: add `# syntax=docker/dockerfile:1` unless a syntax directive is there. */
void dd_fix_want_syntax(dd_fixer *fx);

/* Add path to .dockerignore (DD204); the command writes it with --in-place. */
void dd_fix_ignore(dd_fixer *fx, const char *path);

/* Something the build now needs ("--secret id=npm_token,env=NPM_TOKEN"). */
void dd_fix_build_flag(dd_fixer *fx, const char *flag);

/*
 * Say what the fix did (applied) or what to do by hand (not applied), one
 * line, about source line `line` (0: the finding's line).
 */
void dd_fix_note_add(dd_fixer *fx, bool applied, uint32_t line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Offset just after the last line of ins (its line end included), or the file's end. */
uint32_t dd_fix_after_offset(const dd_fixer *fx, const dd_instr *ins);

/* Offset of the start of the line ins begins on. */
uint32_t dd_fix_line_start(const dd_fixer *fx, const dd_instr *ins);

#endif

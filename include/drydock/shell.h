/*
 * A POSIX-shell tokenizer for RUN commands: simple commands, their words
 * (quotes removed, with spans), and how they are joined. Not a full shell
 * parser: enough for rules to ask "is sudo run?", "is curl piped into sh?",
 * "which files does chmod touch?" in linear time.
 *
 * Ownership: dd_shell_parse fills *out with memory from the arena; nothing
 * to free but the arena.
 */
#ifndef DRYDOCK_SHELL_H
#define DRYDOCK_SHELL_H

#include "drydock/common.h"

struct dd_arena;

/* How a command is joined to the next one. */
typedef enum {
	DD_SH_END,        /* last command of the script or of a group */
	DD_SH_SEMI,       /* ; or a newline */
	DD_SH_AND,        /* && */
	DD_SH_OR,         /* || */
	DD_SH_PIPE,       /* | (also |&) */
	DD_SH_BACKGROUND  /* & */
} dd_sh_join;

/* The operator before a redirection target (dd_sh_word.redir). */
typedef enum {
	DD_SH_R_NONE,       /* not a redirection target */
	DD_SH_R_IN,         /* < */
	DD_SH_R_OUT,        /* > and >| */
	DD_SH_R_APPEND,     /* >> */
	DD_SH_R_INOUT,      /* <> */
	DD_SH_R_DUP_IN,     /* <& (the word is a descriptor or -) */
	DD_SH_R_DUP_OUT,    /* >& */
	DD_SH_R_OUT_ALL,    /* &> : stdout and stderr */
	DD_SH_R_APPEND_ALL, /* &>> */
	DD_SH_R_HEREDOC,    /* << and <<- : the word is the delimiter */
	DD_SH_R_HERESTRING  /* <<< */
} dd_sh_redir;

/* Why a command is nested (dd_sh_cmd.nest). */
typedef enum {
	DD_SH_TOP,          /* depth 0 */
	DD_SH_SUBST,        /* inside $(…), `…`, <(…) or >(…) */
	DD_SH_SUBSHELL,     /* inside ( … ) */
	DD_SH_GROUP,        /* inside { …; } (function bodies included) */
	DD_SH_SCRIPT        /* the script argument of sh -c, bash -c, su -c … */
} dd_sh_nest;

/* dd_sh_cmd.parent of a command that has none. */
#define DD_SH_NONE SIZE_MAX

/* Nested scripts deeper than this are skipped as text (dd_shell.too_deep). */
#define DD_SH_MAX_DEPTH 32

typedef struct {
	const char *text;   /* the word with quotes and escapes removed; $x kept as written */
	size_t len;
	uint32_t start;     /* byte range in the script given to dd_shell_parse */
	uint32_t end;
	bool quoted;        /* had quotes or escapes */
	bool has_expansion; /* contains $x, ${x}, $(…) or `…` */
	dd_sh_redir redir;  /* in redirs: the operator; DD_SH_R_NONE elsewhere */
	int fd;             /* in redirs: the descriptor written before it (2>), else -1 */
} dd_sh_word;

typedef struct {
	dd_sh_word *words;  /* argv: words[0] is the command name */
	size_t nwords;
	dd_sh_word *assigns; /* NAME=value prefixes */
	size_t nassigns;
	dd_sh_word *redirs; /* redirection targets (the word after >, >>, <, 2> …) */
	size_t nredirs;
	dd_sh_join join;    /* what follows this command */
	unsigned depth;     /* 0 at top level; +1 inside $(…), `…`, ( … ), { …; }, sh -c '…' */
	uint32_t start, end;
	dd_sh_nest nest;    /* why depth > 0 */
	size_t parent;      /* index in dd_shell.cmds of the command holding the
	                       substitution, the ( … ) / { …; } node or the sh -c
	                       command; DD_SH_NONE at depth 0 and for substitutions
	                       in a for list or case word */
	bool compound;      /* a ( … ) or { …; } node: no words, its commands follow
	                       with parent == this index; it holds the redirections
	                       and join written after the closing ) or } */
} dd_sh_cmd;

typedef struct {
	dd_sh_cmd *cmds;    /* in source order, nested ones included */
	size_t ncmds;
	bool incomplete;    /* unterminated quote or substitution: best effort */
	bool too_deep;      /* something nested past DD_SH_MAX_DEPTH was not tokenized */
} dd_shell;

/*
 * Tokenize script[0..len). `sh -c 'script'`, `bash -c "…"`, and the bodies
 * of $(…) and backticks are tokenized too (depth + 1), with spans into the
 * same script. Never fails: malformed input sets incomplete.
 *
 * Commands are in the order they start: an enclosing command comes before
 * the commands nested in it, and a nested command's span lies inside its
 * parent's. Keywords (if then else elif fi for select while until do done
 * case esac function !) are not commands but separators; for lists, case
 * words and patterns, and function names are skipped; a here-document body
 * inside the script is skipped as data. A << at the end of the script with
 * no body after it (RUN <<EOF: the body is the Dockerfile's) is not
 * incomplete. Assignments alone (x=$(…)) and redirections alone make
 * commands without words. $((…)) is kept as text, not tokenized. Wrappers
 * stay argv, but the -c script of a shell behind one (sudo sh -c '…',
 * xargs bash -c …) is tokenized too. Linear in len; recursion is bounded;
 * memory comes from arena only.
 */
void dd_shell_parse(dd_shell *out, const char *script, size_t len, struct dd_arena *arena);

/* The command name without a path ("/usr/bin/sudo" → "sudo"); "" for NULL. */
const char *dd_sh_basename(const dd_sh_word *w, size_t *len);

/*
 * Does the command have option opt? "--yes" matches "--yes" and "--yes=…";
 * a one-letter "-y" also matches inside a bundle such as "-qy" (up to the
 * first non-letter: "-qO-" holds q and O); any other opt matches exactly.
 * Words after "--" are operands.
 */
bool dd_sh_has_option(const dd_sh_cmd *c, const char *opt);

#endif

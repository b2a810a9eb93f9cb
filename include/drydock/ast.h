/*
 * The typed Dockerfile AST.
 *
 * A dd_doc is built from the tree-sitter tree of one dd_source and reads the
 * file exactly as BuildKit does: the same logical lines, keywords, flags,
 * argument values and heredocs. Every node carries its byte span in the
 * source so that a rewriter can place text exactly.
 *
 * Ownership: dd_doc_parse returns a document the caller frees with
 * dd_doc_free. Everything reachable from it (strings included) lives in the
 * document's arena and is freed with it; all pointers are borrowed. The
 * document keeps a pointer to its dd_source, which must outlive it.
 * Strings are NUL-terminated and also carry their length (values may hold
 * NUL bytes decoded from JSON "\u0000").
 */
#ifndef DRYDOCK_AST_H
#define DRYDOCK_AST_H

#include "drydock/common.h"
#include "drydock/source.h"

/* Instruction kinds, in the order of the grammar's keyword list. */
typedef enum {
	DD_INSTR_FROM,
	DD_INSTR_RUN,
	DD_INSTR_CMD,
	DD_INSTR_LABEL,
	DD_INSTR_MAINTAINER,
	DD_INSTR_EXPOSE,
	DD_INSTR_ENV,
	DD_INSTR_ADD,
	DD_INSTR_COPY,
	DD_INSTR_ENTRYPOINT,
	DD_INSTR_VOLUME,
	DD_INSTR_USER,
	DD_INSTR_WORKDIR,
	DD_INSTR_ARG,
	DD_INSTR_ONBUILD,
	DD_INSTR_STOPSIGNAL,
	DD_INSTR_HEALTHCHECK,
	DD_INSTR_SHELL,
	DD_INSTR__MAX
} dd_instr_kind;

/* Upper-case keyword of a kind ("FROM"). */
const char *dd_instr_kind_name(dd_instr_kind kind);

/*
 * A value and where it is written. span may cover continuations. lo is the
 * offset of the value in its instruction's logical line when it was read
 * from it (see dd_instr_span), else 0.
 */
typedef struct {
	const char *text;
	size_t len;
	dd_span span;
	uint32_t lo;
} dd_word;

/* A flag: BuildKit's string ("--from=build", quotes removed) and its parts. */
typedef struct {
	dd_word raw;        /* as BuildKit stores it, with the dashes */
	const char *name;   /* without the dashes: "from" */
	const char *value;  /* after the first '=', "" when there is none */
	size_t value_len;
	bool has_value;
} dd_flag;

typedef enum {
	DD_MOUNT_BIND,
	DD_MOUNT_CACHE,
	DD_MOUNT_TMPFS,
	DD_MOUNT_SECRET,
	DD_MOUNT_SSH,
	DD_MOUNT_UNKNOWN
} dd_mount_type;

/* A RUN --mount, its CSV fields split (values as written, unexpanded). */
typedef struct {
	dd_mount_type type; /* bind when no type= is given */
	const char *type_name;
	const char *id, *target, *source, *from, *env, *mode, *uid, *gid;
	const char *sharing, *size;
	int required;       /* -1 not given, else 0/1 */
	int readonly;       /* -1 not given, else 0/1 (readonly, ro, rw) */
	const dd_flag *flag;
} dd_mount;

/* A heredoc attached to RUN, COPY or ADD. */
typedef struct {
	const char *name;   /* the delimiter, quotes removed */
	size_t name_len;
	unsigned fd;        /* 3<<EOF → 3; 0 when none given */
	bool chomp;         /* <<- : leading tabs are stripped from the body */
	bool expand;        /* unquoted delimiter: variables are expanded */
	const char *body;   /* the body lines exactly as in the file */
	size_t body_len;
	dd_span body_span;
	dd_span end_span;   /* the terminator line */
} dd_heredoc;

/* NAME=value (or the legacy `NAME value`) of ENV, LABEL, ARG. */
typedef struct {
	dd_word key;        /* as written: quotes and escapes kept */
	dd_word value;      /* idem; empty for `ARG name` */
	bool has_value;     /* ARG name=… or any ENV/LABEL pair */
	bool legacy;        /* the `ENV name value` form */
} dd_kv;

/* An image reference split as Docker does; parts are "" when absent. */
typedef struct {
	const char *text;     /* the reference after ARG substitution */
	const char *registry; /* "docker.io" when none is written */
	const char *path;     /* repository path: "library/debian", "org/app" */
	const char *name;     /* last path component: "debian" */
	const char *tag;
	const char *digest;   /* "sha256:…" */
	bool scratch;         /* FROM scratch */
	bool unresolved;      /* it used a variable with no value */
	bool valid;           /* it parses as a reference */
} dd_image_ref;

typedef struct dd_instr dd_instr;
typedef struct dd_stage dd_stage;
struct dd_logical;

struct dd_instr {
	dd_instr_kind kind;
	dd_word keyword;          /* as written */
	dd_span span;             /* keyword to end of line, heredocs included */
	uint32_t start_line;      /* BuildKit's StartLine / EndLine */
	uint32_t end_line;
	const char *line;         /* the logical line (continuations joined) */
	size_t line_len;
	const struct dd_logical *lmap; /* maps line offsets to the source */

	dd_flag *flags;
	size_t nflags;
	dd_word *args;            /* BuildKit's argument nodes, in order */
	size_t nargs;
	bool json;                /* exec (JSON) form */
	bool empty_continuation;  /* an empty line inside a continuation */

	dd_heredoc *heredocs;
	size_t nheredocs;

	dd_instr *onbuild;        /* ONBUILD's trigger instruction */
	dd_instr *parent;         /* set on a trigger: its ONBUILD */
	dd_stage *stage;          /* NULL before the first FROM */
	size_t index;             /* position in dd_doc.instrs */

	union {
		struct {
			dd_word image;    /* as written */
			dd_image_ref ref; /* after substituting global ARGs */
			dd_word alias;    /* AS name; len 0 when absent */
			const char *platform; /* --platform value or NULL */
		} from;
		struct {
			dd_kv *pairs;     /* ENV, LABEL; ARG declarations */
			size_t npairs;
		} kv;
		struct {
			dd_word user;     /* USER user[:group] */
			dd_word group;    /* len 0 when absent */
			bool has_group;
		} user;
		struct {
			dd_word *sources; /* COPY/ADD sources (heredoc markers included) */
			size_t nsources;
			dd_word dest;     /* len 0 when missing */
		} copy;
		struct {
			/* RUN, CMD, ENTRYPOINT, SHELL, and HEALTHCHECK CMD */
			dd_word *argv;    /* exec form, decoded */
			size_t argc;
			dd_word shell;    /* shell form text; len 0 in exec form */
			dd_mount *mounts; /* RUN --mount */
			size_t nmounts;
		} cmd;
	} as;

	/* HEALTHCHECK: the type (CMD, NONE, other) and, for CMD, as.cmd. */
	dd_word health_type;
};

struct dd_stage {
	size_t index;
	dd_instr *from;
	const char *name;         /* alias lower-cased, or NULL */
	dd_stage *base_stage;     /* FROM an earlier stage's alias */
	size_t first, last;       /* instruction indexes (inclusive) */
};

typedef struct {
	dd_word key;              /* "syntax", "escape", "check" as written */
	dd_word value;
	int kind;                 /* DF_DIRECTIVE_* of df_lex.h */
	dd_span span;
} dd_directive;

typedef struct {
	dd_word text;             /* from '#' to the end of the line */
	bool in_continuation;     /* inside a continued instruction */
} dd_comment;

typedef struct dd_arena dd_arena;

typedef struct dd_doc {
	dd_arena *arena;
	const dd_source *src;
	uint32_t escape;          /* '\\' or '`' */
	dd_directive *directives;
	size_t ndirectives;
	dd_comment *comments;
	size_t ncomments;
	dd_instr **instrs;        /* top-level instructions in order */
	size_t ninstrs;
	dd_stage *stages;
	size_t nstages;
	dd_instr **global_args;   /* ARGs before the first FROM */
	size_t nglobal_args;
	const struct dd_build_arg *build_args; /* as given to dd_doc_parse */
	size_t nbuild_args;
} dd_doc;

/* A build argument given on the command line (--build-arg NAME=VALUE). */
typedef struct dd_build_arg {
	const char *name;
	const char *value;
} dd_build_arg;

typedef struct {
	const dd_build_arg *build_args;
	size_t nbuild_args;
} dd_parse_opts;

/*
 * Parse src. On error returns DD_EPARSE with "path:line:col: error: …" in the
 * error slot (BuildKit's message where BuildKit has one) and *out == NULL.
 * opts may be NULL.
 */
int dd_doc_parse(dd_doc **out, const dd_source *src, const dd_parse_opts *opts);

void dd_doc_free(dd_doc *doc);

/* The final stage (the last one, or the one named target), or NULL. */
const dd_stage *dd_doc_stage(const dd_doc *doc, const char *target);

/* The source span of bytes [a, b) of an instruction's logical line. */
dd_span dd_instr_span(const dd_doc *doc, const dd_instr *ins, size_t a, size_t b);

/* The flag named name ("from") of an instruction, or NULL. Borrowed. */
const dd_flag *dd_instr_flag(const dd_instr *ins, const char *name);

#endif

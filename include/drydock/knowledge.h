/*
 * What drydock knows about base images, loaded from the JSON files of
 * templates/ at start-up: distribution families, users images ship, slim and distroless
 * replacements, toolchain images, end-of-life releases.
 *
 * Ownership: every string handed out (dd_image_info fields, recipes, names)
 * is borrowed from the dd_knowledge and lives until dd_knowledge_free, so a
 * dd_image_info may be copied freely. A loaded dd_knowledge is read-only and
 * may be shared between threads.
 */
#ifndef DRYDOCK_KNOWLEDGE_H
#define DRYDOCK_KNOWLEDGE_H

#include "drydock/ast.h"

typedef enum {
	DD_FAMILY_UNKNOWN,
	DD_FAMILY_DEBIAN,      /* debian, and images built on it (python, node, golang …) */
	DD_FAMILY_UBUNTU,
	DD_FAMILY_ALPINE,
	DD_FAMILY_BUSYBOX,
	DD_FAMILY_RHEL,        /* ubi, fedora, centos, rocky, alma, oraclelinux */
	DD_FAMILY_UBI_MINIMAL, /* microdnf, no shadow-utils */
	DD_FAMILY_AMAZON,      /* amazonlinux: no shadow-utils in the minimal image */
	DD_FAMILY_DISTROLESS,
	DD_FAMILY_CHAINGUARD,  /* cgr.dev/chainguard, Wolfi */
	DD_FAMILY_SCRATCH,
	DD_FAMILY_WINDOWS,
	DD_FAMILY__MAX
} dd_family;

/* "debian", "ubi-minimal" … ("unknown" for DD_FAMILY_UNKNOWN and out-of-range values). */
const char *dd_family_name(dd_family f);

/* The family named name (as dd_family_name spells it); false when none is. */
bool dd_family_from_name(const char *name, dd_family *out);

typedef struct {
	dd_family family;
	bool known;              /* the image is in the tables */
	/* user the image runs as when no USER is given, NULL = root */
	const char *default_user;
	/* a non-root user the image ships (node: "node" 1000:1000), or NULL */
	const char *shipped_user;
	unsigned shipped_uid, shipped_gid; /* 0 when unknown (Windows' ContainerUser) */
	/* its own entrypoint starts as root and drops to its user with this tool (gosu), or NULL */
	const char *entrypoint_drops;
	/* why its program expects root at start (nginx's port 80 and pid file), or NULL */
	const char *root_note;
	bool fat;                /* a full OS or language image with a slimmer variant */
	bool toolchain;          /* compilers/SDK: golang, maven, gradle, rust, gcc, node (build) … */
	const char *slim;        /* a slim reference for this one ("python:3.12-slim"), or NULL */
	const char *distroless;  /* a runtime image for a multi-stage build, or NULL */
	/* the runtime image for a fully static binary, and for one linked against glibc (or NULL) */
	const char *distroless_static, *distroless_dynamic;
	/* the language whose programs the image builds ("go", "rust", "c", "node", "python", "java"), or NULL */
	const char *lang;
	/* a tag to pin `FROM image` / `image:latest` to ("3.13"), or NULL */
	const char *pin;
	/* the image's own ENTRYPOINT, when the tables know it (distroless nodejs: /nodejs/bin/node) */
	const char *const *entrypoint;
	size_t nentrypoint;
	const char *eol;         /* "2024-06-30" when the release is past end of life, else NULL */
	const char *eol_release; /* "debian 10 (buster)" */
} dd_image_info;

typedef struct dd_knowledge dd_knowledge;

/*
 * Load every .json file of dir, in name order. A file that cannot be
 * read, is not JSON, or does not have the expected structure fails with
 * DD_EPARSE and "file:line:col: error: …" in the error slot (the position of
 * the offending key or value; 1:1 when there is none). A folder that cannot
 * be opened or holds no .json file fails with DD_ENOTFOUND. Free with
 * dd_knowledge_free.
 */
int dd_knowledge_load(dd_knowledge **out, const char *dir);

/*
 * The templates folder: $DRYDOCK_TEMPLATES when set and not empty; else
 * the first folder that exists of, in this order,
 *   <folder of the executable>/../share/drydock/templates  (installed)
 *   <folder of the executable>/templates                   (a build in the source tree)
 *   PREFIX/share/drydock/templates  (DD_PREFIX_TEMPLATES, compiled in by make)
 *   the source tree's templates/    (DD_SOURCE_TEMPLATES, compiled in by make);
 * else "templates" (relative to the current folder). Borrowed: the
 * environment's string or a buffer computed once.
 */
const char *dd_knowledge_default_dir(void);

/*
 * The search of dd_knowledge_default_dir without the environment, for
 * given places: exe is the executable's path (or NULL), prefix_dir and
 * source_dir the compiled-in folders (or NULL). Writes the folder found
 * into out (outlen bytes) and returns true; false leaves out unchanged.
 */
bool dd_knowledge_search_dir(char *out, size_t outlen, const char *exe, const char *prefix_dir,
    const char *source_dir);

void dd_knowledge_free(dd_knowledge *kb);

/* The date the facts were checked ("2026-11-28"): the oldest of the files'. */
const char *dd_knowledge_checked(const dd_knowledge *kb);

/*
 * What is known of an image reference (after ARG resolution). Borrowed
 * strings. Never fails: an image missing from the tables gets known = false
 * and, when its tag or name says so, a family ("x/app:1-alpine" → alpine).
 * A reference to an earlier stage is not resolved here: look at the stage's
 * own base (dd_stage.base_stage).
 */
void dd_knowledge_image(const dd_knowledge *kb, const dd_image_ref *ref, dd_image_info *out);

/*
 * How to give an image of a family a non-root user (templates/users.json).
 * Strings may hold the placeholders {uid} {gid} {name} {group}; fill them
 * with dd_knowledge_fill.
 */
typedef struct {
	const char *run;   /* body of one RUN creating the user; NULL: no shell or no tools */
	const char *user;  /* the USER argument ("{uid}:{gid}", "65532:65532", "ContainerUser") */
	const char *chown; /* the COPY --chown argument, or NULL where --chown does not apply */
	const char *note;  /* one line explaining the choice */
} dd_user_recipe;

/* The values drydock uses when it creates a user (10001:10001 "app" by default). */
typedef struct {
	unsigned uid, gid;
	const char *name, *group;
} dd_user_vars;

/* The recipe of family f (every family has one). Borrowed, never NULL. */
const dd_user_recipe *dd_knowledge_users(const dd_knowledge *kb, dd_family f);

/* The default uid, gid, user and group names. Borrowed, never NULL. */
const dd_user_vars *dd_knowledge_user_defaults(const dd_knowledge *kb);

/*
 * tmpl with {uid} {gid} {name} {group} replaced from vars; other text is
 * copied. Returns a malloc'd string the caller frees, or NULL when tmpl is
 * NULL.
 */
char *dd_knowledge_fill(const char *tmpl, const dd_user_vars *vars);

#endif

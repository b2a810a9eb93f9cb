/*
 * The run-time half of the controls, which a Dockerfile cannot express:
 * read-only root filesystem with tmpfs for the paths the application
 * writes, every capability dropped (NET_BIND_SERVICE added back for a port
 * below 1024), no new privileges, the image's own non-root user. Computed
 * from the final stage, written through templates/runtime/<format>.tmpl as
 * docker run flags, a Compose service or a Kubernetes pod spec fragment.
 */
#ifndef DRYDOCK_RUNTIME_H
#define DRYDOCK_RUNTIME_H

#include "drydock/ast.h"
#include "drydock/buf.h"
#include "drydock/lint.h"

typedef struct {
	/*
	 * What --user gets: "10001:10001", "10001", or a name ("app") when its
	 * uid is not known; NULL when the stage runs as root or its user
	 * cannot be worked out (notes say which).
	 */
	char *user;
	bool has_uid, has_gid;   /* numeric ids, for Kubernetes */
	unsigned uid, gid;
	bool root;               /* the final stage runs as root */
	char **writable;         /* /tmp, the VOLUMEs, then --writable; no duplicates */
	size_t nwritable;
	char **caps;             /* capabilities to add back ("NET_BIND_SERVICE") */
	size_t ncaps;
	unsigned low_port;       /* the lowest exposed port below 1024, or 0 */
	char **notes;            /* what the settings cannot say, one line each */
	size_t nnotes;
} dd_runtime;

/*
 * The settings of doc's final stage (opts->target, else the last one).
 * writable: more absolute paths the application writes. opts->kb resolves
 * the base image's user and the users images ship. DD_EUSAGE for an
 * unknown --target, DD_EPARSE for a file without a stage. Free with
 * dd_runtime_free.
 */
int dd_runtime_compute(dd_runtime *out, const dd_doc *doc, const dd_lint_opts *opts,
    const char *const *writable, size_t nwritable);
void dd_runtime_free(dd_runtime *rt);

/* What the template names besides the settings: {image}, {name}, {source}. */
typedef struct {
	const char *image;       /* the image reference */
	const char *name;        /* container or service name */
	const char *source;      /* the Dockerfile's path, for comments */
} dd_runtime_names;

/*
 * Fill a template with rt and names (placeholders: user, uid, gid, image,
 * name, source; lists writable {path, volume} and cap_add {cap}). volume is
 * a Kubernetes volume name made from the path ("/var/cache/app" →
 * "var-cache-app"). See template.h for errors.
 */
int dd_runtime_render(dd_buf *out, const dd_runtime *rt, const dd_runtime_names *names,
    const char *tmpl_path, const char *tmpl, size_t len);

#endif

/*
 * Container engines: find docker, podman or buildah on PATH, read a build
 * command line the way the engine reads it (its Dockerfile, context, tags,
 * build arguments), run the engine with fork + execve — never through a
 * shell — and ask it what a built image holds.
 */
#ifndef DRYDOCK_ENGINE_H
#define DRYDOCK_ENGINE_H

#include "drydock/buf.h"
#include "drydock/imagecheck.h"

typedef enum {
	DD_ENGINE_DOCKER,
	DD_ENGINE_PODMAN,
	DD_ENGINE_BUILDAH,
	DD_ENGINE__MAX
} dd_engine_kind;

typedef struct {
	dd_engine_kind kind;
	const char *name;     /* "podman" (static) */
	char *path;           /* "/usr/bin/podman" (owned) */
} dd_engine;

/*
 * want is "auto" (docker, then podman, then buildah: the first found on
 * PATH) or an engine's name. DD_EUSAGE for an unknown name, DD_EENGINE
 * when none is found (the message says which were looked for). Free with
 * dd_engine_free.
 */
int dd_engine_find(dd_engine *out, const char *want);
void dd_engine_free(dd_engine *e);

/* The executable name would run from PATH (as execvp finds it), malloc'd, or NULL. */
char *dd_engine_which(const char *name);

/* The engine's build subcommand: "build" (docker, podman) or "bud" (buildah). */
const char *dd_engine_build_cmd(dd_engine_kind kind);

/*
 * A build command line (the words after `build`/`bud`), read as the
 * engines read it: options with a value (-f FILE, -fFILE, --file FILE,
 * --file=FILE, short groups as -qf FILE), switches, "--", and the
 * positional context. Strings point into argv (borrowed); arrays are
 * malloc'd (dd_build_cmdline_free).
 */
typedef struct {
	const char *file;          /* -f/--file value, or NULL */
	int file_at;               /* index of the word that starts the -f option, -1 */
	int file_words;            /* words it takes: 1 (inline value) or 2 */
	int file_keep;             /* characters of word file_at to keep ("-q" of "-qf"), 0 */
	const char *context;       /* the positional argument, or NULL */
	const char *target;
	const char *iidfile;
	const char **tags;
	size_t ntags;
	const char **build_args;   /* "NAME=VALUE" or "NAME" */
	size_t nbuild_args;
	const char **secrets;      /* --secret values: "id=x,env=Y" */
	size_t nsecrets;
} dd_build_cmdline;

/* DD_EUSAGE for two -f, two contexts, or an option missing its value. */
int dd_build_cmdline_parse(dd_build_cmdline *out, int argc, char *const *argv);
void dd_build_cmdline_free(dd_build_cmdline *c);

/*
 * The Dockerfile the engine will read and its context folder (both
 * malloc'd): docker takes -f as given (default CONTEXT/Dockerfile) and
 * needs a context; podman and buildah try -f as given, then under the
 * context (default CONTEXT/Containerfile, else CONTEXT/Dockerfile), and
 * default the context to the Dockerfile's folder, else ".". DD_EUSAGE for
 * what drydock cannot read before the engine does: -f - or a context on
 * standard input, a URL or git context, a URL Dockerfile.
 */
int dd_build_cmdline_resolve(const dd_build_cmdline *c, dd_engine_kind kind, char **dockerfile,
    char **context);

/* Does c give a `--secret` whose id= is id? */
bool dd_build_cmdline_has_secret(const dd_build_cmdline *c, const char *id, size_t len);

/*
 * Run argv (argv[0] a path: execve, no PATH search, no shell) with the
 * environment of drydock. Standard input and error are drydock's; standard
 * output too, or read into *out when out is not NULL. SIGINT, SIGTERM and
 * SIGHUP sent to drydock meanwhile go to the child (cleanup.h). Returns its
 * exit status (0–255), 128 + N when a signal N ended it, or DD_EENGINE when
 * it could not be started (message set).
 */
int dd_engine_exec(char *const *argv, dd_buf *out);

/*
 * Ask the engine what image ref holds (inspect, and `docker image history`
 * for docker) into *out. DD_EENGINE when the engine fails (it has said why
 * on standard error), DD_EPARSE when its answer cannot be read.
 */
int dd_engine_inspect(const dd_engine *e, const char *ref, dd_image_meta *out);

#endif

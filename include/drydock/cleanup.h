/*
 * Temporary files that must not outlive the command, signals included.
 *
 * `drydock build` writes a fixed Dockerfile, an image-ID file and maybe an
 * image archive into one private folder (mkdtemp). While that folder
 * exists, SIGINT, SIGTERM and SIGHUP remove it and then end the process
 * with the same signal (re-raised with the default action). While an
 * engine runs (dd_cleanup_child), such a signal is passed on to the engine
 * instead, so that it can stop its own work; the caller removes the folder
 * when the engine has exited and re-raises (dd_cleanup_pending).
 *
 * This is process-wide state, the one mutable global besides the error
 * slot: a signal handler has nowhere else to look. One folder at a time,
 * at most DD_CLEANUP_MAX files in it.
 */
#ifndef DRYDOCK_CLEANUP_H
#define DRYDOCK_CLEANUP_H

#include <sys/types.h>

#define DD_CLEANUP_MAX 8

/*
 * Make the private folder ($TMPDIR or /tmp, "drydock-<what>.XXXXXX") and
 * install the signal handlers. *dir_out is malloc'd (caller frees).
 * DD_EIO when it cannot be made, DD_ERROR when one exists already.
 */
int dd_cleanup_mkdtemp(char **dir_out, const char *what);

/*
 * The path of name in the folder, registered for removal (malloc'd, the
 * caller frees the string; the file is removed by dd_cleanup_run).
 * NULL when there is no folder, the path is too long or DD_CLEANUP_MAX
 * files are registered.
 */
char *dd_cleanup_file(const char *name);

/* Remove the registered files and the folder, restore the signal handlers. Idempotent. */
void dd_cleanup_run(void);

/* The engine that runs now (0: none): signals go to it, not to the folder. */
void dd_cleanup_child(pid_t pid);

/* The signal that arrived while a child ran, or 0. */
int dd_cleanup_pending(void);

/* dd_cleanup_run, then end the process with sig as if it had not been caught. */
void dd_cleanup_reraise(int sig);

#endif

/* Atomic file replacement: temporary file, fsync, rename, fsync the folder. */
#include "drydock/fsutil.h"
#include "drydock/alloc.h"
#include "drydock/error.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int
fail(const char *path, const char *what)
{
	return dd_error_set(DD_EIO, "%s: %s: %s", path, what, strerror(errno));
}

int
dd_write_atomic(const char *path, const char *data, size_t len, unsigned new_mode)
{
	/* write through a symbolic link: replace its target, keep the link */
	char real[PATH_MAX];
	const char *target = path;
	struct stat st;
	bool exists = lstat(path, &st) == 0;
	if (exists && S_ISLNK(st.st_mode)) {
		if (!realpath(path, real))
			return fail(path, "cannot resolve the link");
		target = real;
		exists = stat(target, &st) == 0;
	}
	if (exists && !S_ISREG(st.st_mode))
		return dd_error_set(DD_EIO, "%s: not a regular file", path);

	char *copy = dd_xstrdup(target);
	char *dir = dd_xstrdup(dirname(copy));
	free(copy);
	size_t tlen = strlen(target) + 32;
	char *tmp = dd_xmalloc(tlen);
	snprintf(tmp, tlen, "%s.drydock-XXXXXX", target);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		int rc = fail(path, "cannot create a temporary file beside it");
		free(tmp);
		free(dir);
		return rc;
	}
	int rc = DD_OK;
	mode_t mode = exists ? st.st_mode & 07777 : 0;
	if (!exists) {
		mode_t um = umask(0);
		umask(um);
		mode = (mode_t)new_mode & ~um;
	}
	for (size_t off = 0; rc == DD_OK && off < len;) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			rc = fail(path, "cannot write the new contents");
		else
			off += (size_t)w;
	}
	if (rc == DD_OK && fchmod(fd, mode) < 0)
		rc = fail(path, "cannot set the mode");
	if (rc == DD_OK && exists && (st.st_uid != getuid() || st.st_gid != getgid()))
		(void)!fchown(fd, st.st_uid, st.st_gid); /* best effort: only root may give files away */
	if (rc == DD_OK && fsync(fd) < 0)
		rc = fail(path, "cannot flush the new contents");
	if (close(fd) < 0 && rc == DD_OK)
		rc = fail(path, "cannot close the new contents");
	if (rc == DD_OK && rename(tmp, target) < 0)
		rc = fail(path, "cannot replace the file");
	if (rc != DD_OK)
		unlink(tmp);
	if (rc == DD_OK) {
		/* the rename itself must reach the disk */
		int dfd = open(dir, O_RDONLY | O_DIRECTORY);
		if (dfd >= 0) {
			(void)fsync(dfd);
			close(dfd);
		}
	}
	free(tmp);
	free(dir);
	return rc;
}

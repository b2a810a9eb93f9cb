/* Writing files safely. */
#ifndef DRYDOCK_FSUTIL_H
#define DRYDOCK_FSUTIL_H

#include <stddef.h>

/*
 * Replace the contents of path with data, atomically: a temporary file in
 * the same folder is written, flushed to disk and renamed over it, so a
 * crash leaves the old file or the new one, never half of one. The file's
 * mode (and owner, when allowed) is kept; a symbolic link's target is
 * written and the link stays. A missing file is created with mode
 * new_mode (less the umask). DD_EIO with "path: reason" on failure; the
 * original is then untouched.
 */
int dd_write_atomic(const char *path, const char *data, size_t len, unsigned new_mode);

#endif

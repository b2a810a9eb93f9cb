/* Reading a Dockerfile: bytes, checks that BuildKit or a text file implies, line index. */
#include "drydock/source.h"
#include "drydock/alloc.h"
#include "drydock/buf.h"
#include "drydock/error.h"

#include "df_unicode.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_SIZE DD_MAX_FILE

static int
read_fd(int fd, dd_buf *b)
{
	char chunk[65536];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			return 0;
		if (b->len + (size_t)n > MAX_SIZE) {
			errno = EFBIG;
			return -1;
		}
		dd_buf_put(b, chunk, (size_t)n);
	}
}

static int
io_error(const char *path, const char *what)
{
	return dd_error_set(DD_EIO, "%s:1:1: error: %s", path, what);
}

int
dd_source_read(dd_source **out, const char *path)
{
	dd_buf b = DD_BUF_INIT;
	int fd = 0;
	*out = NULL;
	if (strcmp(path, "-") != 0) {
		struct stat st;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return io_error(path, strerror(errno));
		if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
			close(fd);
			return io_error(path, "is a folder, not a Dockerfile");
		}
		/* refused before reading: a huge (or sparse) file is not a Dockerfile */
		if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > DD_MAX_FILE) {
			close(fd);
			return io_error(path, "file larger than 64 MiB (drydock's limit for a Dockerfile)");
		}
	}
	int rc = read_fd(fd, &b);
	int saved = errno;
	if (fd != 0)
		close(fd);
	if (rc < 0) {
		dd_buf_free(&b);
		return io_error(path, saved == EFBIG ? "file larger than 64 MiB (drydock's limit for a Dockerfile)"
		                                     : strerror(saved));
	}
	rc = dd_source_from_bytes(out, path, b.ptr ? b.ptr : "", b.len);
	dd_buf_free(&b);
	return rc;
}

/* Check the bytes: text, valid UTF-8, lines within BuildKit's limit. */
static int
check_bytes(dd_source *src)
{
	const unsigned char *p = (const unsigned char *)src->data;
	size_t i = 0, line_start = 0;
	while (i < src->len) {
		unsigned char c = p[i];
		if (c == '\n') {
			if (i - line_start > DD_MAX_LINE)
				return dd_source_error(src, (uint32_t)(line_start + DD_MAX_LINE), DD_EPARSE,
				    "line longer than %d bytes (BuildKit's limit)", DD_MAX_LINE);
			line_start = ++i;
			continue;
		}
		if (c == 0)
			return dd_source_error(src, (uint32_t)i, DD_EPARSE,
			    "NUL byte: this is not a text file");
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t w;
		uint32_t cp = df_utf8_decode(p + i, src->len - i, &w);
		if (cp == DF_RUNE_ERROR && w == 1)
			return dd_source_error(src, (uint32_t)i, DD_EPARSE,
			    "invalid UTF-8 (byte 0x%02x); save the file as UTF-8", c);
		i += w;
	}
	if (src->len - line_start > DD_MAX_LINE)
		return dd_source_error(src, (uint32_t)(line_start + DD_MAX_LINE), DD_EPARSE,
		    "line longer than %d bytes (BuildKit's limit)", DD_MAX_LINE);
	return DD_OK;
}

static void
index_lines(dd_source *src)
{
	size_t cap = 64, n = 0;
	uint32_t *lines = dd_xmalloc(cap * sizeof(*lines));
	lines[n++] = 0;
	for (size_t i = 0; i < src->len; i++) {
		if (src->data[i] != '\n')
			continue;
		if (i > 0 && src->data[i - 1] == '\r')
			src->crlf = true;
		if (i + 1 >= src->len)
			break;
		if (n == cap) {
			cap *= 2;
			lines = dd_xreallocarray(lines, cap, sizeof(*lines));
		}
		lines[n++] = (uint32_t)(i + 1);
	}
	src->lines = lines;
	src->nlines = (uint32_t)n;
}

int
dd_source_from_bytes(dd_source **out, const char *path, const char *data, size_t len)
{
	*out = NULL;
	if (len > MAX_SIZE)
		return io_error(path, "file larger than 64 MiB (drydock's limit for a Dockerfile)");
	dd_source *src = dd_xcalloc(1, sizeof(*src));
	src->path = dd_xstrdup(path);
	src->data = dd_xstrndup(data, len);
	src->len = len;
	src->bom = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0;
	index_lines(src);
	int rc = check_bytes(src);
	if (rc < 0) {
		dd_source_free(src);
		return rc;
	}
	*out = src;
	return DD_OK;
}

void
dd_source_free(dd_source *src)
{
	if (!src)
		return;
	free(src->path);
	free(src->data);
	free(src->lines);
	free(src);
}

void
dd_source_position(const dd_source *src, uint32_t offset, uint32_t *line, uint32_t *col)
{
	uint32_t lo = 0, hi = src->nlines;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (src->lines[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	*line = lo + 1;
	*col = offset - src->lines[lo] + 1;
}

dd_span
dd_source_span(const dd_source *src, uint32_t start, uint32_t end)
{
	dd_span s;
	s.start = start;
	s.end = end;
	dd_source_position(src, start, &s.line, &s.col);
	dd_source_position(src, end, &s.end_line, &s.end_col);
	return s;
}

void
dd_source_line(const dd_source *src, uint32_t n, const char **text, size_t *len)
{
	if (n < 1 || n > src->nlines) {
		*text = "";
		*len = 0;
		return;
	}
	size_t a = src->lines[n - 1];
	size_t b = n < src->nlines ? src->lines[n] : src->len;
	while (b > a && (src->data[b - 1] == '\n' || src->data[b - 1] == '\r'))
		b--;
	*text = src->data + a;
	*len = b - a;
}

int
dd_source_error(const dd_source *src, uint32_t offset, int code, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	uint32_t line, col;
	dd_source_position(src, offset, &line, &col);
	dd_error_set(code, "%s:%u:%u: error: %s", src->path, line, col, msg);
	const char *text;
	size_t len;
	dd_source_line(src, line, &text, &len);
	dd_error_set_context(text, len, col);
	return code;
}

/* dd_buf: a growable byte buffer, always NUL-terminated after the first write. */
#ifndef DRYDOCK_BUF_H
#define DRYDOCK_BUF_H

#include <stddef.h>
#include <stdarg.h>

typedef struct {
	char *ptr;  /* NULL until something is written */
	size_t len;
	size_t cap;
} dd_buf;

#define DD_BUF_INIT { NULL, 0, 0 }

void dd_buf_grow(dd_buf *b, size_t extra);
void dd_buf_put(dd_buf *b, const void *data, size_t len);
void dd_buf_puts(dd_buf *b, const char *s);
void dd_buf_putc(dd_buf *b, int c);
void dd_buf_printf(dd_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void dd_buf_vprintf(dd_buf *b, const char *fmt, va_list ap);
/* Append the UTF-8 encoding of code point cp. */
void dd_buf_put_utf8(dd_buf *b, unsigned cp);
void dd_buf_clear(dd_buf *b);
/* Hand the bytes to the caller (free with free()); b is reset. Never NULL. */
char *dd_buf_detach(dd_buf *b, size_t *len_out);
void dd_buf_free(dd_buf *b);

#endif

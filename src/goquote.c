/* Go's strconv.Quote and %q of a []string, as BuildKit's AST dump prints them. */
#include "goquote.h"

#include <stdint.h>
#include <string.h>

#include "df_unicode.h"

static void
put_hex(dd_buf *out, char kind, uint32_t v, int digits)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[10];

	tmp[0] = '\\';
	tmp[1] = kind;
	for (int i = digits - 1; i >= 0; i--) {
		tmp[2 + i] = hex[v & 0xF];
		v >>= 4;
	}
	dd_buf_put(out, tmp, (size_t)digits + 2);
}

/* A valid code point that is neither printable nor '"' or '\\'. */
static void
put_escaped(dd_buf *out, uint32_t r)
{
	/* \a \b \t \n \v \f \r are 0x07 to 0x0D in order. */
	static const char named[] = "abtnvfr";

	if (r >= 0x07 && r <= 0x0D) {
		dd_buf_putc(out, '\\');
		dd_buf_putc(out, named[r - 0x07]);
	} else if (r < 0x20 || r == 0x7F) {
		put_hex(out, 'x', r, 2);
	} else if (r < 0x10000) {
		put_hex(out, 'u', r, 4);
	} else {
		put_hex(out, 'U', r, 8);
	}
}

void
dd_go_quote(dd_buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	dd_buf_putc(out, '"');
	while (i < len) {
		size_t run = i, w;
		uint32_t r;

		/* Plain printable ASCII is copied in one go. */
		while (run < len && p[run] >= 0x20 && p[run] < 0x7F &&
		    p[run] != '"' && p[run] != '\\')
			run++;
		dd_buf_put(out, p + i, run - i);
		if ((i = run) == len)
			break;
		r = df_utf8_decode(p + i, len - i, &w);
		if (r == DF_RUNE_ERROR && w == 1) {
			put_hex(out, 'x', p[i], 2); /* one per invalid byte */
		} else if (r == '"' || r == '\\') {
			dd_buf_putc(out, '\\');
			dd_buf_putc(out, (int)r);
		} else if (df_uc_is_print(r)) {
			dd_buf_put(out, p + i, w);
		} else {
			put_escaped(out, r);
		}
		i += w;
	}
	dd_buf_putc(out, '"');
}

void
dd_go_quote_list(dd_buf *out, const char *const *items, const size_t *lens,
    size_t n)
{
	dd_buf_putc(out, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			dd_buf_putc(out, ' ');
		dd_go_quote(out, items[i], lens ? lens[i] : strlen(items[i]));
	}
	dd_buf_putc(out, ']');
}

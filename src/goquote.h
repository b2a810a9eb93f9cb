/* Go's strconv.Quote and fmt's %q of a []string, byte for byte, for dumps
 * that must match BuildKit's. */
#ifndef DRYDOCK_GOQUOTE_H
#define DRYDOCK_GOQUOTE_H

#include <stddef.h>

#include "drydock/buf.h"

/*
 * Append strconv.Quote(s[0..len)) to out, double quotes included: invalid
 * UTF-8 bytes as \xNN, printable code points raw, the rest escaped.
 */
void dd_go_quote(dd_buf *out, const char *s, size_t len);

/*
 * Append fmt.Sprintf("%q", items) for a Go []string of n items: "[", the
 * quoted items separated by single spaces, "]". lens[i] is the length of
 * items[i]; lens may be NULL when every item is NUL-terminated.
 */
void dd_go_quote_list(dd_buf *out, const char *const *items,
    const size_t *lens, size_t n);

#endif

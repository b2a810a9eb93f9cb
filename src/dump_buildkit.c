/* BuildKit's AST dump (parser.Node.Dump plus a newline), byte for byte. */
#include "drydock/dump.h"

#include "goquote.h"

#include <stdlib.h>

static void
dump_instr(dd_buf *out, const dd_instr *ins)
{
	/* keywords are ASCII: any other word failed to parse */
	for (size_t i = 0; i < ins->keyword.len; i++) {
		char c = ins->keyword.text[i];
		dd_buf_putc(out, c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	if (ins->nflags) {
		const char **items = malloc(ins->nflags * sizeof(*items));
		size_t *lens = malloc(ins->nflags * sizeof(*lens));
		for (size_t i = 0; i < ins->nflags; i++) {
			items[i] = ins->flags[i].raw.text;
			lens[i] = ins->flags[i].raw.len;
		}
		dd_buf_putc(out, ' ');
		dd_go_quote_list(out, (const char *const *)items, lens, ins->nflags);
		free(items);
		free(lens);
	}
	if (ins->kind == DD_INSTR_ONBUILD && ins->onbuild) {
		dd_buf_puts(out, " (");
		dump_instr(out, ins->onbuild);
		dd_buf_putc(out, ')');
		return;
	}
	for (size_t i = 0; i < ins->nargs; i++) {
		dd_buf_putc(out, ' ');
		dd_go_quote(out, ins->args[i].text, ins->args[i].len);
	}
}

void
dd_dump_buildkit(dd_buf *out, const dd_doc *doc)
{
	for (size_t i = 0; i < doc->ninstrs; i++) {
		dd_buf_putc(out, '(');
		dump_instr(out, doc->instrs[i]);
		dd_buf_puts(out, ")\n");
	}
}

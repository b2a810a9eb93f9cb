/* Error printing and exit statuses shared by the subcommands. */
#include "cmd.h"

#include "drydock/common.h"
#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/fix.h"
#include "drydock/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

char *
dd_cmd_error_text(void)
{
	dd_buf b = DD_BUF_INIT;
	dd_buf_printf(&b, "%s\n", dd_error_last());
	const char *line;
	size_t len;
	uint32_t col;
	if (dd_error_context(&line, &len, &col)) {
		dd_buf_printf(&b, "  | %.*s\n  | ", (int)len, line);
		/* one blank per character (tabs kept) so the caret lines up */
		for (uint32_t i = 1; i < col && i <= len; i++) {
			unsigned char c = (unsigned char)line[i - 1];
			if ((c & 0xC0) == 0x80)
				continue; /* a UTF-8 continuation byte */
			dd_buf_putc(&b, c == '\t' ? '\t' : ' ');
		}
		dd_buf_puts(&b, "^\n");
	}
	return dd_buf_detach(&b, NULL);
}

void
dd_cmd_print_error(void)
{
	char *text = dd_cmd_error_text();
	fputs(text, stderr);
	free(text);
}

int
dd_cmd_exit_for(int code)
{
	switch (code) {
	case DD_OK:
		return DD_EXIT_OK;
	case DD_EPARSE:
	case DD_EIO:
	case DD_EUSAGE:
	case DD_ENOTFOUND:
		return DD_EXIT_INPUT;
	default:
		return DD_EXIT_INTERNAL;
	}
}

int
dd_cmd_usage_error(const char *cmd)
{
	fprintf(stderr, "drydock %s: %s\nTry 'drydock %s --help'.\n", cmd, dd_error_last(), cmd);
	return DD_EXIT_INPUT;
}

int
dd_cmd_add_writable(const char *path, const char ***list, size_t *n)
{
	/* it goes into a RUN command unquoted */
	if (!dd_fix_plain_path(path))
		return dd_error_set(DD_EUSAGE, "--writable takes an absolute path in the image, of letters, digits "
		    "and / . _ - + @ %% : , = (it goes into a RUN command): '%s'", path);
	*list = dd_xreallocarray(*list, *n + 1, sizeof(char *));
	(*list)[(*n)++] = path;
	return DD_OK;
}

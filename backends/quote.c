/* quote.c: quoting for each medium. */
#include "quote.h"

#include "buf.h"

void
quote_sh(struct buf *b, const char *s)
{
	buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			buf_puts(b, "'\\''");	/* close, escaped quote, reopen */
		else
			buf_putc(b, *s);
	}
	buf_putc(b, '\'');
}

void
quote_make(struct buf *b, const char *s)
{
	buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			buf_puts(b, "'\\''");
		else if (*s == '$')
			buf_puts(b, "$$");	/* make's escape; sh sees one $ */
		else if (*s == '\n')
			buf_puts(b, "'\"$$C2SH_NL\"'");
		else
			buf_putc(b, *s);
	}
	buf_putc(b, '\'');
}

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

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

void
quote_sd(struct buf *b, const char *s)
{
	unsigned char c;

	buf_putc(b, '"');
	for (; *s; s++) {
		c = (unsigned char)*s;
		switch (c) {
		case '"':
		case '\\':
			buf_putc(b, '\\');
			buf_putc(b, (char)c);
			break;
		case '%':
			buf_puts(b, "%%");
			break;
		case '$':
			buf_puts(b, "$$");
			break;
		case '\n':
			buf_puts(b, "\\n");
			break;
		case '\t':
			buf_puts(b, "\\t");
			break;
		case '\r':
			buf_puts(b, "\\r");
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				buf_printf(b, "\\x%02x", c);
			else
				buf_putc(b, (char)c);	/* UTF-8 passes as it is */
		}
	}
	buf_putc(b, '"');
}

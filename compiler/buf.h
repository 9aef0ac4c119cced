/*
 * buf.h: a growable string.  BUF_INIT is a valid empty buffer whose data
 * is NULL; after any write data[len] == '\0'.  buf_str() never returns NULL.
 */
#ifndef C2SH_BUF_H
#define C2SH_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len, cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_putc(struct buf *, char);
void buf_putn(struct buf *, const char *, size_t);
void buf_puts(struct buf *, const char *);
void buf_printf(struct buf *, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *, const char *fmt, va_list)
	__attribute__((format(printf, 2, 0)));
/* buf_printf and a newline: one line of an artifact */
void buf_line(struct buf *, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *buf_str(const struct buf *);
void buf_reset(struct buf *);		/* empty it, keep the storage */
void buf_release(struct buf *);		/* free it; it is BUF_INIT again */

#endif

/*
 * quote.h: every string that came from a compose file passes through
 * exactly one of these, at the moment it is written into an artifact.
 */
#ifndef C2SH_QUOTE_H
#define C2SH_QUOTE_H

struct buf;

/* s as one POSIX shell word: always single-quoted, ' as '\'' */
void quote_sh(struct buf *, const char *s);
/* s as one word of a systemd command line (systemd.syntax(7)), so that
 * the program receives it byte for byte: always double-quoted; " and \
 * backslash-escaped; newline, tab, carriage return as \n \t \r and other
 * control bytes as \xNN; % as %% (no specifier) and $ as $$ (no
 * environment variable) */
void quote_sd(struct buf *, const char *s);

/* s as one shell word in a make recipe line: quote_sh's quoting, $ as
 * $$ for make, and each newline (which cannot be in a recipe line) as
 * '"$$C2SH_NL"', a variable the Makefile defines as a newline and exports.
 * The result holds no newline and never ends in a backslash. */
void quote_make(struct buf *, const char *s);

#endif

/*
 * quote.h: every string that came from a compose file passes through
 * exactly one of these, at the moment it is written into an artifact.
 */
#ifndef C2SH_QUOTE_H
#define C2SH_QUOTE_H

struct buf;

/* s as one POSIX shell word: always single-quoted, ' as '\'' */
void quote_sh(struct buf *, const char *s);

#endif

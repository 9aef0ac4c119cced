/* size.h: byte sizes as compose reads them ("512m", "1.5g", "-1"). */
#ifndef C2SH_SIZE_H
#define C2SH_SIZE_H

#include <stdint.h>

struct buf;

/*
 * Parse s as go-units v0.5.0 RAMInBytes (binary units, suffix b or
 * k m g t p with an optional b or ib, any case, an optional space before
 * it, decimals truncated); a plain integer, negative ones included, is
 * taken exactly.  Returns 0 with *bytes, or -1 with the message in err
 * ("invalid size: '1x2'", "invalid suffix: 'kx'"); overflow is an error.
 */
int size_parse(const char *s, int64_t *bytes, struct buf *err);

#endif

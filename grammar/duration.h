/* duration.h: compose durations ("1m30s", "2d") and Go's rendering of them. */
#ifndef C2SH_DURATION_H
#define C2SH_DURATION_H

#include <stdint.h>

struct buf;

/*
 * Parse s as compose-go does (str2duration: Go's time.ParseDuration plus
 * units d and w): optional sign, then <number><unit> pairs where numbers
 * may have decimals; "0" alone is zero.  Returns 0 with *ns, or -1 with
 * Go's message in err, e.g. `time: missing unit in duration "30"`.
 */
int duration_parse(const char *s, int64_t *ns, struct buf *err);
/* append Go's time.Duration.String(): "1m30s", "500ms", "1h0m0s", "0s" */
void duration_format(struct buf *, int64_t ns);

#endif

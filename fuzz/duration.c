/* duration.c: fuzz compose durations and their Go rendering
 * (grammar/duration.h). */
#include "arena.h"
#include "buf.h"
#include "duration.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT;
	struct buf b = BUF_INIT;
	int64_t ns;

	if (duration_parse(fuzz_string(&a, data, size), &ns, &b) == 0)
		duration_format(&b, ns);
	buf_release(&b);
	arena_release(&a);
	return 0;
}

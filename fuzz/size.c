/* size.c: fuzz byte sizes (grammar/size.h). */
#include "arena.h"
#include "buf.h"
#include "fuzz.h"
#include "size.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT;
	struct buf err = BUF_INIT;
	int64_t bytes;

	size_parse(fuzz_string(&a, data, size), &bytes, &err);
	buf_release(&err);
	arena_release(&a);
	return 0;
}

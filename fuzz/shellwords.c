/* shellwords.c: fuzz the splitting of string commands
 * (grammar/shellwords.h). */
#include "arena.h"
#include "buf.h"
#include "fuzz.h"
#include "shellwords.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT;
	struct buf err = BUF_INIT;
	char **argv;
	long stopped;

	shellwords_split(&a, fuzz_string(&a, data, size), &argv, &err,
	    &stopped);
	buf_release(&err);
	arena_release(&a);
	return 0;
}

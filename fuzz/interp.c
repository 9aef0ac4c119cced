/* interp.c: fuzz interpolation (grammar/interp.h) with the fixed
 * variables of fuzz_environ. */
#include "arena.h"
#include "fuzz.h"
#include "interp.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT;
	struct interp_error e;
	char *out;
	size_t outlen;

	/* not NUL-terminated: libFuzzer's copy ends where the input does,
	 * so ASan catches a read past its end */
	interp_expand(&a, (const char *)data, size, &fuzz_interp_env, &out,
	    &outlen, &e);
	arena_release(&a);
	return 0;
}

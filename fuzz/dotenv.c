/* dotenv.c: fuzz the .env and env_file format (grammar/dotenv.h), with
 * interpolation from the fixed environment. */
#include "arena.h"
#include "buf.h"
#include "dotenv.h"
#include "fuzz.h"

static void
set(void *ctx, const char *key, const char *value)
{
	(*(size_t *)ctx)++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT;
	struct buf err = BUF_INIT;
	size_t nset = 0;
	struct dotenv_sink sink = { set, &nset };
	unsigned line;

	/* not NUL-terminated: libFuzzer's copy ends where the input does,
	 * so ASan catches a read past its end */
	dotenv_parse(&a, (const char *)data, size, &fuzz_interp_env, &sink,
	    &err, &line);
	buf_release(&err);
	arena_release(&a);
	return 0;
}

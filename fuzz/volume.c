/* volume.c: fuzz the short syntax of volumes (grammar/volume.h). */
#include "arena.h"
#include "buf.h"
#include "fuzz.h"
#include "volume.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT;
	struct buf err = BUF_INIT;
	struct volume_spec v;
	char *s = fuzz_string(&a, data, size);
	size_t off;

	volume_parse(&a, s, &v, &err, &off);
	volume_clean_path(&a, s);
	buf_release(&err);
	arena_release(&a);
	return 0;
}

/* ports.c: fuzz the short syntax of ports (grammar/ports.h). */
#include "arena.h"
#include "buf.h"
#include "fuzz.h"
#include "ports.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT;
	struct buf err = BUF_INIT;
	struct port_entry *v;
	char *s = fuzz_string(&a, data, size);
	size_t off;

	ports_parse(&a, s, &v, &err, &off);
	ports_valid_ip(s);
	buf_release(&err);
	arena_release(&a);
	return 0;
}

/* fuzz.c: the helpers every fuzz target links (fuzz.h). */
#include "fuzz.h"

#include <string.h>

#include "arena.h"
#include "interp.h"

const char *const fuzz_environ[] = {
	"HOME=/home/fuzz", "USER=fuzz", "TAG=1.2", "PORT=8080", "EMPTY=",
	"LIST=a,b c", "JSON={\"k\":[1,2]}", "DOLLAR=$HOME", "BRACE=}",
	"COMPOSE_PROFILES=debug", NULL
};

static const char *
lookup(void *ctx, const char *name)
{
	size_t n = strlen(name);
	const char *const *v;

	for (v = fuzz_environ; *v; v++)
		if (strncmp(*v, name, n) == 0 && (*v)[n] == '=')
			return *v + n + 1;
	return NULL;
}

static void
unset(void *ctx, const char *name)
{
	(*(unsigned long *)ctx)++;
}

static unsigned long unsetcount;

const struct interp_env fuzz_interp_env = { lookup, unset, &unsetcount };

char *
fuzz_string(struct arena *a, const uint8_t *data, size_t size)
{
	return arena_strndup(a, (const char *)data, size);
}

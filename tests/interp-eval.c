/*
 * interp-eval.c: the compile-time evaluator (grammar/interp.*) as a
 * program, the oracle of tests/interp-equiv.py.  Same interface as
 * backends/interp.awk: one template on stdin (its last byte, a '.' that
 * keeps a trailing newline, is dropped), variables from the environment;
 * prints the value; a failed ${NAME:?msg} prints "NAME<TAB>msg" on stderr
 * and exits 3, a syntax error exits 4 (TOOLONG 5).
 */
#include <stdio.h>
#include <stdlib.h>

#include "arena.h"
#include "buf.h"
#include "interp.h"

static const char *
lookup(void *ctx, const char *name)
{
	return getenv(name);
}

int
main(void)
{
	struct arena a = ARENA_INIT;
	struct buf in = BUF_INIT;
	struct interp_env env = { lookup, NULL, NULL };
	struct interp_error err;
	char chunk[4096], *out;
	size_t n, outlen;
	enum interp_status st;

	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
		buf_putn(&in, chunk, n);
	if (in.len == 0) {
		buf_release(&in);
		return 2;
	}
	st = interp_expand(&a, buf_str(&in), in.len - 1, &env, &out, &outlen,
	    &err);
	switch (st) {
	case INTERP_OK:
		fwrite(out, 1, outlen, stdout);
		break;
	case INTERP_REQUIRED:
		fprintf(stderr, "%s\t%s\n", err.name, err.message);
		break;
	case INTERP_SYNTAX:
		fprintf(stderr, "invalid interpolation format\t%s\n",
		    err.template);
		break;
	case INTERP_TOOLONG:
		break;
	}
	/* everything freed: the sanitizer build checks for leaks */
	buf_release(&in);
	arena_release(&a);
	return st == INTERP_OK ? 0 : st == INTERP_REQUIRED ? 3 :
	    st == INTERP_SYNTAX ? 4 : 5;
}

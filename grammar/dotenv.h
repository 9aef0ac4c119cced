/*
 * dotenv.h: the .env and env_file format, parsed as compose-go's dotenv
 * package does (compose loader reference, section 2.3).
 */
#ifndef C2SH_DOTENV_H
#define C2SH_DOTENV_H

#include <stddef.h>

struct arena;
struct buf;
struct interp_env;

/* Receives the variables of a file in order, a key again if redefined. */
struct dotenv_sink {
	void (*set)(void *ctx, const char *key, const char *value);
	void *ctx;
};

/*
 * Parse text[0..len), which need not be NUL-terminated.  Interpolation,
 * and a key given without a value, look up env->lookup first (env may be
 * NULL), then the values this file has already defined; env->unset, when
 * not NULL, hears of each unset variable compose warns about.  Calls
 * sink->set for each variable in order; keys and values live in the
 * arena.  Returns 0, or -1 with compose's message appended to err and
 * *errline = its 1-based line.  The message of a syntax error starts
 * "line N: "; that of an interpolation error is compose's bare template
 * error ("Invalid template: ..." or "required variable ..."), and then
 * *errline is the line where the statement starts.  The variables before
 * the error have been set.
 */
int dotenv_parse(struct arena *, const char *text, size_t len,
    const struct interp_env *env, const struct dotenv_sink *sink,
    struct buf *err, unsigned *errline);

#endif

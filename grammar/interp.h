/*
 * interp.h: variable interpolation in compose values ($VAR, ${VAR},
 * ${VAR:-default}, ${VAR?message} ...), with the semantics of compose-go's
 * template package: see the compose loader reference, section 3.
 */
#ifndef C2SH_INTERP_H
#define C2SH_INTERP_H

#include <stddef.h>

struct arena;

/* Where variables come from; the callbacks must not fail. */
struct interp_env {
	/* value of name, or NULL when unset */
	const char *(*lookup)(void *ctx, const char *name);
	/* called for each substitution of an unset variable that yields ""
	 * with a warning in compose ($V, ${V}); may be NULL */
	void (*unset)(void *ctx, const char *name);
	void *ctx;
};

enum interp_status { INTERP_OK, INTERP_SYNTAX, INTERP_REQUIRED,
	INTERP_TOOLONG };

/*
 * What all the expansions in one arena (one compilation) may produce
 * together.  A variable defined as another twice over, forty times, would
 * otherwise ask for a terabyte; past this, the piece that went over is
 * INTERP_TOOLONG.
 */
enum { INTERP_MAX_TOTAL = 64 << 20 };

/* An error; every string is in the arena given to interp_expand(). */
struct interp_error {
	size_t offset, len;	/* the bytes of the input at fault (the whole ${...}, the bad part, or the piece that went over INTERP_MAX_TOTAL) */
	const char *name;	/* INTERP_REQUIRED: the variable */
	const char *message;	/* INTERP_REQUIRED: the interpolated message, "" when none */
	const char *template;	/* INTERP_SYNTAX: what compose reports: the whole value, or the nested argument (§3.4) */
};

/* Nesting deeper than this many ${...} levels is a syntax error. */
enum { INTERP_MAX_DEPTH = 64 };

/*
 * Expand s[0..n), which need not be NUL-terminated.  On INTERP_OK *out is
 * a NUL-terminated arena string and *outlen its length; otherwise *err
 * describes the first error in evaluation order (left to right; a
 * default, alternate or message is only evaluated when it is used, so an
 * unused one can neither warn nor fail).  A value with no '$' is copied
 * without running the parser.
 */
enum interp_status interp_expand(struct arena *, const char *s, size_t n,
    const struct interp_env *, char **out, size_t *outlen,
    struct interp_error *);

#endif

/* expand.c: interpolate the string values of a node tree in place. */
#include "expand.h"

#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "env.h"
#include "interp.h"
#include "node.h"
#include "util.h"

struct expander {
	struct arena *a;
	struct env *env;
	struct buf path;
	struct node *cur;	/* the scalar being expanded */
	const char **warned;	/* variables already warned about */
	size_t nwarned, capwarned;
};

static const char *
lookup(void *ctx, const char *name)
{
	struct expander *x = ctx;

	return env_get(x->env, name);
}

/* Warn once per variable, at its first use. */
static void
unset(void *ctx, const char *name)
{
	struct expander *x = ctx;
	size_t i;

	for (i = 0; i < x->nwarned; i++)
		if (strcmp(x->warned[i], name) == 0)
			return;
	x->warned = arena_grow(x->a, x->warned, x->nwarned, &x->capwarned,
	    sizeof(*x->warned));
	x->warned[x->nwarned++] = arena_strdup(x->a, name);
	diag(DIAG_WARNING, x->cur->loc, "%s: variable '%s' is not set, "
	    "using an empty string", buf_str(&x->path), name);
}

static struct loc
errloc(const struct node *n, size_t off, size_t len)
{
	if (n->flags & NODE_QUOTED || off >= n->len)
		return n->loc;
	return loc_advance(n->loc, off, len ? len : 1);
}

static void
scalar(struct expander *x, struct node *n)
{
	struct interp_env ie = { lookup, unset, x };
	struct interp_error err;
	char *out;
	size_t outlen;

	if (n->kind != NODE_STR || !memchr(n->text, '$', n->len))
		return;
	x->cur = n;
	memset(&err, 0, sizeof(err));
	switch (interp_expand(x->a, n->text, n->len, &ie, &out, &outlen,
	    &err)) {
	case INTERP_OK:
		n->text = out;
		n->len = outlen;
		n->flags |= NODE_INTERPOLATED;
		break;
	case INTERP_SYNTAX:
		diag(DIAG_ERROR, errloc(n, err.offset, err.len), "%s: invalid "
		    "interpolation format in \"%s\" (write $$ for a literal $)",
		    buf_str(&x->path), err.template ? err.template : n->text);
		break;
	case INTERP_TOOLONG:
		diag(DIAG_ERROR, errloc(n, err.offset, err.len), "%s: "
		    "interpolation makes this project's values longer than "
		    "%d MiB in all (a variable that repeats another?)",
		    buf_str(&x->path), INTERP_MAX_TOTAL >> 20);
		break;
	case INTERP_REQUIRED:
		if (err.message && *err.message)
			diag(DIAG_ERROR, errloc(n, err.offset, err.len), "%s: "
			    "required variable %s is missing a value: %s",
			    buf_str(&x->path), err.name, err.message);
		else
			diag(DIAG_ERROR, errloc(n, err.offset, err.len), "%s: "
			    "required variable %s is missing a value",
			    buf_str(&x->path), err.name);
		break;
	}
}

static void
walk(struct expander *x, struct node *n)
{
	size_t i, old = x->path.len;

	if (n->kind == NODE_MAP) {
		for (i = 0; i < n->n; i++) {
			if (old)
				buf_putc(&x->path, '.');
			buf_puts(&x->path, n->c.pairs[i].key->text);
			walk(x, n->c.pairs[i].val);
			x->path.len = old;
			x->path.data[old] = '\0';
		}
	} else if (n->kind == NODE_SEQ) {
		for (i = 0; i < n->n; i++) {
			buf_printf(&x->path, "[%zu]", i);
			walk(x, n->c.items[i]);
			x->path.len = old;
			x->path.data[old] = '\0';
		}
	} else {
		scalar(x, n);
	}
}

unsigned
expand_tree(struct arena *a, struct node *n, struct env *env,
    const char *path)
{
	struct expander x = { 0 };
	unsigned before = diag_errors();

	x.a = a;
	x.env = env;
	buf_puts(&x.path, path);
	if (n)
		walk(&x, n);
	buf_release(&x.path);
	return diag_errors() - before;
}

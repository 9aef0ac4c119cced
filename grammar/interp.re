/*
 * interp.re: the lexer of interpolated values and the evaluator that
 * expands the pieces interp.y parses (compose loader reference, section
 * 3).  An argument is parsed again, as a template of its own, only when
 * it is used: compose does the same, which is why an unused default can
 * neither warn nor fail, and why a syntax error inside an argument
 * reports that argument as the template.
 */
#include "interp.h"

#include <string.h>

#include "arena.h"
#include "buf.h"
#include "interp.tab.h"

/*!types:re2c*/

/*
 * The last '}' from lx->cur to the end of its line, or NULL.  compose
 * finds ${NAME<op>ARG} with a regular expression whose ARG is ".*}", so
 * the substitution can reach no further than that brace.  The answer is
 * kept for the rest of the line: the cursor only moves forward, except
 * after an invalid ${, and then not before the place the answer was
 * computed from.
 */
static const unsigned char *
lastbrace(struct interp_lexer *lx)
{
	const unsigned char *s;

	if (lx->lineend && lx->cur >= lx->linefrom && lx->cur <= lx->lineend)
		return lx->lastclose && lx->lastclose >= lx->cur ?
		    lx->lastclose : NULL;
	lx->linefrom = lx->cur;
	lx->lastclose = NULL;
	for (s = lx->cur; s < lx->lim && *s != '\n'; s++)
		if (*s == '}')
			lx->lastclose = s;
	lx->lineend = s;
	return lx->lastclose;
}

/*
 * The closing brace of the argument starting at lx->cur, or NULL when
 * the substitution is not terminated on this line.  Like compose, count
 * every '{' and '}' (skipping the byte after each '{'); when they do not
 * balance, the last '}' on the line closes it.
 */
static const unsigned char *
argclose(struct interp_lexer *lx)
{
	const unsigned char *last = lastbrace(lx), *s;
	size_t depth = 1;

	if (!last)
		return NULL;
	for (s = lx->cur; s <= last; s++) {
		if (*s == '}' && --depth == 0)
			return s;
		if (*s == '{') {
			depth++;
			s++;
		}
	}
	return last;
}

static void
setloc(const struct interp_lexer *lx, const unsigned char *from,
    const unsigned char *to)
{
	lx->loc->first = lx->base + (size_t)(from - lx->start);
	lx->loc->last = lx->base + (size_t)(to - lx->start);
}

/* a token spanning lx->tok to lx->cur whose value starts at from */
static int
token(const struct interp_lexer *lx, const unsigned char *from, int tok)
{
	lx->val->str.p = (const char *)from;
	lx->val->str.n = (size_t)(lx->cur - from);
	lx->val->str.rest = 0;
	setloc(lx, lx->tok, lx->cur);
	return tok;
}

/*
 * An invalid ${: the token covers it up to the offending byte, and lexing
 * resumes right after the "${", as compose's regular expression does.
 */
static int
bad(struct interp_lexer *lx)
{
	setloc(lx, lx->open, lx->cur);
	lx->val->str.p = (const char *)lx->open;
	lx->val->str.n = (size_t)(lx->cur - lx->open);
	lx->val->str.rest = 0;
	lx->cur = lx->open + 2;
	lx->cond = yycinit;
	return BAD;
}

/* an operator: find where its argument ends, for the next call */
static int
oper(struct interp_lexer *lx, enum interp_op op)
{
	const unsigned char *close = argclose(lx);

	if (!close)
		return bad(lx);
	lx->argend = close;
	setloc(lx, lx->tok, lx->cur);
	lx->val->op = op;
	return OP;
}

int
interpyylex(INTERPYYSTYPE *val, INTERPYYLTYPE *loc, struct interp_lexer *lx)
{
	lx->val = val;
	lx->loc = loc;
	lx->tok = lx->cur;
	if (lx->argend) {
		/* the argument oper() found; then "}" in condition op */
		lx->cur = lx->argend;
		lx->argend = NULL;
		token(lx, lx->tok, ARG);
		if (lx->lastclose > lx->cur)
			val->str.rest = lx->base +
			    (size_t)(lx->lastclose + 1 - lx->start);
		return ARG;
	}
	/*!re2c
	re2c:define:YYCTYPE = "unsigned char";
	re2c:define:YYCURSOR = "lx->cur";
	re2c:define:YYLIMIT = "lx->lim";
	re2c:define:YYGETCONDITION = "lx->cond";
	re2c:define:YYGETCONDITION:naked = 1;
	re2c:define:YYSETCONDITION = "lx->cond = @@;";
	re2c:define:YYSETCONDITION:naked = 1;
	re2c:yyfill:enable = 0;
	re2c:eof = 0;

	name = [A-Za-z_][A-Za-z0-9_]*;

	<init> "$$"		{ return token(lx, lx->cur - 1, TEXT); }
	<init> "${" => brace	{ lx->open = lx->tok; return token(lx, lx->tok, OPEN); }
	<init> "$" name		{ return token(lx, lx->tok + 1, VAR); }
	<init> "$"		{ return token(lx, lx->tok, TEXT); }
	<init> [^$]+		{ return token(lx, lx->tok, TEXT); }
	<init> *		{ return token(lx, lx->tok, TEXT); }
	<init> $		{ setloc(lx, lx->cur, lx->cur); return INTERPYYEOF; }

	<brace> name => op	{ return token(lx, lx->tok, NAME); }
	<op> "}" => init	{ return token(lx, lx->tok, CLOSE); }
	<op> ":-"		{ return oper(lx, IOP_DEFAULT_EMPTY); }
	<op> "-"		{ return oper(lx, IOP_DEFAULT); }
	<op> ":?"		{ return oper(lx, IOP_REQUIRE_EMPTY); }
	<op> "?"		{ return oper(lx, IOP_REQUIRE); }
	<op> ":+"		{ return oper(lx, IOP_ALT_EMPTY); }
	<op> "+"		{ return oper(lx, IOP_ALT); }
	<brace, op> *		{ return bad(lx); }
	<brace, op> $		{ return bad(lx); }
	*/
}

/* what one expansion needs besides the text */
struct eval {
	struct arena *arena;
	const struct interp_env *env;
	struct interp_error *err;
	size_t room;		/* INTERP_MAX_TOTAL less what the arena has */
};

static enum interp_status
syntax(struct eval *ev, size_t first, size_t last, const char *tmpl,
    size_t tmpllen)
{
	ev->err->offset = first;
	ev->err->len = last - first;
	ev->err->template = arena_strndup(ev->arena, tmpl, tmpllen);
	return INTERP_SYNTAX;
}

static const char *
lookup(struct eval *ev, const struct interp_str *name, const char **namep)
{
	*namep = arena_strndup(ev->arena, name->p, name->n);
	return ev->env->lookup(ev->env->ctx, *namep);
}

static enum interp_status expand(struct eval *, const char *, size_t, size_t,
    int, struct buf *);

/* expand the argument of n, one level deeper, appending to out */
static enum interp_status
argument(struct eval *ev, const struct interp_node *n, int depth,
    const char *tmpl, size_t tmpllen, struct buf *out)
{
	char *copy;

	if (depth >= INTERP_MAX_DEPTH)
		return syntax(ev, n->first, n->last, tmpl, tmpllen);
	/* the lexer needs its text NUL-terminated */
	copy = arena_strndup(ev->arena, n->arg.p, n->arg.n);
	return expand(ev, copy, n->arg.n, n->argoff, depth + 1, out);
}

/* ${NAME<op>ARG} */
static enum interp_status
subst(struct eval *ev, const struct interp_node *n, int depth,
    const char *tmpl, size_t tmpllen, struct buf *out)
{
	const char *name, *v = lookup(ev, &n->text, &name);
	int empty = !v || !*v;
	struct buf msg = BUF_INIT;
	enum interp_status st;

	switch (n->op) {
	case IOP_DEFAULT_EMPTY:
	case IOP_DEFAULT:
		if (!v || (empty && n->op == IOP_DEFAULT_EMPTY))
			return argument(ev, n, depth, tmpl, tmpllen, out);
		break;
	case IOP_ALT_EMPTY:
	case IOP_ALT:
		if (v && (!empty || n->op == IOP_ALT))
			return argument(ev, n, depth, tmpl, tmpllen, out);
		return INTERP_OK;
	case IOP_REQUIRE_EMPTY:
	case IOP_REQUIRE:
		if (v && (!empty || n->op == IOP_REQUIRE))
			break;
		st = argument(ev, n, depth, tmpl, tmpllen, &msg);
		if (st == INTERP_OK) {
			ev->err->offset = n->first;
			ev->err->len = n->last - n->first;
			ev->err->name = name;
			ev->err->message = arena_strdup(ev->arena,
			    buf_str(&msg));
			st = INTERP_REQUIRED;
		}
		buf_release(&msg);
		return st;
	}
	buf_puts(out, v);
	return INTERP_OK;
}

/*
 * Parse s[0..n) (NUL-terminated; its first byte is at offset base in the
 * whole value) and append its expansion to out.
 */
static enum interp_status
expand(struct eval *ev, const char *s, size_t n, size_t base, int depth,
    struct buf *out)
{
	struct interp_lexer lx = { 0 };
	struct interp_parser p = { 0 };
	const struct interp_node *nd;
	size_t rfirst = 0, rend = 0;	/* compose's nested template */
	const char *name, *v;
	enum interp_status st;

	lx.start = lx.cur = (const unsigned char *)s;
	lx.lim = lx.start + n;
	lx.base = base;
	lx.cond = yycinit;
	p.arena = ev->arena;
	p.tail = &p.head;
	if (interpyyparse(&lx, &p) != 0 || p.failed)
		return syntax(ev, p.errfirst, p.errlast, s, n);

	for (nd = p.head; nd; nd = nd->next) {
		if (rend && nd->first >= rend)
			rend = 0;
		switch (nd->kind) {
		case INTERP_TEXT:
			buf_putn(out, nd->text.p, nd->text.n);
			break;
		case INTERP_VAR:
			v = lookup(ev, &nd->text, &name);
			if (v)
				buf_puts(out, v);
			else if (ev->env->unset)
				ev->env->unset(ev->env->ctx, name);
			break;
		case INTERP_SUBST:
			if (rend)
				st = subst(ev, nd, depth, s + (rfirst - base),
				    rend - rfirst, out);
			else
				st = subst(ev, nd, depth, s, n, out);
			if (st != INTERP_OK)
				return st;
			if (nd->restend) {
				rfirst = nd->last;
				rend = nd->restend;
			} else {
				rend = 0;
			}
			break;
		case INTERP_BAD:
			if (rend)
				return syntax(ev, nd->first, nd->last,
				    s + (rfirst - base), rend - rfirst);
			return syntax(ev, nd->first, nd->last, s, n);
		}
		if (out->len > ev->room) {
			ev->err->offset = nd->first;
			ev->err->len = nd->last - nd->first;
			return INTERP_TOOLONG;
		}
	}
	return INTERP_OK;
}

enum interp_status
interp_expand(struct arena *a, const char *s, size_t n,
    const struct interp_env *env, char **out, size_t *outlen,
    struct interp_error *err)
{
	struct eval ev = { a, env, err, 0 };
	struct buf b = BUF_INIT;
	enum interp_status st;

	memset(err, 0, sizeof *err);
	if (!memchr(s, '$', n)) {
		*out = arena_strndup(a, s, n);
		*outlen = n;
		return INTERP_OK;
	}
	if (a->expanded < INTERP_MAX_TOTAL)
		ev.room = INTERP_MAX_TOTAL - a->expanded;
	st = expand(&ev, arena_strndup(a, s, n), n, 0, 1, &b);
	if (st == INTERP_OK) {
		*out = arena_strndup(a, buf_str(&b), b.len);
		*outlen = b.len;
		a->expanded += b.len;
	}
	buf_release(&b);
	return st;
}

/*
 * dotenv.re: the .env / env_file parser.  It follows compose-go's
 * dotenv/parser.go statement by statement, quirks included (compose
 * loader reference, section 2.3); re2c classifies the characters: key
 * characters, Unicode spaces, and the escapes of double-quoted values.
 */
#include "dotenv.h"

#include <string.h>

#include "arena.h"
#include "buf.h"
#include "interp.h"

/* a variable this file has defined */
struct dvar {
	const char *key, *value;
	struct dvar *next;
};

struct dotenv {
	struct arena *arena;
	const struct interp_env *env;
	const struct dotenv_sink *sink;
	const unsigned char *cur, *lim;	/* text, NUL-terminated at lim */
	unsigned line;
	struct dvar **tab;		/* hash table of this file's values */
	size_t nbuckets, count;
	struct buf *err;
	unsigned *errline;
};

enum keyclass {
	KEY_SPACE,	/* skipped in a key, but an ASCII space is refused */
	KEY_SEP,	/* '=' or ':' */
	KEY_NEWLINE,	/* a key without a value */
	KEY_CHAR,	/* a letter, digit or one of _ . - [ ] */
	KEY_BAD,
	KEY_END
};

static unsigned long
decode(const unsigned char *s)
{
	if (s[0] < 0xe0)
		return (s[0] & 0x1fUL) << 6 | (s[1] & 0x3fUL);
	if (s[0] < 0xf0)
		return (s[0] & 0x0fUL) << 12 | (s[1] & 0x3fUL) << 6 |
		    (s[2] & 0x3fUL);
	return (s[0] & 0x07UL) << 18 | (s[1] & 0x3fUL) << 12 |
	    (s[2] & 0x3fUL) << 6 | (s[3] & 0x3fUL);
}

static void
encode(struct buf *b, unsigned long r)
{
	if (r < 0x80) {
		buf_putc(b, (char)r);
	} else if (r < 0x800) {
		buf_putc(b, (char)(0xc0 | r >> 6));
		buf_putc(b, (char)(0x80 | (r & 0x3f)));
	} else if (r < 0x10000) {
		buf_putc(b, (char)(0xe0 | r >> 12));
		buf_putc(b, (char)(0x80 | (r >> 6 & 0x3f)));
		buf_putc(b, (char)(0x80 | (r & 0x3f)));
	} else {
		buf_putc(b, (char)(0xf0 | r >> 18));
		buf_putc(b, (char)(0x80 | (r >> 12 & 0x3f)));
		buf_putc(b, (char)(0x80 | (r >> 6 & 0x3f)));
		buf_putc(b, (char)(0x80 | (r & 0x3f)));
	}
}

/*
 * Whether a non-ASCII character counts as a letter or digit in a key.
 * Without Unicode tables this is an approximation: the punctuation,
 * symbols and spaces of Latin-1 and the common punctuation blocks are
 * refused, everything else is accepted.
 */
static int
isletter(unsigned long r)
{
	if (r < 0xc0)
		return r == 0xaa || r == 0xb2 || r == 0xb3 || r == 0xb5 ||
		    r == 0xb9 || r == 0xba || (r >= 0xbc && r <= 0xbe);
	if (r == 0xd7 || r == 0xf7)
		return 0;
	if (r == 0x1680 || (r >= 0x2000 && r <= 0x206f) ||
	    (r >= 0x20a0 && r <= 0x20cf) || (r >= 0x2190 && r <= 0x23ff) ||
	    (r >= 0x2500 && r <= 0x27bf) || (r >= 0x3000 && r <= 0x3003) ||
	    r == 0xfeff || (r >= 0xfff0 && r <= 0xffff))
		return 0;
	return 1;
}

/* Go's strconv.IsPrint, for the characters quote() meets in practice */
static int
isprintrune(unsigned long r)
{
	if (r < 0x80)
		return r >= 0x20 && r < 0x7f;
	return !(r < 0xa1 || r == 0xad || r == 0x1680 ||
	    (r >= 0x2000 && r <= 0x200f) || (r >= 0x2028 && r <= 0x202f) ||
	    (r >= 0x205f && r <= 0x206f) || r == 0x3000 || r == 0xfeff ||
	    (r >= 0xfff0 && r <= 0xfffb));
}

/* the class of the character at *sp, which it steps over */
static enum keyclass
keyclass(const unsigned char **sp, const unsigned char *lim,
    unsigned long *rune)
{
	const unsigned char *YYCURSOR = *sp, *YYMARKER;
	enum keyclass k;

	(void)YYMARKER;
	/*!re2c
	re2c:define:YYCTYPE = "unsigned char";
	re2c:define:YYLIMIT = "lim";
	re2c:yyfill:enable = 0;
	re2c:eof = 0;

	u2 = [\xc2-\xdf][\x80-\xbf];
	u3 = "\xe0"[\xa0-\xbf][\x80-\xbf] | [\xe1-\xec\xee\xef][\x80-\xbf]{2}
	    | "\xed"[\x80-\x9f][\x80-\xbf];
	u4 = "\xf0"[\x90-\xbf][\x80-\xbf]{2} | [\xf1-\xf3][\x80-\xbf]{3}
	    | "\xf4"[\x80-\x8f][\x80-\xbf]{2};

	[\t\v\f\r ] | "\xc2\x85" | "\xc2\xa0"
				{ k = KEY_SPACE; goto out; }
	[=:]			{ k = KEY_SEP; goto out; }
	"\n"			{ k = KEY_NEWLINE; goto out; }
	[A-Za-z0-9_.[\]-]	{ k = KEY_CHAR; goto out; }
	u2 | u3 | u4		{
		*rune = decode(*sp);
		k = isletter(*rune) ? KEY_CHAR : KEY_BAD;
		goto out;
	}
	// an invalid byte is U+FFFD to Go
	*			{
		*rune = **sp < 0x80 ? **sp : 0xfffd;
		k = KEY_BAD;
		goto out;
	}
	$			{ return KEY_END; }
	*/
out:
	*sp = YYCURSOR;
	return k;
}

/*
 * The width of the space at s: Go's unicode.IsSpace, or with unicode == 0
 * the narrower isSpace of parser.go (no newline, fewer Unicode spaces).
 */
static size_t
spacewidth(const unsigned char *s, const unsigned char *lim, int unicode)
{
	const unsigned char *YYCURSOR = s, *YYMARKER;

	(void)YYMARKER;
	/*!re2c
	re2c:define:YYCTYPE = "unsigned char";
	re2c:define:YYLIMIT = "lim";
	re2c:yyfill:enable = 0;
	re2c:eof = 0;

	[\t\v\f\r ] | "\xc2\x85" | "\xc2\xa0"
				{ return (size_t)(YYCURSOR - s); }
	"\n" | "\xe1\x9a\x80" | "\xe2\x80"[\x80-\x8a\xa8\xa9\xaf]
	    | "\xe2\x81\x9f" | "\xe3\x80\x80"
				{ return unicode ? (size_t)(YYCURSOR - s) : 0; }
	*			{ return 0; }
	$			{ return 0; }
	*/
}

/* the width of the UTF-8 character at s, 1 for an invalid byte */
static size_t
charwidth(const unsigned char *s, const unsigned char *lim)
{
	const unsigned char *YYCURSOR = s, *YYMARKER;

	(void)YYMARKER;
	/*!re2c
	re2c:define:YYCTYPE = "unsigned char";
	re2c:define:YYLIMIT = "lim";
	re2c:yyfill:enable = 0;
	re2c:eof = 0;

	// u2, u3 and u4 are defined in keyclass()
	u2 | u3 | u4		{ return (size_t)(YYCURSOR - s); }
	*			{ return 1; }
	$			{ return 0; }
	*/
}

/* s[0..n) as Go's %q prints it */
static void
quote(struct buf *b, const unsigned char *s, size_t n)
{
	const unsigned char *lim = s + n;
	unsigned long r;
	size_t w;

	buf_putc(b, '"');
	while (s < lim) {
		w = charwidth(s, lim);
		if (w == 0)
			w = 1;	/* a NUL byte inside the text */
		r = w == 1 ? *s : decode(s);
		if (w == 1 && r >= 0x80)
			buf_printf(b, "\\x%02lx", r);
		else if (r == '"' || r == '\\')
			buf_printf(b, "\\%c", (int)r);
		else if (isprintrune(r))
			buf_putn(b, (const char *)s, w);
		else if (r == '\a')
			buf_puts(b, "\\a");
		else if (r == '\b')
			buf_puts(b, "\\b");
		else if (r == '\f')
			buf_puts(b, "\\f");
		else if (r == '\n')
			buf_puts(b, "\\n");
		else if (r == '\r')
			buf_puts(b, "\\r");
		else if (r == '\t')
			buf_puts(b, "\\t");
		else if (r == '\v')
			buf_puts(b, "\\v");
		else if (r < 0x80)
			buf_printf(b, "\\x%02lx", r);
		else
			buf_printf(b, "\\u%04lx", r);
		s += w;
	}
	buf_putc(b, '"');
}

/* the end of s[0..end) less trailing Unicode spaces */
static const unsigned char *
trimright(const unsigned char *s, const unsigned char *end)
{
	const unsigned char *last = s;
	size_t w;

	while (s < end) {
		w = spacewidth(s, end, 1);
		if (!w) {
			w = charwidth(s, end);
			if (!w)		/* cannot happen before end */
				w = 1;
			last = s + w;
		}
		s += w;
	}
	return last;
}

/* \0 and up to three digits in a double-quoted value, as Go treats them */
static void
octal(struct buf *b, const unsigned char *d, const unsigned char *end)
{
	unsigned long v = 0;
	const unsigned char *s;

	if (end - d == 3) {
		for (s = d; s < end && *s <= '7'; s++)
			v = v * 8 + (unsigned long)(*s - '0');
		if (s == end && v <= 0xff) {
			encode(b, v);
			return;
		}
	}
	/* not a valid octal escape: Go keeps it, minus the 0 */
	buf_putc(b, '\\');
	buf_putn(b, (const char *)d, (size_t)(end - d));
}

/*
 * The escapes of a double-quoted value, text NUL-terminated at lim.  \$
 * becomes $$ so that interpolation leaves one '$'.
 */
static void
unescape(struct buf *out, const unsigned char *s, const unsigned char *lim)
{
	const unsigned char *YYCURSOR = s, *YYMARKER, *tok;

	(void)YYMARKER;
	for (;;) {
		tok = YYCURSOR;
		/*!re2c
		re2c:define:YYCTYPE = "unsigned char";
		re2c:define:YYLIMIT = "lim";
		re2c:yyfill:enable = 0;
		re2c:eof = 0;

		"\\a"		{ buf_putc(out, '\a'); continue; }
		"\\b"		{ buf_putc(out, '\b'); continue; }
		"\\f"		{ buf_putc(out, '\f'); continue; }
		"\\n"		{ buf_putc(out, '\n'); continue; }
		"\\r"		{ buf_putc(out, '\r'); continue; }
		"\\t"		{ buf_putc(out, '\t'); continue; }
		"\\v"		{ buf_putc(out, '\v'); continue; }
		"\\\\"		{ buf_putc(out, '\\'); continue; }
		"\\\""		{ buf_putc(out, '"'); continue; }
		"\\$"		{ buf_puts(out, "$$"); continue; }
		"\\0" [0-9]{0,3}	{
			octal(out, tok + 2, YYCURSOR);
			continue;
		}
		[^\\]+		{
			buf_putn(out, (const char *)tok,
			    (size_t)(YYCURSOR - tok));
			continue;
		}
		// any other backslash is kept
		*		{ buf_putc(out, '\\'); continue; }
		$		{ return; }
		*/
	}
}

static size_t
hash(const char *s)
{
	size_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct dvar *
find(const struct dotenv *d, const char *key)
{
	struct dvar *v;

	if (!d->nbuckets)
		return NULL;
	for (v = d->tab[hash(key) % d->nbuckets]; v; v = v->next)
		if (strcmp(v->key, key) == 0)
			return v;
	return NULL;
}

/* define key in this file and tell the sink */
static void
define(struct dotenv *d, const char *key, const char *value)
{
	struct dvar *v = find(d, key), **old, *next;
	size_t i, n;

	if (!v) {
		if (d->count >= 2 * d->nbuckets) {
			n = d->nbuckets ? 4 * d->nbuckets : 64;
			old = d->tab;
			d->tab = arena_alloc(d->arena, n * sizeof *d->tab);
			for (i = 0; i < d->nbuckets; i++) {
				for (v = old[i]; v; v = next) {
					next = v->next;
					v->next = d->tab[hash(v->key) % n];
					d->tab[hash(v->key) % n] = v;
				}
			}
			d->nbuckets = n;
		}
		v = arena_alloc(d->arena, sizeof *v);
		v->key = key;
		i = hash(key) % d->nbuckets;
		v->next = d->tab[i];
		d->tab[i] = v;
		d->count++;
	}
	v->value = value;
	d->sink->set(d->sink->ctx, key, value);
}

/* the caller's environment first, then this file */
static const char *
lookup(void *ctx, const char *name)
{
	struct dotenv *d = ctx;
	const char *v = NULL;
	struct dvar *dv;

	if (d->env && d->env->lookup)
		v = d->env->lookup(d->env->ctx, name);
	if (v)
		return v;
	dv = find(d, name);
	return dv ? dv->value : NULL;
}

static void
unset(void *ctx, const char *name)
{
	struct dotenv *d = ctx;

	if (d->env && d->env->unset)
		d->env->unset(d->env->ctx, name);
}

static int
fail(struct dotenv *d, unsigned line, const char *msg)
{
	buf_printf(d->err, "line %u: %s", line, msg);
	*d->errline = line;
	return -1;
}

/* interpolate s[0..n) into *out; on error report it as compose does */
static int
expandvalue(struct dotenv *d, const char *s, size_t n, unsigned line,
    const char **out)
{
	struct interp_env env = { lookup, unset, NULL };
	struct interp_error e;
	size_t len;
	char *v;

	env.ctx = d;
	switch (interp_expand(d->arena, s, n, &env, &v, &len, &e)) {
	case INTERP_OK:
		*out = v;
		return 0;
	case INTERP_SYNTAX:
		buf_puts(d->err, "Invalid template: ");
		quote(d->err, (const unsigned char *)e.template,
		    strlen(e.template));
		break;
	case INTERP_REQUIRED:
		buf_printf(d->err, "required variable %s is missing a value",
		    e.name);
		if (*e.message)
			buf_printf(d->err, ": %s", e.message);
		break;
	case INTERP_TOOLONG:
		buf_printf(d->err, "interpolation makes the values longer "
		    "than %d MiB in all (a variable that repeats another?)",
		    INTERP_MAX_TOTAL >> 20);
		break;
	}
	*d->errline = line;
	return -1;
}

/*
 * Skip blank lines and comments; NULL at the end of the text.  Like
 * parser.go, a comment starts at a '#' that is the first non-space of a
 * statement, not only of a line.
 */
static const unsigned char *
statement(struct dotenv *d, const unsigned char *s)
{
	size_t w;

	for (;;) {
		while (s < d->lim && (w = spacewidth(s, d->lim, 1))) {
			if (*s == '\n')
				d->line++;
			s += w;
		}
		if (s == d->lim)
			return NULL;
		if (*s != '#')
			return s;
		s = memchr(s, '\n', (size_t)(d->lim - s));
		if (!s)
			return NULL;
	}
}

/* the value of a quoted value starting at s (the quote); *rest after it */
static int
quoted(struct dotenv *d, const unsigned char *s, unsigned line,
    const char **value, const unsigned char **rest)
{
	unsigned char q = *s;
	const unsigned char *p, *nl;
	struct buf chars = BUF_INIT, esc = BUF_INIT;
	int escaped = 0, r = 0;

	for (p = s + 1; p < d->lim; p++) {
		if (*p == '\n')
			d->line++;
		if (*p != q) {
			if (!escaped && *p == '\\') {
				escaped = 1;
				continue;
			}
			if (escaped) {
				escaped = 0;
				buf_putc(&chars, '\\');
			}
			buf_putc(&chars, (char)*p);
			continue;
		}
		if (escaped) {
			escaped = 0;
			buf_putc(&chars, (char)*p);
			continue;
		}
		*rest = p + 1;
		if (q == '\'') {
			*value = arena_strndup(d->arena, buf_str(&chars),
			    chars.len);
		} else {
			unescape(&esc, (const unsigned char *)buf_str(&chars),
			    (const unsigned char *)buf_str(&chars) + chars.len);
			r = expandvalue(d, buf_str(&esc), esc.len, line, value);
		}
		buf_release(&chars);
		buf_release(&esc);
		return r;
	}
	buf_release(&chars);
	nl = memchr(s, '\n', (size_t)(d->lim - s));
	buf_printf(d->err, "line %u: unterminated quoted value ", d->line);
	buf_putn(d->err, (const char *)s, (size_t)((nl ? nl : d->lim) - s));
	*d->errline = d->line;
	return -1;
}

/* an unquoted value: the rest of the line, less a " #" comment */
static int
unquoted(struct dotenv *d, const unsigned char *s, unsigned line,
    const char **value, const unsigned char **rest)
{
	const unsigned char *nl = memchr(s, '\n', (size_t)(d->lim - s));
	const unsigned char *end = nl ? nl : d->lim, *p, *last;

	*rest = nl ? nl + 1 : d->lim;
	d->line++;
	for (p = s; p + 1 < end; p++) {
		if (p[0] == ' ' && p[1] == '#') {
			end = p;
			break;
		}
	}
	last = trimright(s, end);
	return expandvalue(d, (const char *)s, (size_t)(last - s), line,
	    value);
}

/* "line N: unexpected character ..." for the character at c */
static int
badchar(struct dotenv *d, unsigned line, const unsigned char *key,
    const unsigned char *c, const unsigned char *next, unsigned long rune)
{
	const unsigned char *nl = memchr(key, '\n', (size_t)(d->lim - key));
	struct buf msg = BUF_INIT;

	buf_puts(&msg, "unexpected character ");
	/* Go prints the character it decoded: U+FFFD for a bad byte */
	if (rune == 0xfffd && next - c == 1)
		quote(&msg, (const unsigned char *)"\xef\xbf\xbd", 3);
	else
		quote(&msg, c, (size_t)(next - c));
	buf_puts(&msg, " in variable name ");
	quote(&msg, key, (size_t)((nl ? nl : d->lim) - key));
	fail(d, line, buf_str(&msg));
	buf_release(&msg);
	return -1;
}

/*
 * The key starting at s: *end is the separator or newline after it
 * (*class says which), or NULL when the text ends first.
 */
static int
keyname(struct dotenv *d, const unsigned char *s, unsigned line,
    const unsigned char **end, enum keyclass *class)
{
	const unsigned char *p = s, *q;
	unsigned long rune;

	*end = NULL;
	for (;;) {
		q = p;
		switch ((*class = keyclass(&p, d->lim, &rune))) {
		case KEY_SEP:
		case KEY_NEWLINE:
			*end = q;
			return 0;
		case KEY_END:
			return 0;
		case KEY_BAD:
			return badchar(d, line, s, q, p, rune);
		case KEY_SPACE:
		case KEY_CHAR:
			break;
		}
	}
}

static int
parse(struct dotenv *d)
{
	const unsigned char *s = d->cur, *key, *keyend;
	const char *k, *value;
	unsigned line;
	enum keyclass c;
	size_t w;

	while ((s = statement(d, s))) {
		line = d->line;
		/* "export" and at least one of Go's \s */
		if (d->lim - s > 6 && memcmp(s, "export", 6) == 0 &&
		    s[6] && strchr("\t\n\f\r ", s[6])) {
			s += 6;
			while ((w = spacewidth(s, d->lim, 0)))
				s += w;
		}
		key = s;
		if (keyname(d, key, line, &keyend, &c) < 0)
			return -1;
		if (!keyend) {
			/* parser.go's quirk: the text is the value of "" */
			k = "";
		} else {
			/* parser.go counts the line before the space check */
			if (c == KEY_NEWLINE &&
			    !memchr(key, ' ', (size_t)(keyend - key)))
				d->line++;
			s = trimright(key, keyend);
			if (memchr(key, ' ', (size_t)(s - key)))
				return fail(d, line,
				    "key cannot contain a space");
			k = arena_strndup(d->arena, (const char *)key,
			    (size_t)(s - key));
			s = keyend + 1;
			if (c == KEY_NEWLINE) {
				if ((value = lookup(d, k)))
					define(d, k, value);
				continue;
			}
		}
		while ((w = spacewidth(s, d->lim, 0)))
			s += w;
		if (s < d->lim && (*s == '"' || *s == '\'')) {
			if (quoted(d, s, line, &value, &s) < 0)
				return -1;
		} else if (unquoted(d, s, line, &value, &s) < 0) {
			return -1;
		}
		define(d, k, value);
	}
	return 0;
}

int
dotenv_parse(struct arena *a, const char *text, size_t len,
    const struct interp_env *env, const struct dotenv_sink *sink,
    struct buf *err, unsigned *errline)
{
	struct dotenv d;
	const unsigned char *s;

	memset(&d, 0, sizeof d);
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	/* a NUL byte would end the value that holds it here, in a C
	 * string; nothing can carry it to Docker (compose fails on it too,
	 * "setenv: invalid argument") */
	if ((s = memchr(text, '\0', len))) {
		for (*errline = 1; (const char *)s > text; s--)
			*errline += s[-1] == '\n';
		buf_printf(err, "line %u: a NUL byte, which cannot reach "
		    "Docker: a docker argument ends at the first NUL",
		    *errline);
		return -1;
	}
	/* the scanners need a NUL after the text */
	s = (const unsigned char *)arena_strndup(a, text, len);
	d.arena = a;
	d.env = env;
	d.sink = sink;
	d.cur = s;
	d.lim = s + len;
	d.line = 1;
	d.err = err;
	d.errline = errline;
	return parse(&d);
}

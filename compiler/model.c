/*
 * model.c: decode each file against the schema into canonical long form
 * (reporting every problem with its position and key path), then
 * normalize the merged project as Compose does.
 */
#include "model.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "duration.h"
#include "node.h"
#include "schema.h"
#include "size.h"
#include "util.h"

struct decoder {
	struct arena *a;
	struct model *m;
	struct buf path;	/* key path of the node being decoded */
};

struct arena *
decoder_arena(struct decoder *d)
{
	return d->a;
}

const char *
decoder_path(struct decoder *d)
{
	return d->path.len ? buf_str(&d->path) : "(top level)";
}

void
decoder_error(struct decoder *d, struct loc l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_v(DIAG_ERROR, l, fmt, ap);
	va_end(ap);
}

static void ledger(struct model *, struct arena *, const char *,
    const char *, struct loc);

void
decoder_ledger(struct decoder *d, struct loc l, const char *path,
    const char *note)
{
	ledger(d->m, d->a, path, note, l);
}

void
model_ledger(struct model *m, struct arena *a, const char *path,
    const char *note, struct loc l)
{
	ledger(m, a, path, note, l);
}

void
decoder_warn(struct decoder *d, struct loc l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_v(DIAG_WARNING, l, fmt, ap);
	va_end(ap);
}

static size_t
pathkey(struct decoder *d, const char *key)
{
	size_t old = d->path.len;

	if (old)
		buf_putc(&d->path, '.');
	buf_puts(&d->path, key);
	return old;
}

static size_t
pathindex(struct decoder *d, size_t i)
{
	size_t old = d->path.len;

	buf_printf(&d->path, "[%zu]", i);
	return old;
}

static void
pathpop(struct decoder *d, size_t old)
{
	d->path.len = old;
	if (d->path.data)
		d->path.data[old] = '\0';
}

static void
ledger(struct model *m, struct arena *a, const char *path, const char *note,
    struct loc l)
{
	size_t i;

	for (i = 0; i < m->nledger; i++)
		if (strcmp(m->ledger[i].path, path) == 0)
			return;
	m->ledger = arena_grow(a, m->ledger, m->nledger, &m->capledger,
	    sizeof(*m->ledger));
	m->ledger[m->nledger].path = arena_strdup(a, path);
	m->ledger[m->nledger].note = note;
	m->ledger[m->nledger].loc = l;
	m->nledger++;
}

/* Levenshtein distance, for "did you mean" */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev, tmp, best;
	size_t row[64];

	if (la >= countof(row) || lb >= countof(row))
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

static void
unknownkey(struct decoder *d, const struct shape *sh, const struct node *key)
{
	const struct field *f, *best = NULL;
	size_t dist, bestdist = 3;

	for (f = sh->fields; f->name; f++) {
		dist = distance(key->text, f->name);
		if (dist < bestdist) {
			bestdist = dist;
			best = f;
		}
	}
	if (best)
		decoder_error(d, key->loc, "%s: unknown key '%s' (did you "
		    "mean '%s'?)", decoder_path(d), key->text, best->name);
	else
		decoder_error(d, key->loc, "%s: unknown key '%s'",
		    decoder_path(d), key->text);
}

static void
badtype(struct decoder *d, const struct shape *sh, const struct node *raw)
{
	const char *kind = node_kindname(raw->kind);

	decoder_error(d, raw->loc, "%s: must be %s, not %s %s",
	    decoder_path(d), sh->what ? sh->what : "something else",
	    strchr("aeiou", kind[0]) ? "an" : "a", kind);
}

/* A null where sh wants a value is kept, flagged, with its message: a
 * later file may still set the key (model_nulls). */
static void
wrongnull(struct decoder *d, struct node *out, struct node *key,
    const struct node *val, const struct shape *sh)
{
	struct model *m = d->m;
	struct node *v = node_new(d->a, NODE_NULL, val->loc);

	v->flags = NODE_NULLTYPE;
	v->v.u = m->nnulls;	/* its message: a null has no other value */
	if (m->nnulls == m->capnulls) {
		struct nullnote *grown;

		m->capnulls = m->capnulls ? 2 * m->capnulls : 8;
		grown = arena_alloc(d->a, m->capnulls * sizeof(*grown));
		if (m->nnulls)
			memcpy(grown, m->nulls, m->nnulls * sizeof(*grown));
		m->nulls = grown;
	}
	m->nulls[m->nnulls++].msg = arena_printf(d->a, "%s: must be %s, "
	    "not a null", decoder_path(d), sh->what ? sh->what :
	    "something else");
	node_append(d->a, out, key, v);
}

static void
nullwalk(const struct model *m, struct node *n)
{
	size_t i;

	if (n->flags & NODE_NULLTYPE) {
		diag(DIAG_ERROR, n->loc, "%s", m->nulls[n->v.u].msg);
		n->flags = (n->flags & ~(unsigned)NODE_NULLTYPE) | NODE_BAD;
	} else if (n->kind == NODE_MAP) {
		for (i = 0; i < n->n; i++)
			nullwalk(m, n->c.pairs[i].val);
	} else if (n->kind == NODE_SEQ) {
		for (i = 0; i < n->n; i++)
			nullwalk(m, n->c.items[i]);
	}
}

void
model_nulls(struct model *m, struct node *root)
{
	if (m->nnulls)
		nullwalk(m, root);
}

/* the flags a decoded node keeps from the node it was read from */
static struct node *
keepflags(struct node *n, const struct node *raw)
{
	n->flags = raw->flags & (NODE_OVERRIDE | NODE_RESET | NODE_QUOTED |
	    NODE_INTERPOLATED);
	return n;
}

static struct node *
mknode(struct decoder *d, enum node_kind k, const struct node *raw)
{
	return keepflags(node_new(d->a, k, raw->loc), raw);
}

static struct node *
mkint(struct decoder *d, int64_t v, const struct node *raw)
{
	return keepflags(node_int(d->a, v, raw->loc), raw);
}

static int
strieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

static struct node *
decode_bool(struct decoder *d, const struct shape *sh, struct node *raw)
{
	static const char *const yes[] = { "y", "yes", "on" };
	static const char *const no[] = { "n", "no", "off" };
	size_t i;
	int v = -1;

	if (raw->kind == NODE_BOOL)
		return raw;
	if (raw->kind != NODE_STR) {
		badtype(d, sh, raw);
		return NULL;
	}
	if (strieq(raw->text, "true"))
		v = 1;
	else if (strieq(raw->text, "false"))
		v = 0;
	for (i = 0; v < 0 && i < countof(yes); i++) {
		if (strieq(raw->text, yes[i]))
			v = 1;
		else if (strieq(raw->text, no[i]))
			v = 0;
		if (v >= 0)
			decoder_warn(d, raw->loc, "%s: \"%s\" for a boolean is "
			    "not YAML 1.2; write %s", decoder_path(d),
			    raw->text, v ? "true" : "false");
	}
	if (v < 0) {
		decoder_error(d, raw->loc, "%s: invalid boolean \"%s\"",
		    decoder_path(d), raw->text);
		return NULL;
	}
	return keepflags(node_bool(d->a, v, raw->loc), raw);
}

static struct node *
decode_int(struct decoder *d, const struct shape *sh, struct node *raw)
{
	char *end;
	long long v;

	if (raw->kind == NODE_INT)
		return raw;
	/* the load types an integer too big for long long as a float;
	 * converting one out of range would be undefined */
	if (raw->kind == NODE_FLOAT && !(raw->v.f >= -0x1p63 &&
	    raw->v.f < 0x1p63) && raw->v.f == raw->v.f) {
		decoder_error(d, raw->loc, "%s: %s is out of range for an "
		    "integer", decoder_path(d), raw->text);
		return NULL;
	}
	if (raw->kind == NODE_FLOAT && raw->v.f == (double)(long long)raw->v.f)
		v = (long long)raw->v.f;
	else if (raw->kind == NODE_STR) {
		errno = 0;
		v = strtoll(raw->text, &end, 10);
		if (!*raw->text || *end || errno || isspace(
		    (unsigned char)*raw->text)) {
			decoder_error(d, raw->loc, "%s: \"%s\" is not an "
			    "integer", decoder_path(d), raw->text);
			return NULL;
		}
	} else {
		badtype(d, sh, raw);
		return NULL;
	}
	return mkint(d, v, raw);
}

static struct node *
decode_float(struct decoder *d, const struct shape *sh, struct node *raw)
{
	struct node *n;
	char *end;
	double v;

	if (raw->kind == NODE_FLOAT)
		return raw;
	if (raw->kind == NODE_INT)
		v = (double)raw->v.i;
	else if (raw->kind == NODE_STR) {
		errno = 0;
		v = strtod(raw->text, &end);
		if (!*raw->text || *end || errno) {
			decoder_error(d, raw->loc, "%s: \"%s\" is not a "
			    "number", decoder_path(d), raw->text);
			return NULL;
		}
	} else {
		badtype(d, sh, raw);
		return NULL;
	}
	n = mknode(d, NODE_FLOAT, raw);
	n->v.f = sh->kind == SK_FLOAT32 ? (double)(float)v : v;
	n->text = raw->text;
	n->len = raw->len;
	return n;
}

static struct node *
decode_duration(struct decoder *d, const struct shape *sh, struct node *raw)
{
	struct buf b = BUF_INIT;
	struct node *n;
	int64_t ns;

	if (raw->kind != NODE_STR) {
		badtype(d, sh, raw);
		return NULL;
	}
	if (duration_parse(raw->text, &ns, &b) < 0) {
		decoder_error(d, raw->loc, "%s: %s", decoder_path(d),
		    buf_str(&b));
		buf_release(&b);
		return NULL;
	}
	buf_reset(&b);
	duration_format(&b, ns);
	n = mknode(d, NODE_STR, raw);
	n->v.i = ns;
	n->text = arena_strdup(d->a, buf_str(&b));
	n->len = b.len;
	buf_release(&b);
	return n;
}

static struct node *
decode_bytes(struct decoder *d, const struct shape *sh, struct node *raw)
{
	struct buf b = BUF_INIT;
	int64_t v = 0;

	if (raw->kind == NODE_INT) {
		v = raw->v.i;
	} else if (raw->kind == NODE_FLOAT) {
		/* compose-go silently reads a YAML float as 0 here */
		decoder_warn(d, raw->loc, "%s: a fractional number of bytes "
		    "is read as 0 by compose; write \"%s\" with a unit",
		    decoder_path(d), raw->text);
	} else if (raw->kind == NODE_STR) {
		if (size_parse(raw->text, &v, &b) < 0) {
			decoder_error(d, raw->loc, "%s: %s", decoder_path(d),
			    buf_str(&b));
			buf_release(&b);
			return NULL;
		}
	} else {
		badtype(d, sh, raw);
		return NULL;
	}
	buf_release(&b);
	return mkint(d, v, raw);
}

static struct node *
decode_octal(struct decoder *d, const struct shape *sh, struct node *raw)
{
	char *end;
	long v;

	if (raw->kind == NODE_INT)
		return raw;
	if (raw->kind != NODE_STR) {
		badtype(d, sh, raw);
		return NULL;
	}
	/* compose-go 2.0.2 reads a quoted mode as decimal; later versions
	 * as octal.  c2sh follows 2.0.2 (the reference) and says so. */
	v = strtol(raw->text, &end, 10);
	if (!*raw->text || *end) {
		decoder_error(d, raw->loc, "%s: \"%s\" is not a file mode",
		    decoder_path(d), raw->text);
		return NULL;
	}
	decoder_warn(d, raw->loc, "%s: a quoted mode is read as decimal by "
	    "Compose 2.26.1 (\"%s\" = octal %lo); write it unquoted as 0%lo",
	    decoder_path(d), raw->text, (unsigned long)v, (unsigned long)v);
	return mkint(d, v, raw);
}

static struct node *decode(struct decoder *, const struct shape *,
    struct node *);

/* Decode a value that keeps its key even when it is wrong: a bad value
 * becomes a NODE_BAD null, so no later check reports it missing. */
static struct node *
decodekept(struct decoder *d, const struct shape *sh, struct node *raw)
{
	unsigned before = diag_errors();
	struct node *v = decode(d, sh, raw), *bad;

	if (v || diag_errors() == before)
		return v;
	bad = node_new(d->a, NODE_NULL, raw->loc);
	bad->flags |= NODE_BAD;
	return bad;
}

enum nullmode { NULL_UNSET, NULL_KEEP, NULL_DECODE };

/* Decode the value of one mapping entry and append it under key.  A value
 * tagged !reset (or bad) stays as a null placeholder for the merge; a
 * null value is dropped, kept or decoded as nullmode says. */
static void
putvalue(struct decoder *d, struct node *out, struct node *key,
    struct node *val, const struct shape *sh, enum nullmode nullmode)
{
	struct node *v;

	if (val->flags & (NODE_RESET | NODE_BAD))
		v = mknode(d, NODE_NULL, val);
	else if (val->kind == NODE_NULL && nullmode == NULL_UNSET)
		v = NULL;
	else if (val->kind == NODE_NULL && nullmode == NULL_KEEP)
		v = val;
	else
		v = decodekept(d, sh, val);
	if (v) {
		v->flags |= val->flags & NODE_OVERRIDE;
		node_append(d->a, out, key, v);
	}
}

static int
isext(const char *key)
{
	return key[0] == 'x' && key[1] == '-';
}

static struct node *
decode_struct(struct decoder *d, const struct shape *sh, struct node *raw)
{
	const struct field *f;
	struct node *out, *key, *val;
	size_t i, old;

	if (raw->kind != NODE_MAP) {
		badtype(d, sh, raw);
		return NULL;
	}
	out = mknode(d, NODE_MAP, raw);
	for (i = 0; i < raw->n; i++) {
		key = raw->c.pairs[i].key;
		val = raw->c.pairs[i].val;
		if (key->flags & NODE_BAD) {
			out->flags |= NODE_BAD;	/* reported by the loader */
			continue;
		}
		if (isext(key->text) && sh->extensions) {
			node_append(d->a, out, key, val);
			continue;
		}
		f = schema_field(sh, key->text);
		if (!f) {
			unknownkey(d, sh, key);
			out->flags |= NODE_BAD;
			continue;
		}
		old = pathkey(d, key->text);
		if (f->flags & FF_UNSUPPORTED && !(f->flags & FF_LOADS &&
		    d->m->probe)) {
			decoder_error(d, key->loc, "%s: not supported: %s",
			    decoder_path(d), f->note);
			out->flags |= NODE_BAD;
			pathpop(d, old);
			continue;
		}
		if (val->kind == NODE_NULL && !(val->flags & (NODE_RESET |
		    NODE_BAD)) && !(f->flags & FF_NULLABLE)) {
			wrongnull(d, out, key, val, f->shape);
			pathpop(d, old);
			continue;
		}
		if (f->flags & FF_WARN)
			decoder_warn(d, key->loc, "%s: not honoured: %s",
			    decoder_path(d), f->note);
		if (f->flags & FF_IGNORED && val->kind != NODE_NULL)
			ledger(d->m, d->a, decoder_path(d), f->note, key->loc);
		/* a null field (FF_NULLABLE) is unset, as if not written */
		putvalue(d, out, key, val, f->shape, NULL_UNSET);
		pathpop(d, old);
	}
	/* the keys Compose requires, checked here, before any later stage
	 * can meet a missing node (a key written with a bad value was
	 * reported already) */
	for (f = sh->fields; f->name; f++)
		if (f->flags & FF_REQUIRED && !node_get(out, f->name) &&
		    !node_get(raw, f->name)) {
			decoder_error(d, raw->loc, "%s: %s", decoder_path(d),
			    f->note);
			out->flags |= NODE_BAD;
		}
	return out;
}

static int
validname(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return 0;
	return 1;
}

static struct node *
decode_map(struct decoder *d, const struct shape *sh, struct node *raw)
{
	struct node *out, *key, *val;
	size_t i, old;

	if (raw->kind != NODE_MAP) {
		badtype(d, sh, raw);
		return NULL;
	}
	out = mknode(d, NODE_MAP, raw);
	for (i = 0; i < raw->n; i++) {
		key = raw->c.pairs[i].key;
		val = raw->c.pairs[i].val;
		old = pathkey(d, key->text);
		if (sh->names && !isext(key->text) && !validname(key->text)) {
			decoder_error(d, key->loc, "%s: invalid name '%s': "
			    "use only letters, digits, '.', '_' and '-'",
			    decoder_path(d), key->text);
			out->flags |= NODE_BAD;
			pathpop(d, old);
			continue;
		}
		/* a null entry is valueless, unless its canonicalizer gives
		 * it a meaning (a null network definition is an empty one),
		 * or the map refuses it */
		if (sh->check & CK_NONULL && val->kind == NODE_NULL &&
		    !(val->flags & (NODE_RESET | NODE_BAD)))
			wrongnull(d, out, key, val, sh->elem);
		else
			putvalue(d, out, key, val, sh->elem, sh->elem->canon ?
			    NULL_DECODE : NULL_KEEP);
		pathpop(d, old);
	}
	return out;
}

static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3u;
	return h;
}

/* Items with the same identity are one: the later replaces the earlier
 * in the earlier's place (compose's merge uniqueness rule).  A port range
 * is tens of thousands of items: the identities go in a hash table. */
static void
dedupe(struct arena *a, const struct shape *sh, struct node *seq)
{
	const char **ids;
	size_t *slot, cap, i, j, n = 0;

	if (!sh->uniq || seq->n < 2)
		return;
	for (cap = 4; cap < 2 * seq->n; cap *= 2)
		;
	ids = arena_alloc(a, seq->n * sizeof(*ids));
	slot = arena_alloc(a, cap * sizeof(*slot));	/* index + 1; 0 free */
	memset(slot, 0, cap * sizeof(*slot));
	for (i = 0; i < seq->n; i++) {
		const char *id = sh->uniq(a, seq->c.items[i]);

		if (!id) {
			ids[n] = NULL;
			seq->c.items[n++] = seq->c.items[i];
			continue;
		}
		for (j = fnv1a(id) & (cap - 1); slot[j]; j = (j + 1) &
		    (cap - 1))
			if (strcmp(ids[slot[j] - 1], id) == 0)
				break;
		if (slot[j]) {
			seq->c.items[slot[j] - 1] = seq->c.items[i];
			continue;
		}
		slot[j] = n + 1;
		ids[n] = id;
		seq->c.items[n++] = seq->c.items[i];
	}
	seq->n = n;
}

static struct node *
decode_list(struct decoder *d, const struct shape *sh, struct node *raw)
{
	struct node *out, *v;
	size_t i, old;

	if (raw->kind != NODE_SEQ) {
		badtype(d, sh, raw);
		return NULL;
	}
	out = mknode(d, NODE_SEQ, raw);
	for (i = 0; i < raw->n; i++) {
		old = pathindex(d, i);
		/* a null scalar means something in a mapping (a valueless
		 * variable), nothing in a list: Compose refuses it */
		if (raw->c.items[i]->kind == NODE_NULL &&
		    (sh->elem->kind == SK_SCALAR || sh->elem->kind == SK_STRING)) {
			decoder_error(d, raw->c.items[i]->loc, "%s: unexpected "
			    "type <nil>: a list item cannot be null",
			    decoder_path(d));
			out->flags |= NODE_BAD;
			pathpop(d, old);
			continue;
		}
		v = decode(d, sh->elem, raw->c.items[i]);
		if (v)
			node_push(d->a, out, v);
		pathpop(d, old);
	}
	dedupe(d->a, sh, out);
	return out;
}

static struct node *
decode_kind(struct decoder *d, const struct shape *sh, struct node *raw)
{
	struct buf b = BUF_INIT;
	struct node *n;

	if (sh->canon) {
		raw = sh->canon(d, raw);
		if (!raw)
			return NULL;
	}
	switch (sh->kind) {
	case SK_ANY:
		return raw;
	case SK_STRING:
		if (raw->kind == NODE_STR)
			return raw;
		badtype(d, sh, raw);
		return NULL;
	case SK_SCALAR:
		if (raw->kind == NODE_STR || raw->kind == NODE_NULL)
			return raw;
		if (!node_is_scalar(raw)) {
			badtype(d, sh, raw);
			return NULL;
		}
		node_scalar_string(&b, raw);
		if (strcmp(buf_str(&b), raw->text) != 0)
			decoder_warn(d, raw->loc, "%s: %s is read as the %s %s, "
			    "as Compose reads it; quote it to keep \"%s\"",
			    decoder_path(d), raw->text,
			    node_kindname(raw->kind), buf_str(&b), raw->text);
		n = mknode(d, NODE_STR, raw);
		n->len = b.len;
		n->text = arena_strndup(d->a, buf_str(&b), b.len);
		buf_release(&b);
		return n;
	case SK_BOOL:
		return decode_bool(d, sh, raw);
	case SK_INT:
		return decode_int(d, sh, raw);
	case SK_FLOAT:
	case SK_FLOAT32:
		return decode_float(d, sh, raw);
	case SK_DURATION:
		return decode_duration(d, sh, raw);
	case SK_BYTES:
		return decode_bytes(d, sh, raw);
	case SK_OCTAL:
		return decode_octal(d, sh, raw);
	case SK_STRUCT:
		return decode_struct(d, sh, raw);
	case SK_MAP:
		return decode_map(d, sh, raw);
	case SK_LIST:
		return decode_list(d, sh, raw);
	}
	BUG("shape kind %d", sh->kind);
}

/* the checks of sh->check and sh->oneof on the value v decoded from raw;
 * 0 or -1 */
static int
checkvalue(struct decoder *d, const struct shape *sh, const struct node *raw,
    const struct node *v)
{
	const char *const *o;
	struct buf b = BUF_INIT;
	int below, above;

	if (v->kind == NODE_INT && raw->kind == NODE_INT &&
	    raw->flags & NODE_UNSIGNED) {
		below = 0;	/* above INT64_MAX, whatever v holds */
		above = sh->check & CK_MAX;
	} else if (v->kind == NODE_INT) {
		below = sh->check & CK_MIN && v->v.i < sh->min;
		above = sh->check & CK_MAX && v->v.i > sh->max;
	} else if (v->kind == NODE_FLOAT) {
		below = sh->check & CK_MIN && v->v.f < (double)sh->min;
		above = sh->check & CK_MAX && v->v.f > (double)sh->max;
	} else {
		below = above = 0;
	}
	if (below || above) {
		decoder_error(d, v->loc, "%s: must be %s %" PRId64,
		    decoder_path(d), below ? "at least" : "at most",
		    below ? sh->min : sh->max);
		return -1;
	}
	if (!sh->oneof || v->kind != NODE_STR)
		return 0;
	for (o = sh->oneof; *o; o++)
		if (strcmp(*o, v->text) == 0)
			return 0;
	for (o = sh->oneof; *o; o++)
		buf_printf(&b, "%s\"%s\"", o == sh->oneof ? "" : ", ", *o);
	decoder_error(d, v->loc, "%s: must be one of the following: %s",
	    decoder_path(d), buf_str(&b));
	buf_release(&b);
	return -1;
}

/* Decode raw as sh says: its kind, then what sh->check adds */
static struct node *
decode(struct decoder *d, const struct shape *sh, struct node *raw)
{
	struct node *v;

	if (sh->check & CK_NONUM && (raw->kind == NODE_INT ||
	    raw->kind == NODE_FLOAT)) {
		badtype(d, sh, raw);
		return NULL;
	}
	if (sh->check & CK_NOBIG && raw->kind == NODE_INT &&
	    raw->flags & NODE_UNSIGNED) {
		decoder_error(d, raw->loc, "%s: %s is out of range",
		    decoder_path(d), raw->text);
		return NULL;
	}
	v = decode_kind(d, sh, raw);
	if (v && (sh->check || sh->oneof) && checkvalue(d, sh, raw, v) < 0)
		return NULL;
	return v;
}

struct node *
model_decode(struct arena *a, struct model *m, struct node *doc)
{
	struct decoder d = { a, m, BUF_INIT };
	struct node *out;

	if (!doc || doc->kind != NODE_MAP)
		return NULL;	/* the loader reported it */
	out = decode(&d, &schema_project, doc);
	buf_release(&d.path);
	return out;
}

const char *
model_str(const struct node *map, const char *key)
{
	const struct node *n = node_get(map, key);

	return n && n->kind == NODE_STR ? n->text : NULL;
}

int
model_bool(const struct node *map, const char *key)
{
	const struct node *n = node_get(map, key);

	return n && n->kind == NODE_BOOL && n->v.b;
}

struct service *
model_service(const struct model *m, const char *name)
{
	size_t lo = 0, hi = m->nbyname, mid;
	int c;

	/* services sorted by name (model_finish), so large projects stay
	 * linear overall */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(m->byname[mid]->name, name);
		if (c == 0)
			return m->byname[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct resdef *
model_resdef(const struct resdefs *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->v[i].key, key) == 0)
			return &r->v[i];
	return NULL;
}

/* ---- merging several files -------------------------------------------- */

/* compose's generic YAML merge, for x- extensions */
static struct node *
mergeany(struct arena *a, struct node *base, struct node *over)
{
	size_t i;

	if (!base || over->flags & NODE_OVERRIDE)
		return over;
	if (over->kind == NODE_NULL)
		return base;
	if (base->kind == NODE_MAP && over->kind == NODE_MAP) {
		for (i = 0; i < over->n; i++)
			node_set(a, base, over->c.pairs[i].key,
			    mergeany(a, node_get(base,
			    over->c.pairs[i].key->text),
			    over->c.pairs[i].val));
		return base;
	}
	if (base->kind == NODE_SEQ && over->kind == NODE_SEQ) {
		struct node *seq = node_new(a, NODE_SEQ, base->loc);

		for (i = 0; i < base->n; i++)
			node_push(a, seq, base->c.items[i]);
		for (i = 0; i < over->n; i++)
			node_push(a, seq, over->c.items[i]);
		return seq;
	}
	return over;
}

/* both set a driver, and not the same one */
static int
otherdriver(const struct node *base, const struct node *over)
{
	const char *b = model_str(base, "driver"), *o = model_str(over,
	    "driver");

	return b && o && strcmp(b, o) != 0;
}

static struct node *
merge(struct arena *a, const struct shape *sh, struct node *base,
    struct node *over)
{
	const struct field *f;
	struct node *r, *seq;
	const char *key;
	size_t i;

	if (!over)
		return base;
	if (over->flags & NODE_RESET)
		return NULL;
	if (over->flags & NODE_OVERRIDE) {
		over->flags &= ~(unsigned)NODE_OVERRIDE;
		return over;
	}
	if (!base)
		return over;
	if (over->kind == NODE_NULL)
		return base;	/* an empty value in an override changes nothing */
	switch (sh->kind) {
	case SK_STRUCT:
	case SK_MAP:
		if (base->kind != NODE_MAP || over->kind != NODE_MAP)
			return over;
		for (i = 0; i < over->n; i++) {
			key = over->c.pairs[i].key->text;
			f = sh->kind == SK_STRUCT ? schema_field(sh, key) : NULL;
			if (sh->kind == SK_STRUCT && !f)
				r = mergeany(a, node_get(base, key),
				    over->c.pairs[i].val);
			else if (f && (f->flags & FF_REPLACE ||
			    (f->flags & FF_BYDRIVER && otherdriver(
			    node_get(base, key), over->c.pairs[i].val))))
				r = over->c.pairs[i].val;
			else
				r = merge(a, f ? f->shape : sh->elem,
				    node_get(base, key), over->c.pairs[i].val);
			if (r)
				node_set(a, base, over->c.pairs[i].key, r);
			else
				node_del(base, key);
		}
		return base;
	case SK_LIST:
		if (base->kind != NODE_SEQ || over->kind != NODE_SEQ)
			return over;
		seq = node_new(a, NODE_SEQ, base->loc);
		for (i = 0; i < base->n; i++)
			node_push(a, seq, base->c.items[i]);
		for (i = 0; i < over->n; i++)
			node_push(a, seq, over->c.items[i]);
		dedupe(a, sh, seq);
		return seq;
	default:
		return over;	/* scalars and SK_ANY: the later file wins */
	}
}

/* Clear merge tags left on nodes that had nothing to override. */
static void
untag(struct node *n)
{
	size_t i;

	n->flags &= ~(unsigned)(NODE_OVERRIDE | NODE_RESET);
	if (n->kind == NODE_MAP)
		for (i = 0; i < n->n; i++)
			untag(n->c.pairs[i].val);
	else if (n->kind == NODE_SEQ)
		for (i = 0; i < n->n; i++)
			untag(n->c.items[i]);
}

/* In the first document there is nothing to reset: drop such keys. */
static void
dropresets(struct node *n)
{
	size_t i;

	if (n->kind == NODE_MAP) {
		for (i = 0; i < n->n;) {
			if (n->c.pairs[i].val->flags & NODE_RESET) {
				node_del(n, n->c.pairs[i].key->text);
				continue;
			}
			dropresets(n->c.pairs[i].val);
			i++;
		}
	} else if (n->kind == NODE_SEQ) {
		for (i = 0; i < n->n; i++)
			dropresets(n->c.items[i]);
	}
}

struct node *
model_merge_service(struct arena *a, struct node *base, struct node *over)
{
	struct node *r = merge(a, &schema_service, base, over);

	if (r)
		untag(r);
	return r;
}

struct node *
model_merge(struct arena *a, struct node *base, struct node *over)
{
	struct node *r;

	if (!over)
		return base;
	if (!base) {
		dropresets(over);
		untag(over);
		return over;
	}
	r = merge(a, &schema_project, base, over);
	if (r)
		untag(r);
	return r;
}

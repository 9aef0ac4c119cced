/* modeljson.c: Go encoding/json of the canonical model, schema-driven. */
#include "modeljson.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "gojson.h"
#include "node.h"
#include "schema.h"
#include "sha256.h"
#include "util.h"

static void value(struct buf *, const struct shape *, const struct node *,
    unsigned);

static void
str(struct buf *b, const char *s, size_t n)
{
	gojson_string(b, s, n);
}

/* a string value; with MJ_DOLLAR each $ doubled */
static void
sval(struct buf *b, const char *s, size_t n, unsigned flags)
{
	struct buf t = BUF_INIT;
	size_t i;

	if (!(flags & MJ_DOLLAR) || !memchr(s, '$', n)) {
		str(b, s, n);
		return;
	}
	for (i = 0; i < n; i++) {
		if (s[i] == '$')
			buf_putc(&t, '$');
		buf_putc(&t, s[i]);
	}
	str(b, t.data, t.len);
	buf_release(&t);
}

static int
paircmp(const void *a, const void *b)
{
	const struct pair *const *x = a, *const *y = b;

	return strcmp((*x)->key->text, (*y)->key->text);
}

static int
pairyamlcmp(const void *a, const void *b)
{
	const struct pair *const *x = a, *const *y = b;

	return goyaml_keycmp((*x)->key->text, (*y)->key->text);
}

/* Go's JSON marshals maps with their keys sorted bytewise; its YAML
 * encoder in an order of its own (goyaml_keycmp). */
static const struct pair **
sorted(const struct node *map, unsigned flags)
{
	const struct pair **v = xmalloc((map->n ? map->n : 1) * sizeof(*v));
	size_t i;

	for (i = 0; i < map->n; i++)
		v[i] = &map->c.pairs[i];
	qsort(v, map->n, sizeof(*v), flags & MJ_YAML ? pairyamlcmp : paircmp);
	return v;
}

static void
any(struct buf *b, const struct node *n, unsigned flags)
{
	const struct pair **v;
	const struct node *soft, *hard;
	size_t i;

	switch (n->kind) {
	case NODE_MAP:
		soft = node_get(n, "soft");
		hard = node_get(n, "hard");
		if (n->n == 2 && soft && hard) {	/* ulimits keep Go's order */
			buf_puts(b, "{\"soft\":");
			any(b, soft, flags);
			buf_puts(b, ",\"hard\":");
			any(b, hard, flags);
			buf_putc(b, '}');
			return;
		}
		v = sorted(n, flags);
		buf_putc(b, '{');
		for (i = 0; i < n->n; i++) {
			if (i)
				buf_putc(b, ',');
			str(b, v[i]->key->text, v[i]->key->len);
			buf_putc(b, ':');
			any(b, v[i]->val, flags);
		}
		buf_putc(b, '}');
		free(v);
		break;
	case NODE_SEQ:
		buf_putc(b, '[');
		for (i = 0; i < n->n; i++) {
			if (i)
				buf_putc(b, ',');
			any(b, n->c.items[i], flags);
		}
		buf_putc(b, ']');
		break;
	case NODE_NULL:
		buf_puts(b, "null");
		break;
	case NODE_STR:
		sval(b, n->text, n->len, flags);
		break;
	case NODE_FLOAT:
		gojson_float64(b, n->v.f);
		break;
	default:
		node_scalar_string(b, n);
		break;
	}
}

/* Go's omitempty: false, 0, "", and empty maps and slices */
static int
isempty(const struct shape *sh, const struct node *n)
{
	switch (n->kind) {
	case NODE_NULL:
		return 1;
	case NODE_BOOL:
		return !n->v.b;
	case NODE_INT:
		return n->v.i == 0;
	case NODE_FLOAT:
		return n->v.f == 0;
	case NODE_STR:
		return sh->kind == SK_DURATION ? n->v.i == 0 : n->len == 0;
	case NODE_SEQ:
	case NODE_MAP:
		return n->n == 0 && sh->kind != SK_STRUCT;
	}
	return 0;
}

static void
structure(struct buf *b, const struct shape *sh, const struct node *n,
    unsigned flags)
{
	const struct field *f;
	const struct node *v;
	struct buf t = BUF_INIT;
	unsigned noomit;
	size_t i;
	int first = 1;

	buf_putc(b, '{');
	for (f = sh->fields; f->name; f++) {
		if (f->flags & FF_NOJSON || (flags & MJ_HASH &&
		    f->flags & FF_NOHASH))
			continue;
		noomit = f->flags & FF_NOOMIT;
		v = n ? node_get(n, f->name) : NULL;
		if (v && v->kind == NODE_NULL && f->shape->kind != SK_SCALAR)
			v = NULL;
		if (!v && (!noomit || flags & MJ_YAML))
			continue;
		if (v && !(f->flags & FF_PTR) && !noomit &&
		    f->shape->kind != SK_STRUCT && isempty(f->shape, v))
			continue;
		if (flags & MJ_YAML && f->shape->kind == SK_STRUCT &&
		    f->flags & FF_NOOMIT) {
			/* yaml's omitempty leaves out a zero struct (a Go
			 * struct value: JSON prints it, having no omitempty);
			 * a set pointer to an empty struct stays, as {} */
			buf_reset(&t);
			value(&t, f->shape, v, flags);
			if (t.len == 2)
				continue;
		}
		if (!first)
			buf_putc(b, ',');
		first = 0;
		buf_putc(b, '"');
		buf_puts(b, f->json && !(flags & MJ_YAML) ? f->json : f->name);
		buf_puts(b, "\":");
		if (v)
			value(b, f->shape, v, flags);
		else if (f->shape->kind == SK_STRUCT)
			structure(b, f->shape, NULL, flags);
		else if (f->shape->kind == SK_ANY)
			buf_puts(b, "{}");
		else if (f->shape->kind == SK_BOOL)
			buf_puts(b, "false");
		else
			buf_puts(b, "null");
	}
	/* the x- extensions: YAML prints them, sorted as the map they are in
	 * compose-go; JSON leaves them out */
	if (flags & MJ_YAML && n && sh->extensions) {
		const struct pair **ext = sorted(n, flags);

		for (i = 0; i < n->n; i++) {
			if (strncmp(ext[i]->key->text, "x-", 2))
				continue;
			if (!first)
				buf_putc(b, ',');
			first = 0;
			str(b, ext[i]->key->text, ext[i]->key->len);
			buf_putc(b, ':');
			any(b, ext[i]->val, flags);
		}
		free(ext);
	}
	buf_release(&t);
	buf_putc(b, '}');
}

static void
value(struct buf *b, const struct shape *sh, const struct node *n,
    unsigned flags)
{
	const struct pair **v;
	size_t i;

	switch (sh->kind) {
	case SK_STRUCT:
		structure(b, sh, n, flags);
		break;
	case SK_MAP:
		v = sorted(n, flags);
		buf_putc(b, '{');
		for (i = 0; i < n->n; i++) {
			if (i)
				buf_putc(b, ',');
			str(b, v[i]->key->text, v[i]->key->len);
			buf_putc(b, ':');
			if (v[i]->val->kind == NODE_NULL)
				buf_puts(b, "null");
			else
				value(b, sh->elem, v[i]->val, flags);
		}
		buf_putc(b, '}');
		free(v);
		break;
	case SK_LIST:
		buf_putc(b, '[');
		for (i = 0; i < n->n; i++) {
			if (i)
				buf_putc(b, ',');
			value(b, sh->elem, n->c.items[i], flags);
		}
		buf_putc(b, ']');
		break;
	case SK_STRING:
	case SK_SCALAR:
	case SK_DURATION:
		if (n->kind == NODE_NULL)
			buf_puts(b, "null");
		else
			sval(b, n->text, n->len, flags);
		break;
	case SK_BYTES:
		buf_putc(b, '"');
		node_scalar_string(b, n);
		buf_putc(b, '"');
		break;
	case SK_FLOAT32:
		gojson_float32(b, n->v.f);
		break;
	case SK_FLOAT:
		gojson_float64(b, n->v.f);
		break;
	case SK_BOOL:
	case SK_INT:
	case SK_OCTAL:
		node_scalar_string(b, n);
		break;
	case SK_ANY:
		any(b, n, flags);
		break;
	}
}

void
modeljson(struct buf *b, const struct shape *sh, const struct node *n,
    unsigned flags)
{
	value(b, sh, n, flags);
}

void
modeljson_hash(const struct node *service, char out[65])
{
	struct buf b = BUF_INIT;

	modeljson(&b, &schema_service, service, MJ_HASH);
	sha256_hex(b.data, b.len, out);
	buf_release(&b);
}

/* node.c: construction, lookup and typing of YAML nodes. */
#include "node.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "gojson.h"
#include "util.h"

struct node *
node_new(struct arena *a, enum node_kind k, struct loc l)
{
	struct node *n = arena_alloc(a, sizeof(*n));

	n->kind = k;
	n->loc = l;
	n->text = "";
	return n;
}

struct node *
node_str(struct arena *a, const char *s, struct loc l)
{
	struct node *n = node_new(a, NODE_STR, l);

	n->len = strlen(s);
	n->text = arena_strndup(a, s, n->len);
	n->flags |= NODE_QUOTED;
	return n;
}

struct node *
node_int(struct arena *a, int64_t v, struct loc l)
{
	struct node *n = node_new(a, NODE_INT, l);

	n->v.i = v;
	n->text = arena_printf(a, "%" PRId64, v);
	n->len = strlen(n->text);
	return n;
}

struct node *
node_bool(struct arena *a, int v, struct loc l)
{
	struct node *n = node_new(a, NODE_BOOL, l);

	n->v.b = v != 0;
	n->text = v ? "true" : "false";
	n->len = strlen(n->text);
	return n;
}

/* Capacity is the next power of two of n, so growth needs no extra field. */
static int
isfull(size_t n)
{
	return n >= 4 && (n & (n - 1)) == 0;
}

void
node_push(struct arena *a, struct node *seq, struct node *item)
{
	struct node **p;

	if (seq->n == 0 || isfull(seq->n)) {
		p = arena_alloc(a, (seq->n < 4 ? 4 : seq->n * 2) * sizeof(*p));
		if (seq->n)
			memcpy(p, seq->c.items, seq->n * sizeof(*p));
		seq->c.items = p;
	}
	seq->c.items[seq->n++] = item;
}

void
node_set(struct arena *a, struct node *map, struct node *key,
    struct node *val)
{
	struct pair *p = node_getpair(map, key->text);

	if (p)
		p->val = val;
	else
		node_append(a, map, key, val);
}

void
node_append(struct arena *a, struct node *map, struct node *key,
    struct node *val)
{
	struct pair *p;

	if (map->n == 0 || isfull(map->n)) {
		p = arena_alloc(a, (map->n < 4 ? 4 : map->n * 2) * sizeof(*p));
		if (map->n)
			memcpy(p, map->c.pairs, map->n * sizeof(*p));
		map->c.pairs = p;
	}
	map->c.pairs[map->n].key = key;
	map->c.pairs[map->n].val = val;
	map->n++;
}

struct pair *
node_getpair(const struct node *map, const char *key)
{
	size_t i;

	if (!map || map->kind != NODE_MAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (strcmp(map->c.pairs[i].key->text, key) == 0)
			return &map->c.pairs[i];
	return NULL;
}

struct node *
node_get(const struct node *map, const char *key)
{
	struct pair *p = node_getpair(map, key);

	return p ? p->val : NULL;
}

void
node_del(struct node *map, const char *key)
{
	struct pair *p = node_getpair(map, key);
	size_t i;

	if (!p)
		return;
	i = (size_t)(p - map->c.pairs);
	memmove(p, p + 1, (map->n - i - 1) * sizeof(*p));
	map->n--;
	/* capacity never shrinks, so the rule of isfull() stays safe */
}

struct node *
node_copy(struct arena *a, const struct node *n)
{
	struct node *c = node_new(a, n->kind, n->loc);
	size_t i;

	c->flags = n->flags;
	c->text = n->text;
	c->len = n->len;
	c->v = n->v;
	if (n->kind == NODE_SEQ)
		for (i = 0; i < n->n; i++)
			node_push(a, c, node_copy(a, n->c.items[i]));
	else if (n->kind == NODE_MAP)	/* its keys are unique already */
		for (i = 0; i < n->n; i++)
			node_append(a, c, n->c.pairs[i].key,
			    node_copy(a, n->c.pairs[i].val));
	return c;
}

static int
eq(const struct node *n, const char *s)
{
	return strcmp(n->text, s) == 0;
}

/* YAML 1.2 float syntax as go-yaml accepts it: [-+]?(\.d+|d+(\.d*)?)([eE][-+]?d+)? */
static int
isfloattext(const char *s)
{
	const char *p = s;
	int digits = 0;

	if (*p == '-' || *p == '+')
		p++;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9')
			p++, digits++;
		if (!digits)
			return 0;
	} else {
		while (*p >= '0' && *p <= '9')
			p++, digits++;
		if (!digits)
			return 0;
		if (*p == '.')
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

/* Go's strconv.ParseInt/ParseUint with base 0: 0x, 0o, 0b, leading 0 octal,
 * underscores only between digits.  Returns 1 and the magnitude. */
static int
parseint(const char *s, int *neg, uint64_t *mag)
{
	const char *p = s;
	unsigned base = 10, d;
	uint64_t v = 0;
	int any = 0, lastus = 0, prefixed = 0;

	*neg = 0;
	if (*p == '-' || *p == '+')
		*neg = *p++ == '-';
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		base = 16, p += 2, prefixed = 1;
	else if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O'))
		base = 8, p += 2, prefixed = 1;
	else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B'))
		base = 2, p += 2, prefixed = 1;
	else if (p[0] == '0' && p[1])
		base = 8, p++, prefixed = 1;
	lastus = prefixed;	/* "0x_1" is allowed by Go */
	for (; *p; p++) {
		if (*p == '_') {
			if (lastus && !(prefixed && any == 0))
				return 0;
			lastus = 1;
			continue;
		}
		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (*p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (*p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			return 0;
		if (d >= base)
			return 0;
		if (v > (UINT64_MAX - d) / base)
			return 0;
		v = v * base + d;
		any = 1;
		lastus = 0;
	}
	if (lastus && any)
		return 0;
	if (!any)
		return prefixed && base == 8 && s[strlen(s) - 1] == '0';
	*mag = v;
	return 1;
}

void
node_type_plain(struct node *n)
{
	const char *s = n->text;
	int neg;
	uint64_t mag = 0;
	char *end;

	n->kind = NODE_STR;
	if (n->len != strlen(s))
		return;		/* a NUL inside: only a string can hold it */
	if (n->len == 0 || eq(n, "~") || eq(n, "null") || eq(n, "Null") ||
	    eq(n, "NULL")) {
		n->kind = NODE_NULL;
		return;
	}
	if (eq(n, "true") || eq(n, "True") || eq(n, "TRUE")) {
		n->kind = NODE_BOOL;
		n->v.b = 1;
		return;
	}
	if (eq(n, "false") || eq(n, "False") || eq(n, "FALSE")) {
		n->kind = NODE_BOOL;
		n->v.b = 0;
		return;
	}
	if (eq(n, ".inf") || eq(n, ".Inf") || eq(n, ".INF") ||
	    eq(n, "+.inf") || eq(n, "+.Inf") || eq(n, "+.INF")) {
		n->kind = NODE_FLOAT;
		n->v.f = INFINITY;
		return;
	}
	if (eq(n, "-.inf") || eq(n, "-.Inf") || eq(n, "-.INF")) {
		n->kind = NODE_FLOAT;
		n->v.f = -INFINITY;
		return;
	}
	if (eq(n, ".nan") || eq(n, ".NaN") || eq(n, ".NAN")) {
		n->kind = NODE_FLOAT;
		n->v.f = NAN;
		return;
	}
	if (!((s[0] >= '0' && s[0] <= '9') || s[0] == '-' || s[0] == '+' ||
	    s[0] == '.'))
		return;
	if (parseint(s, &neg, &mag)) {
		if (!neg && mag <= (uint64_t)INT64_MAX) {
			n->kind = NODE_INT;
			n->v.i = (int64_t)mag;
		} else if (neg && mag <= (uint64_t)INT64_MAX + 1) {
			n->kind = NODE_INT;
			n->v.i = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN :
			    -(int64_t)mag;
		} else if (!neg) {
			n->kind = NODE_INT;
			n->flags |= NODE_UNSIGNED;
			n->v.u = mag;
		}
		return;
	}
	if (isfloattext(s)) {
		errno = 0;
		n->v.f = strtod(s, &end);
		n->kind = NODE_FLOAT;
	}
}

void
node_scalar_string(struct buf *b, const struct node *n)
{
	switch (n->kind) {
	case NODE_NULL:
		break;
	case NODE_BOOL:
		buf_puts(b, n->v.b ? "true" : "false");
		break;
	case NODE_INT:
		if (n->flags & NODE_UNSIGNED)
			buf_printf(b, "%" PRIu64, n->v.u);
		else
			buf_printf(b, "%" PRId64, n->v.i);
		break;
	case NODE_FLOAT:
		gofmt_float(b, n->v.f);
		break;
	case NODE_STR:
		buf_putn(b, n->text, n->len);
		break;
	default:
		BUG("node_scalar_string on a %s", node_kindname(n->kind));
	}
}

const char *
node_kindname(enum node_kind k)
{
	static const char *const names[] = {
		[NODE_NULL] = "null",
		[NODE_BOOL] = "boolean",
		[NODE_INT] = "integer",
		[NODE_FLOAT] = "number",
		[NODE_STR] = "string",
		[NODE_SEQ] = "sequence",
		[NODE_MAP] = "mapping",
	};
	return names[k];
}

int
node_is_scalar(const struct node *n)
{
	return n->kind != NODE_SEQ && n->kind != NODE_MAP;
}

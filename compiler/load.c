/* load.c: libyaml events -> node trees, with positions. */
#include "load.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "node.h"
#include "util.h"

struct anchor {
	const char *name;
	struct node *node;	/* NULL while the anchored collection is open */
	size_t size;		/* nodes in it, to bound alias expansion */
	struct loc loc;
};

struct frame {
	struct node *node;	/* the open collection */
	struct node *key;	/* a mapping's key waiting for its value */
	int keyismerge;		/* that key is "<<" */
	struct node **merges;	/* values of "<<" keys, in order */
	size_t nmerges, capmerges;
	size_t start;		/* document node count when it opened */
	long anchor;		/* index into anchors, or -1 */
};

struct loader {
	struct arena *a;
	unsigned file;
	struct frame *stack;
	size_t depth, cap;
	struct anchor *anchors;
	size_t nanchors, capanchors;
	size_t count;		/* nodes in this document */
	size_t aliased;		/* of them, copied by aliases */
	int stop;		/* an error that makes the rest meaningless */
};

static struct loc
markloc(const struct loader *ld, yaml_mark_t start, yaml_mark_t end)
{
	struct loc l;

	l.file = ld->file;
	l.line = (unsigned)start.line + 1;
	l.col = (unsigned)start.column + 1;
	l.len = end.line == start.line && end.index > start.index ?
	    (unsigned)(end.index - start.index) : 1;
	return l;
}

static long
newanchor(struct loader *ld, const unsigned char *name, struct loc l)
{
	struct anchor *an;

	if (!name)
		return -1;
	ld->anchors = arena_grow(ld->a, ld->anchors, ld->nanchors,
	    &ld->capanchors, sizeof(*ld->anchors));
	an = &ld->anchors[ld->nanchors];
	an->name = arena_strdup(ld->a, (const char *)name);
	an->node = NULL;
	an->size = 0;
	an->loc = l;
	return (long)ld->nanchors++;
}

static void
closeanchor(struct loader *ld, long i, struct node *n, size_t size)
{
	if (i < 0)
		return;
	ld->anchors[i].node = n;
	ld->anchors[i].size = size;
}

/* The latest anchor of that name wins, as YAML says. */
static struct anchor *
findanchor(struct loader *ld, const char *name)
{
	size_t i;

	for (i = ld->nanchors; i-- > 0;)
		if (strcmp(ld->anchors[i].name, name) == 0)
			return &ld->anchors[i];
	return NULL;
}

static int
keycmp(const void *a, const void *b)
{
	const struct pair *const *x = a, *const *y = b;
	int c = strcmp((*x)->key->text, (*y)->key->text);

	if (c)
		return c;
	return *x < *y ? -1 : *x > *y;
}

/* Report duplicate keys (sorting, so a huge mapping stays O(n log n)). */
static void
checkdups(struct loader *ld, struct node *map)
{
	struct pair **v;
	size_t i;

	if (map->n < 2)
		return;
	v = xmalloc(map->n * sizeof(*v));
	for (i = 0; i < map->n; i++)
		v[i] = &map->c.pairs[i];
	qsort(v, map->n, sizeof(*v), keycmp);
	for (i = 1; i < map->n; i++) {
		if (strcmp(v[i]->key->text, v[i - 1]->key->text) != 0)
			continue;
		diag(DIAG_ERROR, v[i]->key->loc,
		    "mapping key '%s' already defined at line %u",
		    v[i]->key->text, v[i - 1]->key->loc.line);
	}
	free(v);
}

/* Apply "<<" merge keys: keys written in the mapping win, then earlier
 * merge sources win over later ones. */
static void
applymerges(struct loader *ld, struct frame *f)
{
	struct node *map = f->node, *src, *m;
	size_t i, j, k, nsrc;
	struct node **srcs;

	for (i = 0; i < f->nmerges; i++) {
		src = f->merges[i];
		if (src->kind == NODE_MAP) {
			srcs = &src;
			nsrc = 1;
		} else if (src->kind == NODE_SEQ) {
			srcs = src->c.items;
			nsrc = src->n;
		} else {
			diag(DIAG_ERROR, src->loc, "map merge requires map or "
			    "sequence of maps as the value");
			continue;
		}
		for (j = 0; j < nsrc; j++) {
			m = srcs[j];
			if (m->kind != NODE_MAP) {
				diag(DIAG_ERROR, m->loc, "map merge requires "
				    "map or sequence of maps as the value");
				continue;
			}
			for (k = 0; k < m->n; k++)
				if (!node_getpair(map, m->c.pairs[k].key->text))
					node_set(ld->a, map, m->c.pairs[k].key,
					    m->c.pairs[k].val);
		}
	}
}

static int
typetag(struct loader *ld, struct node *n, const char *tag)
{
	if (strcmp(tag, "!reset") == 0)
		n->flags |= NODE_RESET;
	else if (strcmp(tag, "!override") == 0)
		n->flags |= NODE_OVERRIDE;
	else if (strcmp(tag, YAML_STR_TAG) == 0 || strcmp(tag, "!") == 0)
		return 1;
	else if (strcmp(tag, YAML_INT_TAG) == 0 ||
	    strcmp(tag, YAML_FLOAT_TAG) == 0 ||
	    strcmp(tag, YAML_BOOL_TAG) == 0 ||
	    strcmp(tag, YAML_NULL_TAG) == 0 ||
	    strcmp(tag, YAML_MAP_TAG) == 0 ||
	    strcmp(tag, YAML_SEQ_TAG) == 0)
		return 0;
	else
		diag(DIAG_ERROR, n->loc, "unsupported YAML tag '%s'", tag);
	return 0;
}

/* Hand a finished node to its parent (or return it as the root). */
static struct node *
attach(struct loader *ld, struct node *n)
{
	struct frame *f;

	if (ld->depth == 0)
		return n;
	f = &ld->stack[ld->depth - 1];
	if (f->node->kind == NODE_SEQ) {
		node_push(ld->a, f->node, n);
		return NULL;
	}
	if (!f->key) {
		if (n->kind != NODE_STR) {
			if (node_is_scalar(n))
				diag(DIAG_ERROR, n->loc, "mapping key '%s' is "
				    "a %s, not a string; quote it", n->text,
				    node_kindname(n->kind));
			else
				diag(DIAG_ERROR, n->loc, "a %s cannot be a "
				    "mapping key", node_kindname(n->kind));
			n->kind = NODE_STR;
			n->flags |= NODE_BAD;
		}
		f->key = n;
		f->keyismerge = !(n->flags & NODE_QUOTED) &&
		    strcmp(n->text, "<<") == 0;
		return NULL;
	}
	if (f->keyismerge) {
		f->merges = arena_grow(ld->a, f->merges, f->nmerges,
		    &f->capmerges, sizeof(*f->merges));
		f->merges[f->nmerges++] = n;
		/* a second "<<" is a duplicate key like any other */
		if (f->nmerges > 1)
			diag(DIAG_ERROR, f->key->loc,
			    "mapping key '<<' already defined");
	} else {
		/* no lookup here: duplicates are found when the mapping ends */
		node_append(ld->a, f->node, f->key, n);
	}
	f->key = NULL;
	return NULL;
}

/* A scalar that holds a NUL (only a double-quoted one can: "\0",
 * "\x00", "\u0000") is an error: nothing can carry it to Docker, whose
 * every argument and environment entry ends at the first NUL.  Checked
 * here, once for every scalar of every file, key or value, with the key
 * path the decoder would print. */
static void
checknul(struct loader *ld, struct node *n, const yaml_event_t *ev)
{
	struct buf path = BUF_INIT;
	const struct frame *f;
	size_t i;

	if (!memchr(ev->data.scalar.value, '\0', ev->data.scalar.length))
		return;
	for (i = 0; i < ld->depth; i++) {
		f = &ld->stack[i];
		if (f->node->kind == NODE_SEQ) {
			buf_printf(&path, "[%zu]", f->node->n);
		} else if (f->key) {
			if (path.len)
				buf_putc(&path, '.');
			buf_puts(&path, f->key->text);
		}
	}
	f = ld->depth ? &ld->stack[ld->depth - 1] : NULL;
	diag(DIAG_ERROR, n->loc, "%s: %s holds a NUL character (\\0), which "
	    "cannot reach Docker: a docker argument ends at the first NUL",
	    path.len ? buf_str(&path) : "(top level)",
	    f && f->node->kind == NODE_MAP && !f->key ? "a key" : "the value");
	n->flags |= NODE_BAD;
	buf_release(&path);
}

/* Only copies made by aliases are bounded: the rest is bounded by the
 * size of the file itself. */
static int
count(struct loader *ld, size_t n, int alias, struct loc l)
{
	ld->count += n;
	if (!alias)
		return 1;
	ld->aliased += n;
	if (ld->aliased <= LOAD_MAX_ALIASED)
		return 1;
	diag(DIAG_ERROR, l, "excessive aliasing: aliases expand this document "
	    "by more than %d nodes", LOAD_MAX_ALIASED);
	ld->stop = 1;
	return 0;
}

static void
push(struct loader *ld, struct node *n, long anchor)
{
	struct frame *f;

	if (ld->depth == ld->cap) {
		ld->cap = ld->cap ? ld->cap * 2 : 16;
		ld->stack = xrealloc(ld->stack, ld->cap * sizeof(*ld->stack));
	}
	f = &ld->stack[ld->depth++];
	memset(f, 0, sizeof(*f));
	f->node = n;
	f->anchor = anchor;
	f->start = ld->count;
}

/* Returns the root when the document's root node is complete. */
static struct node *
event(struct loader *ld, yaml_event_t *ev, int *rootdone)
{
	struct loc l = markloc(ld, ev->start_mark, ev->end_mark);
	struct node *n, *root;
	struct anchor *an;
	struct frame *f;
	long anchor;

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		if (!count(ld, 1, 0, l))
			return NULL;
		n = node_new(ld->a, NODE_STR, l);
		n->len = ev->data.scalar.length;
		n->text = arena_strndup(ld->a,
		    (const char *)ev->data.scalar.value, n->len);
		if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
			n->flags |= NODE_QUOTED;
			/* point inside the quotes */
			if (ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE
			    || ev->data.scalar.style ==
			    YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
				n->loc.col++;
				n->loc.len = n->loc.len > 2 ? n->loc.len - 2 : 1;
			}
		}
		if (ev->data.scalar.tag &&
		    typetag(ld, n, (const char *)ev->data.scalar.tag))
			n->flags |= NODE_QUOTED;	/* !!str */
		if (!(n->flags & NODE_QUOTED))
			node_type_plain(n);
		checknul(ld, n, ev);
		anchor = newanchor(ld, ev->data.scalar.anchor, l);
		closeanchor(ld, anchor, n, 1);
		break;
	case YAML_ALIAS_EVENT:
		an = findanchor(ld, (const char *)ev->data.alias.anchor);
		if (!an) {
			diag(DIAG_ERROR, l, "unknown anchor '%s' referenced",
			    (const char *)ev->data.alias.anchor);
			n = node_new(ld->a, NODE_NULL, l);
			n->flags |= NODE_BAD;
			break;
		}
		if (!an->node) {
			diag(DIAG_ERROR, l, "alias '%s' refers to the "
			    "collection that contains it", an->name);
			ld->stop = 1;
			return NULL;
		}
		if (!count(ld, an->size, 1, l))
			return NULL;
		n = node_copy(ld->a, an->node);
		n->loc = l;	/* messages about the copy point at its use */
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (ld->depth >= LOAD_MAX_DEPTH) {
			diag(DIAG_ERROR, l, "collections nested deeper than %d",
			    LOAD_MAX_DEPTH);
			ld->stop = 1;
			return NULL;
		}
		if (!count(ld, 1, 0, l))
			return NULL;
		n = node_new(ld->a, ev->type == YAML_SEQUENCE_START_EVENT ?
		    NODE_SEQ : NODE_MAP, l);
		n->loc.len = 1;
		{
			const unsigned char *tag = ev->type ==
			    YAML_SEQUENCE_START_EVENT ?
			    ev->data.sequence_start.tag :
			    ev->data.mapping_start.tag;
			const unsigned char *anc = ev->type ==
			    YAML_SEQUENCE_START_EVENT ?
			    ev->data.sequence_start.anchor :
			    ev->data.mapping_start.anchor;

			if (tag)
				typetag(ld, n, (const char *)tag);
			push(ld, n, newanchor(ld, anc, l));
		}
		return NULL;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		f = &ld->stack[ld->depth - 1];
		n = f->node;
		if (n->kind == NODE_MAP) {
			checkdups(ld, n);
			applymerges(ld, f);
		}
		closeanchor(ld, f->anchor, n, ld->count - f->start + 1);
		ld->depth--;
		break;
	default:
		return NULL;
	}
	root = attach(ld, n);
	if (ld->depth == 0)
		*rootdone = 1;
	return root;
}

static void
parseerror(struct loader *ld, yaml_parser_t *p)
{
	struct loc l = markloc(ld, p->problem_mark, p->problem_mark);

	if (p->error == YAML_MEMORY_ERROR)
		fatal("out of memory");
	if (p->context)
		diag(DIAG_ERROR, l, "invalid YAML: %s %s", p->problem,
		    p->context);
	else
		diag(DIAG_ERROR, l, "invalid YAML: %s",
		    p->problem ? p->problem : "syntax error");
	/* where the unfinished construct began, e.g. an unclosed quote */
	if (p->context && (p->context_mark.line != p->problem_mark.line ||
	    p->context_mark.column != p->problem_mark.column))
		diag(DIAG_NOTE, markloc(ld, p->context_mark, p->context_mark),
		    "%s started here", p->context + (strncmp(p->context,
		    "while ", 6) == 0 ? 6 : 0));
}

unsigned
load_yaml(struct arena *a, unsigned file, struct node ***docs, size_t *ndocs,
    int *incomplete)
{
	struct loader ld = { 0 };
	yaml_parser_t p;
	yaml_event_t ev;
	struct node *root = NULL, *r;
	size_t len, cap = 0;
	const char *text = diag_filetext(file, &len);
	unsigned before = diag_errors();
	int done = 0, rootdone = 0, hasroot = 0;

	ld.a = a;
	ld.file = file;
	*docs = NULL;
	*ndocs = 0;
	if (!yaml_parser_initialize(&p))
		fatal("out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	while (!done && !ld.stop) {
		if (!yaml_parser_parse(&p, &ev)) {
			parseerror(&ld, &p);
			ld.stop = 1;
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			ld.count = ld.aliased = 0;
			ld.nanchors = 0;
			root = NULL;
			hasroot = 0;
			break;
		case YAML_DOCUMENT_END_EVENT:
			if (root && root->kind == NODE_NULL)
				root = NULL;
			if (root && root->kind != NODE_MAP)
				diag(DIAG_ERROR, root->loc,
				    "top-level object must be a mapping");
			*docs = arena_grow(a, *docs, *ndocs, &cap,
			    sizeof(**docs));
			(*docs)[(*ndocs)++] = root;
			break;
		default:
			r = event(&ld, &ev, &rootdone);
			if (rootdone && !hasroot) {
				root = r;
				hasroot = 1;
			}
			rootdone = 0;
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	free(ld.stack);
	*incomplete = ld.stop;
	return diag_errors() - before;
}

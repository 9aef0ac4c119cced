/*
 * node.h: the YAML node tree, with a position on every node.  The loader
 * builds it (anchors expanded, merge keys applied), interpolation rewrites
 * its string scalars in place, and the model reads it.  Scalars are typed
 * by YAML 1.2 rules as compose's YAML library types them.
 */
#ifndef C2SH_NODE_H
#define C2SH_NODE_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct arena;
struct buf;

enum node_kind {
	NODE_NULL,
	NODE_BOOL,
	NODE_INT,
	NODE_FLOAT,
	NODE_STR,
	NODE_SEQ,
	NODE_MAP,
};

enum node_flag {
	NODE_QUOTED = 1 << 0,	/* a quoted or block scalar: always a string */
	NODE_RESET = 1 << 1,	/* tagged !reset */
	NODE_OVERRIDE = 1 << 2,	/* tagged !override */
	NODE_UNSIGNED = 1 << 3,	/* NODE_INT above INT64_MAX: value in v.u */
	NODE_INTERPOLATED = 1 << 4,	/* text came out of ${...}: column offsets are approximate */
	NODE_SYNTH = 1 << 5,	/* made by c2sh, not written by the user */
	NODE_BAD = 1 << 6,	/* stands for a value that had errors: later
				 * checks must not report it missing */
	NODE_NULLTYPE = 1 << 7,	/* a null where a value is wanted: an error
				 * unless a later file's merge replaces it
				 * (model_nulls); v.u numbers its message */
};

struct pair;

struct node {
	enum node_kind kind;
	unsigned flags;
	struct loc loc;
	const char *text;	/* scalars: the text (a string's value); NUL-terminated */
	size_t len;		/* bytes of text */
	union {
		int b;
		int64_t i;
		uint64_t u;
		double f;
	} v;
	union {
		struct node **items;	/* NODE_SEQ */
		struct pair *pairs;	/* NODE_MAP, in document order */
	} c;
	size_t n;		/* items or pairs */
};

struct pair {
	struct node *key;	/* always a NODE_STR */
	struct node *val;
};

/* a new node of kind k at l */
struct node *node_new(struct arena *, enum node_kind k, struct loc l);
struct node *node_str(struct arena *, const char *s, struct loc l);
/* an integer or boolean node whose text is its canonical spelling */
struct node *node_int(struct arena *, int64_t v, struct loc l);
struct node *node_bool(struct arena *, int v, struct loc l);
/* append to a sequence / mapping (arena-grown; capacity is tracked in n) */
void node_push(struct arena *, struct node *seq, struct node *item);
void node_set(struct arena *, struct node *map, struct node *key, struct node *val);
/* add a pair without looking for the key first */
void node_append(struct arena *, struct node *map, struct node *key,
    struct node *val);
/* value of key in a mapping, or NULL; the pair itself with node_getpair */
struct node *node_get(const struct node *map, const char *key);
struct pair *node_getpair(const struct node *map, const char *key);
/* remove key from a mapping (no-op when absent) */
void node_del(struct node *map, const char *key);
/* a deep copy into arena a */
struct node *node_copy(struct arena *, const struct node *);
/* type a plain scalar by YAML 1.2 rules (sets kind and v) */
void node_type_plain(struct node *);
/* render a scalar as compose renders a non-string where a string is
 * expected (Go's default formatting: 1.0 -> "1", 017 -> "15") */
void node_scalar_string(struct buf *, const struct node *);
/* "mapping", "sequence", "string", ... for messages */
const char *node_kindname(enum node_kind);
int node_is_scalar(const struct node *);

#endif

/*
 * schema.h: the shape of a compose file, as tables.  One table entry per
 * compose key says what the key holds, how its short syntax becomes the
 * long form, how two files merge it, and whether it reaches the
 * deployment.  The decoder (model.c), the merge, the config hash and the
 * printers all walk the same tables, so a key is described only here.
 *
 * Struct fields are listed in the order of compose-go's Go structs
 * (compose-go v2.0.2, the loader of Compose 2.26.1), because the config
 * hash is the JSON of those structs in that order.
 */
#ifndef C2SH_SCHEMA_H
#define C2SH_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct arena;
struct node;
struct decoder;

enum shape_kind {
	SK_STRING,	/* a string; numbers refused, as compose's schema does */
	SK_SCALAR,	/* a string; numbers and booleans rendered as Go does */
	SK_BOOL,	/* true/false; "yes"/"no"... with a warning */
	SK_INT,
	SK_FLOAT,
	SK_FLOAT32,	/* a float32 in Go: JSON prints it at that precision */
	SK_DURATION,	/* "1m30s": canonical Go text, value in v.i (ns) */
	SK_BYTES,	/* 512m: NODE_INT bytes; JSON prints it as a string */
	SK_OCTAL,	/* file mode: a number as written, a string as octal */
	SK_STRUCT,	/* a mapping with the keys of .fields */
	SK_MAP,		/* a mapping with free keys, values of .elem */
	SK_LIST,	/* a sequence of .elem */
	SK_ANY,		/* kept as written: x- extensions */
};

enum field_flag {
	FF_IGNORED = 1 << 0,	/* accepted, changes nothing: goes to the ledger */
	FF_UNSUPPORTED = 1 << 1,	/* c2sh cannot honour it: an error */
	FF_WARN = 1 << 2,	/* c2sh cannot honour it: a warning */
	FF_NOOMIT = 1 << 3,	/* JSON: printed even when empty (null) */
	FF_NOJSON = 1 << 4,	/* JSON: never printed (Go tag "-") */
	FF_NOHASH = 1 << 5,	/* blanked before the config hash */
	FF_REPLACE = 1 << 6,	/* merge: the later file's value replaces */
	FF_PTR = 1 << 7,	/* JSON: a Go pointer, printed when set even if zero */
	FF_BYDRIVER = 1 << 8,	/* merge: replaced whole when both set different
				 * drivers (logging), else merged */
	FF_LOADS = 1 << 8,	/* with FF_UNSUPPORTED: Compose 2.26.1 loads it, so
				 * the loader probe (-t config) accepts and prints
				 * it; the deployment targets refuse it */
	FF_REQUIRED = 1 << 9,	/* a mapping without it is an error, its note
				 * the message (Compose's words) */
	FF_NULLABLE = 1 << 10,	/* null is allowed, and unsets it; elsewhere
				 * null is the wrong type, as in Compose */
};

/* Short syntax -> long form, on the raw node, before the generic decode.
 * Returns the node to decode (possibly raw itself), or NULL after an error
 * was reported. */
typedef struct node *canon_fn(struct decoder *, struct node *raw);
/* The identity of a list item for FF_UNIQUE merging; NULL: no key. */
typedef const char *uniq_fn(struct arena *, const struct node *item);

struct field;

struct shape {
	enum shape_kind kind;
	const struct field *fields;	/* SK_STRUCT, ended by a NULL name */
	const struct shape *elem;	/* SK_MAP, SK_LIST */
	canon_fn *canon;
	uniq_fn *uniq;			/* SK_LIST: items with the same identity
					 * are one (the later replaces) */
	int extensions;			/* SK_STRUCT: x- keys allowed */
	int names;			/* SK_MAP: keys must match [a-zA-Z0-9._-]+ */
	const char *what;		/* for "must be a ..." messages */
	unsigned check;			/* what the value must also be: CK_* */
	int64_t min, max;		/* CK_MIN, CK_MAX */
	const char *const *oneof;	/* SK_STRING: the values allowed, ended
					 * by NULL (the schema's enum) */
};

/* What Compose's schema, or its Go types, refuse beyond the shape's kind */
enum check {
	CK_MIN = 1 << 0,	/* a number below min is refused */
	CK_MAX = 1 << 1,	/* a number above max is refused */
	CK_NOBIG = 1 << 2,	/* an integer above INT64_MAX is refused */
	CK_NONUM = 1 << 3,	/* a number is refused: a string only */
	CK_NONULL = 1 << 4,	/* SK_MAP: a null value is the wrong type */
	CK_UINT = CK_MIN,	/* a Go unsigned type: min 0 */
};

struct field {
	const char *name;
	const struct shape *shape;
	unsigned flags;
	const char *note;		/* why it is ignored or unsupported */
	const char *json;		/* JSON name when not the YAML one */
};

extern const struct shape schema_project;	/* a whole compose file */
extern const struct shape schema_service;
extern const struct shape schema_network;
extern const struct shape schema_volume;

/* the field of a struct shape named name, or NULL */
const struct field *schema_field(const struct shape *, const char *name);

/* decoder services for the canon functions (model.c) */
struct arena *decoder_arena(struct decoder *);
const char *decoder_path(struct decoder *);
void decoder_error(struct decoder *, struct loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void decoder_warn(struct decoder *, struct loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* a key at path that changes nothing, and why: the plan's ledger */
void decoder_ledger(struct decoder *, struct loc, const char *path,
    const char *note);

#endif

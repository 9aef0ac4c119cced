/*
 * schema.c: the compose file format as tables (see schema.h), and the
 * short-syntax canonicalizers the tables name.  Keys follow the Compose
 * Specification's JSON schema; struct field order follows compose-go.
 */
#include "schema.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "node.h"
#include "ports.h"
#include "shellwords.h"
#include "util.h"
#include "volume.h"

/* ---- node helpers for canonicalizers ---------------------------------- */

static struct node *
mkmap(struct decoder *d, struct loc l)
{
	struct node *n = node_new(decoder_arena(d), NODE_MAP, l);

	n->flags |= NODE_SYNTH;
	return n;
}

static struct node *
mkstr(struct decoder *d, const char *s, struct loc l)
{
	return node_str(decoder_arena(d), s, l);
}

static struct node *
mkbool(struct decoder *d, int b, struct loc l)
{
	return node_bool(decoder_arena(d), b, l);
}

static struct node *
mkint(struct decoder *d, long long i, struct loc l)
{
	return node_int(decoder_arena(d), i, l);
}

static void
put(struct decoder *d, struct node *map, const char *key, struct node *val)
{
	node_set(decoder_arena(d), map, mkstr(d, key, val->loc), val);
}

/* Set key only when the user did not. */
static void
putdefault(struct decoder *d, struct node *map, const char *key,
    struct node *val)
{
	if (!node_get(map, key))
		put(d, map, key, val);
}

static const char *
scalartext(struct decoder *d, const struct node *n)
{
	struct buf b = BUF_INIT;
	const char *s;

	if (n->kind == NODE_STR)
		return n->text;
	node_scalar_string(&b, n);
	s = arena_strdup(decoder_arena(d), buf_str(&b));
	buf_release(&b);
	return s;
}

/* A location inside a scalar, when the offset can be trusted. */
static struct loc
within(const struct node *n, size_t off, size_t len)
{
	if (n->flags & (NODE_QUOTED | NODE_INTERPOLATED) || off >= n->len)
		return n->loc;
	return loc_advance(n->loc, off, len ? len : 1);
}

/* ---- canonicalizers ---------------------------------------------------- */

/* "K=V" / "K" list -> mapping; absent values are null (environment,
 * build args: resolved later from the project environment). */
static struct node *
listtomap(struct decoder *d, struct node *raw, int nullisempty)
{
	struct arena *a = decoder_arena(d);
	struct node *map, *item, *val;
	const char *s, *eq;
	size_t i;

	if (raw->kind == NODE_MAP) {
		if (nullisempty)
			for (i = 0; i < raw->n; i++)
				if (raw->c.pairs[i].val->kind == NODE_NULL)
					raw->c.pairs[i].val = mkstr(d, "",
					    raw->c.pairs[i].val->loc);
		return raw;
	}
	if (raw->kind != NODE_SEQ)
		return raw;	/* the decoder reports the type */
	map = mkmap(d, raw->loc);
	for (i = 0; i < raw->n; i++) {
		item = raw->c.items[i];
		if (!node_is_scalar(item) || item->kind == NODE_NULL) {
			decoder_error(d, item->loc, "%s[%zu]: must be a "
			    "string", decoder_path(d), i);
			continue;
		}
		s = scalartext(d, item);
		eq = strchr(s, '=');
		if (eq) {
			val = mkstr(d, eq + 1, within(item, (size_t)(eq - s)
			    + 1, strlen(eq + 1)));
			if (eq > s && (eq[-1] == ' ' || eq[-1] == '\t')) {
				decoder_error(d, item->loc, "%s[%zu]: variable "
				    "'%.*s' is declared with a trailing space",
				    decoder_path(d), i, (int)(eq - s), s);
				continue;
			}
		} else if (nullisempty) {
			val = mkstr(d, "", item->loc);
		} else {
			val = node_new(a, NODE_NULL, item->loc);
		}
		node_set(a, map, node_str(a, eq ? arena_strndup(a, s,
		    (size_t)(eq - s)) : s, item->loc), val);
	}
	return map;
}

static struct node *
canon_env(struct decoder *d, struct node *raw)
{
	return listtomap(d, raw, 0);
}

static struct node *
canon_labels(struct decoder *d, struct node *raw)
{
	return listtomap(d, raw, 1);
}

/* string -> one-element list */
static struct node *
canon_strorlist(struct decoder *d, struct node *raw)
{
	struct node *seq;

	if (!node_is_scalar(raw) || raw->kind == NODE_NULL)
		return raw;
	seq = node_new(decoder_arena(d), NODE_SEQ, raw->loc);
	node_push(decoder_arena(d), seq, raw);
	return seq;
}

/* A string command is split like a shell would, without expansion;
 * compose stops silently at an operator, c2sh says so. */
static struct node *
canon_command(struct decoder *d, struct node *raw)
{
	struct arena *a = decoder_arena(d);
	struct buf err = BUF_INIT;
	struct node *seq;
	char **argv;
	long stop;
	int argc, i;

	if (raw->kind != NODE_STR)
		return raw;
	argc = shellwords_split(a, raw->text, &argv, &err, &stop);
	if (argc < 0) {
		decoder_error(d, raw->loc, "%s: %s: %s", decoder_path(d),
		    buf_str(&err), raw->text);
		buf_release(&err);
		return NULL;
	}
	buf_release(&err);
	if (stop >= 0)
		decoder_warn(d, within(raw, (size_t)stop, 1), "%s: the command "
		    "ends at '%c' as compose splits it (no shell runs it); "
		    "write [\"sh\", \"-c\", \"...\"] to run it in a shell",
		    decoder_path(d), raw->text[stop]);
	seq = node_new(a, NODE_SEQ, raw->loc);
	for (i = 0; i < argc; i++)
		node_push(a, seq, node_str(a, argv[i], raw->loc));
	return seq;
}

static struct node *
canon_healthtest(struct decoder *d, struct node *raw)
{
	struct arena *a = decoder_arena(d);
	struct node *seq;
	const char *t;

	if (raw->kind == NODE_STR) {
		seq = node_new(a, NODE_SEQ, raw->loc);
		node_push(a, seq, mkstr(d, "CMD-SHELL", raw->loc));
		node_push(a, seq, raw);
		return seq;
	}
	if (raw->kind == NODE_SEQ && raw->n > 0 &&
	    raw->c.items[0]->kind == NODE_STR) {
		t = raw->c.items[0]->text;
		if (strcmp(t, "CMD") && strcmp(t, "CMD-SHELL") &&
		    strcmp(t, "NONE")) {
			decoder_error(d, raw->c.items[0]->loc, "%s: the test "
			    "must start with \"CMD\", \"CMD-SHELL\" or "
			    "\"NONE\"", decoder_path(d));
			return NULL;
		}
	}
	return raw;
}

static struct node *
canon_build(struct decoder *d, struct node *raw)
{
	struct node *map;

	if (raw->kind != NODE_STR)
		return raw;
	map = mkmap(d, raw->loc);
	put(d, map, "context", raw);
	return map;
}

static struct node *
canon_extends(struct decoder *d, struct node *raw)
{
	struct node *map;

	if (raw->kind != NODE_STR)
		return raw;
	map = mkmap(d, raw->loc);
	put(d, map, "service", raw);
	return map;
}

/* list of names -> mapping name: null */
static struct node *
canon_namelist(struct decoder *d, struct node *raw)
{
	struct arena *a = decoder_arena(d);
	struct node *map, *item;
	size_t i;

	if (raw->kind != NODE_SEQ)
		return raw;
	map = mkmap(d, raw->loc);
	for (i = 0; i < raw->n; i++) {
		item = raw->c.items[i];
		if (item->kind != NODE_STR) {
			decoder_error(d, item->loc, "%s[%zu]: must be a "
			    "string", decoder_path(d), i);
			continue;
		}
		node_set(a, map, item, node_new(a, NODE_NULL, item->loc));
	}
	return map;
}

/* depends_on: a list names services started first (service_started); a
 * mapping's entries are mappings, and Compose requires their condition */
static struct node *
canon_depends_on(struct decoder *d, struct node *raw)
{
	int list = raw->kind == NODE_SEQ;
	struct node *map = canon_namelist(d, raw), *v;
	size_t i;

	if (!map || map->kind != NODE_MAP)
		return map;
	for (i = 0; i < map->n; i++) {
		v = map->c.pairs[i].val;
		if (v->kind == NODE_NULL && !list) {
			decoder_error(d, map->c.pairs[i].key->loc, "%s.%s: must "
			    "be a mapping", decoder_path(d),
			    map->c.pairs[i].key->text);
			continue;
		}
		if (v->kind == NODE_NULL) {
			v = mkmap(d, v->loc);
			map->c.pairs[i].val = v;
			putdefault(d, v, "condition", mkstr(d,
			    "service_started", v->loc));
		}
		if (v->kind != NODE_MAP)
			continue;
		putdefault(d, v, "required", mkbool(d, 1, v->loc));
	}
	return map;
}

/* host=ip / host:ip list or mapping -> sorted list of "host=ip" */
static int
strptrcmp(const void *a, const void *b)
{
	const struct node *const *x = a, *const *y = b;

	return strcmp((*x)->text, (*y)->text);
}

static void
addhost(struct decoder *d, struct node *seq, const char *host,
    const char *ips, struct loc l)
{
	struct arena *a = decoder_arena(d);
	const char *p = ips, *comma;
	size_t n;

	if (!*host || strpbrk(host, ":=")) {
		decoder_error(d, l, "%s: bad host name '%s'", decoder_path(d),
		    host);
		return;
	}
	do {
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		if (n >= 2 && p[0] == '[' && p[n - 1] == ']')
			p++, n -= 2;
		node_push(a, seq, node_str(a, arena_printf(a, "%s=%.*s", host,
		    (int)n, p), l));
		p = comma ? comma + 1 : NULL;
	} while (p);
}

static struct node *
canon_extra_hosts(struct decoder *d, struct node *raw)
{
	struct arena *a = decoder_arena(d);
	struct node *seq = node_new(a, NODE_SEQ, raw->loc), *item, *v;
	const char *s, *sep;
	size_t i, j;

	if (raw->kind == NODE_SEQ) {
		for (i = 0; i < raw->n; i++) {
			item = raw->c.items[i];
			if (item->kind != NODE_STR) {
				decoder_error(d, item->loc, "%s[%zu]: must be "
				    "a string", decoder_path(d), i);
				continue;
			}
			s = item->text;
			sep = strchr(s, '=');
			if (!sep)
				sep = strchr(s, ':');
			if (!sep) {
				decoder_error(d, item->loc, "%s[%zu]: invalid "
				    "additional host, missing IP: %s",
				    decoder_path(d), i, s);
				continue;
			}
			addhost(d, seq, arena_strndup(a, s, (size_t)(sep - s)),
			    sep + 1, item->loc);
		}
	} else if (raw->kind == NODE_MAP) {
		for (i = 0; i < raw->n; i++) {
			v = raw->c.pairs[i].val;
			if (v->kind == NODE_SEQ) {
				for (j = 0; j < v->n; j++)
					if (node_is_scalar(v->c.items[j]))
						addhost(d, seq,
						    raw->c.pairs[i].key->text,
						    scalartext(d, v->c.items[j]),
						    v->c.items[j]->loc);
			} else if (node_is_scalar(v) && v->kind != NODE_NULL) {
				addhost(d, seq, raw->c.pairs[i].key->text,
				    scalartext(d, v), v->loc);
			} else {
				decoder_error(d, v->loc, "%s.%s: must be an IP "
				    "address or a list of them",
				    decoder_path(d), raw->c.pairs[i].key->text);
			}
		}
	} else {
		return raw;
	}
	if (seq->n > 1)
		qsort(seq->c.items, seq->n, sizeof(*seq->c.items), strptrcmp);
	return seq;
}

static struct node *
canon_ports(struct decoder *d, struct node *raw)
{
	struct arena *a = decoder_arena(d);
	struct node *seq, *item, *m;
	struct port_entry *pe;
	struct buf err = BUF_INIT;
	size_t i, off;
	int n, j;

	if (raw->kind != NODE_SEQ)
		return raw;
	seq = node_new(a, NODE_SEQ, raw->loc);
	for (i = 0; i < raw->n; i++) {
		item = raw->c.items[i];
		if (item->kind == NODE_MAP) {
			putdefault(d, item, "protocol", mkstr(d, "tcp",
			    item->loc));
			putdefault(d, item, "mode", mkstr(d, "ingress",
			    item->loc));
			node_push(a, seq, item);
			continue;
		}
		if (item->kind != NODE_STR && item->kind != NODE_INT) {
			decoder_error(d, item->loc, "%s[%zu]: a port must be a "
			    "string, a number or a mapping", decoder_path(d),
			    i);
			continue;
		}
		buf_reset(&err);
		off = 0;
		n = ports_parse(a, scalartext(d, item), &pe, &err, &off);
		if (n < 0) {
			decoder_error(d, within(item, off, 1), "%s[%zu]: "
			    "invalid port \"%s\": %s", decoder_path(d), i,
			    scalartext(d, item), buf_str(&err));
			continue;
		}
		for (j = 0; j < n; j++) {
			m = mkmap(d, item->loc);
			put(d, m, "mode", mkstr(d, "ingress", item->loc));
			if (pe[j].host_ip)
				put(d, m, "host_ip", mkstr(d, pe[j].host_ip,
				    item->loc));
			put(d, m, "target", mkint(d, pe[j].target, item->loc));
			if (pe[j].published)
				put(d, m, "published", mkstr(d, pe[j].published,
				    item->loc));
			put(d, m, "protocol", mkstr(d, pe[j].protocol,
			    item->loc));
			node_push(a, seq, m);
		}
	}
	buf_release(&err);
	return seq;
}

static struct node *
canon_volumes(struct decoder *d, struct node *raw)
{
	struct arena *a = decoder_arena(d);
	struct node *seq, *item, *m, *opt;
	struct volume_spec vs;
	struct buf err = BUF_INIT;
	size_t i, off;
	static const char *const types[] = {
		[VOLUME_ANON] = "volume", [VOLUME_NAMED] = "volume",
		[VOLUME_BIND] = "bind",
	};

	if (raw->kind != NODE_SEQ)
		return raw;
	seq = node_new(a, NODE_SEQ, raw->loc);
	for (i = 0; i < raw->n; i++) {
		item = raw->c.items[i];
		if (item->kind != NODE_STR) {
			node_push(a, seq, item);	/* long syntax */
			continue;
		}
		if (item->len > 0 && item->len <= 2) {
			/* compose-go takes a spec of 1 or 2 bytes as the
			 * target of an anonymous volume, without options */
			m = mkmap(d, item->loc);
			put(d, m, "type", mkstr(d, "volume", item->loc));
			put(d, m, "target", mkstr(d, item->text, item->loc));
			node_push(a, seq, m);
			continue;
		}
		buf_reset(&err);
		off = 0;
		if (volume_parse(a, item->text, &vs, &err, &off) < 0) {
			decoder_error(d, within(item, off, 1), "%s[%zu]: %s",
			    decoder_path(d), i, buf_str(&err));
			continue;
		}
		m = mkmap(d, item->loc);
		put(d, m, "type", mkstr(d, types[vs.kind], item->loc));
		if (vs.source)
			put(d, m, "source", mkstr(d, vs.source, item->loc));
		put(d, m, "target", mkstr(d, vs.target, item->loc));
		if (vs.read_only)
			put(d, m, "read_only", mkbool(d, 1, item->loc));
		if (vs.kind == VOLUME_BIND) {
			opt = mkmap(d, item->loc);
			if (vs.selinux)
				put(d, opt, "selinux", mkstr(d, vs.selinux,
				    item->loc));
			if (vs.propagation)
				put(d, opt, "propagation", mkstr(d,
				    vs.propagation, item->loc));
			put(d, opt, "create_host_path", mkbool(d, 1,
			    item->loc));
			put(d, m, "bind", opt);
		} else {
			/* compose-go keeps a named volume's bind options (in
			 * the config hash); 2.26.1 mounts it through the
			 * Mount API, where they are lost */
			if (vs.selinux || vs.propagation) {
				opt = mkmap(d, item->loc);
				if (vs.selinux)
					put(d, opt, "selinux", mkstr(d,
					    vs.selinux, item->loc));
				if (vs.propagation)
					put(d, opt, "propagation", mkstr(d,
					    vs.propagation, item->loc));
				put(d, m, "bind", opt);
				decoder_ledger(d, item->loc, arena_printf(a,
				    "%s[%zu].bind", decoder_path(d), i),
				    "Compose 2.26.1 mounts a named volume "
				    "through the Mount API, which drops an "
				    "SELinux label or a propagation");
			}
			opt = mkmap(d, item->loc);
			if (vs.nocopy)
				put(d, opt, "nocopy", mkbool(d, 1, item->loc));
			put(d, m, "volume", opt);
		}
		node_push(a, seq, m);
	}
	buf_release(&err);
	return seq;
}

/* service secrets/configs: "name" -> {source: name} */
static struct node *
canon_filerefs(struct decoder *d, struct node *raw, int secret)
{
	struct arena *a = decoder_arena(d);
	struct node *item, *m, *src;
	size_t i;

	if (raw->kind != NODE_SEQ)
		return raw;
	for (i = 0; i < raw->n; i++) {
		item = raw->c.items[i];
		if (item->kind == NODE_STR) {
			m = mkmap(d, item->loc);
			put(d, m, "source", item);
			raw->c.items[i] = item = m;
		}
		if (item->kind != NODE_MAP || !secret)
			continue;
		src = node_get(item, "source");
		if (src && src->kind == NODE_STR && !node_get(item, "target"))
			put(d, item, "target", node_str(a, arena_printf(a,
			    "/run/secrets/%s", src->text), item->loc));
	}
	return raw;
}

static struct node *
canon_secrets(struct decoder *d, struct node *raw)
{
	return canon_filerefs(d, raw, 1);
}

static struct node *
canon_configs(struct decoder *d, struct node *raw)
{
	return canon_filerefs(d, raw, 0);
}

static struct node *
canon_env_file(struct decoder *d, struct node *raw)
{
	struct node *seq = canon_strorlist(d, raw), *item, *m;
	size_t i;

	if (!seq || seq->kind != NODE_SEQ)
		return seq;
	for (i = 0; i < seq->n; i++) {
		item = seq->c.items[i];
		if (item->kind == NODE_STR) {
			m = mkmap(d, item->loc);
			put(d, m, "path", item);
			seq->c.items[i] = item = m;
		}
		if (item->kind == NODE_MAP && !node_get(item, "path"))
			decoder_error(d, item->loc, "%s[%zu]: 'path' is "
			    "required", decoder_path(d), i);
		if (item->kind == NODE_MAP)
			putdefault(d, item, "required", mkbool(d, 1,
			    item->loc));
	}
	return seq;
}

/* ulimits: a number sets soft and hard alike; keep it a number, since
 * compose's JSON prints it that way */
static struct node *
canon_ulimit(struct decoder *d, struct node *raw)
{
	struct node *soft, *hard;

	if (raw->kind == NODE_INT && !(raw->flags & NODE_UNSIGNED))
		return raw;
	if (raw->kind == NODE_STR) {
		char *end;
		long long v = strtoll(raw->text, &end, 10);

		if (*raw->text && !*end)
			return mkint(d, v, raw->loc);
	}
	if (raw->kind != NODE_MAP) {
		decoder_error(d, raw->loc, "%s: must be a number or a mapping "
		    "with soft and hard", decoder_path(d));
		return NULL;
	}
	soft = node_get(raw, "soft");
	hard = node_get(raw, "hard");
	if (!soft || !hard || soft->kind != NODE_INT || hard->kind != NODE_INT
	    || (soft->flags | hard->flags) & NODE_UNSIGNED || raw->n != 2) {
		decoder_error(d, raw->loc, "%s: needs exactly the integers "
		    "'soft' and 'hard'", decoder_path(d));
		return NULL;
	}
	return raw;
}

/* external: {name: x} is the deprecated spelling of name + external */
static struct node *
canon_resource(struct decoder *d, struct node *raw)
{
	struct node *ext, *name, *extname;

	if (raw->kind == NODE_NULL)
		return mkmap(d, raw->loc);
	if (raw->kind != NODE_MAP)
		return raw;
	ext = node_get(raw, "external");
	if (!ext || ext->kind != NODE_MAP)
		return raw;
	extname = node_get(ext, "name");
	name = node_get(raw, "name");
	if (extname && name && extname->kind == NODE_STR &&
	    name->kind == NODE_STR && strcmp(extname->text, name->text)) {
		decoder_error(d, ext->loc, "%s: name and external.name "
		    "conflict; only use name", decoder_path(d));
		return NULL;
	}
	decoder_warn(d, ext->loc, "%s: external.name is deprecated; set "
	    "name and external: true", decoder_path(d));
	if (extname)
		put(d, raw, "name", extname);
	put(d, raw, "external", mkbool(d, 1, ext->loc));
	return raw;
}

/* networks and volumes: external's mapping has name only (the schema of
 * secrets and configs takes any key there) */
static struct node *
canon_netvol(struct decoder *d, struct node *raw)
{
	struct node *ext = raw->kind == NODE_MAP ? node_get(raw, "external") :
	    NULL;
	size_t i;

	for (i = 0; ext && ext->kind == NODE_MAP && i < ext->n; i++)
		if (strcmp(ext->c.pairs[i].key->text, "name")) {
			decoder_error(d, ext->c.pairs[i].key->loc, "%s.external:"
			    " unknown key '%s': only name is allowed",
			    decoder_path(d), ext->c.pairs[i].key->text);
			return NULL;
		}
	return canon_resource(d, raw);
}

/* devices: the 2.26.1 model keeps the strings; the long form is joined */
static struct node *
canon_devices(struct decoder *d, struct node *raw)
{
	struct arena *a = decoder_arena(d);
	struct node *item, *src, *dst, *perm;
	size_t i;

	if (raw->kind != NODE_SEQ)
		return raw;
	for (i = 0; i < raw->n; i++) {
		item = raw->c.items[i];
		if (item->kind != NODE_MAP)
			continue;
		src = node_get(item, "source");
		dst = node_get(item, "target");
		perm = node_get(item, "permissions");
		if (!src || src->kind != NODE_STR) {
			decoder_error(d, item->loc, "%s[%zu]: a device needs a "
			    "source", decoder_path(d), i);
			continue;
		}
		if (!dst || dst->kind != NODE_STR || (perm &&
		    perm->kind != NODE_STR)) {
			decoder_error(d, item->loc, "%s[%zu]: is missing a "
			    "mount target (a string)", decoder_path(d), i);
			continue;
		}
		raw->c.items[i] = node_str(a, arena_printf(a, "%s:%s:%s",
		    src->text, dst && dst->kind == NODE_STR ? dst->text :
		    src->text, perm && perm->kind == NODE_STR ? perm->text :
		    "rwm"), item->loc);
	}
	return raw;
}

/* ---- list identities for merging ------------------------------------- */

static const char *
uniq_self(struct arena *a, const struct node *n)
{
	return node_is_scalar(n) ? n->text : NULL;
}

static const char *
uniq_target(struct arena *a, const struct node *n)
{
	const struct node *t = node_get(n, "target");

	return t && t->kind == NODE_STR ? t->text : NULL;
}

static const char *
uniq_port(struct arena *a, const struct node *n)
{
	const struct node *ip = node_get(n, "host_ip"),
	    *pub = node_get(n, "published"), *t = node_get(n, "target"),
	    *proto = node_get(n, "protocol");

	return arena_printf(a, "%s:%s:%s/%s", ip ? ip->text : "0.0.0.0",
	    pub ? pub->text : "", t ? t->text : "",
	    proto ? proto->text : "tcp");
}

static const char *
uniq_secret(struct arena *a, const struct node *n)
{
	const struct node *t = node_get(n, "target"),
	    *s = node_get(n, "source");

	if (t)
		return t->text;
	return s ? arena_printf(a, "/%s", s->text) : NULL;
}

static const char *
uniq_envfile(struct arena *a, const struct node *n)
{
	const struct node *p = node_get(n, "path");

	return p ? p->text : NULL;
}

static const char *
uniq_device(struct arena *a, const struct node *n)
{
	const char *c, *e;

	if (n->kind != NODE_STR)
		return NULL;
	c = strchr(n->text, ':');
	if (!c)
		return n->text;
	e = strchr(c + 1, ':');
	return e ? arena_strndup(a, c + 1, (size_t)(e - c - 1)) : c + 1;
}

/* ---- the shapes ------------------------------------------------------- */

static const struct shape s_string = { SK_STRING, .what = "a string" };
static const struct shape s_scalar = { SK_SCALAR, .what = "a string" };
static const struct shape s_bool = { SK_BOOL, .what = "a boolean" };
static const struct shape s_int = { SK_INT, .what = "an integer" };
/* a Go unsigned integer: Compose refuses -1 ("overflows uint") */
static const struct shape s_uint = { SK_INT, .check = CK_UINT,
	.what = "an integer" };
static const struct shape s_float32 = { SK_FLOAT32, .what = "a number" };
static const struct shape s_duration = { SK_DURATION,
	.what = "a duration" };
static const struct shape s_bytes = { SK_BYTES, .what = "a byte size" };
/* deploy.resources' memory: the schema takes a string only */
static const struct shape s_bytes_str = { SK_BYTES, .check = CK_NONUM,
	.what = "a string" };
static const struct shape s_any = { .kind = SK_ANY };

static const struct shape s_strings = { SK_LIST, .elem = &s_scalar,
	.what = "a list of strings" };
static const struct shape s_strings_unique = { SK_LIST, .elem = &s_scalar,
	.uniq = uniq_self, .what = "a list of strings" };
static const struct shape s_strorlist = { SK_LIST, .elem = &s_scalar,
	.canon = canon_strorlist, .uniq = uniq_self,
	.what = "a string or a list of strings" };
/* the same, numbers refused (the schema's string_or_list) */
static const struct shape s_strorlist_str = { SK_LIST, .elem = &s_string,
	.canon = canon_strorlist, .uniq = uniq_self,
	.what = "a string or a list of strings" };
static const struct shape s_command = { SK_LIST, .elem = &s_scalar,
	.canon = canon_command, .what = "a string or a list of strings" };
static const struct shape s_env = { SK_MAP, .elem = &s_scalar,
	.canon = canon_env, .what = "a mapping or a list of KEY=VALUE" };
static const struct shape s_labels = { SK_MAP, .elem = &s_scalar,
	.canon = canon_labels, .what = "a mapping or a list of KEY=VALUE" };
static const struct shape s_options = { SK_MAP, .elem = &s_scalar,
	.canon = canon_labels, .what = "a mapping" };
/* a mapping only (no KEY=VALUE list): storage_opt, logging options */
static const struct shape s_optmap = { SK_MAP, .elem = &s_scalar,
	.what = "a mapping" };
/* driver options: a mapping of strings or numbers, null refused */
static const struct shape s_optval = { SK_SCALAR,
	.what = "a string or a number" };
static const struct shape s_driveropts = { SK_MAP, .elem = &s_optval,
	.check = CK_NONULL, .what = "a mapping" };
/* IPAM options and auxiliary addresses: a mapping of strings */
static const struct shape s_strmap = { SK_MAP, .elem = &s_string,
	.check = CK_NONULL, .what = "a mapping" };

#define F(n, sh) { n, &sh, 0, NULL, NULL }
#define FX(n, sh, fl) { n, &sh, fl, NULL, NULL }
#define FN(n, sh, fl, note) { n, &sh, fl, note, NULL }
#define FJ(n, sh, json) { n, &sh, 0, NULL, json }
#define END { NULL, NULL, 0, NULL, NULL }

/* build */
/* a null context crashes Compose 2.26.1: c2sh refuses it */
static const struct shape s_contexts = { SK_MAP, .elem = &s_scalar,
	.canon = canon_env, .check = CK_NONULL,
	.what = "a mapping or a list of KEY=VALUE" };
static const struct shape s_build_args = { SK_MAP, .elem = &s_scalar,
	.canon = canon_env, .what = "a mapping or a list of KEY=VALUE" };
static const struct shape s_extra_hosts = { SK_LIST, .elem = &s_string,
	.canon = canon_extra_hosts, .uniq = uniq_self,
	.what = "a mapping or a list of host=ip" };
/* defined with the service's own secrets and ulimits, below */
static const struct shape s_buildsecrets, s_ulimits;

static const struct field f_build[] = {
	F("context", s_string),
	F("dockerfile", s_string),
	F("dockerfile_inline", s_string),
	FN("entitlements", s_strings, FF_UNSUPPORTED | FF_LOADS,
	    "build entitlements need BuildKit's bake"),
	F("args", s_build_args),
	FN("ssh", s_any, FF_UNSUPPORTED, "build ssh forwarding is not "
	    "supported by the docker CLI build c2sh runs"),
	F("labels", s_labels),
	F("cache_from", s_strings),
	F("cache_to", s_strings),
	F("no_cache", s_bool),
	FN("no_cache_filter", s_strorlist, FF_UNSUPPORTED,
	    "needs buildx"),
	FN("additional_contexts", s_contexts, FF_UNSUPPORTED | FF_LOADS,
	    "needs buildx"),
	F("network", s_string),
	FN("provenance", s_any, FF_UNSUPPORTED, "needs buildx"),
	FN("sbom", s_any, FF_UNSUPPORTED, "needs buildx"),
	F("pull", s_bool),
	F("target", s_string),
	F("shm_size", s_bytes),
	F("extra_hosts", s_extra_hosts),
	F("isolation", s_string),
	FN("privileged", s_bool, FF_UNSUPPORTED | FF_LOADS, "needs buildx"),
	FN("secrets", s_buildsecrets, FF_UNSUPPORTED | FF_LOADS,
	    "build secrets need buildx"),
	F("tags", s_strings_unique),
	FN("ulimits", s_ulimits, FF_UNSUPPORTED | FF_LOADS, "needs buildx"),
	F("platforms", s_strings),
	END
};
static const struct shape s_build = { SK_STRUCT, f_build, .canon = canon_build,
	.extensions = 1, .what = "a string or a mapping" };

/* blkio: compose-go's structs have no JSON tags here, so Go prints the
 * field names */
static const struct field f_blkio_weight[] = {
	FJ("path", s_string, "Path"), FJ("weight", s_uint, "Weight"), END
};
static const struct shape s_blkio_weight = { SK_STRUCT, f_blkio_weight,
	.what = "a mapping" };
static const struct shape s_blkio_weights = { SK_LIST, .elem =
	&s_blkio_weight, .what = "a list" };
static const struct field f_blkio_rate[] = {
	FJ("path", s_string, "Path"), FJ("rate", s_bytes, "Rate"), END
};
static const struct shape s_blkio_rate = { SK_STRUCT, f_blkio_rate,
	.what = "a mapping" };
static const struct shape s_blkio_rates = { SK_LIST, .elem = &s_blkio_rate,
	.what = "a list" };
static const struct field f_blkio[] = {	/* BlkioConfig's field order */
	F("weight", s_uint),
	F("weight_device", s_blkio_weights),
	F("device_read_bps", s_blkio_rates),
	F("device_read_iops", s_blkio_rates),
	F("device_write_bps", s_blkio_rates),
	F("device_write_iops", s_blkio_rates),
	END
};
static const struct shape s_blkio = { SK_STRUCT, f_blkio, .what = "a mapping" };

static const struct field f_credspec[] = {
	F("config", s_string), F("file", s_string), F("registry", s_string),
	END
};
static const struct shape s_credspec = { SK_STRUCT, f_credspec,
	.extensions = 1, .what = "a mapping" };

/* depends_on */
static const char *const conditions[] = { "service_started",
	"service_healthy", "service_completed_successfully", NULL };
static const struct shape s_condition = { SK_STRING, .oneof = conditions,
	.what = "a string" };
static const struct field f_dependency[] = {
	FN("condition", s_condition, FF_REQUIRED, "condition is required"),
	F("restart", s_bool),
	FX("required", s_bool, FF_NOOMIT),
	END
};
static const struct shape s_dependency = { SK_STRUCT, f_dependency,
	.extensions = 1, .what = "a mapping" };
static const struct shape s_depends_on = { SK_MAP, .elem = &s_dependency,
	.canon = canon_depends_on, .what = "a list or a mapping" };

/* deploy */
/* a device request's count: an integer, or "all", or a number in a
 * string, as Compose reads it (kept as written) */
static struct node *
canon_devcount(struct decoder *d, struct node *raw)
{
	char *end;

	if (raw->kind == NODE_INT && !(raw->flags & NODE_UNSIGNED))
		return raw;
	if (raw->kind == NODE_INT) {
		decoder_error(d, raw->loc, "%s: %s is out of range",
		    decoder_path(d), raw->text);
		return NULL;
	}
	if (raw->kind != NODE_STR) {
		decoder_error(d, raw->loc, "%s: must be a string or an "
		    "integer", decoder_path(d));
		return NULL;
	}
	if (strcmp(raw->text, "all") == 0)
		return raw;
	errno = 0;
	(void)strtol(raw->text, &end, 10);
	if (*raw->text && !*end && !errno)
		return raw;
	decoder_error(d, raw->loc, "%s: invalid value \"%s\": use \"all\" "
	    "or a number", decoder_path(d), raw->text);
	return NULL;
}
static const struct shape s_devcount = { SK_ANY, .canon = canon_devcount };
/* one device request; deploy's devices require capabilities, the
 * service's gpus do not (canon_devreq) */
static const struct field f_devreq[] = {
	F("capabilities", s_strings),
	F("driver", s_string),
	F("count", s_devcount),
	F("device_ids", s_strings),
	F("options", s_options),
	END
};
static struct node *
canon_devreq(struct decoder *d, struct node *raw)
{
	if (raw->kind == NODE_MAP && !node_get(raw, "capabilities"))
		decoder_error(d, raw->loc, "%s: capabilities is required",
		    decoder_path(d));
	return raw;
}
static const struct shape s_devreq = { SK_STRUCT, f_devreq, .extensions = 1,
	.canon = canon_devreq, .what = "a mapping" };
static const struct shape s_gpureq = { SK_STRUCT, f_devreq, .extensions = 1,
	.what = "a mapping" };
/* gpus: "all" is one request for every GPU: [{count: -1}] */
static struct node *
canon_gpus(struct decoder *d, struct node *raw)
{
	struct node *seq, *m;

	if (raw->kind != NODE_STR || strcmp(raw->text, "all"))
		return raw;
	seq = node_new(decoder_arena(d), NODE_SEQ, raw->loc);
	m = mkmap(d, raw->loc);
	put(d, m, "count", mkint(d, -1, raw->loc));
	node_push(decoder_arena(d), seq, m);
	return seq;
}
static const struct shape s_gpus = { SK_LIST, .elem = &s_gpureq,
	.canon = canon_gpus, .what = "\"all\" or a list" };
static const struct shape s_devreqs = { SK_LIST, .elem = &s_devreq,
	.what = "a list" };
static const struct field f_discrete[] = {
	F("kind", s_string), F("value", s_int), END
};
static const struct shape s_discrete = { SK_STRUCT, f_discrete,
	.extensions = 1, .what = "a mapping" };
static const struct field f_generic[] = {
	FX("discrete_resource_spec", s_discrete, FF_PTR), END
};
static const struct shape s_generic = { SK_STRUCT, f_generic,
	.extensions = 1, .what = "a mapping" };
static const struct shape s_generics = { SK_LIST, .elem = &s_generic,
	.what = "a list" };
/* a Go float32 the YAML decoder gets as an integer above INT64_MAX is an
 * error in Compose */
static const struct shape s_cpus = { SK_FLOAT32, .check = CK_NOBIG,
	.what = "a number" };
/* compose-go's Resource, whose fields the schema splits: pids is a limit
 * only, devices and generic resources reservations only */
static const struct field f_limits[] = {
	F("cpus", s_cpus),
	F("memory", s_bytes_str),
	F("pids", s_int),
	END
};
static const struct shape s_limits = { SK_STRUCT, f_limits,
	.extensions = 1, .what = "a mapping" };
static const struct field f_reservations[] = {
	FN("cpus", s_cpus, FF_IGNORED, "swarm only: the engine has no CPU "
	    "reservation"),
	F("memory", s_bytes_str),
	F("devices", s_devreqs),
	FN("generic_resources", s_generics, FF_IGNORED, "swarm only"),
	END
};
static const struct shape s_reservations = { SK_STRUCT, f_reservations,
	.extensions = 1, .what = "a mapping" };
static const struct field f_resources[] = {
	F("limits", s_limits),
	F("reservations", s_reservations),
	END
};
static const struct shape s_resources = { SK_STRUCT, f_resources,
	.extensions = 1, .what = "a mapping" };
static const struct field f_restart_policy[] = {
	F("condition", s_string),
	FN("delay", s_duration, FF_IGNORED, "compose does not use it "
	    "outside swarm"),
	FX("max_attempts", s_uint, FF_PTR),
	FN("window", s_duration, FF_IGNORED, "compose does not use it "
	    "outside swarm"),
	END
};
static const struct shape s_restart_policy = { SK_STRUCT, f_restart_policy,
	.extensions = 1, .what = "a mapping" };
/* swarm's blocks: Compose checks them, and deploys nothing of them */
static const char *const orders[] = { "start-first", "stop-first", NULL };
static const struct shape s_order = { SK_STRING, .oneof = orders,
	.what = "a string" };
static const struct field f_update[] = {	/* UpdateConfig's order */
	FX("parallelism", s_uint, FF_PTR),
	F("delay", s_duration),
	F("failure_action", s_string),
	F("monitor", s_duration),
	F("max_failure_ratio", s_float32),
	F("order", s_order),
	END
};
static const struct shape s_update = { SK_STRUCT, f_update,
	.extensions = 1, .what = "a mapping" };
static const struct field f_preference[] = { F("spread", s_string), END };
static const struct shape s_preference = { SK_STRUCT, f_preference,
	.extensions = 1, .what = "a mapping" };
static const struct shape s_preferences = { SK_LIST, .elem = &s_preference,
	.what = "a list" };
static const struct field f_placement[] = {
	F("constraints", s_strings),
	F("preferences", s_preferences),
	F("max_replicas_per_node", s_uint),
	END
};
static const struct shape s_placement = { SK_STRUCT, f_placement,
	.extensions = 1, .what = "a mapping" };
static const struct field f_deploy[] = {
	FN("mode", s_string, FF_IGNORED, "swarm only"),
	FX("replicas", s_int, FF_PTR | FF_NOHASH),
	FN("labels", s_labels, FF_IGNORED, "labels of the swarm service, "
	    "not of containers"),
	FN("update_config", s_update, FF_IGNORED, "swarm only"),
	FN("rollback_config", s_update, FF_IGNORED, "swarm only"),
	FX("resources", s_resources, FF_NOOMIT),
	F("restart_policy", s_restart_policy),
	FN("placement", s_placement, FF_IGNORED | FF_NOOMIT, "swarm only"),
	FN("endpoint_mode", s_string, FF_IGNORED, "swarm only"),
	END
};
static const struct shape s_deploy = { SK_STRUCT, f_deploy, .extensions = 1,
	.what = "a mapping" };

/* compose-go's ServiceHook: watch's exec, and the post_start and pre_stop
 * lifecycle hooks */
static const struct field f_hook[] = {
	FX("command", s_command, FF_NOOMIT | FF_REPLACE | FF_NULLABLE),
	F("user", s_string),
	F("privileged", s_bool),
	F("working_dir", s_string),
	F("environment", s_env),
	END
};
static const struct shape s_hook = { SK_STRUCT, f_hook, .extensions = 1,
	.what = "a mapping" };
static const struct shape s_hooks = { SK_LIST, .elem = &s_hook,
	.what = "a list" };
/* what compose-go checks of a watch rule beyond the schema */
static struct node *
canon_trigger(struct decoder *d, struct node *raw)
{
	const struct node *path, *action, *target;

	if (raw->kind != NODE_MAP)
		return raw;
	path = node_get(raw, "path");
	action = node_get(raw, "action");
	target = node_get(raw, "target");
	if (path && path->kind == NODE_STR && !*path->text)
		decoder_error(d, path->loc, "%s.path: value can't be blank",
		    decoder_path(d));
	if (action && action->kind == NODE_STR && strcmp(action->text,
	    "rebuild") && (!target || (target->kind == NODE_STR &&
	    !*target->text)))
		decoder_error(d, raw->loc, "%s: target is required for "
		    "non-rebuild actions", decoder_path(d));
	return raw;
}

/* the actions Compose 2.26.1's schema lists */
static const char *const actions[] = { "rebuild", "sync", "restart",
	"sync+restart", "sync+exec", NULL };
static const struct shape s_action = { SK_STRING, .oneof = actions,
	.what = "a string" };
static const struct field f_trigger[] = {
	FN("path", s_string, FF_REQUIRED, "path is required"),
	FN("action", s_action, FF_REQUIRED, "action is required"),
	F("target", s_string),
	FX("exec", s_hook, FF_NOOMIT),	/* a Go struct: never omitted */
	F("ignore", s_strings),
	END
};
static const struct shape s_trigger = { SK_STRUCT, f_trigger, .extensions = 1,
	.canon = canon_trigger, .what = "a mapping" };
static const struct shape s_triggers = { SK_LIST, .elem = &s_trigger,
	.what = "a list" };
static const struct field f_develop[] = {
	F("watch", s_triggers),
	END
};
static const struct shape s_develop = { SK_STRUCT, f_develop, .extensions = 1,
	.what = "a mapping" };

static const struct shape s_devices = { SK_LIST, .elem = &s_string,
	.canon = canon_devices, .uniq = uniq_device,
	.what = "a list" };

static const struct field f_env_file[] = {
	F("path", s_string),	/* its absence: canon_env_file's error */
	F("required", s_bool),
	F("format", s_string),
	END
};
static const struct shape s_env_file_item = { SK_STRUCT, f_env_file,
	.what = "a string or a mapping" };
static const struct shape s_env_files = { SK_LIST, .elem = &s_env_file_item,
	.canon = canon_env_file, .uniq = uniq_envfile,
	.what = "a string or a list" };

static const struct field f_extends[] = {
	F("service", s_string),	/* its absence: extends.c's error */
	F("file", s_string), END
};
static const struct shape s_extends = { SK_STRUCT, f_extends,
	.canon = canon_extends, .what = "a string or a mapping" };

static const struct shape s_healthcheck_test = { SK_LIST, .elem = &s_scalar,
	.canon = canon_healthtest, .what = "a string or a list" };
static const struct field f_healthcheck_real[] = {
	FX("test", s_healthcheck_test, FF_REPLACE),
	FX("timeout", s_duration, FF_PTR),
	FX("interval", s_duration, FF_PTR),
	FX("retries", s_uint, FF_PTR),
	FX("start_period", s_duration, FF_PTR),
	FX("start_interval", s_duration, FF_PTR),
	F("disable", s_bool),
	END
};
static const struct shape s_healthcheck = { SK_STRUCT, f_healthcheck_real,
	.extensions = 1, .what = "a mapping" };

static const struct field f_logging[] = {
	F("driver", s_string),
	F("options", s_optmap),
	END
};
static const struct shape s_logging = { SK_STRUCT, f_logging,
	.extensions = 1, .what = "a mapping" };

static const struct field f_svcnet[] = {
	F("priority", s_int),
	F("aliases", s_strings_unique),
	F("ipv4_address", s_string),
	F("ipv6_address", s_string),
	F("link_local_ips", s_strings_unique),
	F("mac_address", s_string),
	F("driver_opts", s_driveropts),
	/* Compose 2.26.1's schema takes it, its model drops it */
	FN("gw_priority", s_int, FF_IGNORED | FF_NOJSON, "Compose 2.26.1 "
	    "accepts it but does not use it (it needs Docker Engine 28)"),
	FN("interface_name", s_string, FF_UNSUPPORTED,
	    "needs Docker Engine 28.1"),
	END
};
static const struct shape s_svcnet = { SK_STRUCT, f_svcnet, .extensions = 1,
	.what = "a mapping or null" };
static const struct shape s_svcnets = { SK_MAP, .elem = &s_svcnet,
	.canon = canon_namelist, .what = "a list or a mapping" };

/* a Go string: an integer above INT64_MAX does not convert */
static const struct shape s_published = { SK_SCALAR, .check = CK_NOBIG,
	.what = "a string or an integer" };
static const struct field f_port[] = {
	FN("name", s_string, FF_IGNORED, "a label for humans; the engine "
	    "does not use it"),
	F("mode", s_string),	/* "host": normalize.c's ledger entry */
	F("host_ip", s_string),
	FN("target", s_uint, FF_REQUIRED, "is missing a target port"),
	F("published", s_published),
	F("protocol", s_string),
	FN("app_protocol", s_string, FF_IGNORED, "not used by the engine"),
	END
};
static const struct shape s_port = { SK_STRUCT, f_port, .extensions = 1,
	.what = "a mapping" };
static const struct shape s_ports = { SK_LIST, .elem = &s_port,
	.canon = canon_ports, .uniq = uniq_port, .what = "a list" };

/* a Go *uint32 */
static const struct shape s_mode = { SK_OCTAL, .check = CK_UINT,
	.what = "a file mode" };
static const struct field f_fileref[] = {
	F("source", s_string),
	F("target", s_string),
	F("uid", s_string),
	F("gid", s_string),
	FX("mode", s_mode, FF_PTR),
	END
};
static const struct shape s_fileref = { SK_STRUCT, f_fileref, .extensions = 1,
	.what = "a string or a mapping" };
static const struct shape s_secretrefs = { SK_LIST, .elem = &s_fileref,
	.canon = canon_secrets, .uniq = uniq_secret, .what = "a list" };
static const struct shape s_configrefs = { SK_LIST, .elem = &s_fileref,
	.canon = canon_configs, .uniq = uniq_secret, .what = "a list" };
/* build secrets: the short syntax is {source: name}, with no default
 * target (compose-go sets none) */
static const struct shape s_buildsecrets = { SK_LIST, .elem = &s_fileref,
	.canon = canon_configs, .what = "a list" };

static const struct shape s_ulimit = { SK_ANY, .canon = canon_ulimit };
static const struct shape s_ulimits = { SK_MAP, .elem = &s_ulimit,
	.what = "a mapping" };

static const char *const selinux[] = { "z", "Z", NULL };
static const struct shape s_selinux = { SK_STRING, .oneof = selinux,
	.what = "a string" };
static const struct field f_bindopt[] = {
	F("selinux", s_selinux),
	F("propagation", s_string),
	F("create_host_path", s_bool),
	FN("recursive", s_string, FF_UNSUPPORTED, "needs Compose 2.35 and "
	    "Docker Engine 25 mount options"),
	END
};
static const struct shape s_bindopt = { SK_STRUCT, f_bindopt, .extensions = 1,
	.what = "a mapping" };
static const struct field f_volopt[] = {
	FN("labels", s_labels, FF_UNSUPPORTED, "not in Compose 2.26.1"),
	F("nocopy", s_bool),
	F("subpath", s_string),
	END
};
static const struct shape s_volopt = { SK_STRUCT, f_volopt, .extensions = 1,
	.what = "a mapping" };
static const struct shape s_tmpfssize = { SK_BYTES, .check = CK_MIN,
	.what = "a byte size" };
static const struct field f_tmpfsopt[] = {
	F("size", s_tmpfssize),
	F("mode", s_uint),
	END
};
static const struct shape s_tmpfsopt = { SK_STRUCT, f_tmpfsopt,
	.extensions = 1, .what = "a mapping" };
static const struct field f_mount[] = {
	FN("type", s_string, FF_REQUIRED, "type is required"),
	F("source", s_string),
	F("target", s_string),
	F("read_only", s_bool),
	FN("consistency", s_string, FF_IGNORED, "Docker Desktop for Mac "
	    "only; Compose 2.26.1 does not send it for these mounts"),
	FX("bind", s_bindopt, FF_PTR),
	FX("volume", s_volopt, FF_PTR),
	FX("tmpfs", s_tmpfsopt, FF_PTR),
	FN("image", s_any, FF_UNSUPPORTED, "image mounts need Docker "
	    "Engine 28"),
	END
};
static const struct shape s_mount = { SK_STRUCT, f_mount, .extensions = 1,
	.what = "a string or a mapping" };
static const struct shape s_mounts = { SK_LIST, .elem = &s_mount,
	.canon = canon_volumes, .uniq = uniq_target, .what = "a list" };

static const char *const cgroups[] = { "host", "private", NULL };
static const struct shape s_cgroup = { SK_STRING, .oneof = cgroups,
	.what = "a string" };
static const struct shape s_cpucount = { SK_INT, .check = CK_MIN,
	.what = "an integer" };
static const struct shape s_cpupercent = { SK_FLOAT32, .check = CK_MIN |
	CK_MAX, .max = 100, .what = "a number" };
static const struct shape s_oomscore = { SK_INT, .check = CK_MIN | CK_MAX,
	.min = -1000, .max = 1000, .what = "an integer" };
static const struct field f_service[] = {
	F("profiles", s_strings_unique),
	F("annotations", s_labels),
	FN("attach", s_bool, FF_IGNORED | FF_PTR, "only decides whether "
	    "'up' follows the logs"),
	FX("build", s_build, FF_NOHASH),
	FN("develop", s_develop, FF_IGNORED | FF_NULLABLE, "'compose watch' only; a "
	    "generated deployment has no file watcher"),
	F("blkio_config", s_blkio),
	F("cap_add", s_strings_unique),
	F("cap_drop", s_strings_unique),
	F("cgroup_parent", s_string),
	F("cgroup", s_cgroup),
	F("cpu_count", s_cpucount),
	F("cpu_percent", s_cpupercent),
	F("cpu_period", s_int),
	F("cpu_quota", s_int),
	F("cpu_rt_period", s_int),
	F("cpu_rt_runtime", s_int),
	F("cpus", s_float32),
	F("cpuset", s_string),
	F("cpu_shares", s_int),
	FX("command", s_command, FF_NOOMIT | FF_REPLACE | FF_NULLABLE),
	F("configs", s_configrefs),
	F("container_name", s_string),
	FN("credential_spec", s_credspec, FF_IGNORED, "compose ignores it "
	    "(Windows only)"),
	F("depends_on", s_depends_on),
	FX("deploy", s_deploy, FF_NULLABLE),
	F("device_cgroup_rules", s_strings),
	F("devices", s_devices),
	F("dns", s_strorlist_str),
	F("dns_opt", s_strings_unique),
	F("dns_search", s_strorlist_str),
	F("domainname", s_string),
	FX("entrypoint", s_command, FF_NOOMIT | FF_REPLACE | FF_NULLABLE),
	FN("provider", s_any, FF_UNSUPPORTED, "provider services run a "
	    "compose plugin binary"),
	F("environment", s_env),
	FX("env_file", s_env_files, FF_NOJSON),
	FX("expose", s_strings_unique, 0),
	FX("extends", s_extends, FF_NOJSON),
	F("external_links", s_strings),
	F("extra_hosts", s_extra_hosts),
	F("group_add", s_strings),
	FN("gpus", s_gpus, FF_UNSUPPORTED | FF_LOADS, "c2sh does not pass "
	    "GPUs to docker create; use deploy.resources.reservations."
	    "devices"),
	F("hostname", s_string),
	F("healthcheck", s_healthcheck),
	F("image", s_string),
	FX("init", s_bool, FF_PTR),
	F("ipc", s_string),
	F("isolation", s_string),
	F("labels", s_labels),
	FX("label_file", s_strorlist, FF_NOJSON),
	F("links", s_strings_unique),
	FX("logging", s_logging, FF_BYDRIVER),
	F("mem_limit", s_bytes),
	F("mem_reservation", s_bytes),
	F("memswap_limit", s_bytes),
	F("mem_swappiness", s_bytes),
	F("mac_address", s_string),
	FN("models", s_any, FF_UNSUPPORTED, "Docker Model Runner is not "
	    "supported"),
	F("network_mode", s_string),
	F("networks", s_svcnets),
	F("oom_kill_disable", s_bool),
	F("oom_score_adj", s_oomscore),
	F("pid", s_string),	/* null: the schema takes it, Compose panics */
	F("pids_limit", s_int),
	F("platform", s_string),
	F("ports", s_ports),
	F("privileged", s_bool),
	FX("pull_policy", s_string, FF_NOHASH),
	FN("pull_refresh_after", s_string, FF_UNSUPPORTED, "not in Compose "
	    "2.26.1"),
	F("read_only", s_bool),
	F("restart", s_string),
	F("runtime", s_string),
	FX("scale", s_int, FF_PTR | FF_NOHASH),
	F("secrets", s_secretrefs),
	F("security_opt", s_strings),
	F("shm_size", s_bytes),
	F("stdin_open", s_bool),
	FX("stop_grace_period", s_duration, FF_PTR),
	F("stop_signal", s_string),
	F("storage_opt", s_optmap),
	F("sysctls", s_labels),
	F("tmpfs", s_strorlist_str),
	F("tty", s_bool),
	F("ulimits", s_ulimits),
	FN("use_api_socket", s_bool, FF_UNSUPPORTED, "copying registry "
	    "credentials into a container is not supported"),
	F("user", s_string),
	F("userns_mode", s_string),
	F("uts", s_string),
	F("volumes", s_mounts),
	F("volumes_from", s_strings),
	F("working_dir", s_string),
	FN("pre_start", s_hooks, FF_UNSUPPORTED, "not in Compose 2.26.1"),
	/* compose-go 2.0.2 loads these (they are in the config hash), but
	 * Compose 2.26.1 does not run them */
	FN("post_start", s_hooks, FF_IGNORED, "Compose 2.26.1 does not run "
	    "lifecycle hooks"),
	FN("pre_stop", s_hooks, FF_IGNORED, "Compose 2.26.1 does not run "
	    "lifecycle hooks"),
	END
};
const struct shape schema_service = { SK_STRUCT, f_service, .extensions = 1,
	.what = "a mapping" };

/* top-level resources */
static const struct field f_ipampool[] = {
	F("subnet", s_string),
	F("gateway", s_string),
	F("ip_range", s_string),
	F("aux_addresses", s_strmap),
	END
};
static const struct shape s_ipampool = { SK_STRUCT, f_ipampool,
	.extensions = 1, .what = "a mapping" };
static const struct shape s_ipampools = { SK_LIST, .elem = &s_ipampool,
	.what = "a list" };
static const struct field f_ipam[] = {
	F("driver", s_string),
	F("config", s_ipampools),
	FN("options", s_strmap, FF_IGNORED, "Compose 2.26.1 does not pass "
	    "IPAM options to the engine"),
	END
};
static const struct shape s_ipam = { SK_STRUCT, f_ipam, .extensions = 1,
	.what = "a mapping" };
static const struct field f_network[] = {
	F("name", s_string),
	F("driver", s_string),
	F("driver_opts", s_driveropts),
	FX("ipam", s_ipam, FF_NOOMIT),
	F("external", s_bool),
	F("internal", s_bool),
	F("attachable", s_bool),
	F("labels", s_labels),
	FN("enable_ipv4", s_bool, FF_IGNORED | FF_PTR, "Compose 2.26.1 "
	    "does not pass it to the engine (it needs Docker Engine 28)"),
	FX("enable_ipv6", s_bool, FF_PTR),
	END
};
const struct shape schema_network = { SK_STRUCT, f_network,
	.canon = canon_netvol, .extensions = 1, .what = "a mapping" };
static const struct field f_volume[] = {
	F("name", s_string),
	F("driver", s_string),
	F("driver_opts", s_driveropts),
	F("external", s_bool),
	F("labels", s_labels),
	END
};
const struct shape schema_volume = { SK_STRUCT, f_volume,
	.canon = canon_netvol, .extensions = 1, .what = "a mapping" };
static const struct field f_secret[] = {
	F("name", s_string),
	F("file", s_string),
	F("environment", s_string),
	F("external", s_bool),
	F("labels", s_labels),
	FN("driver", s_string, FF_UNSUPPORTED | FF_LOADS, "Docker Compose "
	    "does not support secret drivers"),
	FN("driver_opts", s_driveropts, FF_UNSUPPORTED | FF_LOADS, "Docker "
	    "Compose does not support secret drivers"),
	FN("template_driver", s_string, FF_UNSUPPORTED | FF_LOADS, "Docker "
	    "Compose does not support template drivers"),
	END
};
static const struct shape s_secret = { SK_STRUCT, f_secret,
	.canon = canon_resource, .extensions = 1, .what = "a mapping" };
static const struct field f_config[] = {
	F("name", s_string),
	F("content", s_string),
	F("environment", s_string),
	F("file", s_string),
	F("external", s_bool),
	F("labels", s_labels),
	FN("template_driver", s_string, FF_UNSUPPORTED | FF_LOADS, "Docker "
	    "Compose does not support template drivers"),
	END
};
static const struct shape s_config = { SK_STRUCT, f_config,
	.canon = canon_resource, .extensions = 1, .what = "a mapping" };

static const struct shape s_services = { SK_MAP, .elem = &schema_service,
	.names = 1, .what = "a mapping" };
static const struct shape s_networks = { SK_MAP, .elem = &schema_network,
	.what = "a mapping" };
static const struct shape s_volumes = { SK_MAP, .elem = &schema_volume,
	.names = 1, .what = "a mapping" };
static const struct shape s_secrets = { SK_MAP, .elem = &s_secret,
	.names = 1, .what = "a mapping" };
static const struct shape s_configs = { SK_MAP, .elem = &s_config,
	.names = 1, .what = "a mapping" };

static const struct field f_project[] = {
	FN("version", s_string, FF_IGNORED, "obsolete: Compose ignores it"),
	F("name", s_string),
	F("include", s_any),	/* loaded before decoding: include.c */
	F("services", s_services),
	F("networks", s_networks),
	F("volumes", s_volumes),
	F("secrets", s_secrets),
	F("configs", s_configs),
	FN("models", s_any, FF_UNSUPPORTED, "Docker Model Runner is not "
	    "supported"),
	END
};
const struct shape schema_project = { SK_STRUCT, f_project, .extensions = 1,
	.what = "a mapping" };

const struct field *
schema_field(const struct shape *sh, const char *name)
{
	const struct field *f;

	if (sh->kind != SK_STRUCT)
		return NULL;
	for (f = sh->fields; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

/*
 * extends.c: `extends` of services, in one document or from other files,
 * resolved per document before the files are merged (as compose-go does):
 * the extending service is merged over a copy of its resolved base with
 * the multi-file merge rules.
 */
#include "model.h"

#include <errno.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "expand.h"
#include "load.h"
#include "node.h"
#include "project.h"
#include "util.h"
#include "volume.h"

/*
 * Each extending service gets a copy of its base: a large base extended by
 * many services multiplies (a 1.6 MB file of 1,000 services extending one
 * with 100,000 labels would ask for 100 million nodes), so the copies of
 * one document are bounded together, as aliases are in load.c.
 */
enum { MAX_CHAIN = 64, MAX_COPIED = 1000000 };

struct link {
	const char *service, *file;
};

struct resolver {
	struct arena *a;
	struct model *m;
	struct link chain[MAX_CHAIN];	/* services being resolved */
	size_t depth;
	size_t copied;			/* nodes copied from bases */
};

static size_t
nodecount(const struct node *n)
{
	size_t i, c = 1;

	if (n->kind == NODE_SEQ)
		for (i = 0; i < n->n; i++)
			c += nodecount(n->c.items[i]);
	else if (n->kind == NODE_MAP)
		for (i = 0; i < n->n; i++)
			c += 1 + nodecount(n->c.pairs[i].val);
	return c;
}

static const char *
dirof(struct arena *a, const char *file)
{
	const char *slash = strrchr(file, '/');

	if (!slash || strcmp(file, "-") == 0)
		return NULL;
	return slash == file ? "/" : arena_strndup(a, file,
	    (size_t)(slash - file));
}

static const char *
joinpath(struct arena *a, const char *dir, const char *p)
{
	if (p[0] == '/' || p[0] == '~' || !dir)
		return p;
	return volume_clean_path(a, arena_printf(a, "%s/%s", dir, p));
}

static void
rebase(struct arena *a, struct node *n, const char *dir)
{
	if (n && n->kind == NODE_STR && !strstr(n->text, "://")) {
		n->text = joinpath(a, dir, n->text);
		n->len = strlen(n->text);
	}
}

/* A base from another file keeps its relative paths relative to it. */
void
model_rebase_service(struct arena *a, struct node *svc, const char *dir)
{
	struct node *n, *item;
	size_t i;

	n = node_get(svc, "build");
	if (n && n->kind == NODE_MAP)
		rebase(a, node_get(n, "context"), dir);
	n = node_get(svc, "volumes");
	for (i = 0; n && i < n->n; i++) {
		item = n->c.items[i];
		if (model_str(item, "type") && strcmp(model_str(item, "type"),
		    "bind") == 0)
			rebase(a, node_get(item, "source"), dir);
	}
	n = node_get(svc, "env_file");
	for (i = 0; n && i < n->n; i++)
		rebase(a, node_get(n->c.items[i], "path"), dir);
	n = node_get(svc, "label_file");
	for (i = 0; n && i < n->n; i++)
		rebase(a, n->c.items[i], dir);
}

static struct node *resolve(struct resolver *, struct node *services,
    const char *name, const char *file, struct loc);

/* The services of another compose file, loaded like a main file. */
static struct node *
otherfile(struct resolver *rv, const char *path, struct loc l)
{
	struct node **docs, *doc, *root = NULL;
	size_t len, n, i;
	char *text = project_readfile(rv->a, path, &len);
	unsigned id;
	int fatal;

	if (!text) {
		diag(DIAG_ERROR, l, "extends: cannot read '%s': %s", path,
		    strerror(errno));
		return NULL;
	}
	id = diag_addfile(path, text, len);
	if (load_yaml(rv->a, id, &docs, &n, &fatal))
		return NULL;
	for (i = 0; i < n; i++) {
		if (!docs[i])
			continue;
		expand_tree(rv->a, docs[i], rv->m->env, "");
		doc = model_decode(rv->a, rv->m, docs[i]);
		if (doc)
			root = model_merge(rv->a, root, doc);
	}
	if (!root || !node_get(root, "services")) {
		diag(DIAG_ERROR, l, "extends: '%s' has no services section",
		    path);
		return NULL;
	}
	return node_get(root, "services");
}

static void
cycle(struct resolver *rv, struct loc l)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < rv->depth; i++)
		buf_printf(&b, "%s%s in %s", i ? " extends " : "",
		    rv->chain[i].service, rv->chain[i].file);
	diag(DIAG_ERROR, l, "extends: circular reference: %s", buf_str(&b));
	buf_release(&b);
}

static struct node *
extend(struct resolver *rv, struct node *services, struct node *svc,
    const char *name, const char *file)
{
	struct node *ext = node_get(svc, "extends"), *base, *others;
	const char *target = model_str(ext, "service"),
	    *other = model_str(ext, "file"), *path = file;
	struct loc l = ext->loc;

	if (!target) {
		diag(DIAG_ERROR, l, "services.%s.extends: 'service' is "
		    "required", name);
		return NULL;
	}
	others = services;
	if (other) {
		path = joinpath(rv->a, dirof(rv->a, file), other);
		others = otherfile(rv, path, l);
		if (!others)
			return NULL;
	}
	if (!node_get(others, target)) {
		diag(DIAG_ERROR, l, "services.%s.extends: service '%s' not "
		    "found in %s", name, target, path);
		return NULL;
	}
	base = resolve(rv, others, target, path, l);
	if (!base)
		return NULL;
	if (rv->copied > MAX_COPIED)
		return NULL;	/* reported once, where it went over */
	rv->copied += nodecount(base);
	if (rv->copied > MAX_COPIED) {
		diag(DIAG_ERROR, l, "services.%s.extends: the services that "
		    "extend others copy more than %d nodes in all", name,
		    MAX_COPIED);
		return NULL;
	}
	base = node_copy(rv->a, base);
	if (other)
		model_rebase_service(rv->a, base, dirof(rv->a, path));
	node_del(svc, "extends");
	return model_merge_service(rv->a, base, svc);
}

static struct node *
resolve(struct resolver *rv, struct node *services, const char *name,
    const char *file, struct loc l)
{
	struct node *svc = node_get(services, name), *r;
	size_t i;

	if (!svc || svc->kind != NODE_MAP || !node_get(svc, "extends"))
		return svc;
	for (i = 0; i < rv->depth; i++)
		if (strcmp(rv->chain[i].service, name) == 0 &&
		    strcmp(rv->chain[i].file, file) == 0) {
			rv->chain[rv->depth].service = name;
			rv->chain[rv->depth++].file = file;
			cycle(rv, l);
			rv->depth--;
			return NULL;
		}
	if (rv->depth + 1 >= MAX_CHAIN) {
		diag(DIAG_ERROR, l, "extends: chain longer than %d services",
		    MAX_CHAIN);
		return NULL;
	}
	rv->chain[rv->depth].service = name;
	rv->chain[rv->depth++].file = file;
	r = extend(rv, services, svc, name, file);
	rv->depth--;
	if (r)
		node_set(rv->a, services, node_getpair(services, name)->key, r);
	else {
		/* reported: neither repeated nor followed by what the
		 * missing base would have supplied (an image, say) */
		node_del(svc, "extends");
		svc->flags |= NODE_BAD;
	}
	return r;
}

unsigned
model_extends(struct arena *a, struct model *m, struct node *doc,
    const char *file)
{
	struct resolver rv = { a, m, { { 0 } }, 0, 0 };
	struct node *services = node_get(doc, "services");
	unsigned before = diag_errors();
	size_t i;

	if (!services || services->kind != NODE_MAP)
		return 0;
	for (i = 0; i < services->n; i++)
		if (node_get(services->c.pairs[i].val, "extends"))
			resolve(&rv, services, services->c.pairs[i].key->text,
			    file, services->c.pairs[i].key->loc);
	return diag_errors() - before;
}

/*
 * include.c: the top-level `include` of a compose document, as compose-go
 * 2.0.2 (Compose 2.26.1) loads it.  Each entry is an independent
 * sub-project: its files (relative to the including project's directory)
 * are interpolated with its own environment (the including one first,
 * then its env_file, else its project directory's .env), their own
 * includes and extends resolved, merged, and their relative paths made
 * absolute against its project directory (the first file's directory
 * unless project_directory says otherwise).  Its services, networks,
 * volumes, secrets and configs are then added to the including document;
 * a name both define is an error unless both definitions are the same,
 * as in compose-go before 2.10.
 */
#include "model.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "env.h"
#include "expand.h"
#include "load.h"
#include "modeljson.h"
#include "node.h"
#include "project.h"
#include "schema.h"
#include "util.h"
#include "volume.h"

enum { MAX_DEPTH = 32 };

static const char *const sections[] = {
	"services", "networks", "volumes", "secrets", "configs",
};

struct incl {
	struct arena *a;
	struct model *m;
	const char *stack[MAX_DEPTH];	/* files being loaded */
	size_t depth;
};

static const char *
dirof(struct arena *a, const char *file)
{
	const char *slash = strrchr(file, '/');

	if (!slash)
		return ".";
	return slash == file ? "/" : arena_strndup(a, file,
	    (size_t)(slash - file));
}

static const char *
join(struct arena *a, const char *dir, const char *p)
{
	if (p[0] != '/')
		p = arena_printf(a, "%s/%s", dir, p);
	return volume_clean_path(a, p);
}

/* a string or a list of strings, as a list; NULL after an error */
static struct node *
strings(struct incl *in, struct node *n, const char *what)
{
	struct node *seq;
	size_t i;

	if (n->kind == NODE_STR) {
		seq = node_new(in->a, NODE_SEQ, n->loc);
		node_push(in->a, seq, n);
		return seq;
	}
	if (n->kind == NODE_SEQ) {
		for (i = 0; i < n->n; i++)
			if (n->c.items[i]->kind != NODE_STR) {
				diag(DIAG_ERROR, n->c.items[i]->loc, "include."
				    "%s: must be a string", what);
				return NULL;
			}
		return n;
	}
	diag(DIAG_ERROR, n->loc, "include.%s: must be a string or a list of "
	    "strings", what);
	return NULL;
}

static int
isrel(const char *p)
{
	return p[0] != '/' && p[0] != '~' && !strstr(p, "://");
}

static void
rebase(struct arena *a, struct node *n, const char *dir)
{
	if (n && n->kind == NODE_STR && isrel(n->text) &&
	    strncmp(n->text, "service:", 8) && strncmp(n->text, "git@", 4) &&
	    strncmp(n->text, "github.com/", 11)) {
		n->text = join(a, dir, n->text);
		n->len = strlen(n->text);
	}
}

/* the sub-project's relative paths, made absolute against its directory */
static void
rebaseall(struct arena *a, struct node *root, const char *dir)
{
	struct node *sec, *v, *opts;
	size_t i, j;

	sec = node_get(root, "services");
	for (i = 0; sec && sec->kind == NODE_MAP && i < sec->n; i++) {
		v = node_get(sec->c.pairs[i].val, "build");
		/* the default context is the sub-project's directory */
		if (v && v->kind == NODE_MAP && !node_get(v, "context"))
			node_set(a, v, node_str(a, "context", v->loc),
			    node_str(a, dir, v->loc));
		model_rebase_service(a, sec->c.pairs[i].val, dir);
	}
	for (j = 0; j < 2; j++) {
		sec = node_get(root, j ? "configs" : "secrets");
		for (i = 0; sec && sec->kind == NODE_MAP && i < sec->n; i++)
			rebase(a, node_get(sec->c.pairs[i].val, "file"), dir);
	}
	sec = node_get(root, "volumes");
	for (i = 0; sec && sec->kind == NODE_MAP && i < sec->n; i++) {
		v = sec->c.pairs[i].val;
		opts = node_get(v, "driver_opts");
		if (model_str(v, "driver") && !strcmp(model_str(v, "driver"),
		    "local") && model_str(opts, "o") &&
		    !strcmp(model_str(opts, "o"), "bind"))
			rebase(a, node_get(opts, "device"), dir);
	}
}

static struct node *loadfiles(struct incl *, struct node *paths,
    const char *workdir, struct env *env, struct loc l);

/* the include section of a raw document: the merged canonical resources
 * of every entry (NULL if none) */
static struct node *
includes(struct incl *in, struct node *doc, const char *workdir,
    struct env *env)
{
	struct node *list = node_get(doc, "include"), *item, *paths, *envs;
	struct node *pd, *sub, *all = NULL;
	struct env subenv, files;
	const char *dir, *p;
	struct stat st;
	size_t i, k;

	if (!list)
		return NULL;
	if (list->kind != NODE_SEQ) {
		diag(DIAG_ERROR, list->loc, "include: must be a list");
		return NULL;
	}
	for (i = 0; i < list->n; i++) {
		item = list->c.items[i];
		envs = pd = NULL;
		if (item->kind == NODE_STR) {
			paths = strings(in, item, "path");
		} else if (item->kind == NODE_MAP) {
			for (k = 0; k < item->n; k++) {
				p = item->c.pairs[k].key->text;
				if (strcmp(p, "path") && strcmp(p, "env_file")
				    && strcmp(p, "project_directory"))
					diag(DIAG_ERROR, item->c.pairs[k].key->loc,
					    "include[%zu]: unknown key '%s' (use "
					    "path, env_file or project_directory)",
					    i, p);
			}
			if (!node_get(item, "path")) {
				diag(DIAG_ERROR, item->loc, "include[%zu]: "
				    "'path' is required", i);
				continue;
			}
			paths = strings(in, node_get(item, "path"), "path");
			if (node_get(item, "env_file") && !(envs = strings(in,
			    node_get(item, "env_file"), "env_file")))
				continue;
			pd = node_get(item, "project_directory");
			if (pd && pd->kind != NODE_STR) {
				diag(DIAG_ERROR, pd->loc, "include.project_"
				    "directory: must be a string");
				continue;
			}
		} else {
			diag(DIAG_ERROR, item->loc, "include[%zu]: must be a "
			    "string or a mapping", i);
			continue;
		}
		if (!paths || paths->n == 0)
			continue;
		for (k = 0; k < paths->n; k++) {
			paths->c.items[k]->text = join(in->a, workdir,
			    paths->c.items[k]->text);
			paths->c.items[k]->len = strlen(paths->c.items[k]->text);
		}
		dir = pd ? join(in->a, workdir, pd->text) :
		    dirof(in->a, paths->c.items[0]->text);
		/* the including environment wins; env files fill gaps */
		env_init(&subenv, in->a);
		for (k = 0; k < env->n; k++)
			env_set(&subenv, env->v[k].key, env->v[k].value);
		env_init(&files, in->a);
		for (k = 0; envs && k < envs->n; k++) {
			p = envs->c.items[k]->text;
			if (strcmp(p, "/dev/null") == 0)
				continue;
			p = join(in->a, workdir, p);
			if (stat(p, &st) != 0) {
				diag(DIAG_ERROR, envs->c.items[k]->loc, "include"
				    ": env file %s: %s", p, strerror(errno));
				continue;
			}
			if (!S_ISREG(st.st_mode)) {
				diag(DIAG_ERROR, envs->c.items[k]->loc, "include"
				    ": %s is not a file", p);
				continue;
			}
			env_loadfile(&files, env, p, p);
		}
		if (!envs) {
			p = arena_printf(in->a, "%s/.env", dir);
			if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
				env_loadfile(&files, env, p, p);
		}
		for (k = 0; k < files.n; k++)
			env_setdefault(&subenv, files.v[k].key,
			    files.v[k].value);
		sub = loadfiles(in, paths, dir, &subenv, item->loc);
		if (sub)
			all = model_merge(in->a, all, sub);
	}
	return all;
}

/* Go's reflect.DeepEqual of two canonical definitions, near enough */
static int
same(const struct shape *sh, const struct node *x, const struct node *y)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	int eq;

	modeljson(&a, sh, x, MJ_YAML);
	modeljson(&b, sh, y, MJ_YAML);
	eq = a.len == b.len && memcmp(a.data, b.data, a.len) == 0;
	buf_release(&a);
	buf_release(&b);
	return eq;
}

/* add the imported resources to a decoded document */
static void
import(struct incl *in, struct node *doc, struct node *imported)
{
	struct node *from, *into;
	const struct shape *sh;
	struct pair *mine;
	size_t s, i;

	for (s = 0; imported && s < countof(sections); s++) {
		from = node_get(imported, sections[s]);
		if (!from || from->kind != NODE_MAP || from->n == 0)
			continue;
		sh = schema_field(&schema_project, sections[s])->shape->elem;
		into = node_get(doc, sections[s]);
		if (!into || into->kind != NODE_MAP) {
			into = node_new(in->a, NODE_MAP, doc->loc);
			node_set(in->a, doc, node_str(in->a, sections[s],
			    doc->loc), into);
		}
		for (i = 0; i < from->n; i++) {
			mine = node_getpair(into, from->c.pairs[i].key->text);
			if (!mine) {
				node_append(in->a, into, from->c.pairs[i].key,
				    from->c.pairs[i].val);
				continue;
			}
			if (!same(sh, mine->val, from->c.pairs[i].val))
				diag(DIAG_ERROR, mine->key->loc, "%s.%s "
				    "conflicts with imported resource",
				    sections[s], mine->key->text);
		}
	}
}

/* one document: interpolated, its includes loaded, decoded, its extends
 * resolved, the imported resources added */
static struct node *
document(struct incl *in, struct node *raw, const char *file,
    const char *workdir, struct env *env)
{
	struct node *imported, *doc;

	expand_tree(in->a, raw, env, "");
	imported = includes(in, raw, workdir, env);
	node_del(raw, "include");
	doc = model_decode(in->a, in->m, raw);
	if (!doc)
		return NULL;
	import(in, doc, imported);
	model_extends(in->a, in->m, doc, file);
	return doc;
}

static struct node *
loadfiles(struct incl *in, struct node *paths, const char *workdir,
    struct env *env, struct loc l)
{
	struct node **docs, *doc, *root = NULL;
	struct buf b = BUF_INIT;
	const char *path;
	size_t i, j, k, n, len;
	char *text;
	unsigned id;
	int fatal;

	for (i = 0; i < paths->n; i++) {
		path = paths->c.items[i]->text;
		for (k = 0; k < in->depth; k++)
			if (strcmp(in->stack[k], path) == 0)
				break;
		if (k < in->depth || in->depth == MAX_DEPTH) {
			for (; k < in->depth; k++)
				buf_printf(&b, "%s%s\n", k ? " include " : "",
				    in->stack[k]);
			diag(DIAG_ERROR, paths->c.items[i]->loc, "include cycle "
			    "detected:\n%s include %s", buf_str(&b), path);
			buf_release(&b);
			return NULL;
		}
		text = project_readfile(in->a, path, &len);
		if (!text) {
			diag(DIAG_ERROR, paths->c.items[i]->loc, "include: "
			    "cannot read '%s': %s", path, strerror(errno));
			continue;
		}
		id = diag_addfile(path, text, len);
		if (load_yaml(in->a, id, &docs, &n, &fatal) || fatal)
			continue;
		in->stack[in->depth++] = path;
		for (j = 0; j < n; j++) {
			if (!docs[j])
				continue;
			doc = document(in, docs[j], path, workdir, env);
			if (doc)
				root = model_merge(in->a, root, doc);
		}
		in->depth--;
	}
	(void)l;
	if (root)
		rebaseall(in->a, root, workdir);
	return root;
}

struct node *
model_load_document(struct arena *a, struct model *m, struct node *raw,
    const char *file)
{
	struct incl in = { a, m, { 0 }, 0 };

	if (strcmp(file, "-"))
		in.stack[in.depth++] = file;
	return document(&in, raw, file, m->workdir, m->env);
}

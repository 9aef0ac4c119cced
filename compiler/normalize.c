/*
 * normalize.c: the merged canonical project -> the model, as compose-go
 * normalizes and checks it: resource names, the default network, implicit
 * dependencies, environment from env_file and the project environment,
 * absolute paths, profiles, and every reference checked.
 */
#define _XOPEN_SOURCE 700	/* realpath */
#include "model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "dotenv.h"
#include "env.h"
#include "interp.h"
#include "node.h"
#include "project.h"
#include "util.h"
#include "volume.h"

struct norm {
	struct arena *a;
	struct model *m;
};

static struct loc
keyloc(const struct node *map, const char *key)
{
	const struct pair *p = node_getpair(map, key);

	return p ? p->key->loc : map->loc;
}

static struct node *
str(struct norm *nm, const char *s, struct loc l)
{
	struct node *n = node_str(nm->a, s, l);

	n->flags |= NODE_SYNTH;
	return n;
}

static void
setkey(struct norm *nm, struct node *map, const char *key, struct node *v)
{
	node_set(nm->a, map, str(nm, key, v->loc), v);
}

static struct node *
getmap(struct norm *nm, struct node *map, const char *key)
{
	struct node *v = node_get(map, key);

	if (!v || v->kind != NODE_MAP) {
		v = node_new(nm->a, NODE_MAP, map->loc);
		v->flags |= NODE_SYNTH;
		setkey(nm, map, key, v);
	}
	return v;
}

/* ---- resources -------------------------------------------------------- */

static void
resources(struct norm *nm, struct resdefs *r, struct node *root,
    const char *kind)
{
	struct node *map = node_get(root, kind), *def;
	struct resdef *rd;
	const char *name;
	size_t i;

	if (map && map->flags & NODE_BAD)
		r->bad = 1;
	if (!map || map->kind != NODE_MAP)
		return;
	r->v = arena_alloc(nm->a, (map->n + 1) * sizeof(*r->v));
	for (i = 0; i < map->n; i++) {
		def = map->c.pairs[i].val;
		rd = &r->v[r->n++];
		rd->key = map->c.pairs[i].key->text;
		rd->def = def;
		rd->loc = map->c.pairs[i].key->loc;
		rd->external = model_bool(def, "external");
		name = model_str(def, "name");
		if (!name)
			name = rd->external ? rd->key : arena_printf(nm->a,
			    "%s_%s", nm->m->project, rd->key);
		rd->name = name;
		if (!model_str(def, "name"))
			setkey(nm, def, "name", str(nm, name, rd->loc));
	}
}

static void
checkexternal(struct resdefs *r, const char *kind)
{
	size_t i, j;
	const struct node *def;

	for (i = 0; i < r->n; i++) {
		if (!r->v[i].external || strcmp(kind, "volumes"))
			continue;
		def = r->v[i].def;
		for (j = 0; j < def->n; j++) {
			const char *k = def->c.pairs[j].key->text;

			if (strcmp(k, "external") && strcmp(k, "name") &&
			    strncmp(k, "x-", 2))
				diag(DIAG_ERROR, def->c.pairs[j].key->loc,
				    "%s.%s: conflicting parameters \"external\" "
				    "and \"%s\" specified", kind, r->v[i].key,
				    k);
		}
	}
}

/* a secret or config comes from one place: at most one of keys */
static void
checksources(const struct resdefs *r, const char *kind,
    const char *const *keys, const char *names)
{
	const char *const *k;
	size_t i, n;

	for (i = 0; i < r->n; i++) {
		for (n = 0, k = keys; *k; k++)
			n += node_get(r->v[i].def, *k) != NULL;
		if (n > 1)
			diag(DIAG_ERROR, r->v[i].loc, "%s.%s: %s attributes are "
			    "mutually exclusive", kind, r->v[i].key, names);
	}
}

/* ---- paths ------------------------------------------------------------ */

/* a Windows absolute path (C:\x, C:/x, \\server\share\x), which compose-go
 * keeps as is in bind sources and secret and config files */
static int
iswinabs(const char *p)
{
	size_t i;

	if (((p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z')) &&
	    p[1] == ':')
		return p[2] == '/' || p[2] == '\\';
	/* UNC: two slashes, a server name, a slash, a share name */
	if (strlen(p) < 5 || !strchr("/\\", p[0]) || !strchr("/\\", p[1]) ||
	    strchr("/\\.", p[2]))
		return 0;
	for (i = 3; p[i + 1]; i++)
		if (p[i] == '/' || p[i] == '\\') {
			i++;
			if (p[i] == '/' || p[i] == '\\' || p[i] == '.')
				return 0;
			while (p[i] && p[i] != '/' && p[i] != '\\')
				i++;
			return p[i] != '\0';
		}
	return 0;
}

/*
 * compose-go's absPath (winabs: maybeUnixPath): `~` expanded, an absolute
 * path kept as written (not cleaned: a bind source "/etc/x/" stays so in the
 * hashed model), a relative one joined to the project directory and cleaned.
 */
static const char *
abspath(struct norm *nm, const char *p, int winabs)
{
	const char *home;

	if (p[0] == '~') {
		/* filepath.Join(home, p[1:]), when HOME is set */
		home = env_get(nm->m->env, "HOME");
		if (!home)
			home = getenv("HOME");
		if (home && *home)
			return volume_clean_path(nm->a,
			    arena_printf(nm->a, "%s/%s", home, p + 1));
	}
	if (p[0] == '/' || (winabs && iswinabs(p)))
		return p;
	if (p[0] == '\0')
		return winabs ? nm->m->workdir : p;
	return volume_clean_path(nm->a,
	    arena_printf(nm->a, "%s/%s", nm->m->workdir, p));
}

static int
isremote(const char *s)
{
	static const char *const prefixes[] = {
		"service:", "https://", "http://", "git://", "ssh://",
		"github.com/", "git@",
	};
	size_t i;

	if (strstr(s, "://"))
		return 1;
	for (i = 0; i < countof(prefixes); i++)
		if (strncmp(s, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
}

static void
makeabs(struct norm *nm, struct node *map, const char *key, int winabs)
{
	struct node *v = node_get(map, key);

	if (v && v->kind == NODE_STR && !isremote(v->text)) {
		v->text = abspath(nm, v->text, winabs);
		v->len = strlen(v->text);
	}
}

/* a local volume that binds a host folder (driver_opts o: bind, exactly):
 * its device is a path, resolved like a bind source ("" is the project
 * directory) */
static void
bindevice(struct norm *nm, struct node *def)
{
	const char *drv = model_str(def, "driver");
	struct node *opts = node_get(def, "driver_opts"), *dev;
	const char *o = model_str(opts, "o");

	if (!drv || strcmp(drv, "local") || !o || strcmp(o, "bind"))
		return;
	dev = node_get(opts, "device");
	if (dev && dev->kind == NODE_STR) {
		dev->text = abspath(nm, dev->text, 1);
		dev->len = strlen(dev->text);
	}
}

/* ---- environment ------------------------------------------------------ */

struct envload {
	struct norm *nm;
	struct node *into;	/* the service's environment mapping */
	struct node *vals;	/* values read from env files so far */
	struct loc loc;
};

static const char *
svclookup(void *ctx, const char *name)
{
	struct envload *el = ctx;
	const char *v = env_get(el->nm->m->env, name);

	if (v)
		return v;
	return model_str(el->vals, name);
}

static void
svcset(void *ctx, const char *key, const char *value)
{
	struct envload *el = ctx;

	setkey(el->nm, el->vals, key, str(el->nm, value, el->loc));
}

static void
envfiles(struct norm *nm, struct service *s)
{
	struct node *files = node_get(s->def, "env_file"), *f, *env;
	struct envload el;
	struct interp_env ie = { svclookup, NULL, &el };
	struct dotenv_sink sink = { svcset, &el };
	struct buf err = BUF_INIT;
	const char *path, *fmt, *shown = NULL;
	unsigned line, id;
	size_t i, len;
	char *text;

	if (!files || files->kind != NODE_SEQ)
		return;
	el.nm = nm;
	el.vals = node_new(nm->a, NODE_MAP, s->def->loc);
	el.loc = files->loc;
	for (i = 0; i < files->n; i++) {
		f = files->c.items[i];
		if (!model_str(f, "path"))
			continue;	/* missing or not a string: reported */
		path = abspath(nm, model_str(f, "path"), 0);
		/* messages name it relative to the project, as it was written */
		shown = path;
		if (strncmp(path, nm->m->workdir, strlen(nm->m->workdir)) == 0 &&
		    path[strlen(nm->m->workdir)] == '/')
			shown = path + strlen(nm->m->workdir) + 1;
		/* compose-go 2.0.2 reads only its dotenv syntax, and refuses
		 * any format named, "dotenv" and "raw" included */
		fmt = model_str(f, "format");
		if (fmt && *fmt) {
			diag(DIAG_ERROR, keyloc(f, "format"), "services.%s."
			    "env_file[%zu]: unsupported env_file format \"%s\"",
			    s->name, i, fmt);
			continue;
		}
		text = project_readfile(nm->a, path, &len);
		if (!text) {
			if (errno == ENOENT && node_get(f, "required") &&
			    !model_bool(f, "required"))
				continue;
			diag(DIAG_ERROR, f->loc, "services.%s.env_file[%zu]: "
			    "cannot read env file '%s': %s", s->name, i, shown,
			    strerror(errno));
			continue;
		}
		id = diag_addfile(path, text, len);
		buf_reset(&err);
		line = 0;
		if (dotenv_parse(nm->a, text, len, &ie, &sink, &err, &line) < 0)
			diag(DIAG_ERROR, (struct loc){ id, line, 1, 1 }, "%s",
			    buf_str(&err));
	}
	buf_release(&err);
	/* environment beats env_file, even when valueless */
	env = node_get(s->def, "environment");
	if (env && env->kind == NODE_MAP)
		for (i = 0; i < env->n; i++)
			node_set(nm->a, el.vals, env->c.pairs[i].key,
			    env->c.pairs[i].val);
	if (el.vals->n)
		setkey(nm, s->def, "environment", el.vals);
}

/* valueless KEY entries take the project environment's value if set */
static void
resolveenv(struct norm *nm, struct node *map)
{
	const char *v;
	size_t i;

	if (!map || map->kind != NODE_MAP)
		return;
	for (i = 0; i < map->n; i++) {
		if (map->c.pairs[i].val->kind != NODE_NULL)
			continue;
		v = env_get(nm->m->env, map->c.pairs[i].key->text);
		if (v)
			map->c.pairs[i].val = str(nm, v,
			    map->c.pairs[i].val->loc);
	}
}

/* valueless build args are dropped when not in the environment */
static void
resolveargs(struct norm *nm, struct node *map)
{
	size_t i;

	resolveenv(nm, map);
	if (!map || map->kind != NODE_MAP)
		return;
	for (i = 0; i < map->n;) {
		if (map->c.pairs[i].val->kind == NODE_NULL)
			node_del(map, map->c.pairs[i].key->text);
		else
			i++;
	}
}

static void
labelfiles(struct norm *nm, struct service *s)
{
	struct node *files = node_get(s->def, "label_file"), *labels, *vals;
	struct envload el;
	struct interp_env ie = { svclookup, NULL, &el };
	struct dotenv_sink sink = { svcset, &el };
	struct buf err = BUF_INIT;
	const char *path;
	unsigned line;
	size_t i, len;
	char *text;

	if (!files || files->kind != NODE_SEQ)
		return;
	el.nm = nm;
	el.vals = vals = node_new(nm->a, NODE_MAP, s->def->loc);
	el.loc = files->loc;
	for (i = 0; i < files->n; i++) {
		path = abspath(nm, files->c.items[i]->text, 0);
		text = project_readfile(nm->a, path, &len);
		if (!text) {
			diag(DIAG_ERROR, files->c.items[i]->loc, "services.%s."
			    "label_file[%zu]: cannot read label file '%s': %s",
			    s->name, i, path, strerror(errno));
			continue;
		}
		line = 0;
		if (dotenv_parse(nm->a, text, len, &ie, &sink, &err, &line) < 0)
			diag(DIAG_ERROR, files->c.items[i]->loc, "%s: line %u: "
			    "%s", path, line, buf_str(&err));
	}
	buf_release(&err);
	labels = node_get(s->def, "labels");
	if (labels && labels->kind == NODE_MAP)
		for (i = 0; i < labels->n; i++)
			node_set(nm->a, vals, labels->c.pairs[i].key,
			    labels->c.pairs[i].val);
	if (vals->n)
		setkey(nm, s->def, "labels", vals);
	node_del(s->def, "label_file");
}

/* ---- services --------------------------------------------------------- */

static void
adddep(struct norm *nm, struct service *s, const char *dep, int restart,
    struct loc l)
{
	struct node *deps = getmap(nm, s->def, "depends_on"), *d;

	if (node_get(deps, dep))
		return;
	d = node_new(nm->a, NODE_MAP, l);
	d->flags |= NODE_SYNTH;
	setkey(nm, d, "condition", str(nm, "service_started", l));
	if (restart)
		setkey(nm, d, "restart", node_bool(nm->a, 1, l));
	setkey(nm, d, "required", node_bool(nm->a, 1, l));
	node_set(nm->a, deps, str(nm, dep, l), d);
}

static void
implicitdeps(struct norm *nm, struct service *s)
{
	static const char *const ns[] = { "network_mode", "ipc", "pid", "uts",
		"cgroup" };
	struct node *list;
	const char *v, *c;
	size_t i;

	list = node_get(s->def, "links");
	for (i = 0; list && i < list->n; i++) {
		v = list->c.items[i]->text;
		c = strchr(v, ':');
		adddep(nm, s, c ? arena_strndup(nm->a, v, (size_t)(c - v)) : v,
		    1, list->c.items[i]->loc);
	}
	for (i = 0; i < countof(ns); i++) {
		v = model_str(s->def, ns[i]);
		if (v && strncmp(v, "service:", 8) == 0)
			adddep(nm, s, v + 8, 1, keyloc(s->def, ns[i]));
	}
	list = node_get(s->def, "volumes_from");
	for (i = 0; list && i < list->n; i++) {
		v = list->c.items[i]->text;
		if (strncmp(v, "container:", 10) == 0)
			continue;
		c = strchr(v, ':');
		adddep(nm, s, c ? arena_strndup(nm->a, v, (size_t)(c - v)) : v,
		    0, list->c.items[i]->loc);
	}
}

/* a service's platform must be one its build produces */
static void
platforms(struct service *s, const struct node *b)
{
	const struct node *list = node_get(b, "platforms");
	const char *p = model_str(s->def, "platform");
	size_t i;

	if (!p || !list || list->kind != NODE_SEQ || list->n == 0)
		return;
	for (i = 0; i < list->n; i++)
		if (list->c.items[i]->kind == NODE_STR &&
		    strcmp(list->c.items[i]->text, p) == 0)
			return;
	diag(DIAG_ERROR, keyloc(s->def, "platform"), "services.%s: "
	    "build.platforms must include the service's platform \"%s\"",
	    s->name, p);
}

static void
buildefaults(struct norm *nm, struct service *s)
{
	struct node *b = node_get(s->def, "build");

	if (!b || b->kind != NODE_MAP)
		return;
	if (!node_get(b, "context"))
		setkey(nm, b, "context", str(nm, ".", b->loc));
	if (!node_get(b, "dockerfile") && !node_get(b, "dockerfile_inline"))
		setkey(nm, b, "dockerfile", str(nm, "Dockerfile", b->loc));
	if (node_get(b, "dockerfile") && node_get(b, "dockerfile_inline") &&
	    !(node_get(b, "dockerfile")->flags & NODE_SYNTH))
		diag(DIAG_ERROR, b->loc, "services.%s.build: dockerfile and "
		    "dockerfile_inline are mutually exclusive", s->name);
	makeabs(nm, b, "context", 0);
	resolveargs(nm, node_get(b, "args"));
	platforms(s, b);
}

static void
volumepaths(struct norm *nm, struct service *s)
{
	struct node *vols = node_get(s->def, "volumes"), *v;
	const char *type;
	size_t i;

	for (i = 0; vols && vols->kind == NODE_SEQ && i < vols->n; i++) {
		v = vols->c.items[i];
		type = model_str(v, "type");
		if (!type)
			continue;	/* the decoder's error (FF_REQUIRED) */
		/* compose-go's zero value: an empty source is none, an
		 * anonymous volume */
		if (strcmp(type, "volume") == 0 && model_str(v, "source") &&
		    !*model_str(v, "source"))
			node_del(v, "source");
		if (!model_str(v, "target") && strcmp(type, "npipe")) {
			diag(DIAG_ERROR, v->loc, "services.%s.volumes[%zu]: "
			    "missing 'target'", s->name, i);
			continue;
		}
		if (model_str(v, "target")) {
			struct node *t = node_get(v, "target");

			t->text = volume_clean_path(nm->a, t->text);
			t->len = strlen(t->text);
		}
		if (strcmp(type, "bind") == 0) {
			if (!model_str(v, "source")) {
				diag(DIAG_ERROR, v->loc, "services.%s.volumes"
				    "[%zu]: a bind mount needs a 'source'",
				    s->name, i);
				continue;
			}
			makeabs(nm, v, "source", 1);
		} else if (strcmp(type, "volume") && strcmp(type, "tmpfs") &&
		    !nm->m->probe) {	/* Compose's config takes any type */
			diag(DIAG_ERROR, keyloc(v, "type"), "services.%s.volumes"
			    "[%zu]: volume type '%s' is not supported",
			    s->name, i, type);
		}
	}
}

/* utils.ResolveSymbolicLink: the first component of an absolute path that
 * is a symbolic link is replaced by what it resolves to */
static const char *
resolvelink(struct norm *nm, const char *p)
{
	struct buf cur = BUF_INIT;
	const char *c = p, *e, *at, *out = p;
	char *real;
	struct stat st;

	if (p[0] != '/')
		return p;
	while (*c) {
		while (*c == '/')
			c++;
		if (!*c)
			break;
		e = strchr(c, '/');
		if (!e)
			e = c + strlen(c);
		if (cur.len != 1 || cur.data[0] != '/')
			buf_putc(&cur, '/');
		buf_putn(&cur, c, (size_t)(e - c));
		c = e;
		if (lstat(buf_str(&cur), &st) == 0 && S_ISLNK(st.st_mode)) {
			real = realpath(buf_str(&cur), NULL);
			at = real ? strstr(p, buf_str(&cur)) : NULL;
			if (at)
				out = arena_printf(nm->a, "%.*s%s%s",
				    (int)(at - p), p, real, at + cur.len);
			free(real);
			break;
		}
	}
	buf_release(&cur);
	return out;
}

/* develop.watch paths: absolute, symbolic links resolved */
static void
watchpaths(struct norm *nm, struct service *s)
{
	struct node *dev = node_get(s->def, "develop"), *w, *t, *p;
	const char *action;
	size_t i;

	w = dev && dev->kind == NODE_MAP ? node_get(dev, "watch") : NULL;
	for (i = 0; w && w->kind == NODE_SEQ && i < w->n; i++) {
		t = w->c.items[i];
		/* without them: the decoder's error (FF_REQUIRED) */
		if (!model_str(t, "path") || !(action = model_str(t, "action")))
			continue;
		if (strcmp(action, "rebuild") && !model_str(t, "target"))
			diag(DIAG_ERROR, t->loc, "services.%s.develop.watch: "
			    "target is required for non-rebuild actions",
			    s->name);
		makeabs(nm, t, "path", 0);
		p = node_get(t, "path");
		p->text = resolvelink(nm, p->text);
		p->len = strlen(p->text);
	}
}

/* the number a service key or a resource holds, 0 when unset (Go's zero
 * value) */
static double
number(const struct node *n)
{
	if (!n)
		return 0;
	if (n->kind == NODE_FLOAT)
		return n->v.f;
	return n->kind == NODE_INT ? (double)n->v.i : 0;
}

/* compose-go's checks of a service key against its deploy.resources twin:
 * when the key is set and the block (limits or reservations) is written,
 * the twin must hold the same value, unset counting as 0 */
static void
twins(struct service *s)
{
	static const struct { const char *key, *block, *twin; } t[] = {
		{ "cpus", "limits", "cpus" },
		{ "mem_limit", "limits", "memory" },
		{ "mem_reservation", "reservations", "memory" },
		{ "pids_limit", "limits", "pids" },
	};
	const struct node *res = node_get(node_get(s->def, "deploy"),
	    "resources"), *k, *blk;
	size_t i;

	for (i = 0; res && i < countof(t); i++) {
		k = node_get(s->def, t[i].key);
		blk = node_get(res, t[i].block);
		if (!k || number(k) == 0 || !blk || blk->kind != NODE_MAP ||
		    number(node_get(blk, t[i].twin)) == number(k))
			continue;
		diag(DIAG_ERROR, k->loc, "services.%s: can't set distinct "
		    "values on '%s' and 'deploy.resources.%s.%s'", s->name,
		    t[i].key, t[i].block, t[i].twin);
	}
}

static unsigned
scale(struct norm *nm, struct service *s)
{
	const struct node *sc = node_get(s->def, "scale"),
	    *dep = node_get(s->def, "deploy"),
	    *rep = dep ? node_get(dep, "replicas") : NULL;
	int64_t n = 1;

	if (sc && rep && sc->v.i != rep->v.i)
		diag(DIAG_ERROR, sc->loc, "services.%s: can't set distinct "
		    "values on 'scale' and 'deploy.replicas'", s->name);
	twins(s);
	if (rep)
		n = rep->v.i;
	if (sc)
		n = sc->v.i;
	if (n < 0) {
		/* Compose's config prints it; its up fails */
		if (!nm->m->probe)
			diag(DIAG_ERROR, (sc ? sc : rep)->loc, "services.%s: "
			    "the number of replicas must be 0 or more",
			    s->name);
		n = 0;
	}
	if (n > 1 && model_str(s->def, "container_name"))
		diag(DIAG_ERROR, keyloc(s->def, "container_name"), "services."
		    "%s: container_name cannot be set with %lld replicas, as "
		    "a container name must be unique", s->name, (long long)n);
	if (n > 10000) {
		diag(DIAG_ERROR, (sc ? sc : rep)->loc, "services.%s: %lld "
		    "replicas is more than c2sh handles", s->name,
		    (long long)n);
		n = 0;
	}
	return (unsigned)n;
}

/* values the engine or compose would refuse only at deploy time (the
 * restart policy: not in -t config, whose Compose prints any) */
static void
policies(struct service *s, int probe)
{
	/* Compose 2.26.1's schema: refresh, daily, weekly and every_<d>
	 * came later */
	static const char *const pulls[] = { "always", "never", "missing",
		"build", "if_not_present" };
	const char *r = model_str(s->def, "restart"), *p;
	char *end;
	size_t i;

	if (r && !probe && strcmp(r, "no") && strcmp(r, "always") &&
	    strcmp(r, "unless-stopped") && strcmp(r, "on-failure") &&
	    !(strncmp(r, "on-failure:", 11) == 0 && r[11] &&
	    (strtol(r + 11, &end, 10), *end == '\0')))
		diag(DIAG_ERROR, node_get(s->def, "restart")->loc, "services.%s."
		    "restart: invalid restart policy \"%s\": use no, always, "
		    "unless-stopped or on-failure[:N]", s->name, r);
	p = model_str(s->def, "pull_policy");
	if (!p)
		return;
	for (i = 0; i < countof(pulls); i++)
		if (strcmp(p, pulls[i]) == 0)
			return;
	diag(DIAG_ERROR, node_get(s->def, "pull_policy")->loc, "services.%s."
	    "pull_policy: invalid pull policy \"%s\": use always, never, "
	    "missing, build or if_not_present", s->name, p);
}

static void
service(struct norm *nm, struct service *s)
{
	struct node *def = s->def, *nets, *img;
	const char *pp;
	size_t i;

	/* an image interpolated to "" is no image, as Go's zero value */
	img = node_get(def, "image");
	if ((!img || (img->kind == NODE_STR && img->len == 0)) &&
	    !node_get(def, "build") && !(def->flags & NODE_BAD))
		diag(DIAG_ERROR, s->loc, "services.%s: has neither an image "
		    "nor a build context specified", s->name);
	nets = node_get(def, "networks");
	if (model_str(def, "network_mode") && nets && nets->n)
		diag(DIAG_ERROR, keyloc(def, "network_mode"), "services.%s: "
		    "network_mode and networks cannot be combined", s->name);
	if (!model_str(def, "network_mode") && (!nets || nets->n == 0)) {
		nets = getmap(nm, def, "networks");
		node_set(nm->a, nets, str(nm, "default", def->loc),
		    node_new(nm->a, NODE_NULL, def->loc));
	}
	implicitdeps(nm, s);
	policies(s, nm->m->probe);
	/* an empty container_name is no name (Go's omitempty, and compose
	 * tests ContainerName != ""): the default names apply */
	pp = model_str(def, "container_name");
	if (pp && !*pp)
		node_del(def, "container_name");
	pp = model_str(def, "pull_policy");
	if (pp && strcmp(pp, "if_not_present") == 0)
		setkey(nm, def, "pull_policy", str(nm, "missing",
		    keyloc(def, "pull_policy")));
	buildefaults(nm, s);
	volumepaths(nm, s);
	watchpaths(nm, s);
	{
		struct node *f = node_get(def, "env_file");

		for (i = 0; f && i < f->n; i++)
			makeabs(nm, f->c.items[i], "path", 0);
	}
	resolveenv(nm, node_get(def, "environment"));
	s->scale = scale(nm, s);
}

/* ---- references ------------------------------------------------------- */

static void
use(struct resdefs *r, const char *kind, struct service *s, const char *key,
    struct loc l)
{
	struct resdef *rd = model_resdef(r, key);

	if (!rd) {
		if (!r->bad)
			diag(DIAG_ERROR, l, "services.%s: refers to undefined "
			    "%s '%s'", s->name, kind, key);
		return;
	}
	rd->used = 1;
}

/* The secret or config a service's entry names: without a source it is
 * compose-go's zero value "", which no top-level entry matches; NULL when
 * the source is not a string (reported already). */
static const char *
sourceof(const struct node *item)
{
	return node_get(item, "source") ? model_str(item, "source") : "";
}

/* A file secret or config is bind-mounted as it is (Compose 2.26.1 too):
 * the entry's uid, gid and mode change nothing */
static void
fileowners(struct norm *nm, const struct service *s, const char *kind,
    const struct resdefs *defs)
{
	const struct node *list = node_get(s->def, kind), *ref;
	const struct resdef *rd;
	size_t i;

	for (i = 0; list && list->kind == NODE_SEQ && i < list->n; i++) {
		ref = list->c.items[i];
		rd = model_resdef(defs, sourceof(ref) ? sourceof(ref) : "");
		if (!rd || !model_str(rd->def, "file") || !(node_get(ref, "uid") ||
		    node_get(ref, "gid") || node_get(ref, "mode")))
			continue;
		model_ledger(nm->m, nm->a, arena_printf(nm->a, "services.%s."
		    "%s[%zu]", s->name, kind, i), "uid, gid and mode: a file "
		    "is bind-mounted as it is, as Compose 2.26.1 does",
		    ref->loc);
	}
}

static void
references(struct norm *nm, struct service *s)
{
	struct model *m = nm->m;
	struct node *list, *deps, *item;
	struct service *t;
	const char *v;
	size_t i;

	list = node_get(s->def, "networks");
	for (i = 0; list && list->kind == NODE_MAP && i < list->n; i++)
		use(&m->networks, "network", s, list->c.pairs[i].key->text,
		    list->c.pairs[i].key->loc);
	list = node_get(s->def, "volumes");
	for (i = 0; list && list->kind == NODE_SEQ && i < list->n; i++) {
		item = list->c.items[i];
		v = model_str(item, "type");
		if (v && strcmp(v, "volume") == 0 &&
		    (v = model_str(item, "source")))
			use(&m->volumes, "volume", s, v, item->loc);
	}
	list = node_get(s->def, "secrets");
	for (i = 0; list && list->kind == NODE_SEQ && i < list->n; i++)
		if ((v = sourceof(list->c.items[i])))
			use(&m->secrets, "secret", s, v, list->c.items[i]->loc);
	list = node_get(node_get(s->def, "build"), "secrets");	/* -t config */
	for (i = 0; list && list->kind == NODE_SEQ && i < list->n; i++)
		if ((v = sourceof(list->c.items[i])))
			use(&m->secrets, "secret", s, v, list->c.items[i]->loc);
	list = node_get(s->def, "configs");
	for (i = 0; list && list->kind == NODE_SEQ && i < list->n; i++)
		if ((v = sourceof(list->c.items[i])))
			use(&m->configs, "config", s, v, list->c.items[i]->loc);
	fileowners(nm, s, "secrets", &m->secrets);
	fileowners(nm, s, "configs", &m->configs);
	list = node_get(s->def, "ports");
	for (i = 0; list && list->kind == NODE_SEQ && i < list->n; i++)
		if ((v = model_str(list->c.items[i], "mode")) &&
		    strcmp(v, "ingress"))
			model_ledger(m, nm->a, arena_printf(nm->a, "services.%s."
			    "ports[%zu].mode", s->name, i), "a swarm publishing "
			    "mode: the engine publishes every port on the host "
			    "alike", list->c.items[i]->loc);
	deps = node_get(s->def, "depends_on");
	for (i = 0; deps && deps->kind == NODE_MAP && i < deps->n;) {
		v = deps->c.pairs[i].key->text;
		t = model_service(m, v);
		if (t && t->enabled) {
			i++;
			continue;
		}
		/* an optional dependency on a service disabled by profiles
		 * stays in the model (and so in the config hash and the
		 * depends_on label), like compose-go keeps it; the disabled
		 * service has no container, so nothing waits for it. An
		 * undefined one is an error even when optional. */
		if (t && node_get(deps->c.pairs[i].val, "required") &&
		    !model_bool(deps->c.pairs[i].val, "required")) {
			diag(DIAG_WARNING, deps->c.pairs[i].key->loc,
			    "services.%s.depends_on: optional dependency '%s' "
			    "is disabled by profiles and skipped", s->name, v);
			i++;
			continue;
		}
		if (t)
			diag(DIAG_ERROR, deps->c.pairs[i].key->loc, "services.%s"
			    ": depends on '%s', which is disabled by profiles "
			    "(enable it with --profile)", s->name, v);
		else
			diag(DIAG_ERROR, deps->c.pairs[i].key->loc, "services.%s"
			    ": depends on undefined service '%s'", s->name, v);
		i++;
	}
}

static int
profileactive(const struct node *profiles, const char *const *active)
{
	size_t i, j;

	if (!profiles || profiles->kind != NODE_SEQ || profiles->n == 0)
		return 1;
	for (j = 0; active && active[j]; j++) {
		if (strcmp(active[j], "*") == 0)
			return 1;
		for (i = 0; i < profiles->n; i++)
			if (strcmp(profiles->c.items[i]->text, active[j]) == 0)
				return 1;
	}
	return 0;
}

struct cname {
	const char *name;
	const struct service *s;
};

static int
cnamecmp(const void *a, const void *b)
{
	const struct cname *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->s < y->s ? -1 : x->s > y->s);
}

/* two services may not share a container_name (sorted: stays linear) */
static void
containernames(struct model *m)
{
	struct cname *v = xmalloc((m->nservices + 1) * sizeof(*v));
	const char *name;
	size_t i, n = 0;

	for (i = 0; i < m->nservices; i++) {
		name = model_str(m->services[i].def, "container_name");
		if (name && *name && m->services[i].enabled) {
			v[n].name = name;
			v[n++].s = &m->services[i];
		}
	}
	qsort(v, n, sizeof(*v), cnamecmp);
	for (i = 1; i < n; i++)
		if (strcmp(v[i].name, v[i - 1].name) == 0)
			diag(DIAG_ERROR, keyloc(v[i].s->def, "container_name"),
			    "services.%s: container name '%s' is already used "
			    "by service '%s'", v[i].s->name, v[i].name,
			    v[i - 1].s->name);
	free(v);
}

static void
defaultnetwork(struct norm *nm, struct node *root)
{
	struct model *m = nm->m;
	struct resdef *rd;
	struct node *def;
	size_t i;
	int used = 0;

	if (model_resdef(&m->networks, "default"))
		return;
	for (i = 0; i < m->nservices; i++)
		if (node_get(node_get(m->services[i].def, "networks"),
		    "default") || node_getpair(node_get(m->services[i].def,
		    "networks"), "default"))
			used = 1;
	if (!used)
		return;
	def = node_new(nm->a, NODE_MAP, root->loc);
	def->flags |= NODE_SYNTH;
	rd = arena_alloc(nm->a, (m->networks.n + 1) * sizeof(*rd));
	if (m->networks.n)
		memcpy(rd, m->networks.v, m->networks.n * sizeof(*rd));
	m->networks.v = rd;
	rd = &m->networks.v[m->networks.n++];
	rd->key = "default";
	rd->name = arena_printf(nm->a, "%s_default", m->project);
	rd->def = def;
	rd->loc = (struct loc){ 0 };
	rd->synth = 1;
	setkey(nm, def, "name", str(nm, rd->name, rd->loc));
	node_set(nm->a, getmap(nm, root, "networks"), str(nm, "default",
	    rd->loc), def);
}

/* depends_on cycles, searched from services in order, as compose names
 * them: "a -> b -> a" */
static int
cycle(struct model *m, size_t i, unsigned char *color, size_t *stack,
    size_t depth)
{
	const struct node *deps = node_get(m->services[i].def, "depends_on");
	struct service *t;
	struct buf b = BUF_INIT;
	size_t j, k, ti;

	color[i] = 1;
	stack[depth] = i;
	for (j = 0; deps && deps->kind == NODE_MAP && j < deps->n; j++) {
		t = model_service(m, deps->c.pairs[j].key->text);
		if (!t || !t->enabled)
			continue;
		ti = (size_t)(t - m->services);
		if (color[ti] == 1) {
			for (k = 0; stack[k] != ti; k++)
				;
			for (; k <= depth; k++)
				buf_printf(&b, "%s -> ", m->services[stack[k]].name);
			buf_puts(&b, t->name);
			diag(DIAG_ERROR, deps->c.pairs[j].key->loc, "services.%s."
			    "depends_on: dependency cycle: %s",
			    m->services[i].name, buf_str(&b));
			buf_release(&b);
			return 1;
		}
		if (color[ti] == 0 && cycle(m, ti, color, stack, depth + 1))
			return 1;
	}
	color[i] = 2;
	return 0;
}

static void
cycles(struct model *m)
{
	unsigned char *color = xmalloc(m->nservices + 1);
	size_t *stack = xmalloc((m->nservices + 1) * sizeof(*stack)), i;

	memset(color, 0, m->nservices + 1);
	for (i = 0; i < m->nservices; i++)
		if (m->services[i].enabled && color[i] == 0 &&
		    cycle(m, i, color, stack, 0))
			break;
	free(color);
	free(stack);
}

static int
svccmp(const void *a, const void *b)
{
	const struct service *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

unsigned
model_finish(struct arena *a, struct model *m, struct node *root,
    const char *const *profiles)
{
	struct norm nm = { a, m };
	struct node *svcs;
	struct service *s;
	unsigned before = diag_errors();
	size_t i;

	m->root = root;
	model_nulls(m, root);
	/* Compose 2.26.1 accepts a project without services (it prints and
	 * deploys nothing of it: its resources are all unused) */
	svcs = node_get(root, "services");
	if (!svcs || svcs->kind != NODE_MAP)
		svcs = getmap(&nm, root, "services");
	m->services = arena_alloc(a, (svcs->n + 1) * sizeof(*m->services));
	for (i = 0; i < svcs->n; i++) {
		s = &m->services[m->nservices++];
		s->name = svcs->c.pairs[i].key->text;
		s->def = svcs->c.pairs[i].val;
		s->loc = svcs->c.pairs[i].key->loc;
		if (s->def->kind != NODE_MAP) {
			s->def = node_new(a, NODE_MAP, s->loc);
			node_set(a, svcs, svcs->c.pairs[i].key, s->def);
		}
		s->enabled = profileactive(node_get(s->def, "profiles"),
		    profiles);
	}
	m->byname = arena_alloc(a, (m->nservices + 1) * sizeof(*m->byname));
	for (i = 0; i < m->nservices; i++)
		m->byname[i] = &m->services[i];
	qsort(m->byname, m->nservices, sizeof(*m->byname), svccmp);
	m->nbyname = m->nservices;
	resources(&nm, &m->networks, root, "networks");
	resources(&nm, &m->volumes, root, "volumes");
	resources(&nm, &m->secrets, root, "secrets");
	resources(&nm, &m->configs, root, "configs");
	checkexternal(&m->volumes, "volumes");
	checksources(&m->secrets, "secrets", (const char *const[]){ "file",
	    "environment", NULL }, "file|environment");
	checksources(&m->configs, "configs", (const char *const[]){ "file",
	    "environment", "content", NULL }, "file|environment|content");
	for (i = 0; i < m->secrets.n; i++)
		makeabs(&nm, m->secrets.v[i].def, "file", 1);
	for (i = 0; i < m->configs.n; i++)
		makeabs(&nm, m->configs.v[i].def, "file", 1);
	for (i = 0; i < m->volumes.n; i++)
		bindevice(&nm, m->volumes.v[i].def);
	for (i = 0; i < m->nservices; i++)
		if (m->services[i].enabled)
			service(&nm, &m->services[i]);
	defaultnetwork(&nm, root);
	for (i = 0; i < m->nservices; i++) {
		if (!m->services[i].enabled)
			continue;
		references(&nm, &m->services[i]);
		envfiles(&nm, &m->services[i]);
		labelfiles(&nm, &m->services[i]);
		node_del(m->services[i].def, "env_file");
	}
	/* compose checks container names only when it creates the
	 * containers: its config accepts duplicates */
	if (!m->probe)
		containernames(m);
	cycles(m);
	return diag_errors() - before;
}

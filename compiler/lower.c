/* lower.c: from the normalized model to the plan. */
#include "lower.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "env.h"
#include "gojson.h"
#include "model.h"
#include "modeljson.h"
#include "node.h"
#include "plan.h"
#include "schema.h"
#include "util.h"

struct lowering {
	struct arena *a;
	const struct model *m;
	struct plan *p;
	/* resources by model index, so lookups stay linear overall */
	struct resource **netres, **volres;
	size_t *firstctr;	/* per service: index in p->res of replica 1 */
};

static void
set(struct lowering *lw, struct resource *r, const char *k, const char *v)
{
	plan_set(lw->p, r, k, v);
}

static void
setf(struct lowering *lw, struct resource *r, const char *k,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
setf(struct lowering *lw, struct resource *r, const char *k,
    const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	plan_set(lw->p, r, k, arena_strdup(lw->a, buf_str(&b)));
	buf_release(&b);
}

static int
paircmp(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	return strcmp(x->key->text, y->key->text);
}

/* KEY=VALUE settings from a mapping, sorted by key.  With valueless, a
 * key without a value (a variable that was not set when c2sh compiled)
 * is left out: docker's `--env NAME` would take NAME's value from the
 * shell that deploys, where Compose sends the bare name and the process
 * gets no such variable. */
static void
setmap(struct lowering *lw, struct resource *r, const char *k,
    const struct node *map, int valueless)
{
	struct pair *v;
	size_t i;

	if (!map || map->kind != NODE_MAP || !map->n)
		return;
	v = arena_alloc(lw->a, map->n * sizeof(*v));
	memcpy(v, map->c.pairs, map->n * sizeof(*v));
	qsort(v, map->n, sizeof(*v), paircmp);
	for (i = 0; i < map->n; i++) {
		if (valueless && v[i].val->kind == NODE_NULL)
			continue;
		setf(lw, r, k, "%s=%s", v[i].key->text,
		    v[i].val->kind == NODE_NULL ? "" : v[i].val->text);
	}
}

/* Labels that `--label NAME=VALUE` cannot pass as they are: the docker
 * CLI splits at the first '=' (a name holding one would arrive cut), and
 * docker 23 and later refuse a name with a space or a tab after its
 * leading ones (or nothing else).  The message names them as
 * section.name.key. */
static void
checklabels(const struct node *map, const char *section, const char *name,
    const char *key)
{
	const struct node *k;
	const char *t;
	size_t i;

	if (!map || map->kind != NODE_MAP)
		return;
	for (i = 0; i < map->n; i++) {
		k = map->c.pairs[i].key;
		t = k->text + strspn(k->text, " \t");
		if (strchr(k->text, '='))
			diag(DIAG_ERROR, k->loc, "%s.%s.%s: the label name "
			    "'%s' holds '=': docker's --label NAME=VALUE "
			    "would cut the name there", section, name, key,
			    k->text);
		else if (!*t || strpbrk(t, " \t"))
			diag(DIAG_ERROR, k->loc, "%s.%s.%s: the label name "
			    "'%s' holds a space or a tab (past its leading "
			    "ones, or only those), which docker's --label "
			    "refuses (docker 23 and later)", section, name,
			    key, k->text);
	}
}

static void
setlist(struct lowering *lw, struct resource *r, const char *k,
    const struct node *seq, int noempty)
{
	size_t i;

	if (!seq || seq->kind != NODE_SEQ)
		return;
	for (i = 0; i < seq->n; i++)
		if (!noempty || *seq->c.items[i]->text)
			set(lw, r, k, seq->c.items[i]->text);
}

static void
setstr(struct lowering *lw, struct resource *r, const char *k,
    const struct node *def, const char *key)
{
	const char *v = model_str(def, key);

	if (v)
		set(lw, r, k, v);
}

static void
setint(struct lowering *lw, struct resource *r, const char *k,
    const struct node *def, const char *key, int keepzero)
{
	const struct node *n = node_get(def, key);

	if (n && (n->kind == NODE_INT || n->kind == NODE_FLOAT) &&
	    (keepzero || n->v.i != 0))
		set(lw, r, k, n->text);
}

static void
setbool(struct lowering *lw, struct resource *r, const char *k,
    const struct node *def, const char *key)
{
	if (model_bool(def, key))
		set(lw, r, k, "true");
}

static const char *
floattext(struct lowering *lw, const struct node *n)
{
	struct buf b = BUF_INIT;
	const char *s;

	node_scalar_string(&b, n);
	s = arena_strdup(lw->a, buf_str(&b));
	buf_release(&b);
	return s;
}

/* ---- networks and volumes --------------------------------------------- */

static void
resourcelabels(struct lowering *lw, struct resource *r, const char *kind,
    const struct resdef *rd)
{
	checklabels(node_get(rd->def, "labels"), strcmp(kind, "network") ?
	    "volumes" : "networks", rd->key, "labels");
	setmap(lw, r, "label", node_get(rd->def, "labels"), 0);
	setf(lw, r, "label", "com.docker.compose.%s=%s", kind, rd->key);
	setf(lw, r, "label", "com.docker.compose.project=%s", lw->m->project);
	setf(lw, r, "label", "com.docker.compose.version=%s",
	    LOWER_COMPOSE_VERSION);
}

static struct resource *
network(struct lowering *lw, const struct resdef *rd)
{
	struct resource *r = plan_add(lw->p, RES_NETWORK, rd->name, rd->key,
	    rd->loc);
	const struct node *def = rd->def, *ipam = node_get(def, "ipam"),
	    *pools, *pool;
	size_t i;

	r->external = rd->external;
	if (r->external)
		return r;
	setstr(lw, r, "driver", def, "driver");
	setmap(lw, r, "opt", node_get(def, "driver_opts"), 0);
	if (ipam) {
		setstr(lw, r, "ipam-driver", ipam, "driver");
		pools = node_get(ipam, "config");
		for (i = 0; pools && i < pools->n; i++) {
			pool = pools->c.items[i];
			setstr(lw, r, "subnet", pool, "subnet");
			setstr(lw, r, "ip-range", pool, "ip_range");
			setstr(lw, r, "gateway", pool, "gateway");
			setmap(lw, r, "aux-address", node_get(pool,
			    "aux_addresses"), 0);
		}
	}
	setbool(lw, r, "internal", def, "internal");
	setbool(lw, r, "attachable", def, "attachable");
	if (node_get(def, "enable_ipv6"))
		set(lw, r, "ipv6", model_bool(def, "enable_ipv6") ? "true" :
		    "false");
	resourcelabels(lw, r, "network", rd);
	return r;
}

static struct resource *
volume(struct lowering *lw, const struct resdef *rd)
{
	struct resource *r = plan_add(lw->p, RES_VOLUME, rd->name, rd->key,
	    rd->loc);

	r->external = rd->external;
	if (r->external)
		return r;
	setstr(lw, r, "driver", rd->def, "driver");
	setmap(lw, r, "opt", node_get(rd->def, "driver_opts"), 0);
	resourcelabels(lw, r, "volume", rd);
	return r;
}

/* ---- containers --------------------------------------------------------- */

static const char *
containername(struct lowering *lw, const struct service *s, unsigned n)
{
	const char *cn = model_str(s->def, "container_name");

	return cn ? cn : arena_printf(lw->a, "%s-%s-%u", lw->m->project,
	    s->name, n);
}

/* Networks in the order compose connects them: priority, then key. */
struct netref {
	const char *key;
	const struct node *cfg;
	int64_t priority;
};

static int
netcmp(const void *a, const void *b)
{
	const struct netref *x = a, *y = b;

	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* the settings of one network attachment: "network"/"network-alias"...
 * for the first network, "connect"/"connect-alias"... for the others */
static void
attach(struct lowering *lw, struct resource *r, const struct service *s,
    const struct resdef *rd, const struct node *cfg, int first)
{
	static const struct { const char *key, *opt; } addrs[] = {
		{ "ipv4_address", "ip" }, { "ipv6_address", "ip6" },
		{ "mac_address", "mac-address" },
	};
	const char *pre = first ? "network" : "connect";
	const struct node *l;
	size_t i;

	set(lw, r, pre, rd->name);
	setf(lw, r, arena_printf(lw->a, "%s-alias", pre), "%s", r->name);
	setf(lw, r, arena_printf(lw->a, "%s-alias", pre), "%s", s->name);
	l = node_get(cfg, "aliases");
	for (i = 0; l && i < l->n; i++)
		set(lw, r, arena_printf(lw->a, "%s-alias", pre),
		    l->c.items[i]->text);
	for (i = 0; i < countof(addrs); i++)
		setstr(lw, r, first ? addrs[i].opt : arena_printf(lw->a,
		    "connect-%s", addrs[i].opt), cfg, addrs[i].key);
	l = node_get(cfg, "link_local_ips");
	for (i = 0; l && i < l->n; i++)
		set(lw, r, first ? "link-local-ip" : "connect-link-local-ip",
		    l->c.items[i]->text);
	setmap(lw, r, first ? "network-driver-opt" : "connect-driver-opt",
	    node_get(cfg, "driver_opts"), 0);
}

static void
networks(struct lowering *lw, struct resource *r, const struct service *s)
{
	const struct node *nets = node_get(s->def, "networks"), *pr;
	const char *mode = model_str(s->def, "network_mode");
	struct netref *v;
	struct resdef *rd;
	size_t i, k = 0;

	if (mode) {
		if (strncmp(mode, "service:", 8) == 0)
			setf(lw, r, "network", "container:%s",
			    containername(lw, model_service(lw->m, mode + 8),
			    1));
		else
			set(lw, r, "network", mode);
		return;
	}
	if (!nets || !nets->n)
		return;
	v = arena_alloc(lw->a, nets->n * sizeof(*v));
	for (i = 0; i < nets->n; i++) {
		v[i].key = nets->c.pairs[i].key->text;
		v[i].cfg = nets->c.pairs[i].val;
		pr = node_get(v[i].cfg, "priority");
		v[i].priority = pr ? pr->v.i : 0;
	}
	qsort(v, nets->n, sizeof(*v), netcmp);
	/* the first network goes on docker create; the others are connected
	 * before start, which every engine accepts */
	for (i = 0; i < nets->n; i++) {
		rd = model_resdef(&lw->m->networks, v[i].key);
		if (!rd)
			continue;
		plan_dep(lw->p, r, lw->netres[rd - lw->m->networks.v],
		    DEP_EXISTS, r->loc);
		attach(lw, r, s, rd, v[i].cfg, k++ == 0);
	}
}

/* ",key=value" in a --mount value, which the docker CLI reads as one CSV
 * record (Go's encoding/csv): a field with a comma, a quote or a line
 * break is quoted, its quotes doubled.  That reader turns CR LF into LF
 * even inside quotes, so a value holding CR LF cannot be passed: an
 * error at l, the entry services.SVC.FIELD[I]. */
static void
mountfield(struct buf *b, const char *key, const char *value,
    const char *svc, const char *field, size_t i, struct loc l)
{
	const char *p;

	if (!strpbrk(value, ",\"\r\n")) {
		buf_printf(b, ",%s=%s", key, value);
		return;
	}
	if (strstr(value, "\r\n"))
		diag(DIAG_ERROR, l, "services.%s.%s[%zu]: the %s holds a "
		    "carriage return and a newline, which docker's --mount "
		    "reads as a newline", svc, field, i, key);
	buf_printf(b, ",\"%s=", key);
	for (p = value; *p; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

/* the target of a mount that is not anonymous: a recreate inherits an
 * anonymous volume of the image's VOLUMEs only where the service mounts
 * nothing else */
static void
addmounted(struct lowering *lw, struct resource *r, const char *target)
{
	r->mounted = arena_grow(lw->a, r->mounted, r->nmounted,
	    &r->capmounted, sizeof(*r->mounted));
	r->mounted[r->nmounted++] = target;
}

/* An anonymous volume, which a recreate hands on to the replacement.  The
 * runtime reads the old container's mounts one per line, their fields
 * separated by tabs: a target holding either cannot be matched. */
static void
addanon(struct lowering *lw, struct resource *r, const struct service *s,
    size_t i, struct loc l, const char *target, const char *mount)
{
	if (r->number == 1 && strpbrk(target, "\t\n"))
		diag(DIAG_ERROR, l, "services.%s.volumes[%zu]: the target of "
		    "an anonymous volume holds a tab or a newline, which the "
		    "deploy-time inheritance of the volume cannot match",
		    s->name, i);
	r->anon = arena_grow(lw->a, r->anon, r->nanon, &r->capanon,
	    sizeof(*r->anon));
	r->anon[r->nanon].target = target;
	r->anon[r->nanon].mount = mount;
	r->nanon++;
}

static void
mounts(struct lowering *lw, struct resource *r, const struct service *s)
{
	const struct node *vols = node_get(s->def, "volumes"), *v, *opt;
	const char *type, *src, *dst;
	struct resdef *rd;
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; vols && i < vols->n; i++) {
		v = vols->c.items[i];
		type = model_str(v, "type");
		src = model_str(v, "source");
		dst = model_str(v, "target");
		buf_reset(&b);
		/* bind options on a named volume: loaded, not sent (the
		 * ledger says so) */
		opt = strcmp(type, "bind") == 0 ? node_get(v, "bind") : NULL;
		if (strcmp(type, "bind") == 0 && opt &&
		    model_bool(opt, "create_host_path")) {
			/* compose 2.26.1 sends these as Binds: -v creates a
			 * missing host directory exactly as the engine does */
			buf_printf(&b, "%s:%s:%s", src, dst,
			    model_bool(v, "read_only") ? "ro" : "rw");
			if (model_str(opt, "selinux"))
				buf_printf(&b, ",%s", model_str(opt, "selinux"));
			if (model_str(opt, "propagation"))
				buf_printf(&b, ",%s", model_str(opt,
				    "propagation"));
			set(lw, r, "volume", arena_strdup(lw->a, buf_str(&b)));
			addmounted(lw, r, dst);
			continue;
		}
		buf_printf(&b, "type=%s", type);
		if (strcmp(type, "volume") == 0 && src) {
			rd = model_resdef(&lw->m->volumes, src);
			if (rd) {
				src = rd->name;
				plan_dep(lw->p, r, lw->volres[rd -
				    lw->m->volumes.v], DEP_EXISTS, v->loc);
			}
		}
		if (src)
			mountfield(&b, "source", src, s->name, "volumes", i,
			    v->loc);
		mountfield(&b, "target", dst, s->name, "volumes", i, v->loc);
		if (model_bool(v, "read_only"))
			buf_puts(&b, ",readonly");
		if (opt && model_str(opt, "propagation"))
			buf_printf(&b, ",bind-propagation=%s",
			    model_str(opt, "propagation"));
		opt = node_get(v, "volume");
		if (opt && model_bool(opt, "nocopy"))
			buf_puts(&b, ",volume-nocopy");
		if (opt && model_str(opt, "subpath"))
			mountfield(&b, "volume-subpath", model_str(opt,
			    "subpath"), s->name, "volumes", i, v->loc);
		opt = node_get(v, "tmpfs");
		if (opt && node_get(opt, "size"))
			buf_printf(&b, ",tmpfs-size=%s",
			    node_get(opt, "size")->text);
		if (opt && node_get(opt, "mode"))
			buf_printf(&b, ",tmpfs-mode=%" PRIo64,
			    (uint64_t)node_get(opt, "mode")->v.i);
		set(lw, r, "mount", arena_strdup(lw->a, buf_str(&b)));
		if (strcmp(type, "volume") == 0 && !src)
			addanon(lw, r, s, i, v->loc, dst, r->set[r->nset - 1].value);
		else
			addmounted(lw, r, dst);
	}
	buf_release(&b);
}

static int
shellname(const char *s)
{
	if (!*s || (*s >= '0' && *s <= '9'))
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_") == strlen(s);
}

static int
digits(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s) && strlen(s) <= 7;
}

/* fits a ustar header: the path without its leading slash in 100 bytes,
 * or split at its last slash into 155 and 100 */
static int
tarname(const char *target)
{
	const char *p = target[0] == '/' ? target + 1 : target, *slash;

	if (strlen(p) <= 100)
		return 1;
	slash = strrchr(p, '/');
	return slash && (size_t)(slash - p) <= 155 && strlen(slash + 1) <= 100;
}

static void
addcopy(struct lowering *lw, struct resource *r, const struct node *ref,
    const struct resdef *rd, const char *target, const char *kind, size_t i)
{
	const char *var = model_str(rd->def, "environment");
	const struct node *mode = node_get(ref, "mode");
	struct filecopy *c;

	r->copies = arena_grow(lw->a, r->copies, r->ncopies, &r->capcopies,
	    sizeof(*r->copies));
	c = &r->copies[r->ncopies++];
	c->target = target;
	c->content = model_str(rd->def, "content");
	/* the value of a variable is read when deploying, where it is: the
	 * artifacts and the plan name the variable, never hold its value */
	if (var) {
		c->content = NULL;
		c->env = var;
		if (r->number == 1 && !shellname(var))
			diag(DIAG_ERROR, node_get(rd->def, "environment")->loc,
			    "%s.%s.environment: '%s' is no variable name a "
			    "shell can read (letters, digits and _, not first "
			    "a digit)", kind, rd->key, var);
	} else if (!c->content) {
		c->content = "";
	}
	c->mode = mode ? (unsigned)mode->v.i : 0444;
	c->uid = model_str(ref, "uid");
	c->gid = model_str(ref, "gid");
	/* the tar header that carries them holds numbers */
	if (r->number == 1 && ((c->uid && !digits(c->uid)) ||
	    (c->gid && !digits(c->gid))))
		diag(DIAG_ERROR, ref->loc, "services.%s.%s[%zu]: uid and gid "
		    "must be numbers (they go into a tar header)", r->key, kind,
		    i);
	if (r->number == 1 && !tarname(target))
		diag(DIAG_ERROR, ref->loc, "services.%s.%s[%zu]: the target is "
		    "too long for the tar stream it is copied in (at most 100 "
		    "bytes after its last slash, 155 before it)", r->key, kind,
		    i);
}

/*
 * A secret or config from a file is bind-mounted from it, so the engine
 * refuses the container when the file is missing (as with Compose, at
 * create time, after the earlier services have started).  The artifact
 * may be run on another host where the file exists, so this is a warning,
 * given once per definition, not an error.
 */
static void
sourcefiles(const struct resdefs *defs, const char *kind)
{
	const struct node *file;
	size_t i;

	for (i = 0; i < defs->n; i++) {
		file = node_get(defs->v[i].def, "file");
		if (!defs->v[i].used || defs->v[i].external || !file ||
		    file->kind != NODE_STR || access(file->text, F_OK) == 0)
			continue;
		diag(DIAG_WARNING, file->loc, "%s.%s: file '%s': %s; the "
		    "engine will refuse to create the containers that use it "
		    "unless it exists where the artifact runs", kind,
		    defs->v[i].key, file->text, strerror(errno));
	}
}

static void
fileobjects(struct lowering *lw, struct resource *r, const struct service *s,
    const char *kind, const struct resdefs *defs, const char *dir)
{
	const struct node *refs = node_get(s->def, kind), *ref;
	const struct resdef *rd;
	const char *src, *target, *file;
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; refs && i < refs->n; i++) {
		ref = refs->c.items[i];
		src = model_str(ref, "source");
		rd = model_resdef(defs, src);
		if (!rd)
			continue;
		target = model_str(ref, "target");
		if (!target)
			target = arena_printf(lw->a, "/%s", src);
		else if (target[0] != '/')
			target = arena_printf(lw->a, "%s/%s", dir, target);
		file = model_str(rd->def, "file");
		if (file) {
			buf_reset(&b);
			buf_puts(&b, "type=bind");
			mountfield(&b, "source", file, s->name, kind, i,
			    ref->loc);
			mountfield(&b, "target", target, s->name, kind, i,
			    ref->loc);
			buf_puts(&b, ",readonly");
			set(lw, r, "mount", arena_strdup(lw->a, buf_str(&b)));
			continue;
		}
		/* content and environment objects are copied in before start */
		addcopy(lw, r, ref, rd, target, kind, i);
	}
	buf_release(&b);
}

static void strlist(struct lowering *, struct strlist *,
    const struct node *);

static void
healthcheck(struct lowering *lw, struct resource *r, const struct node *hc)
{
	static const struct { const char *key, *flag; } durations[] = {
		{ "interval", "health-interval" },
		{ "timeout", "health-timeout" },
		{ "start_period", "health-start-period" },
		{ "start_interval", "health-start-interval" },
	};
	const struct node *test;
	size_t i;

	if (!hc)
		return;
	test = node_get(hc, "test");
	if (model_bool(hc, "disable") || (test && test->n &&
	    strcmp(test->c.items[0]->text, "NONE") == 0)) {
		set(lw, r, "no-healthcheck", "true");
		return;
	}
	if (test && test->n)
		strlist(lw, &r->healthtest, test);
	for (i = 0; i < countof(durations); i++)
		setstr(lw, r, durations[i].flag, hc, durations[i].key);
	setint(lw, r, "health-retries", hc, "retries", 1);
}

/* compose key -> docker create option, for plain values */
static const struct { const char *key, *flag; } strings[] = {
	{ "hostname", "hostname" }, { "domainname", "domainname" },
	{ "user", "user" }, { "working_dir", "workdir" }, { "uts", "uts" },
	{ "userns_mode", "userns" }, { "cgroup", "cgroupns" },
	{ "cgroup_parent", "cgroup-parent" }, { "isolation", "isolation" },
	{ "runtime", "runtime" }, { "stop_signal", "stop-signal" },
	{ "platform", "platform" }, { "mac_address", "mac-address" },
	{ "cpuset", "cpuset-cpus" },
};
/* noempty: an empty item is left out.  The engine writes no search line
 * for an empty search domain, and the docker CLI refuses to pass one
 * (the model keeps it, as compose-go does: it is in the config hash). */
static const struct { const char *key, *flag; int noempty; } lists[] = {
	{ "cap_add", "cap-add", 0 }, { "cap_drop", "cap-drop", 0 },
	{ "dns", "dns", 0 }, { "dns_opt", "dns-option", 0 },
	{ "dns_search", "dns-search", 1 },
	{ "group_add", "group-add", 0 }, { "expose", "expose", 0 },
	{ "device_cgroup_rules", "device-cgroup-rule", 0 },
	{ "devices", "device", 0 }, { "tmpfs", "tmpfs", 0 },
	{ "external_links", "link", 0 },
};
static const struct { const char *key, *flag; } numbers[] = {
	{ "cpu_shares", "cpu-shares" }, { "cpu_period", "cpu-period" },
	{ "cpu_quota", "cpu-quota" }, { "cpu_rt_period", "cpu-rt-period" },
	{ "cpu_rt_runtime", "cpu-rt-runtime" }, { "cpu_count", "cpu-count" },
	{ "mem_limit", "memory" }, { "mem_reservation", "memory-reservation" },
	{ "memswap_limit", "memory-swap" },
	{ "mem_swappiness", "memory-swappiness" },
	{ "oom_score_adj", "oom-score-adj" }, { "pids_limit", "pids-limit" },
	{ "shm_size", "shm-size" },
};
static const struct { const char *key, *flag; } bools[] = {
	{ "privileged", "privileged" }, { "read_only", "read-only" },
	{ "stdin_open", "interactive" }, { "tty", "tty" },
	{ "oom_kill_disable", "oom-kill-disable" },
};

/*
 * security_opt as Compose 2.26.1 sends it (parseSecurityOpts): an option
 * is KEY=VALUE, or KEY:VALUE, or no-new-privileges, else create fails;
 * a seccomp profile's path is the project directory's.  The docker CLI
 * then reads and compacts the profile as Compose does.
 */
static void
securityopts(struct lowering *lw, struct resource *r, const char *svc,
    const struct node *seq)
{
	const char *t, *v;
	size_t i, k;

	for (i = 0; seq && seq->kind == NODE_SEQ && i < seq->n; i++) {
		t = seq->c.items[i]->text;
		k = strcspn(t, "=");
		if (!t[k] && strcmp(t, "no-new-privileges"))
			k = strcspn(t, ":");
		if (!t[k] && strcmp(t, "no-new-privileges")) {
			diag(DIAG_ERROR, seq->c.items[i]->loc, "services.%s."
			    "security_opt[%zu]: invalid security option \"%s\": "
			    "use KEY=VALUE", svc, i, t);
			continue;
		}
		v = t + k + 1;
		if (k == 7 && strncmp(t, "seccomp", 7) == 0 && t[k] &&
		    strcmp(v, "unconfined") && v[0] != '/')
			t = arena_printf(lw->a, "seccomp=%s/%s", lw->m->workdir,
			    v);
		set(lw, r, "security-opt", t);
	}
}

static void
resources(struct lowering *lw, struct resource *r, const struct node *def)
{
	const struct node *dep = node_get(def, "deploy"), *res, *lim, *rsv,
	    *rp, *n;
	const char *cond;

	res = dep ? node_get(dep, "resources") : NULL;
	lim = res ? node_get(res, "limits") : NULL;
	rsv = res ? node_get(res, "reservations") : NULL;
	if ((n = node_get(def, "cpus")) || (lim && (n = node_get(lim, "cpus"))))
		set(lw, r, "cpus", floattext(lw, n));
	if (lim && !node_get(def, "mem_limit"))
		setint(lw, r, "memory", lim, "memory", 0);
	if (lim && !node_get(def, "pids_limit"))
		setint(lw, r, "pids-limit", lim, "pids", 0);
	if (rsv && !node_get(def, "mem_reservation"))
		setint(lw, r, "memory-reservation", rsv, "memory", 0);
	if (rsv && node_get(rsv, "devices"))
		diag(DIAG_WARNING, node_get(rsv, "devices")->loc, "deploy."
		    "resources.reservations.devices: device requests (GPUs) "
		    "are passed as --gpus, which always adds the 'gpu' "
		    "capability");
	rp = dep ? node_get(dep, "restart_policy") : NULL;
	if (rp) {
		cond = model_str(rp, "condition");
		if (!cond || strcmp(cond, "any") == 0)
			cond = "always";
		else if (strcmp(cond, "none") == 0)
			cond = "no";
		if (node_get(rp, "max_attempts") && strcmp(cond, "on-failure")
		    == 0)
			setf(lw, r, "restart", "%s:%s", cond,
			    node_get(rp, "max_attempts")->text);
		else
			set(lw, r, "restart", cond);
	} else {
		setstr(lw, r, "restart", def, "restart");
	}
}

/* The blkio_config devices of key, each "PATH:NUMBER".  Neither part is
 * required by compose's schema: a missing number is Go's zero, which
 * Compose sends and docker accepts, but the engine refuses to create a
 * container for an empty device path. */
static void
blkiodevices(struct lowering *lw, struct resource *r, const struct node *bl,
    const char *key, const char *flag, const char *numkey)
{
	const struct node *v = node_get(bl, key), *num;
	const char *path;
	size_t i;

	for (i = 0; v && i < v->n; i++) {
		path = model_str(v->c.items[i], "path");
		num = node_get(v->c.items[i], numkey);
		if (path && *path)
			setf(lw, r, flag, "%s:%s", path, num ? num->text : "0");
		else if (r->number == 1)
			diag(DIAG_ERROR, v->c.items[i]->loc, "services.%s."
			    "blkio_config.%s[%zu]: a device path is required",
			    r->key, key, i);
	}
}

static void
limits(struct lowering *lw, struct resource *r, const struct node *def)
{
	const struct node *ul = node_get(def, "ulimits"), *v, *bl;
	const struct pair **sorted;
	size_t i, j;
	static const struct { const char *key, *flag; } rates[] = {
		{ "device_read_bps", "device-read-bps" },
		{ "device_write_bps", "device-write-bps" },
		{ "device_read_iops", "device-read-iops" },
		{ "device_write_iops", "device-write-iops" },
	};

	for (i = 0; ul && i < ul->n; i++) {
		v = ul->c.pairs[i].val;
		if (v->kind == NODE_INT)
			setf(lw, r, "ulimit", "%s=%s", ul->c.pairs[i].key->text,
			    v->text);
		else
			setf(lw, r, "ulimit", "%s=%s:%s",
			    ul->c.pairs[i].key->text,
			    node_get(v, "soft")->text,
			    node_get(v, "hard")->text);
	}
	(void)sorted;
	bl = node_get(def, "blkio_config");
	if (!bl)
		return;
	setint(lw, r, "blkio-weight", bl, "weight", 0);
	blkiodevices(lw, r, bl, "weight_device", "blkio-weight-device",
	    "weight");
	for (j = 0; j < countof(rates); j++)
		blkiodevices(lw, r, bl, rates[j].key, rates[j].flag, "rate");
}

/* ipc, pid: service:X shares the namespace of X's first container */
static void
namespace(struct lowering *lw, struct resource *r, const struct node *def,
    const char *key)
{
	const char *v = model_str(def, key);

	if (v && strncmp(v, "service:", 8) == 0)
		setf(lw, r, key, "container:%s", containername(lw,
		    model_service(lw->m, v + 8), 1));
	else if (v)
		set(lw, r, key, v);
}

/*
 * Compose 2.26.1 hashes a service after replacing each service:X that it
 * shares (network_mode, ipc, pid) by container:ID, ID the full ID of X's
 * first container, and each service of volumes_from by that ID
 * (resolveServiceReferences).  The ID exists only at deploy time, so the
 * plan holds the JSON in parts with the containers between them.  To find
 * where each ID goes, whatever the values around it hold, the JSON is
 * written with every ID as 64 zeros, then once more per reference with
 * that one as 64 f's: the two differ exactly there.
 */
struct hashref {
	struct node *n;		/* the string the ID replaces */
	const char *prefix;	/* "container:" or "" */
	const char *ctr;	/* the container whose ID it is */
	size_t at;		/* offset of the ID in the JSON */
};

static int
hashrefcmp(const void *x, const void *y)
{
	const struct hashref *a = x, *b = y;

	return a->at < b->at ? -1 : a->at > b->at;
}

static void
hashjson(struct buf *b, const struct service *s, struct hashref *v, size_t n,
    size_t which, struct arena *a)
{
	static const char zeros[] = "00000000000000000000000000000000"
	    "00000000000000000000000000000000";
	static const char fs[] = "ffffffffffffffffffffffffffffffff"
	    "ffffffffffffffffffffffffffffffff";
	size_t i;

	for (i = 0; i < n; i++) {
		v[i].n->text = arena_printf(a, "%s%s", v[i].prefix,
		    i == which ? fs : zeros);
		v[i].n->len = strlen(v[i].n->text);
	}
	buf_reset(b);
	modeljson(b, &schema_service, s->def, MJ_HASH);
}

static void
hashtemplate(struct lowering *lw, struct resource *r, const struct service *s)
{
	static const char *const keys[] = { "network_mode", "ipc", "pid" };
	struct node *vf = (struct node *)node_get(s->def, "volumes_from"), *n;
	struct hashref *v;
	struct buf base = BUF_INIT, one = BUF_INIT;
	const char **saved;
	size_t *savedlen, nv = 0, i, j, from;
	const char *t, *c;

	v = arena_alloc(lw->a, (countof(keys) + (vf ? vf->n : 0) + 1) *
	    sizeof(*v));
	for (i = 0; i < countof(keys); i++) {
		n = (struct node *)node_get(s->def, keys[i]);
		if (!n || n->kind != NODE_STR || strncmp(n->text, "service:", 8))
			continue;
		v[nv].n = n;
		v[nv].prefix = "container:";
		v[nv].ctr = containername(lw, model_service(lw->m, n->text + 8),
		    1);
		nv++;
	}
	for (i = 0; vf && i < vf->n; i++) {
		t = vf->c.items[i]->text;
		if (strncmp(t, "container:", 10) == 0)
			continue;
		c = strchr(t, ':');
		v[nv].n = vf->c.items[i];
		v[nv].prefix = "";
		v[nv].ctr = containername(lw, model_service(lw->m, c ?
		    arena_strndup(lw->a, t, (size_t)(c - t)) : t), 1);
		nv++;
	}
	if (!nv)
		return;
	saved = arena_alloc(lw->a, nv * sizeof(*saved));
	savedlen = arena_alloc(lw->a, nv * sizeof(*savedlen));
	for (i = 0; i < nv; i++) {
		saved[i] = v[i].n->text;
		savedlen[i] = v[i].n->len;
	}
	hashjson(&base, s, v, nv, nv, lw->a);
	for (i = 0; i < nv; i++) {
		hashjson(&one, s, v, nv, i, lw->a);
		for (j = 0; j < base.len && base.data[j] == one.data[j]; j++)
			;
		v[i].at = j;
	}
	for (i = 0; i < nv; i++) {
		v[i].n->text = saved[i];
		v[i].n->len = savedlen[i];
	}
	qsort(v, nv, sizeof(*v), hashrefcmp);
	r->hashparts = arena_alloc(lw->a, (nv + 1) * sizeof(*r->hashparts));
	r->hashrefs = arena_alloc(lw->a, nv * sizeof(*r->hashrefs));
	for (i = 0, from = 0; i < nv; i++) {
		r->hashparts[i] = arena_strndup(lw->a, base.data + from,
		    v[i].at - from);
		r->hashrefs[i] = v[i].ctr;
		from = v[i].at + 64;
	}
	r->hashparts[nv] = arena_strndup(lw->a, base.data + from,
	    base.len - from);
	r->nhashrefs = nv;
	r->hash = NULL;
	/* the runtime writes the label */
	for (i = 0; i < r->nset; i++)
		if (strcmp(r->set[i].key, "label") == 0 && strncmp(
		    r->set[i].value, "com.docker.compose.config-hash=", 31) == 0) {
			memmove(&r->set[i], &r->set[i + 1], (r->nset - i - 1) *
			    sizeof(*r->set));
			r->nset--;
			break;
		}
	buf_release(&base);
	buf_release(&one);
}

static void
options(struct lowering *lw, struct resource *r, const struct service *s)
{
	const struct node *def = s->def, *n, *lg;
	size_t i;

	for (i = 0; i < countof(strings); i++)
		setstr(lw, r, strings[i].flag, def, strings[i].key);
	namespace(lw, r, def, "ipc");
	namespace(lw, r, def, "pid");
	for (i = 0; i < countof(lists); i++)
		setlist(lw, r, lists[i].flag, node_get(def, lists[i].key),
		    lists[i].noempty);
	securityopts(lw, r, s->name, node_get(def, "security_opt"));
	for (i = 0; i < countof(numbers); i++)
		setint(lw, r, numbers[i].flag, def, numbers[i].key, 0);
	for (i = 0; i < countof(bools); i++)
		setbool(lw, r, bools[i].flag, def, bools[i].key);
	n = node_get(def, "init");
	if (n)
		set(lw, r, "init", n->v.b ? "true" : "false");
	/* Compose sends int64(CPUPercent * 100), in float32 */
	n = node_get(def, "cpu_percent");
	if (n && n->kind == NODE_FLOAT) {
		float pct = (float)n->v.f * 100.0f;

		set(lw, r, "cpu-percent", arena_printf(lw->a, "%" PRId64,
		    (int64_t)pct));
	}
	n = node_get(def, "extra_hosts");
	for (i = 0; n && i < n->n; i++) {
		const char *eq = strchr(n->c.items[i]->text, '=');

		setf(lw, r, "add-host", "%.*s:%s",
		    (int)(eq - n->c.items[i]->text), n->c.items[i]->text,
		    eq + 1);
	}
	setmap(lw, r, "sysctl", node_get(def, "sysctls"), 0);
	setmap(lw, r, "storage-opt", node_get(def, "storage_opt"), 0);
	setmap(lw, r, "annotation", node_get(def, "annotations"), 0);
	n = node_get(def, "stop_grace_period");
	if (n)
		setf(lw, r, "stop-timeout", "%" PRId64,
		    n->v.i / 1000000000);
	lg = node_get(def, "logging");
	if (lg) {
		setstr(lw, r, "log-driver", lg, "driver");
		setmap(lw, r, "log-opt", node_get(lg, "options"), 0);
	}
	resources(lw, r, def);
	limits(lw, r, def);
	healthcheck(lw, r, node_get(def, "healthcheck"));
}

static void
ports(struct lowering *lw, struct resource *r, const struct node *def)
{
	const struct node *ps = node_get(def, "ports"), *p;
	const char *ip, *pub;
	size_t i;

	for (i = 0; ps && i < ps->n; i++) {
		p = ps->c.items[i];
		ip = model_str(p, "host_ip");
		pub = model_str(p, "published");
		if (ip && strchr(ip, ':'))
			ip = arena_printf(lw->a, "[%s]", ip);
		if (ip)
			setf(lw, r, "publish", "%s:%s:%s/%s", ip,
			    pub ? pub : "", node_get(p, "target")->text,
			    model_str(p, "protocol"));
		else if (pub)
			setf(lw, r, "publish", "%s:%s/%s", pub,
			    node_get(p, "target")->text,
			    model_str(p, "protocol"));
		else
			setf(lw, r, "publish", "%s/%s",
			    node_get(p, "target")->text,
			    model_str(p, "protocol"));
	}
}

static void
links(struct lowering *lw, struct resource *r, const struct service *s,
    unsigned n)
{
	const struct node *ls = node_get(s->def, "links");
	const struct service *t;
	const char *v, *c, *svc, *alias, *cn;
	unsigned k;
	size_t i;

	/* Compose (getLinks): for every container C of the linked service,
	 * "C:alias", "C:svc-N" and "C:project-svc-N", where N is the number
	 * of the container being created (a Compose quirk, kept) */
	for (i = 0; ls && i < ls->n; i++) {
		v = ls->c.items[i]->text;
		c = strchr(v, ':');
		svc = c ? arena_strndup(lw->a, v, (size_t)(c - v)) : v;
		alias = c ? c + 1 : v;
		t = model_service(lw->m, svc);
		for (k = 1; t && k <= t->scale; k++) {
			cn = containername(lw, t, k);
			setf(lw, r, "link", "%s:%s", cn, alias);
			setf(lw, r, "link", "%s:%s-%u", cn, svc, n);
			setf(lw, r, "link", "%s:%s-%s-%u", cn, lw->m->project,
			    svc, n);
		}
	}
}

static const char *
depends_label(struct lowering *lw, const struct service *s)
{
	const struct node *deps = node_get(s->def, "depends_on");
	struct buf b = BUF_INIT;
	const char *out;
	size_t i;

	for (i = 0; deps && i < deps->n; i++) {
		if (i)
			buf_putc(&b, ',');
		buf_printf(&b, "%s:%s:%s", deps->c.pairs[i].key->text,
		    model_str(deps->c.pairs[i].val, "condition"),
		    model_bool(deps->c.pairs[i].val, "restart") ? "true" :
		    "false");
	}
	out = arena_strdup(lw->a, buf_str(&b));
	buf_release(&b);
	return out;
}

static const char *
imagename(struct lowering *lw, const struct service *s)
{
	const char *img = model_str(s->def, "image");

	return img ? img : arena_printf(lw->a, "%s-%s", lw->m->project,
	    s->name);
}

static void
labels(struct lowering *lw, struct resource *r, const struct service *s,
    unsigned n, const char *hash)
{
	const struct model *m = lw->m;
	const struct node *user = node_get(s->def, "labels");
	struct buf files = BUF_INIT;
	struct pair *v;
	size_t i;

	for (i = 0; i < m->nfiles; i++)
		buf_printf(&files, "%s%s", i ? "," : "", m->files[i]);
	if (n == 1)
		checklabels(user, "services", s->name, "labels");
	/* user labels first; compose's own win on a conflict */
	if (user && user->n) {
		v = arena_alloc(lw->a, user->n * sizeof(*v));
		memcpy(v, user->c.pairs, user->n * sizeof(*v));
		qsort(v, user->n, sizeof(*v), paircmp);
		for (i = 0; i < user->n; i++)
			if (strncmp(v[i].key->text, "com.docker.compose.", 19))
				setf(lw, r, "label", "%s=%s", v[i].key->text,
				    v[i].val->text);
	}
	setf(lw, r, "label", "com.docker.compose.config-hash=%s", hash);
	setf(lw, r, "label", "com.docker.compose.container-number=%u", n);
	setf(lw, r, "label", "com.docker.compose.depends_on=%s",
	    depends_label(lw, s));
	set(lw, r, "label", "com.docker.compose.oneoff=False");
	setf(lw, r, "label", "com.docker.compose.project=%s", m->project);
	setf(lw, r, "label", "com.docker.compose.project.config_files=%s",
	    buf_str(&files));
	if (m->nenvfiles) {
		buf_reset(&files);
		for (i = 0; i < m->nenvfiles; i++)
			buf_printf(&files, "%s%s", i ? "," : "",
			    m->envfiles[i]);
		setf(lw, r, "label", "com.docker.compose.project."
		    "environment_file=%s", buf_str(&files));
	}
	setf(lw, r, "label", "com.docker.compose.project.working_dir=%s",
	    m->workdir);
	setf(lw, r, "label", "com.docker.compose.service=%s", s->name);
	setf(lw, r, "label", "com.docker.compose.version=%s",
	    LOWER_COMPOSE_VERSION);
	buf_release(&files);
}

static void
strlist(struct lowering *lw, struct strlist *l, const struct node *seq)
{
	size_t i;

	l->v = arena_alloc(lw->a, (seq->n + 1) * sizeof(*l->v));
	for (i = 0; i < seq->n; i++)
		l->v[i] = seq->c.items[i]->text;
	l->n = seq->n;
	l->set = 1;
}

static struct resource *
container(struct lowering *lw, const struct service *s, unsigned n,
    const char *hash, struct resource *build)
{
	const struct node *def = s->def, *cmd, *ep;
	struct resource *r = plan_add(lw->p, RES_CONTAINER,
	    containername(lw, s, n), s->name, s->loc);

	r->number = n;
	r->image = imagename(lw, s);
	r->pullpolicy = model_str(def, "pull_policy");
	r->hash = hash;
	if (build)
		plan_dep(lw->p, r, build, DEP_EXISTS, s->loc);
	cmd = node_get(def, "command");
	if (cmd)
		strlist(lw, &r->command, cmd);
	ep = node_get(def, "entrypoint");
	if (ep)
		strlist(lw, &r->entrypoint, ep);
	/* `--entrypoint ''` clears the image's entrypoint: the words after
	 * an empty first one would run as the command (Compose sends the
	 * list, whose empty program fails to start) */
	if (n == 1 && ep && ep->n > 1 && !*ep->c.items[0]->text)
		diag(DIAG_ERROR, ep->c.items[0]->loc, "services.%s.entrypoint"
		    "[0]: an empty program followed by arguments cannot be "
		    "passed to docker create (--entrypoint '' clears the "
		    "entrypoint, and the arguments would run instead)",
		    s->name);
	labels(lw, r, s, n, hash);
	setmap(lw, r, "env", node_get(def, "environment"), 1);
	networks(lw, r, s);
	links(lw, r, s, n);
	ports(lw, r, def);
	mounts(lw, r, s);
	fileobjects(lw, r, s, "secrets", &lw->m->secrets, "/run/secrets");
	fileobjects(lw, r, s, "configs", &lw->m->configs, "");
	{
		const struct node *vf = node_get(def, "volumes_from");
		const char *v, *c;
		size_t i;

		for (i = 0; vf && i < vf->n; i++) {
			v = vf->c.items[i]->text;
			if (strncmp(v, "container:", 10) == 0) {
				c = strchr(v + 10, ':');
				set(lw, r, "volumes-from", c ? arena_strndup(
				    lw->a, v + 10, (size_t)(c - v - 10)) :
				    v + 10);
				continue;
			}
			c = strchr(v, ':');
			set(lw, r, "volumes-from", containername(lw,
			    model_service(lw->m, c ? arena_strndup(lw->a, v,
			    (size_t)(c - v)) : v), 1));
		}
	}
	options(lw, r, s);
	return r;
}

static struct resource *
build(struct lowering *lw, const struct service *s)
{
	const struct node *b = node_get(s->def, "build");
	struct resource *r;
	const struct node *n;
	size_t i;

	if (!b)
		return NULL;
	r = plan_add(lw->p, RES_BUILD, imagename(lw, s), s->name, s->loc);
	r->image = r->name;
	setstr(lw, r, "context", b, "context");
	/* docker build reads -f from the current directory, compose from the
	 * context */
	n = node_get(b, "dockerfile");
	if (n && n->text[0] != '/' && model_str(b, "context") &&
	    model_str(b, "context")[0] == '/')
		setf(lw, r, "file", "%s/%s", model_str(b, "context"), n->text);
	else if (n)
		set(lw, r, "file", n->text);
	setstr(lw, r, "dockerfile-inline", b, "dockerfile_inline");
	setmap(lw, r, "build-arg", node_get(b, "args"), 0);
	setstr(lw, r, "target", b, "target");
	setstr(lw, r, "network", b, "network");
	setlist(lw, r, "cache-from", node_get(b, "cache_from"), 0);
	setlist(lw, r, "cache-to", node_get(b, "cache_to"), 0);
	setbool(lw, r, "no-cache", b, "no_cache");
	setbool(lw, r, "pull", b, "pull");
	setint(lw, r, "shm-size", b, "shm_size", 0);
	setstr(lw, r, "isolation", b, "isolation");
	n = node_get(b, "extra_hosts");
	for (i = 0; n && i < n->n; i++)
		set(lw, r, "add-host", n->c.items[i]->text);
	setlist(lw, r, "tag", node_get(b, "tags"), 0);
	n = node_get(b, "platforms");
	if (n && n->n > 1)
		diag(DIAG_ERROR, n->loc, "services.%s.build.platforms: "
		    "building for several platforms needs buildx", s->name);
	setlist(lw, r, "platform", n, 0);
	checklabels(node_get(b, "labels"), "services", s->name,
	    "build.labels");
	setmap(lw, r, "label", node_get(b, "labels"), 0);
	setf(lw, r, "label", "com.docker.compose.project=%s", lw->m->project);
	setf(lw, r, "label", "com.docker.compose.service=%s", s->name);
	setf(lw, r, "label", "com.docker.compose.version=%s",
	    LOWER_COMPOSE_VERSION);
	return r;
}

static void
dependencies(struct lowering *lw, const struct service *s)
{
	const struct node *deps = node_get(s->def, "depends_on"), *d;
	const struct service *t;
	struct resource *from, *to;
	enum dep_cond cond;
	const char *c;
	size_t i, k;
	unsigned n, m;

	for (i = 0; deps && i < deps->n; i++) {
		d = deps->c.pairs[i].val;
		t = model_service(lw->m, deps->c.pairs[i].key->text);
		if (!t || !t->enabled)
			continue;
		c = model_str(d, "condition");
		cond = !c || strcmp(c, "service_started") == 0 ? DEP_STARTED :
		    strcmp(c, "service_healthy") == 0 ? DEP_HEALTHY :
		    DEP_COMPLETED;
		for (n = 1; n <= s->scale; n++) {
			from = lw->p->res[lw->firstctr[s - lw->m->services] +
			    n - 1];
			for (m = 1; m <= t->scale; m++) {
				to = lw->p->res[lw->firstctr[t -
				    lw->m->services] + m - 1];
				plan_dep(lw->p, from, to, cond,
				    deps->c.pairs[i].key->loc);
				k = from->ndeps - 1;
				from->deps[k].required = !node_get(d,
				    "required") || model_bool(d, "required");
				from->deps[k].restart = model_bool(d, "restart");
			}
		}
	}
}

struct plan *
lower(struct arena *a, const struct model *m)
{
	struct lowering lw = { a, m, NULL, NULL, NULL, NULL };
	struct plan *p = arena_alloc(a, sizeof(*p));
	const struct service *s;
	struct resource *b;
	char *hash;
	size_t i;
	unsigned n;

	lw.p = p;
	p->mem = a;
	p->project = m->project;
	p->workdir = m->workdir;
	p->files = m->files;
	p->nfiles = m->nfiles;
	lw.netres = arena_alloc(a, (m->networks.n + 1) * sizeof(*lw.netres));
	lw.volres = arena_alloc(a, (m->volumes.n + 1) * sizeof(*lw.volres));
	lw.firstctr = arena_alloc(a, (m->nservices + 1) *
	    sizeof(*lw.firstctr));
	for (i = 0; i < m->networks.n; i++)
		if (m->networks.v[i].used)
			lw.netres[i] = network(&lw, &m->networks.v[i]);
	for (i = 0; i < m->volumes.n; i++)
		if (m->volumes.v[i].used)
			lw.volres[i] = volume(&lw, &m->volumes.v[i]);
	sourcefiles(&m->secrets, "secrets");
	sourcefiles(&m->configs, "configs");
	p->noreplicas = arena_alloc(a, (m->nservices + 1) *
	    sizeof(*p->noreplicas));
	p->disabled = arena_alloc(a, (m->nservices + 1) * sizeof(*p->disabled));
	for (i = 0; i < m->nservices; i++) {
		s = &m->services[i];
		if (!s->enabled)
			p->disabled[p->ndisabled++] = s->name;
		else if (s->scale == 0)
			p->noreplicas[p->nnoreplicas++] = s->name;
	}
	for (i = 0; i < m->nservices; i++) {
		s = &m->services[i];
		if (!s->enabled)
			continue;
		b = build(&lw, s);
		hash = arena_alloc(a, 65);
		modeljson_hash(s->def, hash);
		lw.firstctr[i] = p->nres;
		for (n = 1; n <= s->scale; n++)
			hashtemplate(&lw, container(&lw, s, n, hash, b), s);
	}
	for (i = 0; i < m->nservices; i++)
		if (m->services[i].enabled)
			dependencies(&lw, &m->services[i]);
	p->ignored = arena_alloc(a, (m->nledger + 1) * sizeof(*p->ignored));
	for (i = 0; i < m->nledger; i++) {
		p->ignored[i].path = m->ledger[i].path;
		p->ignored[i].note = m->ledger[i].note;
		p->ignored[i].loc = m->ledger[i].loc;
	}
	p->nignored = m->nledger;
	return diag_errors() ? NULL : p;
}

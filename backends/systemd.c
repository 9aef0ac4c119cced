/*
 * systemd.c: the plan as systemd units, one file each:
 *
 *	<container>.service          a container under systemd's supervision
 *	<project>-network-<key>.service, <project>-volume-<key>.service,
 *	<project>-build-<service>.service
 *	                             oneshot units (RemainAfterExit=yes) that
 *	                             make a network, a volume or an image exist
 *	<project>.target             wants them all: start it = up, stop it =
 *	                             down (containers and networks removed,
 *	                             volumes and images kept)
 *
 * Every value from the compose file is one quote_sd() word on an Exec
 * line.  The little shell logic the units need (waits, create, copy-in)
 * is fixed text below that takes its values only as separate argv words:
 * /bin/sh -c SCRIPT c2sh ARG...
 *
 * A container unit runs `docker start -a` as its main process, so systemd
 * sees the container's exit status and restarts it per Restart=; the
 * engine's own restart policy is not set (only one supervisor).  Stopping
 * the unit stops the container with `docker stop` (the container's
 * stop_grace_period and stop_signal apply) and removes it; the main process
 * then exits 0 because the unit was being stopped, whatever the container
 * returned (143 after SIGTERM, 137 after the grace period), so a stop never
 * leaves the unit "failed".
 */
#include "backend.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "dockerargs.h"
#include "plan.h"
#include "quote.h"
#include "util.h"

enum {
	WAIT_TIMEOUT = 300,	/* seconds, for all depends_on conditions */
	STOP_TIMEOUT = 10,	/* docker stop's default grace period */
};

/* ---- the fixed scripts: backends/units/NAME.sh, as one line each
 * (build/gen/units.c); quote_sd makes $ into $$ and so on */
extern const char unit_run_sh[], unit_stop_sh[], unit_create_sh[],
    unit_wait_sh[], unit_copy_sh[], unit_network_sh[], unit_volume_sh[],
    unit_external_network_sh[], unit_external_volume_sh[], unit_build_sh[],
    unit_need_sh[];

/* ---- Exec lines */

static void
words(struct buf *b, const struct args *a)
{
	backend_words(b, a, quote_sd, " \\\n\t");
}

static void
q(struct buf *b, const char *s)
{
	buf_putc(b, ' ');
	quote_sd(b, s);
}

/* KEY=/bin/sh -c SCRIPT c2sh (the caller adds the arguments) */
static void
script(struct buf *b, const char *key, const char *text)
{
	buf_printf(b, "%s=/bin/sh -c", key);
	q(b, text);
	buf_puts(b, " c2sh");
}

/* ---- unit names */

static const char *
unitname(struct arena *a, const struct plan *p, const struct resource *r)
{
	switch (r->kind) {
	case RES_NETWORK:
		return arena_printf(a, "%s-network-%s.service", p->project,
		    r->key);
	case RES_VOLUME:
		return arena_printf(a, "%s-volume-%s.service", p->project,
		    r->key);
	case RES_BUILD:
		return arena_printf(a, "%s-build-%s.service", p->project,
		    r->key);
	case RES_CONTAINER:
		return arena_printf(a, "%s.service", r->name);
	}
	BUG("unknown resource kind");
}

/* ---- the sections every unit shares */

static void
head(struct buf *b, struct arena *a, const struct plan *p,
    const struct resource *r, const char *what)
{
	const struct dep *d;
	const char *dep;
	size_t i;

	backend_file(b, unitname(a, p, r));
	backend_header(b, p, "# ");
	buf_line(b, "# Install: copy every file of this directory to "
	    "/etc/systemd/system, then");
	buf_line(b, "#   systemctl daemon-reload && systemctl enable --now %s.target",
	    p->project);
	buf_putc(b, '\n');
	buf_line(b, "[Unit]");
	buf_line(b, "Description=%s of compose project %s", what, p->project);
	buf_line(b, "PartOf=%s.target", p->project);
	buf_line(b, "After=docker.service");
	for (i = 0; i < r->ndeps; i++) {
		d = &r->deps[i];
		dep = unitname(a, p, d->to);
		buf_line(b, "%s=%s", d->required ? "Requires" : "Wants", dep);
		buf_line(b, "After=%s", dep);
	}
}

/* The engine's restart policy ("no", "always", "unless-stopped",
 * "on-failure[:N]") as systemd's: StartLimit* in [Unit] ... */
static void
startlimit(struct buf *b, const char *policy)
{
	const char *n;

	if (!policy || strcmp(policy, "no") == 0)
		return;
	n = strchr(policy, ':');
	if (strncmp(policy, "on-failure", 10) == 0 && n && atoi(n + 1) > 0) {
		/* N restarts are N + 1 starts; Docker counts them since the
		 * last manual start, systemd within a window */
		buf_line(b, "# restart: %s: at most %d restarts within 10 minutes",
		    policy, atoi(n + 1));
		buf_line(b, "StartLimitIntervalSec=10min");
		buf_line(b, "StartLimitBurst=%d", atoi(n + 1) + 1);
	} else {
		buf_line(b, "StartLimitIntervalSec=0");
	}
}

/* ... and Restart= in [Service] (unless-stopped is always: systemctl
 * stop is final either way) */
static void
restart(struct buf *b, const char *policy)
{
	if (!policy || strcmp(policy, "no") == 0) {
		buf_line(b, "Restart=no");
		return;
	}
	buf_line(b, "Restart=%s", strncmp(policy, "on-failure", 10) == 0 ?
	    "on-failure" : "always");
	buf_line(b, "RestartSec=1s");
}

static const char *
setting(const struct resource *r, const char *key)
{
	const char *v = NULL;
	size_t i;

	for (i = 0; i < r->nset; i++)
		if (strcmp(r->set[i].key, key) == 0)
			v = r->set[i].value;
	return v;
}

/* the create arguments without --restart: systemd restarts the
 * container, the engine must not as well */
static void
createargs(struct args *out, struct arena *a, const struct resource *r)
{
	struct args all;
	size_t i;

	args_init(&all, a);
	dockerargs_create(&all, r, DA_ALL);
	for (i = 0; i < all.n; i++) {
		if (all.isopt[i] && strcmp(all.v[i], "--restart") == 0) {
			i++;
			continue;
		}
		if (all.isopt[i])
			args_opt(out, all.v[i]);
		else
			args_push(out, all.v[i]);
	}
}

/* where the administrator puts the value of variable VAR for project P:
 * /etc/credstore/P.VAR (the directory systemd keeps credentials in) */
static const char *
credpath(struct arena *a, const struct plan *p, const char *var)
{
	return arena_printf(a, "/etc/credstore/%s.%s", p->project, var);
}

/* is copies[i]'s variable one of an earlier copy? */
static int
credseen(const struct resource *r, size_t i)
{
	size_t k;

	for (k = 0; k < i; k++)
		if (r->copies[k].env &&
		    strcmp(r->copies[k].env, r->copies[i].env) == 0)
			return 1;
	return 0;
}

static void
container(struct buf *b, struct arena *a, const struct plan *p,
    const struct resource *r)
{
	struct args args, *connects;
	const char *policy = setting(r, "restart"), *grace;
	const struct dep *d;
	size_t i, n, nc;
	int waits = 0, any = 0, stop = STOP_TIMEOUT;

	args_init(&args, a);
	nc = dockerargs_nconnects(r);
	connects = arena_alloc(a, (nc + 1) * sizeof(*connects));
	for (i = 0; i < nc; i++)
		args_init(&connects[i], a);
	createargs(&args, a, r);
	n = dockerargs_connects(connects, nc, r, r->name);
	if ((grace = setting(r, "stop-timeout")))
		stop = atoi(grace);

	head(b, a, p, r, arena_printf(a, "Container %s (service %s)",
	    r->name, r->key));
	startlimit(b, policy);
	buf_putc(b, '\n');
	buf_line(b, "[Service]");
	buf_line(b, "Type=exec");
	buf_line(b, "Environment=C2SH_WAIT_TIMEOUT=%d", WAIT_TIMEOUT);
	buf_line(b, "TimeoutStartSec=15min");
	buf_line(b, "TimeoutStopSec=%ds", stop + 30);
	restart(b, policy);

	/* the depends_on conditions, before this container is even made */
	for (i = 0; i < r->ndeps; i++) {
		d = &r->deps[i];
		if (d->to->kind != RES_CONTAINER)
			continue;
		if (!waits++) {
			buf_line(b, "# wait for the depends_on conditions "
			    "(args: container service condition)");
			script(b, "ExecStartPre", unit_wait_sh);
		}
		buf_puts(b, " \\\n\t");
		quote_sd(b, d->to->name);
		q(b, d->to->key);
		buf_printf(b, " %s %s", plan_condname(d->cond), d->required ?
		    "required" : "optional");
	}
	if (waits)
		buf_putc(b, '\n');

	/* a value read from the environment is a file of mode 0600 the
	 * administrator writes (README, Secrets), read by the copy script:
	 * never on a command line; missing, the unit fails before create */
	for (i = 0; i < r->ncopies; i++)
		if (r->copies[i].env && !credseen(r, i)) {
			if (!any++) {
				buf_line(b, "# the files that hold the values of "
				    "secrets and configs (args: file...)");
				script(b, "ExecStartPre", unit_need_sh);
			}
			q(b, credpath(a, p, r->copies[i].env));
		}
	if (any)
		buf_putc(b, '\n');
	buf_line(b, "# remove a leftover of the project, create the container "
	    "(args: name project image keepcmd|- docker-create-args)");
	script(b, "ExecStartPre", unit_create_sh);
	q(b, r->name);
	q(b, p->project);
	q(b, r->image);
	buf_puts(b, dockerargs_keepcmd(r) ? " keepcmd" : " -");
	words(b, &args);
	buf_putc(b, '\n');
	for (i = 0; i < n; i++) {
		buf_puts(b, "ExecStartPre=docker network connect");
		words(b, &connects[i]);
		buf_putc(b, '\n');
	}
	for (i = 0; i < r->ncopies; i++) {
		const struct filecopy *c = &r->copies[i];

		buf_line(b, "# copy a secret or config in (args: container target "
		    "mode uid gid content|credential value|id)");
		script(b, "ExecStartPre", unit_copy_sh);
		q(b, r->name);
		q(b, c->target);
		buf_printf(b, " %o", c->mode);
		q(b, c->uid ? c->uid : "");
		q(b, c->gid ? c->gid : "");
		buf_puts(b, c->env ? " file" : " content");
		q(b, c->env ? credpath(a, p, c->env) : c->content);
		buf_putc(b, '\n');
		if (c->env)
			continue;
		/* (deploy.sh and the Makefile pass it to printf, a builtin;
		 * the Makefile's recipe line is bounded as a whole) */
		if (strlen(c->content) > ARG_LEN_MAX)
			diag(DIAG_ERROR, r->loc, "container %s: the content of "
			    "%s is %zu bytes, more than Linux passes to a "
			    "program in one argument (%d bytes); -t sh has no "
			    "such limit", r->name, c->target,
			    strlen(c->content), ARG_LEN_MAX);
	}
	buf_line(b, "# the container under systemd's supervision; a stop by "
	    "systemctl is no failure");
	script(b, "ExecStart", unit_run_sh);
	q(b, r->name);
	buf_line(b, " %%n");
	script(b, "ExecStop", unit_stop_sh);
	q(b, r->name);
	buf_putc(b, '\n');
}

static void
oneshot(struct buf *b, struct arena *a, const struct plan *p,
    const struct resource *r)
{
	struct args args;
	const char *stdin_text;

	args_init(&args, a);
	switch (r->kind) {
	case RES_NETWORK:
		head(b, a, p, r, arena_printf(a, "Network %s", r->name));
		break;
	case RES_VOLUME:
		head(b, a, p, r, arena_printf(a, "Volume %s", r->name));
		break;
	case RES_BUILD:
		head(b, a, p, r, arena_printf(a, "Image %s (built for service "
		    "%s)", r->image, r->key));
		break;
	case RES_CONTAINER:
		BUG("oneshot() on a container");
	}
	buf_putc(b, '\n');
	buf_line(b, "[Service]");
	buf_line(b, "Type=oneshot");
	buf_line(b, "RemainAfterExit=yes");
	switch (r->kind) {
	case RES_NETWORK:
		if (r->external) {
			script(b, "ExecStart", unit_external_network_sh);
			q(b, r->name);
			buf_putc(b, '\n');
			break;
		}
		dockerargs_network(&args, r);
		script(b, "ExecStart", unit_network_sh);
		q(b, r->name);
		words(b, &args);
		buf_putc(b, '\n');
		/* down: the network goes when the project stops (if another
		 * project's container still uses it, it stays) */
		buf_puts(b, "ExecStop=-docker network rm");
		q(b, r->name);
		buf_putc(b, '\n');
		break;
	case RES_VOLUME:
		if (r->external) {
			script(b, "ExecStart", unit_external_volume_sh);
			q(b, r->name);
			buf_putc(b, '\n');
			break;
		}
		dockerargs_volume(&args, r);
		script(b, "ExecStart", unit_volume_sh);
		q(b, r->name);
		words(b, &args);
		buf_putc(b, '\n');
		break;
	case RES_BUILD:
		buf_line(b, "TimeoutStartSec=infinity");
		dockerargs_build(&args, r, &stdin_text);
		script(b, "ExecStart", unit_build_sh);
		q(b, r->image);
		buf_puts(b, stdin_text ? " inline" : " -");
		q(b, stdin_text ? stdin_text : "");
		words(b, &args);
		buf_putc(b, '\n');
		break;
	case RES_CONTAINER:
		break;
	}
}

static void
target(struct buf *b, struct arena *a, const struct plan *p)
{
	size_t i;

	backend_file(b, arena_printf(a, "%s.target", p->project));
	backend_header(b, p, "# ");
	buf_line(b, "# Install: copy every file of this directory to "
	    "/etc/systemd/system, then");
	buf_line(b, "#   systemctl daemon-reload && systemctl enable --now %s.target",
	    p->project);
	buf_line(b, "# systemctl start %s.target brings the project up; stop takes "
	    "it down", p->project);
	buf_line(b, "# (containers and networks removed, volumes kept).");
	buf_putc(b, '\n');
	buf_line(b, "[Unit]");
	buf_line(b, "Description=Compose project %s", p->project);
	for (i = 0; i < p->nres; i++) {
		buf_line(b, "Wants=%s", unitname(a, p, p->res[i]));
		buf_line(b, "After=%s", unitname(a, p, p->res[i]));
	}
	buf_putc(b, '\n');
	buf_line(b, "[Install]");
	buf_line(b, "WantedBy=multi-user.target");
}

/* systemd reads a unit file line, with its continuation lines (those
 * after a line ending in a backslash), up to 1 MiB (LONG_LINE_MAX,
 * counting every byte but the newlines) and refuses a unit with a longer
 * one: a resource whose unit would hold one is an error here. */
static void
checklines(const struct resource *r, const char *s, size_t len)
{
	const size_t max = 1024 * 1024;
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (s[i] != '\n') {
			n++;
			continue;
		}
		if (i > 0 && s[i - 1] == '\\')
			continue;
		if (n > max)
			diag(DIAG_ERROR, r->loc, "%s %s: its unit would have a "
			    "line of %zu bytes, more than systemd reads (%zu "
			    "bytes); -t sh has no such limit",
			    plan_kindname(r->kind), r->name, n, max);
		n = 0;
	}
}

static void
emit(const struct plan *p, struct buf *b)
{
	struct arena a = ARENA_INIT;
	const struct resource *r;
	const char *name, **names;
	size_t i, j, start;

	/* two resources must not share a unit name */
	names = arena_alloc(&a, (p->nres + 1) * sizeof(*names));
	for (i = 0; i < p->nres; i++) {
		names[i] = name = unitname(&a, p, p->res[i]);
		for (j = 0; j < i; j++)
			if (strcmp(names[j], name) == 0)
				diag(DIAG_ERROR, p->res[i]->loc, "-t systemd: "
				    "%s %s and %s %s would both be the unit %s",
				    plan_kindname(p->res[j]->kind),
				    p->res[j]->name,
				    plan_kindname(p->res[i]->kind),
				    p->res[i]->name, name);
	}
	for (i = 0; i < p->nres; i++) {
		r = p->res[i];
		start = b->len;
		if (r->kind == RES_CONTAINER)
			container(b, &a, p, r);
		else
			oneshot(b, &a, p, r);
		checklines(r, b->data + start, b->len - start);
	}
	target(b, &a, p);
	arena_release(&a);
}

const struct backend systemd_backend = {
	.name = "systemd",
	.what = "systemd units, one per resource, and <project>.target (-o DIR)",
	.emit = emit,
	.multifile = 1,
};

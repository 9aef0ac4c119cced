/*
 * make.c: the plan as a GNU Makefile that deploys it with make, sh and
 * docker; `make -j up` starts independent services in parallel.
 *
 * One phony target per resource, whose prerequisites are its edges in
 * the plan's graph:
 *	network-KEY  volume-KEY  image-SERVICE (a build)  container-SERVICE-N
 * and the commands up (the default), create, down, down-volumes, ps, logs,
 * plan, up-SERVICE.  No stamp files: every recipe asks the engine, so the
 * Makefile is idempotent as deploy.sh is.
 *
 * The recipes call deploy.sh's own runtime (sh_runtime, in sh.c): the
 * Makefile holds it verbatim in a `define` and exports it, as $(value ...),
 * to every recipe, which evals it.  Values from the compose file appear in
 * recipes only, each through quote_make; a newline, which a recipe line
 * cannot hold, is the exported variable C2SH_NL.
 */
#include "backend.h"

#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "dockerargs.h"
#include "plan.h"
#include "quote.h"
#include "util.h"

static void
q(struct buf *b, const char *s)
{
	quote_make(b, s);
}

/* The end of a recipe line that goes on: make passes the backslash and
 * newline to sh, which joins the lines (never inside quotes: quote_make
 * writes no newline). */
#define MORE " \\\n\t"

static void
words(struct buf *b, const struct args *a)
{
	backend_words(b, a, q, MORE "\t    ");
}

/* Docker names and compose keys are validated in the front end (letters,
 * digits, '.', '_', '-'); anything else would be special to make. */
static int
safe(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789._-", *s))
			return 0;
	return 1;
}

/* the target that makes a resource exist (and a container run) */
static const char *
target(struct arena *a, const struct resource *r)
{
	const char *key = safe(r->key) ? r->key : arena_printf(a, "r%zu",
	    r->idx);

	switch (r->kind) {
	case RES_NETWORK:
		return arena_printf(a, "network-%s", key);
	case RES_VOLUME:
		return arena_printf(a, "volume-%s", key);
	case RES_BUILD:
		return arena_printf(a, "image-%s", key);
	case RES_CONTAINER:
		break;
	}
	return arena_printf(a, "container-%s-%u", key, r->number);
}

static const char usage[] =
"usage: make [-j] [TARGET...] [C2SH_WAIT_TIMEOUT=SECONDS]\n"
"  up              create what is missing, recreate what changed, start\n"
"                  everything (the default); -j starts independent\n"
"                  services in parallel\n"
"  up-SERVICE      the same for one service and what it depends on\n"
"  create          the same, without starting\n"
"  down            remove the containers and networks\n"
"  down-volumes    remove the containers, networks and volumes\n"
"  ps              list the project's containers\n"
"  logs            show the containers' output\n"
"  plan            print the plan this Makefile was compiled from\n"
"  network-KEY, volume-KEY, image-SERVICE, container-SERVICE-N\n"
"                  one resource, with what it needs\n"
"C2SH_WAIT_TIMEOUT (seconds, default 300) bounds each wait for a\n"
"depends_on condition.\n";

/* The shell text every recipe evals: the project, deploy.sh's runtime. */
static void
runtime(struct buf *b, const struct plan *p)
{
	size_t i;

	/* make keeps a define's text as it is, except that a line ending in
	 * a backslash is joined to the next with one space: what sh does
	 * outside quotes, and the runtime has no backslash-newline inside
	 * quotes.  No line of it may start with define or endef. */
	buf_line(b, "# deploy.sh's runtime, verbatim: every recipe evals it");
	buf_line(b, "define c2sh_runtime");
	/* fixed shell text: quote_sh is its quoting (a project name holds
	 * no newline, so no line of it can end the define) */
	buf_puts(b, "project=");
	quote_sh(b, p->project);
	buf_putc(b, '\n');
	buf_line(b, "dry=''");
	buf_line(b, "timeout=${C2SH_WAIT_TIMEOUT:-300}");
	buf_line(b, "containers='' networks='' volumes='' tostart='' changed='' "
	    "selected=''");
	buf_line(b, "named='' only_named='' rm_volumes=''");
	/* the plan's containers (Docker names need no quoting) */
	buf_puts(b, "known='");
	for (i = 0; i < p->nres; i++)
		if (p->res[i]->kind == RES_CONTAINER)
			buf_printf(b, " %s", p->res[i]->name);
	buf_line(b, "'");
	buf_line(b, "say() { printf '%%s\\n' \"$*\" >&2; }");
	buf_line(b, "die() { printf 'make: %%s\\n' \"$*\" >&2; exit 1; }");
	buf_putc(b, '\n');
	sh_runtime(b);
	buf_line(b, "endef");
	buf_line(b, "export C2SH_RUNTIME := $(value c2sh_runtime)");
	buf_line(b, "c2sh = eval \"$$C2SH_RUNTIME\";");
}

/* the recipe of a network, volume or build */
static void
simple(struct buf *b, struct arena *a, const struct resource *r)
{
	struct args args;
	const char *stdin_text;

	args_init(&args, a);
	buf_puts(b, "\t@$(c2sh) ");
	switch (r->kind) {
	case RES_NETWORK:
		if (r->external) {
			buf_puts(b, "external_network ");
			q(b, r->name);
			break;
		}
		dockerargs_network(&args, r);
		buf_puts(b, "load_state; network ");
		q(b, r->name);
		words(b, &args);
		break;
	case RES_VOLUME:
		if (r->external) {
			buf_puts(b, "external_volume ");
			q(b, r->name);
			break;
		}
		dockerargs_volume(&args, r);
		buf_puts(b, "load_state; volume ");
		q(b, r->name);
		words(b, &args);
		break;
	case RES_BUILD:
		dockerargs_build(&args, r, &stdin_text);
		buf_puts(b, "docker image inspect ");
		q(b, r->image);
		buf_puts(b, " >/dev/null 2>&1 && exit 0;" MORE "say ");
		q(b, arena_printf(a, "Image %s  Building", r->image));
		buf_puts(b, ";" MORE);
		if (stdin_text) {
			buf_puts(b, "printf '%s' ");
			q(b, stdin_text);
			buf_puts(b, " | ");
		}
		buf_puts(b, "run build");
		words(b, &args);
		break;
	case RES_CONTAINER:
		BUG("simple() on a container");
	}
	buf_putc(b, '\n');
}

/* the recipe of a container: converge it, then (unless `make create`)
 * wait for its dependencies' conditions and start it */
static void
container(struct buf *b, struct arena *a, const struct resource *r)
{
	struct args args, connects[64];
	const struct dep *d;
	size_t i, n;

	args_init(&args, a);
	for (i = 0; i < countof(connects); i++)
		args_init(&connects[i], a);
	dockerargs_create(&args, r);
	n = dockerargs_connects(connects, countof(connects), r);

	buf_puts(b, "\t@$(c2sh) load_state;" MORE);
	buf_puts(b, "create_container() {" MORE "\t");
	if (dockerargs_keepcmd(r)) {
		buf_puts(b, "create_keepcmd ");
		q(b, r->image);
	} else {
		buf_puts(b, "runq create");
	}
	buf_puts(b, " --label \"com.docker.compose.image=$$1\"");
	words(b, &args);
	buf_puts(b, ";" MORE);
	for (i = 0; i < n; i++) {
		buf_puts(b, "\trunq network connect");
		words(b, &connects[i]);
		buf_puts(b, ";" MORE);
	}
	for (i = 0; i < r->ncopies; i++) {
		const struct filecopy *c = &r->copies[i];

		buf_puts(b, "\tcopy_in ");
		q(b, r->name);
		buf_putc(b, ' ');
		q(b, c->target);
		buf_printf(b, " %o ", c->mode);
		q(b, c->uid ? c->uid : "");
		buf_putc(b, ' ');
		q(b, c->gid ? c->gid : "");
		buf_putc(b, ' ');
		q(b, c->content);
		buf_puts(b, ";" MORE);
	}
	buf_puts(b, "};" MORE);
	if (!plan_hasbuild(r)) {
		buf_puts(b, "image ");
		q(b, r->image);
		buf_putc(b, ' ');
		q(b, r->key);
		buf_puts(b, ";" MORE);
	}
	buf_puts(b, "converge ");
	q(b, r->name);
	buf_putc(b, ' ');
	q(b, r->hash);
	buf_putc(b, ' ');
	q(b, r->image);
	buf_puts(b, " create_container;" MORE);
	buf_puts(b, "[ $(c2sh_start) = yes ] || exit 0;" MORE);
	for (i = 0; i < r->ndeps; i++) {
		d = &r->deps[i];
		if (d->to->kind != RES_CONTAINER || d->cond == DEP_STARTED)
			continue;
		buf_puts(b, "wait_for ");
		q(b, d->to->name);
		buf_putc(b, ' ');
		q(b, d->to->key);
		buf_printf(b, " %s %s;" MORE, plan_condname(d->cond),
		    d->required ? "required" : "optional");
	}
	/* left as it was and running: say so, as Compose does */
	buf_puts(b, "listed \"$$tostart\" ");
	q(b, r->name);
	buf_puts(b, " || say ");
	q(b, arena_printf(a, "Container %s  Running", r->name));
	buf_puts(b, ";" MORE "start ");
	q(b, r->name);
	buf_putc(b, '\n');
}

/* make runs each logical recipe line as one argument of sh -c, which
 * Linux bounds (MAX_ARG_STRLEN: 32 pages with the terminating NUL): a
 * resource whose recipe line is longer is an error here, not "Argument
 * list too long" at deploy time.  The length is the line as sh gets it:
 * without the tab and @ that start it and the tab after each escaped
 * newline, $$ as one $, $(c2sh) and $(c2sh_start) as their values (the
 * longer, "yes"). */
static void
checkrecipe(const struct resource *r, const char *s, size_t len)
{
	static const char c2sh[] = "$(c2sh)", start[] = "$(c2sh_start)";
	const size_t max = ARG_LEN_MAX;
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if ((i == 0 || s[i - 1] == '\n') && s[i] == '\t') {
			i += i + 1 < len && s[i + 1] == '@';
			continue;
		}
		if (s[i] == '\n') {
			if (n > max)
				diag(DIAG_ERROR, r->loc, "%s %s: its make recipe "
				    "is %zu bytes, more than Linux passes to sh "
				    "-c in one argument (%zu bytes); -t sh and -t "
				    "systemd have no such limit",
				    plan_kindname(r->kind), r->name, n, max);
			n = 0;
			continue;
		}
		if (s[i] == '\\' && i + 2 < len && s[i + 1] == '\n' &&
		    s[i + 2] == '\t') {
			n += 2;
			i += 2;
		} else if (s[i] == '$' && i + 1 < len && s[i + 1] == '$') {
			n++;
			i++;
		} else if (i + sizeof(c2sh) - 1 <= len &&
		    strncmp(s + i, c2sh, sizeof(c2sh) - 1) == 0) {
			n += strlen("eval \"$C2SH_RUNTIME\";");
			i += sizeof(c2sh) - 2;
		} else if (i + sizeof(start) - 1 <= len &&
		    strncmp(s + i, start, sizeof(start) - 1) == 0) {
			n += strlen("yes");
			i += sizeof(start) - 2;
		} else {
			n++;
		}
	}
}

/* One rule per resource, in the plan's order. */
static void
resources(struct buf *b, const struct plan *p, struct arena *a)
{
	const struct resource *r;
	size_t i, j, start;

	for (i = 0; i < p->nres; i++) {
		r = p->res[i];
		buf_line(b, "# %s %s", plan_kindname(r->kind), r->name);
		buf_line(b, ".PHONY: %s", target(a, r));
		buf_printf(b, "%s:", target(a, r));
		for (j = 0; j < r->ndeps; j++)
			buf_printf(b, " %s", target(a, r->deps[j].to));
		buf_putc(b, '\n');
		start = b->len;
		if (r->kind == RES_CONTAINER)
			container(b, a, r);
		else
			simple(b, a, r);
		checkrecipe(r, b->data + start, b->len - start);
		buf_putc(b, '\n');
	}
}

/* is res[i] a service already seen among res[0..i)? */
static int
sameservice(const struct plan *p, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (p->res[j]->kind == RES_CONTAINER &&
		    strcmp(p->res[j]->key, p->res[i]->key) == 0)
			return 1;
	return 0;
}

/* up-SERVICE: the service's containers, which bring their needs */
static void
services(struct buf *b, const struct plan *p, struct arena *a)
{
	const struct resource *r;
	size_t i, j;

	for (i = 0; i < p->nres; i++) {
		r = p->res[i];
		if (r->kind != RES_CONTAINER || sameservice(p, i) ||
		    !safe(r->key))
			continue;
		buf_line(b, ".PHONY: up-%s", r->key);
		buf_printf(b, "up-%s:", r->key);
		for (j = i; j < p->nres; j++)
			if (p->res[j]->kind == RES_CONTAINER &&
			    strcmp(p->res[j]->key, r->key) == 0)
				buf_printf(b, " %s", target(a, p->res[j]));
		buf_putc(b, '\n');
	}
}

/* down and down-volumes: containers in reverse dependency order, then
 * the networks, then (with volumes) the volumes; never external ones */
static void
down(struct buf *b, const struct plan *p, struct arena *a, int volumes)
{
	const struct resource *r;
	size_t i;

	buf_line(b, "%s:", volumes ? "down-volumes" : "down");
	buf_printf(b, "\t@$(c2sh) rm_volumes=%s; load_state",
	    volumes ? "1" : "''");
	for (i = p->nres; i-- > 0;) {
		r = p->res[i];
		if (r->kind != RES_CONTAINER)
			continue;
		buf_puts(b, ";" MORE "remove ");
		q(b, r->name);
	}
	for (i = 0; i < p->nres; i++) {
		r = p->res[i];
		if (r->kind != RES_NETWORK || r->external)
			continue;
		buf_puts(b, ";" MORE "if listed \"$$networks\" ");
		q(b, r->name);
		buf_puts(b, "; then say ");
		q(b, arena_printf(a, "Network %s  Removing", r->name));
		buf_puts(b, "; runq network rm ");
		q(b, r->name);
		buf_puts(b, " || say ");
		q(b, arena_printf(a, "Network %s  Resource is still in use",
		    r->name));
		buf_puts(b, "; fi");
	}
	for (i = 0; volumes && i < p->nres; i++) {
		r = p->res[i];
		if (r->kind != RES_VOLUME || r->external)
			continue;
		buf_puts(b, ";" MORE "if listed \"$$volumes\" ");
		q(b, r->name);
		buf_puts(b, "; then say ");
		q(b, arena_printf(a, "Volume %s  Removing", r->name));
		buf_puts(b, "; runq volume rm -f ");
		q(b, r->name);
		buf_puts(b, "; fi");
	}
	buf_putc(b, '\n');
}

/* plan: the plan, verbatim, one printf per block (a recipe line is one
 * argument to sh, and arguments are bounded) */
static void
plan(struct buf *b, const struct plan *p, struct arena *a)
{
	struct buf text = BUF_INIT;
	const char *s, *e;
	int open = 0;

	plan_backend.emit(p, &text);
	buf_line(b, "plan:");
	for (s = buf_str(&text); *s; s = e + 1) {
		e = strchr(s, '\n');
		if (!e)
			e = s + strlen(s);
		if (!open) {
			buf_puts(b, "\t@printf '%s\\n'");
			open = 1;
		}
		buf_puts(b, MORE "    ");
		q(b, arena_strndup(a, s, (size_t)(e - s)));
		if (e == s || !*e) {
			buf_putc(b, '\n');
			open = 0;
		}
		if (!*e)
			break;
	}
	if (open)
		buf_putc(b, '\n');
	buf_release(&text);
}

static void
emit(const struct plan *p, struct buf *b)
{
	struct arena a = ARENA_INIT;
	const char *u = usage, *e;
	size_t i;

	backend_header(b, p, "# ");
	buf_line(b, "#");
	while ((e = strchr(u, '\n'))) {
		buf_printf(b, "# %.*s\n", (int)(e - u), u);
		u = e + 1;
	}
	buf_putc(b, '\n');
	buf_line(b, "SHELL = /bin/sh");
	buf_line(b, ".SHELLFLAGS = -euc");
	buf_line(b, ".DEFAULT_GOAL := up");
	buf_line(b, "MAKEFLAGS += --no-builtin-rules");
	buf_line(b, ".SUFFIXES:");
	buf_putc(b, '\n');
	buf_line(b, "# a newline, for the values that hold one (see quote_make)");
	buf_line(b, "define C2SH_NL");
	buf_putc(b, '\n');
	buf_putc(b, '\n');
	buf_line(b, "endef");
	buf_line(b, "export C2SH_NL");
	buf_putc(b, '\n');
	runtime(b, p);
	buf_putc(b, '\n');
	buf_line(b, "# `make create` creates without starting: what it builds "
	    "inherits this");
	buf_line(b, "c2sh_start = yes");
	buf_line(b, "create: c2sh_start = no");
	buf_putc(b, '\n');
	buf_line(b, ".PHONY: up create down down-volumes ps logs plan");
	buf_puts(b, "up:");
	for (i = 0; i < p->nres; i++)
		buf_printf(b, " %s", target(&a, p->res[i]));
	buf_putc(b, '\n');
	buf_line(b, "\t@$(c2sh) load_state; warn_orphans");
	buf_puts(b, "create:");
	for (i = 0; i < p->nres; i++)
		buf_printf(b, " %s", target(&a, p->res[i]));
	buf_putc(b, '\n');
	services(b, p, &a);
	buf_putc(b, '\n');
	resources(b, p, &a);
	down(b, p, &a, 0);
	down(b, p, &a, 1);
	buf_putc(b, '\n');
	buf_line(b, "ps:");
	buf_puts(b, "\t@docker ps -a --filter ");
	q(b, arena_printf(&a, "label=com.docker.compose.project=%s",
	    p->project));
	buf_line(b, " --format 'table {{.Names}}\\t{{.Image}}\\t{{.Label "
	    "\"com.docker.compose.service\"}}\\t{{.Status}}\\t{{.Ports}}'");
	buf_line(b, "logs:");
	buf_line(b, "\t@$(c2sh) docker version >/dev/null 2>&1 || engine_error; "
	    "for n in $$known; do docker logs \"$$n\" 2>&1 | "
	    "while IFS= read -r l; do printf '%%s  | %%s\\n' \"$$n\" \"$$l\"; "
	    "done; done");
	buf_putc(b, '\n');
	plan(b, p, &a);
	arena_release(&a);
}

const struct backend make_backend = {
	.name = "make", .what = "a Makefile that deploys with make -j",
	.emit = emit,
};

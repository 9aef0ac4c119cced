/*
 * make.c: the plan as a GNU Makefile that deploys it with make, sh and
 * docker; `make -j up` starts independent services in parallel.
 *
 * One phony target per network, volume, build and service, whose
 * prerequisites are its edges in the plan's graph:
 *	network-KEY  volume-KEY  image-SERVICE (a build)  service-SERVICE
 * and the commands up (the default), create, down, down-volumes, ps, logs,
 * plan, up-SERVICE.  No stamp files: every recipe asks the engine, so the
 * Makefile is idempotent as deploy.sh is.
 *
 * The recipes call deploy.sh's own runtime (runtime.sh): the Makefile
 * holds it verbatim in a `define` and exports it, as $(value ...), to
 * every recipe, which evals it.  The recipes of one make share its lock
 * (owned by make's process) and what was recreated.  Values from the compose file appear in
 * recipes only, each through quote_make; a newline, which a recipe line
 * cannot hold, is the exported variable C2SH_NL.
 */
#include "backend.h"

#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "dockerargs.h"
#include "lifecycle.h"
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

/* what every recipe runs first: the runtime, up's options, make's lock;
 * and, before what brings something up, the check of the variables that
 * secrets and configs are read from (checkrecipe counts their length) */
#define C2SH_MACRO "eval \"$$C2SH_RUNTIME\"; up_options $$UP_OPTS; " \
    "lock $$PPID;"
#define C2SH_UP_MACRO "need_envs;"

static const struct medium mk = { quote_make, MORE "\t    ", ";" MORE, MORE,
    "$$" };

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
	return arena_printf(a, "service-%s", key);
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
"  network-KEY, volume-KEY, image-SERVICE, service-SERVICE\n"
"                  one resource, with what it needs\n"
"UP_OPTS holds options of `sh deploy.sh up`: --force-recreate,\n"
"--no-recreate, -V, --remove-orphans, --pull POLICY, --build, --wait,\n"
"--wait-timeout N (make up UP_OPTS='--force-recreate').\n"
"C2SH_WAIT_TIMEOUT (seconds, default 300) bounds each wait for a\n"
"depends_on condition and for another deploy's lock.\n";

/* The shell text every recipe evals: the project, deploy.sh's runtime. */
static void
runtime(struct buf *b, const struct plan *p, const struct svcmap *sm)
{
	const char *const *l;

	/* make keeps a define's text as it is, except that a line ending in
	 * a backslash is joined to the next with one space: what sh does
	 * outside quotes, and the runtime has no backslash-newline inside
	 * quotes.  No line of it may start with define or endef. */
	buf_line(b, "# deploy.sh's runtime, verbatim: every recipe evals it");
	buf_line(b, "define c2sh_runtime");
	/* fixed shell text: quote_sh is its quoting (a project name holds
	 * no newline, so no line of it can end the define) */
	buf_line(b, "prog=make");
	buf_puts(b, "project=");
	quote_sh(b, p->project);
	buf_putc(b, '\n');
	buf_line(b, "selected='' named='' nodeps='' only=''");
	buf_line(b, "# ---- c2sh's runtime (backends/runtime.sh) ----");
	for (l = runtime_sh; *l; l++)
		buf_puts(b, *l);
	buf_line(b, "# ---- end of c2sh's runtime ----");
	lifecycle_needenvs(b, sm, 0);
	buf_line(b, "endef");
	buf_line(b, "export C2SH_RUNTIME := $(value c2sh_runtime)");
	buf_line(b, "UP_OPTS ?=");
	buf_line(b, "export UP_OPTS");
	buf_line(b, "# every recipe: the runtime, up's options, make's lock");
	buf_line(b, "c2sh = %s", C2SH_MACRO);
	buf_line(b, "# what brings something up: first, the variables that "
	    "secrets and configs are read from");
	buf_line(b, "c2sh_up = $(c2sh) %s", C2SH_UP_MACRO);
}

/* the recipe of a network, volume or build */
static void
simple(struct buf *b, struct arena *a, const struct resource *r,
    const char *policy)
{
	struct args args;
	const char *stdin_text;

	args_init(&args, a);
	buf_puts(b, "\t@$(c2sh_up) ");
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
		buf_putc(b, ' ');
		q(b, r->key);
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
		buf_putc(b, ' ');
		q(b, r->key);
		words(b, &args);
		break;
	case RES_BUILD:
		dockerargs_build(&args, r, &stdin_text);
		if (stdin_text) {
			buf_puts(b, "printf '%s' ");
			q(b, stdin_text);
			buf_puts(b, " | ");
		}
		buf_puts(b, "build ");
		q(b, r->image);
		buf_putc(b, ' ');
		q(b, policy ? policy : "missing");
		words(b, &args);
		break;
	case RES_CONTAINER:
		BUG("simple() on a container");
	}
	buf_putc(b, '\n');
}

/* the recipe of a service: converge its containers, then (unless `make
 * create`) wait for its dependencies' conditions and start them */
static void
service(struct buf *b, struct arena *a, const struct svcmap *sm, size_t j)
{
	const struct resource *const *rep = sm->rep + sm->start[j];
	size_t n = sm->start[j + 1] - sm->start[j], i;

	buf_puts(b, "\t@$(c2sh_up) load_state;" MORE);
	for (i = 0; i < n; i++)
		lifecycle_replica(b, a, rep[i], &mk);
	if (!plan_hasbuild(rep[0])) {
		buf_puts(b, "image ");
		q(b, rep[0]->image);
		buf_putc(b, ' ');
		q(b, rep[0]->key);
		buf_putc(b, ' ');
		q(b, rep[0]->pullpolicy ? rep[0]->pullpolicy : "missing");
		buf_puts(b, ";" MORE);
	}
	lifecycle_converge(b, rep, n, &mk);
	buf_puts(b, "[ $(c2sh_start) = yes ] && [ -z \"$$nostart\" ] || exit 0;"
	    MORE);
	lifecycle_waits(b, rep[0], &mk);
	buf_puts(b, "start_service ");
	q(b, rep[0]->key);
	buf_putc(b, '\n');
}

/* make runs each logical recipe line as one argument of sh -c, which
 * Linux bounds (MAX_ARG_STRLEN: 32 pages with the terminating NUL): a
 * resource whose recipe line is longer is an error here, not "Argument
 * list too long" at deploy time.  The length is the line as sh gets it:
 * without the tab and @ that start it and the tab after each escaped
 * newline, $$ as one $, $(c2sh), $(c2sh_up) and $(c2sh_start) as their
 * values (the longer, "yes"). */
static void
checkrecipe(const struct resource *r, const char *s, size_t len)
{
	static const char c2sh[] = "$(c2sh)", c2sh_up[] = "$(c2sh_up)",
	    start[] = "$(c2sh_start)";
	/* the macros' values, as sh gets them ($$ as $) */
	const size_t macro = strlen(C2SH_MACRO) - 3,
	    up = macro + 1 + strlen(C2SH_UP_MACRO);
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
		} else if (i + sizeof(c2sh_up) - 1 <= len &&
		    strncmp(s + i, c2sh_up, sizeof(c2sh_up) - 1) == 0) {
			n += up;
			i += sizeof(c2sh_up) - 2;
		} else if (i + sizeof(c2sh) - 1 <= len &&
		    strncmp(s + i, c2sh, sizeof(c2sh) - 1) == 0) {
			n += macro;
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

/* One rule per network, volume, build and service, in the plan's order. */
static void
resources(struct buf *b, const struct plan *p, const struct svcmap *sm,
    struct arena *a)
{
	const struct resource *r;
	size_t i, j, k, d, start;
	const char *t;

	for (i = 0; i < p->nres; i++) {
		r = p->res[i];
		if (r->kind == RES_CONTAINER && !sm->first[i])
			continue;
		buf_line(b, "# %s %s", r->kind == RES_CONTAINER ? "service" :
		    plan_kindname(r->kind), r->kind == RES_CONTAINER ? r->key :
		    r->name);
		buf_line(b, ".PHONY: %s", target(a, r));
		buf_printf(b, "%s:", target(a, r));
		if (r->kind == RES_CONTAINER) {
			/* what it needs, once */
			j = sm->of[r->idx];
			for (k = 0; k < r->ndeps; k++) {
				t = target(a, r->deps[k].to);
				for (d = 0; d < k; d++)
					if (strcmp(t, target(a, r->deps[d].to))
					    == 0)
						break;
				if (d == k)
					buf_printf(b, " %s", t);
			}
			buf_putc(b, '\n');
			start = b->len;
			service(b, a, sm, j);
		} else {
			buf_putc(b, '\n');
			start = b->len;
			simple(b, a, r, r->kind == RES_BUILD ? lifecycle_buildpolicy(p, r) :
			    NULL);
		}
		checkrecipe(r, b->data + start, b->len - start);
		buf_putc(b, '\n');
	}
}

/* up-SERVICE: the service, which brings its needs */
static void
services(struct buf *b, const struct plan *p, const struct svcmap *sm,
    struct arena *a)
{
	const struct resource *r;
	size_t i;

	for (i = 0; i < p->nres; i++) {
		r = p->res[i];
		if (!sm->first[i] || !safe(r->key))
			continue;
		buf_line(b, ".PHONY: up-%s", r->key);
		buf_line(b, "up-%s: %s", r->key, target(a, r));
		buf_line(b, "\t@$(c2sh) unlock");
	}
}

/* down and down-volumes: every container of each service, dependents
 * first, then the networks, then (with volumes) the volumes; never
 * external ones */
static void
down(struct buf *b, const struct plan *p, const struct svcmap *sm,
    int volumes)
{
	const struct resource *r;
	unsigned lv;
	size_t i;

	buf_line(b, "%s:", volumes ? "down-volumes" : "down");
	buf_printf(b, "\t@$(c2sh) rm_volumes=%s; load_state",
	    volumes ? "1" : "''");
	for (lv = p->nlevels; lv-- > 0;)
		for (i = p->nres; i-- > 0;) {
			r = p->res[i];
			if (r->level != lv || !sm->first[i])
				continue;
			buf_puts(b, ";" MORE "down_service ");
			q(b, r->key);
		}
	for (i = 0; i < p->nnoreplicas; i++) {
		buf_puts(b, ";" MORE "down_service ");
		q(b, p->noreplicas[i]);
	}
	for (i = 0; i < p->nres; i++) {
		r = p->res[i];
		if (r->kind != RES_NETWORK || r->external)
			continue;
		buf_puts(b, ";" MORE "remove_network ");
		q(b, r->name);
	}
	for (i = 0; volumes && i < p->nres; i++) {
		r = p->res[i];
		if (r->kind != RES_VOLUME || r->external)
			continue;
		buf_puts(b, ";" MORE "remove_volume ");
		q(b, r->name);
	}
	buf_puts(b, ";" MORE "unlock\n");
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
	struct svcmap sm;
	size_t i, j, k;

	svcmap(&sm, p, &a);
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
	runtime(b, p, &sm);
	buf_putc(b, '\n');
	buf_line(b, "# `make create` creates without starting: what it builds "
	    "inherits this");
	buf_line(b, "c2sh_start = yes");
	buf_line(b, "create: c2sh_start = no");
	buf_putc(b, '\n');
	buf_line(b, ".PHONY: up create down down-volumes ps logs plan");
	for (k = 0; k < 2; k++) {
		buf_puts(b, k ? "create:" : "up:");
		for (i = 0; i < p->nres; i++)
			if (p->res[i]->kind != RES_CONTAINER || sm.first[i])
				buf_printf(b, " %s", target(&a, p->res[i]));
		buf_puts(b, "\n\t@$(c2sh) load_state;");
		for (j = 0; j < p->nnoreplicas; j++) {
			buf_puts(b, " converge ");
			q(b, p->noreplicas[j]);
			buf_puts(b, " '' '' 0 '';");
		}
		buf_puts(b, " orphans");
		lifecycle_allservices(b, p, &sm, &mk);
		buf_puts(b, "; [ $(c2sh_start) = no ] || [ -z \"$$wait\" ] || {");
		for (j = 0; j < sm.ns; j++) {
			buf_puts(b, " wait_up ");
			q(b, sm.name[j]);
			buf_putc(b, ';');
		}
		buf_line(b, " :; }; unlock");
	}
	services(b, p, &sm, &a);
	buf_putc(b, '\n');
	resources(b, p, &sm, &a);
	down(b, p, &sm, 0);
	down(b, p, &sm, 1);
	buf_putc(b, '\n');
	buf_line(b, "ps:");
	buf_line(b, "\t@$(c2sh) ps");
	buf_line(b, "logs:");
	buf_puts(b, "\t@$(c2sh) logs");
	for (j = 0; j < sm.ns; j++) {
		buf_putc(b, ' ');
		q(b, sm.name[j]);
	}
	buf_putc(b, '\n');
	buf_putc(b, '\n');
	plan(b, p, &a);
	arena_release(&a);
}

const struct backend make_backend = {
	.name = "make", .what = "a Makefile that deploys with make -j",
	.emit = emit,
};

/*
 * sh.c: the plan as a POSIX sh script that deploys it with nothing but
 * sh and docker.  The script is the runtime (runtime.sh, embedded) and
 * the project's data: every value single-quoted (quote_sh), in functions
 * that call into the runtime.
 *
 * Each network, volume and build gets a number r<i> (its place in the
 * plan) and a function up_r<i>; each container replica create_r<i>,
 * post_r<i>, anon_r<i>, mounted_r<i> (lifecycle.c); each service s<j>
 * the functions up_s<j> (converge its containers) and start_s<j> (wait
 * for its dependencies, start), which the commands call level by level.
 */
#include "backend.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "dockerargs.h"
#include "lifecycle.h"
#include "plan.h"
#include "quote.h"
#include "util.h"

#define BRK " \\\n\t    "

static void
words(struct buf *b, const struct args *a)
{
	backend_words(b, a, quote_sh, BRK);
}

static void
q(struct buf *b, const char *s)
{
	quote_sh(b, s);
}

#define sh lifecycle_sh

static const char usage[] =
"usage: sh deploy.sh [--dry-run] [COMMAND] [ARGS]\n"
"  up [OPTIONS] [SERVICE...]  create what is missing, recreate what changed,\n"
"                           start everything (the default command):\n"
"      -d, --detach         (always: up returns once the containers started)\n"
"      --force-recreate     recreate the containers even if nothing changed\n"
"      --no-recreate        keep existing containers even if they changed\n"
"      -V, --renew-anon-volumes  recreate with new anonymous volumes\n"
"      --remove-orphans     remove containers of services no longer here\n"
"      --pull always|missing|never   pull images, instead of pull_policy\n"
"      --build              build the images before starting\n"
"      --no-deps            not the services the named ones depend on\n"
"      --no-start           create, do not start\n"
"      --wait               wait until the services are running or healthy\n"
"      --wait-timeout N     give up waiting after N seconds\n"
"  create [OPTIONS] [SERVICE...]  up --no-start\n"
"  start|stop|restart [SERVICE...]\n"
"  down [-v] [--remove-orphans]\n"
"                           remove the containers and networks (-v: volumes too)\n"
"  ps                       list the project's containers\n"
"  logs [-f] [SERVICE...]   show the containers' output\n"
"  plan                     print the plan this script was compiled from\n"
"--dry-run prints the docker commands that would change something, and\n"
"runs none of them.  C2SH_WAIT_TIMEOUT (seconds, default 300) bounds each\n"
"wait for a depends_on condition and for another deploy's lock.\n";

static const char *
rid(struct arena *a, const struct resource *r)
{
	return arena_printf(a, "r%zu", r->idx);
}

/* up_r<i> for networks, volumes and builds */
static void
simple(struct buf *b, struct arena *a, const struct resource *r,
    const char *policy)
{
	struct args args;
	const char *stdin_text;

	args_init(&args, a);
	buf_line(b, "up_%s() {\t# %s %s", rid(a, r), plan_kindname(r->kind),
	    r->name);
	buf_putc(b, '\t');
	switch (r->kind) {
	case RES_NETWORK:
	case RES_VOLUME:
		if (r->external) {
			buf_printf(b, "external_%s ", plan_kindname(r->kind));
			q(b, r->name);
			break;
		}
		if (r->kind == RES_NETWORK)
			dockerargs_network(&args, r);
		else
			dockerargs_volume(&args, r);
		buf_printf(b, "%s ", plan_kindname(r->kind));
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
	buf_puts(b, "\n}\n");
}

/* up_s<j> and start_s<j> of a service */
static void
service(struct buf *b, const struct svcmap *sm, size_t j)
{
	const struct resource *const *rep = sm->rep + sm->start[j];
	size_t n = sm->start[j + 1] - sm->start[j];

	buf_line(b, "up_s%zu() {\t# service %s", j, sm->name[j]);
	lifecycle_converge(b, rep, n, &sh);
	buf_line(b, "}");
	buf_line(b, "start_s%zu() {", j);
	buf_line(b, "\twanted s%zu || return 0", j);
	lifecycle_waits(b, rep[0], &sh);
	buf_puts(b, "\tstart_service ");
	q(b, sm->name[j]);
	buf_puts(b, "\n}\n");
}

/* the resources a service needs, transitively, for `up SERVICE` */
static void
closure(const struct resource *r, unsigned char *mark)
{
	size_t i;

	if (mark[r->idx])
		return;
	mark[r->idx] = 1;
	for (i = 0; i < r->ndeps; i++)
		closure(r->deps[i].to, mark);
}

/* the word that stands for res[i] in selected: s<j> for a container */
static const char *
selword(struct arena *a, const struct svcmap *sm, const struct resource *r)
{
	if (r->kind == RES_CONTAINER)
		return arena_printf(a, "s%zu", sm->of[r->idx]);
	return rid(a, r);
}

static void
selection(struct buf *b, const struct plan *p, const struct svcmap *sm,
    struct arena *a)
{
	unsigned char *mark = arena_alloc(a, p->nres + 1);
	const struct resource *r;
	size_t i, j, k;
	int pass;

	buf_line(b, "# select_services SERVICE...: what `up SERVICE...` brings up "
	    "(with --no-deps, not the services they depend on)");
	buf_line(b, "select_services() {");
	buf_line(b, "\tselected='' named=''");
	buf_line(b, "\tfor s in \"$@\"; do");
	buf_line(b, "\t\tnamed=\"$named $s\"");
	buf_line(b, "\t\tcase $s in");
	for (j = 0; j < sm->ns; j++) {
		memset(mark, 0, p->nres + 1);
		for (k = sm->start[j]; k < sm->start[j + 1]; k++)
			closure(sm->rep[k], mark);
		buf_puts(b, "\t\t");
		q(b, sm->name[j]);
		buf_printf(b, ") if [ -n \"$nodeps\" ]; then selected=\"$selected "
		    "s%zu", j);
		/* pass 0: what it needs but other services; 1: all of it */
		for (pass = 0; pass < 2; pass++) {
			for (i = 0; i < p->nres; i++) {
				r = p->res[i];
				if (!mark[r->idx] || (pass == 0 &&
				    r->kind == RES_CONTAINER) ||
				    (pass == 1 && r->kind == RES_CONTAINER &&
				    !sm->first[i]))
					continue;
				buf_printf(b, " %s", selword(a, sm, r));
			}
			buf_puts(b, pass ? "\"; fi ;;\n" :
			    "\"; else selected=\"$selected");
		}
	}
	buf_line(b, "\t\t*) die \"no such service: $s\" ;;");
	buf_line(b, "\t\tesac");
	buf_line(b, "\tdone");
	buf_line(b, "\tnamed=${named# }");
	buf_line(b, "}");
	buf_line(b, "wanted() {");
	buf_line(b, "\t[ -z \"$selected\" ] && return 0");
	buf_line(b, "\tcase \" $selected \" in *\" $1 \"*) return 0 ;; esac");
	buf_line(b, "\treturn 1");
	buf_line(b, "}");
	/* the named services' own s<j>, for stop and restart */
	buf_line(b, "only_named() {");
	buf_line(b, "\t[ -n \"$named\" ] || return 0");
	buf_line(b, "\tselected=");
	buf_line(b, "\tfor s in $named; do");
	buf_line(b, "\t\tcase $s in");
	for (j = 0; j < sm->ns; j++) {
		buf_puts(b, "\t\t");
		q(b, sm->name[j]);
		buf_line(b, ") selected=\"$selected s%zu\" ;;", j);
	}
	buf_line(b, "\t\tesac");
	buf_line(b, "\tdone");
	buf_line(b, "}");
}

/* the services of level lv, as s<j> words; 0 when there are none */
static int
levelservices(struct buf *b, const struct plan *p, const struct svcmap *sm,
    unsigned lv, const char *fn)
{
	size_t i;
	int any = 0;

	for (i = 0; i < p->nres; i++)
		if (p->res[i]->level == lv && sm->first[i]) {
			buf_printf(b, " %s_s%zu", fn, sm->of[p->res[i]->idx]);
			any = 1;
		}
	return any;
}

/* The commands, level by level. */
static void
commands(struct buf *b, const struct plan *p, const struct svcmap *sm,
    struct arena *a)
{
	const struct resource *r;
	struct buf lvl = BUF_INIT;
	unsigned lv;
	size_t i, j;

	buf_line(b, "cmd_up() {\t# [OPTION...] [SERVICE...]");
	buf_line(b, "\twhile [ $# -gt 0 ]; do");
	buf_line(b, "\t\tcase $1 in");
	buf_line(b, "\t\t--) shift; break ;;");
	buf_line(b, "\t\t-*) up_option \"$@\"; shift \"$up_used\" ;;");
	buf_line(b, "\t\t*) break ;;");
	buf_line(b, "\t\tesac");
	buf_line(b, "\tdone");
	buf_line(b, "\tselect_services \"$@\"");
	buf_line(b, "\tneed_envs");
	buf_line(b, "\t[ -n \"$dry\" ] || lock $$");
	buf_line(b, "\tload_state");
	buf_puts(b, "\torphans");
	lifecycle_allservices(b, p, sm, &sh);
	buf_putc(b, '\n');
	/* a service scaled to 0 keeps no container */
	for (i = 0; i < p->nnoreplicas; i++) {
		buf_puts(b, "\t[ -n \"$named\" ] || converge ");
		q(b, p->noreplicas[i]);
		buf_line(b, " '' '' 0 ''");
	}
	/* images first: a pull that fails leaves nothing created */
	for (j = 0; j < sm->ns; j++) {
		r = sm->rep[sm->start[j]];
		if (plan_hasbuild(r))
			continue;
		buf_printf(b, "\twanted s%zu && image ", j);
		q(b, r->image);
		buf_putc(b, ' ');
		q(b, r->key);
		buf_putc(b, ' ');
		q(b, r->pullpolicy ? r->pullpolicy : "missing");
		buf_putc(b, '\n');
	}
	for (lv = 0; lv < p->nlevels; lv++) {
		buf_line(b, "\t# level %u", lv);
		for (i = 0; i < p->nres; i++) {
			r = p->res[i];
			if (r->level != lv)
				continue;
			if (r->kind != RES_CONTAINER)
				buf_line(b, "\twanted %s && up_%s", rid(a, r),
				    rid(a, r));
			else if (sm->first[i])
				buf_line(b, "\twanted s%zu && up_s%zu",
				    sm->of[r->idx], sm->of[r->idx]);
		}
		buf_reset(&lvl);
		if (levelservices(&lvl, p, sm, lv, "start"))
			buf_line(b, "\t[ -n \"$nostart\" ] || in_parallel%s",
			    buf_str(&lvl));
	}
	buf_puts(b, "\t[ -z \"$wait\" ] || [ -n \"$nostart\" ] || {");
	for (j = 0; j < sm->ns; j++) {
		buf_printf(b, " wanted s%zu && wait_up ", j);
		q(b, sm->name[j]);
		buf_puts(b, ";");
	}
	buf_line(b, " :; }");
	buf_line(b, "\tup_done");
	buf_line(b, "}");
	buf_putc(b, '\n');

	buf_line(b, "cmd_start() {");
	buf_line(b, "\tselect_services \"$@\"");
	buf_line(b, "\t[ -z \"$only\" ] || only_named");
	buf_line(b, "\t[ -n \"$dry\" ] || lock $$");
	buf_line(b, "\tload_state");
	buf_line(b, "\ttostart=$(not_running)");
	for (lv = 0; lv < p->nlevels; lv++) {
		buf_reset(&lvl);
		if (levelservices(&lvl, p, sm, lv, "start"))
			buf_line(b, "\tin_parallel%s", buf_str(&lvl));
	}
	buf_line(b, "}");
	buf_putc(b, '\n');

	buf_line(b, "cmd_stop() {\t# the services named, not what they depend on");
	buf_line(b, "\tselect_services \"$@\"");
	buf_line(b, "\tonly_named");
	buf_line(b, "\t[ -n \"$dry\" ] || lock $$");
	buf_line(b, "\tload_state");
	for (j = sm->ns; j-- > 0;) {
		buf_printf(b, "\twanted s%zu && stop_service ", j);
		q(b, sm->name[j]);
		buf_putc(b, '\n');
	}
	buf_line(b, "\treturn 0");
	buf_line(b, "}");
	buf_putc(b, '\n');

	buf_line(b, "cmd_down() {\t# [-v] [--remove-orphans]");
	buf_line(b, "\tfor a in \"$@\"; do");
	buf_line(b, "\t\tcase $a in");
	buf_line(b, "\t\t-v|--volumes) rm_volumes=1 ;;");
	buf_line(b, "\t\t--remove-orphans) orphans=1 ;;");
	buf_line(b, "\t\t*) die \"down: unknown argument $a\" ;;");
	buf_line(b, "\t\tesac");
	buf_line(b, "\tdone");
	buf_line(b, "\t[ -n \"$dry\" ] || lock $$");
	buf_line(b, "\tload_state");
	/* dependents first; every container of each service, those beyond
	 * today's scale too */
	for (lv = p->nlevels; lv-- > 0;)
		for (i = p->nres; i-- > 0;) {
			r = p->res[i];
			if (r->level != lv || !sm->first[i])
				continue;
			buf_puts(b, "\tdown_service ");
			q(b, r->key);
			buf_putc(b, '\n');
		}
	for (i = 0; i < p->nnoreplicas; i++) {
		buf_puts(b, "\tdown_service ");
		q(b, p->noreplicas[i]);
		buf_putc(b, '\n');
	}
	buf_puts(b, "\t[ -z \"$orphans\" ] || orphans");
	lifecycle_allservices(b, p, sm, &sh);
	buf_putc(b, '\n');
	for (i = 0; i < p->nres; i++) {
		r = p->res[i];
		if ((r->kind != RES_NETWORK && r->kind != RES_VOLUME) ||
		    r->external)
			continue;
		buf_printf(b, "\tremove_%s ", plan_kindname(r->kind));
		q(b, r->name);
		buf_putc(b, '\n');
	}
	buf_line(b, "\treturn 0");
	buf_line(b, "}");
	buf_putc(b, '\n');
	buf_line(b, "cmd_logs() {\t# [-f] [SERVICE...]");
	buf_line(b, "\tfollow=''");
	buf_line(b, "\tfor a in \"$@\"; do");
	buf_line(b, "\t\tshift");
	buf_line(b, "\t\tcase $a in");
	buf_line(b, "\t\t-f|--follow) follow=-f ;;");
	buf_line(b, "\t\t-*) die \"logs: unknown option $a\" ;;");
	buf_line(b, "\t\t*) set -- \"$@\" \"$a\" ;;");
	buf_line(b, "\t\tesac");
	buf_line(b, "\tdone");
	buf_puts(b, "\t[ $# -gt 0 ] || set --");
	for (j = 0; j < sm->ns; j++) {
		buf_putc(b, ' ');
		q(b, sm->name[j]);
	}
	buf_putc(b, '\n');
	buf_line(b, "\tselect_services \"$@\"");
	buf_line(b, "\tlogs \"$@\"");
	buf_line(b, "}");
	buf_release(&lvl);
}

static void
emit(const struct plan *p, struct buf *b)
{
	struct arena a = ARENA_INIT;
	struct buf planbuf = BUF_INIT, tag = BUF_INIT;
	struct svcmap sm;
	const struct resource *r;
	const char *const *l;
	size_t i, j;
	unsigned k;

	svcmap(&sm, p, &a);
	buf_line(b, "#!/bin/sh");
	buf_line(b, "# shellcheck disable=SC2016,SC1003,SC2015 # values are single-quoted on "
	    "purpose: $, ` and \\ in them are data; A && B || C: B is a test");
	backend_header(b, p, "# ");
	buf_line(b, "#");
	{
		const char *u = usage, *e;

		while ((e = strchr(u, '\n'))) {
			buf_printf(b, "# %.*s\n", (int)(e - u), u);
			u = e + 1;
		}
	}
	buf_line(b, "set -eu");
	buf_putc(b, '\n');
	buf_line(b, "prog=deploy.sh");
	buf_puts(b, "project=");
	q(b, p->project);
	buf_putc(b, '\n');
	buf_line(b, "selected='' named='' nodeps='' only=''");
	buf_putc(b, '\n');
	buf_line(b, "# ---- c2sh's runtime (backends/runtime.sh) ----");
	for (l = runtime_sh; *l; l++)
		buf_puts(b, *l);
	buf_line(b, "# ---- end of c2sh's runtime ----");
	buf_putc(b, '\n');
	buf_line(b, "# ---- the project ----------------------------------------"
	    "-------------------");
	buf_putc(b, '\n');
	for (i = 0; i < p->nres; i++) {
		r = p->res[i];
		if (r->kind != RES_CONTAINER)
			simple(b, &a, r, r->kind == RES_BUILD ?
			    lifecycle_buildpolicy(p, r) : NULL);
	}
	for (j = 0; j < sm.ns; j++) {
		for (i = sm.start[j]; i < sm.start[j + 1]; i++) {
			buf_line(b, "# container %s", sm.rep[i]->name);
			lifecycle_replica(b, &a, sm.rep[i], &sh);
		}
		service(b, &sm, j);
	}
	lifecycle_needenvs(b, &sm, 1);
	buf_putc(b, '\n');
	selection(b, p, &sm, &a);
	buf_putc(b, '\n');
	commands(b, p, &sm, &a);
	buf_putc(b, '\n');

	/* the plan, verbatim, behind a delimiter that does not occur in it */
	plan_backend.emit(p, &planbuf);
	for (k = 0;; k++) {
		buf_reset(&tag);
		buf_printf(&tag, "\nC2SH_PLAN_%u\n", k);
		if (!strstr(buf_str(&planbuf), buf_str(&tag) + 1))
			break;
	}
	buf_line(b, "cmd_plan() {");
	buf_line(b, "\tcat <<'C2SH_PLAN_%u'", k);
	buf_puts(b, buf_str(&planbuf));
	buf_line(b, "C2SH_PLAN_%u", k);
	buf_line(b, "}");
	buf_putc(b, '\n');
	buf_line(b, "usage() {");
	buf_line(b, "\tcat <<'EOF'");
	buf_puts(b, usage);
	buf_line(b, "EOF");
	buf_line(b, "}");
	buf_putc(b, '\n');
	buf_line(b, "main() {");
	buf_line(b, "\t# --dry-run may come anywhere");
	buf_line(b, "\tfor a in \"$@\"; do");
	buf_line(b, "\t\tshift");
	buf_line(b, "\t\tif [ \"$a\" = --dry-run ]; then dry=1; else set -- \"$@\" "
	    "\"$a\"; fi");
	buf_line(b, "\tdone");
	buf_line(b, "\tcmd=${1:-up}");
	buf_line(b, "\t[ $# -eq 0 ] || shift");
	buf_line(b, "\tcase $cmd in");
	buf_line(b, "\tup) cmd_up \"$@\" ;;");
	buf_line(b, "\tcreate) cmd_up --no-start \"$@\" ;;");
	buf_line(b, "\tstart) cmd_start \"$@\" ;;");
	buf_line(b, "\tstop) cmd_stop \"$@\" ;;");
	buf_line(b, "\trestart) cmd_stop \"$@\"; unlock; only=1; cmd_start \"$@\" ;;");
	buf_line(b, "\tdown) cmd_down \"$@\" ;;");
	buf_line(b, "\tps) ps ;;");
	buf_line(b, "\tlogs) cmd_logs \"$@\" ;;");
	buf_line(b, "\tplan) cmd_plan ;;");
	buf_line(b, "\t-h|--help|help) usage ;;");
	buf_line(b, "\t*) usage >&2; exit 2 ;;");
	buf_line(b, "\tesac");
	buf_line(b, "}");
	buf_putc(b, '\n');
	buf_line(b, "main \"$@\"");
	buf_release(&planbuf);
	buf_release(&tag);
	arena_release(&a);
}

const struct backend sh_backend = {
	.name = "sh",
	.what = "a POSIX sh script that deploys with docker (the default)",
	.emit = emit,
};

/*
 * sh.c: the plan as a POSIX sh script that deploys it with nothing but
 * sh and docker.  Every value is single-quoted (quote_sh); the script's
 * own logic is fixed text (the runtime below), and the per-resource
 * functions only call into it with quoted words.
 *
 * Each resource gets a number r<i> (its place in the plan) and functions:
 *	up_r<i>      make it exist as planned (create, recreate or keep)
 *	start_r<i>   containers: wait for dependencies, then start
 * and the up/down/start/stop commands call them level by level.
 */
#include "backend.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "dockerargs.h"
#include "plan.h"
#include "quote.h"
#include "util.h"

static void
words(struct buf *b, const struct args *a)
{
	backend_words(b, a, quote_sh, " \\\n\t    ");
}

static void
q(struct buf *b, const char *s)
{
	quote_sh(b, s);
}

/* The fixed part of every script: state, convergence, waits, commands.
 * All but the first entry is shared with the make backend (sh_runtime). */
static const char *const runtime[] = {
"say() { printf '%s\\n' \"$*\" >&2; }\n"
"die() { printf 'deploy.sh: %s\\n' \"$*\" >&2; exit 1; }\n"
"\n",
"# show WORD...: a command as --dry-run prints it, every word quoted\n"
"show() {\n"
"\tout=\n"
"\tfor w in \"$@\"; do\n"
"\t\tq=\n"
"\t\twhile :; do\n"
"\t\t\tcase $w in\n"
"\t\t\t*\\'*) q=\"$q${w%%\\'*}'\\\\''\"; w=${w#*\\'} ;;\n"
"\t\t\t*) q=\"$q$w\"; break ;;\n"
"\t\t\tesac\n"
"\t\tdone\n"
"\t\tout=\"$out '$q'\"\n"
"\tdone\n"
"\tprintf '%s\\n' \"${out# }\"\n"
"}\n"
"\n"
"# run ARG...: docker, or with --dry-run only what it would run\n"
"run() {\n"
"\tif [ -n \"$dry\" ]; then show docker \"$@\"; else docker \"$@\"; fi\n"
"}\n"
"runq() {\n"
"\tif [ -n \"$dry\" ]; then show docker \"$@\"; else docker \"$@\" >/dev/null; fi\n"
"}\n"
"\n"
"# listed LIST WORD: is WORD a line of LIST?\n"
"listed() {\n"
"\tcase \"\n$1\n\" in *\"\n$2\n\"*) return 0 ;; esac\n"
"\treturn 1\n"
"}\n"
"\n"
"# engine_error: stop with one line when the engine does not answer: the\n"
"# docker CLI's own reason (the socket it tried), not a wall of errors\n"
"engine_error() {\n"
"\tfirst \"$(docker version --format '{{.Server.Version}}' 2>&1 >/dev/null)\"\n"
"\tdie \"cannot reach the Docker engine: ${fl:-docker failed}\"\n"
"}\n"
"# first TEXT: fl, its first line (docker's reason, not its epilogue)\n"
"first() {\n"
"\tread -r fl <<EOF || :\n"
"$1\n"
"EOF\n"
"}\n"
"\n"
"# The project's state, read in three docker calls.\n"
"load_state() {\n"
"\tcontainers=$(docker ps -a --filter \"label=com.docker.compose.project=$project\" \\\n"
"\t    --format '{{.Names}} {{.State}} {{.Label \"com.docker.compose.config-hash\"}} {{.Label \"com.docker.compose.image\"}} {{.Status}}' 2>/dev/null) ||\n"
"\t    engine_error\n"
"\tnetworks=$(docker network ls --filter \"label=com.docker.compose.project=$project\" --format '{{.Name}}')\n"
"\tvolumes=$(docker volume ls --filter \"label=com.docker.compose.project=$project\" --format '{{.Name}}')\n"
"}\n"
"\n"
"# state NAME: st_state, st_hash, st_image of a container; false if absent\n"
"state() {\n"
"\tst_state='' st_hash='' st_image=''\n"
"\twhile read -r n s h i _; do\n"
"\t\tif [ \"$n\" = \"$1\" ]; then\n"
"\t\t\tst_state=$s st_hash=$h st_image=$i\n"
"\t\t\treturn 0\n"
"\t\tfi\n"
"\tdone <<EOF\n"
"$containers\n"
"EOF\n"
"\treturn 1\n"
"}\n"
"\n"
"# image_lookup IMAGE: ii_id, the image's ID, empty when it is absent; a\n"
"# present image is asked once per run (it cannot change during the run:\n"
"# pull and build only happen when it is absent)\n"
"image_lookup() {\n"
"\twhile read -r ii_n ii_id; do\n"
"\t\t[ \"$ii_n\" = \"$1\" ] && return 0\n"
"\tdone <<EOF\n"
"${image_ids-}\n"
"EOF\n"
"\tii_id=$(docker image inspect -f '{{.Id}}' \"$1\" 2>/dev/null) || ii_id=''\n"
"\t[ -z \"$ii_id\" ] || image_ids=\"${image_ids-}\n$1 $ii_id\"\n"
"}\n"
"\n"
"# network NAME ARG...: create a missing network\n"
"network() {\n"
"\tlisted \"$networks\" \"$1\" && return 0\n"
"\tsay \"Network $1  Creating\"\n"
"\tshift\n"
"\trunq network create \"$@\"\n"
"}\n"
"volume() {\n"
"\tlisted \"$volumes\" \"$1\" && return 0\n"
"\tsay \"Volume $1  Creating\"\n"
"\tshift\n"
"\trunq volume create \"$@\"\n"
"}\n"
"external_network() {\n"
"\tdocker network inspect \"$1\" >/dev/null 2>&1 && return 0\n"
"\tdocker version >/dev/null 2>&1 || engine_error\n"
"\tdie \"network $1 declared as external, but could not be found\"\n"
"}\n"
"external_volume() {\n"
"\tdocker volume inspect \"$1\" >/dev/null 2>&1 && return 0\n"
"\tdocker version >/dev/null 2>&1 || engine_error\n"
"\tdie \"external volume \\\"$1\\\" not found\"\n"
"}\n"
"\n"
"# image IMAGE SERVICE: pull an image that is not here; a failure names\n"
"# the service, the image and docker's reason in one line\n"
"image() {\n"
"\timage_lookup \"$1\"\n"
"\t[ -n \"$ii_id\" ] && return 0\n"
"\tsay \"Image $1  Pulling\"\n"
"\tif [ -n \"$dry\" ]; then show docker pull \"$1\"; return 0; fi\n"
"\tim_err=$(docker pull -q \"$1\" 2>&1 >/dev/null) && return 0\n"
"\tfirst \"$im_err\"\n"
"\tdie \"service $2: image $1 is not here and cannot be pulled: $fl\"\n"
"}\n"
"\n",
"# converge NAME HASH IMAGE CREATE: keep a container whose config hash and\n"
"# image match, recreate one that differs, create a missing one\n"
"converge() {\n"
"\timage_lookup \"$3\"\n"
"\tcv_img=$ii_id\n"
"\tif state \"$1\"; then\n"
"\t\tif [ \"$st_hash\" = \"$2\" ] && [ \"$st_image\" = \"$cv_img\" ]; then\n"
"\t\t\t[ \"$st_state\" = running ] || tostart=\"$tostart\n$1\"\n"
"\t\t\treturn 0\n"
"\t\tfi\n"
"\t\tsay \"Container $1  Recreate\"\n"
"\t\trunq stop \"$1\"\n"
"\t\trunq rm -f \"$1\"\n"
"\telse\n"
"\t\tsay \"Container $1  Creating\"\n"
"\tfi\n"
"\t# create, network connect, copy: stopped before the end, the\n"
"\t# container is removed on exit (half_created), not kept as up to date\n"
"\tcreating=$1\n"
"\t\"$4\" \"$cv_img\"\n"
"\tcreating=\n"
"\tchanged=1\n"
"\ttostart=\"$tostart\n$1\"\n"
"}\n"
"\n"
"# healthy_at_load NAME: was the container healthy when load_state ran?\n"
"healthy_at_load() {\n"
"\twhile read -r n hl_rest; do\n"
"\t\tif [ \"$n\" = \"$1\" ]; then\n"
"\t\t\tcase $hl_rest in *' (healthy)') return 0 ;; esac\n"
"\t\t\treturn 1\n"
"\t\tfi\n"
"\tdone <<EOF\n"
"${containers-}\n"
"EOF\n"
"\treturn 1\n"
"}\n"
"\n",
"# wait_for NAME SERVICE CONDITION REQUIRED: a depends_on condition\n"
"wait_for() {\n"
"\t[ -n \"$dry\" ] && return 0\n"
"\t# healthy when the state was read and not started since: no need to ask\n"
"\t[ \"$3\" = service_healthy ] && ! listed \"${tostart-}\" \"$1\" &&\n"
"\t    healthy_at_load \"$1\" && return 0\n"
"\ttries=$((timeout * 2))\n"
"\twhile :; do\n"
"\t\tw=$(docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.State.ExitCode}}' \"$1\" 2>/dev/null) ||\n"
"\t\t    w='missing none 0'\n"
"\t\tread -r w_state w_health w_code <<EOF\n"
"$w\n"
"EOF\n"
"\t\tcase $3 in\n"
"\t\tservice_healthy)\n"
"\t\t\tcase $w_health in\n"
"\t\t\thealthy) return 0 ;;\n"
"\t\t\tunhealthy) wait_failed \"$4\" \"dependency failed to start: container $1 is unhealthy (service $2, $3)\"; return 0 ;;\n"
"\t\t\tnone) wait_failed \"$4\" \"container $1 has no healthcheck configured (service $2, $3)\"; return 0 ;;\n"
"\t\t\tesac\n"
"\t\t\tif [ \"$w_state\" = exited ] || [ \"$w_state\" = dead ]; then\n"
"\t\t\t\twait_failed \"$4\" \"dependency failed to start: container $1 exited ($w_code) (service $2, $3)\"; return 0\n"
"\t\t\tfi ;;\n"
"\t\tservice_completed_successfully)\n"
"\t\t\tif [ \"$w_state\" = exited ]; then\n"
"\t\t\t\t[ \"$w_code\" = 0 ] && return 0\n"
"\t\t\t\twait_failed \"$4\" \"service \\\"$2\\\" didn't complete successfully: exit $w_code\"\n"
"\t\t\t\treturn 0\n"
"\t\t\tfi ;;\n"
"\t\t*) return 0 ;;\n"
"\t\tesac\n"
"\t\ttries=$((tries - 1))\n"
"\t\tif [ \"$tries\" -le 0 ]; then\n"
"\t\t\twait_failed \"$4\" \"timed out after ${timeout}s waiting for service $2 ($3)\"\n"
"\t\t\treturn 0\n"
"\t\tfi\n"
"\t\tsleep 0.5 2>/dev/null || sleep 1\n"
"\tdone\n"
"}\n"
"wait_failed() {\n"
"\t[ \"$1\" = required ] && die \"$2\"\n"
"\tsay \"warning: $2 (optional dependency, going on)\"\n"
"}\n"
"\n"
"# create_keepcmd IMAGE ARG...: docker create ARG... with the image's CMD\n"
"# appended, one word per argument (what Compose keeps for entrypoint: [])\n"
"create_keepcmd() {\n"
"\tkc_image=$1\n"
"\tshift\n"
"\tkc_n=$(docker image inspect -f '{{len .Config.Cmd}}' \"$kc_image\" 2>/dev/null) || kc_n=0\n"
"\tkc_i=0\n"
"\twhile [ \"$kc_i\" -lt \"$kc_n\" ]; do\n"
"\t\tkc_arg=$(docker image inspect -f \"{{index .Config.Cmd $kc_i}}\" \"$kc_image\"; echo x)\n"
"\t\tkc_arg=${kc_arg%x}\n"
"\t\tkc_arg=${kc_arg%?}\n"
"\t\tset -- \"$@\" \"$kc_arg\"\n"
"\t\tkc_i=$((kc_i + 1))\n"
"\tdone\n"
"\trunq create \"$@\"\n"
"}\n"
"\n"
"# warn_orphans: containers of the project whose service is gone\n"
"warn_orphans() {\n"
"\two=$(printf '%s\\n' \"$containers\" | while read -r n _; do\n"
"\t\t[ -n \"$n\" ] || continue\n"
"\t\tcase \" $known \" in *\" $n \"*) ;; *) printf ' %s' \"$n\" ;; esac\n"
"\tdone)\n"
"\t[ -z \"$wo\" ] || say \"warning: found orphan containers ($wo ) for this project; 'down --remove-orphans' removes them\"\n"
"}\n"
"\n"
"# copy_in CTR TARGET MODE UID GID CONTENT: write a secret or config file\n"
"# into a created container, parent directories included\n"
"copy_in() {\n"
"\tif [ -n \"$dry\" ]; then show docker cp - \"$1:/\"; return 0; fi\n"
"\tci_dir=$(mktemp -d)\n"
"\tmkdir -p \"$ci_dir$(dirname \"$2\")\"\n"
"\tprintf '%s' \"$6\" >\"$ci_dir$2\"\n"
"\tchmod \"$3\" \"$ci_dir$2\"\n"
"\tif [ -n \"$4$5\" ]; then\n"
"\t\tchown \"${4:-0}:${5:-0}\" \"$ci_dir$2\"\n"
"\t\tdocker cp -a \"$ci_dir/.\" \"$1:/\"\n"
"\telse\n"
"\t\tdocker cp \"$ci_dir/.\" \"$1:/\"\n"
"\tfi\n"
"\trm -rf \"$ci_dir\"\n"
"}\n"
"\n"
"# start NAME: start a container this run created or found stopped; a\n"
"# failure (a port taken, ...) names the service and docker's reason\n"
"start() {\n"
"\tlisted \"$tostart\" \"$1\" || return 0\n"
"\tsay \"Container $1  Starting\"\n"
"\tif [ -n \"$dry\" ]; then show docker start \"$1\"; return 0; fi\n"
"\tsa_err=$(docker start \"$1\" 2>&1 >/dev/null) && return 0\n"
"\tsa_svc=$(docker inspect -f '{{index .Config.Labels \"com.docker.compose.service\"}}' \"$1\" 2>/dev/null) || sa_svc=''\n"
"\tfirst \"$sa_err\"\n"
"\tdie \"service ${sa_svc:-?}: cannot start container $1: $fl\"\n"
"}\n"
"\n"
"# in_parallel FN...: run the functions as jobs, fail if any failed\n"
"in_parallel() {\n"
"\tif [ -n \"$dry\" ] || [ $# -le 1 ]; then\n"
"\t\tfor f in \"$@\"; do \"$f\"; done\n"
"\t\treturn 0\n"
"\tfi\n"
"\tpids=\n"
"\tfor f in \"$@\"; do\n"
"\t\t\"$f\" &\n"
"\t\tpids=\"$pids $!\"\n"
"\tdone\n"
"\tfailed=0\n"
"\tfor p in $pids; do wait \"$p\" || failed=1; done\n"
"\tpids=\n"
"\t[ \"$failed\" -eq 0 ] || die 'some containers could not be started (see above)'\n"
"}\n"
"\n",
"# remove NAME: stop and remove a container of the project\n"
"remove() {\n"
"\tstate \"$1\" || return 0\n"
"\tsay \"Container $1  Removing\"\n"
"\trunq stop \"$1\"\n"
"\tif [ -n \"$rm_volumes\" ]; then runq rm -f -v \"$1\"; else runq rm -f \"$1\"; fi\n"
"}\n"
"# remove_all NAME...: remove the containers (one level) in parallel\n"
"remove_all() {\n"
"\tif [ -n \"$dry\" ] || [ $# -le 1 ]; then\n"
"\t\tfor n in \"$@\"; do remove \"$n\"; done\n"
"\t\treturn 0\n"
"\tfi\n"
"\tpids=\n"
"\tfor n in \"$@\"; do\n"
"\t\tremove \"$n\" &\n"
"\t\tpids=\"$pids $!\"\n"
"\tdone\n"
"\tfailed=0\n"
"\tfor p in $pids; do wait \"$p\" || failed=1; done\n"
"\tpids=\n"
"\t[ \"$failed\" -eq 0 ] || die 'some containers could not be removed (see above)'\n"
"}\n"
"stop_one() {\n"
"\tstate \"$1\" || return 0\n"
"\t[ \"$st_state\" = running ] || return 0\n"
"\tsay \"Container $1  Stopping\"\n"
"\trunq stop \"$1\"\n"
"}\n"
"\n"
"\n"
"# half_created: on exit, remove the container whose create, network\n"
"# connect or copy did not finish (a failure, a signal), so that it is\n"
"# not kept as up to date by the next run\n"
"half_created() {\n"
"\t[ -n \"${creating-}\" ] && [ -z \"$dry\" ] || return 0\n"
"\tdocker rm -f \"$creating\" >/dev/null 2>&1 &&\n"
"\t    say \"Container $creating  Removed (half-created)\"\n"
"\tcreating=\n"
"}\n"
"# interrupted SIGNAL STATUS: on SIGINT or SIGTERM, end the jobs still\n"
"# waiting or starting, then exit (half_created cleans up)\n"
"interrupted() {\n"
"\ttrap '' INT TERM\n"
"\tfor p in ${pids-}; do kill \"$p\" 2>/dev/null || :; done\n"
"\tsay \"Interrupted by SIG$1: run the command again to converge\"\n"
"\texit \"$2\"\n"
"}\n"
"pids='' creating=''\n"
"trap half_created EXIT\n"
"trap 'interrupted INT 130' INT\n"
"trap 'interrupted TERM 143' TERM\n",
};

void
sh_runtime(struct buf *b)
{
	size_t i;

	for (i = 1; i < countof(runtime); i++)
		buf_puts(b, runtime[i]);
}

static const char usage[] =
"usage: sh deploy.sh [--dry-run] [COMMAND] [ARGS]\n"
"  up [-d] [SERVICE...]     create what is missing, recreate what changed,\n"
"                           start everything (the default command)\n"
"  create [SERVICE...]      the same, without starting\n"
"  start|stop|restart [SERVICE...]\n"
"  down [-v] [--remove-orphans]\n"
"                           remove the containers and networks (-v: volumes too)\n"
"  ps                       list the project's containers\n"
"  logs [-f] [SERVICE...]   show the containers' output\n"
"  plan                     print the plan this script was compiled from\n"
"--dry-run prints the docker commands that would change something, and\n"
"runs none of them.  C2SH_WAIT_TIMEOUT (seconds, default 300) bounds each\n"
"wait for a depends_on condition.\n";

static const char *
rid(struct arena *a, const struct resource *r)
{
	return arena_printf(a, "r%zu", r->idx);
}

/* up_r<i> for networks, volumes and builds */
static void
simple(struct buf *b, struct arena *a, const struct resource *r)
{
	struct args args;
	const char *stdin_text;

	args_init(&args, a);
	buf_line(b, "up_%s() {\t# %s %s", rid(a, r), plan_kindname(r->kind),
	    r->name);
	buf_putc(b, '\t');
	switch (r->kind) {
	case RES_NETWORK:
		if (r->external) {
			buf_puts(b, "external_network ");
			q(b, r->name);
			break;
		}
		dockerargs_network(&args, r);
		buf_puts(b, "network ");
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
		buf_puts(b, "volume ");
		q(b, r->name);
		words(b, &args);
		break;
	case RES_BUILD:
		dockerargs_build(&args, r, &stdin_text);
		buf_puts(b, "docker image inspect ");
		q(b, r->image);
		buf_line(b, " >/dev/null 2>&1 && return 0");
		buf_puts(b, "\tsay ");
		q(b, arena_printf(a, "Image %s  Building", r->image));
		buf_puts(b, "\n\t");
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
	buf_puts(b, "\n}\n");
}

static void
container(struct buf *b, struct arena *a, const struct resource *r)
{
	struct args args, connects[64];
	size_t i, n;
	const struct dep *d;

	args_init(&args, a);
	for (i = 0; i < countof(connects); i++)
		args_init(&connects[i], a);
	dockerargs_create(&args, r);
	n = dockerargs_connects(connects, countof(connects), r);

	/* create_r<i> IMAGE-ID */
	buf_line(b, "create_%s() {\t# container %s", rid(a, r), r->name);
	if (dockerargs_keepcmd(r)) {
		buf_puts(b, "\tcreate_keepcmd ");
		q(b, r->image);
	} else {
		buf_puts(b, "\trunq create");
	}
	buf_puts(b, " --label \"com.docker.compose.image=$1\"");
	words(b, &args);
	buf_putc(b, '\n');
	for (i = 0; i < n; i++) {
		buf_puts(b, "\trunq network connect");
		words(b, &connects[i]);
		buf_putc(b, '\n');
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
		buf_putc(b, '\n');
	}
	buf_line(b, "}");

	/* its image is pulled, when missing, before anything is created
	 * (cmd_up), as Compose does */
	buf_line(b, "up_%s() {", rid(a, r));
	buf_puts(b, "\tconverge ");
	q(b, r->name);
	buf_putc(b, ' ');
	q(b, r->hash);
	buf_putc(b, ' ');
	q(b, r->image);
	buf_line(b, " create_%s", rid(a, r));
	buf_line(b, "}");

	buf_line(b, "start_%s() {", rid(a, r));
	buf_line(b, "\twanted %s || return 0", rid(a, r));
	for (i = 0; i < r->ndeps; i++) {
		d = &r->deps[i];
		if (d->to->kind != RES_CONTAINER || d->cond == DEP_STARTED)
			continue;
		buf_printf(b, "\twanted %s && wait_for ", rid(a, d->to));
		q(b, d->to->name);
		buf_putc(b, ' ');
		q(b, d->to->key);
		buf_line(b, " %s %s", plan_condname(d->cond), d->required ?
		    "required" : "optional");
	}
	buf_puts(b, "\tstart ");
	q(b, r->name);
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

/* The plan's services in order of first appearance in p->res, and the
 * containers of each, found by sorting once rather than by comparing every
 * pair of keys (which was quadratic: seconds for 5,000 services). */
struct svcmap {
	size_t ns;		/* services */
	const char **name;	/* [ns] */
	size_t *start;		/* [ns+1]: members of j are member[start[j]..start[j+1]) */
	size_t *member;		/* positions in p->res, ascending per service */
	unsigned char *first;	/* [nres]: the first container of its service */
};

struct keypos {
	const char *key;
	size_t pos;
};

static int
keypos_cmp(const void *x, const void *y)
{
	const struct keypos *a = x, *b = y;
	int c = strcmp(a->key, b->key);

	if (c)
		return c;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static void
svcmap(struct svcmap *m, const struct plan *p, struct arena *a)
{
	size_t n = p->nres, i, j, g, k, nc = 0;
	struct keypos *e = arena_alloc(a, (n + 1) * sizeof(*e));
	size_t *of = arena_alloc(a, (n + 1) * sizeof(*of));
	size_t *fill;

	m->first = arena_alloc(a, n + 1);
	memset(m->first, 0, n + 1);
	for (i = 0; i < n; i++)
		if (p->res[i]->kind == RES_CONTAINER) {
			e[nc].key = p->res[i]->key;
			e[nc].pos = i;
			nc++;
		}
	qsort(e, nc, sizeof(*e), keypos_cmp);
	for (g = 0; g < nc; g = k) {
		for (k = g + 1; k < nc && strcmp(e[k].key, e[g].key) == 0; k++)
			;
		m->first[e[g].pos] = 1;
	}
	/* ordinals in order of first appearance */
	m->name = arena_alloc(a, (nc + 1) * sizeof(*m->name));
	m->ns = 0;
	for (i = 0; i < n; i++)
		if (m->first[i]) {
			of[i] = m->ns;
			m->name[m->ns++] = p->res[i]->key;
		}
	for (g = 0; g < nc; g = k) {
		for (k = g + 1; k < nc && strcmp(e[k].key, e[g].key) == 0; k++)
			of[e[k].pos] = of[e[g].pos];
	}
	m->start = arena_alloc(a, (m->ns + 1) * sizeof(*m->start));
	fill = arena_alloc(a, (m->ns + 1) * sizeof(*fill));
	memset(m->start, 0, (m->ns + 1) * sizeof(*m->start));
	for (i = 0; i < n; i++)
		if (p->res[i]->kind == RES_CONTAINER)
			m->start[of[i] + 1]++;
	for (j = 0; j < m->ns; j++)
		m->start[j + 1] += m->start[j];
	memcpy(fill, m->start, (m->ns + 1) * sizeof(*fill));
	m->member = arena_alloc(a, (nc + 1) * sizeof(*m->member));
	for (i = 0; i < n; i++)
		if (p->res[i]->kind == RES_CONTAINER)
			m->member[fill[of[i]]++] = i;
}

static void
selection(struct buf *b, const struct plan *p, struct arena *a)
{
	unsigned char *mark = arena_alloc(a, p->nres + 1);
	struct svcmap sm;
	size_t i, j, k;

	svcmap(&sm, p, a);
	buf_line(b, "# select SERVICE...: what `up SERVICE...` brings up");
	buf_line(b, "select_services() {");
	buf_line(b, "\tselected='' named=''");
	buf_line(b, "\tfor s in \"$@\"; do");
	buf_line(b, "\t\tcase $s in");
	for (j = 0; j < sm.ns; j++) {
		memset(mark, 0, p->nres + 1);
		for (k = sm.start[j]; k < sm.start[j + 1]; k++)
			closure(p->res[sm.member[k]], mark);
		buf_puts(b, "\t\t");
		q(b, sm.name[j]);
		buf_puts(b, ") selected=\"$selected");
		for (i = 0; i < p->nres; i++)
			if (mark[p->res[i]->idx])
				buf_printf(b, " r%zu", p->res[i]->idx);
		/* and the service's own containers, for stop and restart */
		buf_puts(b, "\"; named=\"$named");
		for (k = sm.start[j]; k < sm.start[j + 1]; k++)
			buf_printf(b, " r%zu", p->res[sm.member[k]]->idx);
		buf_line(b, "\" ;;");
	}
	buf_line(b, "\t\t*) die \"no such service: $s\" ;;");
	buf_line(b, "\t\tesac");
	buf_line(b, "\tdone");
	buf_line(b, "}");
	buf_line(b, "wanted() {");
	buf_line(b, "\t[ -z \"$selected\" ] && return 0");
	buf_line(b, "\tcase \" $selected \" in *\" $1 \"*) return 0 ;; esac");
	buf_line(b, "\treturn 1");
	buf_line(b, "}");
	/* containers of a service, for logs */
	buf_line(b, "containers_of() {");
	buf_line(b, "\tcase $1 in");
	for (j = 0; j < sm.ns; j++) {
		buf_puts(b, "\t");
		q(b, sm.name[j]);
		buf_puts(b, ") echo");
		for (k = sm.start[j]; k < sm.start[j + 1]; k++) {
			buf_putc(b, ' ');
			q(b, p->res[sm.member[k]]->name);
		}
		buf_line(b, " ;;");
	}
	buf_line(b, "\t*) die \"no such service: $1\" ;;");
	buf_line(b, "\tesac");
	buf_line(b, "}");
}

/* The commands, level by level. */
static void
commands(struct buf *b, const struct plan *p, struct arena *a)
{
	const struct resource *r;
	struct svcmap sm;
	unsigned lv;
	size_t i;
	int any;

	svcmap(&sm, p, a);
	buf_line(b, "cmd_up() {\t# [--no-start] [SERVICE...]");
	buf_line(b, "\tnostart=");
	buf_line(b, "\tfor a in \"$@\"; do");
	buf_line(b, "\t\tshift");
	buf_line(b, "\t\tcase $a in");
	buf_line(b, "\t\t-d|--detach) ;;");
	buf_line(b, "\t\t--no-start) nostart=1 ;;");
	buf_line(b, "\t\t-*) die \"up: unknown option $a\" ;;");
	buf_line(b, "\t\t*) set -- \"$@\" \"$a\" ;;");
	buf_line(b, "\t\tesac");
	buf_line(b, "\tdone");
	buf_line(b, "\tselect_services \"$@\"");
	buf_line(b, "\tload_state");
	buf_line(b, "\ttostart='' changed=''");
	buf_line(b, "\twarn_orphans");
	/* missing images first: a pull that fails leaves nothing created */
	for (i = 0; i < p->nres; i++) {
		r = p->res[i];
		if (r->kind != RES_CONTAINER || plan_hasbuild(r))
			continue;
		buf_printf(b, "\twanted %s && image ", rid(a, r));
		q(b, r->image);
		buf_putc(b, ' ');
		q(b, r->key);
		buf_putc(b, '\n');
	}
	for (lv = 0; lv < p->nlevels; lv++) {
		buf_line(b, "\t# level %u", lv);
		any = 0;
		for (i = 0; i < p->nres; i++) {
			r = p->res[i];
			if (r->level != lv)
				continue;
			buf_line(b, "\twanted %s && up_%s", rid(a, r), rid(a, r));
			any |= r->kind == RES_CONTAINER;
		}
		if (!any)
			continue;
		buf_puts(b, "\t[ -n \"$nostart\" ] || in_parallel");
		for (i = 0; i < p->nres; i++)
			if (p->res[i]->level == lv &&
			    p->res[i]->kind == RES_CONTAINER)
				buf_printf(b, " start_%s", rid(a, p->res[i]));
		buf_putc(b, '\n');
	}
	buf_line(b, "\t[ -n \"$changed\" ] || [ -n \"$tostart\" ] || "
	    "say 'Everything is up to date'");
	buf_line(b, "}");
	buf_putc(b, '\n');

	/* start_<i> for `start`: every existing container not running */
	buf_line(b, "cmd_start() {");
	buf_line(b, "\tselect_services \"$@\"");
	buf_line(b, "\t[ -z \"$only_named\" ] || selected=$named");
	buf_line(b, "\tload_state");
	buf_line(b, "\ttostart=$(printf '%%s\\n' \"$containers\" | "
	    "while read -r n s _; do [ \"$s\" = running ] || "
	    "printf '%%s\\n' \"$n\"; done)");
	for (lv = 0; lv < p->nlevels; lv++) {
		any = 0;
		for (i = 0; i < p->nres; i++)
			any |= p->res[i]->level == lv &&
			    p->res[i]->kind == RES_CONTAINER;
		if (!any)
			continue;
		buf_puts(b, "\tin_parallel");
		for (i = 0; i < p->nres; i++)
			if (p->res[i]->level == lv &&
			    p->res[i]->kind == RES_CONTAINER)
				buf_printf(b, " start_%s", rid(a, p->res[i]));
		buf_putc(b, '\n');
	}
	buf_line(b, "}");
	buf_putc(b, '\n');

	/* stop and down go the other way */
	buf_line(b, "cmd_stop() {\t# the services named, not what they depend on");
	buf_line(b, "\tselect_services \"$@\"");
	buf_line(b, "\tselected=$named");
	buf_line(b, "\tload_state");
	for (i = p->nres; i-- > 0;) {
		r = p->res[i];
		if (r->kind != RES_CONTAINER)
			continue;
		buf_printf(b, "\twanted %s && stop_one ", rid(a, r));
		q(b, r->name);
		buf_putc(b, '\n');
	}
	buf_line(b, "\treturn 0");
	buf_line(b, "}");
	buf_putc(b, '\n');

	buf_line(b, "cmd_down() {\t# [-v] [--remove-orphans]");
	buf_line(b, "\trm_volumes='' orphans=''");
	buf_line(b, "\tfor a in \"$@\"; do");
	buf_line(b, "\t\tcase $a in");
	buf_line(b, "\t\t-v|--volumes) rm_volumes=1 ;;");
	buf_line(b, "\t\t--remove-orphans) orphans=1 ;;");
	buf_line(b, "\t\t*) die \"down: unknown argument $a\" ;;");
	buf_line(b, "\t\tesac");
	buf_line(b, "\tdone");
	buf_line(b, "\tload_state");
	/* level by level from the last, each level's containers in parallel */
	for (lv = p->nlevels; lv-- > 0;) {
		any = 0;
		for (i = p->nres; i-- > 0;) {
			r = p->res[i];
			if (r->kind != RES_CONTAINER || r->level != lv)
				continue;
			buf_puts(b, any ? " " : "\tremove_all ");
			q(b, r->name);
			any = 1;
		}
		if (any)
			buf_putc(b, '\n');
	}
	buf_line(b, "\tif [ -n \"$orphans\" ]; then");
	buf_line(b, "\t\tprintf '%%s\\n' \"$containers\" | while read -r n _; do");
	buf_line(b, "\t\t\t[ -n \"$n\" ] || continue");
	buf_line(b, "\t\t\tcase \" $known \" in *\" $n \"*) ;; *) remove \"$n\" ;; "
	    "esac");
	buf_line(b, "\t\tdone");
	buf_line(b, "\tfi");
	for (i = 0; i < p->nres; i++) {
		r = p->res[i];
		if (r->kind != RES_NETWORK || r->external)
			continue;
		buf_puts(b, "\tif listed \"$networks\" ");
		q(b, r->name);
		buf_puts(b, "; then say ");
		q(b, arena_printf(a, "Network %s  Removing", r->name));
		buf_puts(b, "; runq network rm ");
		q(b, r->name);
		/* containers of other projects or orphans may still use it */
		buf_puts(b, " || say ");
		q(b, arena_printf(a, "Network %s  Resource is still in use",
		    r->name));
		buf_line(b, "; fi");
	}
	for (i = 0; i < p->nres; i++) {
		r = p->res[i];
		if (r->kind != RES_VOLUME || r->external)
			continue;
		buf_puts(b, "\tif [ -n \"$rm_volumes\" ] && listed \"$volumes\" ");
		q(b, r->name);
		buf_puts(b, "; then say ");
		q(b, arena_printf(a, "Volume %s  Removing", r->name));
		buf_puts(b, "; runq volume rm -f ");
		q(b, r->name);
		buf_line(b, "; fi");
	}
	buf_line(b, "\treturn 0");
	buf_line(b, "}");
	buf_putc(b, '\n');
	buf_line(b, "cmd_logs() {\t# [-f] [SERVICE...]");
	buf_line(b, "\tfollow=");
	buf_line(b, "\tfor a in \"$@\"; do");
	buf_line(b, "\t\tshift");
	buf_line(b, "\t\tcase $a in");
	buf_line(b, "\t\t-f|--follow) follow=-f ;;");
	buf_line(b, "\t\t-*) die \"logs: unknown option $a\" ;;");
	buf_line(b, "\t\t*) set -- \"$@\" \"$a\" ;;");
	buf_line(b, "\t\tesac");
	buf_line(b, "\tdone");
	buf_puts(b, "\t[ $# -gt 0 ] || set --");
	for (i = 0; i < p->nres; i++)
		if (sm.first[i]) {
			buf_putc(b, ' ');
			q(b, p->res[i]->key);
		}
	buf_putc(b, '\n');
	buf_line(b, "\tdocker version >/dev/null 2>&1 || engine_error");
	buf_line(b, "\tnames=");
	buf_line(b, "\tfor s in \"$@\"; do names=\"$names $(containers_of \"$s\")\"; "
	    "done");
	buf_line(b, "\tpids=");
	buf_line(b, "\tfor n in $names; do");
	buf_line(b, "\t\tdocker logs $follow \"$n\" 2>&1 | while IFS= read -r l; do "
	    "printf '%%s  | %%s\\n' \"$n\" \"$l\"; done &");
	buf_line(b, "\t\tpids=\"$pids $!\"");
	buf_line(b, "\tdone");
	buf_line(b, "\tfor p in $pids; do wait \"$p\" || :; done");
	buf_line(b, "}");
}

static void
emit(const struct plan *p, struct buf *b)
{
	struct arena a = ARENA_INIT;
	struct buf planbuf = BUF_INIT, tag = BUF_INIT;
	const struct resource *r;
	size_t i;
	unsigned k;

	buf_line(b, "#!/bin/sh");
	buf_line(b, "# shellcheck disable=SC2016,SC1003 # values are single-quoted on "
	    "purpose: $, ` and \\ in them are data");
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
	buf_puts(b, "project=");
	q(b, p->project);
	buf_putc(b, '\n');
	buf_line(b, "dry=");
	buf_line(b, "timeout=${C2SH_WAIT_TIMEOUT:-300}");
	buf_line(b, "containers='' networks='' volumes='' tostart='' changed='' "
	    "selected=''");
	buf_line(b, "named='' only_named=''");
	buf_line(b, "rm_volumes=");
	/* the plan's containers (Docker names need no quoting) */
	buf_puts(b, "known='");
	for (i = 0; i < p->nres; i++)
		if (p->res[i]->kind == RES_CONTAINER)
			buf_printf(b, " %s", p->res[i]->name);
	buf_line(b, "'");
	buf_putc(b, '\n');
	for (i = 0; i < countof(runtime); i++)
		buf_puts(b, runtime[i]);
	buf_putc(b, '\n');
	for (i = 0; i < p->nres; i++) {
		r = p->res[i];
		if (r->kind == RES_CONTAINER)
			container(b, &a, r);
		else
			simple(b, &a, r);
	}
	buf_putc(b, '\n');
	selection(b, p, &a);
	buf_putc(b, '\n');
	commands(b, p, &a);
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
	buf_line(b, "\trestart) cmd_stop \"$@\"; only_named=1; cmd_start \"$@\" ;;");
	buf_line(b, "\tdown) cmd_down \"$@\" ;;");
	buf_line(b, "\tps) docker ps -a --filter \"label=com.docker.compose.project="
	    "$project\" --format 'table {{.Names}}\\t{{.Image}}\\t{{.Label "
	    "\"com.docker.compose.service\"}}\\t{{.Status}}\\t{{.Ports}}' "
	    "2>/dev/null || engine_error ;;");
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

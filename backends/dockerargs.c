/*
 * dockerargs.c: plan settings -> docker CLI arguments.  Plan settings are
 * already named after docker options; what is left here is the handful of
 * settings whose CLI spelling differs, and the order of the pieces.
 */
#include "dockerargs.h"

#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "plan.h"
#include "util.h"

/* Every backend hands each docker argument to a program as one argument
 * (sh and make to docker, systemd to /bin/sh): one longer than Linux
 * passes (ARG_LEN_MAX) is refused when c2sh compiles, not cut or failed
 * at deploy time. */
static void
checklen(const struct args *a, const struct resource *r)
{
	size_t i, n, total = 0;

	for (i = 0; i < a->n; i++) {
		n = strlen(a->v[i]);
		total += n + 1 + sizeof(char *);
		if (n <= ARG_LEN_MAX)
			continue;
		if (i > 0 && a->isopt[i - 1])
			diag(DIAG_ERROR, r->loc, "%s %s: the value of %s is "
			    "%zu bytes, more than Linux passes to a program in "
			    "one argument (%d bytes)", plan_kindname(r->kind),
			    r->name, a->v[i - 1], n, ARG_LEN_MAX);
		else
			diag(DIAG_ERROR, r->loc, "%s %s: docker argument %zu is "
			    "%zu bytes, more than Linux passes to a program in "
			    "one argument (%d bytes)", plan_kindname(r->kind),
			    r->name, i, n, ARG_LEN_MAX);
	}
	if (total > ARGS_TOTAL_MAX)
		diag(DIAG_ERROR, r->loc, "%s %s: its docker arguments add up "
		    "to %zu bytes, more than Linux passes to a program in all "
		    "with its default stack limit (2 MiB, of which c2sh keeps "
		    "32 KiB for the environment)", plan_kindname(r->kind),
		    r->name, total);
}

void
args_init(struct args *a, struct arena *mem)
{
	memset(a, 0, sizeof(*a));
	a->a = mem;
}

static void
push(struct args *a, const char *s, int isopt)
{
	size_t cap = a->cap;

	a->v = arena_grow(a->a, a->v, a->n, &cap, sizeof(*a->v));
	a->isopt = arena_grow(a->a, a->isopt, a->n, &a->cap,
	    sizeof(*a->isopt));
	a->v[a->n] = s;
	a->isopt[a->n++] = (unsigned char)isopt;
}

void
args_push(struct args *a, const char *s)
{
	push(a, s, 0);
}

void
args_opt(struct args *a, const char *s)
{
	push(a, s, 1);
}

static void
opt(struct args *a, const char *name, const char *value)
{
	args_opt(a, arena_printf(a->a, "--%s", name));
	args_push(a, value);
}

/* settings that are switches: "true" becomes a bare --flag */
static int
isswitch(const char *k)
{
	static const char *const names[] = {
		"privileged", "read-only", "interactive", "tty",
		"oom-kill-disable", "no-healthcheck", "internal", "attachable",
		"no-cache", "pull",
	};
	size_t i;

	for (i = 0; i < countof(names); i++)
		if (strcmp(k, names[i]) == 0)
			return 1;
	return 0;
}

/* one setting as it goes on the command line */
static void
setting(struct args *a, const char *k, const char *v)
{
	if (isswitch(k)) {
		if (strcmp(v, "true") == 0)
			args_opt(a, arena_printf(a->a, "--%s", k));
	} else if (strcmp(k, "init") == 0 || strcmp(k, "ipv6") == 0) {
		args_opt(a, arena_printf(a->a, "--%s=%s", k,
		    strcmp(v, "true") == 0 ? "true" : "false"));
	} else {
		opt(a, k, v);
	}
}

/* The CLI wraps --health-cmd in CMD-SHELL; an exec-form test becomes the
 * same words for the shell (the one difference: /bin/sh must exist). */
static void
healthcmd(struct args *a, const struct strlist *t)
{
	struct buf b = BUF_INIT;
	const char *p;
	size_t i;

	if (!t->set || t->n == 0)
		return;
	if (strcmp(t->v[0], "CMD-SHELL") == 0 && t->n == 2) {
		opt(a, "health-cmd", t->v[1]);
		return;
	}
	for (i = 1; i < t->n; i++) {
		buf_puts(&b, i > 1 ? " '" : "'");
		for (p = t->v[i]; *p; p++)
			if (*p == '\'')
				buf_puts(&b, "'\\''");
			else
				buf_putc(&b, *p);
		buf_putc(&b, '\'');
	}
	opt(a, "health-cmd", arena_strdup(a->a, buf_str(&b)));
	buf_release(&b);
}

/* is the setting one of the container's anonymous volumes? */
static int
isanon(const struct resource *r, const struct setting *s)
{
	size_t i;

	for (i = 0; i < r->nanon; i++)
		if (r->anon[i].mount == s->value)
			return strcmp(s->key, "mount") == 0;
	return 0;
}

void
dockerargs_create(struct args *a, const struct resource *r, unsigned flags)
{
	size_t i;

	if (flags & DA_NAME)
		opt(a, "name", r->name);
	for (i = 0; i < r->nset; i++) {
		const char *k = r->set[i].key;

		if (strncmp(k, "connect", 7) == 0 ||
		    strcmp(k, "network-driver-opt") == 0)
			continue;
		if (!(flags & DA_HASH) && strcmp(k, "label") == 0 &&
		    strncmp(r->set[i].value, "com.docker.compose.config-hash=",
		    31) == 0)
			continue;
		if (!(flags & DA_ANON) && isanon(r, &r->set[i]))
			continue;
		setting(a, k, r->set[i].value);
	}
	healthcmd(a, &r->healthtest);
	if (r->entrypoint.set)
		opt(a, "entrypoint", r->entrypoint.n ? r->entrypoint.v[0] :
		    "");
	args_push(a, r->image);
	for (i = 1; i < r->entrypoint.n; i++)
		args_push(a, r->entrypoint.v[i]);
	for (i = 0; r->command.set && i < r->command.n; i++)
		args_push(a, r->command.v[i]);
	checklen(a, r);
}

int
dockerargs_keepcmd(const struct resource *r)
{
	return r->entrypoint.set && r->entrypoint.n == 0 &&
	    (!r->command.set || r->command.n == 0);
}

size_t
dockerargs_nconnects(const struct resource *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->nset; i++)
		n += strcmp(r->set[i].key, "connect") == 0;
	return n;
}

size_t
dockerargs_connects(struct args *out, size_t max, const struct resource *r,
    const char *word)
{
	struct args *cur = NULL;
	const char *net = NULL;
	size_t i, n = 0;

	for (i = 0; i <= r->nset; i++) {
		const char *k = i < r->nset ? r->set[i].key : "connect";

		if (strcmp(k, "connect") == 0) {
			if (cur) {
				args_push(cur, net);
				if (word)
					args_push(cur, word);
				checklen(cur, r);
			}
			if (i == r->nset || n == max)
				break;
			cur = &out[n++];
			net = r->set[i].value;
		} else if (cur && strncmp(k, "connect-", 8) == 0) {
			opt(cur, k + 8, r->set[i].value);
		}
	}
	return n;
}

void
dockerargs_network(struct args *a, const struct resource *r)
{
	size_t i;

	for (i = 0; i < r->nset; i++)
		setting(a, r->set[i].key, r->set[i].value);
	args_push(a, r->name);
	checklen(a, r);
}

void
dockerargs_volume(struct args *a, const struct resource *r)
{
	dockerargs_network(a, r);
}

void
dockerargs_build(struct args *a, const struct resource *r,
    const char **stdin_text)
{
	const char *context = ".";
	size_t i;

	*stdin_text = NULL;
	for (i = 0; i < r->nset; i++) {
		const char *k = r->set[i].key, *v = r->set[i].value;

		if (strcmp(k, "context") == 0)
			context = v;
		else if (strcmp(k, "dockerfile-inline") == 0)
			*stdin_text = v;
		else
			setting(a, k, v);
	}
	if (*stdin_text)
		opt(a, "file", "-");
	opt(a, "tag", r->image);
	args_push(a, context);
	checklen(a, r);
}

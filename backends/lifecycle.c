/*
 * lifecycle.c: what deploy.sh and the Makefile hand to the runtime
 * (runtime.sh) for each service: the replicas' create functions and the
 * converge call.  Written once for both media; a medium says how it
 * quotes a word, ends a statement and spells a runtime variable's $.
 */
#include "lifecycle.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "dockerargs.h"
#include "plan.h"
#include "quote.h"
#include "util.h"

const struct medium lifecycle_sh = { quote_sh, " \\\n\t    ", "\n", "\n",
    "$" };

static void
words(struct buf *b, const struct args *a, const struct medium *m)
{
	backend_words(b, a, m->quote, m->brk);
}

void
lifecycle_replica(struct buf *b, struct arena *a, const struct resource *r,
    const struct medium *m)
{
	struct args args, *connects;
	const char *d = m->dollar, *e = m->end;
	size_t i, n, nc;

	args_init(&args, a);
	nc = dockerargs_nconnects(r);
	connects = arena_alloc(a, (nc + 1) * sizeof(*connects));
	for (i = 0; i < nc; i++)
		args_init(&connects[i], a);
	dockerargs_create(&args, r, 0);
	n = dockerargs_connects(connects, nc, r, NULL);

	buf_printf(b, "create_r%zu() {%s", r->idx, m->open);
	buf_printf(b, "\tcr_n=%s1 cr_i=%s2 cr_h=%s3; shift 3%s", d, d, d, e);
	buf_puts(b, "\t");
	if (dockerargs_keepcmd(r)) {
		buf_puts(b, "create_keepcmd ");
		m->quote(b, r->image);
	} else {
		buf_puts(b, "docker_create");
	}
	buf_printf(b, " --name \"%scr_n\" --label "
	    "\"com.docker.compose.config-hash=%scr_h\" --label "
	    "\"com.docker.compose.image=%scr_i\" \"%s@\"", d, d, d, d);
	words(b, &args, m);
	buf_printf(b, "%s}%s", e, e);

	buf_printf(b, "post_r%zu() {%s", r->idx, m->open);
	for (i = 0; i < n; i++) {
		buf_puts(b, "\trunq network connect");
		words(b, &connects[i], m);
		buf_printf(b, " \"%s1\"%s", d, e);
	}
	for (i = 0; i < r->ncopies; i++) {
		const struct filecopy *c = &r->copies[i];

		buf_printf(b, "\tcopy_in \"%s1\" ", d);
		m->quote(b, c->target);
		buf_printf(b, " %o ", c->mode);
		m->quote(b, c->uid ? c->uid : "");
		buf_putc(b, ' ');
		m->quote(b, c->gid ? c->gid : "");
		buf_puts(b, c->env ? " env " : " content ");
		m->quote(b, c->env ? c->env : c->content);
		buf_puts(b, e);
	}
	buf_printf(b, "\t:%s}%s", e, e);

	buf_printf(b, "anon_r%zu() {%s", r->idx, m->open);
	for (i = 0; i < r->nanon; i++) {
		buf_puts(b, "\tanon ");
		m->quote(b, r->anon[i].target);
		buf_putc(b, ' ');
		m->quote(b, r->anon[i].mount);
		buf_puts(b, e);
	}
	buf_printf(b, "\t:%s}%s", e, e);

	buf_printf(b, "mounted_r%zu() {%s", r->idx, m->open);
	if (r->nmounted) {
		buf_puts(b, "\tprintf '%s\\n'");
		for (i = 0; i < r->nmounted; i++) {
			buf_putc(b, ' ');
			m->quote(b, r->mounted[i]);
		}
		buf_puts(b, e);
	}
	buf_printf(b, "\t:%s}%s", e, e);
}

/* has the service a dependency on key among deps[0..i)? */
static int
seen(const struct resource *r, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (r->deps[j].to->kind == RES_CONTAINER &&
		    strcmp(r->deps[j].to->key, r->deps[i].to->key) == 0)
			return 1;
	return 0;
}

void
lifecycle_converge(struct buf *b, const struct resource *const *rep,
    size_t n, const struct medium *m)
{
	const struct resource *r = rep[0];
	const char *d = m->dollar, *e = m->end;
	size_t i;
	int any = 0;

	if (!r->hash) {
		buf_printf(b, "\tcv_dyn=%s(hash_with ", d);
		for (i = 0; i < r->nhashrefs; i++) {
			m->quote(b, r->hashparts[i]);
			buf_putc(b, ' ');
			m->quote(b, r->hashrefs[i]);
			buf_puts(b, m->brk);
		}
		m->quote(b, r->hashparts[r->nhashrefs]);
		buf_printf(b, ")%s", e);
	}
	buf_puts(b, "\tconverge ");
	m->quote(b, r->key);
	buf_putc(b, ' ');
	m->quote(b, r->image);
	buf_putc(b, ' ');
	if (r->hash)
		m->quote(b, r->hash);
	else
		buf_printf(b, "\"%scv_dyn\"", d);
	buf_printf(b, " %zu '", n);
	/* the services it depends on: a recreate of one recreates it */
	for (i = 0; i < r->ndeps; i++) {
		if (r->deps[i].to->kind != RES_CONTAINER || seen(r, i))
			continue;
		buf_printf(b, "%s%s", any ? " " : "", r->deps[i].to->key);
		any = 1;
	}
	buf_putc(b, '\'');
	for (i = 0; i < n; i++) {
		buf_puts(b, m->brk);
		m->quote(b, rep[i]->name);
		buf_printf(b, " r%zu", rep[i]->idx);
	}
	buf_puts(b, e);
}

void
lifecycle_waits(struct buf *b, const struct resource *r,
    const struct medium *m)
{
	const struct dep *dp;
	size_t i;

	for (i = 0; i < r->ndeps; i++) {
		dp = &r->deps[i];
		if (dp->to->kind != RES_CONTAINER || dp->cond == DEP_STARTED ||
		    seen(r, i))
			continue;
		buf_puts(b, "\twait_for ");
		m->quote(b, dp->to->key);
		buf_printf(b, " %s %s%s", plan_condname(dp->cond),
		    dp->required ? "required" : "optional", m->end);
	}
}

void
lifecycle_needenvs(struct buf *b, const struct svcmap *sm, int wanted)
{
	const struct resource *r;
	const struct filecopy *c;
	size_t j, i, k;

	buf_puts(b, "# need_envs: the variables the secrets and configs are "
	    "read from, set\nneed_envs() {\n");
	for (j = 0; j < sm->ns; j++) {
		r = sm->rep[sm->start[j]];
		for (i = 0; i < r->ncopies; i++) {
			c = &r->copies[i];
			for (k = 0; k < i; k++)
				if (r->copies[k].env && c->env &&
				    strcmp(r->copies[k].env, c->env) == 0)
					break;
			if (!c->env || k < i)
				continue;
			if (wanted)
				buf_printf(b, "\twanted s%zu && ", j);
			else
				buf_putc(b, '\t');
			buf_printf(b, "need_env %s ", c->env);
			quote_sh(b, r->key);
			buf_putc(b, '\n');
		}
	}
	buf_puts(b, "\t:\n}\n");
}

const char *
lifecycle_buildpolicy(const struct plan *p, const struct resource *bld)
{
	size_t i, j;

	for (i = 0; i < p->nres; i++)
		for (j = 0; j < p->res[i]->ndeps; j++)
			if (p->res[i]->deps[j].to == bld)
				return p->res[i]->pullpolicy;
	return NULL;
}

void
lifecycle_allservices(struct buf *b, const struct plan *p,
    const struct svcmap *sm, const struct medium *m)
{
	size_t j;

	for (j = 0; j < sm->ns; j++) {
		buf_putc(b, ' ');
		m->quote(b, sm->name[j]);
	}
	for (j = 0; j < p->nnoreplicas; j++) {
		buf_putc(b, ' ');
		m->quote(b, p->noreplicas[j]);
	}
	for (j = 0; j < p->ndisabled; j++) {
		buf_putc(b, ' ');
		m->quote(b, p->disabled[j]);
	}
}

/* ---- the plan's services ------------------------------------------------ */

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

/* found by sorting once rather than by comparing every pair of keys
 * (which was quadratic: seconds for 5,000 services) */
void
svcmap(struct svcmap *m, const struct plan *p, struct arena *a)
{
	size_t n = p->nres, i, j, g, k, nc = 0;
	struct keypos *e = arena_alloc(a, (n + 1) * sizeof(*e));
	size_t *of = arena_alloc(a, (n + 1) * sizeof(*of));
	size_t *fill;

	m->first = arena_alloc(a, n + 1);
	m->of = arena_alloc(a, (n + 1) * sizeof(*m->of));
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
	for (i = 0; i < n; i++)
		if (p->res[i]->kind == RES_CONTAINER)
			m->start[of[i] + 1]++;
	for (j = 0; j < m->ns; j++)
		m->start[j + 1] += m->start[j];
	memcpy(fill, m->start, (m->ns + 1) * sizeof(*fill));
	m->member = arena_alloc(a, (nc + 1) * sizeof(*m->member));
	m->rep = arena_alloc(a, (nc + 1) * sizeof(*m->rep));
	for (i = 0; i < n; i++)
		if (p->res[i]->kind == RES_CONTAINER) {
			m->of[p->res[i]->idx] = of[i];
			m->rep[fill[of[i]]] = p->res[i];
			m->member[fill[of[i]]++] = i;
		}
}

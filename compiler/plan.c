/* plan.c: building the plan, and ordering its graph into levels. */
#include "plan.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "util.h"

struct resource *
plan_add(struct plan *p, enum res_kind k, const char *name, const char *key,
    struct loc l)
{
	struct resource *r = arena_alloc(p->mem, sizeof(*r));

	r->kind = k;
	r->name = name;
	r->key = key;
	r->loc = l;
	r->idx = p->nres;
	p->res = arena_grow(p->mem, p->res, p->nres, &p->capres,
	    sizeof(*p->res));
	p->res[p->nres++] = r;
	return r;
}

void
plan_set(struct plan *p, struct resource *r, const char *key,
    const char *value)
{
	r->set = arena_grow(p->mem, r->set, r->nset, &r->capset,
	    sizeof(*r->set));
	r->set[r->nset].key = key;
	r->set[r->nset].value = value;
	r->nset++;
}

void
plan_dep(struct plan *p, struct resource *from, struct resource *to,
    enum dep_cond cond, struct loc l)
{
	size_t i;

	for (i = 0; i < from->ndeps; i++)
		if (from->deps[i].to == to) {
			if (cond > from->deps[i].cond)
				from->deps[i].cond = cond;
			return;
		}
	from->deps = arena_grow(p->mem, from->deps, from->ndeps,
	    &from->capdeps, sizeof(*from->deps));
	memset(&from->deps[from->ndeps], 0, sizeof(*from->deps));
	from->deps[from->ndeps].to = to;
	from->deps[from->ndeps].cond = cond;
	from->deps[from->ndeps].required = 1;
	from->deps[from->ndeps].loc = l;
	from->ndeps++;
}

struct resource *
plan_find(const struct plan *p, enum res_kind k, const char *name)
{
	size_t i;

	for (i = 0; i < p->nres; i++)
		if (p->res[i]->kind == k && strcmp(p->res[i]->name, name) == 0)
			return p->res[i];
	return NULL;
}

int
plan_hasbuild(const struct resource *r)
{
	size_t i;

	for (i = 0; i < r->ndeps; i++)
		if (r->deps[i].to->kind == RES_BUILD)
			return 1;
	return 0;
}

const char *
plan_kindname(enum res_kind k)
{
	static const char *const names[] = {
		[RES_NETWORK] = "network",
		[RES_VOLUME] = "volume",
		[RES_BUILD] = "build",
		[RES_CONTAINER] = "container",
	};
	return names[k];
}

const char *
plan_condname(enum dep_cond c)
{
	static const char *const names[] = {
		[DEP_EXISTS] = "exists",
		[DEP_STARTED] = "service_started",
		[DEP_HEALTHY] = "service_healthy",
		[DEP_COMPLETED] = "service_completed_successfully",
	};
	return names[c];
}

enum { WHITE, GREY, BLACK };

/* Depth-first search from r; on a back edge report the cycle in order. */
static int
findcycle(struct plan *p, struct resource *r, unsigned char *color,
    struct resource **stack, size_t depth)
{
	size_t i, j, me = r->idx;
	struct buf b = BUF_INIT;

	color[me] = GREY;
	stack[depth] = r;
	for (i = 0; i < r->ndeps; i++) {
		struct resource *t = r->deps[i].to;
		size_t ti = t->idx;

		if (color[ti] == GREY) {
			for (j = 0; j <= depth && stack[j] != t; j++)
				;
			for (; j <= depth; j++)
				buf_printf(&b, "%s -> ", stack[j]->key);
			buf_puts(&b, t->key);
			diag(DIAG_ERROR, r->deps[i].loc, "dependency cycle: %s",
			    buf_str(&b));
			buf_release(&b);
			return 1;
		}
		if (color[ti] == WHITE &&
		    findcycle(p, t, color, stack, depth + 1))
			return 1;
	}
	color[me] = BLACK;
	return 0;
}

unsigned
plan_levels(struct plan *p)
{
	size_t n = p->nres, i, j, k, head = 0, tail = 0, nedges = 0;
	size_t *indeg, *start, *rev, *fill, *queue;
	unsigned *level, maxlv = 0, lv;
	struct resource **order;

	/* Kahn's algorithm over reverse edges: linear in the graph's size;
	 * a resource's level is one more than its deepest dependency */
	indeg = xmalloc((n + 1) * sizeof(*indeg));
	start = xmalloc((n + 2) * sizeof(*start));
	fill = xmalloc((n + 1) * sizeof(*fill));
	queue = xmalloc((n + 1) * sizeof(*queue));
	level = xmalloc((n + 1) * sizeof(*level));
	memset(start, 0, (n + 2) * sizeof(*start));
	for (i = 0; i < n; i++) {
		indeg[i] = p->res[i]->ndeps;
		level[i] = 0;
		nedges += p->res[i]->ndeps;
		for (j = 0; j < p->res[i]->ndeps; j++)
			start[p->res[i]->deps[j].to->idx + 1]++;
	}
	for (i = 0; i < n; i++)
		start[i + 1] += start[i];
	rev = xmalloc((nedges + 1) * sizeof(*rev));
	memcpy(fill, start, n * sizeof(*fill));
	for (i = 0; i < n; i++)
		for (j = 0; j < p->res[i]->ndeps; j++)
			rev[fill[p->res[i]->deps[j].to->idx]++] = i;
	for (i = 0; i < n; i++)
		if (indeg[i] == 0)
			queue[tail++] = i;
	while (head < tail) {
		i = queue[head++];
		for (k = start[i]; k < start[i + 1]; k++) {
			j = rev[k];
			if (level[i] + 1 > level[j])
				level[j] = level[i] + 1;
			if (--indeg[j] == 0)
				queue[tail++] = j;
		}
	}
	if (tail < n) {
		unsigned char *color = xmalloc(n);
		struct resource **stack = xmalloc(n * sizeof(*stack));

		memset(color, WHITE, n);
		for (i = 0; i < n; i++)
			if (indeg[i] && color[i] == WHITE &&
			    findcycle(p, p->res[i], color, stack, 0))
				break;
		free(color);
		free(stack);
	} else {
		order = arena_alloc(p->mem, (n ? n : 1) * sizeof(*order));
		for (i = 0; i < n; i++) {
			p->res[i]->level = level[i];
			if (level[i] > maxlv)
				maxlv = level[i];
		}
		/* stable: declaration order within each level */
		memset(fill, 0, (n + 1) * sizeof(*fill));
		for (i = 0; i < n; i++)
			fill[level[i]]++;
		for (lv = 0, k = 0; lv <= maxlv && n; lv++) {
			j = fill[lv];
			fill[lv] = k;
			k += j;
		}
		for (i = 0; i < n; i++)
			order[fill[level[i]]++] = p->res[i];
		p->res = order;
		p->nlevels = n ? maxlv + 1 : 0;
	}
	free(indeg);
	free(start);
	free(fill);
	free(queue);
	free(level);
	free(rev);
	return tail < n;
}

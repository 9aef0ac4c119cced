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
	size_t n = p->nres, i, j, done = 0, k;
	unsigned *level = xmalloc(n * sizeof(*level)), lv, maxlv = 0;
	unsigned char *placed = xmalloc(n ? n : 1);
	struct resource **order;
	int progress;

	memset(placed, 0, n ? n : 1);
	/* a resource's level is one more than its deepest dependency */
	while (done < n) {
		progress = 0;
		for (i = 0; i < n; i++) {
			struct resource *r = p->res[i];

			if (placed[i])
				continue;
			lv = 0;
			for (j = 0; j < r->ndeps; j++) {
				k = r->deps[j].to->idx;
				if (!placed[k])
					break;
				if (level[k] + 1 > lv)
					lv = level[k] + 1;
			}
			if (j < r->ndeps)
				continue;
			placed[i] = 1;
			level[i] = lv;
			r->level = lv;
			if (lv > maxlv)
				maxlv = lv;
			done++;
			progress = 1;
		}
		if (!progress)
			break;
	}
	if (done < n) {
		unsigned char *color = xmalloc(n);
		struct resource **stack = xmalloc(n * sizeof(*stack));

		memset(color, WHITE, n);
		for (i = 0; i < n; i++)
			if (!placed[i] && color[i] == WHITE &&
			    findcycle(p, p->res[i], color, stack, 0))
				break;
		free(color);
		free(stack);
		free(level);
		free(placed);
		return 1;
	}
	order = arena_alloc(p->mem, (n ? n : 1) * sizeof(*order));
	k = 0;
	for (lv = 0; lv <= maxlv; lv++)
		for (i = 0; i < n; i++)
			if (level[i] == lv)
				order[k++] = p->res[i];
	p->res = order;
	p->nlevels = n ? maxlv + 1 : 0;
	free(level);
	free(placed);
	return 0;
}

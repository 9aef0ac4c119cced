/*
 * plan.c: the review format.  One resource per block, one setting per
 * line, in a stable order, so a one-line change in the compose file is a
 * small diff here.  It ends with the graph by level and the ledger of
 * keys that were accepted but change nothing.
 */
#include "backend.h"

#include <string.h>

#include "buf.h"
#include "diag.h"
#include "gojson.h"
#include "plan.h"

/* A value as is when it reads unambiguously, else as a JSON string. */
static void
value(struct buf *b, const char *s)
{
	const unsigned char *p;
	size_t n = strlen(s);
	int plain = n > 0 && s[0] != ' ' && s[n - 1] != ' ' && s[0] != '"';

	for (p = (const unsigned char *)s; plain && *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			plain = 0;
	if (plain)
		buf_puts(b, s);
	else
		gojson_string(b, s, n);
}

static void
line(struct buf *b, const char *key, const char *v)
{
	buf_printf(b, "    %-14s ", key);
	value(b, v);
	buf_putc(b, '\n');
}

static void
list(struct buf *b, const char *key, const struct strlist *l)
{
	if (!l->set)
		return;
	buf_printf(b, "    %-14s ", key);
	backend_jsonlist(b, l);
	buf_putc(b, '\n');
}

static void
emit(const struct plan *p, struct buf *b)
{
	const struct resource *r;
	const struct dep *d;
	size_t i, j;
	unsigned lv;

	backend_header(b, p, "# ");
	for (i = 0; i < p->nres; i++) {
		r = p->res[i];
		buf_printf(b, "\n%s %s\n", plan_kindname(r->kind), r->name);
		if (r->kind == RES_CONTAINER) {
			line(b, "service", r->key);
			buf_printf(b, "    %-14s %u\n", "replica", r->number);
		} else {
			line(b, "key", r->key);
		}
		if (r->external)
			line(b, "external", "true (checked, never created)");
		if (r->image && r->kind == RES_CONTAINER)
			line(b, "image", r->image);
		if (r->pullpolicy)
			line(b, "pull-policy", r->pullpolicy);
		if (r->kind == RES_CONTAINER && !r->hash) {
			/* Compose's hash with the IDs of the containers this
			 * one shares: known when deploying */
			buf_printf(b, "    %-14s at deploy time, with the ID of",
			    "config-hash");
			for (j = 0; j < r->nhashrefs; j++)
				buf_printf(b, "%s %s", j ? "," : "",
				    r->hashrefs[j]);
			buf_putc(b, '\n');
		}
		list(b, "entrypoint", &r->entrypoint);
		list(b, "command", &r->command);
		list(b, "health-test", &r->healthtest);
		for (j = 0; j < r->nset; j++)
			line(b, r->set[j].key, r->set[j].value);
		for (j = 0; j < r->ncopies; j++) {
			buf_printf(b, "    %-14s %s mode %04o", "copy",
			    r->copies[j].target, r->copies[j].mode);
			if (r->copies[j].uid || r->copies[j].gid)
				buf_printf(b, " owner %s:%s",
				    r->copies[j].uid ? r->copies[j].uid : "0",
				    r->copies[j].gid ? r->copies[j].gid : "0");
			if (r->copies[j].env) {
				/* the value is the deploying machine's */
				buf_printf(b, " from environment %s\n",
				    r->copies[j].env);
				continue;
			}
			buf_puts(b, " content ");
			gojson_string(b, r->copies[j].content,
			    strlen(r->copies[j].content));
			buf_putc(b, '\n');
		}
		for (j = 0; j < r->ndeps; j++) {
			d = &r->deps[j];
			if (d->cond == DEP_EXISTS) {
				buf_printf(b, "    %-14s %s %s\n", "needs",
				    plan_kindname(d->to->kind), d->to->name);
				continue;
			}
			buf_printf(b, "    %-14s %s %s (%s%s%s)\n", "after",
			    plan_kindname(d->to->kind), d->to->name,
			    plan_condname(d->cond),
			    d->required ? "" : ", optional",
			    d->restart ? ", restart" : "");
		}
		buf_printf(b, "    %-14s %u\n", "level", r->level);
	}
	buf_puts(b, "\ngraph\n");
	/* the resources are in level order: one pass */
	for (i = 0; i < p->nres; i++) {
		lv = p->res[i]->level;
		if (i == 0 || p->res[i - 1]->level != lv)
			buf_printf(b, "%s    level %u:", i ? "\n" : "", lv);
		else
			buf_putc(b, ',');
		buf_printf(b, " %s %s", plan_kindname(p->res[i]->kind),
		    p->res[i]->name);
	}
	if (p->nres)
		buf_putc(b, '\n');
	for (i = 0; i < p->nnoreplicas; i++)
		buf_printf(b, "%sservice %s: scale 0, its containers are "
		    "removed\n", i ? "" : "\n", p->noreplicas[i]);
	for (i = 0; i < p->ndisabled; i++)
		buf_printf(b, "%sservice %s: not enabled by the profiles, its "
		    "containers are left as they are\n", i || p->nnoreplicas ?
		    "" : "\n", p->disabled[i]);
	buf_puts(b, "\nignored (accepted, no effect on the deployment)\n");
	if (!p->nignored)
		buf_puts(b, "    (nothing)\n");
	for (i = 0; i < p->nignored; i++)
		buf_printf(b, "    %s: %s\n", p->ignored[i].path,
		    p->ignored[i].note);
}

const struct backend plan_backend = {
	.name = "plan",
	.what = "the plan, for review (resources, settings, graph, ledger)",
	.emit = emit,
};

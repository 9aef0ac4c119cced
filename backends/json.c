/* json.c: the plan as JSON, for programs.  Same content as -t plan. */
#include "backend.h"

#include <string.h>

#include "buf.h"
#include "gojson.h"
#include "plan.h"

static void
str(struct buf *b, const char *s)
{
	if (s)
		gojson_string(b, s, strlen(s));
	else
		buf_puts(b, "null");
}

static void
resource(struct buf *b, const struct resource *r)
{
	size_t j;

	buf_puts(b, "{\"kind\":");
	str(b, plan_kindname(r->kind));
	buf_puts(b, ",\"name\":");
	str(b, r->name);
	buf_puts(b, ",\"key\":");
	str(b, r->key);
	buf_printf(b, ",\"level\":%u,\"external\":%s", r->level,
	    r->external ? "true" : "false");
	if (r->kind == RES_CONTAINER) {
		buf_printf(b, ",\"replica\":%u,\"image\":", r->number);
		str(b, r->image);
		buf_puts(b, ",\"config_hash\":");
		str(b, r->hash);
		if (!r->hash) {
			/* sha256 of parts[0] ID(ids[0]) parts[1] ... */
			buf_puts(b, ",\"config_hash_parts\":[");
			for (j = 0; j <= r->nhashrefs; j++) {
				buf_puts(b, j ? "," : "");
				str(b, r->hashparts[j]);
			}
			buf_puts(b, "],\"config_hash_ids_of\":[");
			for (j = 0; j < r->nhashrefs; j++) {
				buf_puts(b, j ? "," : "");
				str(b, r->hashrefs[j]);
			}
			buf_putc(b, ']');
		}
		buf_puts(b, ",\"pull_policy\":");
		str(b, r->pullpolicy);
		buf_puts(b, ",\"entrypoint\":");
		backend_jsonlist(b, &r->entrypoint);
		buf_puts(b, ",\"command\":");
		backend_jsonlist(b, &r->command);
		buf_puts(b, ",\"healthtest\":");
		backend_jsonlist(b, &r->healthtest);
	}
	buf_puts(b, ",\"settings\":[");
	for (j = 0; j < r->nset; j++) {
		buf_puts(b, j ? ",[" : "[");
		str(b, r->set[j].key);
		buf_putc(b, ',');
		str(b, r->set[j].value);
		buf_putc(b, ']');
	}
	buf_puts(b, "],\"copies\":[");
	for (j = 0; j < r->ncopies; j++) {
		buf_puts(b, j ? ",{\"target\":" : "{\"target\":");
		str(b, r->copies[j].target);
		buf_printf(b, ",\"mode\":%u,\"uid\":", r->copies[j].mode);
		str(b, r->copies[j].uid);
		buf_puts(b, ",\"gid\":");
		str(b, r->copies[j].gid);
		buf_puts(b, ",\"content\":");
		str(b, r->copies[j].content);
		buf_puts(b, ",\"from_environment\":");
		str(b, r->copies[j].env);
		buf_putc(b, '}');
	}
	buf_puts(b, "],\"deps\":[");
	for (j = 0; j < r->ndeps; j++) {
		buf_puts(b, j ? ",{\"kind\":" : "{\"kind\":");
		str(b, plan_kindname(r->deps[j].to->kind));
		buf_puts(b, ",\"name\":");
		str(b, r->deps[j].to->name);
		buf_puts(b, ",\"condition\":");
		str(b, plan_condname(r->deps[j].cond));
		buf_printf(b, ",\"required\":%s,\"restart\":%s}",
		    r->deps[j].required ? "true" : "false",
		    r->deps[j].restart ? "true" : "false");
	}
	buf_puts(b, "]}");
}

static void
emit(const struct plan *p, struct buf *b)
{
	size_t i;

	buf_puts(b, "{\"c2sh\":");
	str(b, C2SH_VERSION);
	buf_puts(b, ",\"project\":");
	str(b, p->project);
	buf_puts(b, ",\"working_dir\":");
	str(b, p->workdir);
	buf_puts(b, ",\"files\":[");
	for (i = 0; i < p->nfiles; i++) {
		if (i)
			buf_putc(b, ',');
		str(b, p->files[i]);
	}
	buf_printf(b, "],\"levels\":%u,\"resources\":[\n", p->nres ?
	    p->nlevels : 0);
	/* one resource per line, so a change is a small diff */
	for (i = 0; i < p->nres; i++) {
		resource(b, p->res[i]);
		buf_puts(b, i + 1 < p->nres ? ",\n" : "\n");
	}
	buf_puts(b, "],\"scaled_to_zero\":[");
	for (i = 0; i < p->nnoreplicas; i++) {
		buf_puts(b, i ? "," : "");
		str(b, p->noreplicas[i]);
	}
	buf_puts(b, "],\"disabled\":[");
	for (i = 0; i < p->ndisabled; i++) {
		buf_puts(b, i ? "," : "");
		str(b, p->disabled[i]);
	}
	buf_puts(b, "],\"ignored\":[");
	for (i = 0; i < p->nignored; i++) {
		buf_puts(b, i ? ",{\"path\":" : "{\"path\":");
		str(b, p->ignored[i].path);
		buf_puts(b, ",\"note\":");
		str(b, p->ignored[i].note);
		buf_putc(b, '}');
	}
	buf_puts(b, "]}\n");
}

const struct backend json_backend = {
	.name = "json", .what = "the plan as JSON, for programs", .emit = emit,
};

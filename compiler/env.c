/* env.c: the project environment, and reading .env files into it. */
#include "env.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "dotenv.h"
#include "interp.h"
#include "node.h"
#include "project.h"
#include "util.h"

void
env_init(struct env *e, struct arena *a)
{
	memset(e, 0, sizeof(*e));
	e->a = a;
	e->warn = 1;
}

/* index of key, or of where it would go (*found tells which) */
static size_t
search(const struct env *e, const char *key, int *found)
{
	size_t lo = 0, hi = e->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(e->v[mid].key, key);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

const char *
env_get(const struct env *e, const char *key)
{
	int found;
	size_t i = search(e, key, &found);

	return found ? e->v[i].value : NULL;
}

static void
put(struct env *e, const char *key, const char *value, int replace)
{
	int found;
	size_t i = search(e, key, &found);

	if (found) {
		if (replace)
			e->v[i].value = arena_strdup(e->a, value);
		return;
	}
	e->v = arena_grow(e->a, e->v, e->n, &e->cap, sizeof(*e->v));
	memmove(&e->v[i + 1], &e->v[i], (e->n - i) * sizeof(*e->v));
	e->v[i].key = arena_strdup(e->a, key);
	e->v[i].value = arena_strdup(e->a, value);
	e->n++;
}

void
env_set(struct env *e, const char *key, const char *value)
{
	put(e, key, value, 1);
}

void
env_setdefault(struct env *e, const char *key, const char *value)
{
	put(e, key, value, 0);
}

void
env_addlist(struct env *e, char *const *list)
{
	const char *eq;

	for (; list && *list; list++) {
		eq = strchr(*list, '=');
		if (!eq)
			continue;
		env_set(e, arena_strndup(e->a, *list, (size_t)(eq - *list)),
		    eq + 1);
	}
}

static const char *
lookup(void *ctx, const char *name)
{
	return env_get(ctx, name);
}

void
env_interp(struct env *e, struct interp_env *ie)
{
	ie->lookup = lookup;
	ie->unset = NULL;
	ie->ctx = e;
}

struct fileload {
	const struct env *shell;
	struct env *dst;
};

/* inside env files: the shell first, then what the files defined */
static const char *
filelookup(void *ctx, const char *name)
{
	struct fileload *fl = ctx;
	const char *v = env_get(fl->shell, name);

	return v ? v : env_get(fl->dst, name);
}

static void
fileset(void *ctx, const char *key, const char *value)
{
	struct fileload *fl = ctx;

	env_set(fl->dst, key, value);
}

int
env_loadfile(struct env *dst, const struct env *shell, const char *path,
    const char *display)
{
	struct fileload fl = { shell, dst };
	struct interp_env ie = { filelookup, NULL, &fl };
	struct dotenv_sink sink = { fileset, &fl };
	struct buf err = BUF_INIT;
	size_t len;
	unsigned line = 0, file;
	char *text;
	int rc = 0;

	text = project_readfile(dst->a, path, &len);
	if (!text) {
		diag(DIAG_ERROR, (struct loc){ 0 }, "cannot read env file "
		    "'%s'", display);
		return -1;
	}
	file = diag_addfile(arena_strdup(dst->a, display), text, len);
	if (dotenv_parse(dst->a, text, len, &ie, &sink, &err, &line) < 0) {
		diag(DIAG_ERROR, (struct loc){ file, line, 1, 1 }, "%s",
		    buf_str(&err));
		rc = -1;
	}
	buf_release(&err);
	return rc;
}

/*
 * project.c: from the command line's files and options to the model,
 * following compose-go's loader: discovery, .env, the project name, then
 * load -> interpolate -> decode -> merge -> normalize.
 */
#include "project.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "env.h"
#include "expand.h"
#include "load.h"
#include "model.h"
#include "node.h"
#include "util.h"
#include "volume.h"

static const char *const mainnames[] = {
	"compose.yaml", "compose.yml", "docker-compose.yml",
	"docker-compose.yaml",
};
static const char *const overridenames[] = {
	"compose.override.yml", "compose.override.yaml",
	"docker-compose.override.yml", "docker-compose.override.yaml",
};

char *
project_readfile(struct arena *a, const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	struct stat st;
	char *text = NULL;
	size_t cap = 0, n = 0, got;
	int err;

	if (!f)
		return NULL;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		errno = EISDIR;
		return NULL;
	}
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 16384;
			text = xrealloc(text, cap);
		}
		got = fread(text + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0 || n > PROJECT_MAX_FILE)
			break;
	}
	err = ferror(f) ? errno : n > PROJECT_MAX_FILE ? EFBIG : 0;
	if (f != stdin)
		fclose(f);
	if (err) {
		free(text);
		errno = err;
		return NULL;
	}
	*len = n;
	/* copy into the arena so the text lives as long as the compilation */
	{
		char *p = arena_alloc(a, n + 1);

		memcpy(p, text, n);
		p[n] = '\0';
		free(text);
		return p;
	}
}

char *
project_normalize_name(struct arena *a, const char *s)
{
	char *out = arena_alloc(a, strlen(s) + 1), *p = out;

	for (; *s; s++) {
		char c = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '_' || c == '-') {
			if (p == out && (c == '_' || c == '-'))
				continue;
			*p++ = c;
		}
	}
	*p = '\0';
	return out;
}

static const char *
cwd(struct arena *a)
{
	char buf[PATH_MAX];

	if (!getcwd(buf, sizeof(buf)))
		fatal("getcwd:");
	return arena_strdup(a, buf);
}

static const char *
absolute(struct arena *a, const char *base, const char *p)
{
	if (strcmp(p, "-") == 0)
		return p;
	if (p[0] != '/')
		p = arena_printf(a, "%s/%s", base, p);
	return volume_clean_path(a, p);
}

static const char *
dirname_of(struct arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return ".";
	if (slash == path)
		return "/";
	return arena_strndup(a, path, (size_t)(slash - path));
}

static int
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static int
isdir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The first of names that exists in dir, warning when several do. */
static const char *
findin(struct arena *a, const char *dir, const char *const *names, size_t n,
    const char *what)
{
	const char *found = NULL, *p;
	size_t i;

	for (i = 0; i < n; i++) {
		p = arena_printf(a, "%s/%s", dir, names[i]);
		if (!exists(p))
			continue;
		if (!found)
			found = p;
		else
			diag(DIAG_WARNING, (struct loc){ 0 }, "found several %s "
			    "files (%s and %s); using %s", what, found, p,
			    found);
	}
	return found;
}

struct frontend {
	struct arena *a;
	const struct options *opt;
	struct model *m;
	struct env *env;	/* the project environment */
	const char **files;	/* absolute paths, "-" for stdin */
	const char **shown;	/* names for messages */
	size_t nfiles, capfiles;
};

static void
addfile(struct frontend *fe, const char *abs, const char *shown)
{
	size_t cap = fe->capfiles;

	fe->files = arena_grow(fe->a, fe->files, fe->nfiles, &cap,
	    sizeof(*fe->files));
	fe->shown = arena_grow(fe->a, fe->shown, fe->nfiles, &fe->capfiles,
	    sizeof(*fe->shown));
	fe->files[fe->nfiles] = abs;
	fe->shown[fe->nfiles++] = shown;
}

/* .env of dir, or the --env-file list; values never replace the shell's */
static void
dotenv(struct frontend *fe, const char *dir)
{
	const struct options *o = fe->opt;
	struct env files;
	const char *p, *dis;
	size_t i;

	env_init(&files, fe->a);
	if (o->nenvfiles) {
		for (i = 0; i < o->nenvfiles; i++) {
			p = absolute(fe->a, cwd(fe->a), o->envfiles[i]);
			if (!exists(p)) {
				diag(DIAG_ERROR, (struct loc){ 0 }, "couldn't "
				    "find env file: %s", p);
				continue;
			}
			if (isdir(p)) {
				diag(DIAG_ERROR, (struct loc){ 0 }, "%s is a "
				    "directory", p);
				continue;
			}
			env_loadfile(&files, fe->env, p, o->envfiles[i]);
		}
	} else {
		dis = env_get(fe->env, "COMPOSE_DISABLE_ENV_FILE");
		if (dis && (!strcmp(dis, "1") || !strcmp(dis, "true") ||
		    !strcmp(dis, "TRUE") || !strcmp(dis, "True") ||
		    !strcmp(dis, "t") || !strcmp(dis, "T")))
			return;
		p = arena_printf(fe->a, "%s/.env", dir);
		if (!exists(p) || isdir(p))
			return;
		env_loadfile(&files, fe->env, p, strcmp(dir, cwd(fe->a)) == 0 ?
		    ".env" : p);
	}
	for (i = 0; i < files.n; i++)
		env_setdefault(fe->env, files.v[i].key, files.v[i].value);
}

static void
findfiles(struct frontend *fe)
{
	const struct options *o = fe->opt;
	const char *here = cwd(fe->a), *dir, *f, *sep, *list, *p, *end;
	size_t i;

	for (i = 0; i < o->nfiles; i++)
		addfile(fe, absolute(fe->a, here, o->files[i]), o->files[i]);
	if (fe->nfiles)
		return;
	list = env_get(fe->env, "COMPOSE_FILE");
	if (list && *list) {
		sep = env_get(fe->env, "COMPOSE_PATH_SEPARATOR");
		if (!sep || !*sep)
			sep = ":";
		for (p = list; p; p = *end ? end + strlen(sep) : NULL) {
			end = strstr(p, sep);
			if (!end)
				end = p + strlen(p);
			f = arena_strndup(fe->a, p, (size_t)(end - p));
			if (!*f)
				continue;
			if (strcmp(f, "-") && !exists(absolute(fe->a, here, f)))
				diag(DIAG_ERROR, (struct loc){ 0 }, "COMPOSE_"
				    "FILE names '%s', which does not exist", f);
			addfile(fe, absolute(fe->a, here, f), f);
		}
		return;
	}
	dir = o->project_dir ? absolute(fe->a, here, o->project_dir) : here;
	for (;;) {
		f = findin(fe->a, dir, mainnames, countof(mainnames),
		    "compose");
		if (f) {
			addfile(fe, f, strcmp(dir, here) == 0 ?
			    strrchr(f, '/') + 1 : f);
			f = findin(fe->a, dir, overridenames,
			    countof(overridenames), "override");
			if (f)
				addfile(fe, f, strcmp(dir, here) == 0 ?
				    strrchr(f, '/') + 1 : f);
			return;
		}
		if (strcmp(dir, "/") == 0)
			break;
		dir = dirname_of(fe->a, dir);
	}
	diag(DIAG_ERROR, (struct loc){ 0 }, "no configuration file provided: "
	    "no compose.yaml, compose.yml, docker-compose.yml or "
	    "docker-compose.yaml here or in a parent directory");
}

static const char *
workdir(struct frontend *fe)
{
	size_t i;

	if (fe->opt->project_dir)
		return absolute(fe->a, cwd(fe->a), fe->opt->project_dir);
	for (i = 0; i < fe->nfiles; i++)
		if (strcmp(fe->files[i], "-"))
			return dirname_of(fe->a, fe->files[i]);
	return cwd(fe->a);
}

static int
strictname(const char *name, const char *what)
{
	struct arena a = ARENA_INIT;
	int ok = *name && strcmp(project_normalize_name(&a, name), name) == 0;

	arena_release(&a);
	if (!ok)
		diag(DIAG_ERROR, (struct loc){ 0 }, "invalid project name "
		    "\"%s\" (from %s): must consist only of lowercase "
		    "alphanumeric characters, hyphens, and underscores as well "
		    "as start with a letter or number", name, what);
	return ok;
}

/* -p, COMPOSE_PROJECT_NAME, the last top-level name:, the directory */
static const char *
projectname(struct frontend *fe, struct node ***docs, size_t *ndocs)
{
	const char *v;
	struct node *name = NULL, *n;
	size_t i, j;

	if (fe->opt->project_name && *fe->opt->project_name) {
		v = fe->opt->project_name;
		return strictname(v, "-p") ? v : NULL;
	}
	v = env_get(fe->env, "COMPOSE_PROJECT_NAME");
	if (v && *v)
		return strictname(v, "COMPOSE_PROJECT_NAME") ? v : NULL;
	for (i = 0; i < fe->nfiles; i++)
		for (j = 0; j < ndocs[i]; j++)
			if (docs[i][j] && (n = node_get(docs[i][j], "name")))
				name = n;
	if (name) {
		if (expand_tree(fe->a, name, fe->env, "name"))
			return NULL;
		if (name->kind != NODE_STR) {
			diag(DIAG_ERROR, name->loc, "name: must be a string, "
			    "not a %s", node_kindname(name->kind));
			return NULL;
		}
		v = project_normalize_name(fe->a, name->text);
		if (!*v) {
			diag(DIAG_ERROR, name->loc, "name: project name must "
			    "not be empty");
			return NULL;
		}
		return v;
	}
	v = project_normalize_name(fe->a, strrchr(fe->m->workdir, '/') + 1);
	if (!*v) {
		diag(DIAG_ERROR, (struct loc){ 0 }, "project name must not be "
		    "empty: the directory '%s' gives none; use -p NAME",
		    fe->m->workdir);
		return NULL;
	}
	return v;
}

static const char **
activeprofiles(struct frontend *fe)
{
	const struct options *o = fe->opt;
	const char **v, *list, *p, *c;
	size_t n = 0, i;

	if (o->nprofiles) {
		v = arena_alloc(fe->a, (o->nprofiles + 1) * sizeof(*v));
		for (i = 0; i < o->nprofiles; i++)
			v[n++] = o->profiles[i];
		return v;
	}
	list = env_get(fe->env, "COMPOSE_PROFILES");
	if (!list)
		return NULL;
	v = arena_alloc(fe->a, (strlen(list) + 2) * sizeof(*v));
	for (p = list; p; p = c ? c + 1 : NULL) {
		size_t len;

		c = strchr(p, ',');
		len = c ? (size_t)(c - p) : strlen(p);
		while (len && (*p == ' ' || *p == '\t'))
			p++, len--;
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len)
			v[n++] = arena_strndup(fe->a, p, len);
	}
	return v;
}

struct model *
project_load(struct arena *a, const struct options *o)
{
	struct frontend fe = { 0 };
	struct model *m = arena_alloc(a, sizeof(*m));
	struct node ***docs, *root = NULL, *doc;
	size_t *ndocs, i, j, len;
	const char *pre, *text;
	unsigned id;
	int fatal, anyfatal = 0;
	unsigned firstid = 0;

	fe.a = a;
	fe.opt = o;
	fe.m = m;
	fe.env = arena_alloc(a, sizeof(*fe.env));
	env_init(fe.env, a);
	env_addlist(fe.env, o->environ);
	env_setdefault(fe.env, "PWD", cwd(a));
	m->env = fe.env;
	m->probe = o->probe;
	/* .env may name COMPOSE_FILE, so it is read before discovery */
	pre = o->project_dir ? absolute(a, cwd(a), o->project_dir) :
	    o->nfiles && strcmp(o->files[0], "-") ?
	    dirname_of(a, absolute(a, cwd(a), o->files[0])) : cwd(a);
	dotenv(&fe, pre);
	findfiles(&fe);
	if (diag_errors())
		return NULL;
	m->workdir = workdir(&fe);
	if (strcmp(m->workdir, pre) && !o->nenvfiles)
		dotenv(&fe, m->workdir);
	m->files = fe.files;
	m->nfiles = fe.nfiles;
	m->envfiles = o->envfiles;
	m->nenvfiles = o->nenvfiles;

	docs = arena_alloc(a, fe.nfiles * sizeof(*docs));
	ndocs = arena_alloc(a, fe.nfiles * sizeof(*ndocs));
	for (i = 0; i < fe.nfiles; i++) {
		text = project_readfile(a, fe.files[i], &len);
		if (!text) {
			diag(DIAG_ERROR, (struct loc){ 0 }, "cannot read '%s': "
			    "%s", fe.shown[i], strerror(errno));
			continue;
		}
		if (memchr(text, '\0', len)) {
			id = diag_addfile(fe.shown[i], text, len);
			diag(DIAG_ERROR, (struct loc){ id, 0, 0, 0 }, "not a "
			    "compose file: it contains NUL bytes");
			continue;
		}
		id = diag_addfile(fe.shown[i], text, len);
		if (!firstid)
			firstid = id;
		load_yaml(a, id, &docs[i], &ndocs[i], &fatal);
		anyfatal |= fatal;
		if (!ndocs[i] && !fatal && fe.nfiles == 1)
			diag(DIAG_ERROR, (struct loc){ id, 1, 1, 0 }, "empty "
			    "compose file");
	}
	/* after errors that leave the trees whole (duplicate keys, unknown
	 * anchors), keep checking: the user sees every problem at once */
	if (anyfatal || !m->nfiles)
		return NULL;
	m->project = projectname(&fe, docs, ndocs);
	if (!m->project)
		m->project = "invalid";	/* reported; checking goes on */
	env_set(fe.env, "COMPOSE_PROJECT_NAME", m->project);

	for (i = 0; i < fe.nfiles; i++) {
		for (j = 0; j < ndocs[i]; j++) {
			if (!docs[i][j])
				continue;
			doc = model_load_document(a, m, docs[i][j],
			    fe.files[i]);
			if (doc && node_get(doc, "version") &&
			    !(node_get(doc, "version")->flags & NODE_BAD))
				diag(DIAG_WARNING, node_getpair(doc,
				    "version")->key->loc, "the attribute "
				    "'version' is obsolete and ignored; remove "
				    "it");
			if (doc)
				root = model_merge(a, root, doc);
			/* Compose validates the files merged so far after
			 * each one: a null is an error unless an earlier
			 * file set the key */
			if (root)
				model_nulls(m, root);
		}
	}
	if (!root) {
		if (!diag_errors())
			diag(DIAG_ERROR, (struct loc){ firstid, 1, 1, 0 },
			    "empty compose file");
		return NULL;
	}
	model_finish(a, m, root, activeprofiles(&fe));
	return diag_errors() ? NULL : m;
}

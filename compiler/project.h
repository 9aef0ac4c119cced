/*
 * project.h: what the command line names (files, project name and
 * directory, env files, profiles), and the front end that turns it into a
 * model: discovery, the project environment, the project name, then the
 * stages load -> interpolate -> decode -> merge -> normalize.
 */
#ifndef C2SH_PROJECT_H
#define C2SH_PROJECT_H

#include <stddef.h>

struct arena;
struct model;

struct options {
	const char **files;	/* -f and positional files, "-" is stdin */
	size_t nfiles;
	const char *project_name;	/* -p, or NULL */
	const char *project_dir;	/* --project-directory, or NULL */
	const char **envfiles;	/* --env-file */
	size_t nenvfiles;
	const char **profiles;	/* --profile */
	size_t nprofiles;
	char *const *environ;	/* the process environment */
	int probe;		/* -t config: see struct model */
};

/* The whole front end.  Reports every problem with diag(); returns the
 * model, or NULL when there were errors. */
struct model *project_load(struct arena *, const struct options *);

/* The contents of path ("-" is stdin) with a NUL after them, or NULL with
 * errno set.  A directory is an error (EISDIR), and so is a file longer
 * than PROJECT_MAX_FILE (EFBIG): /dev/zero or a runaway generator must not
 * take all the memory; the tree costs about ten times the text. */
enum { PROJECT_MAX_FILE = 64 << 20 };
char *project_readfile(struct arena *, const char *path, size_t *len);

/* Compose's project name normalization: lower case, [a-z0-9_-] only,
 * no leading '_' or '-' (arena string) */
char *project_normalize_name(struct arena *, const char *);

#endif

/*
 * env.h: the project environment: the process environment, then .env or
 * --env-file values that do not override it, then COMPOSE_PROJECT_NAME.
 * Interpolation and value-less environment entries read it.
 */
#ifndef C2SH_ENV_H
#define C2SH_ENV_H

#include <stddef.h>

struct arena;
struct interp_env;

struct envvar {
	const char *key, *value;
};

struct env {
	struct arena *a;
	struct envvar *v;	/* kept sorted by key */
	size_t n, cap;
	int warn;		/* warn about unset variables */
};

void env_init(struct env *, struct arena *);
const char *env_get(const struct env *, const char *key);
/* set, replacing any value */
void env_set(struct env *, const char *key, const char *value);
/* set only when the key is absent */
void env_setdefault(struct env *, const char *key, const char *value);
/* add "K=V" strings (environ(7)) */
void env_addlist(struct env *, char *const *list);
/* an interpolation environment that reads e (no unset callback) */
void env_interp(struct env *, struct interp_env *);

/* Read the dotenv file at path into dst (later values replace earlier
 * ones); ${...} inside it sees shell first, then dst.  display names the
 * file in messages.  Returns 0, or -1 after an error. */
int env_loadfile(struct env *dst, const struct env *shell, const char *path,
    const char *display);

#endif

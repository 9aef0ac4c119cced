/*
 * dockerargs.h: the plan's resources as `docker` command arguments,
 * written once for every backend.  Arguments are plain, unquoted strings;
 * each backend quotes them for its medium.
 */
#ifndef C2SH_DOCKERARGS_H
#define C2SH_DOCKERARGS_H

#include <stddef.h>

struct arena;
struct resource;

/* The longest single argument (or environment entry) Linux passes to a
 * program: MAX_ARG_STRLEN, 32 pages, holds the terminating NUL. */
enum { ARG_LEN_MAX = 32 * 4096 - 1 };
/* What one program may receive in all, arguments and environment (their
 * bytes, NULs and pointers): a quarter of the stack limit, 2 MiB with
 * Linux's default 8 MiB.  c2sh keeps 32 KiB of it for the environment of
 * the shell that runs docker. */
enum { ARGS_TOTAL_MAX = 2 * 1024 * 1024 - 32 * 1024 };

struct args {
	struct arena *a;
	const char **v;
	unsigned char *isopt;	/* v[i] is an option name c2sh wrote */
	size_t n, cap;
};

void args_init(struct args *, struct arena *);
void args_push(struct args *, const char *);
/* an option name (a c2sh constant such as "--label", never user data) */
void args_opt(struct args *, const char *);

/* how many networks r is connected to after create (its "connect"
 * settings): the size of dockerargs_connects' out */
size_t dockerargs_nconnects(const struct resource *r);
/* after "docker create": options, image, command.  The label
 * com.docker.compose.image (the image's ID) is known only at deploy time,
 * so the backend adds it.  Without these flags, what deploy.sh's runtime
 * writes itself (a replacement's temporary name, the hash it may take at
 * deploy time, the anonymous volumes a replacement inherits) is left out. */
enum {
	DA_NAME = 1 << 0,	/* --name */
	DA_HASH = 1 << 1,	/* the label com.docker.compose.config-hash */
	DA_ANON = 1 << 2,	/* the --mount of each anonymous volume */
	DA_ALL = DA_NAME | DA_HASH | DA_ANON,
};
void dockerargs_create(struct args *, const struct resource *ctr,
    unsigned flags);
/* `entrypoint: []` without a command keeps the image's CMD in Compose,
 * but `docker create --entrypoint ''` drops it: the backend must append
 * the image's CMD, known only at deploy time */
int dockerargs_keepcmd(const struct resource *ctr);
/* after "docker network connect", one list per extra network, each
 * ending in the word ctr (the container: its name, or what the medium
 * holds its ID in); returns how many were written into out[0..max) */
size_t dockerargs_connects(struct args *out, size_t max,
    const struct resource *ctr, const char *word);
/* after "docker network create" / "docker volume create" */
void dockerargs_network(struct args *, const struct resource *net);
void dockerargs_volume(struct args *, const struct resource *vol);
/* after "docker build"; *stdin_text is the Dockerfile to pipe in when the
 * build has dockerfile_inline (else NULL) */
void dockerargs_build(struct args *, const struct resource *bld,
    const char **stdin_text);

#endif

/*
 * lifecycle.h: the project's data as deploy.sh and the Makefile hand it
 * to the runtime (backends/runtime.sh), written once for both.
 */
#ifndef C2SH_LIFECYCLE_H
#define C2SH_LIFECYCLE_H

#include <stddef.h>

#include "backend.h"

struct arena;
struct buf;
struct plan;
struct resource;

struct svcmap;

/* how a medium writes shell text */
struct medium {
	void (*quote)(struct buf *, const char *);	/* one word */
	const char *brk;	/* goes on to the next line, one command */
	const char *end;	/* ends a statement and its line */
	const char *open;	/* after the { that opens a function */
	const char *dollar;	/* a runtime variable's $ */
};

/* create_rN, post_rN, anon_rN and mounted_rN of a container replica */
void lifecycle_replica(struct buf *, struct arena *, const struct resource *,
    const struct medium *);
/* the converge call of a service, whose replicas are rep[0..n) */
void lifecycle_converge(struct buf *, const struct resource *const *rep,
    size_t n, const struct medium *);
/* wait_for, one per service the replica waits for */
void lifecycle_waits(struct buf *, const struct resource *,
    const struct medium *);

/* deploy.sh's medium: the shell itself */
extern const struct medium lifecycle_sh;

/* need_envs(): need_env VAR SERVICE for each variable a secret or config
 * of a service is read from (with wanted: of the services selected) */
void lifecycle_needenvs(struct buf *, const struct svcmap *, int wanted);

/* the pull_policy of the service a build is for (NULL: missing) */
const char *lifecycle_buildpolicy(const struct plan *,
    const struct resource *bld);

/* the words of every service the file declares: with containers, scaled
 * to 0, or disabled by the profiles (none of them is an orphan) */
void lifecycle_allservices(struct buf *, const struct plan *,
    const struct svcmap *, const struct medium *);

/* The plan's services in order of first appearance in p->res, and the
 * containers of each. */
struct svcmap {
	size_t ns;		/* services */
	const char **name;	/* [ns] */
	size_t *start;		/* [ns+1]: members of j are member[start[j]..start[j+1]) */
	size_t *member;		/* positions in p->res, ascending per service */
	const struct resource **rep;	/* the same, as resources */
	unsigned char *first;	/* [nres]: the first container of its service */
	size_t *of;		/* [nres], by idx: a container's service */
};
void svcmap(struct svcmap *, const struct plan *, struct arena *);

/* the runtime's text, line by line up to a null pointer
 * (build/gen/runtime.c, from backends/runtime.sh) */
extern const char *const runtime_sh[];

#endif

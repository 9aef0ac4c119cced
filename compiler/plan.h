/*
 * plan.h: the plan, what every backend reads and nothing else: the
 * resources a deployment creates, with their final Docker names and
 * settings, and the dependency graph between them, ordered into levels
 * whose members can be started in parallel.  Frozen after plan_levels().
 */
#ifndef C2SH_PLAN_H
#define C2SH_PLAN_H

#include <stddef.h>

#include "diag.h"

struct arena;

enum res_kind {
	RES_NETWORK,
	RES_VOLUME,
	RES_BUILD,		/* an image built from a build: section */
	RES_CONTAINER,
};

enum dep_cond {
	DEP_EXISTS,		/* a network, volume or image it needs */
	DEP_STARTED,		/* service_started */
	DEP_HEALTHY,		/* service_healthy */
	DEP_COMPLETED,		/* service_completed_successfully */
};

struct resource;

/* a list of strings that may be absent (set == 0) or present but empty */
struct strlist {
	const char **v;
	size_t n;
	int set;
};

/* a file written into a container before it starts (secrets and configs
 * given as content or environment) */
struct filecopy {
	const char *target;	/* absolute path in the container */
	const char *content;	/* a config's content, or NULL: */
	const char *env;	/* the variable whose value it is, read when
				 * deploying (never by c2sh) */
	unsigned mode;		/* 0444 unless set */
	const char *uid, *gid;	/* NULL: root */
};

/* an anonymous volume of a container: on a recreate, the replacement
 * takes the old container's volume at target instead (Compose's inherit) */
struct anonvol {
	const char *target;
	const char *mount;	/* the --mount value of a new one */
};

struct dep {
	struct resource *to;
	enum dep_cond cond;
	int required;		/* depends_on.required */
	int restart;		/* depends_on.restart */
	struct loc loc;		/* the depends_on entry, for cycle reports */
};

/* One setting: a `docker create` (or network/volume create, build)
 * option name without dashes, and its value as it reaches Docker. */
struct setting {
	const char *key;
	const char *value;
};

struct resource {
	enum res_kind kind;
	const char *name;	/* Docker name: "proj-web-1", "proj_default" */
	const char *key;	/* compose key: service, network or volume */
	unsigned number;	/* containers: the replica number */
	int external;		/* networks, volumes: never created */
	struct loc loc;		/* where declared; file 0 if synthesized */
	struct setting *set;	/* in the order they are passed */
	size_t nset, capset;
	const char *image;	/* containers and builds: the image */
	struct strlist command;	/* containers: the arguments after the image */
	struct strlist entrypoint;	/* containers: replaces the image's */
	struct strlist healthtest;	/* containers: the engine's test, CMD... */
	struct filecopy *copies;	/* containers: files to copy in */
	size_t ncopies, capcopies;
	const char *hash;	/* containers: com.docker.compose.config-hash,
				 * or NULL when it is taken at deploy time */
	/* containers sharing another's namespace or volumes: Compose hashes
	 * the service with the other's container ID, known only at deploy
	 * time.  The hash is SHA-256 of hashparts[0] ID(hashref[0])
	 * hashparts[1] ... hashparts[nhashrefs]: the JSON in parts, and the
	 * containers whose IDs go between them. */
	const char **hashparts;
	const char **hashrefs;
	size_t nhashrefs;
	struct anonvol *anon;	/* containers: anonymous volumes */
	size_t nanon, capanon;
	const char **mounted;	/* containers: targets of its other mounts */
	size_t nmounted, capmounted;
	const char *pullpolicy;	/* containers: pull_policy, NULL: missing */
	struct dep *deps;
	size_t ndeps, capdeps;
	unsigned level;		/* set by plan_levels(); 0 starts first */
	size_t idx;		/* position in declaration order */
};

struct ignored {
	const char *path, *note;
	struct loc loc;
};

struct plan {
	struct arena *mem;	/* owns everything reachable from here */
	const char *project;
	const char *workdir;
	const char **files;	/* the compose files, as given */
	size_t nfiles;
	struct resource **res;	/* by level after plan_levels() */
	size_t nres, capres;
	unsigned nlevels;	/* 0 until plan_levels() has run */
	/* services with no container in the plan: scaled to 0 (up removes
	 * their containers), and those profiles disable (Compose does not
	 * call their containers orphans) */
	const char **noreplicas, **disabled;
	size_t nnoreplicas, ndisabled;
	struct ignored *ignored;	/* keys that change nothing */
	size_t nignored;
	const char *cmdline;	/* the command that regenerates the output */
	const char **warnings;	/* things a reviewer must know */
	size_t nwarnings, capwarnings;
};

struct resource *plan_add(struct plan *, enum res_kind, const char *name,
    const char *key, struct loc);
void plan_set(struct plan *, struct resource *, const char *key,
    const char *value);
void plan_dep(struct plan *, struct resource *from, struct resource *to,
    enum dep_cond, struct loc);
struct resource *plan_find(const struct plan *, enum res_kind,
    const char *name);
/* Order the resources into levels (stable: declaration order within a
 * level).  A cycle is an error that names it; returns the error count. */
unsigned plan_levels(struct plan *);

/* a container whose image this plan builds (so it is never pulled) */
int plan_hasbuild(const struct resource *);

const char *plan_kindname(enum res_kind);
const char *plan_condname(enum dep_cond);

#endif

/*
 * model.h: stage 4, the typed compose model.  Each file is decoded
 * against the schema (schema.h) into canonical long form, the files are
 * merged, and the result is normalized and checked as Compose does:
 * names, defaults, implicit dependencies, environment, paths, profiles.
 */
#ifndef C2SH_MODEL_H
#define C2SH_MODEL_H

#include <stddef.h>

#include "diag.h"

struct arena;
struct env;
struct node;

struct service {
	const char *name;
	struct node *def;	/* canonical mapping (schema_service) */
	struct loc loc;		/* its key in the first file that has it */
	int enabled;		/* selected by profiles */
	unsigned scale;		/* replicas */
};

/* a top-level network, volume, secret or config */
struct resdef {
	const char *key;
	const char *name;	/* the Docker name */
	struct node *def;	/* canonical mapping */
	struct loc loc;
	int external;
	int used;		/* referenced by an enabled service */
	int synth;		/* the implicit default network */
};

struct resdefs {
	struct resdef *v;
	size_t n;
	int bad;		/* the section itself had errors */
};

/* a compose key that was accepted but changes nothing */
struct ledger_entry {
	const char *path;	/* services.web.deploy.placement */
	const char *note;	/* why */
	struct loc loc;
};

struct model {
	const char *project;
	const char *workdir;	/* absolute project directory */
	const char **files;	/* absolute compose file paths ("-" for stdin) */
	size_t nfiles;
	const char **envfiles;	/* --env-file values as given */
	size_t nenvfiles;
	struct service *services;	/* in the order of the first file */
	size_t nservices;
	struct service **byname;	/* the same, sorted by name */
	size_t nbyname;
	struct resdefs networks, volumes, secrets, configs;
	struct ledger_entry *ledger;
	size_t nledger, capledger;
	struct env *env;	/* the project environment */
	struct node *root;	/* the merged canonical project */
	int probe;		/* loaded for -t config: what Compose loads is
				 * accepted even where c2sh cannot deploy it */
	struct nullnote {	/* the message of each NODE_NULLTYPE node,
				 * indexed by the node's v.u */
		const char *msg;
	} *nulls;
	size_t nnulls, capnulls;
};

/* Decode one interpolated YAML document into canonical form (model arena).
 * Reports every problem; returns NULL only for a document with nothing
 * usable.  Ignored keys are added to m's ledger. */
struct node *model_decode(struct arena *, struct model *m, struct node *doc);

/* Merge the canonical document over into base (both canonical; base may
 * be NULL).  Returns the merged document. */
struct node *model_merge(struct arena *, struct node *base,
    struct node *over);

/* Record in the plan's ledger that path changes nothing, and why (once
 * per path). */
void model_ledger(struct model *, struct arena *, const char *path,
    const char *note, struct loc);

/* Report the nulls left where a value is wanted in the files merged so
 * far (Compose validates them after each file: a null over a value
 * changes nothing, a null alone is the wrong type).  They become
 * NODE_BAD. */
void model_nulls(struct model *m, struct node *root);

/* Merge one canonical service over a copy of another (extends). */
struct node *model_merge_service(struct arena *, struct node *base,
    struct node *over);

/* Resolve `extends` in the services of one decoded document of file
 * (absolute path, or "-").  Bases from other files are read, interpolated
 * with env and decoded here; their relative paths are made absolute
 * against their own directory.  Returns the error count. */
unsigned model_extends(struct arena *, struct model *m, struct node *doc,
    const char *file);

/* One interpolated-to-be YAML document of file (absolute, or "-"): its
 * top-level include loaded (include.c), interpolated with m's
 * environment, decoded, the included resources added, extends resolved.
 * Returns the canonical document, or NULL. */
struct node *model_load_document(struct arena *, struct model *m,
    struct node *raw, const char *file);

/* Make the relative paths of a canonical service absolute against dir
 * (build context, bind sources, env_file, label_file). */
void model_rebase_service(struct arena *, struct node *svc, const char *dir);

/* Normalize and check the merged document into m.  profiles: the active
 * profiles (NULL-terminated; "*" enables all).  Returns the error count. */
unsigned model_finish(struct arena *, struct model *m, struct node *root,
    const char *const *profiles);

/* lookups in canonical nodes */
const char *model_str(const struct node *map, const char *key);
int model_bool(const struct node *map, const char *key);
struct service *model_service(const struct model *, const char *name);
struct resdef *model_resdef(const struct resdefs *, const char *key);

#endif

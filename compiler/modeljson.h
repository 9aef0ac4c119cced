/*
 * modeljson.h: a canonical model node as compose-go's Go structs marshal
 * to JSON (field order, omitempty, custom encodings), walking the schema
 * tables.  The config hash is the SHA-256 of a service in this form.
 */
#ifndef C2SH_MODELJSON_H
#define C2SH_MODELJSON_H

struct buf;
struct node;
struct shape;

enum {
	MJ_HASH = 1 << 0,	/* leave out FF_NOHASH fields */
	MJ_DOLLAR = 1 << 1,	/* string values with $ written $$, as
				 * `docker compose config` prints them */
	MJ_YAML = 1 << 2,	/* the YAML tags: YAML names, unset fields and
				 * empty FF_NOOMIT structs left out, x- keys
				 * kept */
};

void modeljson(struct buf *, const struct shape *, const struct node *,
    unsigned flags);

/* com.docker.compose.config-hash of a canonical service (64 hex + NUL) */
void modeljson_hash(const struct node *service, char out[65]);

#endif

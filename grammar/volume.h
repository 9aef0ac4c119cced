/* volume.h: the short syntax of service volumes ("./data:/data:ro"). */
#ifndef C2SH_VOLUME_H
#define C2SH_VOLUME_H

#include <stddef.h>

struct arena;
struct buf;

enum volume_kind { VOLUME_ANON, VOLUME_NAMED, VOLUME_BIND };

struct volume_spec {
	enum volume_kind kind;
	const char *source;	/* NULL for VOLUME_ANON; as written */
	const char *target;	/* cleaned like Go's path.Clean */
	int read_only;		/* "ro" (a later "rw" clears it) */
	const char *selinux;	/* "z", "Z" or NULL */
	const char *propagation; /* rprivate, private, rshared... or NULL */
	int nocopy;		/* "nocopy" */
};

/*
 * Parse a short volume spec as compose-go's format.ParseVolume does:
 * SOURCE:TARGET[:OPTIONS] or TARGET, unknown options ignored.  Strings
 * live in the arena.  Returns 0, or -1 with compose's message in err
 * ("invalid spec: X: too many colons") and *erroff the byte offset in
 * spec of the offending part.  Windows paths are not resolved further.
 */
int volume_parse(struct arena *, const char *spec, struct volume_spec *out,
    struct buf *err, size_t *erroff);
/* Go's path.Clean: the shortest lexically equivalent slash path */
char *volume_clean_path(struct arena *, const char *path);

#endif

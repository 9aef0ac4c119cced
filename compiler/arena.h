/*
 * arena.h: bump allocation by lifetime.  Nothing is freed on its own;
 * arena_release() frees every block at once.
 */
#ifndef C2SH_ARENA_H
#define C2SH_ARENA_H

#include <stddef.h>

struct arenablock;

struct arena {
	struct arenablock *head;	/* newest block, or NULL */
	size_t blocksize;		/* 0 picks the default */
	/* bytes interpolation has produced here: an arena is one
	 * compilation, and interp_expand() bounds what one may expand */
	size_t expanded;
};

#define ARENA_INIT { NULL, 0, 0 }

/* zeroed storage for n bytes, aligned for any type; never returns NULL */
void *arena_alloc(struct arena *, size_t n);
/* a copy of s[0..n) with a terminating NUL */
char *arena_strndup(struct arena *, const char *s, size_t n);
char *arena_strdup(struct arena *, const char *s);
char *arena_printf(struct arena *, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* grow an arena array of *cap elements of size sz to hold n+1 */
void *arena_grow(struct arena *, void *p, size_t n, size_t *cap, size_t sz);
/* free every block at once; the arena can be used again */
void arena_release(struct arena *);

#endif

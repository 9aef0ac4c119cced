/* arena.c: bump allocator in malloc'd blocks. */
#include "arena.h"

#include <stdarg.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct arenablock {
	struct arenablock *next;
	size_t used, size;
	alignas(max_align_t) unsigned char data[];
};

enum { ARENA_DEFAULT = 64 * 1024 };

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arenablock *b = a->head;
	size_t align = alignof(max_align_t);
	size_t size;
	void *p;

	n = (n + align - 1) & ~(align - 1);
	if (!b || b->size - b->used < n) {
		size = a->blocksize ? a->blocksize : ARENA_DEFAULT;
		if (size < n)
			size = n;
		b = xmalloc(sizeof(*b) + size);
		b->used = 0;
		b->size = size;
		/* a big one-off block goes second so the current one keeps serving */
		if (a->head && n > ARENA_DEFAULT / 4) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	p = b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatal("vsnprintf:");
	p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void *
arena_grow(struct arena *a, void *p, size_t n, size_t *cap, size_t sz)
{
	void *q;

	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 8;
	q = arena_alloc(a, *cap * sz);
	if (n)
		memcpy(q, p, n * sz);
	return q;
}

void
arena_release(struct arena *a)
{
	struct arenablock *b, *next;

	for (b = a->head; b; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
	a->expanded = 0;
}

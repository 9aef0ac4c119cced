/*
 * expand.h: stage 2, interpolation of every string value (never keys) of
 * a document, from the project environment, with the ${...} language of
 * grammar/interp.h.
 */
#ifndef C2SH_EXPAND_H
#define C2SH_EXPAND_H

struct arena;
struct env;
struct node;

/* Interpolate every string scalar under n in place; path is the key path
 * of n ("" at the top).  Reports errors and unset-variable warnings with
 * positions; returns the number of errors. */
unsigned expand_tree(struct arena *, struct node *n, struct env *,
    const char *path);

#endif

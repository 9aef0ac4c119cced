/*
 * load.h: stage 1, YAML text to node trees.  Anchors and aliases are
 * expanded (bounded, so an alias bomb is an error, not an exhaustion),
 * merge keys applied, duplicate keys reported, !reset and !override
 * recorded as flags, scalars typed by YAML 1.2 rules.
 */
#ifndef C2SH_LOAD_H
#define C2SH_LOAD_H

#include <stddef.h>

struct arena;
struct node;

enum {
	/* nodes copied by aliases per document: compose-go stops at 100000
	 * node visits (loader/reset.go), and a tree ten times that size
	 * took seconds in every later stage (found by fuzz/compile.c) */
	LOAD_MAX_ALIASED = 100000,
	LOAD_MAX_DEPTH = 500,		/* nesting of collections */
};

/* Parse the registered file `file` (diag_addfile) into one tree per YAML
 * document.  Every problem is reported with diag(); returns the number of
 * errors.  *docs is an arena array of *ndocs roots (a NULL root for an
 * empty document).  *fatal is set when the trees are incomplete (a syntax
 * error, a limit); otherwise, after errors such as duplicate keys, the
 * trees are whole and later stages can still check them. */
unsigned load_yaml(struct arena *, unsigned file, struct node ***docs,
    size_t *ndocs, int *fatal);

#endif

/* helpers.h: shared set-up for unit tests of the front end. */
#ifndef C2SH_TEST_HELPERS_H
#define C2SH_TEST_HELPERS_H

#include <stddef.h>
#include <stdio.h>

struct arena;
struct node;

/* Diagnostics go to a memory stream; diag_text() returns what was printed. */
void diag_capture(void);
const char *diag_text(void);
void diag_capture_end(void);

/* Load YAML text as file "t.yaml"; returns the first document's root. */
struct node *load_text(struct arena *, const char *text);

#endif

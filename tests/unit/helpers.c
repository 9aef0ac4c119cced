/* helpers.c: diagnostics captured in memory, YAML loaded from a string. */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "load.h"
#include "node.h"

static FILE *mem;
static char *text;
static size_t len;

void
diag_capture(void)
{
	diag_release();
	free(text);
	text = NULL;
	mem = open_memstream(&text, &len);
	diag_init(mem);
}

const char *
diag_text(void)
{
	fflush(mem);
	return text ? text : "";
}

void
diag_capture_end(void)
{
	fclose(mem);
	free(text);
	text = NULL;
	diag_init(stderr);
	diag_release();
}

struct node *
load_text(struct arena *a, const char *src)
{
	struct node **docs;
	size_t ndocs;
	int incomplete;
	unsigned f = diag_addfile("t.yaml", arena_strdup(a, src), strlen(src));

	load_yaml(a, f, &docs, &ndocs, &incomplete);
	return ndocs ? docs[0] : NULL;
}

/* make.c: the plan as a GNU Makefile (issue 6; being written). */
#include "backend.h"

#include "buf.h"
#include "plan.h"

static void
emit(const struct plan *p, struct buf *b)
{
	backend_header(b, p, "# ");
	buf_puts(b, "$(error the make backend is not written yet)\n");
}

const struct backend make_backend = {
	"make", "a Makefile that deploys with make -j", emit,
};

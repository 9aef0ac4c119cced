/*
 * compile.c: fuzz the whole compiler, YAML bytes -> project_load ->
 * lower -> plan_levels -> every backend, and -t config in both formats,
 * as main.c runs them (the model is loaded twice: -t config loads it as
 * the probe that accepts what Compose loads).
 *
 * The input is the compose file "-": fd 0 is a memory file holding it,
 * so it reaches the loader through the same project_readfile() as a
 * real file, without a file on disk per input.  The project directory
 * does not exist, so no .env and no relative include, extends or
 * env_file can be found; the environment is fuzz_environ.
 */
#define _GNU_SOURCE	/* memfd_create */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arena.h"
#include "backend.h"
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "fuzz.h"
#include "lower.h"
#include "plan.h"
#include "project.h"
#include "util.h"

static const struct backend *const backends[] = {
	&sh_backend, &plan_backend, &json_backend, &make_backend,
	&systemd_backend,
};

static FILE *devnull;

/* fd 0 becomes a memory file holding data, read from its start */
static void
setstdin(const uint8_t *data, size_t size)
{
	static int fd = -1;

	if (fd < 0) {
		fd = memfd_create("c2sh-fuzz", 0);
		if (fd < 0 || dup2(fd, 0) < 0)
			fatal("memfd:");
		devnull = fopen("/dev/null", "w");
		if (!devnull)
			fatal("/dev/null:");
	}
	if (ftruncate(0, 0) != 0 ||
	    (size && pwrite(0, data, size, 0) != (ssize_t)size) ||
	    fseek(stdin, 0, SEEK_SET) != 0)
		fatal("memfd:");
}

static struct model *
load(struct arena *a, int probe)
{
	static const char *files[] = { "-" };
	struct options o = { 0 };

	o.files = files;
	o.nfiles = 1;
	o.project_dir = "/nonexistent/c2sh-fuzz";
	o.environ = (char *const *)fuzz_environ;	/* only read */
	o.probe = probe;
	diag_init(devnull);
	return project_load(a, &o);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT;
	struct buf out = BUF_INIT;
	struct model *m;
	struct plan *p = NULL;
	size_t i;

	setstdin(data, size);
	m = load(&a, 1);
	if (m && !diag_errors()) {
		config_emit(m, CONFIG_YAML, &out);
		config_emit(m, CONFIG_JSON, &out);
	}
	diag_release();

	setstdin(data, size);
	m = load(&a, 0);
	if (m && !diag_errors())
		p = lower(&a, m);
	if (p && !diag_errors())
		plan_levels(p);
	if (p && !diag_errors()) {
		p->cmdline = "c2sh -";
		for (i = 0; i < countof(backends); i++) {
			buf_reset(&out);
			backends[i]->emit(p, &out);
		}
	}
	diag_release();
	buf_release(&out);
	arena_release(&a);
	return 0;
}

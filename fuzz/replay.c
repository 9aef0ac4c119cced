/*
 * replay.c: a main() for a fuzz target without libFuzzer.  Feeds each
 * file named on the command line to LLVMFuzzerTestOneInput once, so that
 * the seeds and the regression inputs run in the ordinary (ASan+UBSan)
 * test build; a sanitizer report or a crash fails the run.
 */
#include <stdio.h>
#include <stdlib.h>

#include "arena.h"
#include "fuzz.h"
#include "project.h"

int
main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		struct arena a = ARENA_INIT;
		size_t len;
		char *text = project_readfile(&a, argv[i], &len);

		if (!text) {
			perror(argv[i]);
			return 2;
		}
		LLVMFuzzerTestOneInput((const uint8_t *)text, len);
		arena_release(&a);
	}
	printf("replayed %d input%s\n", argc - 1, argc == 2 ? "" : "s");
	return 0;
}

/*
 * fuzz.h: what the libFuzzer targets in fuzz/ share.  Each target defines
 * LLVMFuzzerTestOneInput, allocates only from an arena it releases before
 * returning (so LeakSanitizer hears of any leak in c2sh itself), and reads
 * nothing from the process environment or the working directory.
 */
#ifndef C2SH_FUZZ_H
#define C2SH_FUZZ_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct interp_env;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the input as an arena string: the parsers take C strings, so it ends
 * at the first NUL */
char *fuzz_string(struct arena *, const uint8_t *data, size_t size);

/* the fixed environment of every target, "K=V" strings then NULL: set,
 * empty and unset variables, and names that look like operators */
extern const char *const fuzz_environ[];

/* an interpolation environment that reads fuzz_environ and counts the
 * unset variables it is told of */
extern const struct interp_env fuzz_interp_env;

#endif

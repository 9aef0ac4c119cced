/*
 * diag.h: every message about the input goes through here.  Each input
 * file is registered with its text so that a message can show the line
 * and a caret under the column:
 *
 *	compose.yaml:14:9: error: services.web.ports[0]: invalid port "80:x"
 *	   14 |       - 80:x
 *	      |         ^~~~
 */
#ifndef C2SH_DIAG_H
#define C2SH_DIAG_H

#include <stddef.h>
#include <stdio.h>

/* A place in an input file: 1-based line and column; columns count bytes. */
struct loc {
	unsigned file;		/* from diag_addfile(); 0 means no file */
	unsigned line, col;
	unsigned len;		/* bytes to underline; 0 or 1 draws one caret */
};

enum diag_level { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

enum { DIAG_MAX_ERRORS = 20 };

/* send messages to out (stderr unless a test says otherwise); resets counts */
void diag_init(FILE *out);
/* with quiet set, warnings and notes are counted but not printed */
void diag_quiet(int quiet);
/* register an input file; text is not copied and must outlive diag */
unsigned diag_addfile(const char *name, const char *text, size_t len);
const char *diag_filename(unsigned file);
/* the registered text of a file, for loaders that need it again */
const char *diag_filetext(unsigned file, size_t *len);
void diag(enum diag_level, struct loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_v(enum diag_level, struct loc, const char *fmt, va_list)
	__attribute__((format(printf, 3, 0)));
unsigned diag_errors(void);
unsigned diag_warnings(void);
/* a location n bytes further along the same line */
struct loc loc_advance(struct loc, size_t n, size_t len);
/* forget every registered file (for tests and at exit) */
void diag_release(void);

#endif

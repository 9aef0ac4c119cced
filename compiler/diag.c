/* diag.c: positioned diagnostics with the source line and a caret. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct srcfile {
	const char *name;
	const char *text;
	size_t len;
};

static FILE *diagout;
static int quiet;
static unsigned nerrors, nwarnings;
static int toomany;
static struct srcfile *files;	/* files[0] is the "no file" slot */
static size_t nfiles, capfiles;

static const char *const levelname[] = {
	[DIAG_NOTE] = "note",
	[DIAG_WARNING] = "warning",
	[DIAG_ERROR] = "error",
};

void
diag_init(FILE *out)
{
	diagout = out;
	nerrors = nwarnings = 0;
	toomany = 0;
}

void
diag_quiet(int q)
{
	quiet = q;
}

unsigned
diag_addfile(const char *name, const char *text, size_t len)
{
	if (nfiles == 0)
		nfiles = 1;
	if (nfiles >= capfiles) {
		capfiles = capfiles ? capfiles * 2 : 8;
		files = xrealloc(files, capfiles * sizeof(*files));
	}
	files[nfiles].name = name;
	files[nfiles].text = text;
	files[nfiles].len = len;
	return (unsigned)nfiles++;
}

const char *
diag_filename(unsigned file)
{
	return file && file < nfiles ? files[file].name : NULL;
}

const char *
diag_filetext(unsigned file, size_t *len)
{
	if (!file || file >= nfiles) {
		*len = 0;
		return NULL;
	}
	*len = files[file].len;
	return files[file].text;
}

void
diag_release(void)
{
	free(files);
	files = NULL;
	nfiles = capfiles = 0;
}

struct loc
loc_advance(struct loc l, size_t n, size_t len)
{
	l.col += (unsigned)n;
	l.len = (unsigned)len;
	return l;
}

enum { SHOW_WIDTH = 100 };	/* bytes of a long line shown around the column */

/* Print the source line of l and a caret line under its columns; a long
 * line is cut to a window around the column. */
static void
showline(FILE *f, struct loc l)
{
	const struct srcfile *sf = &files[l.file];
	const char *p = sf->text, *end = sf->text + sf->len, *eol, *from, *to;
	unsigned line = 1, n, i;
	int width = 5;
	char num[16];

	while (line < l.line && p < end) {
		p = memchr(p, '\n', (size_t)(end - p));
		if (!p)
			return;
		p++;
		line++;
	}
	if (line != l.line || p > end)
		return;
	eol = memchr(p, '\n', (size_t)(end - p));
	if (!eol)
		eol = end;
	if (eol > p && eol[-1] == '\r')
		eol--;
	from = p;
	if (l.col > SHOW_WIDTH / 2 && (size_t)(eol - p) > SHOW_WIDTH)
		from = p + l.col - 1 - SHOW_WIDTH / 2;
	if (from > eol)
		from = eol;
	to = (size_t)(eol - from) > SHOW_WIDTH ? from + SHOW_WIDTH : eol;
	n = (unsigned)snprintf(num, sizeof(num), "%u", l.line);
	if ((int)n > width)
		width = (int)n;
	fprintf(f, "%*u | %s", width, l.line, from > p ? "..." : "");
	for (i = 0; from + i < to; i++)
		fputc(from[i] == '\0' ? ' ' : from[i], f);
	fprintf(f, "%s\n%*s | %s", to < eol ? "..." : "", width, "",
	    from > p ? "   " : "");
	for (i = 0; from + i < p + l.col - 1 && from + i < to; i++)
		fputc(from[i] == '\t' ? '\t' : ' ', f);
	fputc('^', f);
	/* underline at most to the end of what is shown */
	n = l.len > 1 ? l.len - 1 : 0;
	for (i = 0; i < n && p + l.col + i - 1 < to - 1; i++)
		fputc('~', f);
	fputc('\n', f);
}

void
diag_v(enum diag_level level, struct loc l, const char *fmt, va_list ap)
{
	FILE *f = diagout ? diagout : stderr;
	const char *name = diag_filename(l.file);

	if (level == DIAG_ERROR)
		nerrors++;
	else if (level == DIAG_WARNING)
		nwarnings++;
	if (toomany || (quiet && level != DIAG_ERROR))
		return;
	if (level == DIAG_ERROR && nerrors > DIAG_MAX_ERRORS) {
		fputs("c2sh: too many errors, stopping here\n", f);
		toomany = 1;
		return;
	}
	if (name && l.line)
		fprintf(f, "%s:%u:%u: ", name, l.line, l.col);
	else if (name)
		fprintf(f, "%s: ", name);
	else
		fputs("c2sh: ", f);
	fprintf(f, "%s: ", levelname[level]);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
	if (name && l.line)
		showline(f, l);
}

void
diag(enum diag_level level, struct loc l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_v(level, l, fmt, ap);
	va_end(ap);
}

unsigned
diag_errors(void)
{
	return nerrors;
}

unsigned
diag_warnings(void)
{
	return nwarnings;
}

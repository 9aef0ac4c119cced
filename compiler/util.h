/* util.h: allocation that never fails, fatal errors, broken invariants. */
#ifndef C2SH_UTIL_H
#define C2SH_UTIL_H

#include <stddef.h>

#define countof(a) (sizeof(a) / sizeof((a)[0]))

/* malloc/realloc/strdup that exit with a message instead of returning NULL */
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* print "c2sh: MSG" (": strerror" when fmt ends in ':') and exit 1 */
_Noreturn void fatal(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* a defect in c2sh: print where and abort */
#define BUG(...) bug(__FILE__, __LINE__, __VA_ARGS__)
_Noreturn void bug(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif

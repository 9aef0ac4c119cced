/*
 * duration.re: durations as str2duration (a copy of Go's
 * time.ParseDuration with days and weeks) reads them, and Go's
 * Duration.String().  re2c splits the text into numbers and units.
 */
#include "duration.h"

#include <string.h>

#include "buf.h"

/*!re2c
re2c:define:YYCTYPE = "unsigned char";
re2c:define:YYCURSOR = cur;
re2c:define:YYLIMIT = lim;
re2c:define:YYMARKER = mar;
re2c:yyfill:enable = 0;
re2c:eof = 0;
*/

enum {
	NS = 1,
	US = 1000 * NS,
	MS = 1000 * US,
};
#define DURATION_S	((int64_t)1000000000)

/* nanoseconds in the unit that is exactly s[0..n), or 0 */
static int64_t
unit(const char *s, size_t n)
{
	const char *cur = s, *lim = s + n, *mar;
	int64_t u;

	/*!re2c
	"ns"			{ u = NS; goto done; }
	"us" | "\xc2\xb5s" | "\xce\xbcs"	{ u = US; goto done; }
	"ms"			{ u = MS; goto done; }
	"s"			{ u = DURATION_S; goto done; }
	"m"			{ u = 60 * DURATION_S; goto done; }
	"h"			{ u = 3600 * DURATION_S; goto done; }
	"d"			{ u = 86400 * DURATION_S; goto done; }
	"w"			{ u = 7 * 86400 * DURATION_S; goto done; }
	$			{ return 0; }
	*			{ return 0; }
	*/
done:
	return cur == lim ? u : 0;
}

static int
invalid(struct buf *err, const char *s)
{
	buf_printf(err, "time: invalid duration \"%s\"", s);
	return -1;
}

int
duration_parse(const char *s, int64_t *ns, struct buf *err)
{
	const char *cur = s, *lim = s + strlen(s), *tok, *p;
	int64_t d = 0, v, f, u;
	double scale;
	int neg = 0, pre, post, overflow;

	if (*cur == '-' || *cur == '+')
		neg = *cur++ == '-';
	if (!strcmp(cur, "0")) {
		*ns = 0;
		return 0;
	}
	if (cur == lim)
		return invalid(err, s);
	while (cur < lim) {
		v = f = 0;
		scale = 1;
		pre = post = overflow = 0;
		tok = cur;
		/*!re2c
		([0-9]+ ("." [0-9]*)? | "." [0-9]*) [^0-9.\x00]* {
			goto number;
		}
		$	{ return invalid(err, s); }
		*	{ return invalid(err, s); }
		*/
number:
		/* leading digits; overflow is an error */
		for (p = tok; *p >= '0' && *p <= '9'; p++) {
			if (v > INT64_MAX / 10 ||
			    v * 10 > INT64_MAX - (*p - '0'))
				return invalid(err, s);
			v = v * 10 + (*p - '0');
			pre = 1;
		}
		/* the fraction only loses precision when too long */
		if (*p == '.') {
			for (p++; *p >= '0' && *p <= '9'; p++) {
				post = 1;
				if (overflow)
					continue;
				if (f > INT64_MAX / 10 ||
				    f * 10 > INT64_MAX - (*p - '0')) {
					overflow = 1;
					continue;
				}
				f = f * 10 + (*p - '0');
				scale *= 10;
			}
		}
		if (!pre && !post)
			return invalid(err, s);
		if (p == cur) {
			buf_printf(err, "time: missing unit in duration \"%s\"",
			    s);
			return -1;
		}
		u = unit(p, (size_t)(cur - p));
		if (u == 0) {
			buf_puts(err, "time: unknown unit \"");
			buf_putn(err, p, (size_t)(cur - p));
			buf_printf(err, "\" in duration \"%s\"", s);
			return -1;
		}
		if (v > INT64_MAX / u)
			return invalid(err, s);
		v *= u;
		if (f > 0) {
			/* float64 as in Go: exact for fractions of hours */
			double add = (double)f * ((double)u / scale);

			if (add >= 9223372036854775808.0 ||
			    (int64_t)add > INT64_MAX - v)
				return invalid(err, s);
			v += (int64_t)add;
		}
		if (v > INT64_MAX - d)
			return invalid(err, s);
		d += v;
	}
	*ns = neg ? -d : d;
	return 0;
}

/* Go's fmtFrac: ".ddd" of v / 10^prec without trailing zeros */
static uint64_t
frac(char *buf, int *w, uint64_t v, int prec)
{
	int i, print = 0;
	unsigned digit;

	for (i = 0; i < prec; i++) {
		digit = (unsigned)(v % 10);
		print = print || digit != 0;
		if (print)
			buf[--*w] = (char)('0' + digit);
		v /= 10;
	}
	if (print)
		buf[--*w] = '.';
	return v;
}

static void
integer(char *buf, int *w, uint64_t v)
{
	if (v == 0) {
		buf[--*w] = '0';
		return;
	}
	while (v > 0) {
		buf[--*w] = (char)('0' + v % 10);
		v /= 10;
	}
}

void
duration_format(struct buf *b, int64_t ns)
{
	char buf[32];
	int w = sizeof(buf);
	uint64_t u = (uint64_t)ns;
	int prec;

	if (ns < 0)
		u = -u;
	/* written backwards from the end, as Go does */
	if (u < (uint64_t)DURATION_S) {
		buf[--w] = 's';
		if (u == 0) {
			buf_puts(b, "0s");
			return;
		} else if (u < US) {
			prec = 0;
			buf[--w] = 'n';
		} else if (u < MS) {
			prec = 3;
			buf[--w] = '\xb5';	/* U+00B5 micro sign */
			buf[--w] = '\xc2';
		} else {
			prec = 6;
			buf[--w] = 'm';
		}
		u = frac(buf, &w, u, prec);
		integer(buf, &w, u);
	} else {
		buf[--w] = 's';
		u = frac(buf, &w, u, 9);
		integer(buf, &w, u % 60);
		u /= 60;
		if (u > 0) {
			buf[--w] = 'm';
			integer(buf, &w, u % 60);
			u /= 60;
			/* hours are the largest unit: days vary in length */
			if (u > 0) {
				buf[--w] = 'h';
				integer(buf, &w, u);
			}
		}
	}
	if (ns < 0)
		buf[--w] = '-';
	buf_putn(b, buf + w, sizeof(buf) - (size_t)w);
}

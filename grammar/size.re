/*
 * size.re: byte sizes as compose-go reads them through go-units'
 * RAMInBytes.  re2c checks the number against the syntax of Go's
 * strconv.ParseFloat and classifies the suffix.
 */
#include "size.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/*!re2c
re2c:define:YYCTYPE = "unsigned char";
re2c:define:YYCURSOR = cur;
re2c:define:YYLIMIT = lim;
re2c:define:YYMARKER = mar;
re2c:yyfill:enable = 0;
re2c:eof = 0;

dec = [0-9];
hex = [0-9a-fA-F];
// Go allows '_' only between digits after a 0x prefix
hexrun = hex ("_"? hex)*;
decmant = dec+ ("." dec*)? | "." dec+;
hexmant = "_"? hexrun ("." hexrun?)? | "." hexrun;
decfloat = decmant ([eE] [+-]? dec+)?;
hexfloat = "0" [xX] hexmant [pP] [+-]? dec ("_"? dec)*;
*/

/* 1 if s is exactly [+-]digits */
static int
is_integer(const char *s)
{
	const char *cur = s, *lim = s + strlen(s);

	/*!re2c
	[+-]? dec+	{ return cur == lim; }
	$		{ return 0; }
	*		{ return 0; }
	*/
}

/* 1 if s is a number strconv.ParseFloat accepts */
static int
is_float(const char *s)
{
	const char *cur = s, *lim = s + strlen(s), *mar;

	/*!re2c
	[+-]? (decfloat | hexfloat)	{ return cur == lim; }
	$				{ return 0; }
	*				{ return 0; }
	*/
}

/* the multiplier for a suffix, or 0 if RAMInBytes rejects it */
static double
suffix(const char *s)
{
	const char *cur = s, *lim = s + strlen(s), *mar;
	double m;

	/*!re2c
	[bB]		{ m = 1; goto done; }
	[kK] ('b' | 'ib')?	{ m = 1024.0; goto done; }
	[mM] ('b' | 'ib')?	{ m = 1024.0 * 1024; goto done; }
	[gG] ('b' | 'ib')?	{ m = 1024.0 * 1024 * 1024; goto done; }
	[tT] ('b' | 'ib')?	{ m = 1099511627776.0; goto done; }
	[pP] ('b' | 'ib')?	{ m = 1125899906842624.0; goto done; }
	$		{ return 0; }
	*		{ return 0; }
	*/
done:
	return cur == lim ? m : 0;
}

static int
invalid_size(struct buf *err, const char *s)
{
	buf_printf(err, "invalid size: '%s'", s);
	return -1;
}

int
size_parse(const char *s, int64_t *bytes, struct buf *err)
{
	struct buf num = BUF_INIT;
	const char *sfx, *p;
	size_t sep, len = strlen(s), i;
	double v, mul;
	int neg, rc = -1;
	uint64_t u;

	if (is_integer(s)) {
		neg = *s == '-';
		u = 0;
		for (p = s + (*s == '-' || *s == '+'); *p; p++) {
			if (u > (UINT64_MAX - 9) / 10)
				return invalid_size(err, s);
			u = u * 10 + (uint64_t)(*p - '0');
		}
		if (u > (uint64_t)INT64_MAX + neg)
			return invalid_size(err, s);
		*bytes = neg ? (int64_t)(0 - u) : (int64_t)u;
		return 0;
	}

	/* the number ends at the last digit, dot or space */
	for (sep = len; sep > 0; sep--)
		if (strchr("0123456789. ", s[sep - 1]) && s[sep - 1] != '\0')
			break;
	if (sep == 0)
		return invalid_size(err, s);
	sfx = s + sep;
	buf_putn(&num, s, s[sep - 1] == ' ' ? sep - 1 : sep);
	if (!is_float(buf_str(&num))) {
		buf_printf(err, "strconv.ParseFloat: parsing \"%s\": invalid "
		    "syntax", buf_str(&num));
		goto out;
	}
	/* strtod reads 0x floats but not Go's digit separators */
	for (i = 0, len = 0; i < num.len; i++)
		if (num.data[i] != '_')
			num.data[len++] = num.data[i];
	num.data[num.len = len] = '\0';
	v = strtod(num.data, NULL);
	if (isinf(v)) {
		buf_printf(err, "strconv.ParseFloat: parsing \"%s\": value out "
		    "of range", buf_str(&num));
		goto out;
	}
	if (v < 0) {
		invalid_size(err, s);
		goto out;
	}
	if (*sfx) {
		mul = strlen(sfx) <= 3 ? suffix(sfx) : 0;
		if (mul == 0) {
			buf_puts(err, "invalid suffix: '");
			for (p = sfx; *p; p++)
				buf_putc(err, strlen(sfx) > 3 ? *p :
				    (char)tolower((unsigned char)*p));
			buf_putc(err, '\'');
			goto out;
		}
		v *= mul;
	}
	if (v >= 9223372036854775808.0) {
		invalid_size(err, s);
		goto out;
	}
	*bytes = (int64_t)v;
	rc = 0;
out:
	buf_release(&num);
	return rc;
}

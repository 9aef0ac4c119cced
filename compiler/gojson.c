/*
 * gojson.c: Go-compatible JSON strings and float formatting.  Shortest
 * round-trip digits come from the C library: the correctly rounded
 * %.*e at growing precision, checked by parsing it back.
 */
#include "gojson.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

/* decimal digits d[0..nd) meaning 0.d1d2... * 10^dp */
struct digits {
	char d[24];
	int nd;
	int dp;
};

static const char hexdigits[] = "0123456789abcdef";

/* length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid */
static size_t
utf8len(const unsigned char *s, size_t n, unsigned long *rune)
{
	unsigned long r;
	size_t len, i;

	if (s[0] < 0x80) {
		*rune = s[0];
		return 1;
	} else if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2, r = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3, r = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4, r = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		r = r << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and values past U+10FFFF */
	if ((len == 3 && r < 0x800) || (len == 4 && r < 0x10000) ||
	    (r >= 0xd800 && r <= 0xdfff) || r > 0x10ffff)
		return 0;
	*rune = r;
	return len;
}

void
gojson_string(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long rune;
	size_t i = 0, len;
	unsigned char c;

	buf_putc(b, '"');
	while (i < n) {
		c = p[i];
		if (c < 0x80) {
			switch (c) {
			case '"':
				buf_puts(b, "\\\"");
				break;
			case '\\':
				buf_puts(b, "\\\\");
				break;
			case '\n':
				buf_puts(b, "\\n");
				break;
			case '\r':
				buf_puts(b, "\\r");
				break;
			case '\t':
				buf_puts(b, "\\t");
				break;
			default:
				/* < > & too, for HTML safety, as Go does */
				if (c >= 0x20 && c != '<' && c != '>' &&
				    c != '&')
					buf_putc(b, (char)c);
				else
					buf_printf(b, "\\u00%c%c",
					    hexdigits[c >> 4],
					    hexdigits[c & 15]);
			}
			i++;
			continue;
		}
		len = utf8len(p + i, n - i, &rune);
		if (len == 0) {
			/* Go replaces each undecodable byte on its own */
			buf_puts(b, "\\ufffd");
			i++;
		} else if (rune == 0x2028 || rune == 0x2029) {
			buf_printf(b, "\\u202%c", hexdigits[rune & 15]);
			i += len;
		} else {
			buf_putn(b, s + i, len);
			i += len;
		}
	}
	buf_putc(b, '"');
}

/* does the decimal text t read back as v at the given width? */
static int
roundtrips(const char *t, double v, int is32)
{
	if (is32)
		return strtof(t, NULL) == (float)v;
	return strtod(t, NULL) == v;
}

/* render digits as d.ddde<exp> for strtod */
static void
scitext(char *t, size_t size, const char *d, int nd, int exp)
{
	snprintf(t, size, "%c.%.*se%d", d[0], nd - 1, d + 1, exp);
}

/* add delta (+1 or -1) to the last of nd digits; 0 if it leaves the range */
static int
bump(char *d, int nd, int *exp, int delta)
{
	int i;

	for (i = nd - 1; i >= 0; i--) {
		if (delta > 0 && d[i] < '9') {
			d[i]++;
			return 1;
		}
		if (delta < 0 && d[i] > '0') {
			d[i]--;
			if (i == 0 && d[0] == '0')
				return 0;
			return 1;
		}
		d[i] = delta > 0 ? '0' : '9';
	}
	if (delta < 0)
		return 0;
	/* 99..9 + 1 = 100..0: one more decade */
	d[0] = '1';
	(*exp)++;
	return 1;
}

/*
 * Shortest digits that read back as v (finite, > 0).  The correctly
 * rounded candidate of each length is tried first; near a power of two
 * the rounding interval is lopsided, so its neighbours are tried too.
 */
static void
shortest(struct digits *dg, double v, int is32)
{
	char t[64], cand[24];
	int prec, maxprec = is32 ? 9 : 17, exp, ce, delta;

	for (prec = 1; prec <= maxprec; prec++) {
		snprintf(t, sizeof(t), "%.*e", prec - 1, v);
		dg->d[0] = t[0];
		if (prec > 1)
			memcpy(dg->d + 1, t + 2, (size_t)prec - 1);
		exp = atoi(strchr(t, 'e') + 1);
		if (roundtrips(t, v, is32))
			goto found;
		for (delta = -1; delta <= 1; delta += 2) {
			memcpy(cand, dg->d, (size_t)prec);
			ce = exp;
			if (!bump(cand, prec, &ce, delta))
				continue;
			scitext(t, sizeof(t), cand, prec, ce);
			if (roundtrips(t, v, is32)) {
				memcpy(dg->d, cand, (size_t)prec);
				exp = ce;
				goto found;
			}
		}
	}
	prec = maxprec;	/* not reached: %.17e always round-trips */
found:
	while (prec > 1 && dg->d[prec - 1] == '0')
		prec--;
	dg->nd = prec;
	dg->dp = exp + 1;
}

/* %e layout: d[.ddd]e±XX with at least two exponent digits */
static void
fmt_e(struct buf *b, const struct digits *dg)
{
	int exp = dg->dp - 1;

	buf_putc(b, dg->d[0]);
	if (dg->nd > 1) {
		buf_putc(b, '.');
		buf_putn(b, dg->d + 1, (size_t)dg->nd - 1);
	}
	buf_printf(b, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
}

/* %f layout with exactly the digits needed */
static void
fmt_f(struct buf *b, const struct digits *dg)
{
	int i;

	if (dg->dp <= 0) {
		buf_puts(b, "0.");
		for (i = dg->dp; i < 0; i++)
			buf_putc(b, '0');
		buf_putn(b, dg->d, (size_t)dg->nd);
	} else if (dg->dp >= dg->nd) {
		buf_putn(b, dg->d, (size_t)dg->nd);
		for (i = dg->nd; i < dg->dp; i++)
			buf_putc(b, '0');
	} else {
		buf_putn(b, dg->d, (size_t)dg->dp);
		buf_putc(b, '.');
		buf_putn(b, dg->d + dg->dp, (size_t)(dg->nd - dg->dp));
	}
}

static void
jsonfloat(struct buf *b, double v, int is32)
{
	struct digits dg;
	double a;
	int expform;

	if (is32)
		v = (float)v;
	if (isnan(v) || isinf(v)) {
		buf_puts(b, "null");
		return;
	}
	if (signbit(v))
		buf_putc(b, '-');
	a = fabs(v);
	if (a == 0) {
		buf_putc(b, '0');
		return;
	}
	if (is32)
		expform = (float)a < 1e-6f || (float)a >= 1e21f;
	else
		expform = a < 1e-6 || a >= 1e21;
	shortest(&dg, a, is32);
	if (!expform) {
		fmt_f(b, &dg);
		return;
	}
	/* encoding/json shortens e-07 to e-7, but keeps e+21 */
	fmt_e(b, &dg);
	if (dg.dp - 1 < 0 && dg.dp - 1 > -10) {
		b->data[b->len - 2] = b->data[b->len - 1];
		b->data[--b->len] = '\0';
	}
}

void
gojson_float32(struct buf *b, double v)
{
	jsonfloat(b, v, 1);
}

void
gojson_float64(struct buf *b, double v)
{
	jsonfloat(b, v, 0);
}

void
gofmt_float(struct buf *b, double v)
{
	struct digits dg;
	int exp;

	if (isnan(v)) {
		buf_puts(b, "NaN");
		return;
	}
	if (isinf(v)) {
		buf_puts(b, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	if (signbit(v))
		buf_putc(b, '-');
	if (v == 0) {
		buf_putc(b, '0');
		return;
	}
	shortest(&dg, fabs(v), 0);
	exp = dg.dp - 1;
	if (exp < -4 || exp >= 6)
		fmt_e(b, &dg);
	else
		fmt_f(b, &dg);
}

/* ---- yaml.v3's key order ------------------------------------------- */

/* the code points of s (invalid bytes as themselves), in *n; free it */
static unsigned long *
codepoints(const char *s, size_t *n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long *v = xmalloc((strlen(s) + 1) * sizeof(*v)), c;
	size_t k = 0, len, i;

	while (*p) {
		len = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 :
		    (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 1;
		c = len == 1 ? *p : *p & (0x7f >> len);
		for (i = 1; i < len; i++) {
			if ((p[i] & 0xc0) != 0x80)
				break;
			c = c << 6 | (p[i] & 0x3f);
		}
		if (i < len) {
			c = *p;
			len = 1;
		}
		v[k++] = c;
		p += len;
	}
	*n = k;
	return v;
}

static int
ydigit(unsigned long c)
{
	return c >= '0' && c <= '9';
}

/* Go's unicode.IsLetter, for ASCII exactly; every other code point from
 * U+00C0 on is taken as a letter (keys are names: close enough) */
static int
yletter(unsigned long c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == 0xaa ||
	    c == 0xb5 || c == 0xba || (c >= 0xc0 && c != 0xd7 && c != 0xf7);
}

/* whether a sorts before b */
static int
yless(const unsigned long *a, size_t na, const unsigned long *b, size_t nb)
{
	uint64_t an, bn;
	size_t i, j, ai, bi;
	int digits = 0, al, bl;

	for (i = 0; i < na && i < nb; i++) {
		if (a[i] == b[i]) {
			digits = ydigit(a[i]);
			continue;
		}
		al = yletter(a[i]);
		bl = yletter(b[i]);
		if (al && bl)
			return a[i] < b[i];
		if (al || bl)
			return digits ? al : bl;
		/* two non-letters: the numbers their digit runs spell, a zero
		 * inside a number (a nonzero digit before it) counting */
		an = bn = 0;
		if (a[i] == '0' || b[i] == '0')
			for (j = i; j-- > 0 && ydigit(a[j]);)
				if (a[j] != '0') {
					an = bn = 1;
					break;
				}
		for (ai = i; ai < na && ydigit(a[ai]); ai++)
			an = an * 10 + (a[ai] - '0');
		for (bi = i; bi < nb && ydigit(b[bi]); bi++)
			bn = bn * 10 + (b[bi] - '0');
		if (an != bn)	/* Go compares int64s: wrap as it does */
			return (int64_t)an < (int64_t)bn;
		if (ai != bi)
			return ai < bi;
		return a[i] < b[i];
	}
	return na < nb;
}

int
goyaml_keycmp(const char *a, const char *b)
{
	size_t na, nb;
	unsigned long *x = codepoints(a, &na), *y = codepoints(b, &nb);
	int r = yless(x, na, y, nb) ? -1 : yless(y, nb, x, na) ? 1 : 0;

	free(x);
	free(y);
	return r;
}

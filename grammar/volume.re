/*
 * volume.re: the short volume syntax, as compose-go's format.ParseVolume
 * reads it.  re2c splits the spec into runes and recognises the options;
 * the fields are built the way ParseVolume builds them, rune by rune.
 */
#include "volume.h"

#include <string.h>

#include "arena.h"
#include "buf.h"

/*!re2c
re2c:define:YYCTYPE = "unsigned char";
re2c:define:YYCURSOR = cur;
re2c:define:YYLIMIT = lim;
re2c:define:YYMARKER = mar;
re2c:yyfill:enable = 0;
re2c:eof = 0;

// UTF-8 as Go decodes it: no overlong forms, surrogates or > U+10FFFF
tail = [\x80-\xbf];
rune2 = [\xc2-\xdf] tail;
rune3 = "\xe0" [\xa0-\xbf] tail | [\xe1-\xec\xee\xef] tail tail
	| "\xed" [\x80-\x9f] tail;
rune4 = "\xf0" [\x90-\xbf] tail tail | [\xf1-\xf3] tail tail tail
	| "\xf4" [\x80-\x8f] tail tail;
*/

enum volume_opt {
	OPT_UNKNOWN, OPT_RO, OPT_RW, OPT_NOCOPY, OPT_SELINUX, OPT_PROPAGATION
};

/* the field being collected, and what ParseVolume knows about it */
struct volume_field {
	struct buf text;
	size_t off;		/* where it starts in the spec */
	unsigned runes;		/* length in runes, as Go counts */
	int letter;		/* its first rune is a letter */
};

static enum volume_opt
option(const char *s)
{
	const char *cur = s, *lim = s + strlen(s), *mar;
	enum volume_opt o;

	/*!re2c
	"ro"		{ o = OPT_RO; goto done; }
	"rw"		{ o = OPT_RW; goto done; }
	"nocopy"	{ o = OPT_NOCOPY; goto done; }
	[zZ]		{ o = OPT_SELINUX; goto done; }
	"r"? ("private" | "shared" | "slave") {
		o = OPT_PROPAGATION;
		goto done;
	}
	$		{ return OPT_UNKNOWN; }
	*		{ return OPT_UNKNOWN; }
	*/
done:
	return cur == lim ? o : OPT_UNKNOWN;
}

static void
options(struct arena *a, const char *s, struct volume_spec *v)
{
	const char *opt;
	size_t n;

	for (;;) {
		n = strcspn(s, ",");
		opt = arena_strndup(a, s, n);
		switch (option(opt)) {
		case OPT_RO:
			v->read_only = 1;
			break;
		case OPT_RW:
			v->read_only = 0;
			break;
		case OPT_NOCOPY:
			v->nocopy = 1;
			break;
		case OPT_SELINUX:
			v->selinux = opt;
			break;
		case OPT_PROPAGATION:
			v->propagation = opt;
			break;
		case OPT_UNKNOWN:
			break;	/* compose ignores unknown options */
		}
		if (s[n] == '\0')
			break;
		s += n + 1;
	}
}

/* ParseVolume's populateFieldFromBuffer; last is the end of the spec */
static int
field_done(struct arena *a, struct volume_field *f, int last,
    struct volume_spec *v, struct buf *err, const char *spec)
{
	const char *s = buf_str(&f->text);

	if (f->text.len == 0) {
		buf_printf(err, "invalid spec: %s: empty section between "
		    "colons", spec);
		return -1;
	}
	if (!v->source && last) {
		v->target = arena_strdup(a, s);
	} else if (!v->source) {
		v->source = arena_strdup(a, s);
	} else if (!v->target) {
		v->target = arena_strdup(a, s);
	} else if (!last) {
		buf_printf(err, "invalid spec: %s: too many colons", spec);
		return -1;
	} else {
		options(a, s, v);
	}
	return 0;
}

static int
isletter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* a bind mount when the source looks like a path (format.isFilePath) */
static int
is_file_path(const char *s)
{
	if (s[0] == '.' || s[0] == '/' || s[0] == '~')
		return 1;
	if (s[0] == '\\' && s[1] == '\\')
		return 1;
	return isletter((unsigned char)s[0]) && s[1] == ':';
}

/* append one rune; an undecodable byte becomes U+FFFD, as in Go */
static void
field_add(struct volume_field *f, const char *p, size_t n, int bad,
    size_t off)
{
	if (f->runes == 0) {
		f->off = off;
		f->letter = !bad && n == 1 && isletter((unsigned char)*p);
	}
	if (bad)
		buf_puts(&f->text, "\xef\xbf\xbd");
	else
		buf_putn(&f->text, p, n);
	f->runes++;
}

int
volume_parse(struct arena *a, const char *spec, struct volume_spec *out,
    struct buf *err, size_t *erroff)
{
	const char *cur = spec, *lim = spec + strlen(spec), *mar, *tok;
	struct volume_field f = { BUF_INIT, 0, 0, 0 };
	int depth = 0, rc = 0;

	memset(out, 0, sizeof(*out));
	*erroff = 0;
	if (lim - spec == 0) {
		buf_puts(err, "invalid empty volume spec");
		return -1;
	}
	if (lim - spec <= 2) {
		out->kind = VOLUME_ANON;
		out->target = volume_clean_path(a, spec);
		return 0;
	}
	for (;;) {
		tok = cur;
		/*!re2c
		"${" {
			field_add(&f, tok, 1, 0, (size_t)(tok - spec));
			field_add(&f, tok + 1, 1, 0, (size_t)(tok - spec) + 1);
			depth++;
			continue;
		}
		"}" {
			field_add(&f, tok, 1, 0, (size_t)(tok - spec));
			if (depth > 0)
				depth--;
			continue;
		}
		":" {
			// C:\dir is a drive, not a separator; nor is ${a:-b}
			if ((f.runes == 1 && f.letter) || depth > 0) {
				field_add(&f, tok, 1, 0, (size_t)(tok - spec));
				continue;
			}
			if (field_done(a, &f, 0, out, err, spec) < 0) {
				*erroff = (size_t)(tok - spec);
				rc = -1;
				goto out;
			}
			buf_reset(&f.text);
			f.runes = 0;
			continue;
		}
		rune2 | rune3 | rune4 | [\x01-\x7f] {
			field_add(&f, tok, (size_t)(cur - tok), 0,
			    (size_t)(tok - spec));
			continue;
		}
		$ {
			// inside an unclosed ${ Go drops the last field
			if (depth == 0 && field_done(a, &f, 1, out, err,
			    spec) < 0) {
				*erroff = f.runes ? f.off :
				    (size_t)(tok - spec);
				rc = -1;
				goto out;
			}
			break;
		}
		* {
			field_add(&f, tok, 1, 1, (size_t)(tok - spec));
			continue;
		}
		*/
	}
	if (!out->source)
		out->kind = VOLUME_ANON;
	else if (is_file_path(out->source))
		out->kind = VOLUME_BIND;
	else
		out->kind = VOLUME_NAMED;
	if (!out->target)
		out->target = "";
	else
		out->target = volume_clean_path(a, out->target);
out:
	buf_release(&f.text);
	return rc;
}

char *
volume_clean_path(struct arena *a, const char *path)
{
	size_t n = strlen(path), r = 0, w = 0, dotdot = 0;
	int rooted = path[0] == '/';
	char *out;

	if (n == 0)
		return arena_strdup(a, ".");
	out = arena_alloc(a, n + 1);
	if (rooted) {
		out[w++] = '/';
		r = dotdot = 1;
	}
	while (r < n) {
		if (path[r] == '/') {
			r++;
		} else if (path[r] == '.' &&
		    (r + 1 == n || path[r + 1] == '/')) {
			r++;
		} else if (path[r] == '.' && path[r + 1] == '.' &&
		    (r + 2 == n || path[r + 2] == '/')) {
			r += 2;
			if (w > dotdot) {
				/* drop the last element written */
				w--;
				while (w > dotdot && out[w] != '/')
					w--;
			} else if (!rooted) {
				/* a leading .. of a relative path stays */
				if (w > 0)
					out[w++] = '/';
				out[w++] = '.';
				out[w++] = '.';
				dotdot = w;
			}
		} else {
			if ((rooted && w != 1) || (!rooted && w != 0))
				out[w++] = '/';
			while (r < n && path[r] != '/')
				out[w++] = path[r++];
		}
	}
	if (w == 0)
		return arena_strdup(a, ".");
	out[w] = '\0';
	return out;
}

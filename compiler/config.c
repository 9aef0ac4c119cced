/*
 * config.c: the model as `docker compose config` (2.26.1) prints it.
 *
 * The project is first rendered as compact JSON by modeljson (the same
 * schema walk as the config hash, with $ written $$ as compose does), then
 * read back into a small tree and printed: as indented JSON in the key
 * order compose's JSON has (the project sorted, services and nested
 * structs in Go field order, no newline at the end), or as block-style
 * YAML in the order of compose's YAML (project fields in Go order, x-
 * extensions kept).
 *
 * What is printed: the enabled services; the networks, volumes, secrets
 * and configs an enabled service uses (compose drops the others), with
 * their Docker names; the project's x- extensions.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "gojson.h"
#include "model.h"
#include "modeljson.h"
#include "node.h"
#include "schema.h"
#include "util.h"

/* ---- a JSON tree, read back from modeljson's output ---------------- */

enum jkind { J_OBJ, J_ARR, J_STR, J_LIT };

struct jnode {
	enum jkind kind;
	const char *tok;	/* J_STR: the quoted JSON text; J_LIT: the text */
	size_t toklen;
	char *str;		/* J_STR: the decoded value */
	char **keys;		/* J_OBJ: decoded keys */
	const char **rawkeys;	/* J_OBJ: the keys' quoted JSON text */
	struct jnode **kids;
	size_t n, cap;
};

struct reader {
	const char *p;
};

static void
ws(struct reader *r)
{
	while (*r->p == ' ' || *r->p == '\n' || *r->p == '\t' || *r->p == '\r')
		r->p++;
}

static void
utf8(struct buf *b, unsigned long c)
{
	if (c < 0x80) {
		buf_putc(b, (char)c);
	} else if (c < 0x800) {
		buf_putc(b, (char)(0xc0 | c >> 6));
		buf_putc(b, (char)(0x80 | (c & 0x3f)));
	} else if (c < 0x10000) {
		buf_putc(b, (char)(0xe0 | c >> 12));
		buf_putc(b, (char)(0x80 | (c >> 6 & 0x3f)));
		buf_putc(b, (char)(0x80 | (c & 0x3f)));
	} else {
		buf_putc(b, (char)(0xf0 | c >> 18));
		buf_putc(b, (char)(0x80 | (c >> 12 & 0x3f)));
		buf_putc(b, (char)(0x80 | (c >> 6 & 0x3f)));
		buf_putc(b, (char)(0x80 | (c & 0x3f)));
	}
}

/* a JSON string at r->p (on the quote): its decoded value */
static char *
jstring(struct reader *r)
{
	struct buf b = BUF_INIT;
	char *s;

	r->p++;
	while (*r->p && *r->p != '"') {
		if (*r->p != '\\') {
			buf_putc(&b, *r->p++);
			continue;
		}
		r->p++;
		switch (*r->p) {
		case 'n': buf_putc(&b, '\n'); break;
		case 'r': buf_putc(&b, '\r'); break;
		case 't': buf_putc(&b, '\t'); break;
		case 'b': buf_putc(&b, '\b'); break;
		case 'f': buf_putc(&b, '\f'); break;
		case 'u': {
			char hex[5] = { 0 };

			memcpy(hex, r->p + 1, 4);
			utf8(&b, strtoul(hex, NULL, 16));
			r->p += 4;
			break;
		}
		default: buf_putc(&b, *r->p); break;
		}
		if (*r->p)
			r->p++;
	}
	if (*r->p)
		r->p++;
	s = xstrdup(buf_str(&b));
	buf_release(&b);
	return s;
}

static void
jadd(struct jnode *o, struct jnode *kid)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 8;
		o->kids = xrealloc(o->kids, o->cap * sizeof(*o->kids));
		if (o->kind == J_OBJ) {
			o->keys = xrealloc(o->keys, o->cap * sizeof(*o->keys));
			o->rawkeys = xrealloc(o->rawkeys, o->cap *
			    sizeof(*o->rawkeys));
		}
	}
	o->kids[o->n++] = kid;
}

static struct jnode *
jparse(struct reader *r)
{
	struct jnode *j = xmalloc(sizeof(*j));
	const char *start;

	memset(j, 0, sizeof(*j));
	ws(r);
	start = r->p;
	if (*r->p == '{' || *r->p == '[') {
		char close = *r->p == '{' ? '}' : ']';

		j->kind = *r->p == '{' ? J_OBJ : J_ARR;
		r->p++;
		ws(r);
		while (*r->p && *r->p != close) {
			const char *k = NULL, *raw = r->p;
			char *key = NULL;

			if (j->kind == J_OBJ) {
				key = jstring(r);
				k = raw;
				ws(r);
				if (*r->p == ':')
					r->p++;
			}
			jadd(j, jparse(r));
			if (j->kind == J_OBJ) {
				j->keys[j->n - 1] = key;
				j->rawkeys[j->n - 1] = k;
			}
			ws(r);
			if (*r->p == ',')
				r->p++;
			ws(r);
		}
		if (*r->p)
			r->p++;
		return j;
	}
	if (*r->p == '"') {
		j->kind = J_STR;
		j->str = jstring(r);
	} else {
		j->kind = J_LIT;
		while (*r->p && !strchr(",]} \n", *r->p))
			r->p++;
	}
	j->tok = start;
	j->toklen = (size_t)(r->p - start);
	return j;
}

static void
jfree(struct jnode *j)
{
	size_t i;

	for (i = 0; i < j->n; i++) {
		jfree(j->kids[i]);
		if (j->kind == J_OBJ)
			free(j->keys[i]);
	}
	free(j->kids);
	free(j->keys);
	free(j->rawkeys);
	free(j->str);
	free(j);
}

/* sort an object's members by key, as Go sorts a map's keys: bytewise
 * (strcmp) in JSON, in YAML as yaml.v3 does (goyaml_keycmp) */
static void
jsortfrom(struct jnode *o, size_t from, int (*cmp)(const char *,
    const char *))
{
	size_t i, k;

	for (i = from + 1; i < o->n; i++)	/* insertion sort: stable */
		for (k = i; k > from && cmp(o->keys[k - 1], o->keys[k]) > 0;
		    k--) {
			struct jnode *t = o->kids[k];
			char *tk = o->keys[k];
			const char *rk = o->rawkeys[k];

			o->kids[k] = o->kids[k - 1];
			o->keys[k] = o->keys[k - 1];
			o->rawkeys[k] = o->rawkeys[k - 1];
			o->kids[k - 1] = t;
			o->keys[k - 1] = tk;
			o->rawkeys[k - 1] = rk;
		}
}

static void
jsort(struct jnode *o, int (*cmp)(const char *, const char *))
{
	jsortfrom(o, 0, cmp);
}

static struct jnode *
jget(const struct jnode *o, const char *key)
{
	size_t i;

	for (i = 0; o && o->kind == J_OBJ && i < o->n; i++)
		if (strcmp(o->keys[i], key) == 0)
			return o->kids[i];
	return NULL;
}

/* ---- JSON out: Go's MarshalIndent with two spaces ------------------- */

static void
indent(struct buf *b, int n)
{
	while (n-- > 0)
		buf_putc(b, ' ');
}

static void
rawkey(struct buf *b, const char *raw)
{
	const char *p = raw + 1;

	buf_putc(b, '"');
	while (*p && *p != '"') {
		if (*p == '\\' && p[1])
			buf_putc(b, *p++);
		buf_putc(b, *p++);
	}
	buf_putc(b, '"');
}

static void
jprint(struct buf *b, const struct jnode *j, int ind)
{
	size_t i;

	switch (j->kind) {
	case J_OBJ:
	case J_ARR:
		if (j->n == 0) {
			buf_puts(b, j->kind == J_OBJ ? "{}" : "[]");
			return;
		}
		buf_puts(b, j->kind == J_OBJ ? "{\n" : "[\n");
		for (i = 0; i < j->n; i++) {
			indent(b, ind + 2);
			if (j->kind == J_OBJ) {
				rawkey(b, j->rawkeys[i]);
				buf_puts(b, ": ");
			}
			jprint(b, j->kids[i], ind + 2);
			buf_puts(b, i + 1 < j->n ? ",\n" : "\n");
		}
		indent(b, ind);
		buf_putc(b, j->kind == J_OBJ ? '}' : ']');
		break;
	default:
		buf_putn(b, j->tok, j->toklen);
		break;
	}
}

/* ---- YAML out: block style, strings quoted where YAML would retype --- */

static int
isnumber(const char *s)
{
	const char *p = s;
	int digits = 0;

	if (*p == '+' || *p == '-')
		p++;
	if (strcmp(p, ".inf") == 0 || strcmp(p, ".Inf") == 0 ||
	    strcmp(p, ".INF") == 0 || strcmp(s, ".nan") == 0 ||
	    strcmp(s, ".NaN") == 0 || strcmp(s, ".NAN") == 0)
		return 1;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'o' || p[1] == 'b' ||
	    p[1] == 'X' || p[1] == 'O' || p[1] == 'B'))
		return p[2] != 0;
	for (; *p >= '0' && *p <= '9'; p++)
		digits++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			digits++;
	if (!digits)
		return 0;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == 0 || strchr(s, '_') != NULL;
}

/* A YAML 1.1 base-60 number ("1:20", "-03:00.5"): go-yaml double-quotes
 * it, for the parsers that would read it as a number:
 * [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)? */
static int
base60(const char *s)
{
	const char *p = s;
	int groups = 0;

	if (*p == '+' || *p == '-')
		p++;
	if (!(*p >= '0' && *p <= '9'))
		return 0;
	while ((*p >= '0' && *p <= '9') || *p == '_')
		p++;
	while (*p == ':') {
		p++;
		if (!(*p >= '0' && *p <= '9'))
			return 0;
		if (*p <= '5' && p[1] >= '0' && p[1] <= '9')
			p++;
		p++;
		groups++;
	}
	if (!groups)
		return 0;
	if (*p == '.')
		for (p++; (*p >= '0' && *p <= '9') || *p == '_'; p++)
			;
	return *p == 0;
}

/* How go-yaml v3 writes the string s: plain; single-quoted where plain
 * is not allowed; double-quoted where plain would read back as another
 * type (or s has control characters); a literal block when s has lines. */
enum ystyle { Y_PLAIN, Y_SINGLE, Y_DOUBLE, Y_LITERAL };

static enum ystyle
ystyle(const char *s)
{
	static const char *const retyped[] = { "true", "false", "yes", "no",
		"on", "off", "y", "n", "null", "~", "<<", NULL };
	const char *const *w;
	const unsigned char *p;
	size_t n = strlen(s);
	int lines = 0, ctl = 0;

	if (n == 0 || isnumber(s) || base60(s))
		return Y_DOUBLE;
	for (w = retyped; *w; w++)
		if (strcasecmp(s, *w) == 0)
			return Y_DOUBLE;
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n')
			lines = 1;
		else if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			ctl = 1;
	}
	if (ctl)
		return Y_DOUBLE;
	if (lines)
		return s[0] == ' ' || strstr(s, " \n") || strstr(s, "\t") ?
		    Y_DOUBLE : Y_LITERAL;
	/* "-x" is plain, "- x" and "-" a sequence, "---" a document */
	if (s[0] == '-' && (n == 1 || s[1] == ' ' || strncmp(s, "---", 3) == 0))
		return Y_SINGLE;
	/* "?x" and ":x" are plain; "?", "? x" a key, ": x" a value */
	if ((s[0] == '?' || s[0] == ':') && (n == 1 || s[1] == ' ' ||
	    s[1] == '\t'))
		return Y_SINGLE;
	if (strncmp(s, "...", 3) == 0 || strchr(",[]{}#&*!|>'\"%@` \t",
	    s[0]) || s[n - 1] == ' ' || s[n - 1] == ':' || s[n - 1] == '\t' ||
	    strstr(s, ": ") || strstr(s, " #") || strstr(s, ":\t"))
		return Y_SINGLE;
	return Y_PLAIN;
}

/* s at indentation ind (the literal block's lines go 2 deeper) */
static void
yscalar(struct buf *b, const char *s, int ind)
{
	const char *p, *end;
	size_t n = strlen(s);

	switch (ystyle(s)) {
	case Y_PLAIN:
		buf_puts(b, s);
		return;
	case Y_SINGLE:
		buf_putc(b, '\'');
		for (p = s; *p; p++) {
			if (*p == '\'')
				buf_putc(b, '\'');
			buf_putc(b, *p);
		}
		buf_putc(b, '\'');
		return;
	case Y_LITERAL:
		/* a value that starts with a line break gets an indentation
		 * indicator, and go-yaml writes that break as the header's
		 * own (so the first line is not an empty one) */
		buf_puts(b, s[0] == '\n' ? "|2" : "|");
		buf_puts(b, s[n - 1] != '\n' ? "-" : n > 1 &&
		    s[n - 2] == '\n' ? "+" : "");
		for (p = s[0] == '\n' ? s + 1 : s; *p;
		    p = *end ? end + 1 : end) {
			end = strchr(p, '\n');
			if (!end)
				end = p + strlen(p);
			buf_putc(b, '\n');
			if (end > p) {
				indent(b, ind + 2);
				buf_putn(b, p, (size_t)(end - p));
			}
			if (!*end || !end[1])
				break;
		}
		return;
	case Y_DOUBLE:
		break;
	}
	buf_putc(b, '"');
	for (p = s; *p; p++) {
		switch (*p) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\t': buf_puts(b, "\\t"); break;
		case '\r': buf_puts(b, "\\r"); break;
		default:
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				buf_printf(b, "\\x%02x", (unsigned char)*p);
			else
				buf_putc(b, *p);
		}
	}
	buf_putc(b, '"');
}

static int
yinline(const struct jnode *j)
{
	return (j->kind != J_OBJ && j->kind != J_ARR) || j->n == 0;
}

static void
yinl(struct buf *b, const struct jnode *j, int ind)
{
	if (j->kind == J_OBJ || j->kind == J_ARR)
		buf_puts(b, j->kind == J_OBJ ? "{}" : "[]");
	else if (j->kind == J_STR)
		yscalar(b, j->str, ind);
	else
		buf_putn(b, j->tok, j->toklen);
}

/* a non-empty container at indentation ind; the first line's indentation
 * is already written when cont is set */
static void
yblock(struct buf *b, const struct jnode *j, int ind, int cont)
{
	size_t i;

	for (i = 0; i < j->n; i++) {
		if (i || !cont)
			indent(b, ind);
		if (j->kind == J_OBJ) {
			yscalar(b, j->keys[i], ind);
			buf_putc(b, ':');
			if (yinline(j->kids[i])) {
				buf_putc(b, ' ');
				yinl(b, j->kids[i], ind);
				buf_putc(b, '\n');
			} else {
				buf_putc(b, '\n');
				yblock(b, j->kids[i], ind + 2, 0);
			}
		} else {
			buf_puts(b, "- ");
			if (yinline(j->kids[i])) {
				yinl(b, j->kids[i], ind);
				buf_putc(b, '\n');
			} else {
				yblock(b, j->kids[i], ind + 2, 1);
			}
		}
	}
}

/* ---- the project ---------------------------------------------------- */

static const struct shape s_anyval = { .kind = SK_ANY };
static const char *const resnames[] = { "networks", "volumes", "secrets",
	"configs" };

static void
key(struct buf *b, int *first, const char *k)
{
	if (!*first)
		buf_putc(b, ',');
	*first = 0;
	gojson_string(b, k, strlen(k));
	buf_putc(b, ':');
}

static void
resources(struct buf *b, int *first, const struct resdefs *r,
    const char *kind, unsigned flags)
{
	const struct shape *sh = schema_field(&schema_project, kind)->shape->elem;
	size_t i;
	int any = 0, f2 = 1;

	for (i = 0; i < r->n; i++)
		any |= r->v[i].used;
	if (!any)
		return;
	key(b, first, kind);
	buf_putc(b, '{');
	for (i = 0; i < r->n; i++) {
		if (!r->v[i].used)
			continue;
		key(b, &f2, r->v[i].key);
		modeljson(b, sh, r->v[i].def, flags);
	}
	buf_putc(b, '}');
}

void
config_emit(const struct model *m, enum config_format f, struct buf *out)
{
	struct buf b = BUF_INIT;
	struct reader r;
	struct jnode *j, *svcs;
	unsigned flags = MJ_DOLLAR | (f == CONFIG_YAML ? MJ_YAML : 0);
	int (*cmp)(const char *, const char *) = f == CONFIG_YAML ?
	    goyaml_keycmp : strcmp;
	const struct node *root = m->root;
	size_t i;
	int first = 1, f2 = 1;

	buf_putc(&b, '{');
	key(&b, &first, "name");
	gojson_string(&b, m->project, strlen(m->project));
	key(&b, &first, "services");
	buf_putc(&b, '{');
	for (i = 0; i < m->nbyname; i++) {
		if (!m->byname[i]->enabled)
			continue;
		key(&b, &f2, m->byname[i]->name);
		modeljson(&b, &schema_service, m->byname[i]->def, flags);
	}
	buf_putc(&b, '}');
	resources(&b, &first, &m->networks, "networks", flags);
	resources(&b, &first, &m->volumes, "volumes", flags);
	resources(&b, &first, &m->secrets, "secrets", flags);
	resources(&b, &first, &m->configs, "configs", flags);
	for (i = 0; root && root->kind == NODE_MAP && i < root->n; i++) {
		if (strncmp(root->c.pairs[i].key->text, "x-", 2))
			continue;
		key(&b, &first, root->c.pairs[i].key->text);
		modeljson(&b, &s_anyval, root->c.pairs[i].val, flags);
	}
	buf_putc(&b, '}');
	/* the project's x- extensions are a map in compose-go: in YAML,
	 * sorted after the fields (in JSON the whole project is sorted) */

	r.p = buf_str(&b);
	j = jparse(&r);
	/* Go sorts map keys (the services and resources, and the project,
	 * which compose marshals as a map); a service is a struct, printed in
	 * field order, and compose's JSON ends without a newline */
	for (i = 0; i < countof(resnames); i++)
		if ((svcs = jget(j, resnames[i])))
			jsort(svcs, cmp);
	if ((svcs = jget(j, "services")))
		jsort(svcs, cmp);
	for (i = 0; f == CONFIG_YAML && i < j->n; i++)
		if (strncmp(j->keys[i], "x-", 2) == 0) {
			jsortfrom(j, i, goyaml_keycmp);
			break;
		}
	if (f == CONFIG_JSON) {
		jsort(j, strcmp);
		jprint(out, j, 0);
	} else {
		yblock(out, j, 0, 0);
	}
	jfree(j);
	buf_release(&b);
}

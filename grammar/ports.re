/*
 * ports.re: the short port syntax, as go-connections' nat.ParsePortSpec
 * reads it for compose-go.  re2c recognises IP addresses and port
 * numbers; the colon and slash splitting follows Go's strings.Split.
 */
#include "ports.h"

#include <stdlib.h>
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

// Go's netip rejects leading zeros in IPv4 octets
dec = [0-9] | [1-9][0-9] | "1"[0-9][0-9] | "2"[0-4][0-9] | "25"[0-5];
ipv4 = dec "." dec "." dec "." dec;
h16 = [0-9a-fA-F]{1,4};
ls32 = h16 ":" h16 | ipv4;
// RFC 3986 IPv6address: "::" stands for at least one zero field
ipv6 = (h16 ":"){6} ls32
	| "::" (h16 ":"){5} ls32
	| h16? "::" (h16 ":"){4} ls32
	| ((h16 ":"){0,1} h16)? "::" (h16 ":"){3} ls32
	| ((h16 ":"){0,2} h16)? "::" (h16 ":"){2} ls32
	| ((h16 ":"){0,3} h16)? "::" h16 ":" ls32
	| ((h16 ":"){0,4} h16)? "::" ls32
	| ((h16 ":"){0,5} h16)? "::" h16
	| ((h16 ":"){0,6} h16)? "::";
*/

/* a piece of the spec: a NUL-terminated copy and where it started */
struct ports_part {
	const char *s;
	size_t off;
};

int
ports_valid_ip(const char *s)
{
	const char *cur = s, *lim = s + strlen(s), *mar;

	/*!re2c
	ipv4 | ipv6	{ return cur == lim; }
	$		{ return 0; }
	*		{ return 0; }
	*/
}

/* Go's strconv.ParseUint(s, 10, 16) */
static int
port_number(const char *s, unsigned long *v)
{
	const char *cur = s, *lim = s + strlen(s), *p;

	/*!re2c
	[0-9]+ {
		if (cur != lim)
			return 0;
		*v = 0;
		for (p = s; p < cur; p++) {
			*v = *v * 10 + (unsigned long)(*p - '0');
			if (*v > 65535)
				return 0;
		}
		return 1;
	}
	$	{ return 0; }
	*	{ return 0; }
	*/
}

/*
 * nat.ParsePortRange: "N" or "N-M" with N <= M; like Go it reads only the
 * first two '-'-separated fields.
 */
static int
port_range(struct arena *a, const char *s, unsigned long *start,
    unsigned long *end)
{
	const char *dash, *dash2;

	if (*s == '\0')
		return 0;
	dash = strchr(s, '-');
	if (!dash)
		return port_number(s, start) && (*end = *start, 1);
	dash2 = strchr(dash + 1, '-');
	if (!dash2)
		dash2 = dash + strlen(dash);
	if (!port_number(arena_strndup(a, s, (size_t)(dash - s)), start) ||
	    !port_number(arena_strndup(a, dash + 1,
	    (size_t)(dash2 - dash - 1)), end))
		return 0;
	return *end >= *start;
}

/*
 * net.SplitHostPort(ip + ":") strips the brackets around an IPv6
 * address; its complaints come back inside compose's message.
 */
static const char *
strip_brackets(struct arena *a, const char *ip, const char **why)
{
	const char *hp = arena_printf(a, "%s:", ip);
	const char *host, *close;
	size_t last = strlen(hp) - 1, j = 0, k = 0;

	*why = NULL;
	if (hp[0] == '[') {
		close = strchr(hp, ']');
		if (!close) {
			*why = "missing ']' in address";
			return NULL;
		}
		if ((size_t)(close - hp) + 1 != last) {
			*why = close[1] == ':' ? "too many colons in address" :
			    "missing port in address";
			return NULL;
		}
		host = arena_strndup(a, hp + 1, (size_t)(close - hp) - 1);
		j = 1;
		k = (size_t)(close - hp) + 1;
	} else {
		host = arena_strndup(a, hp, last);
		if (strchr(host, ':')) {
			*why = "too many colons in address";
			return NULL;
		}
	}
	if (strchr(hp + j, '[')) {
		*why = "unexpected '[' in address";
		return NULL;
	}
	if (strchr(hp + k, ']')) {
		*why = "unexpected ']' in address";
		return NULL;
	}
	return host;
}

static int
bykey(const void *x, const void *y)
{
	const char *const *a = x, *const *b = y;

	return strcmp(*a, *b);
}

int
ports_parse(struct arena *a, const char *spec, struct port_entry **out,
    struct buf *err, size_t *erroff)
{
	struct ports_part ip = { "", 0 }, host = { "", 0 }, cont;
	struct ports_part proto = { "", 0 };
	const char *colon1 = strrchr(spec, ':'), *colon2 = NULL, *p;
	const char *why, *lproto = NULL, *hostip;
	unsigned long start, end, hstart = 0, hend = 0, i, n;
	struct port_entry *ents;
	char **keys;
	size_t slash;

	*erroff = 0;
	for (p = spec; colon1 && p < colon1; p++)
		if (*p == ':')
			colon2 = p;
	cont.off = colon1 ? (size_t)(colon1 - spec) + 1 : 0;
	cont.s = spec + cont.off;
	if (colon2) {
		ip.s = arena_strndup(a, spec, (size_t)(colon2 - spec));
		host.off = (size_t)(colon2 - spec) + 1;
		host.s = arena_strndup(a, colon2 + 1,
		    (size_t)(colon1 - colon2) - 1);
	} else if (colon1) {
		host.s = arena_strndup(a, spec, (size_t)(colon1 - spec));
	}

	/* nat.SplitProtoPort: "80" is tcp, "80/" too, "/udp" is no port */
	slash = strcspn(cont.s, "/");
	proto.s = "tcp";
	if (slash == 0) {
		proto.s = "";
	} else if (cont.s[slash] == '/' && cont.s[slash + 1] != '/' &&
	    cont.s[slash + 1] != '\0') {
		proto.off = cont.off + slash + 1;
		proto.s = arena_strndup(a, cont.s + slash + 1,
		    strcspn(cont.s + slash + 1, "/"));
	}
	cont.s = arena_strndup(a, cont.s, slash);

	hostip = strip_brackets(a, ip.s, &why);
	if (!hostip) {
		buf_printf(err, "Invalid ip address %s: address %s:: %s",
		    ip.s, ip.s, why);
		return -1;
	}
	if (*hostip && !ports_valid_ip(hostip)) {
		buf_printf(err, "Invalid ip address: %s", hostip);
		return -1;
	}
	if (*cont.s == '\0') {
		buf_printf(err, "No port specified: %s<empty>", spec);
		*erroff = cont.off;
		return -1;
	}
	if (!port_range(a, cont.s, &start, &end)) {
		buf_printf(err, "Invalid containerPort: %s", cont.s);
		*erroff = cont.off;
		return -1;
	}
	if (*host.s && !port_range(a, host.s, &hstart, &hend)) {
		buf_printf(err, "Invalid hostPort: %s", host.s);
		*erroff = host.off;
		return -1;
	}
	if (*host.s && end - start != hend - hstart && end != start) {
		buf_printf(err, "Invalid ranges specified for container and "
		    "host Ports: %s and %s", cont.s, host.s);
		*erroff = cont.off;
		return -1;
	}
	if (strlen(proto.s) <= 4) {
		char low[5];

		for (i = 0; proto.s[i]; i++)
			low[i] = (char)(proto.s[i] >= 'A' && proto.s[i] <= 'Z' ?
			    proto.s[i] - 'A' + 'a' : proto.s[i]);
		low[i] = '\0';
		if (!strcmp(low, "tcp"))
			lproto = "tcp";
		else if (!strcmp(low, "udp"))
			lproto = "udp";
		else if (!strcmp(low, "sctp"))
			lproto = "sctp";
	}
	if (!lproto) {
		buf_printf(err, "Invalid proto: %s", proto.s);
		*erroff = proto.off;
		return -1;
	}

	/*
	 * compose sorts the map keys "<port>/<proto>" as strings, so 10
	 * comes before 8; the '/' sorts below every digit.
	 */
	n = end - start + 1;
	ents = arena_alloc(a, n * sizeof(*ents));
	keys = arena_alloc(a, n * sizeof(*keys));
	for (i = 0; i < n; i++)
		keys[i] = arena_printf(a, "%lu/", start + i);
	qsort(keys, n, sizeof(*keys), bykey);
	for (i = 0; i < n; i++) {
		unsigned long port = strtoul(keys[i], NULL, 10);
		unsigned long off = port - start;

		ents[i].host_ip = *hostip ? hostip : NULL;
		ents[i].target = (unsigned)port;
		ents[i].protocol = lproto;
		if (!*host.s)
			ents[i].published = NULL;
		else if (start == end && hstart != hend)
			ents[i].published = arena_printf(a, "%lu-%lu",
			    hstart, hend);
		else
			ents[i].published = arena_printf(a, "%lu",
			    hstart + off);
	}
	*out = ents;
	return (int)n;
}

/* ports.h: the short syntax of service ports ("127.0.0.1:8080:80/udp"). */
#ifndef C2SH_PORTS_H
#define C2SH_PORTS_H

#include <stddef.h>

struct arena;
struct buf;

struct port_entry {
	const char *host_ip;	/* NULL if absent; IPv6 without brackets */
	const char *published;	/* NULL if absent; "80" or "8000-8010" */
	unsigned target;	/* container port */
	const char *protocol;	/* "tcp", "udp" or "sctp", lower case */
};

/*
 * Parse [[IP:][HOST[-END]]:]CONTAINER[-END][/PROTO] as compose-go 2.0.2
 * does (go-connections nat.ParsePortSpec): ranges are expanded and the
 * entries ordered by the strings "<port>/<proto>", as compose sorts them.
 * Returns the number of entries in *out (an arena array), or -1 with the
 * message in err (compose's text, e.g. "Invalid containerPort: abc") and
 * *erroff the byte offset in spec of the offending part (0 if unknown).
 */
int ports_parse(struct arena *, const char *spec, struct port_entry **out,
    struct buf *err, size_t *erroff);
/* 1 if s is an IPv4 or IPv6 address as Go's net.ParseIP accepts it */
int ports_valid_ip(const char *s);

#endif

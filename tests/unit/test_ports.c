/* test_ports.c: the short port syntax, table of loader reference 5.2. */
#include <criterion/criterion.h>

#include "arena.h"
#include "buf.h"
#include "ports.h"

static struct arena arena = ARENA_INIT;
static struct buf err = BUF_INIT;
static size_t erroff;

static void
teardown(void)
{
	arena_release(&arena);
	buf_release(&err);
}

TestSuite(ports, .fini = teardown);

static struct port_entry *
parse(const char *spec, int want)
{
	struct port_entry *e = NULL;
	int n = ports_parse(&arena, spec, &e, &err, &erroff);

	cr_assert_eq(n, want, "%s: got %d entries (%s)", spec, n,
	    buf_str(&err));
	return e;
}

static void
fails(const char *spec, const char *msg)
{
	struct port_entry *e = NULL;

	buf_reset(&err);
	cr_assert_eq(ports_parse(&arena, spec, &e, &err, &erroff), -1,
	    "%s should fail", spec);
	cr_assert_str_eq(buf_str(&err), msg);
}

Test(ports, a_bare_number_is_the_container_port)
{
	struct port_entry *e = parse("80", 1);

	cr_assert_eq(e[0].target, 80);
	cr_assert_null(e[0].published);
	cr_assert_null(e[0].host_ip);
	cr_assert_str_eq(e[0].protocol, "tcp");
}

Test(ports, host_then_container_port)
{
	struct port_entry *e = parse("80:8080", 1);

	cr_assert_str_eq(e[0].published, "80");
	cr_assert_eq(e[0].target, 8080);
}

Test(ports, protocol_suffix_selects_udp)
{
	struct port_entry *e = parse("8080:80/udp", 1);

	cr_assert_str_eq(e[0].published, "8080");
	cr_assert_eq(e[0].target, 80);
	cr_assert_str_eq(e[0].protocol, "udp");
}

Test(ports, sctp_is_a_protocol)
{
	cr_assert_str_eq(parse("80/sctp", 1)[0].protocol, "sctp");
}

Test(ports, ip_host_and_container)
{
	struct port_entry *e = parse("127.0.0.1:8080:80", 1);

	cr_assert_str_eq(e[0].host_ip, "127.0.0.1");
	cr_assert_str_eq(e[0].published, "8080");
	cr_assert_eq(e[0].target, 80);
}

Test(ports, empty_host_port_means_any)
{
	struct port_entry *e = parse("127.0.0.1::80", 1);

	cr_assert_str_eq(e[0].host_ip, "127.0.0.1");
	cr_assert_null(e[0].published);
	cr_assert_eq(e[0].target, 80);
}

Test(ports, bracketed_ipv6_loses_its_brackets)
{
	struct port_entry *e = parse("[::1]:8080:80", 1);

	cr_assert_str_eq(e[0].host_ip, "::1");
	cr_assert_str_eq(e[0].published, "8080");
}

Test(ports, host_range_for_one_container_port_stays_a_range)
{
	struct port_entry *e = parse("0.0.0.0:8000-8010:80", 1);

	cr_assert_str_eq(e[0].host_ip, "0.0.0.0");
	cr_assert_str_eq(e[0].published, "8000-8010");
	cr_assert_eq(e[0].target, 80);
}

Test(ports, equal_ranges_expand_to_one_entry_per_port)
{
	struct port_entry *e = parse("80-82:8080-8082", 3);

	cr_assert_eq(e[0].target, 8080);
	cr_assert_str_eq(e[0].published, "80");
	cr_assert_eq(e[1].target, 8081);
	cr_assert_str_eq(e[1].published, "81");
	cr_assert_eq(e[2].target, 8082);
	cr_assert_str_eq(e[2].published, "82");
}

Test(ports, expanded_entries_sort_as_strings)
{
	struct port_entry *e = parse("8-10:8-10", 3);

	cr_assert_eq(e[0].target, 10);
	cr_assert_str_eq(e[0].published, "10");
	cr_assert_eq(e[1].target, 8);
	cr_assert_eq(e[2].target, 9);
}

Test(ports, container_range_without_host_has_no_published)
{
	struct port_entry *e = parse("3000-3001", 2);

	cr_assert_eq(e[0].target, 3000);
	cr_assert_null(e[0].published);
	cr_assert_eq(e[1].target, 3001);
}

Test(ports, protocol_is_case_insensitive_and_lowered)
{
	cr_assert_str_eq(parse("80/TCP", 1)[0].protocol, "tcp");
}

Test(ports, leading_colon_means_no_host_port)
{
	struct port_entry *e = parse(":80", 1);

	cr_assert_null(e[0].published);
	cr_assert_eq(e[0].target, 80);
}

Test(ports, unknown_protocol_is_an_error)
{
	fails("80/http", "Invalid proto: http");
	cr_assert_eq(erroff, 3);
}

Test(ports, bad_container_ports_are_errors)
{
	fails("abc", "Invalid containerPort: abc");
	fails("tcp", "Invalid containerPort: tcp");
	fails("70000", "Invalid containerPort: 70000");
	fails("9999999", "Invalid containerPort: 9999999");
	fails("80-79", "Invalid containerPort: 80-79");
	fails("8080:+80", "Invalid containerPort: +80");
	cr_assert_eq(erroff, 5);
}

Test(ports, missing_container_port_is_an_error)
{
	fails("8080:", "No port specified: 8080:<empty>");
	fails("", "No port specified: <empty>");
}

Test(ports, bad_ip_is_an_error)
{
	fails("1.2.3:80:80", "Invalid ip address: 1.2.3");
}

Test(ports, unbracketed_ipv6_has_too_many_colons)
{
	fails("::1:8080:80", "Invalid ip address ::1: address ::1:: too many "
	    "colons in address");
}

Test(ports, unclosed_bracket_is_an_error)
{
	fails("[::1:8080:80", "Invalid ip address [::1: address [::1:: "
	    "missing ']' in address");
}

Test(ports, container_range_with_other_host_range_is_an_error)
{
	fails("80:8080-8082", "Invalid ranges specified for container and "
	    "host Ports: 8080-8082 and 80");
}

Test(ports, bad_host_port_is_an_error)
{
	fails("http:80", "Invalid hostPort: http");
	cr_assert_eq(erroff, 0);
	fails("1.2.3.4:99999:80", "Invalid hostPort: 99999");
	cr_assert_eq(erroff, 8);
}

Test(ports, valid_ip_addresses)
{
	static const char *good[] = {
		"1.2.3.4", "0.0.0.0", "255.255.255.255", "::", "::1",
		"2001:db8::1", "::ffff:1.2.3.4", "1:2:3:4:5:6:7:8",
		"1:2:3:4:5:6:7::", "fe80::", "1::8", "1:2:3:4:5:6:1.2.3.4",
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		cr_assert(ports_valid_ip(good[i]), "%s", good[i]);
}

Test(ports, invalid_ip_addresses)
{
	static const char *bad[] = {
		"", "1.2.3", "01.2.3.4", "256.1.1.1", "1.2.3.4.5", "1::2::3",
		"fe80::1%eth0", "1:2:3:4:5:6:7:8:9", "[::1]", "12345::",
		"1:2:3:4:5:6:7:8::", "::1.2.3", "localhost", ":1", "1:",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert(!ports_valid_ip(bad[i]), "%s", bad[i]);
}

Test(ports, range_reads_only_the_first_two_dash_fields)
{
	struct port_entry *e = parse("80-81-99", 2);

	cr_assert_eq(e[0].target, 80);
	cr_assert_eq(e[1].target, 81);
}

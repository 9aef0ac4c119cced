/* test_size.c: byte sizes as go-units RAMInBytes reads them. */
#include <criterion/criterion.h>

#include <stdint.h>

#include "buf.h"
#include "size.h"

static struct buf err = BUF_INIT;

static void
teardown(void)
{
	buf_release(&err);
}

TestSuite(size, .fini = teardown);

static int64_t
parse(const char *s)
{
	int64_t n = -42;

	buf_reset(&err);
	cr_assert_eq(size_parse(s, &n, &err), 0, "%s: %s", s, buf_str(&err));
	return n;
}

static void
fails(const char *s, const char *msg)
{
	int64_t n;

	buf_reset(&err);
	cr_assert_eq(size_parse(s, &n, &err), -1, "%s should fail", s);
	cr_assert_str_eq(buf_str(&err), msg);
}

Test(size, plain_integers_are_bytes)
{
	cr_assert_eq(parse("1024"), 1024);
	cr_assert_eq(parse("0"), 0);
	cr_assert_eq(parse("9223372036854775807"), INT64_MAX);
}

Test(size, negative_plain_integers_are_allowed)
{
	cr_assert_eq(parse("-1"), -1);
}

Test(size, units_are_binary)
{
	cr_assert_eq(parse("1k"), 1024);
	cr_assert_eq(parse("1kb"), 1024);
	cr_assert_eq(parse("1KiB"), 1024);
	cr_assert_eq(parse("512m"), INT64_C(536870912));
	cr_assert_eq(parse("1gb"), INT64_C(1073741824));
	cr_assert_eq(parse("1t"), INT64_C(1099511627776));
	cr_assert_eq(parse("1P"), INT64_C(1125899906842624));
	cr_assert_eq(parse("10b"), 10);
	cr_assert_eq(parse("10B"), 10);
}

Test(size, decimals_are_truncated)
{
	cr_assert_eq(parse("1.5g"), INT64_C(1610612736));
	cr_assert_eq(parse("1.9"), 1);
	cr_assert_eq(parse("0.5k"), 512);
	cr_assert_eq(parse("1.0000001k"), 1024);
}

Test(size, one_space_before_the_suffix)
{
	cr_assert_eq(parse("2 GB"), INT64_C(2147483648));
	cr_assert_eq(parse("3 "), 3);
}

Test(size, go_float_syntax_is_accepted)
{
	cr_assert_eq(parse("1e3"), 1000);
	cr_assert_eq(parse("1e1k"), 10240);
	cr_assert_eq(parse("0x1p4"), 16);
}

Test(size, no_digit_is_an_invalid_size)
{
	fails("abc", "invalid size: 'abc'");
	fails("", "invalid size: ''");
	fails("k", "invalid size: 'k'");
}

Test(size, negative_with_unit_is_an_invalid_size)
{
	fails("-1k", "invalid size: '-1k'");
	fails("-1.5", "invalid size: '-1.5'");
}

Test(size, bad_suffix_is_an_error)
{
	fails("1x", "invalid suffix: 'x'");
	fails("1KX", "invalid suffix: 'kx'");
	fails("1kbbb", "invalid suffix: 'kbbb'");
	fails("1bb", "invalid suffix: 'bb'");
	fails("1kib2", "strconv.ParseFloat: parsing \"1kib2\": invalid "
	    "syntax");
}

Test(size, malformed_number_is_a_parse_error)
{
	fails("1..5k", "strconv.ParseFloat: parsing \"1..5\": invalid syntax");
	fails("1  k", "strconv.ParseFloat: parsing \"1 \": invalid syntax");
	fails("1_000", "strconv.ParseFloat: parsing \"1_000\": invalid "
	    "syntax");
}

Test(size, overflow_is_an_error)
{
	fails("9223372036854775808", "invalid size: '9223372036854775808'");
	fails("8589934592g", "invalid size: '8589934592g'");
	fails("1e400", "strconv.ParseFloat: parsing \"1e400\": value out of "
	    "range");
}

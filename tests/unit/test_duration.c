/* test_duration.c: compose durations and Go's Duration.String(). */
#include <criterion/criterion.h>

#include <stdint.h>

#include "buf.h"
#include "duration.h"

static struct buf out = BUF_INIT;

static void
teardown(void)
{
	buf_release(&out);
}

TestSuite(duration, .fini = teardown);

static int64_t
parse(const char *s)
{
	int64_t ns = -42;

	buf_reset(&out);
	cr_assert_eq(duration_parse(s, &ns, &out), 0, "%s: %s", s,
	    buf_str(&out));
	return ns;
}

static void
fails(const char *s, const char *msg)
{
	int64_t ns;

	buf_reset(&out);
	cr_assert_eq(duration_parse(s, &ns, &out), -1, "%s should fail", s);
	cr_assert_str_eq(buf_str(&out), msg);
}

static const char *
format(int64_t ns)
{
	buf_reset(&out);
	duration_format(&out, ns);
	return buf_str(&out);
}

Test(duration, units_add_up)
{
	cr_assert_eq(parse("1m30s"), INT64_C(90000000000));
	cr_assert_eq(parse("1h2m3s4ms5us6ns"), INT64_C(3723004005006));
}

Test(duration, decimals_are_allowed)
{
	cr_assert_eq(parse("1.5h"), INT64_C(5400000000000));
	cr_assert_eq(parse(".5s"), INT64_C(500000000));
	cr_assert_eq(parse("1.s"), INT64_C(1000000000));
	cr_assert_eq(parse("0.000000001s"), 1);
}

Test(duration, days_and_weeks)
{
	cr_assert_eq(parse("2d"), INT64_C(172800000000000));
	cr_assert_eq(parse("1w"), INT64_C(604800000000000));
}

Test(duration, milliseconds_and_microseconds)
{
	cr_assert_eq(parse("500ms"), INT64_C(500000000));
	cr_assert_eq(parse("1us"), 1000);
	cr_assert_eq(parse("1\xc2\xb5s"), 1000);
	cr_assert_eq(parse("1\xce\xbcs"), 1000);
	cr_assert_eq(parse("7ns"), 7);
}

Test(duration, zero_alone_needs_no_unit)
{
	cr_assert_eq(parse("0"), 0);
	cr_assert_eq(parse("-0"), 0);
	cr_assert_eq(parse("+0"), 0);
}

Test(duration, sign_applies_to_the_whole_duration)
{
	cr_assert_eq(parse("-1.5s"), INT64_C(-1500000000));
	cr_assert_eq(parse("+5s"), INT64_C(5000000000));
	cr_assert_eq(parse("-1m30s"), INT64_C(-90000000000));
}

Test(duration, number_without_unit_is_an_error)
{
	fails("30", "time: missing unit in duration \"30\"");
	fails("1s30", "time: missing unit in duration \"1s30\"");
}

Test(duration, unknown_unit_is_an_error)
{
	fails("1x", "time: unknown unit \"x\" in duration \"1x\"");
	fails("1sec", "time: unknown unit \"sec\" in duration \"1sec\"");
	fails("1 s", "time: unknown unit \" s\" in duration \"1 s\"");
}

Test(duration, malformed_text_is_invalid)
{
	fails("abc", "time: invalid duration \"abc\"");
	fails("", "time: invalid duration \"\"");
	fails("-", "time: invalid duration \"-\"");
	fails(".s", "time: invalid duration \".s\"");
	fails("s", "time: invalid duration \"s\"");
	fails("--1s", "time: invalid duration \"--1s\"");
}

Test(duration, overflow_is_an_error)
{
	fails("9223372036854775808ns", "time: invalid duration "
	    "\"9223372036854775808ns\"");
	fails("2562048h", "time: invalid duration \"2562048h\"");
	fails("2562047h48m", "time: invalid duration \"2562047h48m\"");
	cr_assert_eq(parse("9223372036854775807ns"), INT64_MAX);
}

Test(duration, format_like_go)
{
	cr_assert_str_eq(format(INT64_C(90000000000)), "1m30s");
	cr_assert_str_eq(format(INT64_C(2000000000)), "2s");
	cr_assert_str_eq(format(INT64_C(500000000)), "500ms");
	cr_assert_str_eq(format(INT64_C(3600000000000)), "1h0m0s");
	cr_assert_str_eq(format(INT64_C(1500000000)), "1.5s");
	cr_assert_str_eq(format(0), "0s");
	cr_assert_str_eq(format(1000), "1\xc2\xb5s");
	cr_assert_str_eq(format(1100), "1.1\xc2\xb5s");
	cr_assert_str_eq(format(1), "1ns");
	cr_assert_str_eq(format(INT64_C(-1500000000)), "-1.5s");
	cr_assert_str_eq(format(INT64_C(172800000000000)), "48h0m0s");
	cr_assert_str_eq(format(INT64_C(1000000001)), "1.000000001s");
	cr_assert_str_eq(format(INT64_MIN), "-2562047h47m16.854775808s");
}

/* test_gojson.c: Go encoding/json strings and float renderings. */
#include <criterion/criterion.h>

#include <math.h>
#include <string.h>

#include "buf.h"
#include "gojson.h"

static struct buf out = BUF_INIT;

static void
teardown(void)
{
	buf_release(&out);
}

TestSuite(gojson, .fini = teardown);

static const char *
str(const char *s, size_t n)
{
	buf_reset(&out);
	gojson_string(&out, s, n);
	return buf_str(&out);
}

#define S(lit) str(lit, sizeof(lit) - 1)

static const char *
f32(double v)
{
	buf_reset(&out);
	gojson_float32(&out, v);
	return buf_str(&out);
}

static const char *
f64(double v)
{
	buf_reset(&out);
	gojson_float64(&out, v);
	return buf_str(&out);
}

static const char *
fmtv(double v)
{
	buf_reset(&out);
	gofmt_float(&out, v);
	return buf_str(&out);
}

Test(gojson, plain_string_is_quoted)
{
	cr_assert_str_eq(S("hello world"), "\"hello world\"");
	cr_assert_str_eq(S(""), "\"\"");
}

Test(gojson, quote_and_backslash_are_escaped)
{
	cr_assert_str_eq(S("a\"b\\c"), "\"a\\\"b\\\\c\"");
}

Test(gojson, newline_return_tab_have_short_escapes)
{
	cr_assert_str_eq(S("\n\r\t"), "\"\\n\\r\\t\"");
}

Test(gojson, other_control_bytes_are_u_escapes)
{
	cr_assert_str_eq(S("\x01\b\f\x1f"), "\"\\u0001\\u0008\\u000c\\u001f\"");
	cr_assert_str_eq(S("a\0b"), "\"a\\u0000b\"");
	cr_assert_str_eq(S("\x7f"), "\"\x7f\"");
}

Test(gojson, html_characters_are_escaped)
{
	cr_assert_str_eq(S("<a&b>"), "\"\\u003ca\\u0026b\\u003e\"");
}

Test(gojson, line_and_paragraph_separators_are_escaped)
{
	cr_assert_str_eq(S("\xe2\x80\xa8\xe2\x80\xa9"), "\"\\u2028\\u2029\"");
}

Test(gojson, valid_utf8_passes_through)
{
	cr_assert_str_eq(S("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xef\xbf\xbd"),
	    "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xef\xbf\xbd\"");
}

Test(gojson, each_invalid_utf8_byte_becomes_ufffd)
{
	cr_assert_str_eq(S("a\xff"), "\"a\\ufffd\"");
	cr_assert_str_eq(S("\xe2\x82z"), "\"\\ufffd\\ufffdz\"");
	cr_assert_str_eq(S("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");
	cr_assert_str_eq(S("\xc0\xaf"), "\"\\ufffd\\ufffd\"");
	cr_assert_str_eq(S("\xf4\x90\x80\x80"),
	    "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	cr_assert_str_eq(str("\xe2\x82\xac", 2), "\"\\ufffd\\ufffd\"");
}

Test(gojson, float32_is_shortest_for_float32)
{
	cr_assert_str_eq(f32(0.5), "0.5");
	cr_assert_str_eq(f32(1.5), "1.5");
	cr_assert_str_eq(f32(0.1), "0.1");
	cr_assert_str_eq(f32(0.3), "0.3");
	cr_assert_str_eq(f32(3), "3");
	cr_assert_str_eq(f32(16777216.0), "16777216");
	cr_assert_str_eq(f32(0), "0");
	cr_assert_str_eq(f32(1.1754944e-38), "1.1754944e-38");
	cr_assert_str_eq(f32(3.4028234663852886e38), "3.4028235e+38");
}

Test(gojson, float32_exponent_form_at_the_edges)
{
	cr_assert_str_eq(f32(1e-7), "1e-7");
	cr_assert_str_eq(f32(1e-6), "0.000001");
	cr_assert_str_eq(f32(1e21), "1e+21");
	cr_assert_str_eq(f32(1e20), "100000000000000000000");
}

Test(gojson, float64_is_shortest_round_trip)
{
	cr_assert_str_eq(f64(0.1), "0.1");
	cr_assert_str_eq(f64(0.1 + 0.2), "0.30000000000000004");
	cr_assert_str_eq(f64(123456789.0), "123456789");
	cr_assert_str_eq(f64(-2.5), "-2.5");
	cr_assert_str_eq(f64(-0.0), "-0");
	cr_assert_str_eq(f64(9007199254740993.0), "9007199254740992");
	cr_assert_str_eq(f64(1.7976931348623157e308),
	    "1.7976931348623157e+308");
	cr_assert_str_eq(f64(5e-324), "5e-324");
	cr_assert_str_eq(f64(2.2250738585072014e-308),
	    "2.2250738585072014e-308");
}

Test(gojson, float64_exponent_form_at_the_edges)
{
	cr_assert_str_eq(f64(1e-7), "1e-7");
	cr_assert_str_eq(f64(1.5e-7), "1.5e-7");
	cr_assert_str_eq(f64(1.5e-10), "1.5e-10");
	cr_assert_str_eq(f64(0.000001), "0.000001");
	cr_assert_str_eq(f64(1e20), "100000000000000000000");
	cr_assert_str_eq(f64(1e21), "1e+21");
	cr_assert_str_eq(f64(1.25e22), "1.25e+22");
}

Test(gojson, fmt_v_of_float64)
{
	cr_assert_str_eq(fmtv(100000000.0), "1e+08");
	cr_assert_str_eq(fmtv(1.5e-7), "1.5e-07");
	cr_assert_str_eq(fmtv(1.0), "1");
	cr_assert_str_eq(fmtv(2.5), "2.5");
	cr_assert_str_eq(fmtv(123456.0), "123456");
	cr_assert_str_eq(fmtv(1234567.0), "1.234567e+06");
	cr_assert_str_eq(fmtv(0.0001), "0.0001");
	cr_assert_str_eq(fmtv(0.00001), "1e-05");
	cr_assert_str_eq(fmtv(0.0), "0");
	cr_assert_str_eq(fmtv(-0.0), "-0");
	cr_assert_str_eq(fmtv(-3.25), "-3.25");
	cr_assert_str_eq(fmtv(1e100), "1e+100");
}

Test(gojson, fmt_v_of_special_values)
{
	cr_assert_str_eq(fmtv(INFINITY), "+Inf");
	cr_assert_str_eq(fmtv(-INFINITY), "-Inf");
	cr_assert_str_eq(fmtv(NAN), "NaN");
}

/* each list in the order docker compose config 2.26.1 printed it */
static void
expect_order(const char *const *keys, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			cr_expect_eq(goyaml_keycmp(keys[i], keys[j]) < 0, i < j,
			    "%s before %s: %s", keys[i], keys[j],
			    i < j ? "yes" : "no");
}

Test(gojson, yaml_key_order_is_go_yamls)
{
	static const char *const labels[] = { "-1:2.5", ":", ": x", "?",
		"1:2", "1:60", "12_3:45", "a", "a:", "a?", "b", "c" };
	static const char *const env[] = { "A_b", "a-b", "a_1", "a2", "a10",
		"ab" };
	static const char *const ext[] = { "x-2", "x-10", "x-a", "x-b" };

	expect_order(labels, sizeof labels / sizeof *labels);
	expect_order(env, sizeof env / sizeof *env);
	expect_order(ext, sizeof ext / sizeof *ext);
	cr_expect_lt(goyaml_keycmp("a1b", "a1_"), 0, "a letter after a digit");
	cr_expect_lt(goyaml_keycmp("ab", "abc"), 0, "a prefix first");
}

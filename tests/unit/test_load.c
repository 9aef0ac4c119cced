/* Unit tests: YAML loading, scalar typing, anchors, merge keys, limits. */
#include <criterion/criterion.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "helpers.h"
#include "node.h"

static struct arena a = ARENA_INIT;

static void
setup(void)
{
	diag_capture();
}

static void
teardown(void)
{
	diag_capture_end();
	arena_release(&a);
}

TestSuite(load, .init = setup, .fini = teardown);

/* Type one plain scalar and render it as Compose renders it in a string. */
static const char *
typed(const char *text, enum node_kind *kind)
{
	static char out[128];
	struct node n = { 0 };
	struct buf b = BUF_INIT;

	n.text = text;
	n.len = strlen(text);
	node_type_plain(&n);
	*kind = n.kind;
	if (n.kind != NODE_NULL)
		node_scalar_string(&b, &n);
	snprintf(out, sizeof(out), "%s", buf_str(&b));
	buf_release(&b);
	return out;
}

Test(load, scalars_are_typed_by_yaml_1_2_as_compose_renders_them)
{
	static const struct {
		const char *in;
		enum node_kind kind;
		const char *out;
	} cases[] = {
		{ "yes", NODE_STR, "yes" }, { "no", NODE_STR, "no" },
		{ "on", NODE_STR, "on" }, { "22:22", NODE_STR, "22:22" },
		{ "true", NODE_BOOL, "true" }, { "TRUE", NODE_BOOL, "true" },
		{ "False", NODE_BOOL, "false" }, { "~", NODE_NULL, "" },
		{ "null", NODE_NULL, "" }, { "", NODE_NULL, "" },
		{ "1", NODE_INT, "1" }, { "010", NODE_INT, "8" },
		{ "017", NODE_INT, "15" }, { "0o17", NODE_INT, "15" },
		{ "0x1F", NODE_INT, "31" }, { "0b101", NODE_INT, "5" },
		{ "1_000", NODE_INT, "1000" }, { "+12", NODE_INT, "12" },
		{ "-3", NODE_INT, "-3" }, { "08", NODE_FLOAT, "8" },
		{ "1.0", NODE_FLOAT, "1" }, { "3.10", NODE_FLOAT, "3.1" },
		{ "2.5", NODE_FLOAT, "2.5" }, { "1e3", NODE_FLOAT, "1000" },
		{ "100000000.0", NODE_FLOAT, "1e+08" },
		{ "1.5e-7", NODE_FLOAT, "1.5e-07" }, { ".inf", NODE_FLOAT, "+Inf" },
		{ "12345678901234567890", NODE_INT, "12345678901234567890" },
		{ "1.2.3", NODE_STR, "1.2.3" }, { "0.0.0.0:80:80", NODE_STR,
		    "0.0.0.0:80:80" },
		{ "-", NODE_STR, "-" }, { ".", NODE_STR, "." },
	};
	enum node_kind k;
	size_t i;
	const char *out;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		out = typed(cases[i].in, &k);
		cr_expect_eq(k, cases[i].kind, "%s: kind %d, want %d",
		    cases[i].in, k, cases[i].kind);
		cr_expect_str_eq(out, cases[i].out, "%s: \"%s\", want \"%s\"",
		    cases[i].in, out, cases[i].out);
	}
}

Test(load, quoted_scalars_stay_strings)
{
	struct node *r = load_text(&a, "a: '1'\nb: \"true\"\nc: !!str 5\n");

	cr_assert_not_null(r);
	cr_expect_eq(node_get(r, "a")->kind, NODE_STR);
	cr_expect_eq(node_get(r, "b")->kind, NODE_STR);
	cr_expect_eq(node_get(r, "c")->kind, NODE_STR);
	cr_expect_eq(diag_errors(), 0);
}

Test(load, positions_are_one_based_and_point_inside_quotes)
{
	struct node *r = load_text(&a, "services:\n  web:\n    image: \"x\"\n");
	struct node *img = node_get(node_get(node_get(r, "services"), "web"),
	    "image");

	cr_assert_not_null(img);
	cr_expect_eq(img->loc.line, 3);
	cr_expect_eq(img->loc.col, 13);
	cr_expect_eq(img->loc.len, 1);
}

Test(load, aliases_are_expanded_into_copies)
{
	struct node *r = load_text(&a, "x: &a {k: v}\ny: *a\n");
	struct node *x = node_get(r, "x"), *y = node_get(r, "y");

	cr_assert_not_null(y);
	cr_expect_neq(x, y);
	cr_expect_str_eq(node_get(y, "k")->text, "v");
}

Test(load, explicit_keys_win_over_merged_ones_and_earlier_sources_win)
{
	struct node *r = load_text(&a,
	    "a: &a {k: 1, only_a: x}\n"
	    "b: &b {k: 2, only_b: y}\n"
	    "c:\n  k: 3\n  <<: [*a, *b]\n"
	    "d:\n  <<: [*b, *a]\n");
	struct node *c = node_get(r, "c"), *d = node_get(r, "d");

	cr_expect_eq(node_get(c, "k")->v.i, 3);
	cr_expect_str_eq(node_get(c, "only_a")->text, "x");
	cr_expect_str_eq(node_get(c, "only_b")->text, "y");
	cr_expect_eq(node_get(d, "k")->v.i, 2);
	cr_expect_eq(diag_errors(), 0);
}

Test(load, duplicate_keys_are_errors_with_both_lines)
{
	load_text(&a, "a: 1\nb: 2\na: 3\n");
	cr_expect_eq(diag_errors(), 1);
	cr_expect(strstr(diag_text(), "t.yaml:3:1: error: mapping key 'a' "
	    "already defined at line 1") != NULL, "%s", diag_text());
}

Test(load, merging_a_scalar_is_an_error)
{
	load_text(&a, "a: &s 1\nb:\n  <<: *s\n");
	cr_expect_eq(diag_errors(), 1);
	cr_expect(strstr(diag_text(), "map merge requires map") != NULL);
}

Test(load, unknown_anchor_is_an_error)
{
	load_text(&a, "a: *nope\n");
	cr_expect_eq(diag_errors(), 1);
	cr_expect(strstr(diag_text(), "t.yaml:1:4:") != NULL, "%s",
	    diag_text());
}

Test(load, non_string_keys_are_errors)
{
	load_text(&a, "123: x\ntrue: y\nyes: z\n");
	cr_expect_eq(diag_errors(), 2);
}

Test(load, an_alias_bomb_fails_in_bounded_time)
{
	struct buf b = BUF_INIT;
	int i, j;

	buf_puts(&b, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
	for (i = 1; i < 12; i++) {
		buf_printf(&b, "a%d: &a%d [", i, i);
		for (j = 0; j < 10; j++)
			buf_printf(&b, "%s*a%d", j ? ", " : "", i - 1);
		buf_puts(&b, "]\n");
	}
	load_text(&a, buf_str(&b));
	buf_release(&b);
	cr_expect_eq(diag_errors(), 1);
	cr_expect(strstr(diag_text(), "excessive aliasing") != NULL);
}

Test(load, deep_nesting_is_an_error_not_a_crash)
{
	struct buf b = BUF_INIT;
	int i;

	buf_puts(&b, "a: ");
	for (i = 0; i < 100000; i++)
		buf_putc(&b, '[');
	load_text(&a, buf_str(&b));
	buf_release(&b);
	cr_expect_geq(diag_errors(), 1);
}

Test(load, top_level_must_be_a_mapping)
{
	load_text(&a, "- a\n- b\n");
	cr_expect_eq(diag_errors(), 1);
	cr_expect(strstr(diag_text(), "top-level object must be a mapping"));
}

Test(load, reset_and_override_tags_are_recorded)
{
	struct node *r = load_text(&a, "a: !reset []\nb: !override [1]\n");

	cr_expect(node_get(r, "a")->flags & NODE_RESET);
	cr_expect(node_get(r, "b")->flags & NODE_OVERRIDE);
}

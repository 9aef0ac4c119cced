/*
 * test_interp.c: interpolation, checked against every row of the table in
 * section 3.6 of the compose loader reference, plus laziness, limits and
 * error positions.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "interp.h"
#include "util.h"

/* an environment: "NAME=value" strings, then NULL */
static const char *const env_default[] = {
	"FOO=first", "BAR=", "JSON={\"json\":2}", "N=5", NULL
};
static const char *const env_empty[] = { NULL };
static const char *const env_user[] = { "USER=jenny", "FOO=bar", NULL };
static const char *const env_a[] = { "A=set", NULL };

struct testenv {
	const char *const *vars;
	int warnings;
	char warned[64];	/* the last variable warned about */
};

static const char *
lookup(void *ctx, const char *name)
{
	struct testenv *te = ctx;
	size_t n = strlen(name);
	const char *const *v;

	for (v = te->vars; *v; v++)
		if (strncmp(*v, name, n) == 0 && (*v)[n] == '=')
			return *v + n + 1;
	return NULL;
}

static void
unset(void *ctx, const char *name)
{
	struct testenv *te = ctx;

	te->warnings++;
	snprintf(te->warned, sizeof te->warned, "%s", name);
}

struct result {
	enum interp_status st;
	char *out;
	size_t outlen;
	struct interp_error err;
	struct testenv te;
};

static struct arena arena = ARENA_INIT;

static void
teardown(void)
{
	arena_release(&arena);
}

TestSuite(interp, .fini = teardown);

static struct result
run(const char *const *vars, const char *in)
{
	struct result r;
	struct interp_env env = { lookup, unset, NULL };

	memset(&r, 0, sizeof r);
	r.te.vars = vars;
	env.ctx = &r.te;
	r.st = interp_expand(&arena, in, strlen(in), &env, &r.out, &r.outlen,
	    &r.err);
	return r;
}

enum { ANY = -1 };	/* warnings: not checked */

struct row {
	int row;			/* in section 3.6 */
	const char *const *env;		/* NULL: env_default */
	const char *in;
	enum interp_status st;
	const char *out;	/* OK: the output; SYNTAX: the template */
	const char *name;	/* REQUIRED */
	const char *message;	/* REQUIRED */
	int warnings;
};

#define OK(r, in, out, w)	{ r, NULL, in, INTERP_OK, out, NULL, NULL, w }
#define OKE(r, e, in, out, w)	{ r, e, in, INTERP_OK, out, NULL, NULL, w }
#define SYN(r, in, tmpl)	{ r, NULL, in, INTERP_SYNTAX, tmpl, NULL, NULL, ANY }
#define REQ(r, in, name, msg)	{ r, NULL, in, INTERP_REQUIRED, NULL, name, msg, ANY }
#define REQE(r, e, in, name, msg) { r, e, in, INTERP_REQUIRED, NULL, name, msg, ANY }

static const struct row rows[] = {
	OK(1, "$${foo}", "${foo}", 0),
	OK(2, "foo", "foo", 0),
	OK(3, "a $ string", "a $ string", 0),
	OK(4, "^REGEX$", "^REGEX$", 0),
	OK(5, "$}", "$}", 0),
	OK(6, "$", "$", 0),
	SYN(7, "${", "${"),
	SYN(8, "${}", "${}"),
	SYN(9, "${ }", "${ }"),
	SYN(10, "${ foo}", "${ foo}"),
	SYN(11, "${foo }", "${foo }"),
	SYN(12, "${foo!}", "${foo!}"),
	OK(13, "$FOO-bar", "first-bar", 0),
	OK(14, "This ${missing} var", "This  var", 1),
	OK(15, "This ${BAR} var", "This  var", 0),
	OK(16, "This $FOO var", "This first var", 0),
	OK(16, "This ${FOO} var", "This first var", 0),
	OK(17, "ok ${missing:-def}", "ok def", 0),
	OK(17, "ok ${missing-def}", "ok def", 0),
	OK(18, "ok ${BAR:-def}", "ok def", 0),
	OK(19, "ok ${FOO:-def}", "ok first", 0),
	OK(20, "ok ${BAR-def}", "ok ", 0),
	OK(21, "ok ${UNSET_VAR:+presence_value}", "ok ", 0),
	OK(22, "ok ${UNSET_VAR+presence_value}", "ok ", 0),
	OK(23, "ok ${FOO:+presence_value}", "ok presence_value", 0),
	OK(24, "ok ${FOO+presence_value}", "ok presence_value", 0),
	OK(25, "ok ${BAR+presence_value}", "ok presence_value", 0),
	OK(26, "ok ${BAR:+presence_value}", "ok ", 0),
	OK(27, "ok ${BAR:-/non:-alphanumeric}", "ok /non:-alphanumeric", 0),
	OK(28, "+ok ${UNSET:-${BAR-defaultValue}}", "+ok ", 0),
	OK(29, ":-ok ${UNSET-defaultValue}", ":-ok defaultValue", 0),
	OK(30, ":?ok ${BAR-defaultValue}", ":?ok ", 0),
	OK(31, "?ok ${BAR:-defaultValue}", "?ok defaultValue", 0),
	OK(32, "ok ${UNSET_VAR-$FOO}", "ok first", 0),
	OK(33, "ok ${UNSET_VAR-${FOO} ${FOO}}", "ok first first", 0),
	OK(34, "ok ${BAR:-${FOO}}", "ok first", 0),
	OK(35, "ok ${BAR+$FOO ${FOO:+second}}", "ok first second", 0),
	REQ(36, "not ok ${UNSET_VAR:?Mandatory Variable Unset}", "UNSET_VAR",
	    "Mandatory Variable Unset"),
	REQ(37, "not ok ${BAR:?Mandatory Variable Empty}", "BAR",
	    "Mandatory Variable Empty"),
	REQ(38, "not ok ${UNSET_VAR:?}", "UNSET_VAR", ""),
	REQ(38, "not ok ${UNSET_VAR?}", "UNSET_VAR", ""),
	REQ(39, "not ok ${UNSET_VAR?Mandatory Variable ${FOO}}", "UNSET_VAR",
	    "Mandatory Variable first"),
	OK(40, "ok ${FOO:?err}", "ok first", 0),
	OK(40, "ok ${FOO?err}", "ok first", 0),
	OK(41, "ok ${BAR?err}", "ok ", 0),
	REQ(42, "${UNSET_VAR?bar-baz}", "UNSET_VAR", "bar-baz"),
	OK(43, "${UNSET_VAR-myerror?msg}", "myerror?msg", 0),
	OK(44, "ok ${missing:-{\"json\":1}}", "ok {\"json\":1}", 0),
	OK(45, "ok ${JSON:-{\"json\":1}}", "ok {\"json\":2}", 0),
	OK(46, "${A:+${A},}B", "B", 0),
	OK(47, "${A:-${B}}", "", 1),
	OK(48, "ok ${SUBDOMAIN:-redis}.${FOO:?}", "ok redis.first", 0),
	OKE(49, env_empty, "{{{ ${FOO:-foo-bar-value} }}}",
	    "{{{ foo-bar-value }}}", 0),
	OKE(50, env_empty, "{{{ ${FOO:-foo:?bar:?value} }}}",
	    "{{{ foo:?bar:?value }}}", 0),
	OKE(51, env_empty, "${FOO:-baz} }}}", "baz }}}", 0),
	REQE(52, env_empty, "${FOO:?foo} ${BAR:?bar}", "FOO", "foo"),
	OKE(53, env_empty, "${FOO:-${BAR:-x}_test_${BAR:-y}}", "x_test_y", 0),
	OKE(54, env_empty, "${FOO:-${BAR:-${ZOT:-x}}_test}", "x_test", 0),
	OKE(55, env_user, "{{{ ${FOO:-foo} ${USER:-bar} }}}",
	    "{{{ bar jenny }}}", 0),
	SYN(56, "${", "${"),
	OK(57, "$1", "$1", 0),
	OK(58, "$$FOO", "$FOO", 0),
	OK(59, "$$$FOO", "$first", 0),
	OK(60, "$$$$", "$$", 0),
	OK(61, "$FOO_BAR", "", 1),
	OK(62, "$FOO.bar", "first.bar", 0),
	OK(63, "${FOO}$", "first$", 0),
	SYN(64, "${FOO", "${FOO"),
	SYN(65, "abc ${ def", "abc ${ def"),
	SYN(66, "${FOO:x}", "${FOO:x}"),
	SYN(66, "${FOO::-x}", "${FOO::-x}"),
	SYN(66, "${FOO=x}", "${FOO=x}"),
	SYN(67, "${#FOO}", "${#FOO}"),
	SYN(67, "${FOO#x}", "${FOO#x}"),
	SYN(67, "${FOO/a/b}", "${FOO/a/b}"),
	SYN(67, "${1A}", "${1A}"),
	OK(68, "${NOPE:--x}", "-x", 0),
	OK(69, "${NOPE:-a:b:c}", "a:b:c", 0),
	OK(70, "${NOPE:-a}}", "a}", 0),
	OK(71, "${FOO:-x}y}", "firsty}", 0),
	SYN(72, "${NOPE:-${FOO}", "${FOO"),
	SYN(73, "${NOPE:-${}}", "${}"),
	OK(74, "${NOPE:-$${FOO}}", "${FOO}", 0),
	OK(75, "${NOPE:-}", "", 0),
	OK(75, "${NOPE-}", "", 0),
	OK(76, "${FOO:-}", "first", 0),
	OK(77, "${BAR?}", "", 0),
	REQ(78, "${BAR:?}", "BAR", ""),
	OK(79, "${FOO:-${NOPE:?inner}}", "first", 0),
	REQ(80, "${NOPE:-${NOPE2:?inner}}", "NOPE2", "inner"),
	OK(81, "${FOO}${BAR}${N}", "first5", 0),
	OK(82, "${N}00", "500", 0),
	OK(83, "$${FOO:-x}", "${FOO:-x}", 0),
	OK(84, "pre${NOPE:-a b c}post", "prea b cpost", 0),
};

static const char *const status_names[] = {
	[INTERP_OK] = "OK",
	[INTERP_SYNTAX] = "SYNTAX",
	[INTERP_REQUIRED] = "REQUIRED",
	[INTERP_TOOLONG] = "TOOLONG",
};

Test(interp, every_row_of_the_reference_table_expands_as_compose_does)
{
	size_t i;
	int seen[85] = { 0 };

	for (i = 0; i < countof(rows); i++) {
		const struct row *w = &rows[i];
		struct result r = run(w->env ? w->env : env_default, w->in);

		seen[w->row] = 1;
		cr_expect_eq(r.st, w->st, "row %d (%s): status %s, want %s",
		    w->row, w->in, status_names[r.st], status_names[w->st]);
		if (r.st != w->st)
			continue;
		switch (w->st) {
		case INTERP_OK:
			cr_expect_str_eq(r.out, w->out,
			    "row %d (%s): got '%s', want '%s'", w->row, w->in,
			    r.out, w->out);
			cr_expect_eq(r.outlen, strlen(w->out),
			    "row %d: length %zu", w->row, r.outlen);
			break;
		case INTERP_SYNTAX:
			cr_expect_str_eq(r.err.template, w->out,
			    "row %d (%s): template '%s', want '%s'", w->row,
			    w->in, r.err.template, w->out);
			break;
		case INTERP_REQUIRED:
			cr_expect_str_eq(r.err.name, w->name,
			    "row %d (%s): name '%s', want '%s'", w->row, w->in,
			    r.err.name, w->name);
			cr_expect_str_eq(r.err.message, w->message,
			    "row %d (%s): message '%s', want '%s'", w->row,
			    w->in, r.err.message, w->message);
			break;
		case INTERP_TOOLONG:	/* no row of the table is */
			break;
		}
		if (w->warnings != ANY)
			cr_expect_eq(r.te.warnings, w->warnings,
			    "row %d (%s): %d warnings, want %d", w->row, w->in,
			    r.te.warnings, w->warnings);
	}
	for (i = 1; i < countof(seen); i++)
		cr_expect(seen[i], "row %zu of the reference is not tested", i);
}

Test(interp, unset_variable_warns_with_its_name)
{
	struct result r = run(env_default, "This ${missing} var");

	cr_assert_eq(r.te.warnings, 1);
	cr_expect_str_eq(r.te.warned, "missing");
	r = run(env_default, "${A:-${B}}");
	cr_assert_eq(r.te.warnings, 1);
	cr_expect_str_eq(r.te.warned, "B");
}

Test(interp, unused_alternate_is_not_evaluated)
{
	struct result r = run(env_empty, "${A:+${A},}B");

	cr_assert_eq(r.st, INTERP_OK);
	cr_expect_str_eq(r.out, "B");
	cr_expect_eq(r.te.warnings, 0);
	r = run(env_a, "${A:+${A},}B");
	cr_expect_str_eq(r.out, "set,B");
}

Test(interp, unused_required_message_is_not_evaluated)
{
	struct result r = run(env_a, "${A?${B}}");

	cr_assert_eq(r.st, INTERP_OK);
	cr_expect_str_eq(r.out, "set");
	cr_expect_eq(r.te.warnings, 0);
}

Test(interp, used_required_message_warns_for_unset_variables)
{
	struct result r = run(env_empty, "${A?x${B}y}");

	cr_assert_eq(r.st, INTERP_REQUIRED);
	cr_expect_str_eq(r.err.message, "xy");
	cr_expect_eq(r.te.warnings, 1);
}

Test(interp, unused_default_with_bad_syntax_does_not_fail)
{
	struct result r = run(env_default, "${FOO:-${ }} ${FOO:-${NOPE:?x}}");

	cr_assert_eq(r.st, INTERP_OK);
	cr_expect_str_eq(r.out, "first first");
}

Test(interp, first_error_in_evaluation_order_wins)
{
	struct result r = run(env_default, "${NOPE:?gone} ${");

	cr_assert_eq(r.st, INTERP_REQUIRED);
	cr_expect_str_eq(r.err.name, "NOPE");
	r = run(env_default, "${ ${NOPE:?gone}");
	cr_assert_eq(r.st, INTERP_SYNTAX);
	cr_expect_str_eq(r.err.template, "${ ${NOPE:?gone}");
}

Test(interp, syntax_error_reports_the_bytes_at_fault)
{
	struct result r = run(env_default, "abc ${ def");

	cr_assert_eq(r.st, INTERP_SYNTAX);
	cr_expect_eq(r.err.offset, 4);
	cr_expect_eq(r.err.len, 3, "len %zu", r.err.len);
	r = run(env_default, "xx${NOPE:-${FOO}");
	cr_assert_eq(r.st, INTERP_SYNTAX);
	cr_expect_eq(r.err.offset, 10, "offset %zu", r.err.offset);
	cr_expect_eq(r.err.len, 5, "len %zu", r.err.len);
	cr_expect_str_eq(r.err.template, "${FOO");
}

Test(interp, required_error_reports_the_whole_substitution)
{
	struct result r = run(env_default, "a ${NOPE:-${X:?m}} b");

	cr_assert_eq(r.st, INTERP_REQUIRED);
	cr_expect_eq(r.err.offset, 10, "offset %zu", r.err.offset);
	cr_expect_eq(r.err.len, 7, "len %zu", r.err.len);
	cr_expect_eq(r.err.template, NULL);
}

Test(interp, text_after_a_substitution_on_its_line_is_a_template_of_its_own)
{
	/* compose expands " ${ }" (up to the last brace) separately */
	struct result r = run(env_default, "${NOPE:-a} ${ }");

	cr_assert_eq(r.st, INTERP_SYNTAX);
	cr_expect_str_eq(r.err.template, " ${ }");
	r = run(env_default, "${NOPE:-a}} ${ x");
	cr_assert_eq(r.st, INTERP_SYNTAX);
	cr_expect_str_eq(r.err.template, "${NOPE:-a}} ${ x");
}

Test(interp, argument_cannot_span_lines)
{
	struct result r = run(env_default, "${NOPE:-a\nb}");

	cr_assert_eq(r.st, INTERP_SYNTAX);
	r = run(env_default, "${NOPE:-a}\n${FOO}}");
	cr_assert_eq(r.st, INTERP_OK);
	cr_expect_str_eq(r.out, "a\nfirst}");
}

Test(interp, unbalanced_argument_extends_to_the_last_brace_of_the_line)
{
	struct result r = run(env_default, "${NOPE:-{} x}");

	cr_assert_eq(r.st, INTERP_OK);
	/* compose skips the byte after each '{' when counting */
	cr_expect_str_eq(r.out, "{} x");
}

Test(interp, value_without_dollar_is_copied)
{
	struct result r = run(env_default, "plain text { } \\");

	cr_assert_eq(r.st, INTERP_OK);
	cr_expect_str_eq(r.out, "plain text { } \\");
}

Test(interp, input_need_not_be_nul_terminated)
{
	static const char in[] = "$FOO$FOO";
	struct interp_env env = { lookup, unset, NULL };
	struct testenv te = { env_default, 0, "" };
	struct interp_error err;
	size_t len;
	char *out;

	env.ctx = &te;
	cr_assert_eq(interp_expand(&arena, in, 4, &env, &out, &len, &err),
	    INTERP_OK);
	cr_expect_str_eq(out, "first");
	cr_expect_eq(len, 5);
}

static char *
nested(int levels)
{
	char *s = malloc((size_t)levels * 10 + 1), *p = s;
	int i;

	for (i = 0; i < levels; i++)
		p += sprintf(p, "${N%d:-", i % 10);
	*p++ = 'x';
	for (i = 0; i < levels; i++)
		*p++ = '}';
	*p = '\0';
	return s;
}

Test(interp, nesting_is_bounded)
{
	char *ok = nested(INTERP_MAX_DEPTH - 1), *deep = nested(INTERP_MAX_DEPTH);
	struct result r = run(env_empty, ok);

	cr_expect_eq(r.st, INTERP_OK);
	cr_expect_str_eq(r.out, "x");
	r = run(env_empty, deep);
	cr_expect_eq(r.st, INTERP_SYNTAX);
	free(ok);
	free(deep);
}

Test(interp, very_deep_nesting_fails_without_exhausting_the_stack)
{
	char *s = nested(100000);
	struct result r = run(env_empty, s);

	cr_expect_eq(r.st, INTERP_SYNTAX);
	free(s);
}

Test(interp, one_megabyte_value_expands)
{
	size_t n = 1 << 20, i;
	char *s = malloc(n + 1);
	struct result r;

	for (i = 0; i + 6 <= n; i += 6)
		memcpy(s + i, "$N${N}", 6);
	memset(s + i, 'y', n - i);
	s[n] = '\0';
	r = run(env_default, s);
	cr_assert_eq(r.st, INTERP_OK);
	cr_expect_eq(r.outlen, n / 6 * 2 + n % 6);
	free(s);
}

Test(interp, many_unterminated_substitutions_are_linear)
{
	size_t n = 1 << 20, i;
	char *s = malloc(n + 1);
	struct result r;

	/* each "${A:-{" looks for a closing brace on a line that has one */
	s[0] = '}';
	for (i = 1; i + 6 <= n; i += 6)
		memcpy(s + i, "${A:-{", 6);
	memset(s + i, '{', n - i);
	s[n] = '\0';
	memcpy(s + n - 1, "}", 1);
	r = run(env_a, s);
	cr_expect_eq(r.st, INTERP_OK);
	s[n - 1] = '{';
	r = run(env_a, s);
	cr_expect_eq(r.st, INTERP_SYNTAX);
	free(s);
}

Test(interp, name_is_the_longest_run_and_case_sensitive)
{
	static const char *const env[] = { "foo=low", "FOO=up", NULL };
	struct result r = run(env, "$foo/${FOO}/$FOO_x/$FOO-");

	cr_assert_eq(r.st, INTERP_OK);
	cr_expect_str_eq(r.out, "low/up//up-");
	cr_expect_eq(r.te.warnings, 1);
}

/* All expansions in one arena share INTERP_MAX_TOTAL: a value of 3/4 of
 * it passes, the next one that would go over fails at the piece that did,
 * and a new arena (a new compilation) starts again. */
Test(interp, the_expansions_of_one_arena_are_bounded_together)
{
	size_t quarter = INTERP_MAX_TOTAL / 4;
	char *big = malloc(quarter + 5);
	const char *vars[] = { big, NULL };
	struct result r;

	cr_assert_not_null(big);
	memcpy(big, "BIG=", 4);
	memset(big + 4, 'x', quarter);
	big[quarter + 4] = '\0';
	r = run(vars, "${BIG}$BIG${BIG:-}");
	cr_assert_eq(r.st, INTERP_OK);
	cr_assert_eq(r.outlen, 3 * quarter);
	r = run(vars, "ab${BIG}cd$BIG");
	cr_assert_eq(r.st, INTERP_TOOLONG);
	cr_expect_eq(r.err.offset, 2);
	cr_expect_eq(r.err.len, 6);
	r = run(vars, "small $$ text");
	cr_assert_eq(r.st, INTERP_OK);
	arena_release(&arena);
	r = run(vars, "$BIG$BIG$BIG");
	cr_assert_eq(r.st, INTERP_OK);
	free(big);
}

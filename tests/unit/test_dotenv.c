/*
 * test_dotenv.c: the .env parser against the rules of section 2.3 of the
 * compose loader reference and the cases of compose-go's dotenv tests.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "dotenv.h"
#include "interp.h"
#include "util.h"

enum { MAXVARS = 64 };

/* what a parse produced */
struct result {
	int rc;
	const char *err;
	unsigned errline;
	size_t n;			/* set() calls, in order */
	const char *keys[MAXVARS], *values[MAXVARS];
	int warnings;
	const char *const *env;		/* "NAME=value" strings, then NULL */
};

static struct arena arena = ARENA_INIT;
static struct buf errbuf = BUF_INIT;

static void
teardown(void)
{
	arena_release(&arena);
	buf_release(&errbuf);
}

TestSuite(dotenv, .fini = teardown);

static const char *
lookup(void *ctx, const char *name)
{
	struct result *r = ctx;
	size_t n = strlen(name);
	const char *const *v;

	for (v = r->env; v && *v; v++)
		if (strncmp(*v, name, n) == 0 && (*v)[n] == '=')
			return *v + n + 1;
	return NULL;
}

static void
unset(void *ctx, const char *name)
{
	struct result *r = ctx;

	r->warnings++;
}

static void
set(void *ctx, const char *key, const char *value)
{
	struct result *r = ctx;

	cr_assert_lt(r->n, MAXVARS);
	r->keys[r->n] = key;
	r->values[r->n] = value;
	r->n++;
}

static struct result *
parsewith(const char *const *env, const char *text, size_t len)
{
	struct result *r = arena_alloc(&arena, sizeof *r);
	struct interp_env ienv = { lookup, unset, NULL };
	struct dotenv_sink sink = { set, NULL };

	r->env = env;
	ienv.ctx = r;
	sink.ctx = r;
	buf_reset(&errbuf);
	r->rc = dotenv_parse(&arena, text, len, &ienv, &sink, &errbuf,
	    &r->errline);
	r->err = arena_strdup(&arena, buf_str(&errbuf));
	return r;
}

static struct result *
parse(const char *text)
{
	return parsewith(NULL, text, strlen(text));
}

/* the value last set for key, or NULL */
static const char *
get(const struct result *r, const char *key)
{
	size_t i;

	for (i = r->n; i-- > 0;)
		if (strcmp(r->keys[i], key) == 0)
			return r->values[i];
	return NULL;
}

/* parse text alone and expect exactly key=value */
static void
expect_one(const char *text, const char *key, const char *value)
{
	struct result *r = parse(text);

	cr_expect_eq(r->rc, 0, "%s: failed: %s", text, r->err);
	cr_expect_eq(r->n, 1, "%s: %zu variables", text, r->n);
	if (r->rc != 0 || r->n != 1)
		return;
	cr_expect_str_eq(r->keys[0], key, "%s: key '%s', want '%s'", text,
	    r->keys[0], key);
	cr_expect_str_eq(r->values[0], value, "%s: value '%s', want '%s'",
	    text, r->values[0], value);
}

static void
expect_error(const char *text, unsigned line, const char *msg)
{
	struct result *r = parse(text);

	cr_expect_eq(r->rc, -1, "%s: did not fail", text);
	cr_expect_str_eq(r->err, msg, "%s: error '%s', want '%s'", text,
	    r->err, msg);
	cr_expect_eq(r->errline, line, "%s: line %u, want %u", text,
	    r->errline, line);
}

Test(dotenv, plain_values_are_trimmed_and_may_be_empty)
{
	struct result *r = parse("OPTION_A=1\nOPTION_B=2\nOPTION_C= 3\n"
	    "OPTION_D =4\nOPTION_E = 5\n456 = ABC\nOPTION_F = \nOPTION_G=\n"
	    "OPTION_H = my string # Inline comment\n");
	static const char *const want[][2] = {
		{ "OPTION_A", "1" }, { "OPTION_B", "2" }, { "OPTION_C", "3" },
		{ "OPTION_D", "4" }, { "OPTION_E", "5" }, { "456", "ABC" },
		{ "OPTION_F", "" }, { "OPTION_G", "" },
		{ "OPTION_H", "my string" },
	};
	size_t i;

	cr_assert_eq(r->rc, 0, "%s", r->err);
	cr_assert_eq(r->n, countof(want));
	for (i = 0; i < countof(want); i++) {
		cr_expect_str_eq(r->keys[i], want[i][0]);
		cr_expect_str_eq(r->values[i], want[i][1], "%s='%s'",
		    want[i][0], r->values[i]);
	}
}

Test(dotenv, quoted_values_follow_the_fixture)
{
	struct result *r = parse("OPTION_A='1'\nOPTION_B='2'\nOPTION_C=''\n"
	    "OPTION_D='\\n'\nOPTION_E=\"1\"\nOPTION_F=\"2\"\nOPTION_G=\"\"\n"
	    "OPTION_H=\"\\n\"\nOPTION_I = \"echo 'asd'\" # Inline comment\n"
	    "OPTION_J = 'first line\nsecond line\nthird line\nand so on'\n"
	    "OPTION_K='Let\\'s go!'\nOPTION_Z = \"last value\"\n");

	cr_assert_eq(r->rc, 0, "%s", r->err);
	cr_expect_eq(r->n, 12);
	cr_expect_str_eq(get(r, "OPTION_A"), "1");
	cr_expect_str_eq(get(r, "OPTION_C"), "");
	cr_expect_str_eq(get(r, "OPTION_D"), "\\n");
	cr_expect_str_eq(get(r, "OPTION_E"), "1");
	cr_expect_str_eq(get(r, "OPTION_G"), "");
	cr_expect_str_eq(get(r, "OPTION_H"), "\n");
	cr_expect_str_eq(get(r, "OPTION_I"), "echo 'asd'");
	cr_expect_str_eq(get(r, "OPTION_J"),
	    "first line\nsecond line\nthird line\nand so on");
	cr_expect_str_eq(get(r, "OPTION_K"), "Let's go!");
	cr_expect_str_eq(get(r, "OPTION_Z"), "last value");
}

Test(dotenv, separators_may_be_equals_or_colon_with_spaces)
{
	expect_one("FOO=bar", "FOO", "bar");
	expect_one("FOO =bar", "FOO", "bar");
	expect_one("FOO= bar", "FOO", "bar");
	expect_one("FOO\t=\tbar", "FOO", "bar");
	expect_one("OPTION_A: 1", "OPTION_A", "1");
	expect_one("OPTION_A: Foo=bar", "OPTION_A", "Foo=bar");
	expect_one("OPTION_A=1:B", "OPTION_A", "1:B");
	expect_one("FOO=foobar=", "FOO", "foobar=");
	expect_one("=value", "", "value");
	expect_one("=\"value\"", "", "value");
}

Test(dotenv, keys_allow_letters_digits_dots_dashes_and_brackets)
{
	expect_one("VAR.WITH.DOTS=dots", "VAR.WITH.DOTS", "dots");
	expect_one("VAR-WITH-DASHES=dashes", "VAR-WITH-DASHES", "dashes");
	expect_one("VAR_WITH_UNDERSCORES=u", "VAR_WITH_UNDERSCORES", "u");
	expect_one("A[0]=x", "A[0]", "x");
	expect_one("9LIVES=x", "9LIVES", "x");
	expect_one("CAF\xc3\x89=x", "CAF\xc3\x89", "x");
}

Test(dotenv, export_prefix_is_dropped)
{
	expect_one("export OPTION_A=2", "OPTION_A", "2");
	expect_one("export OPTION_B='\\n'", "OPTION_B", "\\n");
	expect_one("export exportFoo=2", "exportFoo", "2");
	expect_one("exportFOO=2", "exportFOO", "2");
	expect_one("export_FOO =2", "export_FOO", "2");
	expect_one("export.FOO= 2", "export.FOO", "2");
	expect_one("export\tOPTION_A=2", "OPTION_A", "2");
	expect_one("  export OPTION_A=2", "OPTION_A", "2");
	expect_one("\texport OPTION_A=2", "OPTION_A", "2");
	expect_one("export OPTION_A=\"export A\"", "OPTION_A", "export A");
	expect_one("export=1", "export", "1");
	expect_one(
	    "export OPTION_A='postgres://localhost:5432/database?sslmode=disable'\n",
	    "OPTION_A", "postgres://localhost:5432/database?sslmode=disable");
}

Test(dotenv, blank_lines_and_comments_are_ignored)
{
	static const char *const blank[] = {
		"", "\n", "\r\n", "\t\t ", "# Comment", "\t # comment",
		"# a\n\n  # b\n",
	};
	struct result *r;
	size_t i;

	for (i = 0; i < countof(blank); i++) {
		r = parse(blank[i]);
		cr_expect_eq(r->rc, 0, "'%s': %s", blank[i], r->err);
		cr_expect_eq(r->n, 0, "'%s': %zu variables", blank[i], r->n);
	}
	r = parse("# first\nA=1\n   # second\n\nB=2 # third\n#C=3\n");
	cr_assert_eq(r->rc, 0, "%s", r->err);
	cr_expect_eq(r->n, 2);
	cr_expect_str_eq(get(r, "A"), "1");
	cr_expect_str_eq(get(r, "B"), "2");
}

Test(dotenv, inline_comment_needs_a_space_before_the_hash)
{
	expect_one("FOO=bar # this is foo", "FOO", "bar");
	expect_one("FOO=bar #this is foo", "FOO", "bar");
	expect_one("FOO=bar #", "FOO", "bar");
	expect_one("FOO=123#not-an-inline-comment", "FOO",
	    "123#not-an-inline-comment");
	expect_one("FOO=a\t#c", "FOO", "a\t#c");
	expect_one("FOO=a  b  ", "FOO", "a  b");
	expect_one("FOO=bar\r\n", "FOO", "bar");
}

Test(dotenv, quoted_value_may_contain_hash_and_be_followed_by_comment)
{
	expect_one("FOO=\"bar#baz\"", "FOO", "bar#baz");
	expect_one("FOO=\"bar#baz\"#", "FOO", "bar#baz");
	expect_one("FOO=\"bar#baz\" # comment", "FOO", "bar#baz");
	expect_one("FOO='bar#baz' # comment", "FOO", "bar#baz");
	expect_one("FOO=\"bar#baz#bang\" # comment", "FOO", "bar#baz#bang");
	expect_one("FOO=\"ba#r\"", "FOO", "ba#r");
	expect_one("FOO='ba#r'", "FOO", "ba#r");
}

Test(dotenv, text_after_a_closing_quote_starts_a_new_statement)
{
	static const char *const env[] = { "y=from-env", NULL };
	const char *text = "A=\"x\"y\nB=2";
	struct result *r = parsewith(env, text, strlen(text));

	cr_assert_eq(r->rc, 0, "%s", r->err);
	cr_assert_eq(r->n, 3);
	cr_expect_str_eq(get(r, "A"), "x");
	cr_expect_str_eq(get(r, "y"), "from-env");
	cr_expect_str_eq(get(r, "B"), "2");
}

Test(dotenv, unquoted_backslashes_are_literal)
{
	expect_one("FOO=a\\tb", "FOO", "a\\tb");
	expect_one("FOO=a\\nb\\\\", "FOO", "a\\nb\\\\");
}

Test(dotenv, single_quotes_are_literal_except_escaped_quote)
{
	expect_one("FOO='\\n'", "FOO", "\\n");
	expect_one("FOO='a\\\\b'", "FOO", "a\\\\b");
	expect_one("FOO='Let\\'s go!'", "FOO", "Let's go!");
	expect_one("FOO='$BAR ${BAR:?x} ${'", "FOO", "$BAR ${BAR:?x} ${");
	expect_one("FOO='say \"hi\"'", "FOO", "say \"hi\"");
}

Test(dotenv, double_quotes_process_escapes)
{
	expect_one("KEY=\"Z\\aZ\\bZ\\fZ\\nZ\\rZ\\tZ\\vZ\\\\Z\\0123Z\"", "KEY",
	    "Z\aZ\bZ\fZ\nZ\rZ\tZ\vZ\\ZSZ");
	expect_one("FOO=\"escaped\\\"bar\"", "FOO", "escaped\"bar");
	expect_one("FOO=\"\\\"quoted\\\"\"", "FOO", "\"quoted\"");
	expect_one("FOO=\"'d'\"", "FOO", "'d'");
	expect_one("FOO=\"bar\\n\\ b\\az\"", "FOO", "bar\n\\ b\az");
	expect_one("FOO=\"bar\\\\\\n\\ b\\az\"", "FOO", "bar\\\n\\ b\az");
	expect_one("FOO=\"bar\\\\r\\ b\\az\"", "FOO", "bar\\r\\ b\az");
	expect_one("FOO=\"bar\\nbaz\\\\\"", "FOO", "bar\nbaz\\");
	expect_one("FOO=\"a\\tb\"", "FOO", "a\tb");
}

Test(dotenv, other_backslash_sequences_stay_verbatim)
{
	expect_one("KEY=\"\\x07\"", "KEY", "\\x07");
	expect_one("KEY=\"\\u12e4\"", "KEY", "\\u12e4");
	expect_one("KEY=\"\\U00101234\"", "KEY", "\\U00101234");
	expect_one("KEY=\"\\c\"", "KEY", "\\c");
}

Test(dotenv, octal_escapes_need_three_digits_after_the_zero)
{
	expect_one("KEY=\"\\0123\"", "KEY", "S");
	expect_one("KEY=\"\\01234\"", "KEY", "S4");
	expect_one("KEY=\"\\0101\\0102\"", "KEY", "AB");
	/* Go drops the 0 of an escape it cannot decode */
	expect_one("KEY=\"\\0\"", "KEY", "\\");
	expect_one("KEY=\"\\012\"", "KEY", "\\12");
	expect_one("KEY=\"\\0777\"", "KEY", "\\777");
	expect_one("KEY=\"\\0089\"", "KEY", "\\089");
	/* above 127 the value is a code point, written in UTF-8 */
	expect_one("KEY=\"\\0351\"", "KEY", "\xc3\xa9");
}

Test(dotenv, dollar_escapes_in_double_quotes_give_a_literal_dollar)
{
	static const char *const env[] = { "BAR=bar", NULL };
	const char *text = "A=\"foo\\$BAR\"\nB=\"foo\\${BAR}\"\n"
	    "C=\"foo$${BAR} ${BAR}\"\nD=foo$$BAR\n";
	struct result *r = parsewith(env, text, strlen(text));

	cr_assert_eq(r->rc, 0, "%s", r->err);
	cr_expect_str_eq(get(r, "A"), "foo$BAR");
	cr_expect_str_eq(get(r, "B"), "foo${BAR}");
	cr_expect_str_eq(get(r, "C"), "foo${BAR} bar");
	cr_expect_str_eq(get(r, "D"), "foo$BAR");
}

Test(dotenv, quoted_values_may_span_lines)
{
	const char *text = "TEST_URLS=\"stratum+tcp://a:3333\n"
	    "stratum+tcp://b:443\"\nNEXT=1\n";
	struct result *r = parse(text);

	cr_assert_eq(r->rc, 0, "%s", r->err);
	cr_expect_eq(r->n, 2);
	cr_expect_str_eq(get(r, "TEST_URLS"),
	    "stratum+tcp://a:3333\nstratum+tcp://b:443");
	cr_expect_str_eq(get(r, "NEXT"), "1");
}

Test(dotenv, bare_key_inherits_from_the_environment_then_the_file)
{
	static const char *const env[] = {
		"VAR_TO_BE_LOADED_FROM_OS_ENV=SOME_RANDOM_VALUE", NULL
	};
	const char *text = "foo=bar\nVAR_TO_BE_LOADED_FROM_OS_ENV\nbar=baz\n"
	    "foo\nVARIABLE_NOT_FOUND\n";
	struct result *r = parsewith(env, text, strlen(text));

	cr_assert_eq(r->rc, 0, "%s", r->err);
	cr_assert_eq(r->n, 4);
	cr_expect_str_eq(r->keys[1], "VAR_TO_BE_LOADED_FROM_OS_ENV");
	cr_expect_str_eq(r->values[1], "SOME_RANDOM_VALUE");
	cr_expect_str_eq(r->keys[3], "foo");
	cr_expect_str_eq(r->values[3], "bar");
	cr_expect_eq(get(r, "VARIABLE_NOT_FOUND"), NULL);
}

Test(dotenv, bare_key_on_an_unterminated_last_line_becomes_the_empty_key)
{
	static const char *const env[] = { "FOO=set", NULL };
	struct result *r = parsewith(env, "A=1\nFOO", 7);

	cr_assert_eq(r->rc, 0, "%s", r->err);
	cr_assert_eq(r->n, 2);
	cr_expect_str_eq(r->keys[1], "");
	cr_expect_str_eq(r->values[1], "FOO");
	r = parsewith(env, "A=1\nFOO\n", 8);
	cr_assert_eq(r->n, 2);
	cr_expect_str_eq(r->keys[1], "FOO");
	cr_expect_str_eq(r->values[1], "set");
}

Test(dotenv, utf8_bom_is_ignored)
{
	expect_one("\xef\xbb\xbfOPTION_A=1\n", "OPTION_A", "1");
}

Test(dotenv, interpolation_sees_the_environment_before_the_file)
{
	static const char *const shell[] = { "FOO=zot", NULL };
	const char *text = "FOO=foo\nBAR=${FOO}\n";
	struct result *r = parsewith(shell, text, strlen(text));

	/* the file's own value is set; the caller lets the shell win */
	cr_assert_eq(r->rc, 0, "%s", r->err);
	cr_expect_str_eq(get(r, "FOO"), "foo");
	cr_expect_str_eq(get(r, "BAR"), "zot");
	r = parse(text);
	cr_expect_str_eq(get(r, "FOO"), "foo");
	cr_expect_str_eq(get(r, "BAR"), "foo");
}

Test(dotenv, substitutions_follow_the_fixtures)
{
	static const char *const env[] = { "OPTION_A=5", NULL };
	const char *plain = "OPTION_A=1\nOPTION_B=${OPTION_A}\n"
	    "OPTION_C=$OPTION_B\nOPTION_D=${OPTION_A}_${OPTION_B}\n"
	    "OPTION_E=${OPTION_NOT_DEFINED}\n";
	const char *dflt = "OPTION_A=${OPTION_A:-1}\nOPTION_B=${OPTION_A}\n"
	    "OPTION_C=$OPTION_B\nOPTION_D=${OPTION_A}_${OPTION_B}\n"
	    "OPTION_E=${OPTION_NOT_DEFINED}\n";
	struct result *r = parsewith(env, plain, strlen(plain));

	cr_assert_eq(r->rc, 0, "%s", r->err);
	cr_expect_str_eq(get(r, "OPTION_A"), "1");
	cr_expect_str_eq(get(r, "OPTION_B"), "5");
	cr_expect_str_eq(get(r, "OPTION_C"), "5");
	cr_expect_str_eq(get(r, "OPTION_D"), "5_5");
	cr_expect_str_eq(get(r, "OPTION_E"), "");
	cr_expect_eq(r->warnings, 1);
	r = parsewith(env, dflt, strlen(dflt));
	cr_expect_str_eq(get(r, "OPTION_A"), "5");
	cr_expect_str_eq(get(r, "OPTION_D"), "5_5");
	r = parsewith(NULL, dflt, strlen(dflt));
	cr_expect_str_eq(get(r, "OPTION_A"), "1");
	cr_expect_str_eq(get(r, "OPTION_B"), "1");
	cr_expect_str_eq(get(r, "OPTION_C"), "1");
	cr_expect_str_eq(get(r, "OPTION_D"), "1_1");
	cr_expect_str_eq(get(r, "OPTION_E"), "");
}

Test(dotenv, later_values_are_invisible_earlier_and_redefinition_wins)
{
	const char *text = "A=$B\nB=1\nB=2\nC=$B\n";
	struct result *r = parse(text);

	cr_assert_eq(r->rc, 0, "%s", r->err);
	cr_assert_eq(r->n, 4);
	cr_expect_str_eq(r->values[0], "");
	cr_expect_str_eq(r->values[1], "1");
	cr_expect_str_eq(r->values[2], "2");
	cr_expect_str_eq(get(r, "C"), "2");
	cr_expect_eq(r->warnings, 1);
}

Test(dotenv, interpolation_errors_are_compose_template_errors)
{
	expect_error("A=1\nB=${NOPE:?need it}\n", 2,
	    "required variable NOPE is missing a value: need it");
	expect_error("B=\"${NOPE?}\"", 1,
	    "required variable NOPE is missing a value");
	expect_error("\n\nB=x${ }", 3, "Invalid template: \"x${ }\"");
	expect_error("B=\"a\tb${\"", 1, "Invalid template: \"a\\tb${\"");
}

Test(dotenv, unexpected_character_in_key_is_an_error)
{
	expect_error("lol$wut", 1,
	    "line 1: unexpected character \"$\" in variable name \"lol$wut\"");
	expect_error("A=1\n\nFOO\"BAR=x\nC=3\n", 3,
	    "line 3: unexpected character \"\\\"\" in variable name "
	    "\"FOO\\\"BAR=x\"");
	expect_error("export A,B=1", 1,
	    "line 1: unexpected character \",\" in variable name \"A,B=1\"");
	expect_error("A\xff=1", 1,
	    "line 1: unexpected character \"\xef\xbf\xbd\" in variable name "
	    "\"A\\xff=1\"");
	expect_error("A\xc2\xa7=1", 1,
	    "line 1: unexpected character \"\xc2\xa7\" in variable name "
	    "\"A\xc2\xa7=1\"");
}

Test(dotenv, key_with_a_space_is_an_error)
{
	expect_error("# some comments\nfoo=\"\n  a\n  multine\n  value\n\"\n"
	    "INVALID LINE\nzot=qix", 7, "line 7: key cannot contain a space");
	expect_error("A B=1", 1, "line 1: key cannot contain a space");
}

Test(dotenv, unterminated_quote_is_an_error)
{
	static const char *const cases[] = {
		"KEY=\"", "KEY=\"value", "KEY=\"value\\\"", "KEY=\"value'",
		"KEY='", "KEY='value", "KEY='value\\'", "KEY='value\"",
	};
	size_t i;
	struct result *r;

	for (i = 0; i < countof(cases); i++) {
		r = parse(cases[i]);
		cr_expect_eq(r->rc, -1, "%s", cases[i]);
		cr_expect(strstr(r->err, "unterminated quoted value") != NULL,
		    "%s: %s", cases[i], r->err);
	}
	/* the line is where the scan stopped: the end of the file */
	expect_error("A=1\nKEY=\"abc\nB=2\n", 4,
	    "line 4: unterminated quoted value \"abc");
}

Test(dotenv, values_before_an_error_have_been_set)
{
	struct result *r = parse("A=1\nB=2\nC D=3\n");

	cr_expect_eq(r->rc, -1);
	cr_expect_eq(r->n, 2);
}

Test(dotenv, text_need_not_be_nul_terminated)
{
	struct result *r = parsewith(NULL, "A=12345", 4);

	cr_assert_eq(r->rc, 0, "%s", r->err);
	cr_expect_str_eq(get(r, "A"), "12");
}

static void
count(void *ctx, const char *key, const char *value)
{
	(*(size_t *)ctx)++;
}

Test(dotenv, large_file_parses)
{
	struct buf text = BUF_INIT, err = BUF_INIT;
	struct interp_env env = { lookup, NULL, NULL };
	struct dotenv_sink sink = { count, NULL };
	struct result r;
	size_t i, n = 0;
	unsigned line = 0;

	memset(&r, 0, sizeof r);
	env.ctx = &r;
	sink.ctx = &n;
	for (i = 0; i < 100000; i++)
		buf_printf(&text, "K%zu=${K0:-x}y ${NOPE:-z}\n", i);
	cr_assert_eq(dotenv_parse(&arena, text.data, text.len, &env, &sink,
	    &err, &line), 0, "%s", buf_str(&err));
	cr_expect_eq(n, 100000);
	buf_release(&text);
	buf_release(&err);
}

/* A NUL byte would end the value in a C string: an error that names its
 * line (compose fails too, "setenv: invalid argument"), never a value cut
 * short. */
Test(dotenv, a_nul_byte_is_an_error_on_its_line)
{
	static const char text[] = "A=1\n# c\nB=before\0after\nC=3\n";
	struct result *r = parsewith(NULL, text, sizeof(text) - 1);

	cr_expect_eq(r->rc, -1);
	cr_expect_eq(r->errline, 3);
	cr_expect_str_eq(r->err, "line 3: a NUL byte, which cannot reach "
	    "Docker: a docker argument ends at the first NUL");
	cr_expect_eq(r->n, 0, "%zu variables set", r->n);
}

/* test_shellwords.c: string commands split as go-shellwords 1.0.12. */
#include <criterion/criterion.h>

#include <stdarg.h>

#include "arena.h"
#include "buf.h"
#include "shellwords.h"

static struct arena arena = ARENA_INIT;
static struct buf err = BUF_INIT;
static long stopped;

static void
teardown(void)
{
	arena_release(&arena);
	buf_release(&err);
}

TestSuite(shellwords, .fini = teardown);

/* split s and compare with the NULL-terminated list of expected words */
static void
splits(const char *s, ...)
{
	va_list ap;
	char **argv;
	const char *want;
	int argc, i = 0;

	buf_reset(&err);
	argc = shellwords_split(&arena, s, &argv, &err, &stopped);
	cr_assert_geq(argc, 0, "%s: %s", s, buf_str(&err));
	va_start(ap, s);
	while ((want = va_arg(ap, const char *)) != NULL) {
		cr_assert_lt(i, argc, "%s: too few words", s);
		cr_assert_str_eq(argv[i], want, "%s: word %d", s, i);
		i++;
	}
	va_end(ap);
	cr_assert_eq(argc, i, "%s: %d words, want %d", s, argc, i);
}

static void
fails(const char *s)
{
	char **argv;

	buf_reset(&err);
	cr_assert_eq(shellwords_split(&arena, s, &argv, &err, &stopped), -1,
	    "%s should fail", s);
	cr_assert_str_eq(buf_str(&err), "invalid command line string");
}

Test(shellwords, blanks_separate_words)
{
	splits("echo hello world", "echo", "hello", "world", NULL);
	splits("  a \t b\r\nc  ", "a", "b", "c", NULL);
	cr_assert_eq(stopped, -1);
}

Test(shellwords, empty_string_has_no_words)
{
	splits("", NULL);
	splits("   ", NULL);
}

Test(shellwords, single_quotes_keep_everything)
{
	splits("'a\\nb'", "a\\nb", NULL);
	splits("'a \"b\" c'", "a \"b\" c", NULL);
}

Test(shellwords, backslash_escapes_inside_double_quotes)
{
	splits("\"a\\nb\"", "anb", NULL);
	splits("\"say \\\"hi\\\"\"", "say \"hi\"", NULL);
}

Test(shellwords, backslash_escapes_a_blank)
{
	splits("a\\ b", "a b", NULL);
}

Test(shellwords, double_quotes_group_words)
{
	splits("sh -c \"echo a b\"", "sh", "-c", "echo a b", NULL);
	splits("a\"b c\"d", "ab cd", NULL);
}

Test(shellwords, empty_quotes_make_empty_words)
{
	splits("\"\" ''", "", "", NULL);
}

Test(shellwords, nothing_is_expanded)
{
	splits("echo $HOME ~ *.c `x`", "echo", "$HOME", "~", "*.c", "`x`",
	    NULL);
}

Test(shellwords, hash_is_ordinary)
{
	splits("echo # x", "echo", "#", "x", NULL);
}

Test(shellwords, dollar_paren_is_one_word)
{
	splits("echo $(date +%s) x", "echo", "$(date +%s)", "x", NULL);
}

Test(shellwords, split_stops_at_an_operator)
{
	splits("echo a && echo b", "echo", "a", NULL);
	cr_assert_eq(stopped, 7);
	splits("echo a;b", "echo", "a", NULL);
	cr_assert_eq(stopped, 6);
	splits("a|b", "a", NULL);
	splits("cat <in", "cat", NULL);
}

Test(shellwords, digit_word_before_redirect_is_dropped)
{
	splits("echo 2>&1", "echo", NULL);
	cr_assert_eq(stopped, 5);
	splits("echo x>y", "echo", "x", NULL);
}

Test(shellwords, quoted_operators_are_ordinary)
{
	splits("echo 'a;b' \"c|d\" e\\&f", "echo", "a;b", "c|d", "e&f", NULL);
	cr_assert_eq(stopped, -1);
}

Test(shellwords, bare_parenthesis_is_an_error)
{
	fails("echo (a)");
	fails("a)");
}

Test(shellwords, unbalanced_quotes_are_errors)
{
	fails("echo 'a");
	fails("echo \"a");
	fails("echo `a");
	fails("a\\");
}

Test(shellwords, invalid_utf8_becomes_replacement_character)
{
	splits("a\xff b\xc3\xa9", "a\xef\xbf\xbd", "b\xc3\xa9", NULL);
}

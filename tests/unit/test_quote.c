/* test_quote.c: quoting for each medium, and a round trip through GNU make
 * and sh for the make recipe quoting. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "quote.h"

static const char *
sh(const char *s)
{
	static struct buf b = BUF_INIT;

	buf_reset(&b);
	quote_sh(&b, s);
	return buf_str(&b);
}

static const char *
mk(const char *s)
{
	static struct buf b = BUF_INIT;

	buf_reset(&b);
	quote_make(&b, s);
	return buf_str(&b);
}

Test(quote_sh, words)
{
	cr_assert_str_eq(sh(""), "''");
	cr_assert_str_eq(sh("plain"), "'plain'");
	cr_assert_str_eq(sh("it's"), "'it'\\''s'");
	cr_assert_str_eq(sh("$(id) `id` $HOME"), "'$(id) `id` $HOME'");
	cr_assert_str_eq(sh("a\nb"), "'a\nb'");
}

Test(quote_make, empty)
{
	cr_assert_str_eq(mk(""), "''");
}

Test(quote_make, quotes)
{
	cr_assert_str_eq(mk("it's \"q\""), "'it'\\''s \"q\"'");
	cr_assert_str_eq(mk("'"), "''\\'''");
}

Test(quote_make, dollars_are_doubled_for_make)
{
	cr_assert_str_eq(mk("$"), "'$$'");
	cr_assert_str_eq(mk("$(id) ${HOME} $$"), "'$$(id) $${HOME} $$$$'");
}

Test(quote_make, backticks_hash_percent_backslash_are_data)
{
	cr_assert_str_eq(mk("`id`"), "'`id`'");
	cr_assert_str_eq(mk("a # b"), "'a # b'");
	cr_assert_str_eq(mk("100% %s %%"), "'100% %s %%'");
	cr_assert_str_eq(mk("C:\\temp\\"), "'C:\\temp\\'");
}

Test(quote_make, newlines_never_reach_the_line)
{
	cr_assert_str_eq(mk("a\nb"), "'a'\"$$C2SH_NL\"'b'");
	cr_assert_str_eq(mk("\n"), "''\"$$C2SH_NL\"''");
	cr_assert_str_eq(mk("x\\\n"), "'x\\'\"$$C2SH_NL\"''");
}

/* Run each value through a Makefile recipe, printf '%s' into a file,
 * and compare the bytes. */
Test(quote_make, round_trip_through_make_and_sh)
{
	static const char *const values[] = {
		"", "plain", "it's 'q' \"dq\"", "$(touch /tmp/c2sh-pwned)",
		"`id`", "$HOME $$ ${X:-y} $", "a # not a comment", "100% %s",
		"back\\slash \\\\ \\n \\", "two\nlines\n", "\n\n", "\\\nx",
		"endef", "define x", "tab\there", "  spaced  ", "*", "~",
		"a; b && c | d > e", "$(C2SH_NL)", "héllo ☃",
	};
	char dir[] = "/tmp/c2sh-test-quote.XXXXXX";
	char path[256], cmd[512], got[256];
	struct buf b = BUF_INIT;
	FILE *f;
	size_t i, n;

	cr_assert(mkdtemp(dir));
	buf_puts(&b, "define C2SH_NL\n\n\nendef\nexport C2SH_NL\n"
	    ".SHELLFLAGS := -euc\nall:\n");
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		buf_printf(&b, "\t@printf '%%s' ");
		quote_make(&b, values[i]);
		buf_printf(&b, " >%s/%zu.out\n", dir, i);
	}
	snprintf(path, sizeof(path), "%s/Makefile", dir);
	f = fopen(path, "w");
	cr_assert(f);
	fputs(buf_str(&b), f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "make -s -f %s", path);
	cr_assert_eq(system(cmd), 0);
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		snprintf(path, sizeof(path), "%s/%zu.out", dir, i);
		f = fopen(path, "rb");
		cr_assert(f, "no output for value %zu", i);
		n = fread(got, 1, sizeof(got) - 1, f);
		got[n] = '\0';
		fclose(f);
		remove(path);
		cr_assert_str_eq(got, values[i], "value %zu", i);
	}
	snprintf(path, sizeof(path), "%s/Makefile", dir);
	remove(path);
	remove(dir);
	buf_release(&b);
}

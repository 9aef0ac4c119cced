/* test_quote_sd.c: words for systemd command lines (quote_sd). */
#include <criterion/criterion.h>

#include "buf.h"
#include "quote.h"

static struct buf b = BUF_INIT;

static void
teardown(void)
{
	buf_release(&b);
}

TestSuite(quote_sd, .fini = teardown);

static void
quotes(const char *in, const char *want)
{
	buf_reset(&b);
	quote_sd(&b, in);
	cr_assert_str_eq(buf_str(&b), want, "quote_sd(\"%s\")", in);
}

Test(quote_sd, plain_words_are_double_quoted)
{
	quotes("redis", "\"redis\"");
	quotes("a b", "\"a b\"");
}

Test(quote_sd, empty_string_is_an_empty_word)
{
	quotes("", "\"\"");
}

Test(quote_sd, specifiers_and_variables_are_escaped)
{
	quotes("100%", "\"100%%\"");
	quotes("%n%%", "\"%%n%%%%\"");
	quotes("$HOME ${X} $$", "\"$$HOME $${X} $$$$\"");
}

Test(quote_sd, quotes_and_backslashes)
{
	quotes("say \"hi\"", "\"say \\\"hi\\\"\"");
	quotes("it's", "\"it's\"");
	quotes("C:\\dir\\", "\"C:\\\\dir\\\\\"");
	quotes("\\;", "\"\\\\;\"");
	quotes(";", "\";\"");
}

Test(quote_sd, shell_syntax_is_data)
{
	quotes("$(id) `id` | && >x", "\"$$(id) `id` | && >x\"");
}

Test(quote_sd, control_characters_are_escaped)
{
	quotes("a\nb", "\"a\\nb\"");
	quotes("a\tb\rc", "\"a\\tb\\rc\"");
	quotes("\x01\x1f\x7f", "\"\\x01\\x1f\\x7f\"");
	/* a value can never end the line, and so never continue it */
	quotes("end\\\n", "\"end\\\\\\n\"");
}

Test(quote_sd, utf8_passes_unchanged)
{
	quotes("caf\xc3\xa9 \xe2\x82\xac", "\"caf\xc3\xa9 \xe2\x82\xac\"");
}

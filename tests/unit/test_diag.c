/* Unit tests: the diagnostic format, the caret line and the error cap. */
#include <criterion/criterion.h>
#include <string.h>

#include "diag.h"
#include "helpers.h"

static void
setup(void)
{
	diag_capture();
}

static void
teardown(void)
{
	diag_capture_end();
}

TestSuite(diag, .init = setup, .fini = teardown);

Test(diag, error_shows_file_line_column_source_and_caret)
{
	static const char text[] = "services:\n  web:\n    ports: [\"80:x\"]\n";
	unsigned f = diag_addfile("c.yaml", text, sizeof(text) - 1);

	diag(DIAG_ERROR, (struct loc){ f, 3, 13, 4 }, "services.web.ports[0]: "
	    "invalid port \"%s\"", "80:x");
	cr_expect_str_eq(diag_text(),
	    "c.yaml:3:13: error: services.web.ports[0]: invalid port \"80:x\"\n"
	    "    3 |     ports: [\"80:x\"]\n"
	    "      |             ^~~~\n");
	cr_expect_eq(diag_errors(), 1);
}

Test(diag, caret_line_copies_tabs_so_it_lines_up)
{
	static const char text[] = "\tkey: value\n";
	unsigned f = diag_addfile("t.yaml", text, sizeof(text) - 1);

	diag(DIAG_WARNING, (struct loc){ f, 1, 7, 5 }, "w");
	cr_expect_str_eq(diag_text(), "t.yaml:1:7: warning: w\n"
	    "    1 | \tkey: value\n"
	    "      | \t     ^~~~~\n");
	cr_expect_eq(diag_errors(), 0);
	cr_expect_eq(diag_warnings(), 1);
}

Test(diag, message_without_a_file_names_the_program)
{
	diag(DIAG_ERROR, (struct loc){ 0 }, "no configuration file provided");
	cr_expect_str_eq(diag_text(),
	    "c2sh: error: no configuration file provided\n");
}

Test(diag, quiet_hides_warnings_but_not_errors)
{
	diag_quiet(1);
	diag(DIAG_WARNING, (struct loc){ 0 }, "hidden");
	diag(DIAG_ERROR, (struct loc){ 0 }, "shown");
	diag_quiet(0);
	cr_expect_str_eq(diag_text(), "c2sh: error: shown\n");
	cr_expect_eq(diag_warnings(), 1);
}

Test(diag, stops_printing_after_too_many_errors)
{
	int i;

	for (i = 0; i < DIAG_MAX_ERRORS + 5; i++)
		diag(DIAG_ERROR, (struct loc){ 0 }, "e%d", i);
	cr_expect(strstr(diag_text(), "too many errors") != NULL);
	cr_expect(strstr(diag_text(), "e21") == NULL);
	cr_expect_eq(diag_errors(), DIAG_MAX_ERRORS + 5);
}

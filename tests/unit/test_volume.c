/* test_volume.c: the short volume syntax, loader reference 5.2. */
#include <criterion/criterion.h>

#include "arena.h"
#include "buf.h"
#include "volume.h"

static struct arena arena = ARENA_INIT;
static struct buf err = BUF_INIT;
static size_t erroff;

static void
teardown(void)
{
	arena_release(&arena);
	buf_release(&err);
}

TestSuite(volume, .fini = teardown);

static struct volume_spec
parse(const char *spec)
{
	struct volume_spec v;

	cr_assert_eq(volume_parse(&arena, spec, &v, &err, &erroff), 0,
	    "%s: %s", spec, buf_str(&err));
	return v;
}

static void
fails(const char *spec, const char *msg)
{
	struct volume_spec v;

	buf_reset(&err);
	cr_assert_eq(volume_parse(&arena, spec, &v, &err, &erroff), -1,
	    "%s should fail", spec);
	cr_assert_str_eq(buf_str(&err), msg);
}

Test(volume, empty_spec_is_an_error)
{
	fails("", "invalid empty volume spec");
}

Test(volume, one_or_two_characters_are_only_a_target)
{
	struct volume_spec v = parse("/a");

	cr_assert_eq(v.kind, VOLUME_ANON);
	cr_assert_null(v.source);
	cr_assert_str_eq(v.target, "/a");
	cr_assert_str_eq(parse("::").target, "::");
	cr_assert_str_eq(parse("a/").target, "a");
}

Test(volume, one_field_is_an_anonymous_volume)
{
	struct volume_spec v = parse("/data");

	cr_assert_eq(v.kind, VOLUME_ANON);
	cr_assert_null(v.source);
	cr_assert_str_eq(v.target, "/data");
}

Test(volume, relative_source_is_a_bind)
{
	struct volume_spec v = parse("./src:/app");

	cr_assert_eq(v.kind, VOLUME_BIND);
	cr_assert_str_eq(v.source, "./src");
	cr_assert_str_eq(v.target, "/app");
	cr_assert_eq(v.read_only, 0);
}

Test(volume, absolute_home_and_unc_sources_are_binds)
{
	cr_assert_eq(parse("/src:/dst").kind, VOLUME_BIND);
	cr_assert_eq(parse("~/src:/dst").kind, VOLUME_BIND);
	cr_assert_eq(parse("\\\\host\\share:/dst").kind, VOLUME_BIND);
}

Test(volume, plain_name_is_a_named_volume)
{
	struct volume_spec v = parse("data:/x");

	cr_assert_eq(v.kind, VOLUME_NAMED);
	cr_assert_str_eq(v.source, "data");
	cr_assert_str_eq(v.target, "/x");
}

Test(volume, name_with_slash_is_still_a_named_volume)
{
	struct volume_spec v = parse("data/sub:/x");

	cr_assert_eq(v.kind, VOLUME_NAMED);
	cr_assert_str_eq(v.source, "data/sub");
}

Test(volume, ro_makes_it_read_only)
{
	cr_assert_eq(parse("/src:/dst:ro").read_only, 1);
}

Test(volume, later_rw_undoes_ro)
{
	cr_assert_eq(parse("/src:/dst:ro,rw").read_only, 0);
}

Test(volume, selinux_and_propagation_options)
{
	struct volume_spec v = parse("/src:/dst:ro,z,rshared");

	cr_assert_eq(v.read_only, 1);
	cr_assert_str_eq(v.selinux, "z");
	cr_assert_str_eq(v.propagation, "rshared");
	cr_assert_str_eq(parse("/s:/d:Z").selinux, "Z");
	cr_assert_str_eq(parse("/s:/d:slave").propagation, "slave");
	cr_assert_str_eq(parse("/s:/d:rprivate").propagation, "rprivate");
}

Test(volume, nocopy_option)
{
	struct volume_spec v = parse("data:/x:nocopy");

	cr_assert_eq(v.nocopy, 1);
	cr_assert_eq(v.kind, VOLUME_NAMED);
}

Test(volume, unknown_options_are_ignored)
{
	struct volume_spec v = parse("name:/target:bogus");

	cr_assert_eq(v.kind, VOLUME_NAMED);
	cr_assert_eq(v.read_only, 0);
	cr_assert_null(v.selinux);
	cr_assert_null(v.propagation);
	cr_assert_eq(v.nocopy, 0);
	cr_assert_null(parse("/s:/d:roo,zz,rsharedx").propagation);
}

Test(volume, fourth_field_is_too_many_colons)
{
	fails("ab:/c:ro:x", "invalid spec: ab:/c:ro:x: too many colons");
	fails("/a:/b:ro:", "invalid spec: /a:/b:ro:: too many colons");
	cr_assert_eq(erroff, 8);
}

Test(volume, empty_field_is_an_error)
{
	fails(":foo", "invalid spec: :foo: empty section between colons");
	cr_assert_eq(erroff, 0);
	fails("/foo::ro", "invalid spec: /foo::ro: empty section between "
	    "colons");
	cr_assert_eq(erroff, 5);
	fails("/foo:", "invalid spec: /foo:: empty section between colons");
}

Test(volume, target_is_cleaned)
{
	cr_assert_str_eq(parse("/data/").target, "/data");
	cr_assert_str_eq(parse("./x:/a/../b").target, "/b");
	cr_assert_str_eq(parse("vol:/a//b/./c/").target, "/a/b/c");
}

Test(volume, source_is_kept_as_written)
{
	cr_assert_str_eq(parse("./a/../b/:/x").source, "./a/../b/");
}

Test(volume, single_letter_name_is_taken_as_a_drive)
{
	struct volume_spec v = parse("a:/data");

	cr_assert_eq(v.kind, VOLUME_ANON);
	cr_assert_str_eq(v.target, "a:/data");
}

Test(volume, windows_paths_do_not_crash)
{
	struct volume_spec v = parse("C:\\src:D:\\dst:ro");

	cr_assert_eq(v.kind, VOLUME_BIND);
	cr_assert_str_eq(v.source, "C:\\src");
	cr_assert_str_eq(v.target, "D:\\dst");
	cr_assert_eq(v.read_only, 1);
	parse("1:/x");
	parse("\xc3\xa9:/x");
}

Test(volume, colon_inside_braces_is_not_a_separator)
{
	struct volume_spec v = parse("${SRC:-./x}:/y");

	cr_assert_str_eq(v.source, "${SRC:-./x}");
	cr_assert_str_eq(v.target, "/y");
}

Test(volume, invalid_utf8_becomes_replacement_character)
{
	cr_assert_str_eq(parse("v\xff:/x").source, "v\xef\xbf\xbd");
}

Test(volume, clean_path_like_go)
{
	static const char *cases[][2] = {
		{ "", "." }, { "/", "/" }, { "a/../..", ".." },
		{ "/../a", "/a" }, { "a//b/./c/", "a/b/c" },
		{ "../../a", "../../a" }, { ".", "." }, { "a/..", "." },
		{ "//x//", "/x" }, { "/a/b/../../..", "/" },
		{ "a/b/../../../c", "../c" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_assert_str_eq(volume_clean_path(&arena, cases[i][0]),
		    cases[i][1], "clean(%s)", cases[i][0]);
}

Test(volume, unclosed_braces_drop_the_last_field)
{
	struct volume_spec v = parse("/a:${x");

	cr_assert_str_eq(v.source, "/a");
	cr_assert_str_eq(v.target, "");
}

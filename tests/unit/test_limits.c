/*
 * test_limits.c: what a medium cannot carry is an error when c2sh
 * compiles, never a value cut or a deploy that fails: one docker argument
 * longer than Linux passes (dockerargs.c, every backend), a make recipe
 * line longer than one argument of sh -c (make.c), a unit file line longer
 * than systemd reads (systemd.c).  Each limit is tested at its edge.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "arena.h"
#include "backend.h"
#include "buf.h"
#include "diag.h"
#include "dockerargs.h"
#include "helpers.h"
#include "plan.h"

enum { ARGMAX = 32 * 4096 - 1, LINEMAX = 1024 * 1024 };

static struct arena a = ARENA_INIT;
static struct plan p;
static struct buf out = BUF_INIT;

static void
setup(void)
{
	diag_capture();
	memset(&p, 0, sizeof(p));
	p.mem = &a;
	p.project = "p";
	p.workdir = "/w";
	p.cmdline = "c2sh";
}

static void
teardown(void)
{
	diag_capture_end();
	buf_release(&out);
	arena_release(&a);
}

TestSuite(limits, .init = setup, .fini = teardown);

/* n bytes of c */
static const char *
fill(const char *prefix, int c, size_t n)
{
	size_t k = strlen(prefix);
	char *s = arena_alloc(&a, k + n + 1);

	memcpy(s, prefix, k);
	memset(s + k, c, n);
	s[k + n] = '\0';
	return s;
}

static struct resource *
ctr(void)
{
	struct resource *r = plan_add(&p, RES_CONTAINER, "p-s-1", "s",
	    (struct loc){ 0 });

	r->image = "img";
	r->hash = "0";
	r->number = 1;
	return r;
}

static void
emit(const struct backend *be)
{
	plan_levels(&p);
	buf_reset(&out);
	be->emit(&p, &out);
}

Test(limits, one_docker_argument_up_to_the_linux_limit)
{
	struct args args;

	plan_set(&p, ctr(), "env", fill("K=", 'v', ARGMAX - 2));
	args_init(&args, &a);
	dockerargs_create(&args, p.res[0], DA_ALL);
	cr_assert_eq(diag_errors(), 0, "%s", diag_text());
}

Test(limits, one_docker_argument_past_the_linux_limit)
{
	struct args args;

	plan_set(&p, ctr(), "env", fill("K=", 'v', ARGMAX - 1));
	args_init(&args, &a);
	dockerargs_create(&args, p.res[0], DA_ALL);
	cr_assert_eq(diag_errors(), 1);
	cr_assert(strstr(diag_text(), "container p-s-1: the value of --env is "
	    "131072 bytes, more than Linux passes to a program in one "
	    "argument (131071 bytes)"), "%s", diag_text());
}

Test(limits, a_command_word_past_the_linux_limit)
{
	struct resource *r = ctr();
	const char *v[] = { "a", fill("", 'w', ARGMAX + 1) };

	r->command.v = v;
	r->command.n = 2;
	r->command.set = 1;
	emit(&sh_backend);
	cr_assert_eq(diag_errors(), 1);
	cr_assert(strstr(diag_text(), "docker argument 2 is 131072 bytes"), "%s",
	    diag_text());
}

Test(limits, every_backend_refuses_a_too_long_argument)
{
	unsigned before;

	plan_set(&p, ctr(), "label", fill("k=", 'v', ARGMAX));
	emit(&sh_backend);
	cr_assert_eq(diag_errors(), 1, "%s", diag_text());
	emit(&systemd_backend);
	cr_assert_eq(diag_errors(), 2, "%s", diag_text());
	/* make: the argument, and the recipe line that holds it */
	before = diag_errors();
	emit(&make_backend);
	cr_assert_geq(diag_errors(), before + 1, "%s", diag_text());
}

/* a make recipe line is one argument of sh -c: 30,000 single quotes are
 * 120,000 bytes there ('\'' each), 33,000 are 132,000 */
Test(limits, make_recipe_line_within_one_argument)
{
	plan_set(&p, ctr(), "env", fill("K=", '\'', 30000));
	emit(&make_backend);
	cr_assert_eq(diag_errors(), 0, "%s", diag_text());
}

Test(limits, make_recipe_line_past_one_argument)
{
	plan_set(&p, ctr(), "env", fill("K=", '\'', 33000));
	emit(&make_backend);
	cr_assert_eq(diag_errors(), 1);
	cr_assert(strstr(diag_text(), "container p-s-1: its make recipe is "),
	    "%s", diag_text());
	cr_assert(strstr(diag_text(), "more than Linux passes to sh -c in one "
	    "argument (131071 bytes)"), "%s", diag_text());
	/* deploy.sh passes the value as one docker argument of 33,002 */
	emit(&sh_backend);
	cr_assert_eq(diag_errors(), 1);
}

/* in a make recipe, $ is written $$ but sh gets one: 100,000 of them fit */
Test(limits, make_counts_dollars_as_sh_gets_them)
{
	plan_set(&p, ctr(), "env", fill("K=", '$', 100000));
	emit(&make_backend);
	cr_assert_eq(diag_errors(), 0, "%s", diag_text());
}

/* systemd: three values of 100 KiB of control characters are 1.2 MiB on
 * the Exec line (\x01 each); two are 800 KiB */
Test(limits, unit_line_within_what_systemd_reads)
{
	struct resource *r = ctr();

	plan_set(&p, r, "label", fill("a=", '\001', 100 * 1024));
	plan_set(&p, r, "label", fill("b=", '\001', 100 * 1024));
	emit(&systemd_backend);
	cr_assert_eq(diag_errors(), 0, "%s", diag_text());
}

Test(limits, unit_line_past_what_systemd_reads)
{
	struct resource *r = ctr();

	plan_set(&p, r, "label", fill("a=", '\001', 100 * 1024));
	plan_set(&p, r, "label", fill("b=", '\001', 100 * 1024));
	plan_set(&p, r, "label", fill("c=", '\001', 100 * 1024));
	emit(&systemd_backend);
	cr_assert_eq(diag_errors(), 1);
	cr_assert(strstr(diag_text(), "container p-s-1: its unit would have "
	    "a line of "), "%s", diag_text());
	cr_assert(strstr(diag_text(), "more than systemd reads (1048576 "
	    "bytes)"), "%s", diag_text());
	/* deploy.sh has no such limit */
	emit(&sh_backend);
	cr_assert_eq(diag_errors(), 1);
}

/* the edge itself: a line of exactly LINEMAX bytes is read, one more is
 * not.  The unit's other bytes are measured first, then the value is
 * made to fill the line up to the edge. */
Test(limits, unit_line_at_the_edge)
{
	struct resource *r = ctr();
	const char *line;
	size_t base, i;

	/* two labels of 100 KiB of \x01 (400 KiB each on the line), and a
	 * third one to fill it: each stays within one argument */
	plan_set(&p, r, "label", fill("a=", '\001', 100 * 1024));
	plan_set(&p, r, "label", fill("b=", '\001', 100 * 1024));
	plan_set(&p, r, "label", "x=");
	emit(&systemd_backend);
	cr_assert_eq(diag_errors(), 0, "%s", diag_text());
	/* the create line, which holds the labels */
	line = strstr(buf_str(&out), "ExecStartPre=/bin/sh -c \"n=");
	cr_assert(line);
	/* measure the logical line: physical lines ending in a backslash */
	base = 0;
	for (i = 0; line[i]; i++) {
		if (line[i] == '\n' && (i == 0 || line[i - 1] != '\\'))
			break;
		if (line[i] != '\n')
			base++;
	}
	/* \x01 is four bytes on the line, 'a' one */
	r->set[r->nset - 1].value = arena_printf(&a, "%s%s",
	    fill("x=", '\001', (LINEMAX - base) / 4),
	    fill("", 'a', (LINEMAX - base) % 4));
	emit(&systemd_backend);
	cr_assert_eq(diag_errors(), 0, "%s", diag_text());
	r->set[r->nset - 1].value = arena_printf(&a, "%sa",
	    r->set[r->nset - 1].value);
	emit(&systemd_backend);
	cr_assert_eq(diag_errors(), 1, "%s", diag_text());
}

/* all of docker's arguments together: 17 environment values of 120,000
 * bytes fit in 2 MiB less the 32 KiB kept for the environment, 18 do not
 * (deploy.sh would fail with "Argument list too long") */
static void
bigenv(struct resource *r, int n)
{
	int i;

	for (i = 0; i < n; i++)
		plan_set(&p, r, "env", fill(arena_printf(&a, "K%02d=", i), 'v',
		    120000));
}

Test(limits, all_docker_arguments_within_what_linux_passes)
{
	bigenv(ctr(), 17);
	emit(&sh_backend);
	cr_assert_eq(diag_errors(), 0, "%s", diag_text());
}

Test(limits, all_docker_arguments_past_what_linux_passes)
{
	bigenv(ctr(), 18);
	emit(&sh_backend);
	cr_assert_eq(diag_errors(), 1, "%s", diag_text());
	cr_assert(strstr(diag_text(), "container p-s-1: its docker arguments "
	    "add up to "), "%s", diag_text());
}

/* Unit tests: the plan's levels and cycle reports, with plans built in C. */
#include <criterion/criterion.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "helpers.h"
#include "plan.h"

static struct arena a = ARENA_INIT;
static struct plan p;

static void
setup(void)
{
	diag_capture();
	memset(&p, 0, sizeof(p));
	p.mem = &a;
}

static void
teardown(void)
{
	diag_capture_end();
	arena_release(&a);
}

TestSuite(plan, .init = setup, .fini = teardown);

static struct resource *
ctr(const char *name)
{
	return plan_add(&p, RES_CONTAINER, name, name, (struct loc){ 0 });
}

Test(plan, levels_follow_the_longest_dependency_chain)
{
	struct resource *net = plan_add(&p, RES_NETWORK, "n", "n",
	    (struct loc){ 0 });
	struct resource *db = ctr("db"), *web = ctr("web"), *job = ctr("job");

	plan_dep(&p, db, net, DEP_EXISTS, (struct loc){ 0 });
	plan_dep(&p, web, db, DEP_HEALTHY, (struct loc){ 0 });
	plan_dep(&p, web, net, DEP_EXISTS, (struct loc){ 0 });
	cr_assert_eq(plan_levels(&p), 0);
	cr_expect_eq(net->level, 0);
	cr_expect_eq(job->level, 0);
	cr_expect_eq(db->level, 1);
	cr_expect_eq(web->level, 2);
	cr_expect_eq(p.nlevels, 3);
}

Test(plan, resources_keep_declaration_order_within_a_level)
{
	struct resource *c = ctr("c"), *b = ctr("b"), *x = ctr("x");

	plan_dep(&p, x, c, DEP_STARTED, (struct loc){ 0 });
	cr_assert_eq(plan_levels(&p), 0);
	cr_expect_eq(p.res[0], c);
	cr_expect_eq(p.res[1], b);
	cr_expect_eq(p.res[2], x);
}

Test(plan, a_cycle_is_reported_in_order)
{
	struct resource *s1 = ctr("service1"), *s2 = ctr("service2"),
	    *s3 = ctr("service3");

	plan_dep(&p, s1, s2, DEP_STARTED, (struct loc){ 0 });
	plan_dep(&p, s2, s3, DEP_STARTED, (struct loc){ 0 });
	plan_dep(&p, s3, s1, DEP_STARTED, (struct loc){ 0 });
	cr_expect_eq(plan_levels(&p), 1);
	cr_expect(strstr(diag_text(), "dependency cycle: service1 -> "
	    "service2 -> service3 -> service1") != NULL, "%s", diag_text());
}

Test(plan, a_self_dependency_is_a_cycle)
{
	struct resource *s = ctr("solo");

	plan_dep(&p, s, s, DEP_STARTED, (struct loc){ 0 });
	cr_expect_eq(plan_levels(&p), 1);
	cr_expect(strstr(diag_text(), "solo -> solo") != NULL);
}

Test(plan, a_repeated_edge_keeps_the_strongest_condition)
{
	struct resource *a1 = ctr("a"), *b1 = ctr("b");

	plan_dep(&p, a1, b1, DEP_STARTED, (struct loc){ 0 });
	plan_dep(&p, a1, b1, DEP_HEALTHY, (struct loc){ 0 });
	cr_expect_eq(a1->ndeps, 1);
	cr_expect_eq(a1->deps[0].cond, DEP_HEALTHY);
}

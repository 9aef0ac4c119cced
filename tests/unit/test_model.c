/* Unit tests: decoding to canonical long form, merging, model errors. */
#include <criterion/criterion.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "helpers.h"
#include "model.h"
#include "modeljson.h"
#include "node.h"
#include "schema.h"

static struct arena a = ARENA_INIT;
static struct model m;

static void
setup(void)
{
	diag_capture();
	memset(&m, 0, sizeof(m));
}

static void
teardown(void)
{
	diag_capture_end();
	arena_release(&a);
}

TestSuite(model, .init = setup, .fini = teardown);

static struct node *
decode(const char *yaml)
{
	return model_decode(&a, &m, load_text(&a, yaml));
}

/* the service "s" of a decoded project, as compose-go's JSON */
static const char *
servicejson(struct node *root)
{
	static char out[4096];
	struct buf b = BUF_INIT;

	modeljson(&b, &schema_service, node_get(node_get(root, "services"),
	    "s"), 0);
	snprintf(out, sizeof(out), "%s", buf_str(&b));
	buf_release(&b);
	return out;
}

Test(model, short_syntax_becomes_the_long_form)
{
	struct node *r = decode("services:\n  s:\n    image: x\n"
	    "    command: echo 'a b' c\n"
	    "    environment: [A=1, B]\n"
	    "    labels: [l]\n"
	    "    depends_on: [db]\n"
	    "    healthcheck: {test: curl x}\n"
	    "    ports: ['127.0.0.1:80:8080/udp']\n"
	    "    volumes: [data:/d, ./c:/c:ro]\n");

	cr_assert_eq(diag_errors(), 0, "%s", diag_text());
	cr_expect_str_eq(servicejson(r),
	    "{\"command\":[\"echo\",\"a b\",\"c\"],"
	    "\"depends_on\":{\"db\":{\"condition\":\"service_started\","
	    "\"required\":true}},\"entrypoint\":null,"
	    "\"environment\":{\"A\":\"1\",\"B\":null},"
	    "\"healthcheck\":{\"test\":[\"CMD-SHELL\",\"curl x\"]},"
	    "\"image\":\"x\",\"labels\":{\"l\":\"\"},"
	    "\"ports\":[{\"mode\":\"ingress\",\"host_ip\":\"127.0.0.1\","
	    "\"target\":8080,\"published\":\"80\",\"protocol\":\"udp\"}],"
	    "\"volumes\":[{\"type\":\"volume\",\"source\":\"data\","
	    "\"target\":\"/d\",\"volume\":{}},{\"type\":\"bind\","
	    "\"source\":\"./c\",\"target\":\"/c\",\"read_only\":true,"
	    "\"bind\":{\"create_host_path\":true}}]}");
}

Test(model, unknown_keys_are_reported_with_a_suggestion)
{
	decode("services:\n  s:\n    image: x\n    enviroment: {}\n"
	    "    bogus: 1\n");
	cr_expect_eq(diag_errors(), 2);
	cr_expect(strstr(diag_text(), "t.yaml:4:5: error: services.s: "
	    "unknown key 'enviroment' (did you mean 'environment'?)") != NULL,
	    "%s", diag_text());
	cr_expect(strstr(diag_text(), "unknown key 'bogus'\n") != NULL);
}

Test(model, every_wrong_type_is_reported)
{
	decode("services:\n  s:\n    image: 5\n    environment: x\n"
	    "    init: maybe\n    scale: two\n");
	cr_expect_eq(diag_errors(), 4, "%s", diag_text());
	cr_expect(strstr(diag_text(), "services.s.image: must be a string, "
	    "not an integer") != NULL, "%s", diag_text());
	cr_expect(strstr(diag_text(), "invalid boolean \"maybe\"") != NULL);
}

Test(model, yaml_1_1_booleans_are_accepted_with_a_warning)
{
	struct node *r = decode("services:\n  s:\n    image: x\n"
	    "    tty: yes\n");

	cr_expect_eq(diag_errors(), 0);
	cr_expect_eq(diag_warnings(), 1);
	cr_expect(model_bool(node_get(node_get(r, "services"), "s"), "tty"));
}

Test(model, merge_appends_ports_and_keys_volumes_by_target)
{
	struct node *b = decode("services:\n  s:\n    image: x\n"
	    "    command: [a]\n    ports: ['80:80']\n"
	    "    volumes: [one:/data, /keep]\n    environment: {A: '1'}\n");
	struct node *o = decode("services:\n  s:\n    command: [b]\n"
	    "    ports: ['81:80']\n    volumes: [two:/data]\n"
	    "    environment: [B=2]\n");
	struct node *r = model_merge(&a, b, o);

	cr_assert_eq(diag_errors(), 0, "%s", diag_text());
	cr_expect_str_eq(servicejson(r),
	    "{\"command\":[\"b\"],\"entrypoint\":null,"
	    "\"environment\":{\"A\":\"1\",\"B\":\"2\"},\"image\":\"x\","
	    "\"ports\":[{\"mode\":\"ingress\",\"target\":80,\"published\":"
	    "\"80\",\"protocol\":\"tcp\"},{\"mode\":\"ingress\",\"target\":80,"
	    "\"published\":\"81\",\"protocol\":\"tcp\"}],"
	    "\"volumes\":[{\"type\":\"volume\",\"source\":\"two\",\"target\":"
	    "\"/data\",\"volume\":{}},{\"type\":\"volume\",\"target\":\"/keep\","
	    "\"volume\":{}}]}");
}

Test(model, reset_removes_and_override_replaces)
{
	struct node *b = decode("services:\n  s:\n    image: x\n"
	    "    ports: ['80:80']\n    labels: {a: b}\n");
	struct node *o = decode("services:\n  s:\n    ports: !override "
	    "['90:90']\n    labels: !reset {}\n");
	struct node *r = model_merge(&a, b, o);

	cr_expect_str_eq(servicejson(r),
	    "{\"command\":null,\"entrypoint\":null,\"image\":\"x\","
	    "\"ports\":[{\"mode\":\"ingress\",\"target\":90,\"published\":"
	    "\"90\",\"protocol\":\"tcp\"}]}");
}

Test(model, duplicates_inside_one_file_collapse_like_compose)
{
	struct node *r = decode("services:\n  s:\n    image: x\n"
	    "    cap_add: [A, A, B]\n");

	cr_expect_str_eq(servicejson(r), "{\"cap_add\":[\"A\",\"B\"],"
	    "\"command\":null,\"entrypoint\":null,\"image\":\"x\"}");
}

Test(model, ignored_keys_go_to_the_ledger)
{
	decode("services:\n  s:\n    image: x\n    develop: {watch: []}\n"
	    "    deploy: {placement: {constraints: [a]}}\n");
	cr_expect_eq(m.nledger, 2);
	cr_expect_str_eq(m.ledger[0].path, "services.s.develop");
	cr_expect_str_eq(m.ledger[1].path, "services.s.deploy.placement");
}

Test(model, unsupported_keys_are_errors_that_say_why)
{
	decode("services:\n  s:\n    image: x\n    provider: {type: y}\n");
	cr_expect_eq(diag_errors(), 1);
	cr_expect(strstr(diag_text(), "services.s.provider: not supported: ")
	    != NULL, "%s", diag_text());
}

Test(model, a_string_command_that_compose_cuts_is_warned_about)
{
	struct node *r = decode("services:\n  s:\n    image: x\n"
	    "    command: echo a && echo b\n");

	cr_expect_eq(diag_warnings(), 1);
	cr_expect_str_eq(servicejson(r), "{\"command\":[\"echo\",\"a\"],"
	    "\"entrypoint\":null,\"image\":\"x\"}");
}

/*
 * Unit tests: merging several files, extends and profiles, each expected
 * result taken from what Compose 2.26.1 does with the same input
 * (compose-loader.md §6; the loader's own tests cited there).
 */
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

TestSuite(merge, .init = setup, .fini = teardown);

/* base and override documents merged; the JSON of the service named */
static const char *
merged(const char *base, const char *over, const char *name)
{
	static char out[4096];
	struct node *b = model_decode(&a, &m, load_text(&a, base));
	struct node *o = model_decode(&a, &m, load_text(&a, over));
	struct node *r = model_merge(&a, b, o);
	struct buf j = BUF_INIT;

	cr_assert_eq(diag_errors(), 0, "%s", diag_text());
	modeljson(&j, &schema_service, node_get(node_get(r, "services"),
	    name), 0);
	snprintf(out, sizeof(out), "%s", buf_str(&j));
	buf_release(&j);
	return out;
}

/* the JSON of one field of service s after the merge */
static const char *
mergedfield(const char *base, const char *over, const char *name)
{
	static char out[4096];
	struct node *b = model_decode(&a, &m, load_text(&a, base));
	struct node *o = model_decode(&a, &m, load_text(&a, over));
	struct node *r = model_merge(&a, b, o), *svc, *one;
	struct buf j = BUF_INIT;

	cr_assert_eq(diag_errors(), 0, "%s", diag_text());
	svc = node_get(node_get(r, "services"), "s");
	one = node_new(&a, NODE_MAP, svc->loc);
	if (node_getpair(svc, name))
		node_set(&a, one, node_getpair(svc, name)->key,
		    node_get(svc, name));
	modeljson(&j, &schema_service, one, 0);
	snprintf(out, sizeof(out), "%s", buf_str(&j));
	buf_release(&j);
	return out;
}

#define S "services:\n  s:\n    image: x\n"
#define O "services:\n  s:\n"

Test(merge, scalars_are_replaced_by_the_later_file)
{
	cr_expect_str_eq(mergedfield(S "    restart: always\n",
	    O "    restart: \"no\"\n", "restart"), "{\"command\":null,"
	    "\"entrypoint\":null,\"restart\":\"no\"}");
}

Test(merge, a_null_in_the_override_changes_nothing)
{
	cr_expect_str_eq(mergedfield(S "    user: app\n", O "    user:\n",
	    "user"), "{\"command\":null,\"entrypoint\":null,\"user\":\"app\"}");
}

Test(merge, command_and_entrypoint_are_replaced_not_appended)
{
	cr_expect_str_eq(mergedfield(S "    entrypoint: [a, b]\n",
	    O "    entrypoint: [c]\n", "entrypoint"), "{\"command\":null,"
	    "\"entrypoint\":[\"c\"]}");
}

Test(merge, healthcheck_test_is_replaced_and_the_rest_merged)
{
	cr_expect_str_eq(mergedfield(S "    healthcheck: {test: [CMD, a, b], "
	    "interval: 5s}\n", O "    healthcheck: {test: [CMD, c]}\n",
	    "healthcheck"), "{\"command\":null,\"entrypoint\":null,"
	    "\"healthcheck\":{\"test\":[\"CMD\",\"c\"],\"interval\":\"5s\"}}");
}

Test(merge, environment_merges_by_name_list_and_map_alike)
{
	/* override/merge_environment_test.go */
	cr_expect_str_eq(mergedfield(S "    environment: {A: 1, B: 2}\n",
	    O "    environment: [B=3, C]\n", "environment"), "{\"command\":"
	    "null,\"entrypoint\":null,\"environment\":{\"A\":\"1\",\"B\":\"3\","
	    "\"C\":null}}");
}

Test(merge, labels_merge_by_key)
{
	cr_expect_str_eq(mergedfield(S "    labels: [a=1, b=2]\n",
	    O "    labels: {b: 3, c: \"\"}\n", "labels"), "{\"command\":null,"
	    "\"entrypoint\":null,\"labels\":{\"a\":\"1\",\"b\":\"3\",\"c\":"
	    "\"\"}}");
}

Test(merge, identical_ports_are_one_and_others_are_added)
{
	cr_expect_str_eq(mergedfield(S "    ports: ['8080:80']\n",
	    O "    ports: ['8080:80', '9090:80']\n", "ports"), "{\"command\":"
	    "null,\"entrypoint\":null,\"ports\":[{\"mode\":\"ingress\","
	    "\"target\":80,\"published\":\"8080\",\"protocol\":\"tcp\"},"
	    "{\"mode\":\"ingress\",\"target\":80,\"published\":\"9090\","
	    "\"protocol\":\"tcp\"}]}");
}

Test(merge, volumes_with_the_same_target_are_replaced_in_place)
{
	/* spec 13-merge.md: foo:/data + bar:/data -> bar:/data */
	cr_expect_str_eq(mergedfield(S "    volumes: [foo:/data, /keep]\n",
	    O "    volumes: [bar:/data, /more]\n", "volumes"), "{\"command\":"
	    "null,\"entrypoint\":null,\"volumes\":[{\"type\":\"volume\","
	    "\"source\":\"bar\",\"target\":\"/data\",\"volume\":{}},"
	    "{\"type\":\"volume\",\"target\":\"/keep\",\"volume\":{}},"
	    "{\"type\":\"volume\",\"target\":\"/more\",\"volume\":{}}]}");
}

Test(merge, secrets_are_keyed_by_target)
{
	/* override/merge_mounts_test.go */
	cr_expect_str_eq(mergedfield(S "    secrets: [foo, bar, zot]\n",
	    O "    secrets: [{source: zot, target: /run/secrets/foo}]\n",
	    "secrets"), "{\"command\":null,\"entrypoint\":null,\"secrets\":["
	    "{\"source\":\"zot\",\"target\":\"/run/secrets/foo\"},"
	    "{\"source\":\"bar\",\"target\":\"/run/secrets/bar\"},"
	    "{\"source\":\"zot\",\"target\":\"/run/secrets/zot\"}]}");
}

Test(merge, dns_as_a_string_is_not_duplicated_by_a_list)
{
	/* override/merge_dns_test.go */
	cr_expect_str_eq(mergedfield(S "    dns: 9.9.9.9\n",
	    O "    dns: [9.9.9.9, 1.1.1.1]\n", "dns"), "{\"command\":null,"
	    "\"dns\":[\"9.9.9.9\",\"1.1.1.1\"],\"entrypoint\":null}");
}

Test(merge, tmpfs_entries_are_appended)
{
	cr_expect_str_eq(mergedfield(S "    tmpfs: /foo\n", O "    tmpfs: /bar\n",
	    "tmpfs"), "{\"command\":null,\"entrypoint\":null,\"tmpfs\":["
	    "\"/foo\",\"/bar\"]}");
}

Test(merge, lists_without_a_key_are_concatenated)
{
	cr_expect_str_eq(mergedfield(S "    security_opt: [a]\n",
	    O "    security_opt: [b]\n", "security_opt"), "{\"command\":null,"
	    "\"entrypoint\":null,\"security_opt\":[\"a\",\"b\"]}");
}

Test(merge, depends_on_lists_and_maps_merge_per_dependency)
{
	cr_expect_str_eq(mergedfield(S "    depends_on: [db]\n",
	    O "    depends_on: {db: {condition: service_healthy}, cache: "
	    "{condition: service_started}}\n", "depends_on"), "{\"command\":"
	    "null,\"depends_on\":{\"cache\":{\"condition\":\"service_started\","
	    "\"required\":true},\"db\":{\"condition\":\"service_healthy\","
	    "\"required\":true}},\"entrypoint\":null}");
}

Test(merge, networks_merge_and_their_aliases_append)
{
	cr_expect_str_eq(mergedfield(S "    networks: {front: {aliases: [a]}, "
	    "back: null}\n", O "    networks: {front: {aliases: [b]}}\n",
	    "networks"), "{\"command\":null,\"entrypoint\":null,\"networks\":{"
	    "\"back\":null,\"front\":{\"aliases\":[\"a\",\"b\"]}}}");
}

Test(merge, extra_hosts_drop_identical_entries)
{
	cr_expect_str_eq(mergedfield(S "    extra_hosts: [a=1.1.1.1]\n",
	    O "    extra_hosts: {a: 1.1.1.1, b: 2.2.2.2}\n", "extra_hosts"),
	    "{\"command\":null,\"entrypoint\":null,\"extra_hosts\":["
	    "\"a=1.1.1.1\",\"b=2.2.2.2\"]}");
}

Test(merge, an_ulimit_is_replaced_whole)
{
	cr_expect_str_eq(mergedfield(S "    ulimits: {nofile: {soft: 1, "
	    "hard: 2}}\n", O "    ulimits: {nofile: 5}\n", "ulimits"),
	    "{\"command\":null,\"entrypoint\":null,\"ulimits\":{\"nofile\":5}}");
}

Test(merge, logging_with_another_driver_replaces_the_whole_block)
{
	cr_expect_str_eq(mergedfield(S "    logging: {driver: json-file, "
	    "options: {max-size: 1m}}\n", O "    logging: {driver: syslog, "
	    "options: {tag: x}}\n", "logging"), "{\"command\":null,"
	    "\"entrypoint\":null,\"logging\":{\"driver\":\"syslog\",\"options\":"
	    "{\"tag\":\"x\"}}}");
}

Test(merge, logging_with_the_same_driver_merges_options)
{
	cr_expect_str_eq(mergedfield(S "    logging: {driver: json-file, "
	    "options: {max-size: 1m}}\n", O "    logging: {options: {max-file: "
	    "'3'}}\n", "logging"), "{\"command\":null,\"entrypoint\":null,"
	    "\"logging\":{\"driver\":\"json-file\",\"options\":{\"max-file\":"
	    "\"3\",\"max-size\":\"1m\"}}}");
}

Test(merge, build_as_a_string_and_as_a_mapping_merge)
{
	struct node *b = model_decode(&a, &m, load_text(&a,
	    S "    build: ./app\n"));
	struct node *o = model_decode(&a, &m, load_text(&a,
	    O "    build: {target: prod}\n"));
	struct node *r = model_merge(&a, b, o);
	struct node *bld = node_get(node_get(node_get(r, "services"), "s"),
	    "build");

	cr_expect_str_eq(model_str(bld, "context"), "./app");
	cr_expect_str_eq(model_str(bld, "target"), "prod");
}

Test(merge, reset_in_an_override_removes_a_map_key)
{
	/* Test_LoadWithReset: environment: {FOO: !reset} */
	cr_expect_str_eq(mergedfield(S "    environment: {FOO: a, BAR: b}\n",
	    O "    environment:\n      FOO: !reset\n", "environment"),
	    "{\"command\":null,\"entrypoint\":null,\"environment\":{\"BAR\":"
	    "\"b\"}}");
}

Test(merge, whole_service_json_keeps_the_unmerged_fields)
{
	cr_expect_str_eq(merged(S "    user: u\n", O "    working_dir: /w\n",
	    "s"), "{\"command\":null,\"entrypoint\":null,\"image\":\"x\","
	    "\"user\":\"u\",\"working_dir\":\"/w\"}");
}

/* extends and profiles need the whole front end: compile a project */
static struct model *
project(const char *yaml, const char *const *profiles)
{
	struct node *doc = model_decode(&a, &m, load_text(&a, yaml));

	m.project = "p";
	m.workdir = "/w";
	model_extends(&a, &m, doc, "/w/compose.yaml");
	model_finish(&a, &m, model_merge(&a, NULL, doc), profiles);
	return &m;
}

Test(merge, extends_merges_the_service_over_a_copy_of_its_base)
{
	struct model *pm;
	struct service *s;

	pm = project("services:\n  base:\n    image: b\n    environment: "
	    "{A: '1', B: '1'}\n    ports: ['80:80']\n  s:\n    extends: base\n"
	    "    environment: {B: '2'}\n", NULL);
	cr_assert_eq(diag_errors(), 0, "%s", diag_text());
	s = model_service(pm, "s");
	cr_assert_not_null(s);
	cr_expect_str_eq(model_str(s->def, "image"), "b");
	cr_expect_str_eq(model_str(node_get(s->def, "environment"), "A"), "1");
	cr_expect_str_eq(model_str(node_get(s->def, "environment"), "B"), "2");
	cr_expect_eq(node_get(s->def, "ports")->n, 1);
	cr_expect_null(node_get(s->def, "extends"));
}

Test(merge, an_extends_cycle_names_the_chain)
{
	project("services:\n  a: {image: x, extends: b}\n  b: {image: x, "
	    "extends: a}\n", NULL);
	cr_expect_geq(diag_errors(), 1);
	cr_expect(strstr(diag_text(), "circular reference: a in /w/compose.yaml "
	    "extends b in /w/compose.yaml extends a") != NULL, "%s",
	    diag_text());
}

Test(merge, services_without_profiles_are_always_enabled)
{
	static const char *const none[] = { NULL };
	struct model *pm = project("services:\n  a: {image: x}\n  b: {image: x,"
	    " profiles: [debug]}\n", none);

	cr_expect(model_service(pm, "a")->enabled);
	cr_expect(!model_service(pm, "b")->enabled);
}

Test(merge, an_active_profile_or_star_enables_a_service)
{
	static const char *const debug[] = { "debug", NULL };
	static const char *const star[] = { "*", NULL };
	struct model *pm = project("services:\n  b: {image: x, profiles: "
	    "[debug]}\n", debug);

	cr_expect(model_service(pm, "b")->enabled);
	memset(&m, 0, sizeof(m));
	pm = project("services:\n  b: {image: x, profiles: [other]}\n", star);
	cr_expect(model_service(pm, "b")->enabled);
}

Test(merge, a_required_dependency_on_a_disabled_service_is_an_error)
{
	static const char *const none[] = { NULL };

	project("services:\n  a: {image: x, depends_on: [b]}\n  b: {image: x, "
	    "profiles: [debug]}\n", none);
	cr_expect_eq(diag_errors(), 1);
	cr_expect(strstr(diag_text(), "disabled by profiles") != NULL, "%s",
	    diag_text());
}

/*
 * Unit tests: whole projects through the front end (project_load), and
 * the config printer.  The expected results are what Docker Compose 2.26.1
 * does with the same files (`docker compose config`, checked by hand).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "backend.h"
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "helpers.h"
#include "lower.h"
#include "model.h"
#include "modeljson.h"
#include "node.h"
#include "project.h"
#include "schema.h"
#include "sha256.h"
#include "plan.h"

static struct arena a = ARENA_INIT;
static char dir[64];
static char envpath[] = "PATH=/usr/bin:/bin";
static char *const noenv[] = { envpath, NULL };

static void
setup(void)
{
	diag_capture();
	snprintf(dir, sizeof(dir), "/tmp/c2sh-unit-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void
teardown(void)
{
	char cmd[128];

	diag_capture_end();
	arena_release(&a);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(loader, .init = setup, .fini = teardown);

static void
put(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

/* load compose.yaml of the test folder as project "t"; probe: -t config */
static struct model *
load(const char *yaml, int probe)
{
	struct options o = { 0 };
	const char *files[1];
	char path[256];

	put("compose.yaml", yaml);
	snprintf(path, sizeof(path), "%s/compose.yaml", dir);
	files[0] = arena_strdup(&a, path);
	o.files = files;
	o.nfiles = 1;
	o.project_name = "t";
	o.environ = noenv;
	o.probe = probe;
	return project_load(&a, &o);
}

/* service name of m as compose's config JSON prints it, compact */
static const char *
svc(const struct model *m, const char *name)
{
	static char out[4096];
	struct buf b = BUF_INIT;

	cr_assert_not_null(m);
	cr_assert_not_null(model_service(m, name));
	modeljson(&b, &schema_service, model_service(m, name)->def,
	    MJ_DOLLAR);
	snprintf(out, sizeof(out), "%s", buf_str(&b));
	buf_release(&b);
	return out;
}

static const char *
config(const struct model *m, enum config_format f)
{
	static char out[8192];
	struct buf b = BUF_INIT;

	cr_assert_not_null(m);
	config_emit(m, f, &b);
	snprintf(out, sizeof(out), "%s", buf_str(&b));
	buf_release(&b);
	return out;
}

Test(loader, a_project_without_services_is_valid_and_prints_no_resources)
{
	struct model *m = load("secrets:\n  s:\n    file: ./s.txt\n"
	    "networks:\n  n: {}\n", 1);

	cr_assert_str_eq(config(m, CONFIG_JSON),
	    "{\n  \"name\": \"t\",\n  \"services\": {}\n}");
}

Test(loader, config_json_keeps_service_fields_in_go_order)
{
	struct model *m = load("services:\n  s:\n    image: x\n"
	    "    environment: {A: \"a$$b\"}\n    x-e: 1\n"
	    "    healthcheck: {test: [CMD, \"true\"]}\n    hostname: h\n"
	    "    cpu_count: 1\n", 1);
	const char *j = config(m, CONFIG_JSON);

	/* ServiceConfig's order, not sorted: cpu_count before command,
	 * hostname before healthcheck; and $ escaped as $$ */
	cr_assert(strstr(j, "\"cpu_count\": 1,\n      \"command\": null,\n"
	    "      \"entrypoint\": null,\n"
	    "      \"environment\": {\n        \"A\": \"a$$b\"\n      },\n"
	    "      \"hostname\": \"h\",\n      \"healthcheck\": {"), "%s", j);
	cr_assert_null(strstr(j, "x-e"), "JSON leaves service extensions out");
	cr_assert(strstr(j, "\"networks\": {\n    \"default\": {\n"
	    "      \"name\": \"t_default\",\n      \"ipam\": {}\n"), "%s", j);
}

Test(loader, config_yaml_quotes_what_yaml_would_retype)
{
	struct model *m = load("services:\n  s:\n    image: x\n"
	    "    environment: {A: \"1.5\", B: \"yes\", C: plain, D: \"\"}\n"
	    "    x-e: 1\n", 1);
	const char *y = config(m, CONFIG_YAML);

	cr_assert(strstr(y, "name: t\nservices:\n  s:\n    environment:\n"
	    "      A: \"1.5\"\n      B: \"yes\"\n      C: plain\n      D: \"\"\n"
	    "    image: x\n    networks:\n      default: null\n    x-e: 1\n"
	    "networks:\n  default:\n    name: t_default\n"), "%s", y);
}

/* go-yaml's scalars, as docker compose config 2.26.1 printed them */
Test(loader, config_yaml_writes_scalars_as_go_yaml)
{
	struct model *m = load("x-b: 1\nx-10: 2\nx-2: 3\nservices:\n  s:\n"
	    "    image: x\n    x-z: 1\n    x-c: 2\n    labels:\n"
	    "      \"1:2\": sexagesimal\n      \"1:60\": not\n"
	    "      \":x\": colon\n      \": x\": value\n"
	    "      a: \"\\nabc\"\n      c: \"\\n\\nabc\\n\\n\"\n", 1);
	const char *y = config(m, CONFIG_YAML);

	cr_assert(strstr(y, "    labels:\n      ': x': value\n"
	    "      :x: colon\n      \"1:2\": sexagesimal\n"
	    "      1:60: not\n      a: |2-\n        abc\n"
	    "      c: |2+\n\n        abc\n\n"), "%s", y);
	cr_assert(strstr(y, "    x-c: 2\n    x-z: 1\n"), "%s", y);
	cr_assert(strstr(y, "\nx-2: 3\nx-10: 2\nx-b: 1\n"), "%s", y);
}

/* compose-go keeps them (they are in the config hash), 2.26.1 does not
 * send them; the ledger says so */
Test(loader, a_named_volume_keeps_its_short_syntax_bind_options)
{
	struct model *m = load("services:\n  s:\n    image: x\n"
	    "    volumes: [\"data:/d:z\", \"data:/e:ro,rslave\"]\n"
	    "volumes:\n  data: {}\n", 1);

	cr_assert(strstr(svc(m, "s"), "{\"type\":\"volume\",\"source\":"
	    "\"data\",\"target\":\"/d\",\"bind\":{\"selinux\":\"z\"},"
	    "\"volume\":{}},{\"type\":\"volume\",\"source\":\"data\","
	    "\"target\":\"/e\",\"read_only\":true,\"bind\":"
	    "{\"propagation\":\"rslave\"},\"volume\":{}}"), "%s",
	    svc(m, "s"));
	cr_assert_eq(m->nledger, 2);
	cr_assert_str_eq(m->ledger[0].path, "services.s.volumes[0].bind");
}

Test(loader, a_volume_spec_of_two_bytes_has_no_volume_options)
{
	struct model *m = load("services:\n  s:\n    image: x\n"
	    "    volumes: [\"/x\", /anon]\n", 1);

	cr_assert(strstr(svc(m, "s"), "\"volumes\":[{\"type\":\"volume\","
	    "\"target\":\"/x\"},{\"type\":\"volume\",\"target\":\"/anon\","
	    "\"volume\":{}}]"), "%s", svc(m, "s"));
}

Test(loader, env_file_format_is_refused_even_dotenv)
{
	put("e.env", "A=1\n");
	cr_assert_null(load("services:\n  s:\n    image: x\n    env_file:\n"
	    "      - {path: e.env, format: dotenv}\n", 1));
	cr_assert(strstr(diag_text(), "compose.yaml:5:23: error: services.s."
	    "env_file[0]: unsupported env_file format \"dotenv\""), "%s",
	    diag_text());
}

Test(loader, a_bind_device_of_a_local_volume_is_made_absolute)
{
	struct model *m = load("services:\n  s:\n    image: x\n"
	    "    volumes: [a:/a, b:/b]\nvolumes:\n"
	    "  a: {driver: local, driver_opts: {o: bind, device: ./d}}\n"
	    "  b: {driver_opts: {o: bind, device: ./d}}\n", 1);
	char want[128];

	cr_assert_not_null(m);
	snprintf(want, sizeof(want), "%s/d", dir);
	cr_assert_str_eq(model_str(node_get(model_resdef(&m->volumes,
	    "a")->def, "driver_opts"), "device"), want);
	cr_assert_str_eq(model_str(node_get(model_resdef(&m->volumes,
	    "b")->def, "driver_opts"), "device"), "./d");
}

Test(loader, duplicate_container_names_pass_config_but_not_deployment)
{
	static const char yaml[] = "services:\n"
	    "  a: {image: x, container_name: c}\n"
	    "  b: {image: x, container_name: c}\n";

	cr_assert_not_null(load(yaml, 1));
	cr_assert_null(load(yaml, 0));
	cr_assert(strstr(diag_text(), "container name 'c' is already used"));
}

Test(loader, an_image_interpolated_to_nothing_is_no_image)
{
	cr_assert_null(load("services:\n  s:\n    image: ${NONE}\n", 1));
	cr_assert(strstr(diag_text(), "services.s: has neither an image nor "
	    "a build context specified"), "%s", diag_text());
}

Test(loader, the_platform_must_be_one_of_the_build_platforms)
{
	cr_assert_null(load("services:\n  s:\n    image: x\n"
	    "    platform: linux/amd64\n"
	    "    build: {context: ., platforms: [linux/arm64]}\n", 1));
	cr_assert(strstr(diag_text(), "compose.yaml:4:5: error: services.s: "
	    "build.platforms must include the service's platform "
	    "\"linux/amd64\""), "%s", diag_text());
}

Test(loader, pull_policies_after_compose_2_26_are_refused)
{
	cr_assert_null(load("services:\n  s:\n    image: x\n"
	    "    pull_policy: daily\n", 1));
	cr_assert(strstr(diag_text(), "invalid pull policy \"daily\""));
}

Test(loader, build_secrets_load_for_config_and_mark_their_secret_used)
{
	static const char yaml[] = "services:\n  s:\n    image: x\n"
	    "    build:\n      context: .\n      secrets: [k]\n"
	    "secrets:\n  k: {environment: K}\n  other: {environment: O}\n";
	struct model *m = load(yaml, 1);

	cr_assert(strstr(svc(m, "s"), "\"secrets\":[{\"source\":\"k\"}]"),
	    "%s", svc(m, "s"));
	cr_assert(model_resdef(&m->secrets, "k")->used);
	cr_assert(!model_resdef(&m->secrets, "other")->used);
	cr_assert_null(load(yaml, 0));
	cr_assert(strstr(diag_text(), "build secrets need buildx"));
}

static void
mkdir_in(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	cr_assert_eq(mkdir(path, 0755), 0);
}

Test(loader, an_include_is_a_sub_project_with_its_own_paths_and_env)
{
	struct model *m;
	char want[256];
	const char *j;

	mkdir_in("sub");
	put("sub/c.yaml", "services:\n  s:\n    image: ${IMG}\n    build: {}\n"
	    "    environment:\n      - V=${V:-none}\n"
	    "    volumes:\n      - ./data:/d\n    secrets: [k]\n"
	    "secrets:\n  k: {file: ./k.txt}\nname: ignored\n");
	put("sub/e.env", "IMG=fromfile\nV=fromfile\n");
	put(".env", "V=dotenv\n");
	m = load("include:\n  - path: sub/c.yaml\n    env_file: [sub/e.env]\n"
	    "services:\n  web:\n    image: w\n", 1);
	cr_assert_not_null(m, "%s", diag_text());
	cr_assert_str_eq(m->project, "t");
	j = svc(m, "s");
	/* the including project's environment (its .env) wins */
	cr_assert(strstr(j, "\"environment\":{\"V\":\"dotenv\"}"), "%s", j);
	cr_assert(strstr(j, "\"image\":\"fromfile\""), "%s", j);
	snprintf(want, sizeof(want), "\"build\":{\"context\":\"%s/sub\"", dir);
	cr_assert(strstr(j, want), "%s", j);
	snprintf(want, sizeof(want), "\"source\":\"%s/sub/data\"", dir);
	cr_assert(strstr(j, want), "%s", j);
	snprintf(want, sizeof(want), "%s/sub/k.txt", dir);
	cr_assert_str_eq(model_str(model_resdef(&m->secrets, "k")->def,
	    "file"), want);
}

Test(loader, an_include_project_directory_moves_the_sub_project)
{
	struct model *m;
	char want[256];

	mkdir_in("a");
	mkdir_in("b");
	put("a/c.yaml", "services:\n  s:\n    build: {}\n");
	m = load("include:\n  - path: a/c.yaml\n    project_directory: b\n", 1);
	cr_assert_not_null(m, "%s", diag_text());
	snprintf(want, sizeof(want), "\"build\":{\"context\":\"%s/b\"", dir);
	cr_assert(strstr(svc(m, "s"), want), "%s", svc(m, "s"));
}

Test(loader, an_included_resource_redefined_differently_is_an_error)
{
	put("o.yaml", "services:\n  web: {image: other}\n");
	cr_assert_not_null(load("include: [o.yaml]\n"
	    "services:\n  web: {image: other}\n", 1), "the same: fine");
	cr_assert_null(load("include: [o.yaml]\n"
	    "services:\n  web: {image: w}\n", 1));
	cr_assert(strstr(diag_text(), "compose.yaml:3:3: error: services.web "
	    "conflicts with imported resource"), "%s", diag_text());
}

Test(loader, an_include_cycle_is_named)
{
	char want[512];

	put("o.yaml", "include: [compose.yaml]\n");
	cr_assert_null(load("include: [o.yaml]\nservices:\n  w: {image: w}\n",
	    1));
	snprintf(want, sizeof(want), "include cycle detected:\n%s/compose.yaml\n"
	    " include %s/o.yaml\n include %s/compose.yaml", dir, dir, dir);
	cr_assert(strstr(diag_text(), want), "%s", diag_text());
}

Test(loader, gpus_load_for_config_as_compose_2_26_1_has_them)
{
	static const char yaml[] = "services:\n  s:\n    image: x\n"
	    "    gpus: all\n";

	cr_assert(strstr(svc(load(yaml, 1), "s"), "\"gpus\":[{\"count\":-1}]"),
	    "%s", diag_text());
	cr_assert_null(load(yaml, 0));
	cr_assert(strstr(diag_text(), "services.s.gpus: not supported"));
}

Test(loader, a_secret_file_that_is_missing_is_a_warning_at_its_definition)
{
	static const char yaml[] = "services:\n"
	    "  s: {image: x, secrets: [here, gone], configs: [c]}\n"
	    "secrets:\n"
	    "  here: {file: ./here.txt}\n"
	    "  gone: {file: ./gone.txt}\n"
	    "  unused: {file: ./unused.txt}\n"
	    "configs:\n"
	    "  c: {file: ./c.txt}\n";
	struct model *m;

	put("here.txt", "x");
	m = load(yaml, 0);
	cr_assert_not_null(m);
	cr_assert_not_null(lower(&a, m));
	cr_assert_eq(diag_errors(), 0);
	cr_assert_eq(diag_warnings(), 2, "%s", diag_text());
	cr_assert(strstr(diag_text(), "compose.yaml:5:16: warning: "
	    "secrets.gone: file '"), "%s", diag_text());
	cr_assert(strstr(diag_text(), "compose.yaml:8:13: warning: "
	    "configs.c: file '"), "%s", diag_text());
}

Test(loader, a_failed_extends_is_reported_once_not_followed_by_a_missing_image)
{
	cr_assert_null(load("services:\n  web:\n    extends: nosuch\n"
	    "  db:\n    image: x\n", 0));
	cr_assert_eq(diag_errors(), 1, "%s", diag_text());
	cr_assert(strstr(diag_text(), "service 'nosuch' not found"));
}

/* The sidecar's hash at deploy time: its JSON parts with the ID of main's
 * container between them must hash as the same service written with
 * that ID (Compose's resolveServiceReferences), whatever the values
 * around it hold, and nothing of the ID may be in the parts. */
Test(loader, a_shared_namespace_is_hashed_with_the_container_id_at_deploy)
{
	static const char id[] = "0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef";
	static const char yaml[] = "services:\n"
	    "  main: {image: x}\n"
	    "  side:\n"
	    "    image: x\n"
	    "    network_mode: service:main\n"
	    "    ipc: service:main\n"
	    "    volumes_from: [main, 'container:other:ro']\n"
	    "    environment: {A: '0000000000000000000000000000000000000000"
	    "000000000000000000000000'}\n";
	const struct resource *side = NULL;
	struct buf json = BUF_INIT;
	struct node *def, *n;
	struct model *m;
	struct plan *p;
	char want[65], got[65], text[128];
	size_t i;

	m = load(yaml, 0);
	cr_assert_not_null(m);
	p = lower(&a, m);
	cr_assert_not_null(p);
	for (i = 0; i < p->nres; i++)
		if (strcmp(p->res[i]->name, "t-side-1") == 0)
			side = p->res[i];
	cr_assert_not_null(side);
	cr_assert_null(side->hash);
	cr_assert_eq(side->nhashrefs, 3);
	for (i = 0; i < side->nhashrefs; i++) {
		cr_assert_str_eq(side->hashrefs[i], "t-main-1");
		buf_puts(&json, side->hashparts[i]);
		buf_puts(&json, id);
	}
	buf_puts(&json, side->hashparts[i]);
	sha256_hex(json.data, json.len, got);
	buf_release(&json);

	/* the same service as Compose hashes it: the IDs written in */
	def = model_service(m, "side")->def;
	snprintf(text, sizeof(text), "container:%s", id);
	for (i = 0; i < 2; i++) {
		n = (struct node *)node_get(def, i ? "ipc" : "network_mode");
		n->text = text;
		n->len = strlen(text);
	}
	n = node_get(def, "volumes_from")->c.items[0];
	n->text = id;
	n->len = strlen(id);
	modeljson_hash(def, want);
	cr_assert_str_eq(got, want);
}

/* keys that reach the model but not the deployment are in the ledger,
 * each with its path */
Test(loader, keys_without_effect_are_in_the_ledger)
{
	static const char *const paths[] = {
		"services.s.ports[0].mode",
		"services.s.volumes[0].consistency",
		"services.s.deploy.resources.reservations.cpus",
		"services.s.secrets[0]",
	};
	struct model *m;
	size_t i, j;

	put("s.txt", "secret\n");
	m = load("services:\n  s:\n    image: x\n"
	    "    ports: [{target: 80, published: 8080, mode: host}, "
	    "{target: 81, mode: ingress}]\n"
	    "    volumes: [{type: volume, target: /d, consistency: cached}]\n"
	    "    deploy: {resources: {reservations: {cpus: 0.5}}}\n"
	    "    secrets: [{source: s, uid: \"1\", mode: 0400}]\n"
	    "secrets:\n  s:\n    file: ./s.txt\n", 0);
	cr_assert_not_null(m, "%s", diag_text());
	for (i = 0; i < sizeof paths / sizeof *paths; i++) {
		for (j = 0; j < m->nledger; j++)
			if (strcmp(m->ledger[j].path, paths[i]) == 0)
				break;
		cr_expect_lt(j, m->nledger, "%s is not in the ledger",
		    paths[i]);
	}
	cr_expect_eq(m->nledger, sizeof paths / sizeof *paths,
	    "the ingress port is not");
}

/* the settings k of service svc's first container, joined by "|" */
static const char *
settings(const struct plan *p, const char *svc, const char *k)
{
	static char out[1024];
	size_t i, j, n = 0;

	out[0] = '\0';
	for (i = 0; i < p->nres; i++) {
		if (p->res[i]->kind != RES_CONTAINER ||
		    strcmp(p->res[i]->key, svc))
			continue;
		for (j = 0; j < p->res[i]->nset; j++)
			if (strcmp(p->res[i]->set[j].key, k) == 0)
				n += (size_t)snprintf(out + n, sizeof(out) - n,
				    "%s%s", n ? "|" : "", p->res[i]->set[j].value);
		break;
	}
	return out;
}

/* the docker CLI refuses --dns-search '': a deploy broke half-way.  The
 * engine writes no search line for it, so it is left out of the plan;
 * the model keeps it (in the config hash, as compose-go) */
Test(loader, an_empty_dns_search_domain_is_left_out_of_the_plan)
{
	struct model *m = load("services:\n  s:\n    image: x\n"
	    "    dns_search: [\"\", example.com]\n", 0);
	struct plan *p;

	cr_assert_not_null(m, "%s", diag_text());
	cr_assert(strstr(svc(m, "s"), "\"dns_search\":[\"\",\"example.com\"]"),
	    "%s", svc(m, "s"));
	p = lower(&a, m);
	cr_assert_not_null(p);
	cr_expect_str_eq(settings(p, "s", "dns-search"), "example.com");
}

/* Compose reads a relative seccomp profile from the project directory;
 * the docker CLI would read it from wherever the artifact runs */
Test(loader, a_seccomp_profile_is_the_project_directorys)
{
	struct model *m = load("services:\n  s:\n    image: x\n"
	    "    security_opt: [seccomp=prof.json, \"seccomp:/abs.json\", "
	    "seccomp=unconfined, no-new-privileges, \"label:disable\"]\n",
	    0);
	struct plan *p;
	char want[512];

	cr_assert_not_null(m, "%s", diag_text());
	p = lower(&a, m);
	cr_assert_not_null(p);
	snprintf(want, sizeof(want), "seccomp=%s/prof.json|seccomp:/abs.json|"
	    "seccomp=unconfined|no-new-privileges|label:disable", dir);
	cr_expect_str_eq(settings(p, "s", "security-opt"), want);
}

/* Compose 2.26.1 sends int64(cpu_percent * 100), computed in float32 */
Test(loader, cpu_percent_is_scaled_as_compose_scales_it)
{
	struct model *m = load("services:\n  s:\n    image: x\n"
	    "    cpu_percent: 0.29\n  t:\n    image: x\n"
	    "    cpu_percent: 50\n", 0);
	struct plan *p;

	cr_assert_not_null(m, "%s", diag_text());
	p = lower(&a, m);
	cr_assert_not_null(p);
	cr_expect_str_eq(settings(p, "s", "cpu-percent"), "29");
	cr_expect_str_eq(settings(p, "t", "cpu-percent"), "5000");
}

Test(loader, a_security_option_without_a_value_is_an_error)
{
	struct model *m = load("services:\n  s:\n    image: x\n"
	    "    security_opt: [apparmor]\n", 0);

	cr_assert_not_null(m, "%s", diag_text());
	lower(&a, m);
	cr_expect(strstr(diag_text(), "compose.yaml:4:20: error: services.s."
	    "security_opt[0]: invalid security option \"apparmor\""), "%s",
	    diag_text());
}

/* how many times needle occurs in hay */
static size_t
occurrences(const char *hay, const char *needle)
{
	size_t n = 0;

	for (; (hay = strstr(hay, needle)); hay++)
		n++;
	return n;
}

/* the text of project p through backend b (in out) */
static const char *
emitted(struct buf *out, const struct backend *b, const struct plan *p)
{
	buf_reset(out);
	b->emit(p, out);
	return buf_str(out);
}

/* the backends once had room for 64 networks a container joins after
 * create, and dropped the rest without a word */
Test(loader, every_backend_connects_every_network)
{
	const struct backend *const backends[] = { &sh_backend, &make_backend,
		&systemd_backend };
	struct buf y = BUF_INIT, out = BUF_INIT;
	struct model *m;
	struct plan *one, *many;
	size_t i, base;

	m = load("services:\n  s:\n    image: x\n", 0);
	cr_assert_not_null(m, "%s", diag_text());
	one = lower(&a, m);
	buf_puts(&y, "services:\n  s:\n    image: x\n    networks:\n");
	for (i = 0; i < 70; i++)
		buf_printf(&y, "      - n%zu\n", i);
	buf_puts(&y, "networks:\n");
	for (i = 0; i < 70; i++)
		buf_printf(&y, "  n%zu: {}\n", i);
	m = load(buf_str(&y), 0);
	cr_assert_not_null(m, "%s", diag_text());
	many = lower(&a, m);
	cr_assert(one && many);
	for (i = 0; i < sizeof backends / sizeof *backends; i++) {
		/* what the runtime says of connecting, with one network */
		base = occurrences(emitted(&out, backends[i], one),
		    "network connect");
		/* one network at create, 69 connected after it */
		cr_expect_eq(occurrences(emitted(&out, backends[i], many),
		    "network connect") - base, 69, "%s", backends[i]->name);
	}
	buf_release(&y);
	buf_release(&out);
}

/*
 * main.c: the command line.  Runs the stages in order and stops before
 * the next stage once any error has been reported:
 *
 *	project_load (load, interpolate, decode, merge, normalize)
 *	-> lower -> plan_levels -> backend emit -> write
 */
#include <errno.h>
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
#include "lower.h"
#include "model.h"
#include "plan.h"
#include "project.h"
#include "util.h"

extern char **environ;

static const struct backend *const backends[] = {
	&sh_backend,
	&plan_backend,
	&json_backend,
	&make_backend,
	&systemd_backend,
};

enum { EXIT_INPUT = 1, EXIT_USAGE = 2 };

static void
usage(FILE *f)
{
	size_t i;

	fputs("usage: c2sh [OPTIONS] [FILE...]\n"
	    "Compile Docker Compose files into artifacts that deploy them.\n\n"
	    "  -f, --file FILE          compose file (repeatable; - is stdin);\n"
	    "                           default: compose.yaml, compose.yml,\n"
	    "                           docker-compose.yml, docker-compose.yaml\n"
	    "  -p, --project-name NAME  project name\n"
	    "      --project-directory DIR  base of relative paths\n"
	    "      --env-file FILE      instead of .env (repeatable)\n"
	    "      --profile NAME       enable a profile (repeatable)\n"
	    "  -t, --target NAME        what to write (default sh):\n", f);
	for (i = 0; i < countof(backends); i++)
		fprintf(f, "                             %-6s %s\n",
		    backends[i]->name, backends[i]->what);
	fputs("                             config the normalized compose model\n"
	    "                                    (as docker compose config prints it)\n"
	    "      --format json|yaml   for -t config (default yaml)\n"
	    "  -o, --output PATH        write there instead of stdout (a directory\n"
	    "                           for -t systemd, which writes several files)\n"
	    "      --check              validate only, write nothing\n"
	    "  -q, --quiet              no warnings\n"
	    "  -h, --help               this help\n"
	    "      --version            print the version\n"
	    "Environment: COMPOSE_FILE, COMPOSE_PROJECT_NAME, COMPOSE_PROFILES,\n"
	    "COMPOSE_ENV_FILES, COMPOSE_DISABLE_ENV_FILE, COMPOSE_PATH_SEPARATOR.\n"
	    "Exit status: 0 success, 1 invalid input, 2 bad usage.\n", f);
}

static _Noreturn void
badusage(const char *what, const char *arg)
{
	fprintf(stderr, "c2sh: %s '%s'\nTry 'c2sh --help'.\n", what, arg);
	exit(EXIT_USAGE);
}

struct cli {
	struct options opt;
	const char *target, *output, *format;
	int check, quiet;
	size_t capfiles, capenv, capprof;
};

static void
push(const char ***v, size_t *n, size_t *cap, const char *s)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*v = xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[(*n)++] = s;
}

/* "--name=value", "--name value", "-n value" and "-nvalue" */
static const char *
optarg_of(char **argv, int *i, const char *shortname, const char *longname)
{
	const char *a = argv[*i];
	size_t n = strlen(longname);

	if (strncmp(a, longname, n) == 0 && a[n] == '=')
		return a + n + 1;
	if (strcmp(a, longname) == 0 || (shortname && strcmp(a, shortname) ==
	    0)) {
		if (!argv[*i + 1])
			badusage("a value is missing after", a);
		return argv[++*i];
	}
	if (shortname && strncmp(a, shortname, 2) == 0 && a[2])
		return a + 2;
	return NULL;
}

static void
parseargs(struct cli *c, int argc, char **argv)
{
	const char *v;
	int i, files = 1;
	struct options *o = &c->opt;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!files || a[0] != '-' || strcmp(a, "-") == 0) {
			push(&o->files, &o->nfiles, &c->capfiles, a);
		} else if (strcmp(a, "--") == 0) {
			files = 0;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			exit(0);
		} else if (strcmp(a, "--version") == 0) {
			printf("c2sh %s (Compose %s semantics)\n", C2SH_VERSION,
			    LOWER_COMPOSE_VERSION);
			exit(0);
		} else if (strcmp(a, "--check") == 0) {
			c->check = 1;
		} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			c->quiet = 1;
		} else if ((v = optarg_of(argv, &i, "-f", "--file"))) {
			push(&o->files, &o->nfiles, &c->capfiles, v);
		} else if ((v = optarg_of(argv, &i, "-p", "--project-name"))) {
			o->project_name = v;
		} else if ((v = optarg_of(argv, &i, NULL,
		    "--project-directory"))) {
			o->project_dir = v;
		} else if ((v = optarg_of(argv, &i, NULL, "--env-file"))) {
			push(&o->envfiles, &o->nenvfiles, &c->capenv, v);
		} else if ((v = optarg_of(argv, &i, NULL, "--profile"))) {
			push(&o->profiles, &o->nprofiles, &c->capprof, v);
		} else if ((v = optarg_of(argv, &i, "-t", "--target"))) {
			c->target = v;
		} else if ((v = optarg_of(argv, &i, "-o", "--output"))) {
			c->output = v;
		} else if ((v = optarg_of(argv, &i, NULL, "--format"))) {
			if (strcmp(v, "json") && strcmp(v, "yaml"))
				badusage("--format takes json or yaml, not", v);
			c->format = v;
		} else {
			badusage("unknown option", a);
		}
	}
	if (!o->nenvfiles && getenv("COMPOSE_ENV_FILES") &&
	    *getenv("COMPOSE_ENV_FILES")) {
		char *list = xstrdup(getenv("COMPOSE_ENV_FILES")), *tok;

		for (tok = strtok(list, ","); tok; tok = strtok(NULL, ","))
			push(&o->envfiles, &o->nenvfiles, &c->capenv, tok);
	}
	push(&o->profiles, &o->nprofiles, &c->capprof, NULL);
	o->nprofiles--;
}

static const struct backend *
findbackend(const char *name)
{
	struct buf known = BUF_INIT;
	size_t i;

	for (i = 0; i < countof(backends); i++)
		if (strcmp(backends[i]->name, name) == 0)
			return backends[i];
	if (strcmp(name, "config") == 0)
		return NULL;	/* not a backend: it prints the model */
	for (i = 0; i < countof(backends); i++)
		buf_printf(&known, "%s%s", i ? ", " : "", backends[i]->name);
	buf_puts(&known, ", config");
	fprintf(stderr, "c2sh: unknown target '%s' (known: %s)\n", name,
	    buf_str(&known));
	buf_release(&known);
	exit(EXIT_USAGE);
}

static const char *
cmdline(struct arena *a, int argc, char **argv)
{
	struct buf b = BUF_INIT;
	const char *s;
	int i;

	buf_puts(&b, "c2sh");
	for (i = 1; i < argc; i++) {
		if (strpbrk(argv[i], " \t\n'\"$`\\") || !*argv[i]) {
			const char *p;

			buf_puts(&b, " '");
			for (p = argv[i]; *p; p++)
				if (*p == '\'')
					buf_puts(&b, "'\\''");
				else
					buf_putc(&b, *p);
			buf_putc(&b, '\'');
		} else {
			buf_printf(&b, " %s", argv[i]);
		}
	}
	s = arena_strdup(a, buf_str(&b));
	buf_release(&b);
	return s;
}

/*
 * A new file beside path, to be renamed over it once complete: its name
 * cannot be predicted and is never a link someone placed (mkstemp makes
 * it, O_EXCL), and it takes the mode of the file it will replace (a
 * deploy.sh the user made 0600 stays 0600), or 0666 less the umask for a
 * new one.  *tmp is its name (the caller frees it); NULL on failure.
 */
static FILE *
openout(const char *path, char **tmp)
{
	struct stat st;
	mode_t mode, mask;
	FILE *f;
	int fd;

	*tmp = xmalloc(strlen(path) + 16);
	sprintf(*tmp, "%s.c2sh-XXXXXX", path);
	if ((fd = mkstemp(*tmp)) < 0) {
		free(*tmp);
		*tmp = NULL;
		return NULL;
	}
	if (lstat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		mode = st.st_mode & 07777;
	} else {
		mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	if (fchmod(fd, mode) != 0 || !(f = fdopen(fd, "wb"))) {
		close(fd);
		remove(*tmp);
		free(*tmp);
		*tmp = NULL;
		return NULL;
	}
	return f;
}

/* Write all of b to path (or stdout) only now that it is complete. */
static int
writeout(const char *path, const struct buf *b)
{
	FILE *f = stdout;
	char *tmp = NULL;
	int ok;

	if (path) {
		f = openout(path, &tmp);
		if (!f) {
			fprintf(stderr, "c2sh: cannot write '%s': %s\n", path,
			    strerror(errno));
			return 0;
		}
	}
	ok = fwrite(b->data ? b->data : "", 1, b->len, f) == b->len;
	ok = fflush(f) == 0 && ok && !ferror(f);
	if (path) {
		ok = fclose(f) == 0 && ok;
		if (ok && rename(tmp, path) != 0)
			ok = 0;
		if (!ok) {
			fprintf(stderr, "c2sh: cannot write '%s': %s\n", path,
			    strerror(errno));
			remove(tmp);
		}
		free(tmp);
	} else if (!ok) {
		fprintf(stderr, "c2sh: cannot write the output: %s\n",
		    strerror(errno));
	}
	return ok;
}

/* Write the files of a multi-file artifact (each behind a "==> name <=="
 * banner in b, see backend_file) into directory dir, made if missing:
 * every file is written to a temporary name first, and only when all of
 * them were written are they renamed into place. */
static int
writedir(const char *dir, const struct buf *b)
{
	struct file { char *path, *tmp; } *v = NULL;
	const char *p = b->data ? b->data : "", *end = p + b->len, *e, *n;
	size_t nv = 0, cap = 0, i;
	FILE *f;
	int ok = 1;

	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "c2sh: cannot make directory '%s': %s\n", dir,
		    strerror(errno));
		return 0;
	}
	while (ok && p < end) {
		if (strncmp(p, "==> ", 4) != 0 || !(e = strchr(p, '\n')) ||
		    e - p < 9 || strncmp(e - 4, " <==", 4) != 0)
			BUG("multi-file output without a banner");
		n = p + 4;
		p = e + 1;
		for (e = p; e < end && strncmp(e, "==> ", 4) != 0;) {
			e = strchr(e, '\n');
			e = e ? e + 1 : end;
		}
		if (nv == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[nv].path = xmalloc(strlen(dir) + (size_t)(p - n) + 2);
		sprintf(v[nv].path, "%s/%.*s", dir, (int)(p - n - 5), n);
		f = openout(v[nv].path, &v[nv].tmp);
		nv++;
		ok = f && fwrite(p, 1, (size_t)(e - p), f) == (size_t)(e - p);
		ok = f && fflush(f) == 0 && ok && !ferror(f);
		ok = f && fclose(f) == 0 && ok;
		if (!ok)
			fprintf(stderr, "c2sh: cannot write '%s': %s\n",
			    v[nv - 1].path, strerror(errno));
		p = e;
	}
	for (i = 0; i < nv; i++) {
		if (ok && rename(v[i].tmp, v[i].path) != 0) {
			fprintf(stderr, "c2sh: cannot write '%s': %s\n",
			    v[i].path, strerror(errno));
			ok = 0;
		}
		if (!ok && v[i].tmp)
			remove(v[i].tmp);
		free(v[i].path);
		free(v[i].tmp);
	}
	free(v);
	return ok;
}

int
main(int argc, char **argv)
{
	struct cli c = { 0 };
	struct arena mem = ARENA_INIT;
	const struct backend *be;
	struct model *m;
	struct plan *p = NULL;
	struct buf out = BUF_INIT;
	int status = 0;

	parseargs(&c, argc, argv);
	be = findbackend(c.target ? c.target : "sh");
	if (be && be->multifile && !c.output && !c.check) {
		fprintf(stderr, "c2sh: -t %s writes several files: name the "
		    "directory for them with -o DIR\nTry 'c2sh --help'.\n",
		    be->name);
		exit(EXIT_USAGE);
	}
	c.opt.environ = environ;
	c.opt.probe = !be;	/* -t config */
	diag_init(stderr);
	diag_quiet(c.quiet);
	m = project_load(&mem, &c.opt);
	if (!be) {
		if (m && !diag_errors() && !c.check) {
			config_emit(m, c.format && strcmp(c.format, "json") == 0 ?
			    CONFIG_JSON : CONFIG_YAML, &out);
			if (!writeout(c.output, &out))
				status = EXIT_INPUT;
		}
		goto done;
	}
	if (m && !diag_errors())
		p = lower(&mem, m);
	if (p && !diag_errors())
		plan_levels(p);
	if (p && !diag_errors() && !c.check) {
		p->cmdline = cmdline(&mem, argc, argv);
		be->emit(p, &out);
		if (diag_errors())
			;	/* the backend found what it cannot express */
		else if (!(be->multifile ? writedir(c.output, &out) :
		    writeout(c.output, &out)))
			status = EXIT_INPUT;
	}
done:
	if (diag_errors())
		status = EXIT_INPUT;
	buf_release(&out);
	arena_release(&mem);
	diag_release();
	free(c.opt.files);
	free(c.opt.envfiles);
	free(c.opt.profiles);
	return status;
}

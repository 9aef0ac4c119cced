/*
 * backend.h: a backend turns the plan, and nothing else, into text.
 * main.c keeps them in one table and looks -t up there.
 */
#ifndef C2SH_BACKEND_H
#define C2SH_BACKEND_H

struct buf;
struct plan;

struct backend {
	const char *name;	/* value of -t; golden files end in .out_NAME */
	const char *what;	/* one line for --help */
	/* render the whole artifact; the caller writes it only on success */
	void (*emit)(const struct plan *, struct buf *);
	/* the artifact is several files: emit starts each with a banner
	 * (backend_file), and main writes them into the directory -o names */
	int multifile;
};

extern const struct backend sh_backend, plan_backend, json_backend,
    make_backend, systemd_backend;

/* The header every artifact starts with: sources, version, the command
 * that regenerates it; each line starts with prefix. */
void backend_header(struct buf *, const struct plan *, const char *prefix);

/* Start the next file of a multi-file artifact: the line
 * "==> name <==" (as head(1) separates files).  The name is a plain file
 * name; nothing in the files' text may start a line with "==> ". */
void backend_file(struct buf *, const char *name);

struct strlist;
struct args;

/* Docker arguments as words of an artifact: option names (c2sh's own
 * constants) bare, every other word through quote.  A long command puts
 * each option, and the run of positional words after them, on a line of
 * its own, each begun with brk (the medium's line continuation). */
void backend_words(struct buf *, const struct args *,
    void (*quote)(struct buf *, const char *), const char *brk);

/* a list of strings as a JSON array, or null when not set */
void backend_jsonlist(struct buf *, const struct strlist *);

#endif

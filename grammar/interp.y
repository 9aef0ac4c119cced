/*
 * interp.y: the grammar of one interpolated value (compose loader
 * reference, section 3.2).  The parse yields a list of pieces; the
 * argument of ${NAME<op>ARG} is kept as text and parsed only when the
 * evaluator in interp.re needs it, which is what makes unused branches
 * silent.  The lexer (interp.re) decides where an argument ends by
 * counting braces, and turns an invalid ${ into a BAD token, so a bad
 * substitution becomes a piece and is reported in evaluation order.
 */
%define api.pure full
%define api.prefix {interpyy}
%define parse.error detailed
%locations
%expect 0
%param {struct interp_lexer *lx}
%parse-param {struct interp_parser *p}

%code requires {
#include <stddef.h>

struct arena;

/* byte offsets in the whole value being expanded: [first, last) */
typedef struct interp_ltype { size_t first, last; } INTERPYYLTYPE;
#define INTERPYYLTYPE_IS_DECLARED 1

/* the locations of a rule span its first to its last symbol */
#define YYLLOC_DEFAULT(cur, rhs, n)					\
	do {								\
		if (n) {						\
			(cur).first = YYRHSLOC(rhs, 1).first;		\
			(cur).last = YYRHSLOC(rhs, n).last;		\
		} else {						\
			(cur).first = (cur).last = YYRHSLOC(rhs, 0).last; \
		}							\
	} while (0)

/* the operators of ${NAME<op>ARG} */
enum interp_op {
	IOP_DEFAULT_EMPTY,	/* :-  default when unset or empty */
	IOP_DEFAULT,		/* -   default when unset */
	IOP_REQUIRE_EMPTY,	/* :?  error when unset or empty */
	IOP_REQUIRE,		/* ?   error when unset */
	IOP_ALT_EMPTY,		/* :+  alternate when set and not empty */
	IOP_ALT			/* +   alternate when set */
};

enum interp_kind {
	INTERP_TEXT,		/* literal bytes ($$ gives one '$') */
	INTERP_VAR,		/* $NAME or ${NAME}: warns when unset */
	INTERP_SUBST,		/* ${NAME<op>ARG} */
	INTERP_BAD		/* an invalid ${: a syntax error if reached */
};

/* a slice of the text being parsed */
struct interp_str {
	const char *p;
	size_t n;
	size_t rest;		/* ARG: see interp_node.restend */
};

/* a piece of a template; offsets are in the whole value expanded */
struct interp_node {
	enum interp_kind kind;
	enum interp_op op;		/* SUBST */
	struct interp_str text;		/* TEXT: bytes; VAR, SUBST: name */
	struct interp_str arg;		/* SUBST: the argument, unparsed */
	size_t argoff;			/* SUBST: where arg starts */
	size_t first, last;		/* where the piece is */
	/*
	 * SUBST: compose expands the text between the closing brace and the
	 * last '}' on the same line as a template of its own; a syntax error
	 * there reports that text.  This is the offset just past that '}',
	 * or 0 when there is no such text.
	 */
	size_t restend;
	struct interp_node *next;
};

/* the lexer's state; the text is NUL-terminated at lim */
struct interp_lexer {
	const unsigned char *start, *cur, *lim;
	const unsigned char *tok;	/* start of the current token */
	const unsigned char *open;	/* the "${" being lexed */
	const unsigned char *argend;	/* a pending ARG ends here, or NULL */
	/* what lastbrace() knows of the current line */
	const unsigned char *linefrom, *lineend, *lastclose;
	size_t base;			/* offset of start in the whole value */
	int cond;			/* re2c start condition */
	union INTERPYYSTYPE *val;	/* where the token being lexed goes */
	INTERPYYLTYPE *loc;
};

struct interp_parser {
	struct arena *arena;
	struct interp_node *head, **tail;
	int failed;			/* yyerror was called (a defect) */
	size_t errfirst, errlast;
};
}

%code provides {
/* interp.re: the next token of lx */
int interpyylex(INTERPYYSTYPE *, INTERPYYLTYPE *, struct interp_lexer *);
}

%code {
#include "arena.h"

static void interpyyerror(INTERPYYLTYPE *, struct interp_lexer *,
    struct interp_parser *, const char *);
static struct interp_node *newnode(struct interp_parser *, enum interp_kind,
    const INTERPYYLTYPE *);
}

%union {
	struct interp_str str;
	enum interp_op op;
	struct interp_node *node;
}

%token <str> TEXT "text" VAR "variable" NAME "name" ARG "argument"
%token <op> OP "operator"
%token OPEN "${" CLOSE "}" BAD "invalid substitution"
%type <node> piece

%%

template
	: %empty
	| template piece	{ *p->tail = $2; p->tail = &$2->next; }
	;

piece
	: TEXT		{ $$ = newnode(p, INTERP_TEXT, &@$); $$->text = $1; }
	| VAR		{ $$ = newnode(p, INTERP_VAR, &@$); $$->text = $1; }
	| OPEN NAME CLOSE
			{ $$ = newnode(p, INTERP_VAR, &@$); $$->text = $2; }
	| OPEN NAME OP ARG CLOSE
		{
			$$ = newnode(p, INTERP_SUBST, &@$);
			$$->text = $2;
			$$->op = $3;
			$$->arg = $4;
			$$->argoff = @4.first;
			$$->restend = $4.rest;
		}
	| OPEN BAD	{ $$ = newnode(p, INTERP_BAD, &@$); }
	| OPEN NAME BAD	{ $$ = newnode(p, INTERP_BAD, &@$); }
	;

%%

static struct interp_node *
newnode(struct interp_parser *p, enum interp_kind kind,
    const INTERPYYLTYPE *loc)
{
	struct interp_node *n = arena_alloc(p->arena, sizeof *n);

	n->kind = kind;
	n->first = loc->first;
	n->last = loc->last;
	return n;
}

/*
 * The lexer hands every invalid ${ to the grammar as BAD, so a syntax
 * error here means the lexer and grammar disagree; the caller still
 * reports it as a syntax error at this place.
 */
static void
interpyyerror(INTERPYYLTYPE *loc, struct interp_lexer *lx,
    struct interp_parser *p, const char *msg)
{
	if (p->failed)
		return;
	p->failed = 1;
	p->errfirst = loc->first;
	p->errlast = loc->last;
}

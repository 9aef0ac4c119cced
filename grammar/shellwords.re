/*
 * shellwords.re: go-shellwords' Parse without environment or backtick
 * expansion.  re2c cuts the string into runes (Go walks runes, so a byte
 * that is not UTF-8 becomes U+FFFD); the quoting state is kept here.
 */
#include "shellwords.h"

#include <string.h>

#include "arena.h"
#include "buf.h"

/*!re2c
re2c:define:YYCTYPE = "unsigned char";
re2c:define:YYCURSOR = cur;
re2c:define:YYLIMIT = lim;
re2c:define:YYMARKER = mar;
re2c:yyfill:enable = 0;
re2c:eof = 0;

tail = [\x80-\xbf];
rune = [\x01-\x7f] | [\xc2-\xdf] tail
	| "\xe0" [\xa0-\xbf] tail | [\xe1-\xec\xee\xef] tail tail
	| "\xed" [\x80-\x9f] tail
	| "\xf0" [\x90-\xbf] tail tail | [\xf1-\xf3] tail tail tail
	| "\xf4" [\x80-\x8f] tail tail;
*/

enum sw_tok {
	SW_END, SW_BACKSLASH, SW_SPACE, SW_BACKQUOTE, SW_CLOSE, SW_OPEN,
	SW_DQUOTE, SW_SQUOTE, SW_OPERATOR, SW_RUNE
};

/* which word the parser is in (go-shellwords' argNo, argSingle, argQuoted) */
enum sw_arg { ARG_NONE, ARG_SINGLE, ARG_QUOTED };

struct sw_words {
	char **v;
	size_t n, cap;
};

static void
push(struct arena *a, struct sw_words *w, const struct buf *word)
{
	w->v = arena_grow(a, w->v, w->n, &w->cap, sizeof(*w->v));
	w->v[w->n++] = arena_strndup(a, buf_str(word), word->len);
}

int
shellwords_split(struct arena *a, const char *s, char ***argv,
    struct buf *err, long *stopped)
{
	const char *cur = s, *lim = s + strlen(s), *mar, *tok;
	struct buf word = BUF_INIT;
	struct sw_words w = { NULL, 0, 0 };
	int escaped = 0, dq = 0, sq = 0, bq = 0, dollar = 0;
	enum sw_arg got = ARG_NONE;
	enum sw_tok t;
	size_t wordstart = 0;

	*stopped = -1;
	for (;;) {
		tok = cur;
		/*!re2c
		"\\"		{ t = SW_BACKSLASH; goto rune; }
		[ \t\r\n]	{ t = SW_SPACE; goto rune; }
		"`"		{ t = SW_BACKQUOTE; goto rune; }
		")"		{ t = SW_CLOSE; goto rune; }
		"("		{ t = SW_OPEN; goto rune; }
		"\""		{ t = SW_DQUOTE; goto rune; }
		"'"		{ t = SW_SQUOTE; goto rune; }
		[;&|<>]		{ t = SW_OPERATOR; goto rune; }
		rune		{ t = SW_RUNE; goto rune; }
		$		{ break; }
		*		{ t = SW_RUNE; goto rune; }
		*/
rune:
		if (got == ARG_NONE && word.len == 0)
			wordstart = (size_t)(tok - s);
		if (escaped) {
			escaped = 0;
			got = ARG_SINGLE;
			goto append;
		}
		switch (t) {
		case SW_BACKSLASH:
			if (sq)
				goto append;
			escaped = 1;
			continue;
		case SW_SPACE:
			if (sq || dq || bq || dollar) {
				goto append;
			} else if (got != ARG_NONE) {
				push(a, &w, &word);
				buf_reset(&word);
				got = ARG_NONE;
			}
			continue;
		case SW_BACKQUOTE:
			if (!sq && !dq && !dollar)
				bq = !bq;
			break;
		case SW_CLOSE:
			/* toggles even when no "$(" is open, as in Go */
			if (!sq && !dq && !bq)
				dollar = !dollar;
			break;
		case SW_OPEN:
			if (!sq && !dq && !bq) {
				if (!dollar && word.len > 0 &&
				    word.data[word.len - 1] == '$') {
					dollar = 1;
					goto append;
				}
				goto invalid;
			}
			break;
		case SW_DQUOTE:
			if (!sq && !dollar) {
				if (dq)
					got = ARG_QUOTED;
				dq = !dq;
				continue;
			}
			break;
		case SW_SQUOTE:
			if (!dq && !dollar) {
				if (sq)
					got = ARG_QUOTED;
				sq = !sq;
				continue;
			}
			break;
		case SW_OPERATOR:
			if (!sq && !dq && !bq && !dollar) {
				*stopped = (long)(tok - s);
				/* "2>&1": a leading digit makes it an fd */
				if (*tok == '>' && word.len > 0 &&
				    word.data[0] >= '0' &&
				    word.data[0] <= '9') {
					got = ARG_NONE;
					*stopped = (long)wordstart;
				}
				goto end;
			}
			break;
		case SW_END:
		case SW_RUNE:
			break;
		}
		got = ARG_SINGLE;
append:
		if (t == SW_RUNE && cur - tok == 1 &&
		    (unsigned char)*tok >= 0x80)
			buf_puts(&word, "\xef\xbf\xbd");	/* not UTF-8 */
		else
			buf_putn(&word, tok, (size_t)(cur - tok));
	}
end:
	if (got != ARG_NONE)
		push(a, &w, &word);
	buf_release(&word);
	if (escaped || sq || dq || bq || dollar)
		goto invalid;
	*argv = w.n ? w.v : arena_alloc(a, sizeof(char *));
	return (int)w.n;
invalid:
	buf_release(&word);
	buf_puts(err, "invalid command line string");
	*stopped = -1;
	return -1;
}

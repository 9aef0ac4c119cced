/* shellwords.h: splitting a string command or entrypoint into words. */
#ifndef C2SH_SHELLWORDS_H
#define C2SH_SHELLWORDS_H

struct arena;
struct buf;

/*
 * Split s as compose-go does with go-shellwords 1.0.12: blanks separate
 * words, quotes group, a backslash escapes the next character outside
 * single quotes (inside double quotes too), nothing is expanded.  The
 * split stops silently at the first unquoted ; & | < or > (a word of
 * digits before > is dropped as a file descriptor).  Returns argc with
 * *argv an arena array of argc arena strings, or -1 with "invalid command
 * line string" in err (unbalanced quotes, a '(' not after '$').  *stopped
 * is the byte offset where the split stopped, or -1 if it used all of s.
 */
int shellwords_split(struct arena *, const char *s, char ***argv,
    struct buf *err, long *stopped);

#endif

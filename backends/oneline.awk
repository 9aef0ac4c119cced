# oneline.awk: a shell script as one line, for a systemd Exec line (which
# cannot hold a newline): comments and indentation dropped, each line
# joined to the next with "; ", or with " " where the line leaves the
# command open (then, do, else, {, (, |, &&, ||, in, ;;, or a backslash,
# which goes).  A case pattern
# must share its line with its first command.  The build runs dash -n
# on every result.
/^[ \t]*#/ { next }
{
	sub(/^[ \t]+/, "")
	if ($0 == "")
		next
	# a backslash-newline goes on with the same command
	if ($0 ~ /\\$/) {
		out = out sep substr($0, 1, length($0) - 1)
		sep = ""
		next
	}
	out = out sep $0
	sep = ($0 ~ /((^| )(then|do|else|in)|[{(|]|&&|;;)$/) ? " " : "; "
}
END { print out }

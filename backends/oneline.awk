# oneline.awk: a shell script as one line, for a systemd Exec line (which
# cannot hold a newline): comments and indentation dropped, each line
# joined to the next with "; ", or with " " where the line leaves the
# command open (then, do, else, {, (, |, &&, ||, in, ;;).  A case pattern
# must share its line with its first command.  The build runs dash -n
# on every result.
/^[ \t]*#/ { next }
{
	sub(/^[ \t]+/, "")
	if ($0 == "")
		next
	out = out sep $0
	sep = ($0 ~ /((^| )(then|do|else|in)|[{(|]|&&|;;)$/) ? " " : "; "
}
END { print out }

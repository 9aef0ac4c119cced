# shellcheck shell=sh
# ExecStartPre of a container unit, before its container is made: c2sh
# FILE...: the files that hold the values of its secrets and configs read
# from the environment (the administrator writes them, mode 0600: README,
# Secrets) are there, so a missing one fails the unit with nothing made
for f in "$@"; do
	if [ ! -f "$f" ] || [ ! -r "$f" ]; then
		echo "c2sh: $f is missing: it holds the value of a secret or config of this unit" >&2
		exit 1
	fi
done

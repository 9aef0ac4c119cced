# shellcheck shell=sh
# ExecStartPre of a container unit: c2sh CONTAINER TARGET MODE UID GID
# content|credential VALUE|ID: write a secret or config into the created
# container as Compose does, as a tar stream (tar_file, from tarfile.sh,
# which the build puts in front of this), extracted at / with its mode and
# owner.  A secret the compose file reads from the environment is the
# unit's credential ID (LoadCredential=): its value is read from the file
# systemd made for it, never from the unit or a command line.
if [ "$6" = credential ]; then
	f=${CREDENTIALS_DIRECTORY:-/nonexistent}/$7
	[ -r "$f" ] || {
		echo "c2sh: credential $7 is missing (LoadCredential=)" >&2
		exit 1
	}
	v=$(cat "$f" && printf x) || exit 1
	v=${v%x}
else
	v=$7
fi
tar_file "$2" "$3" "$4" "$5" "$v" | docker cp -a - "$1:/"

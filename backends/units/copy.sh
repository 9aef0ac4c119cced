# shellcheck shell=sh
# ExecStartPre of a container unit: c2sh CONTAINER TARGET MODE UID GID
# content|file VALUE|FILE: write a secret or config into the created
# container as Compose does, as a tar stream (tar_file, from tarfile.sh,
# which the build puts in front of this), extracted at / with its mode and
# owner.  A value the compose file reads from the environment is read
# from FILE, which the administrator writes (mode 0600), never from the
# unit or a command line.
if [ "$6" = file ]; then
	v=$(cat "$7" && printf x) || exit 1
	v=${v%x}
else
	v=$7
fi
tar_file "$2" "$3" "$4" "$5" "$v" | docker cp -a - "$1:/"

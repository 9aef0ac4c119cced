# shellcheck shell=sh
# tarfile.sh: a secret or config as a tar stream for `docker cp -a - CTR:/`,
# as Compose copies them (a tar of one file, extracted at /): the value
# goes from a shell variable through printf, a builtin, into the pipe, so
# it is never on a command line and never in a file.  The build puts this
# in front of the runtime (runtime.sh) and of the units' copy script.

# tar_file PATH MODE UID GID VALUE: the ustar archive of one regular file
# (PATH absolute, MODE octal; parent directories are made by docker), on
# stdout
tar_file() (
	LC_ALL=C
	tf_path=${1#/} tf_prefix=''
	if [ ${#tf_path} -gt 100 ]; then
		tf_prefix=${tf_path%/*} tf_path=${tf_path##*/}
	fi
	tf_mode=$(printf '%07o' "0$2")
	tf_uid=$(printf '%07o' "${3:-0}")
	tf_gid=$(printf '%07o' "${4:-0}")
	tf_size=$(printf '%011o' "${#5}")
	tf_mtime=00000000000
	# the checksum: every byte of the header, its own field as spaces
	tf_sum=$((8 * 32 + 48))
	for tf_f in "$tf_path" "$tf_mode" "$tf_uid" "$tf_gid" "$tf_size" \
	    "$tf_mtime" ustar 00 "$tf_prefix"; do
		while [ -n "$tf_f" ]; do
			tf_rest=${tf_f#?}
			tf_sum=$((tf_sum + $(printf '%d' "'${tf_f%"$tf_rest"}")))
			tf_f=$tf_rest
		done
	done
	printf '%s' "$tf_path"
	nuls $((100 - ${#tf_path}))
	printf '%s\0%s\0%s\0%s\0%s\0' "$tf_mode" "$tf_uid" "$tf_gid" "$tf_size" \
	    "$tf_mtime"
	printf '%06o\0 0' "$tf_sum"
	nuls 100
	printf 'ustar\00000'
	nuls $((32 + 32 + 8 + 8))
	printf '%s' "$tf_prefix"
	nuls $((155 - ${#tf_prefix} + 12))
	printf '%s' "$5"
	nuls $(((512 - ${#5} % 512) % 512 + 1024))
)

# nuls N: N zero bytes
nuls() {
	nl_n=$1
	while [ "$nl_n" -ge 64 ]; do
		printf '\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0'
		nl_n=$((nl_n - 64))
	done
	while [ "$nl_n" -gt 0 ]; do
		printf '\0'
		nl_n=$((nl_n - 1))
	done
}

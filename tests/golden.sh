#!/bin/sh
# Golden tests.  Each folder tests/golden/NAME/ is a compose project that
# c2sh compiles from inside that folder (so discovery and .env apply):
#   args       extra command-line arguments, one per line (optional)
#   environ    the whole environment, KEY=VALUE per line (optional;
#              otherwise only PATH, LC_ALL=C and HOME=/nonexistent)
#   out.plan   expected stdout of "c2sh -t plan" (exit 0)
#   out.json   expected stdout of "c2sh -t json" (exit 0)
#   out.sh     expected stdout of "c2sh -t sh" (exit 0); it must also pass
#              dash -n and shellcheck
#   out.systemd  the files "c2sh -t systemd -o units" writes, each behind a
#              "==> NAME <==" line; they must also pass systemd-analyze
#              verify (where systemd-analyze and docker are installed)
#   out.make   expected stdout of "c2sh -t make" (exit 0); GNU make must
#              also read it and print every command target's recipes
#              (make -n), which must pass dash -n
#   err        expected stderr of "c2sh" (exit 1, empty stdout)
#   expect     lines that must appear in the plan, from an independent
#              source (config hashes Compose 2.26.1 computed, for example)
# Config hashes cover absolute paths, so the projects are compiled from a
# copy at a fixed place, $FIXED below; that path is written $ROOT in the
# expected files, and the version 0.0.0, so they hold on any checkout and
# release.
# UPDATE=1 rewrites the expected files instead of comparing: review the diff.
repo=$(cd "$(dirname "$0")/.." && pwd)
C2SH=${C2SH:-build/c2sh}
case $C2SH in /*) ;; *) C2SH=$repo/$C2SH ;; esac
FIXED=/tmp/c2sh-golden-root
root=$FIXED
# one run at a time uses that place (two checkouts, or make -j of the
# tiers): the others wait for the lock
exec 9>"$FIXED.lock" && flock 9 || exit 2
rm -rf "$FIXED" && mkdir -p "$FIXED/tests" || exit 2
cp -R "$repo/tests/golden" "$FIXED/tests/" && cp -R "$repo/samples" "$FIXED/" ||
    exit 2
out=$(mktemp) && err=$(mktemp) && got=$(mktemp) && full=$(mktemp) || exit 2
trap 'rm -f "$out" "$err" "$got" "$full" "$full".*' EXIT
pass=0 fail=0
version=$("$C2SH" --version | sed 's/^c2sh \([^ ]*\).*/\1/')

# normalize FILE: repository path and version made stable; the runtime
# that deploy.sh and the Makefile embed (backends/runtime.sh, linted and
# tested on its own) is one line, and so is the text of each unit script
# (backends/units/): the golden files hold the project's part
normalize() {
	sed -E 's#/bin/sh -c "([^"\\]|\\.)*" c2sh#/bin/sh -c (a script of backends/units/) c2sh#g' "$1" |
	sed -e "s|$root|\$ROOT|g" -e "s|c2sh $version|c2sh 0.0.0|g" \
	    -e "s|\"c2sh\":\"$version\"|\"c2sh\":\"0.0.0\"|g" \
	    -e "/^# ---- c2sh's runtime (backends\/runtime.sh) ----\$/,/^# ---- end of c2sh's runtime ----\$/c\\
# ---- c2sh's runtime (backends/runtime.sh), left out here ----"
}

# check DIR EXPECTED STREAM STATUS [ARGS...]
check() {
	dir=$1 want=$2 stream=$3 status=$4
	shift 4
	set -- "$@"
	if [ -f "$dir/args" ]; then
		while IFS= read -r a; do set -- "$@" "$a"; done <"$dir/args"
	fi
	if [ -f "$dir/environ" ]; then
		# shellcheck disable=SC2046 # one word per line
		(cd "$dir" && env -i $(cat environ) PATH="$PATH" LC_ALL=C \
		    "$C2SH" "$@") >"$out" 2>"$err"
	else
		(cd "$dir" && env -i PATH="$PATH" LC_ALL=C HOME=/nonexistent \
		    "$C2SH" "$@") >"$out" 2>"$err"
	fi
	rc=$?
	if [ "$stream" = files ]; then
		# a multi-file target: the files it wrote, behind banners
		[ ! -s "$out" ] || rc="$rc, and output on stdout"
		for f in "$dir/units"/*; do
			[ -f "$f" ] || continue
			printf '==> %s <==\n' "${f##*/}"
			cat "$f"
		done >"$out"
	fi
	# the whole artifact, for the lint checks below
	[ "$stream" != out ] || cp "$out" "$full.${want##*/out.}"
	if [ "$stream" != err ]; then normalize "$out" >"$got"; else normalize "$err" >"$got"; fi
	if [ -n "${UPDATE:-}" ]; then
		cp "$got" "$repo/${want#"$root"/}"
		return
	fi
	if [ "$rc" = "$status" ] && diff -u "$want" "$got" &&
	    { [ "$stream" != err ] || [ ! -s "$out" ]; }; then
		pass=$((pass + 1))
		echo "[PASS] ${want#"$root"/}"
	else
		fail=$((fail + 1))
		echo "[FAIL] ${want#"$root"/} (exit $rc)"
		cat "$err"
	fi
}

for dir in "$root"/tests/golden/*/; do
	dir=${dir%/}
	for want in "$dir"/out.*; do
		[ -f "$want" ] || continue
		case $want in
		*/out.systemd)
			rm -rf "$dir/units"
			check "$dir" "$want" files 0 -t systemd -o units
			;;
		*) check "$dir" "$want" out 0 -t "${want##*/out.}" ;;
		esac
	done
	if [ -f "$dir/out.systemd" ] && [ -z "${UPDATE:-}" ] &&
	    command -v systemd-analyze >/dev/null && command -v docker >/dev/null; then
		if vout=$(systemd-analyze verify "$dir/units"/* 2>&1) && [ -z "$vout" ]; then
			pass=$((pass + 1))
			echo "[PASS] ${dir#"$root"/}/out.systemd: systemd-analyze verify"
		else
			fail=$((fail + 1))
			echo "[FAIL] ${dir#"$root"/}/out.systemd: systemd-analyze verify"
			printf '%s\n' "$vout"
		fi
	fi
	[ -f "$dir/err" ] && check "$dir" "$dir/err" err 1
	if [ -f "$dir/out.sh" ] && [ -z "${UPDATE:-}" ]; then
		if dash -n "$full.sh" && shellcheck -s sh "$full.sh"; then
			pass=$((pass + 1))
			echo "[PASS] ${dir#"$root"/}/out.sh: dash -n, shellcheck"
		else
			fail=$((fail + 1))
			echo "[FAIL] ${dir#"$root"/}/out.sh: dash -n or shellcheck"
		fi
	fi
	if [ -f "$dir/out.make" ] && [ -z "${UPDATE:-}" ]; then
		if make -n -s -f "$full.make" up create down down-volumes \
		    ps logs plan >"$got" && dash -n "$got"; then
			pass=$((pass + 1))
			echo "[PASS] ${dir#"$root"/}/out.make: make -n, dash -n"
		else
			fail=$((fail + 1))
			echo "[FAIL] ${dir#"$root"/}/out.make: make -n or dash -n"
		fi
	fi
	if [ -f "$dir/expect" ] && [ -z "${UPDATE:-}" ]; then
		while IFS= read -r want; do
			if grep -qF -- "$want" "$dir/out.plan"; then
				pass=$((pass + 1))
				echo "[PASS] ${dir#"$root"/}: $want"
			else
				fail=$((fail + 1))
				echo "[FAIL] ${dir#"$root"/}: missing $want"
			fi
		done <"$dir/expect"
	fi
done
echo "golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

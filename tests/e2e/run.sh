#!/bin/sh
# The end-to-end tier: every tests/e2e/test-*.sh on a real Docker engine.
#
#   sh tests/e2e/run.sh [NAME...]     NAME: seed runs test-seed.sh, ...
#                                     (default: every test-*.sh)
#
# Starts the engine when none answers (engine.sh start) and stops it again
# at the end only in that case; builds the local test images (images.sh,
# idempotent); runs the tests one after the other (each removes its own
# projects on exit), showing their [PASS]/[FAIL] lines and how long each
# took; ends with "e2e: N passed, M failed" (tests, not checks) and exits 1
# when any test failed.  C2SH names the compiler (default build/c2sh).
set -u

here=$(cd "$(dirname "$0")" && pwd)
started=

cleanup() {
	if [ -n "$started" ]; then
		sh "$here/engine.sh" stop
	fi
}

main() {
	if [ $# -eq 0 ]; then
		set -- "$here"/test-*.sh
	else
		for n in "$@"; do
			shift
			set -- "$@" "$here/test-$n.sh"
		done
	fi
	for t in "$@"; do
		if [ ! -f "$t" ]; then
			echo "e2e: no such test: $t" >&2
			exit 2
		fi
	done

	trap cleanup EXIT
	trap 'exit 130' INT TERM
	if ! sh "$here/engine.sh" status >/dev/null 2>&1; then
		sh "$here/engine.sh" start || exit 1
		started=1
	fi
	if ! sh "$here/images.sh"; then
		echo "e2e: cannot build the test images" >&2
		exit 1
	fi

	passed=0 failed=0 failures='' t0=$(date +%s)
	for t in "$@"; do
		name=$(basename "$t" .sh)
		name=${name#test-}
		echo "--- $name"
		s=$(date +%s)
		if sh "$t"; then
			passed=$((passed + 1))
			echo "--- $name: ok ($(($(date +%s) - s)) s)"
		else
			failed=$((failed + 1))
			failures="$failures $name"
			echo "--- $name: FAILED ($(($(date +%s) - s)) s)"
		fi
	done
	echo "--- all in $(($(date +%s) - t0)) s${failures:+; failed:$failures}"
	echo "e2e: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

main "$@"

# shellcheck shell=sh
# how many times the job ran (it appends a line to the named volume, which
# reader mounts too), and its exit code
check_step() {
	lc_wait "$P-job-1"
	echo "runs logged: $(lc_in "$P-reader-1" sh -c 'wc -l </data/log')"
	echo "job exit code: $(field "$P-job-1" '{{.State.ExitCode}}')"
}
